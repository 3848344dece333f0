"""Receivers for platform-wide events (connected in ``CreditPlatformConfig.ready``)."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from credit_platform.models import CalendarDay, CalendarYear
from credit_platform.roles import sync_role_groups
from credit_platform.workdays import invalidate_cache


@receiver(post_migrate)
def create_role_groups(sender, **kwargs):
    # Runs after every app's migrations; the last call sees every app's permissions.
    sync_role_groups()


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def invalidate_calendar_cache(**kwargs) -> None:
    """An edited day or year changes every working-day count: drop the cached calendar."""
    invalidate_cache()

