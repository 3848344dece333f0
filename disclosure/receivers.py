"""Publicity windows follow every push, correction and revocation: in the same transaction, except the records a
large push creates, whose windows the worker stores right after commit (see ``disclosure.backlog``)."""

from django.dispatch import receiver

from records.signals import records_changed


@receiver(records_changed, dispatch_uid="disclosure_apply_windows")
def store_windows(sender, kind, record_ids, created=(), **kwargs):
    from disclosure import backlog
    from disclosure.services import apply_windows

    now, later = backlog.split(record_ids, created)
    if now:
        apply_windows(now)
    if later:
        backlog.defer(later)
