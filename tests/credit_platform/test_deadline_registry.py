"""The deadline registry (credit_platform.deadlines): every provisional due date is registered, and entering a year's
calendar in the admin recomputes the ones that kept their provisional values before (severe-list defence and
publicity-stop dates, the trust opt-out stop date)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from credit_platform import deadlines, workdays
from credit_platform.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_provisional_due_field_is_registered():
    """A model with a provisional-flagged due date that the calendar recompute would not walk fails here."""
    flagged = {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        if not model._meta.proxy and not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if isinstance(field, models.BooleanField) and "provisional" in field.name
    }
    assert flagged, "no provisional flags found at all: the test would be vacuous"
    missing = flagged - deadlines.registered_fields()
    assert not missing, f"provisional due fields not in credit_platform.deadlines: {sorted(missing)}"


def test_registered_fields_exist_and_recompute_is_callable():
    entries = deadlines.deadlines()
    assert {"sanctions.severelistentry", "disclosure.trustoptout", "records.record", "objections.objection",
            "repair.repairapplication"} <= {e.model.lower() for e in entries}
    for entry in entries:
        model = apps.get_model(entry.model)
        assert isinstance(model._meta.get_field(entry.due_field), models.DateField), entry
        assert isinstance(model._meta.get_field(entry.provisional_field), models.BooleanField), entry
        assert callable(entry.recompute)
    # one function serving several fields is called once per calendar change
    functions = deadlines.recompute_functions()
    assert len(functions) == len(set(functions))


def test_schedule_change_walks_the_registry(django_capture_on_commit_callbacks):
    calls = []
    deadlines.register_deadline("x.Y", "due", "due_provisional", calls.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            workdays.notify_schedule_changed(2031)
    finally:
        deadlines.unregister_deadline("x.Y", "due")
    assert calls == [2031]
    assert "x.y" not in {entry.model.lower() for entry in deadlines.deadlines()}


@pytest.fixture
def no_2027_schedule(db):
    """Pin the calendar: 2026 from chinesecalendar's data as seeded, 2027 not entered (whatever the package knows)."""
    workdays.seed_calendar()
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    workdays.invalidate_cache()
    yield
    workdays.invalidate_cache()


def _enter_2027(client, make_official, extra_days_off=()):
    """An admin enters 2027 (our own rows, not the package's) and marks it complete through the admin action."""
    for day, name in [(date(2027, 1, 1), "元旦"), *extra_days_off]:
        CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name=name, source=CalendarDay.Source.ADMIN)
    row = CalendarYear.objects.create(year=2027, source=CalendarYear.Source.ADMIN)
    admin = make_official("calendar-admin", superuser=True)
    client.force_login(admin)
    return client.post(reverse("admin:credit_platform_calendaryear_changelist"),
                       {"action": "mark_complete", "_selected_action": [row.pk]})


@time_machine.travel(datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_entering_2027_recomputes_severe_list_and_opt_out_dates(
    settings, client, make_official, department, no_2027_schedule, django_capture_on_commit_callbacks
):
    """Qufu art. 35 (publicity stops within 3 working days of removal), art. 56 (defence period stated in the notice)
    and art. 61 (trust opt-out: stop within 2 working days): dates running into 2027 are provisional until the admin
    enters 2027; then they follow the entered schedule (here 4 January 2027 is a day off too)."""
    from disclosure.models import TrustOptOut
    from disclosure.services import opt_out_of_trust_publicity
    from sanctions import services
    from sanctions.models import SevereListEntry
    from tests.sanctions import factories as f

    settings.CREDIT_POLICY = "qufu"
    org = f.org("曲阜示例建设有限公司")
    rec = f.record(department, org, severity="severe", decided_on=date(2026, 12, 1))
    notified = services.propose_severe_listing(
        org, department=department, reasons="严重失信", basis="依据", records=[rec], measures=[], term_months=24,
        removal_conditions="条件", removal_procedure="程序", remedies="复议或诉讼", actor="officer",
    )
    services.send_prior_notice(notified, actor="officer", notice_number="曲告〔2026〕1号", defence_days=3)
    listed = SevereListEntry.objects.create(subject=f.org("曲阜另一公司"), department=department, reasons="r",
                                            basis="b", status=SevereListEntry.Status.LISTED, public=True)
    assert services.remove_from_severe_list(listed, reason=SevereListEntry.Removal.TERM_END, actor="officer")
    opt = opt_out_of_trust_publicity(f.org("曲阜守信公司"), None)

    notified.refresh_from_db()
    listed.refresh_from_db()
    # Wednesday 30 December → 31 Dec, [1 Jan 元旦 by rule], 4 Jan, 5 Jan — provisional
    assert (notified.defence_due, notified.defence_due_provisional) == (date(2027, 1, 5), True)
    assert (listed.publicity_stop_due, listed.publicity_stop_provisional) == (date(2027, 1, 5), True)
    assert (opt.stop_due, opt.stop_due_provisional) == (date(2027, 1, 4), True)

    with django_capture_on_commit_callbacks(execute=True):
        response = _enter_2027(client, make_official, extra_days_off=[(date(2027, 1, 4), "元旦调整")])
    assert response.status_code == 302

    notified.refresh_from_db()
    listed.refresh_from_db()
    opt = TrustOptOut.objects.get(pk=opt.pk)
    assert (notified.defence_due, notified.defence_due_provisional) == (date(2027, 1, 6), False)
    assert (listed.publicity_stop_due, listed.publicity_stop_provisional) == (date(2027, 1, 6), False)
    assert (opt.stop_due, opt.stop_due_provisional) == (date(2027, 1, 5), False)
    assert services.steps_of(notified).filter(step="recomputed").exists()


@time_machine.travel(datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_closed_rows_keep_their_dates(settings, client, make_official, department, no_2027_schedule,
                                      django_capture_on_commit_callbacks):
    """Only open deadlines are recomputed: a withdrawn opt-out keeps the date it had."""
    from disclosure.models import TrustOptOut
    from disclosure.services import opt_out_of_trust_publicity, withdraw_trust_opt_out
    from tests.sanctions import factories as f

    settings.CREDIT_POLICY = "qufu"
    subject = f.org("曲阜撤回公司")
    opt = opt_out_of_trust_publicity(subject, None)
    withdraw_trust_opt_out(subject)
    with django_capture_on_commit_callbacks(execute=True):
        _enter_2027(client, make_official, extra_days_off=[(date(2027, 1, 4), "元旦调整")])
    assert TrustOptOut.objects.get(pk=opt.pk).stop_due == date(2027, 1, 4)
    assert timezone.now().date() == date(2026, 12, 30)
