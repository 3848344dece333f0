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


def _list(record_id: int, department_code: str = "SCJG"):
    """List the record's organisation on the severe list (a court's list of dishonest judgment debtors: listed on
    receipt, so the test needs no defence period)."""
    from credit_platform.models import Department
    from sanctions import services as sanctions

    record = Record.objects.get(pk=record_id)
    return sanctions.list_court_debtor(
        record.subject, department=Department.objects.get(code=department_code), case_number=f"(2026)新02执{record_id}号",
        decision_number=f"(2026)新02执{record_id}号决定", reasons="拒不履行", basis="《最高人民法院关于公布失信被执行人名单信息的若干规定》",
        records=[record], actor="system",
    )


def test_karamay_art15_push_alone_never_derives_personal_records(push):
    """Karamay art. 15 para. 4: the trigger is the organisation's LISTING, not the push of a severe record."""
    row, legal_rep, controller, director = severe_with_persons()
    body = push(row)
    assert body["created"] == 1 and body["derived"] == 0
    assert not Record.objects.filter(parent__isnull=False).exists()
    parent = Record.objects.get(source_ref=row["source_ref"])
    # the persons pushed with the record are kept as data until the listing
    assert {p["code"] for p in parent.responsible_persons} == {legal_rep["code"], controller["code"], director["code"]}
    assert RelatedPerson.objects.filter(organisation=parent.subject).count() == 3


def test_karamay_art15_listing_records_the_severe_information_on_the_responsible_persons(push):
    row, legal_rep, controller, director = severe_with_persons()
    parent_id = push(row)["results"][0]["id"]
    _list(parent_id)
    parent = Record.objects.get(pk=parent_id)
    derived = {r.subject.code: r for r in parent.derived.select_related("subject")}
    assert set(derived) == {legal_rep["code"], controller["code"]}  # directors are not linked (Karamay art. 15)
    rep_record = derived[legal_rep["code"]]
    assert rep_record.parent_id == parent.id and rep_record.status == "active"
    assert rep_record.derived_role == "legal_representative"
    assert rep_record.severity == "severe" and rep_record.category == "dishonesty"
    assert rep_record.basis_number == parent.basis_number
    assert rep_record.subject.type == "natural_person"
    assert rep_record.content["统一社会信用代码"] == row["subject"]["code"]
    assert rep_record.history.first().history_change_reason.startswith("单位列入严重失信主体名单")


def test_karamay_art15_removal_withdraws_and_relisting_restores(push):
    from sanctions import services as sanctions
    from sanctions.models import SevereListEntry

    row, *_ = severe_with_persons()
    parent_id = push(row)["results"][0]["id"]
    entry = _list(parent_id)
    assert Record.objects.filter(parent_id=parent_id, status="active").count() == 2
    sanctions.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="system")
    assert set(Record.objects.filter(parent_id=parent_id).values_list("status", flat=True)) == {"revoked"}
    again = sanctions.list_court_debtor(
        entry.subject, department=entry.department, case_number="(2026)新02执再1号", decision_number="再1",
        reasons="再次拒不履行", basis="同上", records=[Record.objects.get(pk=parent_id)], actor="system")
    assert again.status == "listed"
    assert set(Record.objects.filter(parent_id=parent_id).values_list("status", flat=True)) == {"active"}


def test_persons_on_file_are_linked_on_listing(push):
    code = f.uscc()
    principal = f.person("孙负责")
    basic = f.licence(subject={"type": "legal_person", "code": code, "name": "某公司"},
                      responsible_persons=[{"role": "principal", "code": principal["code"], "name": principal["name"]}])
    push(basic)
    body = push(f.penalty(code=code, severity="severe"))
    assert body["derived"] == 0
    _list(body["results"][0]["id"])
    parent = Record.objects.get(pk=body["results"][0]["id"])
    assert parent.derived.get().subject.code == principal["code"]


def test_repush_while_listed_keeps_derived_records_in_step(push):
    row, legal_rep, *_ = severe_with_persons()
    parent_id = push(row)["results"][0]["id"]
    _list(parent_id)
    assert push(row)["unchanged"] == 1
    assert Record.objects.filter(parent__isnull=False).count() == 2
    changed = dict(row, content=f.penalty_content(**{"处罚内容": "罚款人民币5万元", "罚款金额（万元）": 5.0}))
    assert push(changed)["updated"] == 1
    derived = Record.objects.filter(parent_id=parent_id)
    assert derived.count() == 2 and set(derived.values_list("status", flat=True)) == {"active"}
    for child in derived:
        assert [h.history_type for h in child.history.order_by("history_date", "history_id")] == ["+", "~"]


def test_repush_of_an_unlisted_organisation_still_derives_nothing(push):
    row, *_ = severe_with_persons()
    push(row)
    push(dict(row, content=f.penalty_content(**{"处罚内容": "罚款人民币5万元", "罚款金额（万元）": 5.0})))
    assert not Record.objects.filter(parent__isnull=False).exists()


def test_revoking_the_source_revokes_derived(push, scjg_client):
    row, *_ = severe_with_persons()
    parent_id = push(row)["results"][0]["id"]
    _list(parent_id)
    body = {"reason": "原处罚决定被撤销", "document": {"number": "x号", "issuer": "市政府",
                                                     "issued_on": timezone.localdate().isoformat()}}
    assert scjg_client.post(f"/api/v1/records/{parent_id}/revoke/", body, format="json").status_code == 200
    assert set(Record.objects.filter(parent_id=parent_id).values_list("status", flat=True)) == {"revoked"}


def test_derived_records_cannot_be_corrected_directly(push, scjg_client):
    row, *_ = severe_with_persons()
    _list(push(row)["results"][0]["id"])
    child = Record.objects.filter(parent__isnull=False).first()
    response = scjg_client.patch(f"/api/v1/records/{child.id}/", {"reason": "x", "severity": "general"}, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize(("profile", "roles"), [
    ("heilongjiang", {"direct_responsible"}),  # art. 45
    ("qufu", set()),  # art. 46: legal representative / principal / actual controller only
    ("zhangye", {"direct_responsible"}),  # art. 48
])
def test_heilongjiang45_qufu46_zhangye48_record_on_listing(push, settings, profile, roles):
    settings.CREDIT_POLICY = profile
    settings.CREDIT_POLICY_ALLOW_LAPSED = True
    direct = f.person("周直接")
    rep = f.person("吴法人")
    today = timezone.localdate().isoformat()
    row = f.penalty(severity="severe", decided_on=today, basis_document={"number": "x", "issuer": "y", "issued_on": today},
                    occurred_on=None,
                    responsible_persons=[{"role": "direct_responsible", "code": direct["code"], "name": direct["name"]},
                                         {"role": "legal_representative", "code": rep["code"], "name": rep["name"]}])
    body = push(row)
    assert body["derived"] == 0
    _list(body["results"][0]["id"])
    assert set(Record.objects.filter(parent__isnull=False).values_list("derived_role", flat=True)) == {
        "legal_representative", *roles}


def test_fuzhou_art18_persons_are_only_noted_never_a_personal_record(push, settings):
    """Fuzhou art. 18 "可以标明": the persons stay on the organisation's record; no personal record, no personal listing."""
    settings.CREDIT_POLICY = "fuzhou"
    row, legal_rep, *_ = severe_with_persons()
    parent_id = push(row)["results"][0]["id"]
    entry = _list(parent_id)
    assert not Record.objects.filter(parent__isnull=False).exists()
    assert not entry.linked.exists()
    assert legal_rep["code"] in {p["code"] for p in Record.objects.get(pk=parent_id).responsible_persons}
    from sanctions import documents

    html = documents.decision_html(entry)
    assert "不记入其个人信用记录" in html and "同步记入" not in html


def test_karamay_art15_decision_document_says_the_persons_are_recorded(push):
    from sanctions import documents

    row, *_ = severe_with_persons()
    html = documents.decision_html(_list(push(row)["results"][0]["id"]))
    assert "同步记入负有责任的" in html and "第十五条" in html


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
