"""POST/GET /api/v1/objections/ as a client would call them (Issue 5 §7), with the pinned clock."""

from __future__ import annotations

import pytest
from django.db import transaction

from credit_platform import roles
from credit_platform.models import CalendarDay
from credit_platform.workdays import mark_year_complete
from objections.models import Objection
from tests.objections.factories import make_record

pytestmark = pytest.mark.django_db

KARAMAY = [
    ("2026-09-30T10:00:00+08:00", "2026-10-09", "2026-10-15", "2026-10-27", False),
    ("2026-02-13T10:00:00+08:00", "2026-02-24", "2026-03-02", None, False),
    ("2026-10-03T10:00:00+08:00", "2026-10-09", None, None, False),
    ("2026-11-24T00:30:00+08:00", "2026-11-26", None, None, False),
    ("2026-11-23T16:30:00Z", "2026-11-26", None, None, False),  # the same moment written in UTC
    ("2026-12-28T10:00:00+08:00", "2026-12-30", None, None, True),
]
HEILONGJIANG = [
    ("2026-09-30T10:00:00+08:00", "2026-10-08", "2026-10-10"),
    ("2026-02-13T10:00:00+08:00", "2026-02-14", "2026-02-25"),
    ("2026-10-03T10:00:00+08:00", "2026-10-08", "2026-10-10"),
    ("2026-11-24T00:30:00+08:00", "2026-11-25", "2026-11-27"),
    ("2026-12-28T10:00:00+08:00", "2026-12-29", "2026-12-31"),
]


@pytest.mark.parametrize("received_at, mark, decision, cap, provisional", KARAMAY)
def test_karamay_due_dates_over_http(file_api, record, frozen, received_at, mark, decision, cap, provisional):
    frozen("2026-12-31 12:00")
    response = file_api([record], received_at=received_at)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received"
    assert body["mark_due"] == mark
    if decision:
        assert body["decision_due"] == decision
    if cap:
        assert body["decision_cap"] == cap
    assert body["provisional"] is provisional
    assert body["records"] == [record.pk]
    assert body["timeline"][0]["event"] == "received"
    assert set(body["timeline"][0]) >= {"event", "at", "actor", "note"}
    again = file_api.__self__ if False else None  # noqa: F841 - (GET below)


@pytest.mark.parametrize("received_at, mark, decision", HEILONGJIANG)
def test_heilongjiang_due_dates_over_http(file_api, record, frozen, heilongjiang, received_at, mark, decision):
    frozen("2026-12-31 12:00")
    body = file_api([record], received_at=received_at).json()
    assert (body["mark_due"], body["decision_due"], body["provisional"]) == (mark, decision, False)
    assert Objection.objects.get(pk=body["id"]).policy_code == "heilongjiang"


def test_get_returns_the_same(file_api, handler_client, record, frozen):
    frozen("2026-10-01 09:00")
    created = file_api([record], received_at="2026-09-30T10:00:00+08:00").json()
    fetched = handler_client.get(f"/api/v1/objections/{created['id']}/").json()
    for key in ("id", "status", "mark_due", "decision_due", "provisional", "timeline"):
        assert fetched[key] == created[key]


def test_received_at_defaults_to_now(file_api, record, frozen):
    frozen("2026-09-30 10:00")
    body = file_api([record]).json()
    assert body["received_on"] == "2026-09-30" and body["mark_due"] == "2026-10-09"


def test_december_provisional_recomputed_when_2027_is_entered(file_api, record, frozen, django_capture_on_commit_callbacks):
    frozen("2026-12-28 11:00")
    body = file_api([record], received_at="2026-12-28T10:00:00+08:00").json()
    assert body["provisional"] is True
    provisional_due = body["decision_due"]
    assert provisional_due.startswith("2027-01")
    # The State Council announces 2027: say 4 January is also a day off.
    for day in ("2027-01-01", "2027-01-04"):
        CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mark_year_complete(2027)
    objection = Objection.objects.get(pk=body["id"])
    assert objection.provisional is False
    assert objection.decision_due.isoformat() > provisional_due
    assert objection.events.filter(kind="recomputed").count() == 1


def test_department_token_registers_against_its_own_records(token_client, department, record, frozen):
    frozen("2026-10-01 09:00")
    client = token_client(department)
    response = client.post("/api/v1/objections/", {"records": [record.pk], "ground": "privacy", "statement": "侵犯商业秘密",
                                                   "received_at": "2026-09-30T10:00:00+08:00"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "api" and body["handling_department"] == department.code
    assert client.get(f"/api/v1/objections/{body['id']}/").status_code == 200


def test_other_departments_records_are_unknown(token_client, other_department, record):
    client = token_client(other_department)
    response = client.post("/api/v1/objections/", {"records": [record.pk], "ground": "other", "statement": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_records"
    missing = client.post("/api/v1/objections/", {"records": [987654], "ground": "other", "statement": "x"}, format="json")
    assert missing.json() == {**missing.json(), "code": "unknown_records"}
    assert response.json()["message"] == missing.json()["message"]


def test_other_department_cannot_read(token_client, file_api, other_department, record):
    created = file_api([record]).json()
    assert token_client(other_department).get(f"/api/v1/objections/{created['id']}/").status_code == 404


def test_future_received_at_rejected(file_api, record, frozen):
    frozen("2026-10-01 09:00")
    response = file_api([record], received_at="2026-10-02T09:00:00+08:00")
    assert response.status_code == 400
    assert response.json()["code"] == "received_at_future"
    assert "received_at" in response.json()["fields"]
    assert not Objection.objects.exists()


def test_bad_ground_rejected(file_api, record):
    response = file_api([record], ground="bored")
    assert response.status_code == 400
    assert "ground" in response.json()["fields"]


def test_unknown_record_ids_rejected(file_api):
    response = file_api([424242])
    assert response.status_code == 400 and response.json()["fields"]["records"]


def test_empty_records_and_statement_rejected(file_api, record):
    assert file_api([]).status_code == 400
    assert "statement" in file_api([record], statement="").json()["fields"]


def test_second_open_objection_on_same_record_refused(file_api, record):
    assert file_api([record]).status_code == 201
    again = file_api([record])
    assert again.status_code == 400 and again.json()["code"] == "already_open"


def test_records_of_two_subjects_refused(file_api, record, department):
    other = make_record(department)
    response = file_api([record, other])
    assert response.status_code == 400 and response.json()["code"] == "records_mixed_subjects"


def test_citizen_and_plain_official_may_not_register(record, citizen, make_official, department):
    from rest_framework.test import APIClient

    for user in (citizen, make_official("auditor", roles.AUDITOR, department=department)):
        client = APIClient()
        client.force_authenticate(user)
        response = client.post("/api/v1/objections/", {"records": [record.pk], "ground": "other", "statement": "x"}, format="json")
        assert response.status_code == 403


def test_department_handler_limited_to_own_records(make_official, other_department, record):
    from rest_framework.test import APIClient

    user = make_official("swj-handler", roles.OBJECTION_HANDLER, department=other_department)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/v1/objections/", {"records": [record.pk], "ground": "other", "statement": "x"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_records"


def test_schema_lists_objection_endpoints(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/objections/" in response.content


def test_list_filters_and_no_n_plus_one(handler_client, file_api, catalog, department, frozen,
                                       django_assert_max_num_queries):
    records = [make_record(department) for _ in range(3)]
    frozen("2026-10-20 09:00")
    for record, received in zip(records, ("2026-09-30T10:00:00+08:00", "2026-10-16T10:00:00+08:00", "2026-10-19T10:00:00+08:00"), strict=True):
        assert file_api([record], received_at=received).status_code == 201
    with django_assert_max_num_queries(15):
        listing = handler_client.get("/api/v1/objections/").json()
    assert listing["count"] == 3
    overdue = handler_client.get("/api/v1/objections/?overdue=1").json()
    assert overdue["count"] == 1 and overdue["results"][0]["overdue"] is True
    assert handler_client.get("/api/v1/objections/?status=marked").json()["count"] == 0
    assert handler_client.get("/api/v1/objections/?ground=inaccurate").json()["count"] == 3
