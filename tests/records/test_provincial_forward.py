"""Heilongjiang art. 22 para. 2: what the municipal platform collects reaches the provincial platform within 3 working
days of collection — signed, retried with backoff, acknowledged, on the profile's clock, enforced by a sweep.

The provincial platform here is a REAL HTTP server on the loopback interface (a thread), which checks the signature
and the timestamp the way the provincial side would — independently of the platform's own signing code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from credit_platform import workdays
from records import provincial
from records.models import ProvincialForward, Record
from tests.records.factories import penalty

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
KEY = "provincial-test-key-0123456789abcdef"
FWD = ProvincialForward.Status


class ProvincialPlatform:
    """The receiving side: verifies HMAC-SHA256 over "<timestamp>.<body>", answers as told, records what it got."""

    def __init__(self):
        self.received: list[dict] = []
        self.mode = "ack"  # ack | fail | noack
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/credit/receive"

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                """The receiving server stays quiet: the test asserts on what it recorded, not on its log."""

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ts = self.headers.get("X-Credit-Timestamp", "")
                expected = "sha256=" + hmac.new(KEY.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(expected, self.headers.get("X-Credit-Signature", ""))
                doc = json.loads(body)
                platform.received.append({"doc": doc, "valid": valid, "ts": ts,
                                          "event": self.headers.get("X-Credit-Event"),
                                          "kind": self.headers.get("X-Credit-Event-Kind")})
                if not valid:
                    return self._answer(401, {"error": "bad signature"})
                if platform.mode == "fail":
                    return self._answer(503, {"error": "maintenance"})
                if platform.mode == "noack":
                    return self._answer(200, {})
                return self._answer(200, {"event_id": doc["event_id"], "ack_id": f"HLJ-{len(platform.received):06d}",
                                          "received_at": "2026-10-09T10:00:00+08:00"})

            def _answer(self, status, doc):
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def province(settings):
    with ProvincialPlatform() as platform:
        settings.PROVINCIAL_PLATFORM_URL = platform.url
        settings.PROVINCIAL_PLATFORM_KEY = KEY
        settings.PROVINCIAL_PLATFORM_BACKOFF_SECONDS = 60
        settings.PROVINCIAL_PLATFORM_MAX_ATTEMPTS = 3
        yield platform


@pytest.fixture
def calendar_2026(db):
    workdays.seed_calendar()  # chinesecalendar's 2026 schedule (国庆 1–7 October off)
    workdays.invalidate_cache()
    yield
    workdays.invalidate_cache()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def _push_hlj(settings, push, ref="HLJ-FWD-1"):
    settings.CREDIT_POLICY = "heilongjiang"
    result = push(penalty(ref))
    assert result["results"][0]["status"] == "created", result
    return Record.objects.get(source_ref=ref)


def test_due_three_working_days_after_collection_across_national_day(settings, push, calendar_2026):
    """Heilongjiang 22 ¶2: collected Tuesday 29 September 2026 → 30 Sep (1), 1–7 Oct off, 8 Oct (2), 9 Oct (3)."""
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        record = _push_hlj(settings, push)
    fwd = ProvincialForward.objects.get(record=record)
    assert (fwd.kind, fwd.status, fwd.collected_on) == ("created", FWD.PENDING, date(2026, 9, 29))
    assert (fwd.due_on, fwd.due_provisional) == (date(2026, 10, 9), False)
    assert "第二十二条" in fwd.article
    assert fwd.payload["record"]["source_ref"] == "HLJ-FWD-1"


def test_collection_date_is_shanghai_date(settings, push, calendar_2026):
    """Collected at 00:30 on 30 September Shanghai time (still 29 September in UTC): the clock starts on the 30th."""
    with time_machine.travel(at(2026, 9, 30, 0, 30), tick=False):
        record = _push_hlj(settings, push)
    fwd = ProvincialForward.objects.get(record=record)
    assert fwd.collected_on == date(2026, 9, 30)
    assert fwd.due_on == date(2026, 10, 10)  # 8 Oct (1), 9 Oct (2), Saturday 10 Oct — a 调休 working day (3)


def test_overdue_flagged_the_day_after_due_not_on_it(settings, push, calendar_2026, make_official):
    """Heilongjiang 22 ¶2: undelivered on its due day (9 Oct) is not overdue; at 00:00:30 on 10 Oct Shanghai time —
    still 9 Oct in UTC — it is, and the credit centre is told once."""
    from credit_platform import roles

    admin = make_official("centre-admin", roles.PLATFORM_ADMIN)
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        record = _push_hlj(settings, push)
    assert provincial.flag_overdue(at(2026, 10, 8, 23, 59)) == 0  # the day before
    assert provincial.flag_overdue(at(2026, 10, 9, 23, 59, 59)) == 0  # the due day itself, to its last second
    assert provincial.flag_overdue(at(2026, 10, 10, 0, 0, 30)) == 1  # the day after, though UTC still says 9 Oct
    assert provincial.flag_overdue(at(2026, 10, 11, 9, 0)) == 0  # flagged once
    fwd = ProvincialForward.objects.get(record=record)
    assert fwd.overdue_at is not None
    assert admin.notifications.filter(title="向省信用平台推送逾期").count() == 1


def test_delivered_signed_and_acknowledged_by_the_real_server(settings, push, province, calendar_2026):
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=True):
        record = _push_hlj(settings, push)
        counts = provincial.sweep(at(2026, 9, 29, 10, 5))
    assert counts["acknowledged"] == 1
    assert len(province.received) == 1
    got = province.received[0]
    assert got["valid"] and got["kind"] == "created"
    assert got["doc"]["data"]["record"]["source_ref"] == record.source_ref
    assert got["doc"]["due_on"] == "2026-10-09"
    fwd = ProvincialForward.objects.get(record=record)
    assert got["event"] == str(fwd.event_id) == got["doc"]["event_id"]
    assert fwd.status == FWD.ACKNOWLEDGED and fwd.ack_id == "HLJ-000001" and fwd.late is False
    assert fwd.ack["event_id"] == str(fwd.event_id)
    assert provincial.sweep(at(2026, 9, 29, 10, 10))["acknowledged"] == 0  # idempotent: nothing sent twice
    assert len(province.received) == 1


def test_signature_covers_the_timestamp(province):
    """A replayed body with a new timestamp does not verify; a stale timestamp is refused."""
    body = b'{"event_id":"x"}'
    now = datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)
    ts = str(int(now.timestamp()))
    signature = provincial.sign(KEY, ts, body)
    assert provincial.verify(KEY, ts, body, signature, now=now)
    assert not provincial.verify(KEY, str(int(now.timestamp()) + 1), body, signature, now=now)
    assert not provincial.verify(KEY, ts, body, signature, now=now + timedelta(minutes=6))
    assert not provincial.verify("other-key", ts, body, signature, now=now)


def test_failures_retried_with_backoff_then_acknowledged(settings, push, province, calendar_2026):
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=True):
        record = _push_hlj(settings, push)
        province.mode = "fail"
        t0 = at(2026, 9, 29, 10, 1)
        assert provincial.sweep(t0)["retry"] == 1
        fwd = ProvincialForward.objects.get(record=record)
        assert (fwd.status, fwd.attempts, fwd.last_status_code) == (FWD.PENDING, 1, 503)
        assert fwd.next_attempt_at >= t0 + timedelta(seconds=60)
        assert provincial.sweep(t0 + timedelta(seconds=30))["retry"] == 0  # not due yet: nothing sent
        assert len(province.received) == 1
        fwd.refresh_from_db()
        assert provincial.sweep(fwd.next_attempt_at + timedelta(seconds=1))["retry"] == 1
        fwd.refresh_from_db()
        assert fwd.attempts == 2 and fwd.next_attempt_at >= fwd.last_attempt_at + timedelta(seconds=120)  # doubled
        province.mode = "noack"  # a 2xx without an acknowledgement proves nothing: still retried
        assert provincial.sweep(fwd.next_attempt_at + timedelta(seconds=1))["dead"] == 1  # 3rd and last attempt
        fwd.refresh_from_db()
        assert fwd.status == FWD.DEAD and "回执" in fwd.last_error
        province.mode = "ack"
        assert provincial.retry(ProvincialForward.objects.all()) == 1
        assert provincial.sweep(at(2026, 9, 29, 12, 0))["acknowledged"] == 1
    assert len(province.received) == 4
    assert len({r["event"] for r in province.received}) == 1  # the same event each time: the receiver de-duplicates


def test_corrections_and_revocations_are_forwarded(settings, push, scjg_client, province, calendar_2026):
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=True):
        record = _push_hlj(settings, push)
        response = scjg_client.patch(f"/api/v1/records/{record.pk}/", {"reason": "金额录入错误", "severity": "severe"},
                                     format="json")
        assert response.status_code == 200, response.content
        response = scjg_client.post(f"/api/v1/records/{record.pk}/revoke/", {
            "reason": "处罚决定被复议撤销", "basis_action": "revoked",
            "document": {"number": "黑复决〔2026〕9号", "issuer": "市人民政府", "issued_on": "2026-09-28"},
        }, format="json")
        assert response.status_code in (200, 201), response.content
        provincial.sweep(at(2026, 9, 29, 10, 30))
    kinds = list(ProvincialForward.objects.filter(record=record).order_by("id").values_list("kind", "status"))
    assert kinds == [("created", FWD.ACKNOWLEDGED), ("corrected", FWD.ACKNOWLEDGED), ("revoked", FWD.ACKNOWLEDGED)]
    assert [r["kind"] for r in province.received] == ["created", "corrected", "revoked"]
    assert province.received[-1]["doc"]["data"]["status"] == "revoked"


@pytest.mark.parametrize("code", ["karamay", "qufu", "fuzhou", "zhangye"])
@time_machine.travel(datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI), tick=True)
def test_profiles_without_the_duty_send_nothing(settings, push, province, calendar_2026, code):
    """Only Heilongjiang sets platform_forward_days; elsewhere nothing is queued and the server hears nothing."""
    settings.CREDIT_POLICY = code
    push(penalty(f"NO-FWD-{code}"))
    assert not ProvincialForward.objects.exists()
    provincial.sweep(datetime.now(tz=SHANGHAI))
    time.sleep(0.05)
    assert province.received == []


def test_admin_shows_overdue(settings, push, calendar_2026, client, make_official):
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        _push_hlj(settings, push)
    admin = make_official("fwd-root", superuser=True)
    client.force_login(admin)
    url = reverse("admin:records_provincialforward_changelist")
    with time_machine.travel(at(2026, 10, 12, 9, 0), tick=False):
        response = client.get(url + "?overdue=open")
    assert response.status_code == 200
    page = response.content.decode()
    assert "已逾期" in page and "HLJ-FWD-1" in page and "2026-10-09" in page
    with time_machine.travel(at(2026, 10, 9, 9, 0), tick=False):
        assert "HLJ-FWD-1" not in client.get(url + "?overdue=open").content.decode()


def test_provisional_due_recomputed_when_2027_is_entered(settings, push, calendar_2026, client, make_official,
                                                         django_capture_on_commit_callbacks):
    """Collected Wednesday 30 December 2026: 31 Dec (1), [1 Jan 元旦 by rule], 4 Jan (2), 5 Jan (3) — provisional;
    once an admin enters 2027 (here with 4 January off as well) the due date follows it: 6 January, final."""
    from credit_platform.models import CalendarDay, CalendarYear

    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    workdays.invalidate_cache()
    with time_machine.travel(at(2026, 12, 30, 10, 0), tick=False):
        record = _push_hlj(settings, push, ref="HLJ-FWD-2027")
    fwd = ProvincialForward.objects.get(record=record)
    assert (fwd.due_on, fwd.due_provisional) == (date(2027, 1, 5), True)
    for day in (date(2027, 1, 1), date(2027, 1, 4)):
        CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name="元旦", source=CalendarDay.Source.ADMIN)
    year = CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ADMIN)
    client.force_login(make_official("calendar-root", superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:credit_platform_calendaryear_changelist"),
                               {"action": "mark_complete", "_selected_action": [year.pk]})
    assert response.status_code == 302
    fwd.refresh_from_db()
    assert (fwd.due_on, fwd.due_provisional) == (date(2027, 1, 6), False)
