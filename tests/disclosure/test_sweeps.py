"""Windows close on time by themselves; a sweep missed for days catches up once; nothing is ever republished."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.test import Client

from credit_platform.models import SweepRun
from disclosure.models import RecordWindow
from disclosure.services import apply_windows, own_records, public_records, severe_list_removed
from records.models import Record
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db


def sweep(day):
    call_command("run_disclosure_sweeps", as_of=day.isoformat())


def test_publicity_ends_when_due_and_a_late_run_catches_up_once(world):
    rec = world["penalty"]
    # Karamay art. 33 defers to NDRC Order 36: a general record is public at most 12 months from the decision
    assert rec.public_until == date(2027, 3, 2)
    assert public_records(date(2027, 3, 2)).filter(pk=rec.pk).exists()
    assert not public_records(date(2027, 3, 3)).filter(pk=rec.pk).exists()  # hidden on time even before the sweep
    sweep(date(2027, 3, 2))
    assert RecordWindow.objects.get(pk=rec.pk).state == "active"
    sweep(date(2027, 3, 12))  # ten days late
    w = RecordWindow.objects.get(pk=rec.pk)
    assert w.state == "archived" and w.archived_on == date(2027, 3, 12)
    rec.refresh_from_db()
    assert rec.status == "expired"
    assert rec.history.first().history_change_reason.startswith("公示")
    acted = SweepRun.objects.filter(name="disclosure_end_publicity").order_by("-started_at").first().acted
    assert acted >= 1
    sweep(date(2027, 3, 13))
    assert SweepRun.objects.filter(name="disclosure_end_publicity").order_by("-started_at").first().acted == 0
    # a recomputation (re-push, correction) never republishes an archived record
    Record.objects.filter(pk=rec.pk).update(decided_on=date(2027, 1, 1), status="active")
    apply_windows([rec.pk])
    assert RecordWindow.objects.get(pk=rec.pk).state == "archived"
    assert not public_records(date(2027, 3, 13)).filter(pk=rec.pk).exists()
    # the subject still sees it (retained)
    assert own_records().filter(pk=rec.pk).exists()


def test_the_old_record_is_archived_by_the_first_run(world):
    sweep(date.today())
    assert RecordWindow.objects.get(pk=world["old"].pk).state == "archived"
    assert RecordWindow.objects.get(pk=world["penalty"].pk).state == "active"
    assert RecordWindow.objects.get(pk=world["licence"].pk).state == "active"  # basic info: long-term


def test_qufu_natural_person_retention_ends_in_shielding(settings, department, items):
    settings.CREDIT_POLICY = "qufu"
    who = f.person("赵六", date(1980, 1, 1))
    rec = f.record(who, items[f.PENALTY], department, decided_on=date(2024, 1, 10), ended_on=date(2024, 2, 1))
    assert rec.retain_until == date(2029, 2, 1)
    w = RecordWindow.objects.get(pk=rec.pk)
    assert w.retain_rule == "natural_person_retention_years" and "第三十六条" in w.retain_article
    sweep(date(2029, 2, 1))
    assert RecordWindow.objects.get(pk=rec.pk).state != "shielded"
    sweep(date(2029, 2, 9))
    assert RecordWindow.objects.get(pk=rec.pk).state == "shielded"
    rec.refresh_from_db()
    assert rec.status == "shielded"
    assert not own_records().filter(pk=rec.pk).exists()


def test_qufu_severe_list_removal_retention_and_restart(settings, department, items):
    settings.CREDIT_POLICY = "qufu"
    company = f.SubjectFactory()
    severe = f.record(company, items[f.PENALTY], department, severity="severe", decided_on=date(2025, 1, 10))
    severe_list_removed([severe.pk], date(2026, 6, 1))
    severe.refresh_from_db()
    assert severe.public_until == date(2026, 6, 1) and severe.retain_until == date(2036, 6, 1)
    apply_windows([severe.pk])  # a recomputation keeps what the removal fixed
    severe.refresh_from_db()
    assert severe.public_until == date(2026, 6, 1) and severe.retain_until == date(2036, 6, 1)
    # a new dishonesty act after the removal, within the 10 years, restarts the retention from the act (Qufu art. 35)
    f.record(company, items[f.PENALTY], department, occurred_on=date(2027, 1, 1), decided_on=date(2027, 2, 1))
    severe.refresh_from_db()
    assert severe.retain_until == date(2037, 1, 1)
    assert RecordWindow.objects.get(pk=severe.pk).retain_until == date(2037, 1, 1)
    sweep(date(2026, 6, 5))
    assert RecordWindow.objects.get(pk=severe.pk).state == "archived"
    assert severe.pk not in {r["id"] for r in Client().get(f"/api/v1/public/subjects/{company.code}/").json()["records"]}


def test_celery_tasks_run_the_same_sweeps(world):
    from disclosure import tasks

    tasks.end_publicity()
    tasks.end_retention()
    assert SweepRun.objects.filter(name__startswith="disclosure_").count() == 2


# --- what the nightly end of publicity selects (two index-served selections) -------------------------------------


def _old_selection(day):
    """The sweep's selection as one straightforward query (what it selected before it was split in two)."""
    from django.db.models import Q

    return set(RecordWindow.objects.filter(state="active", public_until__lte=day).filter(
        Q(public_until__lt=day) | Q(record__status="repaired")).values_list("record_id", flat=True))


@pytest.fixture
def windows_ending_around(department, items):
    """Active windows ending over a few days around 2027-03-10, repaired records (today, earlier, later), windows
    already archived and long-term ones, each on its own record."""
    from disclosure.services import end_publicity as repair_ends_publicity

    company = f.SubjectFactory()

    def window(until=None, *, state="active", repaired_on=None):
        rec = f.record(company, items[f.PENALTY], department)
        RecordWindow.objects.filter(pk=rec.pk).update(public_until=until, state=state)
        Record.objects.filter(pk=rec.pk).update(public_until=until)
        if repaired_on:
            Record.objects.filter(pk=rec.pk).update(status="repaired")
            repair_ends_publicity([rec.pk], repaired_on)
        return rec.pk

    return {
        "ended": [window(date(2027, 3, d)) for d in (1, 5, 9)],
        "ends_today": window(date(2027, 3, 10)),
        "running": window(date(2027, 6, 1)),
        "long_term": window(None),
        "archived_long_ago": window(date(2026, 1, 1), state="archived"),
        "repaired_today": window(date(2027, 6, 1), repaired_on=date(2027, 3, 10)),
        "repaired_earlier": window(date(2027, 6, 1), repaired_on=date(2027, 3, 2)),
        "repaired_later": window(date(2027, 6, 1), repaired_on=date(2027, 3, 11)),
    }


def test_end_publicity_archives_exactly_what_the_single_query_selected_and_nothing_twice(windows_ending_around):
    w, day = windows_ending_around, date(2027, 3, 10)
    expected = _old_selection(day)
    assert expected == {*w["ended"], w["repaired_today"], w["repaired_earlier"]}
    history = {pk: Record.objects.get(pk=pk).history.count() for pk in w["ended"]}

    sweep(day)

    archived = set(RecordWindow.objects.filter(state="archived", archived_on=day).values_list("record_id", flat=True))
    assert archived == expected
    assert RecordWindow.objects.get(pk=w["ends_today"]).state == "active"  # public through its last day
    assert RecordWindow.objects.get(pk=w["repaired_later"]).state == "active"
    assert RecordWindow.objects.get(pk=w["long_term"]).state == "active"
    run = SweepRun.objects.filter(name="disclosure_end_publicity").latest("id")
    # each window archived once; the live records expired, the repaired ones keep their status
    assert run.detail == {"archived": 5, "expired": 3}
    assert set(Record.objects.filter(pk__in=w["ended"]).values_list("status", flat=True)) == {"expired"}
    assert Record.objects.get(pk=w["repaired_today"]).status == "repaired"
    assert all(Record.objects.get(pk=pk).history.count() == n + 1 for pk, n in history.items())  # one row each

    sweep(day)  # the same night again: nothing left
    assert SweepRun.objects.filter(name="disclosure_end_publicity").latest("id").detail == {"archived": 0, "expired": 0}
    assert _old_selection(day) == set()


def test_end_publicity_with_nothing_due_probes_the_earliest_active_end_only(windows_ending_around):
    """Nothing has ended yet: one probe of the partial index of active windows (the earliest end date), no selection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from disclosure.sweeps import end_publicity

    at = datetime(2027, 2, 27, 1, 0, tzinfo=timezone.get_current_timezone())
    with CaptureQueriesContext(connection) as queries:
        assert end_publicity(at) == {"archived": 0, "expired": 0}
    assert len(queries) == 1 and "MIN(" in queries[0]["sql"].upper()
