"""Corrections and revocations reach every subscriber holding the record (一处修复、别处不认 is the complaint)."""

from django.dispatch import receiver

from records.models import Record
from records.outbox import publish_change
from records.signals import records_changed


@receiver(records_changed, dispatch_uid="repair_publish_record_changes")
def publish_record_changes(sender, kind, record_ids, reason="", **kwargs):
    if kind not in ("corrected", "revoked"):
        return  # a push creates or refreshes a record; subscribers are told of changes to what they hold
    for record in Record.objects.filter(id__in=record_ids).only(
        "id", "source_ref", "subject_id", "source_department_id", "status", "public_until"
    ):
        publish_change(record, kind, {"status": record.status, "public_until": record.public_until, "reason": reason})
