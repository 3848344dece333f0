"""Issue 15 items 1, 6 and 7: deference is data, a lapsed instrument is never applied silently, the age of majority
lives in the national rules. Each test names the article it holds in place."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from credit_platform.policies import PROFILES, get_policy, national
from credit_platform.policies.validity import policy_validity_errors, validity_notice
from disclosure.windows import RecordFacts, compute_window, minor_at
from records.rules import majority_age

SHANGHAI = ZoneInfo("Asia/Shanghai")
KARAMAY, QUFU = get_policy("karamay"), get_policy("qufu")


def _facts(**kw):
    base = {"category": "dishonesty", "subject_type": "legal_person", "severity": "general",
            "decided_on": date(2026, 1, 29), "occurred_on": date(2026, 1, 5), "penalty_types": ("fine",)}
    base.update(kw)
    return RecordFacts(**base)


# --- 1. deference (Karamay art. 33, Qufu art. 86; NDRC Order 36) ------------------------------------------------
@pytest.mark.parametrize(("code", "severity", "expected"), [
    ("karamay", "minor", (0, 3)), ("karamay", "general", (3, 12)), ("karamay", "severe", (12, 36)),
    ("qufu", "general", (3, 12)), ("qufu", "severe", (12, 36)),
])
def test_karamay_art33_and_qufu_art86_defer_both_ends_to_order36(code, severity, expected):
    profile = PROFILES[code]
    assert profile.defers_to_national
    assert profile.effective_publicity_months(severity) == expected
    assert expected == getattr(national, f"PUBLICITY_{severity.upper()}_MONTHS").value


def test_deference_is_data_a_profile_without_it_keeps_its_own_maximum():
    """Switch the one flag off and Karamay's own 36-month maximum comes back: the rule reads the profile, not a name."""
    own = dataclasses.replace(KARAMAY, publicity_defers_to_national=dataclasses.replace(
        KARAMAY.publicity_defers_to_national, value=False))
    assert own.effective_publicity_months("general") == (3, 36)
    assert KARAMAY.effective_publicity_months("general") == (3, 12)


def test_karamay_art33_general_record_public_at_most_one_year_boundary_days():
    """Decided 2026-01-29: public through 2027-01-29 (Civil Code art. 202, corresponding day), never 3 years."""
    w = compute_window(_facts(), KARAMAY)
    assert w.public_until == date(2027, 1, 29)
    day_before, day, day_after = date(2027, 1, 28), date(2027, 1, 29), date(2027, 1, 30)
    assert day_before <= w.public_until and day <= w.public_until and not day_after <= w.public_until
    assert "第三十三条" in w.article and "信用修复管理办法" in w.article


def test_qufu_art86_general_record_stops_after_one_year_but_art34_food_minimum_holds():
    assert compute_window(_facts(), QUFU).public_until == date(2027, 1, 29)
    food = compute_window(_facts(domain="food", catalog_months=(3, 6)), QUFU)
    assert food.public_until == date(2027, 1, 29) and food.min_until == date(2027, 1, 29)


def test_catalog_item_may_not_exceed_the_deferred_maximum():
    from catalog.rules import publicity_bounds

    assert publicity_bounds(KARAMAY)[:2] == (0, 36)  # severe still reaches 36
    lo, hi, article = publicity_bounds(QUFU)
    assert (lo, hi) == (0, 36) and "第三十四条" in article


@pytest.mark.django_db
def test_rules_page_shows_the_deference_karamay_art33(client, settings):
    settings.CREDIT_POLICY = "karamay"
    html = client.get(reverse("active-rules")).content.decode()
    assert 'id="policy-deference-notice"' in html
    assert "《克拉玛依市社会信用条例》第三十三条" in html
    assert "实际适用国家规定：3–12 个月" in html
    assert "实际适用国家规定：12–36 个月" in html
    assert 'id="policy-validity-notice"' not in html  # Karamay is in force


@pytest.mark.django_db
def test_rules_page_no_deference_where_the_profile_sets_its_own_heilongjiang_art51(client, settings):
    settings.CREDIT_POLICY = "heilongjiang"
    html = client.get(reverse("active-rules")).content.decode()
    assert 'id="policy-deference-notice"' not in html and "实际适用国家规定" not in html


# --- 6. a lapsed instrument (Qufu art. 87: in force 2023-07-01..2025-06-30) -------------------------------------
@pytest.mark.parametrize(("day", "lapsed"), [
    (date(2023, 6, 30), True), (date(2023, 7, 1), False), (date(2023, 7, 2), False),
    (date(2025, 6, 29), False), (date(2025, 6, 30), False), (date(2025, 7, 1), True),
])
def test_qufu_art87_validity_boundaries(day, lapsed):
    assert QUFU.lapsed_on(day) is lapsed
    messages = policy_validity_errors(QUFU, day, allowed=False)
    assert [m.id for m in messages] == (["credit_platform.E020"] if lapsed else [])
    assert bool(validity_notice(QUFU, day)) is lapsed


def test_qufu_art87_lapse_allowed_is_a_warning_never_silent():
    messages = policy_validity_errors(QUFU, date(2026, 12, 7), allowed=True)
    assert [m.id for m in messages] == ["credit_platform.W021"]
    assert "2025-06-30" in messages[0].msg


def test_a_draft_is_a_warning_not_an_error():
    for code in ("heilongjiang", "zhangye"):
        assert [m.id for m in policy_validity_errors(PROFILES[code], date(2026, 12, 7), allowed=False)] == [
            "credit_platform.W020"]
        assert "草案" in validity_notice(PROFILES[code], date(2026, 12, 7))
    for code in ("karamay", "fuzhou"):
        assert policy_validity_errors(PROFILES[code], date(2026, 12, 7), allowed=False) == []


@pytest.mark.django_db
def test_manage_py_check_errors_for_lapsed_qufu_unless_allowed(settings):
    """Qufu art. 87 with the clock frozen on 2026-12-07 (Shanghai): `check` fails; CREDIT_POLICY_ALLOW_LAPSED passes."""
    settings.CREDIT_POLICY = "qufu"
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=False):
        settings.CREDIT_POLICY_ALLOW_LAPSED = False
        with pytest.raises(SystemCheckError, match="E020"):
            call_command("check")
        settings.CREDIT_POLICY_ALLOW_LAPSED = True
        call_command("check")  # a warning only
    with time_machine.travel(datetime(2025, 6, 30, 23, 30, tzinfo=SHANGHAI), tick=False):  # 15:30 UTC, still the 30th
        settings.CREDIT_POLICY_ALLOW_LAPSED = False
        call_command("check")
    with (time_machine.travel(datetime(2025, 7, 1, 0, 30, tzinfo=SHANGHAI), tick=False),  # 2025-06-30 16:30 UTC
          pytest.raises(SystemCheckError, match="E020")):
        call_command("check")


@pytest.mark.django_db
def test_rules_page_and_admin_banner_say_qufu_has_lapsed(client, settings, make_official):
    settings.CREDIT_POLICY = "qufu"
    settings.CREDIT_POLICY_ALLOW_LAPSED = True
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=False):
        html = client.get(reverse("active-rules")).content.decode()
        assert 'id="policy-validity-notice"' in html and "已于2025年6月30日届满失效" in html
        assert 'id="policy-deference-notice"' in html and "第八十六条" in html
        user = make_official("lapse-root", superuser=True)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password_changed_at"])
        client.force_login(user)
        admin_html = client.get(reverse("admin:index")).content.decode()
        assert 'id="policy-validity-warning"' in admin_html and "已于2025年6月30日届满失效" in admin_html
    with time_machine.travel(datetime(2025, 6, 30, 12, 0, tzinfo=SHANGHAI), tick=False):
        assert 'id="policy-validity-warning"' not in client.get(reverse("admin:index")).content.decode()


# --- 7. Civil Code arts. 17 and 202 -------------------------------------------------------------------------------
def test_civil_code_art17_age_of_majority_lives_in_the_national_rules():
    assert national.AGE_OF_MAJORITY.value == 18 and "第十七条" in national.AGE_OF_MAJORITY.article
    for profile in PROFILES.values():
        assert profile.age_of_majority is national.AGE_OF_MAJORITY


def test_civil_code_art17_every_rule_reads_the_profiles_age():
    """Give a profile another age and both the push validation and the window's minor test follow it."""
    older = dataclasses.replace(KARAMAY, age_of_majority=dataclasses.replace(national.AGE_OF_MAJORITY, value=20))
    assert majority_age(older) == 20 and majority_age(KARAMAY) == 18
    born = date(2006, 5, 1)
    assert minor_at(born, date(2024, 4, 30), KARAMAY) is True  # the day before the 18th birthday
    assert minor_at(born, date(2024, 5, 1), KARAMAY) is False  # the birthday itself
    assert minor_at(born, date(2024, 5, 2), KARAMAY) is False
    assert minor_at(born, date(2024, 5, 1), older) is True  # 18 is a minor at 20


def test_civil_code_art202_is_cited_for_the_corresponding_day():
    from disclosure import windows

    assert "第二百零二条" in national.CORRESPONDING_DAY_ARTICLE
    assert "art. 202" in windows.__doc__ and "201 and 203" not in windows.__doc__
    assert "二百零二" in windows.add_months.__doc__
    assert windows.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)  # no corresponding day: the month's last
