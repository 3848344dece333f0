"""The records app's own listeners on ``records_changed``."""

from django.dispatch import receiver

from records.provincial import queue_forwards
from records.signals import records_changed


@receiver(records_changed, dispatch_uid="records_forward_to_province")
def forward_to_province(sender, kind, record_ids, **kwargs):
    """Heilongjiang art. 22 para. 2: what the platform collects is queued for the provincial platform, in the
    same transaction (a profile without the duty queues nothing)."""

    queue_forwards(kind, record_ids)
