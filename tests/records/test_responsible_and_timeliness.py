"""Responsible persons of severe dishonesty (Karamay art. 15, Heilongjiang art. 45, Qufu art. 46) and push
timeliness (Heilongjiang art. 22)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from credit_platform.workdays import add_working_days
from records.models import Record, RelatedPerson, Subject
from records.services.timeliness import on_time_rates

from tests.records import factories as f

pytestmark = pytest.mark.django_db


def years_ago(years: int):
    """Today's date ``years`` ago (29 February safe: a date bomb every leap day otherwise)."""
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def severe_with_persons(**overrides):
    legal_rep = f.person("王法人", code_type="ric")
    controller = f.person("赵控制")
    director = f.person("钱董事")
    overrides.setdefault("severity", "severe")
    row = f.penalty(responsible_persons=[
        {"role": "legal_representative", **{k: legal_rep[k] for k in ("code", "name")}},
        {"role": "actual_controller", **{k: controller[k] for k in ("code", "name")}},
        {"role": "director", **{k: director[k] for k in ("code", "name")}},
    ], **overrides)
    return row, legal_rep, controller, director


def test_severe_dishonesty_is_recorded_on_the_responsible_persons(push):
    row, legal_rep, controller, director = severe_with_persons()
    body = push(row)
    assert body["created"] == 1 and body["derived"] == 2
    parent = Record.objects.get(source_ref=row["source_ref"])
    derived = {r.subject.code: r for r in parent.derived.select_related("subject")}
    assert set(derived) == {legal_rep["code"], controller["code"]}  # directors are not linked (Karamay art. 15)
    rep_record = derived[legal_rep["code"]]
    assert rep_record.parent_id == parent.id
    assert rep_record.derived_role == "legal_representative"
    assert rep_record.severity == "severe" and rep_record.category == "dishonesty"
    assert rep_record.basis_number == parent.basis_number
    assert rep_record.subject.type == "natural_person"
    assert rep_record.content["统一社会信用代码"] == row["subject"]["code"]
    # everyone named is kept on file as the organisation's related persons (Karamay art. 11)
    assert RelatedPerson.objects.filter(organisation=parent.subject).count() == 3


def test_persons_on_file_are_linked_too(push):
    code = f.uscc()
    principal = f.person("孙负责")
    basic = f.licence(subject={"type": "legal_person", "code": code, "name": "某公司"},
                      responsible_persons=[{"role": "principal", "code": principal["code"], "name": principal["name"]}])
    push(basic)
    body = push(f.penalty(code=code, severity="severe"))
    assert body["derived"] == 1
    parent = Record.objects.get(pk=body["results"][0]["id"])
    assert parent.derived.get().subject.code == principal["code"]


def test_general_dishonesty_and_natural_persons_are_not_derived(push):
    row, *_ = severe_with_persons(severity="general")
    assert push(row)["derived"] == 0
    assert Record.objects.filter(parent__isnull=False).count() == 0


def test_repush_keeps_derived_records_in_step(push):
    row, legal_rep, *_ = severe_with_persons()
    push(row)
    assert push(row)["unchanged"] == 1
    assert Record.objects.filter(parent__isnull=False).count() == 2
    downgraded = dict(row, severity="general")
    assert push(downgraded)["updated"] == 1
    derived = Record.objects.filter(parent__isnull=False)
    assert derived.count() == 2 and set(derived.values_list("status", flat=True)) == {"revoked"}


def test_revoking_the_source_revokes_derived(push, scjg_client):
    row, *_ = severe_with_persons()
    parent_id = push(row)["results"][0]["id"]
    body = {"reason": "原处罚决定被撤销", "document": {"number": "x号", "issuer": "市政府",
                                                     "issued_on": timezone.localdate().isoformat()}}
    assert scjg_client.post(f"/api/v1/records/{parent_id}/revoke/", body, format="json").status_code == 200
    assert set(Record.objects.filter(parent_id=parent_id).values_list("status", flat=True)) == {"revoked"}


def test_derived_records_cannot_be_corrected_directly(push, scjg_client):
    row, *_ = severe_with_persons()
    push(row)
    child = Record.objects.filter(parent__isnull=False).first()
    response = scjg_client.patch(f"/api/v1/records/{child.id}/", {"reason": "x", "severity": "general"}, format="json")
    assert response.status_code == 409


def test_heilongjiang_links_direct_responsible_persons(push, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    direct = f.person("周直接")
    row = f.penalty(severity="severe", decided_on=timezone.localdate().isoformat(),
                    basis_document={"number": "x", "issuer": "y", "issued_on": timezone.localdate().isoformat()},
                    occurred_on=None,
                    responsible_persons=[{"role": "direct_responsible", "code": direct["code"], "name": direct["name"]}])
    assert push(row)["derived"] == 1


# --- timeliness --------------------------------------------------------------------------------------------------
def test_late_push_is_accepted_and_flagged(push, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    today = timezone.localdate()
    old = today - timedelta(days=30)
    late = f.penalty(decided_on=old.isoformat(), occurred_on=old.isoformat(),
                     basis_document={"number": "x", "issuer": "y", "issued_on": old.isoformat()})
    fresh = f.penalty(decided_on=today.isoformat(), occurred_on=today.isoformat(),
                      basis_document={"number": "x", "issuer": "y", "issued_on": today.isoformat()})
    body = push(late, fresh)
    assert body["created"] == 2 and body["late"] == 1
    late_record = Record.objects.get(source_ref=late["source_ref"])
    assert late_record.push_due == add_working_days(old, 5).date
    assert late_record.pushed_late is True
    assert Record.objects.get(source_ref=fresh["source_ref"]).pushed_late is False
    rates = on_time_rates()
    assert rates[late_record.source_department_id]["rate"] == 0.5


def test_timely_without_a_number_is_not_flagged(push):
    """Karamay art. 17 says "timely" with no number: no due date, nothing flagged."""
    push(f.penalty())
    record = Record.objects.get()
    assert record.push_due is None and record.pushed_late is None


def test_repush_does_not_reset_the_first_receipt(push, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    row = f.penalty()
    push(row)
    first = Record.objects.get()
    push(dict(row, severity="severe"))
    first.refresh_from_db()
    assert first.pushed_late is True
    assert Record.objects.get().received_at == first.received_at


def test_subject_birth_date_and_minor_flag(push):
    born = years_ago(30)
    from tests.catalog.factories import OPEN

    push({"source_ref": "P-1", "catalog_item": OPEN, "subject": f.person("成年人", born=born), "content": {}})
    record = Record.objects.get()
    assert record.is_minor is False
    assert Subject.objects.get(pk=record.subject_id).birth_date == born


def test_provisional_push_due_dates_are_recomputed(push, settings):
    """A due date counted into a year whose schedule is not entered is provisional; entering it recomputes."""
    from records.services.timeliness import recompute_provisional

    settings.CREDIT_POLICY = "heilongjiang"
    push(f.penalty())
    record = Record.objects.get()
    Record.objects.filter(pk=record.pk).update(push_due=record.push_due + timedelta(days=30), push_due_provisional=True)
    assert recompute_provisional(record.push_due.year) == 1
    record.refresh_from_db()
    assert record.push_due == add_working_days(record.decided_on, 5).date
    assert record.push_due_provisional is False
