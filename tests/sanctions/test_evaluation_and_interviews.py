"""Public credit evaluation (grades with reasons, supervision tiers) and interviews."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from credit_platform.months import add_months
from sanctions import rules, services, sweeps
from sanctions.models import Evaluation, Interview

from tests.sanctions import factories as f

TODAY = date(2026, 11, 23)


def facts(*records, subject_type="legal_person", **extra):
    return rules.SubjectFacts(subject_type=subject_type, records=tuple(records), **extra)


def rec(i, category="dishonesty", severity="general", status="active", months_ago=1):
    return rules.RecordFact(i, category, severity, status, add_months(TODAY, -months_ago), "", f"记录{i}")


def test_clean_subject_is_b_and_normal_tier():
    result = rules.evaluate(facts(), TODAY)
    assert (result.score, result.grade, result.tier) == (80, "B", "normal")
    assert result.reasons[0]["text"].startswith("基础分")


def test_trust_records_raise_to_a_and_lower_tier():
    result = rules.evaluate(facts(*[rec(i, "trust", "") for i in range(6)]), TODAY)
    assert result.grade == "A" and result.tier == "lower" and result.score == 92


def test_recent_severe_dishonesty_is_d_and_higher_tier_with_reasons():
    result = rules.evaluate(facts(rec(1, severity="severe")), TODAY)
    assert result.grade == "D" and result.tier == "higher"
    assert any(r["ref"] == "record:1" and r["points"] == -30 for r in result.reasons)
    assert result.recompute_on == add_months(add_months(TODAY, -1), 12)


def test_recency_and_repair():
    old = rules.evaluate(facts(rec(1, severity="severe", months_ago=30)), TODAY)
    assert old.score == 80 - 9  # 30 points × 0.3 in the third year
    repaired = rules.evaluate(facts(rec(1, severity="severe", status="repaired")), TODAY)
    assert repaired.score == 80 and "信用修复" in repaired.reasons[-1]["text"]


def test_natural_persons_get_no_supervision_tier():
    result = rules.evaluate(facts(rec(1, severity="severe"), subject_type="natural_person"), TODAY)
    assert result.tier is None and "第四十七条" in result.reasons[-1]["text"]


@pytest.mark.django_db
def test_recomputed_when_records_change_and_shown_with_reasons(client_scjg, department,
                                                               django_capture_on_commit_callbacks):
    subject = f.org()
    with django_capture_on_commit_callbacks(execute=True):
        f.record(department, subject, category="trust")
    assert Evaluation.objects.get(subject=subject).score == 82
    with django_capture_on_commit_callbacks(execute=True):
        bad = f.record(department, subject, severity="severe", decided_on=timezone.localdate() - timedelta(days=10))
    evaluation = Evaluation.objects.get(subject=subject)
    assert evaluation.grade == "D" and evaluation.tier == "higher"
    body = client_scjg.get(f"/api/v1/evaluations/{subject.code}/").json()
    assert body["grade"] == "D" and any(r["ref"] == f"record:{bad.pk}" for r in body["reasons"])
    assert evaluation.history.count() == 2


@pytest.mark.django_db
def test_evaluation_sweep_recomputes_when_age_changes_the_score(department):
    subject = f.org()
    f.record(department, subject, severity="severe", decided_on=timezone.localdate() - timedelta(days=20))
    evaluation = services.recompute_evaluation(subject)
    first = evaluation.score
    later = timezone.now() + timedelta(days=400)
    assert sweeps.evaluations(later) == 1
    evaluation.refresh_from_db()
    assert evaluation.score > first


@pytest.mark.django_db
def test_interviews_through_the_api(client_scjg, department):
    subject = f.org()
    bad = f.record(department, subject, severity="general")
    payload = {"subject": subject.code, "kind": "warning", "held_on": str(timezone.localdate()), "interviewee": "李四",
               "interviewee_role": "法定代表人", "reason": "逾期未整改", "summary": "告知失信后果，要求限期整改",
               "requirements": "30日内完成整改", "records": [bad.pk]}
    response = client_scjg.post("/api/v1/interviews/", payload, format="json")
    assert response.status_code == 201, response.content
    interview = Interview.objects.get()
    assert interview.subject == subject and list(interview.records.all()) == [bad]
    assert client_scjg.get(f"/api/v1/interviews/?subject={subject.code}").json()[0]["kind"] == "warning"
    future = {**payload, "held_on": str(timezone.localdate() + timedelta(days=3))}
    assert client_scjg.post("/api/v1/interviews/", future, format="json").status_code == 400
    missing = client_scjg.post("/api/v1/interviews/", {**payload, "subject": "91650200MA0000000X"}, format="json")
    assert missing.status_code == 404
