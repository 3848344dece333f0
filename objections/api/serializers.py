from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from credit_platform.api.fields import object_id
from credit_platform.workdays import local_date
from objections.models import Channel, Complaint, Ground, Objection, ObjectionEvent, Outcome


class TimelineEntrySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="kind")
    event_label = serializers.CharField(source="get_kind_display")
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = ObjectionEvent
        fields = ["event", "event_label", "at", "actor", "note"]


# A paper objection or complaint is registered days, not years, after it arrived. Older receipt times are typos
# (or junk) that would set every due date in the distant past, before the working-day calendar even begins.
RECEIVED_AT_MAX_AGE = timedelta(days=366)


def _recent(value):
    if value is not None and value < timezone.now() - RECEIVED_AT_MAX_AGE:
        raise serializers.ValidationError("收到时间不能早于一年前 / received_at is more than a year ago", code="received_at_too_old")
    return value


class ObjectionCreateSerializer(serializers.Serializer):
    records = serializers.ListField(child=object_id(), allow_empty=False, max_length=200)
    ground = serializers.ChoiceField(choices=Ground.choices)
    statement = serializers.CharField(max_length=20000, trim_whitespace=True)
    received_at = serializers.DateTimeField(required=False, help_text="窗口或邮寄受理的实际收到时间（带时区），默认为当前时间")
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in (Channel.COUNTER, Channel.POST, Channel.API)], required=False
    )
    applicant_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    applicant_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    applicant_email = serializers.EmailField(required=False, allow_blank=True)

    def validate_received_at(self, value):
        return _recent(value)


class ObjectionSerializer(serializers.ModelSerializer):
    records = serializers.SerializerMethodField()
    mark_due = serializers.DateField(format="%Y-%m-%d")
    decision_due = serializers.DateField(format="%Y-%m-%d")
    decision_cap = serializers.DateField(format="%Y-%m-%d")
    received_on = serializers.DateField(format="%Y-%m-%d")
    handling_department = serializers.CharField(source="handling_department.code")
    timeline = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    assistance = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Objection
        fields = [
            "id", "number", "status", "ground", "statement", "channel", "records", "handling_department",
            "received_at", "received_on", "mark_due", "decision_due", "decision_cap", "provisional", "paused_since",
            "paused_days", "assisted", "marked_at", "decided_at", "outcome", "decision_reasons", "decided_on_time",
            "escalated_at", "overdue", "policy_code", "timeline", "evidence", "assistance",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_records(self, obj) -> list[int]:
        return sorted(item.record_id for item in obj.items.all())

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, obj) -> list[dict]:
        events = obj.events.all()
        if not self.context.get("internal", False):
            events = [e for e in events if e.public]
        return TimelineEntrySerializer(events, many=True).data

    def get_evidence(self, obj) -> list[dict]:
        return [
            {"id": e.pk, "name": e.original_name, "content_type": e.content_type, "size": e.size, "sha256": e.sha256}
            for e in obj.evidence.all()
        ]

    def get_assistance(self, obj) -> list[dict]:
        return [
            {"id": a.pk, "department": a.department.code, "question": a.question, "requested_at": a.requested_at,
             "due": a.due.isoformat() if a.due else None, "provisional": a.provisional, "answered_at": a.answered_at,
             "answer": a.answer}
            for a in obj.assistance_requests.all()
        ]

    def get_overdue(self, obj) -> bool:
        today = local_date(timezone.now())
        if not obj.is_open:
            return False
        if obj.status == "received" and obj.mark_due and obj.mark_due < today:
            return True
        return bool(obj.paused_since is None and obj.decision_due and obj.decision_due < today)


class MarkSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ExtendSerializer(serializers.Serializer):
    approved_by = serializers.CharField(max_length=200, help_text="批准延长的负责人")
    reason = serializers.CharField(max_length=4000)
    total_days = serializers.IntegerField(required=False, min_value=1, max_value=3650, help_text="延长后自收到之日起累计的工作日数，默认为上限")


class PauseSerializer(serializers.Serializer):
    activity = serializers.CharField(max_length=32, help_text="inspection / testing / quarantine / appraisal / expert_review")
    reason = serializers.CharField(max_length=4000)


class AssistanceSerializer(serializers.Serializer):
    department = serializers.SlugField(help_text="协助单位的部门代码")
    question = serializers.CharField(max_length=4000)


class AssistanceAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=20000)


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(max_length=20000, allow_blank=True)
    corrections = serializers.DictField(child=serializers.DictField(), required=False)
    item_outcomes = serializers.DictField(child=serializers.ChoiceField(choices=Outcome.choices), required=False)


class ComplaintCreateSerializer(serializers.Serializer):
    collector_name = serializers.CharField(max_length=200)
    collector_uscc = serializers.CharField(max_length=18, required=False, allow_blank=True)
    statement = serializers.CharField(max_length=20000)
    complainant_name = serializers.CharField(max_length=200)
    complainant_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)

    def validate_received_at(self, value):
        return _recent(value)


class ComplaintSerializer(serializers.ModelSerializer):
    reply_due = serializers.DateField(format="%Y-%m-%d", allow_null=True)
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "number", "status", "collector_name", "collector_uscc", "statement", "complainant_name",
                  "received_at", "reply_due", "provisional", "answered_at", "answer", "answered_on_time",
                  "escalated_at", "policy_code", "timeline"]

    def get_timeline(self, obj) -> list[dict]:
        return [{"event": e.kind, "at": e.at, "actor": e.actor_label, "note": e.note} for e in obj.events.all()]
