"""Serializers for reading records and for documenting the push contract in OpenAPI.

Pushed rows are *not* validated by these serializers: the bulk path validates plain data with
``records.rules`` (one code path for single and batch pushes).
"""

from __future__ import annotations

from rest_framework import serializers

from records.models import (
    CodeType,
    PenaltyType,
    Procedure,
    Record,
    RecordChange,
    RelatedRole,
    Severity,
    SubjectType,
)


# --- the push contract (documentation) -----------------------------------------------------------------------
class SubjectPayloadSerializer(serializers.Serializer):
    type = serializers.ChoiceField(SubjectType.choices)
    code = serializers.CharField(help_text="公民身份号码 / 统一社会信用代码 / 其他证件号码")
    name = serializers.CharField()
    code_type = serializers.ChoiceField(CodeType.choices, required=False, help_text="默认：自然人 ric，其他 uscc")
    birth_date = serializers.DateField(required=False, help_text="仅以其他证件标识的自然人")


class BasisDocumentSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="文号，如 克市监罚〔2026〕12号")
    issuer = serializers.CharField()
    issued_on = serializers.DateField()


class ResponsiblePersonSerializer(serializers.Serializer):
    role = serializers.ChoiceField(RelatedRole.choices)
    code = serializers.CharField()
    name = serializers.CharField()
    code_type = serializers.ChoiceField(CodeType.choices, required=False)


class RecordPayloadSerializer(serializers.Serializer):
    source_ref = serializers.CharField(max_length=128, help_text="部门自己的记录编号（幂等键），不得含 #")
    catalog_item = serializers.CharField(help_text="目录条目编码")
    subject = SubjectPayloadSerializer()
    severity = serializers.ChoiceField(Severity.choices, required=False, allow_null=True)
    procedure = serializers.ChoiceField(Procedure.choices, required=False, allow_null=True)
    penalty_types = serializers.ListField(child=serializers.ChoiceField(PenaltyType.choices), required=False)
    basis_document = BasisDocumentSerializer(required=False, allow_null=True)
    occurred_on = serializers.DateField(required=False, allow_null=True)
    decided_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True, help_text="持续的行为为 null")
    content = serializers.JSONField(required=False, help_text="须符合目录条目的 content_schema")
    responsible_persons = ResponsiblePersonSerializer(many=True, required=False)
    consent_ref = serializers.CharField(required=False, allow_null=True, help_text="书面同意凭证编号")
    guardian_consent_ref = serializers.CharField(required=False, allow_null=True, help_text="监护人同意凭证编号")
    minor_violation = serializers.BooleanField(required=False, help_text="违法行为轻微")
    harm_mitigated = serializers.BooleanField(required=False, help_text="主动消除或者减轻违法行为危害后果")
    first_offence = serializers.BooleanField(required=False, help_text="初次违法")
    slight_harm = serializers.BooleanField(
        required=False, default=False,
        help_text="危害后果轻微（黑龙江第十九条：初次违法且危害后果轻微并主动消除或者减轻危害后果的行政处罚不纳入目录；"
                  "与 minor_violation“违法行为轻微”是不同的事实）",
    )
    continuing = serializers.BooleanField(
        required=False, default=False,
        help_text="失信行为处于持续状态（克拉玛依第三十三条、黑龙江第五十一条）。true 且 ended_on 为空：公示期限待行为终止后"
                  "起算；ended_on 有值：自行为终止之日起计算",
    )
    criminal_liability = serializers.BooleanField(
        required=False, default=False,
        help_text="因该违法行为被依法追究刑事责任（黑龙江第五十一条：食品药品、生态环境、工程质量、安全生产、消防安全、"
                  "强制性产品认证、金融等领域应当长期公示）",
    )
    lifetime_market_ban = serializers.BooleanField(
        required=False, default=False, help_text="被处以终身市场禁入（黑龙江第五十一条：上述领域应当长期公示）",
    )
    domain = serializers.CharField(required=False, allow_null=True)


class BatchRequestSerializer(serializers.Serializer):
    records = RecordPayloadSerializer(many=True)


class RejectionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    source_ref = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class RowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    id = serializers.IntegerField()
    status = serializers.ChoiceField(["created", "updated", "unchanged"])


class BatchResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected_count = serializers.IntegerField()
    late = serializers.IntegerField(help_text="新增记录中逾期推送的条数")
    derived = serializers.IntegerField(help_text="同步记入责任人的记录数")
    rejected = RejectionSerializer(many=True)
    results = RowResultSerializer(many=True)


class CorrectionRequestSerializer(RecordPayloadSerializer):
    reason = serializers.CharField(help_text="更正理由（必填）")
    discovered_on = serializers.DateField(required=False, help_text="发现错误之日，默认今天；更正期限由此起算")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "reason":
                field.required = False


class RevokeRequestSerializer(serializers.Serializer):
    reason = serializers.CharField()
    document = BasisDocumentSerializer(help_text="撤销、变更原依据的文书")
    basis_action = serializers.ChoiceField(RecordChange.BasisAction.choices, default="revoked")
    changed_on = serializers.DateField(required=False, help_text="依据被改变之日，默认文书日期")


# --- reading ---------------------------------------------------------------------------------------------
class RecordChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecordChange
        fields = [
            "id", "kind", "basis_action", "reason", "document_number", "document_issuer", "document_date",
            "trigger_date", "requested_at", "due_on", "due_provisional", "platform_due_on", "done_at", "on_time",
            "platform_on_time", "article", "changed_fields",
        ]


class RecordSerializer(serializers.ModelSerializer):
    catalog_item = serializers.CharField(source="catalog_item.code")
    subject = serializers.SerializerMethodField()
    basis_document = serializers.SerializerMethodField()
    severity = serializers.SerializerMethodField()
    procedure = serializers.SerializerMethodField()
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Record
        fields = [
            "id", "source_ref", "catalog_item", "category", "severity", "subject", "procedure", "penalty_types",
            "basis_document", "occurred_on", "decided_on", "ended_on", "content", "responsible_persons",
            "consent_ref", "guardian_consent_ref", "minor_violation", "harm_mitigated", "first_offence", "slight_harm",
            "continuing", "criminal_liability", "lifetime_market_ban", "status",
            "received_at", "updated_at", "push_due", "push_due_provisional", "pushed_late", "disputed",
            "public_from", "public_until", "retain_until", "domain", "is_minor", "parent", "derived_role",
        ]

    def get_subject(self, obj) -> dict:
        s = obj.subject
        return {"id": s.id, "type": s.type, "code_type": s.code_type, "code": s.code, "name": s.name}

    def get_basis_document(self, obj) -> dict | None:
        if not (obj.basis_number or obj.basis_issuer or obj.basis_issued_on):
            return None
        return {"number": obj.basis_number, "issuer": obj.basis_issuer,
                "issued_on": obj.basis_issued_on.isoformat() if obj.basis_issued_on else None}

    def get_severity(self, obj) -> str | None:
        return obj.severity or None

    def get_procedure(self, obj) -> str | None:
        return obj.procedure or None


class RecordDetailSerializer(RecordSerializer):
    changes = RecordChangeSerializer(many=True, read_only=True)
    derived = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "changes", "derived"]
