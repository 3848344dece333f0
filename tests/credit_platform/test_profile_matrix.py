"""Every profile runs: ``bootstrap_demo`` under each of the five jurisdiction profiles, twice, and the
core flows on top of it — push over the HTTP API, the publicity window and its sweep, the public page, an objection
on the profile's clock, repair eligibility, the severe-list procedure, the joint check and the credit report.

One demo per profile, shared by the tests of that profile: the class-scoped ``world`` fixture switches the active
profile the way the settings do (``CREDIT_POLICY``), freezes the clock and loads the demo inside a transaction that
is rolled back after the last test of the profile; each test runs in a savepoint of its own.

The clock is frozen on Tuesday 2026-09-29 10:00 Asia/Shanghai, two days before the National Day holiday
(2026-10-01..07, with Saturday 2026-10-10 an adjusted working day), so every working-day count below crosses a
real holiday and a 调休 Saturday. The calendar rows come from migration 0004_seed_calendar (chinesecalendar's
2026 schedule, which the expected dates below spell out day by day).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from rest_framework.test import APIClient

from catalog.demo import item_code
from credit_platform.models import ApiToken, Department, User
from credit_platform.policies import PROFILES, active_policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 29, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()

# Settings each profile runs with: h14b's guard refuses the demo with DEBUG off; Qufu's measures lapsed on
# 2025-06-30, so h15b's system check wants the lapse acknowledged (CREDIT_POLICY_ALLOW_LAPSED=true).
PROFILE_SETTINGS = {code: {"CREDIT_POLICY": code, "DEBUG": True} for code in PROFILES}
PROFILE_SETTINGS["qufu"]["CREDIT_POLICY_ALLOW_LAPSED"] = True

#: Objection filed on 2026-09-29 (Tue): (mark due, decision due) on each profile's clock, counted on the 2026
#: calendar — Sep 30, [Oct 1-7 holiday], Oct 8, Oct 9, Oct 10 (adjusted working Saturday), Oct 12, 13, 14 …
#: Karamay art. 34: 2 / 7 working days; Heilongjiang art. 53: 1 / 3; Qufu art. 59: no marking period (marked on
#: receipt) / 3; Fuzhou and Zhangye set neither (marked on receipt, decided "in time").
OBJECTION_DUE = {
    "karamay": (date(2026, 10, 8), date(2026, 10, 14)),
    "heilongjiang": (date(2026, 9, 30), date(2026, 10, 9)),
    "qufu": (None, date(2026, 10, 9)),
    "fuzhou": (None, None),
    "zhangye": (None, None),
}

#: Months a general dishonesty penalty stays public where the statute itself fixes the maximum at one year
#: (Heilongjiang art. 51, Fuzhou and Zhangye via the national tiers); Karamay and Qufu follow their profile
#: (Karamay art. 33 / Qufu art. 86 defer to the national rules — see ``expected_general_months``).
GENERAL_PUBLICITY_MONTHS = {"heilongjiang": 12, "fuzhou": 12, "zhangye": 12}


def add_months(day: date, months: int) -> date:
    from credit_platform.months import add_months as civil_code_add_months

    return civil_code_add_months(day, months)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


@dataclasses.dataclass
class World:
    code: str
    outputs: tuple[str, str]
    counts: tuple[dict, dict]
    tmp: object

    @property
    def policy(self):
        return PROFILES[self.code]

    def api(self, dept_code: str = "SCJG") -> APIClient:
        _, raw = ApiToken.issue(Department.objects.get(code=dept_code), name=f"matrix {dept_code}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client


def _counts() -> dict:
    from objections.models import Objection
    from records.models import Record, Subject
    from repair.models import RepairApplication
    from sanctions.models import JointCheck, Measure, RedListEntry, SevereListEntry

    models = (Department, User, Record, Subject, Objection, RepairApplication, SevereListEntry, RedListEntry, Measure,
              JointCheck)
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture(scope="class", params=sorted(PROFILES))
def world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    code = request.param
    tmp = tmp_path_factory.mktemp(f"demo-{code}")
    overrides = {**PROFILE_SETTINGS[code], "MEDIA_ROOT": str(tmp / "media"),
                 "OBJECTION_EVIDENCE_ROOT": str(tmp / "evidence"),
                 # the demo's 13 accounts: PBKDF2 would spend ~1 s on each, per profile
                 "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
    with override_settings(**overrides), time_machine.travel(NOW, tick=True), django_db_blocker.unblock():
        assert active_policy().code == code
        with transaction.atomic():
            first, second = StringIO(), StringIO()
            call_command("bootstrap_demo", stdout=first)
            after_first = _counts()
            call_command("bootstrap_demo", stdout=second)
            yield World(code, (first.getvalue(), second.getvalue()), (after_first, _counts()), tmp)
            transaction.set_rollback(True)


def _penalty_row(world: World, ref: str, *, subject: dict, decided: date, item: str = "QG-CF-001",
                 types=("fine",), severity: str = "general") -> dict:
    from disclosure.demo import _penalty

    scjg = Department.objects.get(code="SCJG")
    return _penalty(ref, subject, decided, item=item, severity=severity, types=types, issuer=scjg.name,
                    uscc=scjg.uscc, violation="虚假宣传", fine=0.5)


def _company(serial: int, name: str) -> dict:
    from credit_platform.identifiers import make_uscc

    return {"type": "legal_person", "code": make_uscc("650200", serial), "name": name}


def _push(world: World, row: dict):
    from records.models import Record

    response = world.api().post("/api/v1/records/", row, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["push_status"] == "created"
    return Record.objects.select_related("window", "subject").get(source_ref=row["source_ref"])


def expected_general_months(world: World) -> int:
    """The maximum a QG-CF-001 penalty (catalog maximum 36 months) is published for under the profile."""
    if world.code in GENERAL_PUBLICITY_MONTHS:
        return GENERAL_PUBLICITY_MONTHS[world.code]
    lo, hi = world.policy.effective_publicity_months("general")
    return min(max(36, lo), hi)


@pytest.mark.django_db
class TestEveryProfile:
    # --- the demo itself ---------------------------------------------------------------------------------------
    def test_bootstrap_demo_completes_twice_and_changes_nothing_the_second_time(self, world):
        first, second = world.outputs
        for out in (first, second):
            assert "demo: repair" in out and "演示账号" in out
        assert "0 rejected" in first and " 0 created, 0 updated" in second
        assert "objections: demo objections already present" in second and "repair demo: already loaded" in second
        assert world.counts[0] == world.counts[1]
        assert world.counts[0]["Record"] > 900 and world.counts[0]["RepairApplication"] == 4
        assert f"{world.policy.short_name} clock" in first

    def test_demo_cases_follow_the_profile_clock(self, world):
        from objections.models import Objection, Status
        from repair.models import RepairApplication
        from sanctions.models import SevereListEntry

        today = TODAY
        objections = {o.statement: o for o in Objection.objects.filter(statement__startswith="【演示】")}
        assert len(objections) == 4
        states = sorted(o.status for o in objections.values())
        mark_days = world.policy.objection_mark_days.value
        fresh_state = Status.RECEIVED if mark_days else Status.MARKED  # no marking period: marked on receipt
        assert states == sorted([fresh_state, Status.UNDER_REVIEW, Status.DECIDED, Status.MARKED])
        for o in objections.values():
            if o.status == Status.RECEIVED:
                assert o.mark_due is not None and o.mark_due >= today
            if o.status == Status.UNDER_REVIEW:  # still inside its decision period
                assert o.decision_due is None or o.decision_due >= today
            if o.status == Status.DECIDED:  # decided in time
                assert o.decision_due is None or o.decided_at.astimezone(SHANGHAI).date() <= o.decision_due
        overdue = [o for o in objections.values() if o.decision_due and o.decision_due < today and o.status != "decided"]
        assert len(overdue) == (1 if world.policy.objection_decision_days.value else 0)

        repair = sorted(RepairApplication.objects.values_list("status", flat=True))
        assert repair == sorted(["approved", "accepted", "submitted", "refused"])
        refused = RepairApplication.objects.get(status="refused")
        assert refused.eligibility["reasons"][0]["code"] == "min_period_not_elapsed"

        severe = dict(SevereListEntry.objects.filter(parent__isnull=True).values_list("status", "defence_due"))
        assert {"listed", "removed", "notified", "not_listed"} <= set(severe)
        assert severe["notified"] >= today  # the defence period is running
        for entry in SevereListEntry.objects.filter(status="listed", notified_at__isnull=False, parent__isnull=True):
            assert entry.defence_due < entry.listed_on or entry.defences.exists()

    def test_demo_is_told_in_the_profiles_own_words(self, world):
        from catalog import services as catalog_services
        from credit_platform.demo_locale import LOCALES
        from records.models import Record, Subject
        from sanctions.models import Measure

        locale = LOCALES[world.code]
        items = catalog_services.current_items()
        local = items.filter(code__startswith=f"{locale.item_prefix}-")
        assert local.count() >= 25
        assert all(locale.city in item.version.title for item in local.select_related("version"))
        if world.code != "karamay":  # each item rests on the profile's own statute, never Karamay's
            assert all(item.legal_basis.startswith(locale.statute) for item in local)
            assert not items.filter(legal_basis__contains="克拉玛依").exists()
            assert not Subject.objects.filter(name__contains="克拉玛依").exists()
            assert not Record.objects.filter(basis_issuer__contains="克拉玛依").exists()
            assert not Measure.objects.filter(legal_basis__contains="克拉玛依").exists()
        supplementary = Measure.objects.published().filter(code__startswith=f"{locale.item_prefix}-")
        assert supplementary.exists() and all(m.legal_basis.startswith(locale.statute) for m in supplementary)
        assert Department.objects.get(code="FY").name == locale.court

    def test_rules_page_shows_the_active_profile(self, world):
        page = Client().get("/rules/")
        assert page.status_code == 200
        assert world.policy.name in page.content.decode()

    # --- push, window, public page --------------------------------------------------------------------------------
    def test_push_publicity_window_sweep_and_public_page(self, world):
        from disclosure import sweeps

        decided = date(2026, 9, 15)
        company = _company(990_001, "矩阵测试贸易有限公司")
        fine = _push(world, _penalty_row(world, "MATRIX-CF-1", subject=company, decided=decided))
        warning = _push(world, _penalty_row(world, "MATRIX-CF-2", subject=company, decided=decided, types=("warning",)))
        months = expected_general_months(world)
        assert fine.window.published and fine.window.public_until == add_months(decided, months)
        # Qufu art. 34: warnings and 通报批评 are not published; every other profile publishes them.
        assert warning.window.published is (world.code != "qufu")

        page = Client().get(f"/subjects/{company['code']}/")
        assert page.status_code == 200
        text = page.content.decode()
        assert fine.basis_number in text
        assert (warning.basis_number in text) is (world.code != "qufu")

        last_day = fine.window.public_until  # public on its last day, archived from the day after
        sweeps.end_publicity(at(last_day, 0) + timedelta(minutes=20))
        fine.refresh_from_db()
        assert fine.status == "active"
        sweeps.end_publicity(at(last_day + timedelta(days=1), 0) + timedelta(minutes=20))
        fine.refresh_from_db()
        assert fine.status == "expired"
        assert fine.basis_number not in Client().get(f"/subjects/{company['code']}/").content.decode()

    # --- objection on the clock --------------------------------------------------------------------------------------
    def test_objection_due_dates_and_mark_sweep_on_the_profile_clock(self, world):
        from objections import services, sweeps
        from objections.models import Status

        company = _company(990_002, "矩阵异议测试有限公司")
        record = _push(world, _penalty_row(world, "MATRIX-YY-1", subject=company, decided=date(2026, 9, 10)))
        objection = services.file_objection(
            records=[record], ground="inaccurate", statement="罚款金额有误。", actor=None, channel="counter",
            handling_department=Department.objects.get(is_credit_centre=True), applicant_name=company["name"],
        )
        mark_due, decision_due = OBJECTION_DUE[world.code]
        assert (objection.mark_due, objection.decision_due) == (mark_due, decision_due)
        assert objection.provisional is False
        if mark_due is None:  # no marking period: marked on receipt
            assert objection.status == Status.MARKED
        else:  # the sweep marks on the due day itself, not the day before
            sweeps.sweep_marks(at(mark_due - timedelta(days=1)))
            objection.refresh_from_db()
            assert objection.status == Status.RECEIVED
            sweeps.sweep_marks(at(mark_due, 0) + timedelta(minutes=5))
            objection.refresh_from_db()
            assert objection.status == Status.MARKED and objection.marked_automatically
        record.refresh_from_db()
        assert record.disputed

    # --- repair eligibility --------------------------------------------------------------------------------------------
    def test_repair_eligibility_over_the_api(self, world):
        decided = date(2026, 9, 19)
        company = _company(990_003, "矩阵修复测试有限公司")
        general = _push(world, _penalty_row(world, "MATRIX-XF-1", subject=company, decided=decided))
        food = _push(world, _penalty_row(world, "MATRIX-XF-2", subject=company, decided=decided, item=item_code("KMY-SXX-009")))
        api = world.api()
        answer = api.get(f"/api/v1/records/{general.pk}/repair-eligibility/").json()
        assert answer["policy"] == world.code and answer["eligible"] is False
        assert [r["code"] for r in answer["reasons"]] == ["min_period_not_elapsed"]
        # Order 36: three months for general dishonesty, elapsed at the end of 2026-12-19 → repairable from 12-20.
        assert answer["earliest_date"] == "2026-12-20"
        # Qufu art. 34: one year in the special domains (food among them); elsewhere the national three months.
        food_answer = api.get(f"/api/v1/records/{food.pk}/repair-eligibility/").json()
        assert food_answer["earliest_date"] == ("2027-09-20" if world.code == "qufu" else "2026-12-20")

    # --- severe-list procedure ------------------------------------------------------------------------------------------
    def test_severe_list_decision_waits_for_the_defence_period(self, world):
        from credit_platform.exceptions import DomainError
        from sanctions import services
        from sanctions.models import SevereListEntry

        entry = SevereListEntry.objects.get(status="notified", parent__isnull=True, defences__isnull=True)
        due = entry.defence_due
        for day in (TODAY, due):  # the last day of the period still belongs to the subject
            with time_machine.travel(at(day, 23), tick=False):
                with pytest.raises(DomainError) as refused:
                    services.decide_listing(entry, actor="matrix", decision_number="矩阵决〔2026〕1号")
                assert refused.value.code == "defence_period_running"
        with time_machine.travel(at(due + timedelta(days=1), 0) + timedelta(minutes=1), tick=False):
            listed = services.decide_listing(entry, actor="matrix", decision_number="矩阵决〔2026〕1号")
        assert listed.status == "listed"
        assert entry.subject.name in Client().get("/lists/severe/").content.decode()

    # --- joint check ---------------------------------------------------------------------------------------------------
    def test_joint_check_answers_with_the_published_measures(self, world):
        from sanctions.models import SevereListEntry

        listed = SevereListEntry.objects.filter(status="listed", parent__isnull=True).select_related("subject").first()
        api = world.api("FGW")
        answer = api.post("/api/v1/joint-check/", {"subject": listed.subject.code, "matter": "government_procurement"},
                          format="json")
        assert answer.status_code == 200, answer.content
        codes = {m["code"] for m in answer.json()["measures"]}
        assert "QG-CJ-01" in codes  # 限制参加政府采购活动 for a severe-list subject
        clean = api.post("/api/v1/joint-check/", {"subject": _company(990_004, "无记录")["code"],
                                                  "matter": "government_procurement"}, format="json").json()
        assert clean["measures"] == [] and clean["subject_found"] is False

    # --- credit report ---------------------------------------------------------------------------------------------------
    def test_enterprise_downloads_its_credit_report(self, world):
        from disclosure.models import CreditReport
        from repair.demo import _energy_code

        client = Client()
        client.force_login(User.objects.get(username="enterprise"), backend="django.contrib.auth.backends.ModelBackend")
        response = client.post("/my/reports/", {"subject": _energy_code()})
        assert response.status_code == 302, response.content.decode()[:500]
        report = CreditReport.objects.latest("pk")
        pdf = client.get(f"/my/reports/{report.number}.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert b"".join(pdf.streaming_content).startswith(b"%PDF")
        check = Client().get(f"/verify/{report.number}/", {"c": report.check_code})
        assert check.status_code == 200 and "报告真实有效" in check.content.decode()


# --- the demo's wording per profile (no database) ---------------------------------------------------------------
@pytest.mark.parametrize("code", sorted(PROFILES))
def test_demo_locale_cites_the_profiles_own_statute_and_real_places(code):
    from credit_platform.demo_locale import LOCALES
    from credit_platform.identifiers import _known_region, check_uscc

    locale = LOCALES[code]
    assert locale.statute == PROFILES[code].title
    for key in ("basic", "trust", "dishonesty", "other", "incentive", "punishment", "severe_list"):
        assert locale.basis(key).startswith(locale.statute), key  # never another jurisdiction's text
    assert PROFILES[code].name in locale.basis("red_list")
    assert all(_known_region(d) for d in locale.districts)
    assert len(locale.words) >= 20 and len(set(locale.usccs)) == 9
    if code != "karamay":  # Karamay's departments keep the codes the demo always had
        assert all(check_uscc(u)[1] is None for u in locale.usccs)
        moved = locale.localise("国家税务总局克拉玛依市税务局、克拉玛依市中级人民法院、克拉玛依区、自治区级、克市监罚〔2026〕1号")
        assert "克拉玛依" not in moved and "自治区" not in moved and locale.tax_bureau in moved and locale.court in moved
        assert moved.endswith(f"{locale.abbr}市监罚〔2026〕1号")


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_repair_demo_cases_sit_between_the_repair_minimum_and_the_publicity_maximum(code):
    """Order 36: general dishonesty is repairable after 3 months; Heilongjiang art. 51 ends its publicity after a
    year — the demo's approved / accepted / waiting cases must lie in between and the refused one before."""
    from repair.demo import case_months_ago

    policy = PROFILES[code]
    minimum = policy.repair_min_for("general")
    longest = policy.effective_publicity_months("general")[1]
    *eligible, refused = case_months_ago(policy)
    assert all(minimum < months < longest for months in eligible) and refused < minimum
    # A profile squeezed so that no month lies between the two (its own period, not deferring to the national one).
    squeezed = dataclasses.replace(
        policy,
        publicity_general_months=dataclasses.replace(policy.publicity_general_months, value=(3, minimum + 1)),
        publicity_defers_to_national=dataclasses.replace(policy.publicity_defers_to_national, value=None),
    )
    with pytest.raises(ValueError):
        case_months_ago(squeezed)
