"""Publicity windows follow every push, correction and revocation: in the same transaction, except the records a
large push creates, whose windows the worker stores right after commit (see ``disclosure.backlog``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from records.signals import records_changed


@receiver(post_save, sender="records.Subject", dispatch_uid="disclosure_attach_links")
def attach_links(sender, instance, created, raw=False, **kwargs):
    """Accounts verified before the platform held anything about this subject now act for it."""
    if created and not raw:
        from disclosure.accounts import attach_links_to_subject

        attach_links_to_subject(instance)


@receiver(records_changed, dispatch_uid="disclosure_apply_windows")
def store_windows(sender, kind, record_ids, created=(), **kwargs):
    from disclosure import backlog
    from disclosure.services import apply_windows

    now, later = backlog.split(record_ids, created)
    if now:
        apply_windows(now)
    if later:
        backlog.defer(later)
