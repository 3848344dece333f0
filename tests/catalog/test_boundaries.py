"""A catalog item's publicity period on the boundary months ("Tests that hold the statute in place").

The profile's maximum is allowed, one month more is not; the minimum is allowed, one month less is not
(Karamay art. 33: at most three years; NDRC Order 36 for the lower bounds). The admin's inline form and the
model's ``full_clean`` both run ``catalog.rules.catalog_item_errors``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Category
from catalog.rules import publicity_bounds
from catalog.schema import penalty_schema
from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory

pytestmark = pytest.mark.django_db


def item(lo: int | None, hi: int | None, *, category=Category.DISHONESTY):
    return CatalogItemFactory.build(version=CatalogVersionFactory(), code="B-1", category=category,
                                    content_schema=penalty_schema(), publicity_months_min=lo, publicity_months_max=hi)


def errors_of(obj) -> dict:
    try:
        obj.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_karamay_33_maximum_is_three_years_and_not_a_month_more():
    lo, hi, article = publicity_bounds()
    assert hi == 36 and "第三十三条" in article
    assert errors_of(item(lo, 36)) == {}
    errors = errors_of(item(lo, 37))
    assert list(errors) == ["publicity_months_max"]
    assert "36" in errors["publicity_months_max"][0] and "第三十三条" in errors["publicity_months_max"][0]


@pytest.mark.parametrize("profile", ["karamay", "heilongjiang", "qufu", "fuzhou", "zhangye"])
def test_each_profile_allows_its_bounds_and_refuses_one_month_beyond(settings, profile):
    settings.CREDIT_POLICY = profile
    lo, hi, _ = publicity_bounds()
    if hi is None:
        pytest.skip(f"{profile} sets no publicity periods")
    assert errors_of(item(lo, hi)) == {}
    assert "publicity_months_max" in errors_of(item(lo, hi + 1))
    if lo and lo > 1:
        assert "publicity_months_min" in errors_of(item(lo - 1, hi))


def test_bounds_apply_to_dishonesty_items_only():
    assert errors_of(item(1, 120, category=Category.OTHER)) == {}
