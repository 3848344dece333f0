"""Keep published catalog items frozen, including their providers (a many-to-many the model's save() misses)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from catalog.models import CatalogItem, CatalogVersion, frozen


@receiver(m2m_changed, sender=CatalogItem.providers.through)
def providers_frozen(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if reverse:
        items = CatalogItem.objects.filter(pk__in=pk_set or [])
        if action == "pre_clear":
            items = instance.catalog_items.all()
        is_frozen = items.exclude(version__status__in=CatalogVersion.EDITABLE_STATUSES).exists()
    else:
        is_frozen = instance._version_frozen()
    if is_frozen:
        raise frozen("已公布的目录条目的提供单位不得修改 / providers of a published item are immutable")
