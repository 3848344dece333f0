"""The records' history read past the watermark keeps the ids it could not see yet (sanctions.history_gaps): a push
still open when a later one commits is read when it commits, and a gap no push fills is given up after PATIENCE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from records.models import Record
from sanctions import history_gaps as g, sweeps
from sanctions.models import Evaluation, RecordCursor
from tests.sanctions import factories as f

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
SEEN = NOW.isoformat()


def test_a_batch_leaves_the_ids_it_skipped_as_gaps():
    assert g.between(10, [11, 12, 15, 16, 20], NOW) == [[13, 14, SEEN], [17, 19, SEEN]]
    assert g.between(10, [13], NOW) == [[11, 12, SEEN]]
    assert g.between(10, [11, 12], NOW) == [] == g.between(10, [], NOW)


def test_a_gap_partly_filled_splits_and_keeps_when_it_was_first_seen():
    earlier = (NOW - timedelta(minutes=3)).isoformat()
    assert g.still_missing([[13, 19, earlier], [30, 30, SEEN]], {14, 17, 30}) == [
        [13, 13, earlier], [15, 16, earlier], [18, 19, earlier]]
    assert g.still_missing([[13, 14, SEEN]], set()) == [[13, 14, SEEN]]
    assert g.still_missing([[13, 19, SEEN]], {13, 19, 25}) == [[14, 18, SEEN]]  # found at both edges
    assert g.still_missing([[13, 19, SEEN], [21, 21, SEEN]], set(range(13, 22))) == []


def test_a_gap_is_waited_for_as_long_as_a_push_can_stay_open_and_no_longer():
    just_inside = (NOW - g.PATIENCE + timedelta(seconds=1)).isoformat()
    given_up = (NOW - g.PATIENCE).isoformat()
    assert g.waited_for([[1, 2, just_inside], [5, 5, given_up]], NOW) == [[1, 2, just_inside]]


def test_too_many_gaps_merge_their_nearest_neighbours_and_lose_no_id():
    gaps = [[k * 10, k * 10 + 1, SEEN] for k in range(g.MAX_GAPS + 5)]
    gaps[7] = [70, 78, SEEN]  # 79 → 80: the nearest neighbours
    merged = g.bounded(gaps)
    assert len(merged) == g.MAX_GAPS
    covered = {i for a, b, _ in merged for i in range(a, b + 1)}
    assert covered >= {i for a, b, _ in gaps for i in range(a, b + 1)}
    assert [70, 81, SEEN] in merged


@pytest.mark.django_db
def test_a_gap_no_push_fills_is_given_up_after_patience_and_the_watermark_reads_on(department):
    history = Record.history.model
    subject = f.org("缺口之后推送的单位")
    f.record(department, subject)
    newest = history.objects.order_by("-history_id").values_list("history_id", flat=True).first()
    # the ids just below the newest row are missing, as if a push had rolled back (or were still open)
    RecordCursor.objects.update_or_create(name="records", defaults={"last_history_id": newest - 4, "gaps": []})
    history.objects.filter(history_id__in=range(newest - 3, newest)).delete()
    Evaluation.objects.filter(subject=subject).delete()

    sweeps.record_changes(NOW)
    cursor = RecordCursor.objects.get(name="records")
    assert cursor.last_history_id == newest
    assert cursor.gaps == [[newest - 3, newest - 1, SEEN]]
    assert Evaluation.objects.filter(subject=subject).exists()

    sweeps.record_changes(NOW + g.PATIENCE - timedelta(seconds=1))
    assert RecordCursor.objects.get(name="records").gaps == [[newest - 3, newest - 1, SEEN]]  # still waited for
    sweeps.record_changes(NOW + g.PATIENCE)
    assert RecordCursor.objects.get(name="records").gaps == []
