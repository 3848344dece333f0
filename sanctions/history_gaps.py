"""Gaps in the records' history read past the watermark (``sweeps._record_changes``).

History ids are handed out when a push writes its rows, not when it commits: while one push is still open, a push
that started later can commit higher ids. A reader that moved its watermark past them would never read the first
push's rows — its subjects would keep an evaluation without those records, and a red-list membership a new
dishonesty record ends (Heilongjiang art. 43) would stay. So the ids missing between the rows a batch reads are
kept as gaps, ``[first id, last id, when first seen]``, and every batch reads the rows that have since appeared in
them. A gap still empty after ``PATIENCE`` is given up: its ids belonged to a push that rolled back (or a sequence
that skipped ahead), since no push stays open that long.

Pure functions over plain lists (the cursor stores them as JSON).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Q

from records.watermark import SETTLE

#: how long a missing history id is waited for (as long as the disclosure watermark waits for an open push)
PATIENCE = SETTLE
#: at most this many gaps are kept: beyond it the nearest neighbours are merged (reading a row twice is harmless —
#: reacting is idempotent —, losing one is not)
MAX_GAPS = 200

Gap = list  # [first missing id, last missing id, ISO time first seen]


def between(start: int, read_ids: Sequence[int], now: datetime) -> list[Gap]:
    """The gaps a batch leaves: the ids after ``start`` and before the last of ``read_ids`` (sorted) not read."""
    gaps, previous = [], start
    for i in read_ids:
        if i > previous + 1:
            gaps.append([previous + 1, i - 1, now.isoformat()])
        previous = max(previous, i)
    return gaps


def still_missing(gaps: Iterable[Gap], found: Iterable[int]) -> list[Gap]:
    """``gaps`` less the ids ``found`` in them (a gap partly filled splits; the time first seen is kept)."""
    found = sorted(set(found))
    out = []
    for first, last, since in gaps:
        lo = first
        for i in found[bisect_left(found, first):bisect_right(found, last)]:
            if i > lo:
                out.append([lo, i - 1, since])
            lo = i + 1
        if lo <= last:
            out.append([lo, last, since])
    return out


def waited_for(gaps: Iterable[Gap], now: datetime) -> list[Gap]:
    """The gaps first seen less than ``PATIENCE`` ago."""
    return [g for g in gaps if datetime.fromisoformat(g[2]) > now - PATIENCE]


def bounded(gaps: list[Gap]) -> list[Gap]:
    """At most ``MAX_GAPS`` gaps, merging the two nearest neighbours (keeping the earlier time) until it holds."""
    gaps = sorted(gaps)
    while len(gaps) > MAX_GAPS:
        n = min(range(len(gaps) - 1), key=lambda k: gaps[k + 1][0] - gaps[k][1])
        a, b = gaps[n], gaps[n + 1]
        gaps[n:n + 2] = [[a[0], b[1], min(a[2], b[2])]]
    return gaps


def lookup(gaps: Iterable[Gap], field: str = "history_id") -> Q | None:
    """A filter for the rows inside ``gaps`` (None without gaps)."""
    ranges = [Q(**{f"{field}__range": (first, last)}) for first, last, _ in gaps]
    return reduce(or_, ranges) if ranges else None
