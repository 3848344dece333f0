from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credit_platform.api.fields import object_id
from records.models import OutboxDelivery
from repair import access
from repair.models import RepairApplication, RepairEvent, RepairEvidence, RevocationGround


class ReasonItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    article = serializers.CharField()


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    article = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reasons = ReasonItemSerializer(many=True)
    earliest_date = serializers.DateField(allow_null=True)
    requirements = RequirementSerializer(many=True, required=False)
    min_months = serializers.IntegerField(allow_null=True, required=False)
    period_start = serializers.DateField(allow_null=True, required=False)
    policy = serializers.CharField(required=False)


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = RepairEvent
        fields = ["kind", "kind_label", "at", "actor_label", "reason", "data"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepairEvidence
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class DeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.UUIDField(source="event.event_id")
    kind = serializers.CharField(source="event.kind")
    record_id = serializers.IntegerField(source="event.record_id")
    occurred_at = serializers.DateTimeField(source="event.created_at")
    subscriber = serializers.CharField(source="subscription.name")
    subscriber_kind = serializers.CharField(source="subscription.kind")

    class Meta:
        model = OutboxDelivery
        fields = [
            "event_id", "kind", "record_id", "occurred_at", "subscriber", "subscriber_kind", "status", "attempts",
            "delivered_at", "acknowledged_at", "ack_note",
        ]


class ApplicationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    department = serializers.CharField(source="department.name")
    record = serializers.IntegerField(source="record_id")
    events = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = RepairApplication
        fields = [
            "number", "record", "status", "status_label", "channel", "department", "applicant_name", "received_at",
            "eligibility", "earliest_date", "accept_due", "accepted_at", "decision_due", "extended_due", "extension_reason",
            "provisional", "decided_at", "decision_reason", "repaired_on", "revoked_at", "revocation_ground",
            "revocation_reason", "commitment_text", "commitment_signed_at", "correction_statement", "events", "evidence",
        ]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, obj):
        request = self.context.get("request")
        events = list(obj.events.all())
        user = getattr(request, "user", None)
        if user is not None and not (access.is_official(user) or getattr(user, "is_department_client", False)):
            events = [e for e in events if e.public]
        return EventSerializer(events, many=True).data


class CreateApplicationSerializer(serializers.Serializer):
    record = object_id()
    applicant_name = serializers.CharField(max_length=200)
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    correction_statement = serializers.CharField()
    commitment = serializers.CharField(help_text="GET /api/v1/records/{id}/repair-commitment/ 的文本（签署即提交）")
    evidence_correction = serializers.ListField(child=serializers.FileField(), required=False)
    evidence_training = serializers.ListField(child=serializers.FileField(), required=False)
    evidence_credit_report = serializers.ListField(child=serializers.FileField(), required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExtendSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField()


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["approved", "rejected"])
    reason = serializers.CharField()


class RevokeSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=RevocationGround.choices)
    reason = serializers.CharField()
