"""A push, a correction and a revocation reach disclosure (windows), repair's outbox and the public API at once."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from records.models import OutboxEvent, Record
from tests.records import factories as f

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _while_the_penalty_is_public():
    """The factory's penalty is decided on 2026-03-02 and public for its window only: these tests run inside it
    (time-machine), not on whatever day the suite happens to run."""
    with time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


DOC = {"number": "克市监撤〔2026〕3号", "issuer": "克拉玛依市市场监督管理局", "issued_on": "2026-05-06"}


def _public_refs(code: str) -> list[str]:
    response = APIClient().get(f"/api/v1/public/subjects/{code}/")
    assert response.status_code == 200, response.content
    return [r["catalog_item"] for r in response.json()["records"]]


def test_a_pushed_penalty_gets_its_window_and_is_public_at_once(push):
    code = f.uscc()
    record_id = push(f.penalty(code=code))["results"][0]["id"]
    record = Record.objects.get(pk=record_id)
    assert record.public_from is not None and record.public_until is not None
    assert _public_refs(code) == [record.catalog_item.code]


def test_a_correction_goes_to_the_outbox_and_keeps_the_record_public(push, scjg_client):
    code = f.uscc()
    record_id = push(f.penalty(code=code))["results"][0]["id"]
    response = scjg_client.patch(
        f"/api/v1/records/{record_id}/",
        {"reason": "金额录入错误", "content": f.penalty_content(**{"罚款金额（万元）": 1.5})}, format="json",
    )
    assert response.status_code == 200, response.content
    event = OutboxEvent.objects.get(record_id=record_id)
    assert event.kind == "corrected" and event.payload["reason"] == "金额录入错误"
    assert len(_public_refs(code)) == 1


def test_a_revocation_goes_to_the_outbox_and_leaves_the_public_page(push, scjg_client):
    code = f.uscc()
    record_id = push(f.penalty(code=code))["results"][0]["id"]
    response = scjg_client.post(
        f"/api/v1/records/{record_id}/revoke/", {"reason": "处罚决定被复议撤销", "document": DOC}, format="json"
    )
    assert response.status_code in (200, 201), response.content
    assert OutboxEvent.objects.filter(record_id=record_id, kind="revoked").exists()
    assert _public_refs(code) == []


def test_an_unchanged_re_push_writes_nothing_downstream(push):
    payload = f.penalty()
    push(payload)
    before = OutboxEvent.objects.count()
    assert push(payload)["unchanged"] == 1
    assert OutboxEvent.objects.count() == before
