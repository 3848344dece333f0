from __future__ import annotations

import django_filters

from catalog.models import CatalogItem, Category, InfoKind, MatterType, Openness


class CatalogItemFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    openness = django_filters.ChoiceFilter(choices=Openness.choices)
    matter_type = django_filters.ChoiceFilter(choices=MatterType.choices)
    info_kind = django_filters.ChoiceFilter(choices=InfoKind.choices)
    provider = django_filters.CharFilter(field_name="providers__code", label="提供单位部门代码")
    repairable = django_filters.BooleanFilter()
    code = django_filters.CharFilter()

    class Meta:
        model = CatalogItem
        fields = []
