"""The credit report's 信用评价 says what /lists/mine/ says: the subject's 公共信用综合评价."""

from __future__ import annotations

import pytest

from disclosure.reports import build_report
from sanctions.models import Evaluation
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


def _evaluation_rows(subject) -> list[dict]:
    report = build_report(subject)
    return next(s for s in report.sections if s["key"] == "evaluation")["rows"]


def test_the_report_carries_the_evaluation_grade_and_score():
    company = f.org()
    Evaluation.objects.create(subject=company, score=72, grade="C", tier="higher", reasons=[], model_version="2026.1")
    rows = _evaluation_rows(company)
    assert [r["item"] for r in rows] == ["公共信用综合评价"]
    assert rows[0]["summary"].startswith("C（72 分") and rows[0]["source"]


def test_no_evaluation_no_row():
    assert _evaluation_rows(f.org("克拉玛依无评价有限公司")) == []


def test_the_report_renders_with_the_evaluation_row():
    from disclosure.reports import render_pdf

    company = f.org("克拉玛依评价渲染有限公司")
    Evaluation.objects.create(subject=company, score=72, grade="C", tier="higher", reasons=[], model_version="2026.1")
    pdf, _embedded = render_pdf(build_report(company), "AAAA-BBBB-CCCC-DDDD", "http://testserver")
    assert pdf.startswith(b"%PDF")
