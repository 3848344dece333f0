"""Disclosure's receivers — the one module where news from other apps arrives (signals defined on the records floor).

* ``records_changed`` — publicity windows follow every push, correction and revocation: in the same transaction,
  except the records a large push creates, whose windows the worker stores right after commit
  (``disclosure.backlog``).
* ``severe_list_removed`` — sent by sanctions when a subject leaves the severe dishonesty list: the listing's
  publicity stops and retention restarts from the removal (Qufu art. 35).
* ``post_save`` of ``records.Subject`` — accounts verified before the platform held anything about this subject now
  act for it.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from disclosure import backlog, services, tasks
from disclosure.accounts import attach_links_to_subject
from records.signals import records_changed, severe_list_removed


@receiver(post_save, sender="records.Subject", dispatch_uid="disclosure_attach_links")
def attach_links(sender, instance, created, raw=False, **kwargs):
    """Accounts verified before the platform held anything about this subject now act for it."""
    if created and not raw:
        attach_links_to_subject(instance)


@receiver(records_changed, dispatch_uid="disclosure_apply_windows")
def store_windows(sender, kind, record_ids, created=(), **kwargs):
    now, later = backlog.split(record_ids, created)
    if now:
        services.apply_windows(now)
    if later:
        tasks.defer_windows(later)


@receiver(severe_list_removed, dispatch_uid="disclosure_severe_list_removed")
def stop_severe_listing_publicity(sender, entry, removed_on, **kwargs):
    """Qufu art. 35: the records behind the listing stop being public on ``removed_on`` and are retained for the
    profile's years from the removal."""
    services.stop_listing_publicity(entry, removed_on)
