"""Publicity windows follow every push, correction and revocation: in the same transaction, except the records a
large push creates, whose windows the worker stores right after commit (see ``disclosure.backlog``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from disclosure import public_cache
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


# --- the public page cache (disclosure.public_cache): every change a public page shows bumps its version ----------


@receiver(records_changed, dispatch_uid="disclosure_public_cache_records")
def public_pages_follow_records(sender, kind, record_ids, **kwargs):
    public_cache.records_changed(record_ids)


@receiver(post_save, sender="records.Record", dispatch_uid="disclosure_public_cache_record_saved")
@receiver(post_delete, sender="records.Record", dispatch_uid="disclosure_public_cache_record_deleted")
def public_page_follows_record(sender, instance, raw=False, **kwargs):
    """One record saved or deleted — the disputed mark (异议标注) of an objection among them."""
    if not raw:
        public_cache.subjects_changed([instance.subject_id])


@receiver(post_save, sender="records.Subject", dispatch_uid="disclosure_public_cache_subject_saved")
@receiver(post_delete, sender="records.Subject", dispatch_uid="disclosure_public_cache_subject_deleted")
def public_pages_follow_subject(sender, instance, raw=False, **kwargs):
    if not raw:
        public_cache.subject_saved(instance)


@receiver(post_save, sender="records.RelatedPerson", dispatch_uid="disclosure_public_cache_related_saved")
@receiver(post_delete, sender="records.RelatedPerson", dispatch_uid="disclosure_public_cache_related_deleted")
def public_page_follows_related_person(sender, instance, raw=False, **kwargs):
    if not raw:
        public_cache.subjects_changed([instance.organisation_id])


@receiver(post_save, sender="disclosure.RecordWindow", dispatch_uid="disclosure_public_cache_window_saved")
@receiver(post_delete, sender="disclosure.RecordWindow", dispatch_uid="disclosure_public_cache_window_deleted")
def public_page_follows_window(sender, instance, raw=False, **kwargs):
    """One window saved (bulk window writes call ``public_cache`` themselves, in ``disclosure.services``)."""
    if not raw:
        public_cache.records_changed([instance.record_id])


# Sanctions sits on this floor (disclosure | sanctions): its list entries are connected by model label, not imported.
@receiver(post_save, sender="sanctions.SevereListEntry", dispatch_uid="disclosure_public_cache_severe_saved")
@receiver(post_delete, sender="sanctions.SevereListEntry", dispatch_uid="disclosure_public_cache_severe_deleted")
@receiver(post_save, sender="sanctions.RedListEntry", dispatch_uid="disclosure_public_cache_red_saved")
@receiver(post_delete, sender="sanctions.RedListEntry", dispatch_uid="disclosure_public_cache_red_deleted")
def public_page_follows_list_entry(sender, instance, raw=False, **kwargs):
    if not raw:
        public_cache.subjects_changed([instance.subject_id])


@receiver(post_save, sender="catalog.CatalogItem", dispatch_uid="disclosure_public_cache_item_saved")
@receiver(post_save, sender="credit_platform.Department", dispatch_uid="disclosure_public_cache_department_saved")
def public_pages_follow_names(sender, raw=False, **kwargs):
    """Catalog item and department names appear on every public page."""
    if not raw:
        public_cache.everything_changed()
