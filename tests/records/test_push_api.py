"""Pushing records through the HTTP API as a department system would: batch, single, idempotency, scoping."""

from __future__ import annotations

import pytest

from records.models import IngestBatch, Record, Subject
from tests.records import factories as f

pytestmark = pytest.mark.django_db


def test_batch_push_creates_records(push):
    a, b = f.penalty(), f.licence()
    body = push(a, b)
    assert body["created"] == 2 and body["updated"] == 0 and body["unchanged"] == 0
    assert body["rejected"] == []
    assert [r["index"] for r in body["results"]] == [0, 1]
    assert {r["status"] for r in body["results"]} == {"created"}
    record = Record.objects.get(source_ref=a["source_ref"])
    assert record.category == "dishonesty"
    assert record.severity == "general"
    assert record.basis_number == "克市监罚〔2026〕12号"
    assert record.penalty_types == ["fine"]
    assert record.status == "active"
    assert record.subject.code == a["subject"]["code"]
    assert record.domain == "food"  # from the item
    assert record.history.count() == 1
    assert record.history.first().history_change_reason.startswith("SCJG")
    licence = Record.objects.get(source_ref=b["source_ref"])
    assert licence.category == "basic" and licence.severity == ""
    assert IngestBatch.objects.get().created == 2


def test_repush_same_data_is_unchanged_and_new_data_updates(push):
    row = f.penalty()
    first = push(row)
    assert first["created"] == 1
    again = push(row)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert again["results"][0]["status"] == "unchanged"
    record = Record.objects.get(source_ref=row["source_ref"])
    assert record.history.count() == 1

    changed = dict(row, content=f.penalty_content(**{"处罚内容": "罚款人民币3万元", "罚款金额（万元）": 3.0}))
    third = push(changed)
    assert (third["created"], third["updated"], third["unchanged"]) == (0, 1, 0)
    assert third["results"][0]["id"] == record.id
    assert Record.objects.filter(source_ref=row["source_ref"]).count() == 1
    record.refresh_from_db()
    assert record.content["罚款金额（万元）"] == 3.0
    history = list(record.history.order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].content["罚款金额（万元）"] == 2.0  # the old data is kept
    assert history[1].history_change_reason


def test_overlapping_batches_never_duplicate(push):
    rows = [f.penalty(f"SCJG-OV-{i}") for i in range(6)]
    push(*rows[:4])
    body = push(*rows[2:])
    assert body["created"] == 2 and body["unchanged"] == 2
    assert Record.objects.filter(source_ref__startswith="SCJG-OV-").count() == 6


def test_same_source_ref_twice_in_one_batch_is_rejected_once(push):
    row = f.penalty("SCJG-DUP-1")
    body = push(row, row)
    assert body["created"] == 1
    assert body["rejected"][0]["index"] == 1
    assert body["rejected"][0]["code"] == "duplicate_in_batch"


def test_source_ref_is_scoped_by_department(push, swj_client, department, other_department):
    """Two departments may use the same own id: the key is (department, source_ref)."""
    from tests.catalog.factories import OPEN

    row = {"source_ref": "SAME-1", "catalog_item": OPEN, "subject": {"type": "legal_person", "code": f.uscc(), "name": "甲公司"},
           "content": {"说明": "x"}}
    push(row)
    push(row, client=swj_client)
    assert Record.objects.filter(source_ref="SAME-1").count() == 2


def test_subjects_are_shared_between_records(push):
    code = f.uscc()
    push(f.penalty(code=code), f.penalty(code=code))
    assert Subject.objects.filter(code=code).count() == 1
    assert Subject.objects.get(code=code).records.count() == 2


def test_single_push(scjg_client):
    row = f.penalty()
    response = scjg_client.post("/api/v1/records/", row, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["source_ref"] == row["source_ref"] and data["push_status"] == "created"
    assert data["basis_document"]["issued_on"] == "2026-03-02"
    again = scjg_client.post("/api/v1/records/", row, format="json")
    assert again.status_code == 200 and again.json()["push_status"] == "unchanged"


def test_single_push_rejection_is_a_400_with_code_and_field(scjg_client):
    row = f.penalty(catalog_item="NO-SUCH-ITEM")
    response = scjg_client.post("/api/v1/records/", row, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_item"
    assert "catalog_item" in body["fields"]
    assert " / " in body["message"]  # Chinese / English


def test_list_only_own_records_and_filters(push, swj_client, scjg_client):
    a = f.penalty()
    push(a, f.licence())
    response = scjg_client.get("/api/v1/records/")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert swj_client.get("/api/v1/records/").json()["count"] == 0
    filtered = scjg_client.get("/api/v1/records/", {"category": "dishonesty"}).json()
    assert [r["source_ref"] for r in filtered["results"]] == [a["source_ref"]]
    by_subject = scjg_client.get("/api/v1/records/", {"subject_code": a["subject"]["code"]}).json()
    assert by_subject["count"] == 1
    assert by_subject["results"][0]["subject"]["name"] == a["subject"]["name"]


def test_other_departments_record_is_404(push, swj_client, scjg_client):
    body = push(f.penalty())
    record_id = body["results"][0]["id"]
    assert scjg_client.get(f"/api/v1/records/{record_id}/").status_code == 200
    assert swj_client.get(f"/api/v1/records/{record_id}/").status_code == 404
    patch = swj_client.patch(f"/api/v1/records/{record_id}/", {"reason": "x", "severity": "severe"}, format="json")
    assert patch.status_code == 404
    revoke = swj_client.post(f"/api/v1/records/{record_id}/revoke/", {"reason": "x"}, format="json")
    assert revoke.status_code == 404


def test_unauthenticated_push_is_refused(catalog, client):
    response = client.post("/api/v1/records/batch/", {"records": []}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_citizen_without_department_cannot_push(catalog, make_official):
    from rest_framework.test import APIClient

    from credit_platform.models import User

    user = User.objects.create_user(username="citizen1", password="Str0ng-Passw0rd!", kind=User.Kind.CITIZEN)
    api = APIClient()
    api.force_authenticate(user)
    assert api.post("/api/v1/records/batch/", {"records": []}, format="json").status_code == 403
    assert api.get("/api/v1/records/").status_code == 403


def test_openapi_schema_documents_the_push_api(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/records/batch/", "/api/v1/records/{id}/revoke/", "/api/v1/catalog/items/"):
        assert path in text


def test_text_with_tabs_newlines_and_backslashes_round_trips(push):
    """The bulk writer builds COPY text itself: every character must come back as sent."""
    from tests.catalog.factories import OPEN

    tricky = "第一行\n第二行\t制表符 \\ 反斜杠 \\N \"引号\" \r 回车"
    row = {"source_ref": "ESC-1\\x", "catalog_item": OPEN,
           "subject": {"type": "legal_person", "code": f.uscc(), "name": "名称\t带制表符\\"},
           "content": {"说明": tricky, "嵌套": {"列表": [tricky, 1, None, True]}},
           "domain": "\\N", "consent_ref": "同意\\N\t"}  # COPY's NULL marker as text: stored as text
    body = push(row)
    assert body["created"] == 1, body["rejected"]
    record = Record.objects.get(source_ref="ESC-1\\x")
    assert record.content == row["content"]
    assert (record.domain, record.consent_ref) == ("\\N", "同意\\N")  # consent_ref is stripped like every text
    assert push(row)["unchanged"] == 1
