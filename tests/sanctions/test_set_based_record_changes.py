"""The set-based reaction to record changes (issue #17): a push of hundreds of records across many subjects gives
every subject the evaluation the one-by-one computation gives, removes the red-list memberships a dishonesty record
blocks, costs a number of queries that does not grow with the push, and pushes share one coalesced catch-up."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from records.models import Record
from records.services.ingest import ingest
from records.signals import records_changed
from sanctions import receivers, services, sweeps
from sanctions.models import Evaluation, RecordCursor, RedListEntry
from tests.catalog.factories import make_test_catalog
from tests.records import factories as rf
from tests.sanctions import factories as f


@pytest.mark.django_db
def test_a_500_record_push_gives_every_subject_the_one_by_one_evaluation(department):
    subjects = [f.org(f"批量单位{n}") if n % 4 else f.person(f"批量自然人{n}") for n in range(100)]
    for s in subjects[::10]:  # some subjects already evaluated (the update path), the rest new (the insert path)
        Evaluation.objects.create(subject=s, score=1, grade="D", model_version="old")
    clean = f.org("只有守信信息的单位")
    blocked = subjects[1]  # an organisation with a dishonesty record
    red_clean = RedListEntry.objects.create(subject=clean, department=department, criteria="守信")
    red_blocked = RedListEntry.objects.create(subject=blocked, department=department, criteria="守信")
    ids = f.push_mixed(department, subjects, 5) + [f.record(department, clean, category="trust").pk]
    assert len(ids) == 501

    assert services.on_records_changed(ids) == len(subjects) + 1

    red_clean.refresh_from_db()
    red_blocked.refresh_from_db()
    assert red_clean.status == RedListEntry.Status.LISTED
    assert red_blocked.status == RedListEntry.Status.REMOVED
    assert red_blocked.removal_reason == RedListEntry.Removal.DISHONESTY
    set_based = f.evaluations([*subjects, clean])
    assert set(set_based) == {s.pk for s in [*subjects, clean]}  # no subject skipped
    assert any(r["ref"] == f"red_list:{red_clean.pk}" for r in set_based[clean.pk]["reasons"])

    Evaluation.objects.all().delete()
    for s in [*subjects, clean]:
        services.recompute_evaluation(s)
    assert f.evaluations([*subjects, clean]) == set_based


@pytest.mark.django_db
def test_the_set_based_path_writes_history_like_the_one_by_one_path(department):
    old, new = f.org("已评价单位"), f.org("未评价单位")
    Evaluation.objects.create(subject=old, score=1, grade="D", model_version="old")
    ids = f.push_mixed(department, [old, new], 3)

    services.on_records_changed(ids)

    reasons = dict(Evaluation.history.filter(subject__in=[old, new]).exclude(history_change_reason=None)
                   .values_list("subject_id", "history_change_reason"))
    assert reasons == {old.pk: "重新评价", new.pk: "首次评价"}
    before = Evaluation.history.count()
    services.on_records_changed(ids)  # nothing changed: no new history row
    assert Evaluation.history.count() == before


def _queries_for(department, n_subjects: int, tag: str) -> int:
    subjects = [f.org(f"{tag}{n}") for n in range(n_subjects)]
    for s in subjects[::2]:
        Evaluation.objects.create(subject=s, score=1, grade="D", model_version="old")
    ids = f.push_mixed(department, subjects, 4)
    with CaptureQueriesContext(connection) as ctx:
        services.on_records_changed(ids)
    assert Evaluation.objects.filter(subject__in=subjects).count() == n_subjects
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_push(department):
    small = _queries_for(department, 4, "小批")
    large = _queries_for(department, 100, "大批")
    assert large == small
    assert large <= 22  # the extension's reads (new records, red list, stored evaluations) and its savepoint included


@pytest.mark.django_db
def test_pushes_within_the_window_share_one_catch_up(department, settings):
    settings.SANCTIONS_RECORD_CHANGES_COALESCE_SECONDS = 5
    with mock.patch.object(receivers, "send_now", return_value=True) as send:
        assert receivers.catch_up_soon() is True
        assert receivers.catch_up_soon() is False
        assert receivers.catch_up_soon() is False
        assert send.call_count == 1
        assert send.call_args.kwargs["countdown"] == 5
        sweeps.catch_up()  # the catch-up clears the flag before it reads: the next push sends a new one
        assert receivers.catch_up_soon() is True
        assert send.call_count == 2


@pytest.mark.django_db
def test_a_broker_down_leaves_no_flag_behind(department):
    with mock.patch.object(receivers, "send_now", return_value=False) as send:
        assert receivers.catch_up_soon() is False
        assert receivers.catch_up_soon() is False
        assert send.call_count == 2


@pytest.mark.django_db
def test_the_catch_up_reacts_to_every_change_past_the_watermark(department, settings):
    history = Record.history.model
    last = history.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    RecordCursor.objects.update_or_create(name="records", defaults={"last_history_id": last})
    subjects = [f.org(f"追赶单位{n}") for n in range(30)]
    f.push_mixed(department, subjects, 3)
    settings.SANCTIONS_RECORD_SYNC_BATCH = 20

    touched, more = sweeps.catch_up(max_batches=2)  # 90 history rows, 40 read: a backlog remains
    assert more is True
    touched_rest, more = sweeps.catch_up()
    assert more is False

    assert set(Evaluation.objects.filter(subject__in=subjects).values_list("subject_id", flat=True)) == {
        s.pk for s in subjects}
    newest = history.objects.order_by("-history_id").values_list("history_id", flat=True).first()
    assert RecordCursor.objects.get(name="records").last_history_id == newest
    assert touched >= 1 and touched_rest >= 1


HISTORY_FIELDS = (*f.EVALUATION_FIELDS, "history_type", "history_change_reason", "history_user_id")


def _history(subjects) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for row in Evaluation.history.filter(subject__in=subjects).order_by("history_id").values("subject_id",
                                                                                           *HISTORY_FIELDS):
        out.setdefault(row.pop("subject_id"), []).append(row)
    return out


@pytest.mark.parametrize("profile", ["karamay", "heilongjiang", "qufu", "fuzhou", "zhangye"])
@pytest.mark.django_db
def test_under_every_profile_the_set_based_writes_equal_the_one_by_one_path(department, settings, profile):
    """Values, history rows (type, reason, user) and red-list effects: the set-based path (one JSON parameter on
    PostgreSQL) against ``check_red_list`` + ``recompute_evaluation`` subject by subject, on varied data."""
    settings.CREDIT_POLICY = profile
    subjects = [f.org(f"档案单位{n}") if n % 3 else f.person(f"档案自然人{n}") for n in range(24)]
    for s in subjects[::4]:  # an evaluation already on file, stale (updated) …
        Evaluation.objects.create(subject=s, score=1, grade="D", model_version="old")
    ids = f.push_mixed(department, subjects, 4)
    services.on_records_changed(ids)  # … and one already current for every subject on the second run
    for s in subjects[1::4]:
        RedListEntry.objects.create(subject=s, department=department, criteria="守信")
    Evaluation.objects.filter(subject__in=subjects[2::4]).update(score=2)
    now = timezone.now()

    with mock.patch.object(timezone, "now", return_value=now):
        services.on_records_changed(ids)
    set_based = (f.evaluations(subjects), _history(subjects),
                 sorted(RedListEntry.objects.filter(subject__in=subjects).values_list("subject_id", "status")))

    # the same starting point, then the straightforward computation subject by subject
    Evaluation.history.filter(history_date=now).delete()
    RedListEntry.objects.filter(subject__in=subjects).update(status=RedListEntry.Status.LISTED, removed_at=None,
                                                             removal_reason="")
    for s in subjects:
        snapshot = Evaluation.history.filter(subject=s).order_by("-history_id").first()
        Evaluation.objects.filter(subject=s).update(**{k: getattr(snapshot, k) for k in f.EVALUATION_FIELDS})
    Evaluation.objects.filter(subject__in=subjects[2::4]).update(score=2)
    with mock.patch.object(timezone, "now", return_value=now):
        for s in subjects:
            services.check_red_list(s, actor="system")
            services.recompute_evaluation(s, now=now)
    one_by_one = (f.evaluations(subjects), _history(subjects),
                  sorted(RedListEntry.objects.filter(subject__in=subjects).values_list("subject_id", "status")))
    assert set_based == one_by_one
    assert any(len(rows) > 1 for rows in set_based[1].values())  # updates were written, not only creations


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_a_push_that_commits_after_a_later_one_is_not_left_behind_by_the_watermark(department, other_department):
    """Two departments push at once: the first takes its history ids, the second takes higher ones and commits
    first, and the catch-up runs between the two commits. The watermark must not pass the first push's ids while
    they are not yet visible (they would never be read again): the next catch-up evaluates the first push's subject."""
    make_test_catalog(department, other_department)
    history = Record.history.model
    last = history.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    RecordCursor.objects.update_or_create(name="records", defaults={"last_history_id": last})
    first, second = rf.penalty(), rf.penalty()
    written, go = threading.Event(), threading.Event()

    def hold_the_first_push(sender, **kwargs):
        if threading.current_thread().name == "first-push":
            written.set()  # its history rows are written, not yet committed
            assert go.wait(60)

    records_changed.connect(hold_the_first_push, dispatch_uid="test_hold_the_first_push")
    result: list = []
    thread = threading.Thread(name="first-push", target=lambda: (result.append(ingest(department, [first])),
                                                                 connection.close()))
    try:
        with mock.patch.object(receivers, "send_now", return_value=True):
            thread.start()
            assert written.wait(60)
            assert ingest(department, [second]).created == 1
            sweeps.catch_up()  # sees the second push only
            go.set()
            thread.join(60)
            assert result and result[0].created == 1
            sweeps.catch_up()
    finally:
        go.set()
        records_changed.disconnect(dispatch_uid="test_hold_the_first_push")

    evaluated = set(Evaluation.objects.values_list("subject__code", flat=True))
    assert {first["subject"]["code"], second["subject"]["code"]} <= evaluated
