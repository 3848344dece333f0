"""Capped paging: an honest total up to the cap, "more than" past it, and any page number a crawler sends is a page."""

from __future__ import annotations

import pytest

from credit_platform.models import Department
from credit_platform.paging import capped_page, page_number
from tests.credit_platform.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    return [DepartmentFactory(code=f"D{n:02d}") for n in range(25)]


def test_pages_with_an_exact_total(departments):
    qs = Department.objects.order_by("code")
    first = capped_page(qs, 1, per_page=10, cap=100)
    last = capped_page(qs, 3, per_page=10, cap=100)
    assert (first.total, first.total_capped, first.num_pages) == (25, False, 3)
    assert [d.code for d in last.items] == ["D20", "D21", "D22", "D23", "D24"]
    assert (last.first_index, last.last_index, last.has_next, last.has_previous) == (21, 25, False, True)


def test_past_the_cap_the_total_is_a_lower_bound(departments):
    page = capped_page(Department.objects.order_by("code"), 99, per_page=10, cap=20)
    assert page.total == 20 and page.total_capped and page.number == 2  # clamped to the last page it can reach


@pytest.mark.parametrize("raw, number", [(None, 1), ("", 1), ("0", 1), ("-3", 1), ("abc", 1), ("7", 7), (4, 4)])
def test_page_numbers_as_sent(raw, number):
    assert page_number(raw) == number


@pytest.mark.parametrize("cap", [6, 10, 12, 100])
@pytest.mark.parametrize("per_page", [3, 4, 10])
def test_pages_of_parts_are_the_pages_of_the_parts_one_after_the_other(departments, cap, per_page):
    """Same items, number, total and cap as one query ordered by (part, its order), page by page."""
    from credit_platform.paging import capped_page_of_parts

    qs = Department.objects.filter(code__startswith="D")
    parts = [qs.filter(code__gte="D15").order_by("-code"), qs.filter(code__lt="D05").order_by("code"),
             qs.filter(code__gte="D05", code__lt="D15").order_by("code")]
    together = [d.code for part in parts for d in part]
    for number in range(1, 12):
        page = capped_page_of_parts(parts, number, per_page=per_page, cap=cap)
        total = min(len(together), cap)
        assert (page.total, page.total_capped) == (total, len(together) > cap)
        assert page.number == min(number, -(-total // per_page))
        start = (page.number - 1) * per_page
        assert [d.code for d in page.items] == together[start: start + per_page]
