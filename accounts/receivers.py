"""The accounts app's receivers: a subject created after someone verified its identifier gets their links."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.links import attach_links_to_subject


@receiver(post_save, sender="records.Subject", dispatch_uid="accounts_attach_links")
def attach_links(sender, instance, created, raw=False, **kwargs):
    """Accounts verified before the platform held anything about this subject now act for it."""
    if created and not raw:
        attach_links_to_subject(instance)
