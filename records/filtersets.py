"""Filters for the department's record list (``GET /api/v1/records/``) and the admin."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import Category
from records.models import Record, RecordStatus, Severity, SubjectType


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 accepts offsets up to ±23:59, PostgreSQL only up to ±15:59: query in UTC, whatever was sent."""

    def filter(self, qs, value):
        if value is not None and timezone.is_aware(value):
            try:
                value = value.astimezone(UTC)
            except OverflowError:  # e.g. 0001-01-01T00:00+16:00 is in the year 0 in UTC
                raise ValidationError({self.field_name: ["日期时间超出范围 / date-time out of range"]}) from None
        return super().filter(qs, value)


class RecordFilterSet(django_filters.FilterSet):
    catalog_item = django_filters.CharFilter(field_name="catalog_item__code", label="目录条目编码")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices)
    source_ref = django_filters.CharFilter(label="部门记录编号")
    source_ref_prefix = django_filters.CharFilter(field_name="source_ref", lookup_expr="startswith")
    subject_code = django_filters.CharFilter(field_name="subject__code", label="主体证件号码/统一社会信用代码")
    subject_name = django_filters.CharFilter(field_name="subject__name", lookup_expr="icontains", label="主体名称")
    subject_type = django_filters.ChoiceFilter(field_name="subject__type", choices=SubjectType.choices)
    decided_after = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_before = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte")
    received_after = UTCIsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = UTCIsoDateTimeFilter(field_name="received_at", lookup_expr="lte")
    updated_since = UTCIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    pushed_late = django_filters.BooleanFilter()
    disputed = django_filters.BooleanFilter()
    derived = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", exclude=True, label="责任人派生记录")

    class Meta:
        model = Record
        fields = []
