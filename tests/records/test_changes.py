"""Corrections (PATCH) and revocations, with their statutory clocks (Heilongjiang art. 52, Qufu arts. 57–58)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from credit_platform.workdays import add_working_days
from records.models import Record, RecordChange
from tests.records import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_id(push):
    return push(f.penalty())["results"][0]["id"]


def test_correction_with_reason_updates_and_keeps_history(scjg_client, record_id):
    response = scjg_client.patch(
        f"/api/v1/records/{record_id}/",
        {"reason": "罚款金额录入错误", "content": f.penalty_content(**{"罚款金额（万元）": 1.5})},
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "corrected"
    assert data["content"]["罚款金额（万元）"] == 1.5
    assert data["change"]["kind"] == "correction"
    assert data["change"]["changed_fields"] == ["content"]
    record = Record.objects.get(pk=record_id)
    latest = record.history.order_by("-history_date", "-history_id").first()
    assert "罚款金额录入错误" in latest.history_change_reason
    assert record.history.order_by("history_date", "history_id").first().content["罚款金额（万元）"] == 2.0
    assert RecordChange.objects.get().reason == "罚款金额录入错误"


def test_correction_needs_a_reason(scjg_client, record_id):
    response = scjg_client.patch(f"/api/v1/records/{record_id}/", {"severity": "severe"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"


def test_correction_is_revalidated(scjg_client, record_id):
    response = scjg_client.patch(
        f"/api/v1/records/{record_id}/", {"reason": "补充", "content": f.penalty_content(**{"血型": "A"})}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "forbidden_content"
    assert response.json()["fields"] == {"content.血型": response.json()["message"]}
    assert Record.objects.get(pk=record_id).status == "active"


def test_correction_with_nothing_new_is_refused(scjg_client, record_id):
    response = scjg_client.patch(f"/api/v1/records/{record_id}/", {"reason": "x", "severity": "general"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "nothing_to_correct"


def test_source_ref_cannot_be_patched_away(scjg_client, record_id):
    response = scjg_client.patch(f"/api/v1/records/{record_id}/", {"reason": "x", "status": "repaired"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_correctable"


def test_correction_deadline_from_the_profile(scjg_client, record_id, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    found = timezone.localdate() - timedelta(days=20)
    response = scjg_client.patch(
        f"/api/v1/records/{record_id}/", {"reason": "发现错误", "severity": "severe", "discovered_on": found.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    change = RecordChange.objects.get()
    assert change.due_on == add_working_days(found, 3).date  # Heilongjiang art. 52: 3 working days
    assert change.on_time is False
    assert "第五十二条" in change.article


def test_karamay_correction_is_timely_without_a_number(scjg_client, record_id):
    scjg_client.patch(f"/api/v1/records/{record_id}/", {"reason": "x", "severity": "severe"}, format="json")
    change = RecordChange.objects.get()
    assert change.due_on is None and change.on_time is None
    assert "第三十四条" in change.article


def revoke_body(**overrides):
    body = {
        "reason": "行政复议决定撤销原处罚决定",
        "document": {"number": "克政复决〔2026〕8号", "issuer": "克拉玛依市人民政府", "issued_on": timezone.localdate().isoformat()},
        "basis_action": "revoked",
    }
    body.update(overrides)
    return body


def test_revoke_needs_reason_and_document(scjg_client, record_id):
    url = f"/api/v1/records/{record_id}/revoke/"
    assert scjg_client.post(url, revoke_body(reason=""), format="json").json()["code"] == "reason_required"
    response = scjg_client.post(url, revoke_body(document=None), format="json")
    assert response.status_code == 400 and response.json()["code"] == "document_required"
    response = scjg_client.post(url, revoke_body(document={"number": "x", "issuer": "y"}), format="json")
    assert response.json()["fields"] == {"document.issued_on": response.json()["message"]}
    assert Record.objects.get(pk=record_id).status == "active"


def test_revoke_tracks_the_profile_deadlines(scjg_client, record_id, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    changed_on = timezone.localdate() - timedelta(days=10)
    response = scjg_client.post(
        f"/api/v1/records/{record_id}/revoke/",
        revoke_body(document={"number": "克政复决〔2026〕8号", "issuer": "市政府", "issued_on": changed_on.isoformat()}),
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    change = RecordChange.objects.get()
    assert change.kind == "revocation"
    assert change.due_on == add_working_days(changed_on, 2).date  # provider: 2 working days
    assert change.platform_due_on == add_working_days(timezone.localdate(), 1).date  # platform: 1 working day
    assert change.on_time is False and change.platform_on_time is True
    record = Record.objects.get(pk=record_id)
    assert "行政复议" in record.history.order_by("-history_date", "-history_id").first().history_change_reason


def test_qufu_revocation_deadline(scjg_client, record_id, settings):
    settings.CREDIT_POLICY = "qufu"
    scjg_client.post(f"/api/v1/records/{record_id}/revoke/", revoke_body(), format="json")
    change = RecordChange.objects.get()
    assert change.due_on == add_working_days(timezone.localdate(), 3).date  # Qufu art. 58
    assert change.on_time is True
    assert "第五十八条" in change.article


def test_revoked_record_cannot_be_revoked_or_corrected_again(scjg_client, record_id):
    assert scjg_client.post(f"/api/v1/records/{record_id}/revoke/", revoke_body(), format="json").status_code == 200
    again = scjg_client.post(f"/api/v1/records/{record_id}/revoke/", revoke_body(), format="json")
    assert again.status_code == 409 and again.json()["code"] == "record_revoked"
    patch = scjg_client.patch(f"/api/v1/records/{record_id}/", {"reason": "x", "severity": "severe"}, format="json")
    assert patch.status_code == 409


def test_revocation_in_the_future_is_refused(scjg_client, record_id):
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = scjg_client.post(
        f"/api/v1/records/{record_id}/revoke/",
        revoke_body(document={"number": "x", "issuer": "y", "issued_on": tomorrow}), format="json",
    )
    assert response.json()["code"] == "date_in_future"
