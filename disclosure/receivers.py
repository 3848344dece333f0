"""Publicity windows follow every push, correction and revocation, in the same transaction."""

from django.dispatch import receiver

from records.signals import records_changed


@receiver(records_changed, dispatch_uid="disclosure_apply_windows")
def store_windows(sender, kind, record_ids, **kwargs):
    from disclosure.services import apply_windows

    apply_windows(record_ids)
