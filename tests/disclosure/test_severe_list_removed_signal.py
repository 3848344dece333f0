"""Qufu art. 35, received by signal: when sanctions sends ``records.signals.severe_list_removed``, the records behind
the listing stop being public on the removal day and are retained for the profile's years from it."""

from datetime import date

import pytest

from credit_platform.months import add_years
from credit_platform.policies import active_policy
from disclosure import services
from disclosure.models import RecordWindow
from records.signals import severe_list_removed
from sanctions import services as sanctions_services
from sanctions.models import SevereListEntry
from tests.sanctions import factories as sf

pytestmark = pytest.mark.django_db

REMOVED = date(2026, 9, 1)


def listed_with_a_window(department):
    company = sf.org("移出示范有限公司")
    record = sf.record(department, company, severity="severe")
    services.apply_windows([record.pk])
    entry = sanctions_services.list_court_debtor(
        company, department=department, case_number="执-S1", decision_number="决-S1", reasons="失信被执行人",
        basis="最高人民法院规定", records=[record], actor="t")
    return entry, record


def test_the_signal_stops_the_listings_publicity_and_restarts_retention(settings, department):
    settings.CREDIT_POLICY = "qufu"
    settings.CREDIT_POLICY_ALLOW_LAPSED = True
    entry, record = listed_with_a_window(department)
    before = RecordWindow.objects.get(pk=record.pk)
    assert before.public_until is None or before.public_until > REMOVED

    severe_list_removed.send(sender=SevereListEntry, entry=entry, removed_on=REMOVED)

    record.refresh_from_db()
    window = RecordWindow.objects.get(pk=record.pk)
    retain = add_years(REMOVED, active_policy().severe_list_retention_years.value)
    assert record.public_until == window.public_until == REMOVED
    assert record.retain_until == window.retain_until == retain
    assert window.list_removed_on == REMOVED and window.retain_rule == "severe_list_retention_years"
    assert window.retain_article == active_policy().severe_list_retention_years.article


def test_where_the_profile_does_not_tie_publicity_to_the_list_each_record_keeps_its_window(settings, department):
    settings.CREDIT_POLICY = "karamay"
    entry, record = listed_with_a_window(department)
    before = RecordWindow.objects.get(pk=record.pk)

    severe_list_removed.send(sender=SevereListEntry, entry=entry, removed_on=REMOVED)

    after = RecordWindow.objects.get(pk=record.pk)
    assert (after.public_until, after.retain_until, after.list_removed_on) == (
        before.public_until, before.retain_until, None)
