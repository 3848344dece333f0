"""Severe dishonesty list: due process end to end (notice → defence → decision → listed → removal), the sweeps,
linked persons, courts' judgment debtors and the repair hooks."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone

from credit_platform.workdays import add_working_days, local_date
from credit_platform.exceptions import DomainError
from sanctions import documents, joint_check, services, sweeps
from sanctions.models import CheckedMeasure, SanctionEvent, SevereListEntry

from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db
S = SevereListEntry.Status


@pytest.fixture
def severe_measure(procurement):
    lst = f.measure_list()
    m = f.measure(lst, code="YZ-CG", name="限制参加政府采购活动", tier="severe", severities=["severe", "specific_severe"],
                  matters=[procurement])
    f.measure(lst, code="YZ-LIST", name="限制参与政府投资项目", trigger="severe_list", tier="severe", categories=[],
              severities=[], matters=[procurement])
    f.publish(lst)
    return m


def propose(department, subject, rec, measures=(), term=24):
    return services.propose_severe_listing(
        subject, department=department, reasons="生产销售不合格产品，严重危害人民群众身体健康",
        basis="《中华人民共和国产品质量法》；市场监督管理严重违法失信名单管理办法", records=[rec], measures=measures,
        term_months=term, removal_conditions="列入满一年且已履行行政处罚义务", removal_procedure="向认定部门提出申请，认定部门核实后移出",
        remedies="可以依法申请行政复议或者提起行政诉讼", actor="officer",
    )


def end_defence_period(entry):
    SevereListEntry.objects.filter(pk=entry.pk).update(defence_due=local_date(timezone.now()) - timedelta(days=1))
    entry.refresh_from_db()


def test_only_severe_records_can_ground_a_listing(department):
    subject = f.org()
    general = f.record(department, subject, severity="general")
    with pytest.raises(DomainError) as exc:
        propose(department, subject, general)
    assert exc.value.code == "record_not_severe"


def test_term_must_be_within_the_profile(department):
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    with pytest.raises(DomainError) as exc:
        propose(department, subject, rec, term=60)  # Karamay art. 33: at most three years
    assert exc.value.code == "term_out_of_range"


def test_unpublished_measure_cannot_be_prompted(department, procurement):
    draft = f.measure_list()
    m = f.measure(draft, tier="severe", severities=["severe"])
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    with pytest.raises(DomainError) as exc:
        propose(department, subject, rec, measures=[m])
    assert exc.value.code == "measure_not_published"


def test_notice_needs_a_period_where_the_profile_sets_none(department):
    subject = f.org()
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    with pytest.raises(DomainError) as exc:
        services.send_prior_notice(entry, actor="officer", notice_number="克市监告〔2026〕1号")
    assert exc.value.code == "defence_days_required"
    services.send_prior_notice(entry, actor="officer", notice_number="克市监告〔2026〕1号", defence_days=5)
    assert entry.defence_due == add_working_days(entry.notified_at, 5).date


def test_defence_period_from_the_profile(department, profile):
    profile("heilongjiang", defence_period_days=7)
    subject = f.org()
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    with pytest.raises(DomainError):  # never shorter than the profile
        services.send_prior_notice(entry, actor="officer", notice_number="告〔2026〕1号", defence_days=3)
    services.send_prior_notice(entry, actor="officer", notice_number="告〔2026〕1号")
    assert entry.defence_days == 7 and entry.defence_due == add_working_days(entry.notified_at, 7).date
    assert "第五十五条" in entry.defence_article


def test_due_process_end_to_end(department, severe_measure, client_scjg):
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    entry = propose(department, subject, rec, measures=[severe_measure])
    with pytest.raises(DomainError):  # no decision without the prior notice
        services.decide_listing(entry, actor="officer", decision_number="克市监决〔2026〕1号")
    services.send_prior_notice(entry, actor="officer", notice_number="克市监告〔2026〕1号", defence_days=5)
    assert b"%PDF" == documents.notice_pdf(entry)[:4]
    with pytest.raises(DomainError) as exc:  # the defence period is running
        services.decide_listing(entry, actor="officer", decision_number="克市监决〔2026〕1号")
    assert exc.value.code == "defence_period_running"
    services.submit_defence(entry, statement="产品已全部召回，危害已消除", evidence="召回记录", user=None)
    with pytest.raises(DomainError) as exc:  # the statement must be reviewed first
        services.decide_listing(entry, actor="officer", decision_number="克市监决〔2026〕1号")
    assert exc.value.code == "defence_not_reviewed"
    services.review_defence(entry, outcome="rejected", reasons="召回不影响违法事实的认定", actor="officer")
    entry = services.decide_listing(entry, actor="officer", decision_number="克市监决〔2026〕1号")
    assert entry.status == S.LISTED and entry.public is True
    assert entry.term_end == date(entry.listed_on.year + 2, entry.listed_on.month, entry.listed_on.day) or entry.term_end
    steps = [e.step for e in services.steps_of(entry)]
    assert steps == ["proposed", "notified", "defence_submitted", "defence_reviewed", "listed"]
    assert all(e.actor_label for e in services.steps_of(entry))
    html = documents.decision_html(entry)
    for text in ("事由", "依据", "失信惩戒措施提示", "限制参加政府采购活动", "移出条件", "移出程序", "救济途径", "信用修复告知",
                 "行政复议"):
        assert text in html
    pdf = documents.decision_pdf(entry)
    assert pdf[:4] == b"%PDF"
    # the joint check now returns the list-based measure because of the entry
    answer = client_scjg.post("/api/v1/joint-check/", {"subject": subject.code, "matter": "government_procurement"},
                              format="json").json()
    because = {m["code"]: m["because"] for m in answer["measures"]}
    assert because["YZ-LIST"] == [f"severe_list:{entry.pk}"] and because["YZ-CG"] == [f"record:{rec.pk}"]


def test_decision_pdf_embeds_the_chinese_font(department, tmp_path):
    subject = f.org()
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    services.send_prior_notice(entry, actor="o", notice_number="告1", defence_days=3)
    end_defence_period(entry)
    services.decide_listing(entry, actor="o", decision_number="决1")
    path = tmp_path / "decision.pdf"
    path.write_bytes(documents.decision_pdf(entry))
    try:
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=30).stdout
    except FileNotFoundError:
        pytest.skip("pdffonts not installed")
    if "WenQuanYi" not in out:
        pytest.skip("fonts-wqy-microhei not installed")
    line = next(line for line in out.splitlines() if "WenQuanYi" in line)
    assert " yes " in line  # emb = yes


def test_defence_upheld_before_the_decision(department):
    subject = f.org()
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    services.send_prior_notice(entry, actor="o", notice_number="告2", defence_days=5)
    services.submit_defence(entry, statement="处罚决定已被行政复议撤销", user=None)
    services.review_defence(entry, outcome="upheld", reasons="经核实，处罚决定已被撤销", actor="o")
    entry.refresh_from_db()
    assert entry.status == S.NOT_LISTED
    with pytest.raises(DomainError):
        services.decide_listing(entry, actor="o", decision_number="决2")


def test_silence_then_decision_after_the_period(department):
    subject = f.org()
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    services.send_prior_notice(entry, actor="o", notice_number="告3", defence_days=5)
    end_defence_period(entry)
    entry = services.decide_listing(entry, actor="o", decision_number="决3")
    assert entry.status == S.LISTED


def test_defence_after_listing_upheld_removes(department):
    subject = f.org()
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    services.send_prior_notice(entry, actor="o", notice_number="告4", defence_days=5)
    end_defence_period(entry)
    services.decide_listing(entry, actor="o", decision_number="决4")
    services.submit_defence(entry, statement="认定事实错误", user=None)
    services.review_defence(entry, outcome="upheld", reasons="事实认定有误", actor="o")
    entry.refresh_from_db()
    assert entry.status == S.REMOVED and entry.removal_reason == SevereListEntry.Removal.DEFENCE_UPHELD
    assert entry.publicity_stop_due is not None


def test_linked_persons_are_listed_and_removed_with_the_organisation(department):
    subject = f.org()
    boss, director = f.person("李四"), f.person("赵六")
    f.related(subject, boss, "legal_representative")
    f.related(subject, director, "director")  # not a role the profile names
    entry = propose(department, subject, f.record(department, subject, severity="severe"))
    services.send_prior_notice(entry, actor="o", notice_number="告5", defence_days=5)
    end_defence_period(entry)
    services.decide_listing(entry, actor="o", decision_number="决5")
    [child] = entry.linked.all()
    assert child.subject == boss and child.status == S.LISTED and child.linked_role == "legal_representative"
    assert child.public is False  # Karamay art. 36: natural persons' dishonesty is not public
    services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="o")
    child.refresh_from_db()
    assert child.status == S.REMOVED and child.removal_reason == SevereListEntry.Removal.PARENT_REMOVED


def _listed(department, **kwargs):
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    entry = propose(department, subject, rec, **kwargs)
    services.send_prior_notice(entry, actor="o", notice_number=f"告-{entry.pk}", defence_days=5)
    end_defence_period(entry)
    return services.decide_listing(entry, actor="o", decision_number=f"决-{entry.pk}"), rec


def test_term_end_and_publicity_sweeps_act_once(department, profile):
    profile("qufu")  # art. 35: publicity stops within 3 working days of removal
    entry, _ = _listed(department, term=12)
    SevereListEntry.objects.filter(pk=entry.pk).update(term_end=date(2026, 3, 2))
    late_run = timezone.make_aware(timezone.datetime(2026, 3, 20, 9, 0))  # the beat was down for weeks
    assert sweeps.severe_list_terms(late_run) == 1
    assert sweeps.severe_list_terms(late_run) == 0
    entry.refresh_from_db()
    assert entry.status == S.REMOVED and entry.public is True
    assert entry.publicity_stop_due == add_working_days(date(2026, 3, 20), 3).date
    assert sweeps.publicity(late_run) == 1
    assert sweeps.publicity(late_run) == 0
    entry.refresh_from_db()
    assert entry.public is False and entry.publicity_stopped_late is False
    assert SanctionEvent.objects.filter(object_id=entry.pk, step="publicity_stopped").count() == 1


def test_publicity_stopped_late_is_marked(department, profile):
    profile("qufu")
    entry, _ = _listed(department)
    removed = timezone.make_aware(timezone.datetime(2026, 6, 1, 10, 0))
    services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="o", now=removed)
    entry.refresh_from_db()
    assert entry.publicity_stop_due == add_working_days(date(2026, 6, 1), 3).date
    much_later = removed + timedelta(days=30)
    assert sweeps.publicity(much_later) == 1 and sweeps.publicity(much_later) == 0
    entry.refresh_from_db()
    assert entry.publicity_stopped_late is True


def test_removal_is_compare_and_swap(department):
    entry, _ = _listed(department)
    stale = SevereListEntry.objects.get(pk=entry.pk)
    assert services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="a") is True
    assert services.remove_from_severe_list(stale, reason=SevereListEntry.Removal.REPAIRED, actor="b") is False
    entry.refresh_from_db()
    assert entry.removal_reason == SevereListEntry.Removal.TERM_END


def test_repair_removes_lifts_measures_and_revocation_restores(department, severe_measure, client_scjg):
    entry, rec = _listed(department, measures=[severe_measure])
    answer = client_scjg.post("/api/v1/joint-check/", {"subject": entry.subject.code, "matter": "government_procurement"},
                              format="json").json()
    client_scjg.post(f"/api/v1/joint-check/{answer['check_id']}/feedback/", {"outcome": "applied"}, format="json")
    assert CheckedMeasure.objects.filter(outcome="applied", lifted_at__isnull=True).count() == 2
    rec.status = "repaired"
    rec.save()
    result = services.on_record_repaired(rec, actor="reviewer", reason="已履行处罚义务并作出信用承诺")
    entry.refresh_from_db()
    assert result["removed"] == [entry.pk] and entry.status == S.REMOVED
    assert entry.removal_reason == SevereListEntry.Removal.REPAIRED and entry.removed_for_record == rec
    assert CheckedMeasure.objects.filter(outcome="applied", lifted_at__isnull=True).count() == 0
    rec.status = "active"
    rec.save()
    services.on_repair_revoked(rec, actor="reviewer", reason="以欺骗手段取得修复")
    entry.refresh_from_db()
    assert entry.status == S.LISTED and entry.public is True
    assert CheckedMeasure.objects.filter(outcome="applied", lifted_at__isnull=True).count() == 2
    assert joint_check.audit_applied() == []


def test_court_debtors_are_listed_on_receipt(token_client, department, settings):
    from credit_platform.models import Department

    court = Department.objects.create(code="FY", name="克拉玛依市中级人民法院")
    payload = {"subject": {"type": "legal_person", "code": f.org().code, "name": "某某公司"},
               "case_number": "(2026)新02执15号", "decision_number": "(2026)新02执15号决定书",
               "basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》", "term_months": 24}
    denied = token_client(department).post("/api/v1/severe-list/court/", payload, format="json")
    assert denied.status_code == 403
    response = token_client(court).post("/api/v1/severe-list/court/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "listed" and response.json()["source"] == "court"
    again = token_client(court).post("/api/v1/severe-list/court/", payload, format="json")
    assert again.json()["id"] == response.json()["id"]
    removal = token_client(court).post("/api/v1/severe-list/court/removal/", {
        "case_number": "(2026)新02执15号", "subject": payload["subject"]["code"], "reason": "已履行全部义务"}, format="json")
    assert removal.status_code == 200 and removal.json()["removal_reason"] == "court_removed"


def test_public_list_entries(department):
    entry, _ = _listed(department)
    assert services.public_list_entries(entry.subject)["severe"] == [entry]
    citizen = f.person()
    rec = f.record(department, citizen, severity="severe")
    person_entry = propose(department, citizen, rec)
    services.send_prior_notice(person_entry, actor="o", notice_number="告P", defence_days=2)
    end_defence_period(person_entry)
    services.decide_listing(person_entry, actor="o", decision_number="决P")
    assert services.public_list_entries(citizen)["severe"] == []


def test_run_sanction_sweeps_command(department):
    from io import StringIO

    from django.core.management import call_command

    entry, _ = _listed(department)
    SevereListEntry.objects.filter(pk=entry.pk).update(term_end=date(2026, 1, 1))
    out = StringIO()
    call_command("run_sanction_sweeps", stdout=out)
    assert "sanctions_severe_list_terms: 1" in out.getvalue() and "sanctions_publicity: 1" in out.getvalue()
    out = StringIO()
    call_command("run_sanction_sweeps", stdout=out)
    assert "sanctions_severe_list_terms: 0" in out.getvalue() and "sanctions_publicity: 0" in out.getvalue()


def test_qufu_removal_stops_the_records_publicity(department, profile):
    profile("qufu")
    entry, rec = _listed(department)
    services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.TERM_END, actor="o")
    sweeps.publicity(timezone.now())
    rec.refresh_from_db()
    assert rec.public_until == local_date(timezone.now())
