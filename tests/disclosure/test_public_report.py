"""The free public credit report (公开版): anyone downloads an organisation's report from its public
page; it holds what that page shows and nothing more; /verify/ checks it like every other report; natural persons
have none; downloads are rate-limited (RATELIMIT_REPORT, and RATELIMIT_BULK with every public read)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import QueryLogEntry
from catalog.models import Category, MatterType, Openness
from disclosure import public_report
from disclosure.fonts import cjk_font_path
from disclosure.models import CreditReport
from tests.catalog.factories import CatalogItemFactory, CatalogVersionFactory, publish
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

REGISTRATION = {"登记机关": "克拉玛依市市场监督管理局", "成立日期": "2012-04-18", "住所": "克拉玛依市昆仑路 88 号",
                "登记状态": "存续"}


@pytest.fixture
def company(world, department):
    """The world's company with its registration record on file (the facts that head its public page)."""
    version = CatalogVersionFactory()
    item = CatalogItemFactory(version=version, code="DJ-PUB", name="市场主体登记注册基本信息", category=Category.BASIC,
                              matter_type=MatterType.REGISTRATION, openness=Openness.PUBLIC, providers=[department])
    publish(version)
    item.refresh_from_db()
    f.record(world["company"], item, department, content=REGISTRATION, decided_on=date(2012, 4, 18))
    return world["company"]


def download(subject, client=None):
    response = (client or Client()).get(f"/subjects/{subject.code}/report.pdf")
    return response


def test_anyone_downloads_a_pdf_registered_for_verification(company):
    response = download(company)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    report = CreditReport.objects.get()
    assert report.kind == CreditReport.Kind.PUBLIC and report.subject == company and report.requested_by is None
    assert response["Content-Disposition"] == f'attachment; filename="{report.number}.pdf"'
    assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert not report.pdf  # the file is not kept, only its digest
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # Public information only: nothing enters the subject's query log.
    assert not QueryLogEntry.objects.filter(reference=report.number).exists()
    # Each download is a new report with today's content.
    assert download(company).status_code == 200
    assert CreditReport.objects.filter(kind="public").count() == 2


def test_the_subject_page_links_the_report_for_an_organisation(company):
    body = Client().get(f"/subjects/{company.code}/").content.decode()
    assert f'href="/subjects/{company.code}/report.pdf"' in body
    assert "下载公共信用信息报告（公开版，PDF）" in body


def test_natural_persons_and_unknown_codes_get_the_404(world):
    for code in (world["citizen"].code, world["citizen"].code.lower(), "916500000000000000", "nonsense"):
        response = Client().get(f"/subjects/{code}/report.pdf")
        assert response.status_code == 404
        assert "法人和非法人组织" in response.content.decode()
        assert world["citizen"].code not in response.content.decode()
    assert not CreditReport.objects.exists()


def test_holds_what_the_public_page_shows_and_nothing_else(company, world):
    data = public_report.build_public_report(company)
    ids = {row["id"] for s in data.sections for row in s["rows"]}
    # the public penalty, licence and commendation are in; the non-public record and the one past its window are not
    assert {world["penalty"].pk, world["licence"].pk, world["trust"].pk} <= ids
    assert world["hidden"].pk not in ids and world["old"].pk not in ids
    # no 信用评价 section (the 公共信用综合评价 is not public), the standard's other sections renumbered
    titles = [s["title"] for s in data.sections]
    assert titles[0] == "一、行政管理信息" and titles[-1] == "七、其他信息"
    assert not any("信用评价" in t for t in titles)
    assert data.suggestions == []
    rows = dict(data.subject_rows)
    assert rows["名称"] == company.name and rows["统一社会信用代码"] == company.code
    assert rows["法定代表人"] == "王**"
    assert rows["登记机关"] == "克拉玛依市市场监督管理局" and rows["住所"] == "克拉玛依市昆仑路 88 号"
    everything = repr(data.subject_rows) + repr(data.sections)
    # the responsible person's name, phone and address never appear; no identity number either
    assert "王小明" not in everything and "13812345678" not in everything and "某路1号" not in everything
    assert world["boss"].code not in everything
    assert not re.search(r"\d{17}[\dX]", everything.replace(company.code, ""))


def test_a_person_has_no_public_report(world):
    with pytest.raises(ValueError):
        public_report.build_public_report(world["citizen"])


@pytest.mark.skipif(not shutil.which("pdftotext") or cjk_font_path() is None, reason="poppler-utils or CJK font absent")
def test_the_pdf_text_is_the_public_edition(company, world, tmp_path):
    path = tmp_path / "public.pdf"
    path.write_bytes(download(company).content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    report = CreditReport.objects.get()
    assert "公共信用信息报告" in text and "公开版" in text
    assert report.number in text and report.check_code in text
    assert company.name in text and "克拉玛依市市场监督管理局" in text and "王**" in text
    assert "欠缴社会保险费信息" not in text  # the non-public record
    assert "信用评价" not in text and "信用状况提升建议" not in text
    assert "王小明" not in text and "13812345678" not in text and world["boss"].code not in text


def test_verify_accepts_its_code_and_rejects_a_tampered_one(company):
    pdf = download(company).content
    report = CreditReport.objects.get()
    ok = Client().get(f"/verify/{report.number}/", {"c": report.check_code.replace("-", "").lower()})
    assert ok.status_code == 200
    body = ok.content.decode()
    assert "报告真实有效" in body and "公共信用信息报告（公开版）" in body and company.name in body

    tampered = report.check_code[:-1] + ("A" if report.check_code[-1] != "A" else "B")
    bad = Client().get(f"/verify/{report.number}/", {"c": tampered})
    assert bad.status_code == 404 and "未找到与之相符的报告" in bad.content.decode()

    same = Client().post("/verify/", {"number": report.number, "check_code": report.check_code,
                                      "pdf": SimpleUploadedFile("r.pdf", pdf, "application/pdf")})
    assert same.status_code == 200 and "未被修改" in same.content.decode()
    altered = Client().post("/verify/", {"number": report.number, "check_code": report.check_code,
                                         "pdf": SimpleUploadedFile("r.pdf", pdf + b"\n%x", "application/pdf")})
    assert "文件可能被修改" in altered.content.decode()


def test_public_reports_are_not_listed_as_the_subjects_own(company, citizen_user, login):
    download(company)
    c = login(citizen_user(company))
    body = c.get("/my/reports/", {"subject": company.code}).content.decode()
    assert CreditReport.objects.get().number not in body


def test_rate_limited_per_minute_with_a_chinese_429(company, settings):
    settings.RATELIMIT_REPORT = "2/m"
    c = Client(REMOTE_ADDR="203.0.113.9")
    assert download(company, c).status_code == 200
    assert download(company, c).status_code == 200
    refused = download(company, c)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "请求过于频繁" in refused.content.decode()
    assert CreditReport.objects.count() == 2
    # another address has its own budget
    assert download(company, Client(REMOTE_ADDR="203.0.113.10")).status_code == 200


def test_counted_under_the_bulk_budget_with_every_public_read(company, settings):
    settings.RATELIMIT_BULK = "2/h"
    c = Client(REMOTE_ADDR="203.0.113.11")
    assert c.get(f"/subjects/{company.code}/").status_code == 200
    assert download(company, c).status_code == 200
    refused = download(company, c)
    assert refused.status_code == 429 and "请求过于频繁" in refused.content.decode()
