"""The joint check through HTTP: matters, answers, proportionality, publication, feedback and the audit."""

from __future__ import annotations

import pytest

from sanctions import joint_check, services
from sanctions.models import CheckedMeasure, JointCheck, Measure

from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/joint-check/"


@pytest.fixture
def lists(procurement):
    """A published list with a general and a severe-tier measure on procurement, and an unpublished draft list."""
    published = f.measure_list()
    general = f.measure(published, code="CG-GENERAL", name="政府采购中给予信用减分", matters=[procurement],
                        severities=["general", "severe", "specific_severe"], rights_impact="facilitation")
    severe = f.measure(published, code="CG-SEVERE", name="限制参加政府采购活动", matters=[procurement], tier="severe",
                       severities=["severe", "specific_severe"])
    f.publish(published)
    draft = f.measure_list()
    unpublished = f.measure(draft, code="CG-DRAFT", name="草案中的措施", matters=[procurement])
    return {"general": general, "severe": severe, "unpublished": unpublished}


def ask(client, subject, matter="government_procurement"):
    response = client.post(URL, {"subject": subject.code, "matter": matter}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_matters_are_listed(client_scjg, procurement, licensing):
    response = client_scjg.get(URL + "matters/")
    assert response.status_code == 200
    codes = [m["code"] for m in response.json()]
    assert {"government_procurement", "administrative_licence"} <= set(codes)


def test_anonymous_and_citizens_cannot_ask(api_client_anonymous, procurement):
    response = api_client_anonymous.post(URL, {"subject": "x", "matter": "government_procurement"}, format="json")
    assert response.status_code in (401, 403)


def test_general_record_gets_only_the_general_measure(client_scjg, department, lists):
    subject = f.org()
    rec = f.record(department, subject, severity="general")
    answer = ask(client_scjg, subject)
    codes = [m["code"] for m in answer["measures"]]
    assert codes == ["CG-GENERAL"]  # the severe-tier measure is never applied for a general act
    m = answer["measures"][0]
    assert m["kind"] == "punishment" and m["legal_basis"] and m["because"] == [f"record:{rec.pk}"]
    assert answer["check_id"] and answer["subject_found"] is True


def test_severe_record_gets_both(client_scjg, department, lists):
    subject = f.org()
    f.record(department, subject, severity="severe")
    codes = {m["code"] for m in ask(client_scjg, subject)["measures"]}
    assert codes == {"CG-GENERAL", "CG-SEVERE"}


def test_unpublished_measure_is_never_returned(client_scjg, department, lists):
    subject = f.org()
    f.record(department, subject, severity="severe")
    assert "CG-DRAFT" not in {m["code"] for m in ask(client_scjg, subject)["measures"]}
    services.withdraw_measure(Measure.objects.get(code="CG-GENERAL"), actor="t", reason="依据废止")
    assert {m["code"] for m in ask(client_scjg, subject)["measures"]} == {"CG-SEVERE"}


def test_no_measure_for_revoked_or_repaired_records_or_other_matters(client_scjg, department, lists, licensing):
    subject = f.org()
    f.record(department, subject, severity="severe", status="repaired")
    f.record(department, subject, severity="severe", status="revoked")
    assert ask(client_scjg, subject)["measures"] == []
    f.record(department, subject, severity="severe")
    assert ask(client_scjg, subject, "administrative_licence")["measures"] == []


def test_unknown_subject_and_matter(client_scjg, lists):
    unknown = "91650200000007771F"  # a well-formed USCC no record is held for
    answer = client_scjg.post(URL, {"subject": unknown, "matter": "government_procurement"}, format="json").json()
    assert answer["subject_found"] is False and answer["measures"] == []
    response = client_scjg.post(URL, {"subject": unknown, "matter": "nope"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_matter"


def test_each_check_is_logged(client_scjg, department, lists):
    subject = f.org()
    f.record(department, subject, severity="general")
    answer = ask(client_scjg, subject)
    check = JointCheck.objects.get(check_id=answer["check_id"])
    assert check.department == department and check.subject == subject and check.answer["measures"]
    assert check.requested_by.startswith("api:")
    from accounts.models import QueryLogEntry

    entry = QueryLogEntry.objects.get(reference=answer["check_id"][:64])
    assert entry.subject_id == subject.pk and entry.action == "government"
    with pytest.raises(Exception):
        check.save()


def test_feedback_applied_and_not_applied_needs_a_reason(client_scjg, token_client, other_department, department, lists):
    subject = f.org()
    f.record(department, subject, severity="severe")
    answer = ask(client_scjg, subject)
    url = f"{URL}{answer['check_id']}/feedback/"
    bad = client_scjg.post(url, {"results": [{"measure": "CG-GENERAL", "outcome": "not_applied"}]}, format="json")
    assert bad.status_code == 400 and "results[0].reason" in bad.json()["fields"]
    foreign = client_scjg.post(url, {"results": [{"measure": "CG-DRAFT", "outcome": "applied"}]}, format="json")
    assert foreign.status_code == 400
    other = token_client(other_department).post(url, {"outcome": "applied"}, format="json")
    assert other.status_code == 404
    ok = client_scjg.post(url, {"results": [
        {"measure": "CG-GENERAL", "outcome": "not_applied", "reason": "该项目不适用信用评价加减分"},
        {"measure": "CG-SEVERE", "outcome": "applied"},
    ]}, format="json")
    assert ok.status_code == 200, ok.content
    outcomes = {r["measure"]: r["outcome"] for r in ok.json()["feedback"]}
    assert outcomes == {"CG-GENERAL": "not_applied", "CG-SEVERE": "applied"}
    again = client_scjg.post(url, {"results": [{"measure": "CG-SEVERE", "outcome": "applied"}]}, format="json")
    assert again.status_code == 200  # the same answer twice is fine
    changed = client_scjg.post(url, {"results": [{"measure": "CG-SEVERE", "outcome": "not_applied", "reason": "x"}]},
                               format="json")
    assert changed.status_code == 409
    detail = client_scjg.get(f"{URL}{answer['check_id']}/").json()
    assert {r["measure"] for r in detail["feedback"]} == {"CG-GENERAL", "CG-SEVERE"}


def test_feedback_rates_and_audit(client_scjg, department, lists):
    subject = f.org()
    f.record(department, subject, severity="severe")
    first = ask(client_scjg, subject)
    ask(client_scjg, subject)
    client_scjg.post(f"{URL}{first['check_id']}/feedback/", {"outcome": "applied"}, format="json")
    [row] = joint_check.feedback_rates()
    assert row["department"] == department and row["checks"] == 2 and row["returned"] == 4
    assert row["applied"] == 2 and row["pending"] == 2 and row["rate"] == 0.5
    assert joint_check.audit_applied() == []
    # A measure applied outside a published list would be caught (simulate by back-dating the publication).
    lst = Measure.objects.get(code="CG-SEVERE").measure_list
    type(lst).objects.filter(pk=lst.pk).update(published_at=JointCheck.objects.latest("asked_at").asked_at.replace(year=2099))
    assert {v.measure for v in joint_check.audit_applied()} == {"CG-GENERAL", "CG-SEVERE"}


def test_applied_is_refused_once_the_basis_is_repaired(client_scjg, department, lists):
    subject = f.org()
    rec = f.record(department, subject, severity="general")
    answer = ask(client_scjg, subject)
    rec.status = "repaired"
    rec.save()
    services.on_record_repaired(rec, actor="t", reason="已修复")
    response = client_scjg.post(f"{URL}{answer['check_id']}/feedback/", {"outcome": "applied"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "basis_gone"
    assert CheckedMeasure.objects.filter(outcome="applied").count() == 0


def test_incentive_for_red_list_and_never_with_dishonesty(client_scjg, department, procurement, profile):
    profile("karamay")
    lst = f.measure_list(title="守信激励措施清单")
    f.measure(lst, code="JL-1", name="政府采购中给予信用加分", kind="incentive", trigger="red_list", tier="",
              categories=[], severities=[], rights_impact="none", matters=[procurement], basis_level="local_regulation")
    f.publish(lst)
    subject = f.org()
    f.record(department, subject, category="trust")
    entry = services.add_to_red_list(subject, department=department, criteria="连续三年纳税信用A级", actor="t")
    answer = ask(client_scjg, subject)
    assert [(m["code"], m["kind"], m["because"]) for m in answer["measures"]] == [
        ("JL-1", "incentive", [f"red_list:{entry.pk}"])]


def test_audit_command(client_scjg, department, lists):
    from io import StringIO

    from django.core.management import call_command

    subject = f.org()
    f.record(department, subject, severity="severe")
    answer = ask(client_scjg, subject)
    client_scjg.post(f"{URL}{answer['check_id']}/feedback/", {"outcome": "applied"}, format="json")
    out = StringIO()
    call_command("sanctions_audit", stdout=out)
    assert "OK: 2" in out.getvalue()
