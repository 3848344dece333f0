"""Paging over a count that may be capped: at a million organisations or ten million records, counting every match of
a common word costs more than the page itself, so past ``cap`` a page says "more than N" and pages up to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class CappedPage:
    """One page: its items, its number, and the total (exact, or a lower bound when ``total_capped``)."""

    items: list
    number: int
    per_page: int
    total: int
    total_capped: bool

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


def page_number(raw) -> int:
    """A requested page number as people and crawlers send it: anything but a positive integer reads as 1."""
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


def capped_page(queryset: QuerySet, raw_number, *, per_page: int, cap: int) -> CappedPage:
    """The page of ``queryset`` (already ordered) numbered ``raw_number``, clamped to the last page; the count stops
    at ``cap`` + 1 rows (a LIMIT in the database), so a common query never counts everything."""
    total = queryset.order_by()[: cap + 1].count()
    capped = total > cap
    total = min(total, cap)
    number = min(page_number(raw_number), max(1, -(-total // per_page)))
    offset = (number - 1) * per_page
    return CappedPage(list(queryset[offset: offset + per_page]), number, per_page, total, capped)


def capped_page_of_parts(parts: Sequence[QuerySet], raw_number, *, per_page: int, cap: int) -> CappedPage:
    """:func:`capped_page` over the concatenation of ``parts`` (each ordered, no row in two of them): the same page
    of the same rows as one query ordered by (part, its order) — but each part is counted only as far as the cap
    still needs and read only for the pages it falls on, so each can be served by its own index in its own order
    instead of one query sorting every match of all of them."""
    counts, complete, left = [], [], cap + 1
    for part in parts:
        counts.append(part.order_by()[:left].count() if left > 0 else 0)
        complete.append(counts[-1] < left)
        left -= counts[-1]
    total = sum(counts)
    capped = total > cap
    total = min(total, cap)
    number = min(page_number(raw_number), max(1, -(-total // per_page)))
    skip, items = (number - 1) * per_page, []
    for part, count, counted in zip(parts, counts, complete, strict=True):
        if len(items) == per_page:
            break
        if not counted and skip >= count:  # past the cap (a last page the cap cuts): counted as far as it needed
            count = part.order_by()[: skip + 1].count()
        if skip >= count:
            skip -= count
            continue
        items += list(part[skip: skip + per_page - len(items)])
        skip = 0
    return CappedPage(items, number, per_page, total, capped)
