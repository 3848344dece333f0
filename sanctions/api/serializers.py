"""Request and response shapes of the sanctions API (field names are a contract with the departments' systems)."""

from __future__ import annotations

from rest_framework import serializers

from credit_platform.api.fields import object_id
from sanctions.models import (
    CheckedMeasure,
    Commitment,
    Evaluation,
    Interview,
    Matter,
    Measure,
    RedListEntry,
    SevereListEntry,
)

#: what a department may report back about a measure it was asked to apply (every outcome but "pending")
FEEDBACK_OUTCOMES = [(value, label) for value, label in CheckedMeasure.Outcome.choices
                     if value != CheckedMeasure.Outcome.PENDING]


class MatterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Matter
        fields = ["code", "name", "description", "query_purpose", "commitment_route"]


class MeasureSerializer(serializers.ModelSerializer):
    list_title = serializers.CharField(source="measure_list.title")
    list_version = serializers.CharField(source="measure_list.version_label")
    list_level = serializers.CharField(source="measure_list.level")
    matters = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["code", "name", "kind", "tier", "trigger", "categories", "severities", "grades", "domains",
                  "target", "target_types", "means", "implementer", "legal_basis", "basis_level", "rights_impact",
                  "clean_record_condition", "matters", "list_title", "list_version", "list_level"]


class JointCheckRequest(serializers.Serializer):
    subject = serializers.CharField(max_length=64, help_text="统一社会信用代码或身份证件号码")
    matter = serializers.CharField(max_length=64, help_text="事项编码，见 GET /api/v1/joint-check/matters/")


class AnswerMeasure(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["incentive", "punishment"])
    legal_basis = serializers.CharField()
    because = serializers.ListField(child=serializers.CharField(), help_text="record:<id> / severe_list:<id> / "
                                    "red_list:<id> / commitment:<id> / evaluation:<id>")
    tier = serializers.CharField(allow_blank=True)
    means = serializers.CharField()
    implementer = serializers.CharField()


class CommitmentRouteSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    article = serializers.CharField(allow_blank=True)
    because = serializers.ListField(child=serializers.CharField())


class JointCheckAnswer(serializers.Serializer):
    check_id = serializers.UUIDField()
    subject = serializers.CharField()
    subject_found = serializers.BooleanField()
    matter = serializers.CharField()
    asked_at = serializers.DateTimeField()
    policy = serializers.CharField()
    measures = AnswerMeasure(many=True)
    commitment_route = CommitmentRouteSerializer(allow_null=True)
    grade = serializers.CharField(allow_null=True)


class FeedbackItem(serializers.Serializer):
    measure = serializers.CharField(help_text="措施编码")
    outcome = serializers.ChoiceField(choices=FEEDBACK_OUTCOMES)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="未实施的，须书面说明理由（曲阜第四十一条）")


class FeedbackRequest(serializers.Serializer):
    results = FeedbackItem(many=True, required=False)
    # shortcut: one outcome for every measure of the check
    outcome = serializers.ChoiceField(choices=FEEDBACK_OUTCOMES, required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class CheckedMeasureSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code")
    name = serializers.CharField(source="measure.name")

    class Meta:
        model = CheckedMeasure
        fields = ["measure", "name", "kind", "because", "outcome", "reason", "reported_at", "reported_by",
                  "lifted_at", "lifted_reason"]


class RedListEntrySerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.name")
    subject_code = serializers.CharField(source="subject.masked_code")
    department = serializers.CharField(source="department.name")

    class Meta:
        model = RedListEntry
        fields = ["id", "subject", "subject_id", "subject_code", "department", "criteria", "status", "listed_at", "valid_until"]


class SevereListEntrySerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.name")
    subject_code = serializers.CharField(source="subject.masked_code")
    department = serializers.CharField(source="department.name")
    measures = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = SevereListEntry
        fields = ["id", "subject", "subject_id", "subject_code", "department", "source", "status", "reasons", "basis",
                  "decision_number", "listed_on", "term_end", "measures", "removed_at", "removal_reason"]


class CourtListingRequest(serializers.Serializer):
    subject = serializers.DictField(help_text="{type, code, name, code_type?}")
    case_number = serializers.CharField(max_length=128)
    decision_number = serializers.CharField(max_length=128)
    reasons = serializers.CharField(required=False, allow_blank=True)
    basis = serializers.CharField()
    term_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1200)
    listed_on = serializers.DateField(required=False)


class CourtRemovalRequest(serializers.Serializer):
    case_number = serializers.CharField(max_length=128)
    subject = serializers.CharField(max_length=64)
    reason = serializers.CharField()


class CommitmentRequest(serializers.Serializer):
    subject = serializers.CharField(max_length=64)
    source_ref = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=Commitment.CommitmentKind.choices, default=Commitment.CommitmentKind.LICENCE)
    matter = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(max_length=300)
    content = serializers.CharField()
    made_on = serializers.DateField()
    licence_number = serializers.CharField(required=False, allow_blank=True, max_length=128)
    licence_decided_on = serializers.DateField(required=False, allow_null=True)


class CommitmentSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.code")
    subject_name = serializers.CharField(source="subject.name")
    matter = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "subject", "subject_name", "source_ref", "kind", "matter", "title", "content", "made_on",
                  "licence_number", "licence_decided_on", "verification_due", "verification_article", "status",
                  "verified_on", "rectify_by", "breach", "record", "decision_revoked", "revocation_number"]


class VerificationRequest(serializers.Serializer):
    result = serializers.ChoiceField(choices=["kept", "rectification", "false", "unfulfilled"])
    note = serializers.CharField(required=False, allow_blank=True)
    method = serializers.CharField(required=False, allow_blank=True, max_length=100)
    rectify_by = serializers.DateField(required=False)
    severity = serializers.ChoiceField(choices=["minor", "general", "severe"], default="general")
    finding_number = serializers.CharField(required=False, allow_blank=True, max_length=128)
    revocation_number = serializers.CharField(required=False, allow_blank=True, max_length=128)
    revocation_date = serializers.DateField(required=False)


class EvaluationSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.code")
    tier_label = serializers.CharField(source="get_tier_display")

    class Meta:
        model = Evaluation
        fields = ["subject", "subject_id", "score", "grade", "tier", "tier_label", "reasons", "model_version", "computed_at"]


class InterviewRequest(serializers.Serializer):
    subject = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=Interview.InterviewKind.choices, default=Interview.InterviewKind.PROMPT)
    held_on = serializers.DateField()
    interviewee = serializers.CharField(max_length=100)
    interviewee_role = serializers.CharField(required=False, allow_blank=True, max_length=100)
    officials = serializers.CharField(required=False, allow_blank=True, max_length=300)
    reason = serializers.CharField()
    summary = serializers.CharField()
    requirements = serializers.CharField(required=False, allow_blank=True)
    rectify_by = serializers.DateField(required=False, allow_null=True)
    records = serializers.ListField(child=object_id(), required=False, max_length=200)


class InterviewSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.code")
    department = serializers.CharField(source="department.code")

    class Meta:
        model = Interview
        fields = ["id", "subject", "subject_id", "department", "kind", "held_on", "interviewee", "interviewee_role", "officials",
                  "reason", "summary", "requirements", "rectify_by", "recorded_by", "recorded_at"]


class ImplementationReasonSerializer(serializers.Serializer):
    measure_code = serializers.CharField()
    measure = serializers.CharField()
    reason = serializers.CharField(help_text="未实施的书面理由（身份证号、手机号已脱敏）")
    reported_on = serializers.DateField(allow_null=True)


class ImplementationRowSerializer(serializers.Serializer):
    department_code = serializers.CharField()
    department = serializers.CharField()
    checks = serializers.IntegerField(help_text="比对次数")
    returned = serializers.IntegerField(help_text="返回措施数")
    applied = serializers.IntegerField(help_text="已实施")
    not_applied = serializers.IntegerField(help_text="未实施（书面说明理由）")
    pending = serializers.IntegerField(help_text="待反馈")
    feedback_rate = serializers.FloatField(allow_null=True)
    not_applied_reasons = ImplementationReasonSerializer(many=True)


class ImplementationReportSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM")
    final = serializers.BooleanField(help_text="月份结束后定稿")
    refreshed_at = serializers.DateTimeField()
    article = serializers.CharField()
    totals = serializers.DictField()
    departments = ImplementationRowSerializer(many=True)
    periods = serializers.ListField(child=serializers.CharField(), help_text="可查询的月份")


class SubjectCodeRequest(serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text="统一社会信用代码或公民身份号码等证件号码（放在请求体，不进入 URL）")
