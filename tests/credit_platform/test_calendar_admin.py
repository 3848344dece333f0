"""The working-day calendar in the admin: pages, entering a year, the coverage banner."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credit_platform import deadlines, workdays
from credit_platform.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

PROCESSOR = "credit_platform.workdays.calendar_warning"


@pytest.fixture(autouse=True)
def seeded(db):
    workdays.seed_calendar()
    workdays.invalidate_cache()
    yield
    workdays.invalidate_cache()


@pytest.fixture
def admin_client(client, make_official):
    user = make_official("calendar-root", superuser=True)
    user.password_changed_at = timezone.now()  # not sent to the password-expiry page
    user.save(update_fields=["password_changed_at"])
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def banner_wired(settings):
    """Until settings.py lists the context processor, add it for these tests."""
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    processors = list(templates[0]["OPTIONS"]["context_processors"])
    if PROCESSOR not in processors:
        processors.append(PROCESSOR)
    templates[0]["OPTIONS"]["context_processors"] = processors
    settings.TEMPLATES = templates


@pytest.fixture
def hook_calls():
    calls: list[int] = []

    def hook(year: int) -> None:
        calls.append(year)

    deadlines.register_deadline("tests.HookProbe", "due", "due_provisional", hook)
    yield calls
    deadlines.unregister_deadline("tests.HookProbe", "due")


def _today(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:credit_platform_calendarday_changelist"),
        reverse("admin:credit_platform_calendarday_changelist") + "?year=2026",
        reverse("admin:credit_platform_calendarday_changelist") + "?kind=workday&source=chinesecalendar",
        reverse("admin:credit_platform_calendarday_changelist") + "?q=国庆",
        reverse("admin:credit_platform_calendarday_add"),
        reverse("admin:credit_platform_calendaryear_changelist"),
        reverse("admin:credit_platform_calendaryear_changelist") + "?complete__exact=1",
        reverse("admin:credit_platform_calendaryear_changelist") + "?q=2026",
        reverse("admin:credit_platform_calendaryear_add"),
    ],
)
def test_calendar_pages_render(admin_client, banner_wired, url):
    response = admin_client.get(url)
    assert response.status_code == 200, url


def test_change_and_history_pages_render(admin_client):
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    year = CalendarYear.objects.get(year=2026)
    for url in (
        reverse("admin:credit_platform_calendarday_change", args=[day.pk]),
        reverse("admin:credit_platform_calendarday_history", args=[day.pk]),
        reverse("admin:credit_platform_calendaryear_change", args=[year.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_changelist_shows_counts_and_filters(admin_client):
    response = admin_client.get(reverse("admin:credit_platform_calendaryear_changelist"))
    content = response.content.decode()
    assert "2026" in content and "标记本年度安排已完整录入" in content
    response = admin_client.get(reverse("admin:credit_platform_calendarday_changelist") + "?year=2026&kind=workday")
    assert response.context["cl"].result_count == CalendarDay.objects.filter(date__year=2026, kind="workday").count()
    assert response.context["cl"].result_count == 6


def test_banner_on_admin_index(admin_client, banner_wired, monkeypatch):
    _today(monkeypatch, datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="calendar-coverage-warning"' in content
    assert "工作日历只覆盖到 2026年12月31日" in content
    assert "calendar-coverage-warning" in admin_client.get(
        reverse("admin:credit_platform_calendarday_changelist")
    ).content.decode()
    # Not on every admin page.
    assert "calendar-coverage-warning" not in admin_client.get(reverse("admin:password_change")).content.decode()


def test_no_banner_far_from_the_end(admin_client, banner_wired, monkeypatch):
    _today(monkeypatch, datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    assert "calendar-coverage-warning" not in admin_client.get(reverse("admin:index")).content.decode()


def test_no_banner_for_non_staff(rf, django_user_model):
    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_user(username="citizen", password="x")
    assert workdays.calendar_warning(request) == {}


def test_official_enters_2027(admin_client, django_capture_on_commit_callbacks, hook_calls):
    assert workdays.add_working_days(date(2026, 12, 28), 7).provisional

    response = admin_client.post(
        reverse("admin:credit_platform_calendarday_add"),
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "note": "测试用安排"},
    )
    assert response.status_code == 302, response.content.decode()
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    assert day.source == CalendarDay.Source.ADMIN
    assert day.history.first().history_user == admin_client.user
    year = CalendarYear.objects.get(year=2027)
    assert not year.complete
    assert hook_calls == []  # an incomplete year is not used yet

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:credit_platform_calendaryear_changelist"),
            {"action": "mark_complete", "_selected_action": [year.pk]},
            follow=True,
        )
    assert response.status_code == 200
    year.refresh_from_db()
    assert year.complete and year.entered_by == admin_client.user and year.source == CalendarYear.Source.ADMIN
    assert hook_calls == [2027]
    assert workdays.add_working_days(date(2026, 12, 28), 7) == workdays.DueDate(date(2027, 1, 7), provisional=False)
    # The rule-based check lists the statutory holidays of 2027 that were not entered.
    shown = [str(m) for m in response.context["messages"]]
    assert any("请核对" in m and "清明节" in m for m in shown)


def test_mark_complete_refuses_an_empty_year(admin_client, hook_calls):
    year = CalendarYear.objects.create(year=2027)
    response = admin_client.post(
        reverse("admin:credit_platform_calendaryear_changelist"),
        {"action": "mark_complete", "_selected_action": [year.pk]},
        follow=True,
    )
    assert any("尚未录入任何放假日" in str(m) for m in response.context["messages"])
    year.refresh_from_db()
    assert not year.complete
    assert hook_calls == []


def test_prefill_from_rules(admin_client):
    year = CalendarYear.objects.create(year=2027)
    admin_client.post(
        reverse("admin:credit_platform_calendaryear_changelist"),
        {"action": "prefill_from_rules", "_selected_action": [year.pk]},
    )
    prefilled = CalendarDay.objects.filter(date__year=2027)
    assert prefilled.filter(date=date(2027, 1, 1), source="holidays_rule", kind="holiday").exists()
    assert not prefilled.filter(kind="workday").exists()
    assert all(d.weekday() < 5 for d in prefilled.values_list("date", flat=True))


def test_editing_a_complete_year_calls_the_hook(admin_client, django_capture_on_commit_callbacks, hook_calls):
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:credit_platform_calendarday_change", args=[row.pk]),
            {"date": "2026-10-01", "kind": "holiday", "name": "国庆节", "note": "已按国办发明电核对"},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.source == CalendarDay.Source.ADMIN and row.note.startswith("已按")
    assert hook_calls == [2026]


def test_weekend_holiday_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:credit_platform_calendarday_add"),
        {"date": "2027-01-02", "kind": "holiday", "name": "元旦"},
    )
    assert response.status_code == 200
    assert "本来就休息" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2027, 1, 2)).exists()
