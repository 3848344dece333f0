"""bootstrap_demo's catalog and records: realistic, valid under every rule, idempotent."""

from __future__ import annotations

import io

import pytest

from catalog import services
from catalog.models import Category
from records import demo
from records.models import Record, Subject

pytestmark = pytest.mark.django_db


def test_demo_catalog_and_records_are_idempotent():
    out = io.StringIO()
    demo.populate(out)
    items = services.current_items()
    assert items.count() >= 30
    assert set(items.values_list("category", flat=True)) == set(Category.values)
    assert all(item.legal_basis for item in items)
    penalty = items.get(code="QG-CF-001")
    assert "决定书文号" in penalty.content_schema["properties"] and "处罚机关统一社会信用代码" in penalty.content_schema["properties"]
    assert "许可证书名称" in items.get(code="QG-XK-001").content_schema["properties"]
    total = Record.objects.count()
    assert 900 <= total <= 1300
    assert 200 <= Subject.objects.count() <= 500
    # responsible persons pushed with the records are kept as data; personal records follow a listing only
    # (Karamay art. 15 para. 4), and the records demo lists nobody
    from records.models import RelatedPerson

    assert RelatedPerson.objects.exists()
    assert not Record.objects.filter(parent__isnull=False).exists()
    assert "0 rejected" in out.getvalue()
    again = io.StringIO()
    demo.populate(again)
    assert Record.objects.count() == total
    assert " 0 created, 0 updated" in again.getvalue()
