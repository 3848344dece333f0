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
