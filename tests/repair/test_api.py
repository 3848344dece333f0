"""The repair API over HTTP: eligibility for each kind of caller, applications, review, permissions."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from credit_platform import roles
from repair import services
from repair.models import NonRepairableMarking, RepairApplication
from tests.repair import factories as f

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_today(monkeypatch):
    def freeze(day: date):
        moment = datetime(day.year, day.month, day.day, 10, 0, tzinfo=SH)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def url(record):
    return f"/api/v1/records/{record.pk}/repair-eligibility/"


def test_department_system_asks_eligibility_of_its_own_record(department, token_client, frozen_today):
    frozen_today(date(2026, 3, 1))
    record = f.record(department, severity="general", decided_on=date(2026, 1, 15))
    response = token_client(department).get(url(record))
    assert response.status_code == 200
    body = response.json()
    assert body["eligible"] is False
    assert body["earliest_date"] == "2026-04-16"
    assert [r["code"] for r in body["reasons"]] == ["min_period_not_elapsed"]
    assert set(body["reasons"][0]) == {"code", "message", "article"}
    assert body["requirements"]


def test_other_department_gets_404(department, other_department, token_client):
    record = f.record(department)
    assert token_client(other_department).get(url(record)).status_code == 404


def test_holding_department_may_ask(department, other_department, token_client):
    from records.models import Subscription
    from records.outbox import register_holding

    record = f.record(department)
    sub = Subscription.objects.create(name="税务局", department=other_department, url="http://127.0.0.1:9/hook")
    register_holding(record, sub)
    assert token_client(other_department).get(url(record)).status_code == 200


def test_officials(department, other_department, make_official, client_for):
    record = f.record(department)
    centre = make_official("centre", roles.PLATFORM_ADMIN)
    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=department)
    stranger = make_official("stranger", roles.DEPARTMENT_OFFICER, department=other_department)
    assert client_for(centre).get(url(record)).status_code == 200
    assert client_for(officer).get(url(record)).status_code == 200
    assert client_for(stranger).get(url(record)).status_code == 404


def test_citizen_sees_own_record_only(department, citizen, other_citizen, act_for, client_for):
    record = f.record(department)
    act_for(citizen, record.subject)
    assert client_for(citizen).get(url(record)).status_code == 200
    assert client_for(other_citizen).get(url(record)).status_code == 404


def test_anonymous_is_refused(department, client):
    record = f.record(department)
    assert client.get(url(record)).status_code in (401, 403)


def test_non_repairable_marking_shows_in_api(department, token_client, settings):
    settings.CREDIT_POLICY = "fuzhou"
    record = f.record(department, decided_on=date(2025, 1, 10))
    NonRepairableMarking.objects.create(record=record, case="health_or_life")
    body = token_client(department).get(url(record)).json()
    assert body["eligible"] is False and body["earliest_date"] is None
    assert body["reasons"][0]["code"] == "non_repairable_case"
    assert "第二十二条" in body["reasons"][0]["article"]


# --- applications ----------------------------------------------------------------------------------------------------


def _apply_payload(record, name="张伟"):
    return {
        "record": record.pk, "applicant_name": name, "correction_statement": "已缴清罚款并完成整改。",
        "commitment": services.commitment_text(record, name), "evidence_correction": [f.pdf()],
    }


def test_citizen_applies_and_is_refused_at_once_with_the_date(department, citizen, act_for, client_for, frozen_today):
    frozen_today(date(2026, 3, 1))
    record = f.record(department, decided_on=date(2026, 1, 15))
    act_for(citizen, record.subject)
    response = client_for(citizen).post("/api/v1/repair/applications/", _apply_payload(record), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "refused"
    assert body["earliest_date"] == "2026-04-16"
    assert body["eligibility"]["reasons"][0]["code"] == "min_period_not_elapsed"
    assert body["accept_due"] is None


def test_citizen_applies_and_reviewer_decides(department, citizen, act_for, client_for, make_official, frozen_today):
    frozen_today(date(2026, 9, 28))
    record = f.record(department, decided_on=date(2026, 1, 15))
    act_for(citizen, record.subject)
    created = client_for(citizen).post("/api/v1/repair/applications/", _apply_payload(record), format="multipart")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "submitted"
    # received Monday 28 Sep 2026 (not counted): 29 Sep, 30 Sep, then 1-7 Oct is the National Day holiday
    assert body["accept_due"] == "2026-10-08"
    assert body["evidence"][0]["content_type"] == "application/pdf"
    number = body["number"]

    reviewer = make_official("reviewer", roles.REPAIR_REVIEWER)
    api = client_for(reviewer)
    frozen_today(date(2026, 9, 29))
    accepted = api.post(f"/api/v1/repair/applications/{number}/accept/", {"reason": "材料齐全"}, format="json")
    assert accepted.status_code == 200, accepted.content
    # 10 wd from 29 Sep: 30 Sep, 8, 9, 10 (adjusted working Saturday), 12-16, 19 Oct
    assert accepted.json()["decision_due"] == "2026-10-19"

    no_reason = api.post(f"/api/v1/repair/applications/{number}/decide/", {"outcome": "approved", "reason": ""}, format="json")
    assert no_reason.status_code == 400
    decided = api.post(f"/api/v1/repair/applications/{number}/decide/", {"outcome": "approved", "reason": "已履行处罚、作出承诺"}, format="json")
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    record.refresh_from_db()
    assert record.status == "repaired" and record.public_until == date(2026, 9, 29)

    # the citizen follows it; another citizen cannot
    assert client_for(citizen).get(f"/api/v1/repair/applications/{number}/").json()["status"] == "approved"
    eligibility = client_for(citizen).get(url(record)).json()
    assert eligibility["reasons"][0]["code"] == "already_repaired"


def test_citizen_cannot_decide_or_apply_for_another(department, citizen, other_citizen, act_for, client_for):
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    assert client_for(other_citizen).post("/api/v1/repair/applications/", _apply_payload(record), format="multipart").status_code == 404
    number = client_for(citizen).post("/api/v1/repair/applications/", _apply_payload(record), format="multipart").json()["number"]
    assert client_for(other_citizen).get(f"/api/v1/repair/applications/{number}/").status_code == 404
    forbidden = client_for(citizen).post(f"/api/v1/repair/applications/{number}/accept/", {}, format="json")
    assert forbidden.status_code == 403
    assert client_for(other_citizen).get("/api/v1/repair/applications/").json() == []


def test_second_open_application_is_refused(department, citizen, act_for, client_for):
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    api = client_for(citizen)
    assert api.post("/api/v1/repair/applications/", _apply_payload(record), format="multipart").status_code == 201
    again = api.post("/api/v1/repair/applications/", _apply_payload(record), format="multipart")
    assert again.status_code == 409 and again.json()["code"] == "application_open"


def test_evidence_is_sniffed_and_commitment_checked(department, citizen, act_for, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    api = client_for(citizen)
    fake = _apply_payload(record)
    fake["evidence_correction"] = [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")]
    response = api.post("/api/v1/repair/applications/", fake, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "evidence_type"
    missing = _apply_payload(record)
    missing.pop("evidence_correction")
    assert api.post("/api/v1/repair/applications/", missing, format="multipart").json()["code"] == "evidence_required"
    tampered = _apply_payload(record)
    tampered["commitment"] = "我承诺。"
    assert api.post("/api/v1/repair/applications/", tampered, format="multipart").json()["code"] == "commitment_mismatch"
    assert RepairApplication.objects.count() == 0


def test_evidence_size_limit(department, citizen, act_for, client_for, settings):
    settings.REPAIR_EVIDENCE_MAX_BYTES = 100
    record = f.record(department, decided_on=date(2025, 1, 15))
    act_for(citizen, record.subject)
    payload = _apply_payload(record)
    payload["evidence_correction"] = [f.pdf(body=f.PDF + b"0" * 200)]
    response = client_for(citizen).post("/api/v1/repair/applications/", payload, format="multipart")
    assert response.json()["code"] == "evidence_too_large"


def test_official_registers_paper_application(department, make_official, client_for):
    record = f.record(department, decided_on=date(2025, 1, 15))
    reviewer = make_official("reviewer", roles.REPAIR_REVIEWER)
    payload = _apply_payload(record, name="李四")
    payload.pop("evidence_correction")
    response = client_for(reviewer).post("/api/v1/repair/applications/", payload, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "paper"
    app = RepairApplication.objects.get()
    assert app.registered_by == reviewer and app.applicant is None


def test_department_reviewer_only_handles_own_department(department, other_department, make_official, client_for):
    record = f.record(department, decided_on=date(2025, 1, 15))
    app = services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                         commitment=services.commitment_text(record, "李四"), channel="paper",
                         registered_by=make_official("clerk", roles.REPAIR_REVIEWER))
    outsider = make_official("outsider", roles.REPAIR_REVIEWER, department=other_department)
    insider = make_official("insider", roles.REPAIR_REVIEWER, department=department)
    assert client_for(outsider).post(f"/api/v1/repair/applications/{app.number}/accept/", {}, format="json").status_code == 404
    assert client_for(insider).post(f"/api/v1/repair/applications/{app.number}/accept/", {}, format="json").status_code == 200


def test_department_system_decides_via_api(department, token_client):
    record = f.record(department, decided_on=date(2025, 1, 15))
    app = services.apply(record, applicant_name="李四", correction_statement="整改完毕",
                         commitment=services.commitment_text(record, "李四"), channel="paper", registered_by=object.__new__(type("X", (), {"pk": None})))
    api = token_client(department)
    assert api.post(f"/api/v1/repair/applications/{app.number}/accept/", {}, format="json").status_code == 200
    response = api.post(f"/api/v1/repair/applications/{app.number}/decide/", {"outcome": "rejected", "reason": "罚款未缴清"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_commitment_text_endpoint(department, token_client):
    record = f.record(department)
    body = token_client(department).get(f"/api/v1/records/{record.pk}/repair-commitment/?applicant_name=李四").json()
    assert "李四" in body["text"] and record.source_ref in body["text"]


def test_schema_generates(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"repair-eligibility" in response.content
