"""Windows close on time by themselves; a sweep missed for days catches up once; nothing is ever republished."""

from datetime import date

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
