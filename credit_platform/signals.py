"""Receivers for platform-wide events."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_role_groups(sender, **kwargs):
    # Runs after every app's migrations; the last call sees every app's permissions.
    from credit_platform.roles import sync_role_groups

    sync_role_groups()
