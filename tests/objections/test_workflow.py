"""Each workflow step over HTTP: mark, review, extension (cap), assistance, pause/resume, decide, notifications."""

from __future__ import annotations

import pytest

from credit_platform import roles
from credit_platform.exceptions import DomainError
from credit_platform.models.notifications import Notification
from objections import services
from objections.models import Objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(file_api, record, frozen):
    frozen("2026-09-30 11:00")
    body = file_api([record], received_at="2026-09-30T10:00:00+08:00").json()
    return Objection.objects.get(pk=body["id"])


def act(client, objection, step, **body):
    return client.post(f"/api/v1/objections/{objection.pk}/{step}/", body, format="json")


def test_mark_shows_the_disputed_mark(handler_client, filed, record, frozen):
    frozen("2026-10-08 09:00")
    response = act(handler_client, filed, "mark", note="属于本单位处理范围")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "marked"
    record.refresh_from_db()
    assert record.disputed is True
    assert record.history.filter(history_change_reason__startswith="异议标注", disputed=True).count() == 1
    # marking twice is refused, not repeated
    again = act(handler_client, filed, "mark")
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"


def test_review_then_decide_unchanged_requires_reasons_and_lifts_mark(handler_client, filed, record, frozen):
    frozen("2026-10-08 09:00")
    assert act(handler_client, filed, "start-review").json()["status"] == "under_review"
    record.refresh_from_db()
    assert record.disputed  # review implies the mark
    frozen("2026-10-14 16:00")
    refused = act(handler_client, filed, "decide", outcome="unchanged", reasons="")
    assert refused.status_code == 400 and refused.json()["code"] == "reasons_required"
    body = act(handler_client, filed, "decide", outcome="unchanged", reasons="经核查，处罚决定书记载无误。").json()
    assert body["status"] == "decided" and body["outcome"] == "unchanged" and body["decided_on_time"] is True
    record.refresh_from_db()
    assert record.disputed is False
    events = [e["event"] for e in body["timeline"]]
    assert events[:3] == ["received", "marked", "review_started"]
    assert "decided" in events and "mark_removed" in events


def test_decide_corrected_applies_the_correction_with_history(handler_client, filed, record, frozen):
    frozen("2026-10-09 09:00")
    act(handler_client, filed, "start-review")
    new_content = {"违法行为类型": "未按规定公示即时信息"}
    response = act(handler_client, filed, "decide", outcome="corrected", reasons="违法行为类型记载有误，予以更正。",
                   corrections={str(record.pk): {"content": new_content}})
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert record.content["违法行为类型"] == "未按规定公示即时信息"
    assert record.status == "corrected" and record.disputed is False
    assert any("更正" in (h.history_change_reason or "") for h in record.history.all())
    assert "correction_applied" in [e["event"] for e in response.json()["timeline"]]


def test_decide_corrected_without_correction_refused(handler_client, filed):
    response = act(handler_client, filed, "decide", outcome="corrected", reasons="有误")
    assert response.status_code == 400 and response.json()["code"] == "correction_required"


def test_decide_deleted_revokes_the_record(handler_client, filed, record):
    response = act(handler_client, filed, "decide", outcome="deleted", reasons="不符合失信信息认定条件。")
    assert response.status_code == 200, response.content
    record.refresh_from_db()
    assert record.status == "revoked" and record.disputed is False


def test_extension_to_the_cap_and_no_further(handler_client, filed, frozen):
    frozen("2026-10-14 10:00")
    response = act(handler_client, filed, "extend", approved_by="李主任", reason="需调取外地执法档案", total_days=16)
    assert response.status_code == 400 and response.json()["code"] == "extension_over_cap"
    body = act(handler_client, filed, "extend", approved_by="李主任", reason="需调取外地执法档案", total_days=10).json()
    assert body["decision_due"] == "2026-10-20"
    body = act(handler_client, filed, "extend", approved_by="李主任", reason="仍需核实").json()
    assert body["decision_due"] == "2026-10-27" == body["decision_cap"]
    again = act(handler_client, filed, "extend", approved_by="李主任", reason="再延")
    assert again.status_code == 400 and again.json()["code"] == "extension_not_longer"
    extended = [e for e in body["timeline"] if e["event"] == "extended"]
    assert "李主任" in extended[-1]["note"] and extended[-1]["actor"].startswith("handler")


def test_extension_after_the_due_date_refused(handler_client, filed, frozen):
    frozen("2026-10-16 10:00")
    response = act(handler_client, filed, "extend", approved_by="李主任", reason="迟了")
    assert response.status_code == 400 and response.json()["code"] == "extension_too_late"


def test_extension_not_in_heilongjiang(handler_client, record, file_api, heilongjiang):
    body = file_api([record]).json()
    response = handler_client.post(f"/api/v1/objections/{body['id']}/extend/", {"approved_by": "x", "reason": "y"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "extension_not_allowed"


def test_assistance_under_heilongjiang(handler_client, record, file_api, heilongjiang, frozen, department,
                                       make_official, token_client):
    officer = make_official("officer", roles.DEPARTMENT_OFFICER, department=department)
    frozen("2026-09-30 11:00")
    body = file_api([record], received_at="2026-09-30T10:00:00+08:00").json()
    assert body["decision_due"] == "2026-10-10"
    objection = Objection.objects.get(pk=body["id"])
    response = act(handler_client, objection, "assistance", department=department.code, question="请核实处罚决定书原件")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision_due"] == "2026-10-15"  # 7 working days when another unit verifies
    assert body["assistance"][0]["due"] == "2026-10-09"  # the assisting unit answers in 2 working days
    assert Notification.objects.filter(user=officer, event_key__contains="assist").count() == 1
    # the providing department answers through its own system
    request_id = body["assistance"][0]["id"]
    answered = token_client(department).post(
        f"/api/v1/objections/{objection.pk}/assistance/{request_id}/answer/", {"answer": "原件核对无误"}, format="json"
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["assistance"][0]["answer"] == "原件核对无误"


def test_pause_moves_the_due_date_by_paused_working_days(handler_client, record, file_api, heilongjiang, frozen):
    frozen("2026-09-30 11:00")
    objection = Objection.objects.get(pk=file_api([record], received_at="2026-09-30T10:00:00+08:00").json()["id"])
    frozen("2026-10-09 15:00")
    refused = act(handler_client, objection, "pause", activity="holiday", reason="x")
    assert refused.status_code == 400 and refused.json()["code"] == "pause_not_allowed"
    body = act(handler_client, objection, "pause", activity="appraisal", reason="送司法鉴定").json()
    assert body["paused_since"] is not None
    frozen("2026-10-13 09:00")
    body = act(handler_client, objection, "resume", note="鉴定意见已出").json()
    assert body["paused_days"] == 3
    assert body["decision_due"] == "2026-10-14"  # 10 Oct + Sat 10 (working), Mon 12, Tue 13 → 3 working days later
    assert [e["event"] for e in body["timeline"]][-2:] == ["paused", "resumed"]


def test_pause_refused_under_karamay(handler_client, filed):
    response = act(handler_client, filed, "pause", activity="appraisal", reason="鉴定")
    assert response.status_code == 400 and response.json()["code"] == "pause_not_allowed"


def test_qufu_marks_on_receipt(file_api, record, settings):
    settings.CREDIT_POLICY = "qufu"
    body = file_api([record]).json()
    assert body["status"] == "marked" and body["mark_due"] is None
    record.refresh_from_db()
    assert record.disputed


def test_applicant_notified_once_per_step(record, citizen, handler, frozen):
    frozen("2026-09-30 11:00")
    objection = services.file_objection(
        records=[record], ground="inaccurate", statement="记载有误", actor=citizen, channel="portal",
        applicant=citizen, handling_department=handler.department,
    )
    services.mark(objection, actor=handler)
    with pytest.raises(DomainError):
        services.mark(objection, actor=handler)
    services.decide(objection, outcome="unchanged", reasons="无误", actor=handler)
    keys = sorted(Notification.objects.filter(user=citizen).values_list("event_key", flat=True))
    assert keys == sorted(f"objection:{objection.pk}:{k}" for k in ("received", "marked", "decided"))


def test_other_department_handler_may_not_act(make_official, other_department, filed):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_official("swj-handler", roles.OBJECTION_HANDLER, department=other_department))
    assert act(client, filed, "mark").status_code == 404
