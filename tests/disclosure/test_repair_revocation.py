"""A revoked repair brings publicity back even after the disclosure sweep archived the window — the one lawful
re-opening (Fuzhou art. 23 through the profile's ``repair_revocable_on_fraud``); nothing else ever reopens one."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from credit_platform import roles
from credit_platform.policies import national
from disclosure.models import RecordWindow
from disclosure.services import apply_windows, public_records, reopen_publicity
from records.models import Record
from repair import services as repair
from repair.models import RepairApplication
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db


def sweep(day=None):
    call_command("run_disclosure_sweeps", as_of=(day or timezone.localdate()).isoformat())


def public_ids(code) -> list[int]:
    response = Client().get(f"/api/v1/public/subjects/{code}/")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["records"]]


def approved_repair(record, reviewer) -> RepairApplication:
    app = repair.apply(record, applicant_name="经办人", correction_statement="已缴清罚款并整改",
                       commitment=repair.commitment_text(record, "经办人"), channel="paper", registered_by=reviewer)
    assert app.status == "submitted", app.eligibility
    repair.accept(app, actor=reviewer)
    return repair.decide(RepairApplication.objects.get(pk=app.pk), actor=reviewer, approve=True, reason="已履行处罚决定")


@pytest.fixture
def reviewer(make_official):
    return make_official("reviewer", roles.REPAIR_REVIEWER)


@pytest.mark.parametrize("profile, article", [("karamay", national.ORDER_36), ("fuzhou", "第二十三条")])
def test_revoked_repair_is_public_again_after_the_sweep_archived_it(settings, department, items, reviewer, profile, article):
    settings.CREDIT_POLICY = profile
    company = f.SubjectFactory(name="克拉玛依示例能源有限公司")
    rec = f.record(company, items[f.PENALTY], department)
    natural_end = rec.public_until
    assert natural_end > timezone.localdate()
    assert rec.pk in public_ids(company.code)

    app = approved_repair(rec, reviewer)
    assert rec.pk not in public_ids(company.code)
    sweep()
    sweep(timezone.localdate() + timedelta(days=1))  # archived by the next day's run at the latest
    window = RecordWindow.objects.get(pk=rec.pk)
    assert window.state == "archived" and window.archived_on is not None
    apply_windows([rec.pk])  # an ordinary recomputation never reopens it
    assert RecordWindow.objects.get(pk=rec.pk).state == "archived"

    repair.revoke(RepairApplication.objects.get(pk=app.pk), actor=reviewer, ground="fraud", reason="伪造缴款凭证")

    assert rec.pk in public_ids(company.code)
    rec.refresh_from_db()
    window = RecordWindow.objects.get(pk=rec.pk)
    assert rec.status == "active" and rec.public_until == natural_end  # as if the repair had never happened
    assert window.state == "active" and window.archived_on is None and window.public_until == natural_end
    assert article in window.window_article and "repair_revocable_on_fraud" in window.window_rule
    assert "信用修复结果已撤销" in window.window_reason
    assert rec.history.filter(history_change_reason__startswith="信用修复结果已撤销，恢复公示").exists()
    # the next sweeps leave it public until its own window ends
    sweep()
    assert rec.pk in public_ids(company.code)


def test_reopen_touches_only_restored_records_and_never_shielded_ones(department, items):
    company = f.SubjectFactory()
    repaired = f.record(company, items[f.PENALTY], department)
    shielded = f.record(company, items[f.PENALTY], department)
    Record.objects.filter(pk=repaired.pk).update(status="repaired", public_until=timezone.localdate())
    RecordWindow.objects.filter(pk=repaired.pk).update(state="archived", archived_on=timezone.localdate())
    RecordWindow.objects.filter(pk=shielded.pk).update(state="shielded", shielded_on=timezone.localdate())
    assert reopen_publicity([repaired.pk, shielded.pk]) == 0
    assert RecordWindow.objects.get(pk=repaired.pk).state == "archived"
    assert RecordWindow.objects.get(pk=shielded.pk).state == "shielded"


def test_reopened_window_that_ran_out_meanwhile_is_not_public_and_the_sweep_archives_it(department, items):
    company = f.SubjectFactory()
    old = f.record(company, items[f.PENALTY], department, decided_on=date(2023, 1, 10), occurred_on=date(2022, 12, 1))
    RecordWindow.objects.filter(pk=old.pk).update(state="archived", archived_on=date(2025, 6, 1))
    assert reopen_publicity([old.pk]) == 1
    assert not public_records().filter(pk=old.pk).exists()
    sweep()
    old.refresh_from_db()
    assert RecordWindow.objects.get(pk=old.pk).state == "archived" and old.status == "expired"
