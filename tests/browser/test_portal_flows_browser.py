"""Every portal flow in a real browser (Playwright driving Debian's Chromium), as a visitor uses them:
search paged through with its total; an organisation's page with its registration facts and its sections; the 双公示
search; the free public credit report downloaded from that page and verified by someone else; the repair flow (the
open application said before any form, evidence added, withdrawn, progress looked up by number and code without an
account); the Chinese 404 and 403 pages; the favicon; the catalog linked from the home page and the footer.

With SCREENSHOTS=1 the README's portal screenshots are saved to docs/screenshots/ (portal-search.png,
portal-subject.png, portal-public-report.png — the report's first page, with poppler's pdftoppm —,
portal-public-report-verify.png, portal-shuanggongshi.png, portal-repair-progress.png).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from credit_platform import roles
from credit_platform.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

ENERGY = "克拉玛依示例能源有限公司"
ENERGY_CODE = "916502000088000102"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n"
    b"endobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n"
    b"0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
)


@pytest.fixture
def demo(settings, tmp_path):
    """The demo data (``bootstrap_demo``), uploads and reports kept out of var/; the working-day calendar re-seeded
    first (a transactional test database is flushed after every test)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.OBJECTION_EVIDENCE_ROOT = str(tmp_path / "evidence")
    settings.DEBUG = True  # the demo's portal accounts sign in through the development door
    call_command("seed_calendar", stdout=StringIO())
    with override_settings(DEBUG=True):  # the demo refuses to load with DEBUG off
        call_command("bootstrap_demo", stdout=StringIO())


@pytest.fixture
def shot():
    """Viewport screenshot to docs/screenshots/<name>.png when SCREENSHOTS=1 (small files for the README)."""

    def take(page, name: str) -> None:
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    return take


def other_visitor(browser, base_url):
    """Another person in another browser: no cookie, no session of the first."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    visitor = context.new_page()
    visitor.set_default_timeout(15_000)
    visitor.base_url = base_url
    return visitor


def nav(page):
    return page.get_by_role("navigation", name="主导航")


def portal_login(page, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/my/**")


def status_line(page) -> str:
    return page.locator("main p.muted[role=status]").inner_text()


# --- search, paged with its total --------------------------------------------------------------------------------

SHOPS = ("百货", "商贸", "物流", "建材", "餐饮", "石化", "机电", "农资", "电子")


def test_search_pages_through_every_hit_with_the_total(page, shot):
    from credit_platform.identifiers import make_uscc
    from records.models import Subject

    # 45 organisations sharing the city prefix (more than two pages of 20), and a person who must never be found
    for n in range(45):
        Subject.objects.create(type="legal_person", code_type="uscc", code=make_uscc("650200", 700_000 + n),
                               name=f"克拉玛依{SHOPS[n % len(SHOPS)]}{n + 1:02d}有限公司")
    Subject.objects.create(type="natural_person", code_type="ric", code="650203199001011237", name="克拉玛依人")

    page.goto(page.base_url + "/")
    page.fill("#q", "克拉玛依")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator("h2").first.inner_text() == "查询结果"
    assert status_line(page) == "共 45 家单位，当前显示第 1–20 家。"
    assert page.locator("ul.results li").count() == 20
    pager = page.get_by_role("navigation", name="分页")
    assert "第 1 / 3 页" in pager.inner_text()
    assert pager.get_by_role("link", name="上一页").count() == 0
    shot(page, "portal-search")

    pager.get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert status_line(page) == "共 45 家单位，当前显示第 21–40 家。"
    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"page=3"))
    assert status_line(page) == "共 45 家单位，当前显示第 41–45 家。"
    assert page.locator("ul.results li").count() == 5
    pager = page.get_by_role("navigation", name="分页")
    assert pager.get_by_role("link", name="下一页").count() == 0
    assert "克拉玛依人" not in page.locator("main").inner_text()

    # every organisation is reachable: the three pages hold 45 different names
    names = set()
    for number in (1, 2, 3):
        page.goto(f"{page.base_url}/search/?q=克拉玛依&page={number}")
        names |= set(page.locator("ul.results li a").all_inner_texts())
    assert len(names) == 45

    # a page number past the end reads as the last page, nonsense as the first
    page.goto(page.base_url + "/search/?q=克拉玛依&page=99")
    assert status_line(page).endswith("第 41–45 家。")
    page.goto(page.base_url + "/search/?q=克拉玛依&page=abc")
    assert status_line(page).endswith("第 1–20 家。")


# --- subject page, public report, verification ---------------------------------------------------------------------


def register_energy_company():
    """The enterprise's registration, pushed by the market regulator (the disclosure demo has none on file for it:
    tests/browser/test_portal_browser.py pushes the same), with its legal representative."""
    from catalog.demo import departments
    from credit_platform.identifiers import make_ric
    from disclosure.demo import WANG
    from records.services.ingest import ingest

    row = {
        "source_ref": "FLOWS-DJ-001", "catalog_item": "QG-DJ-001", "decided_on": "2012-05-08",
        "subject": {"type": "legal_person", "code": ENERGY_CODE, "name": ENERGY},
        "responsible_persons": [{"role": "legal_representative", "code": make_ric(*WANG), "name": "王建国"}],
        "content": {"登记机关": "克拉玛依市市场监督管理局", "成立日期": "2012-05-08", "注册资本（万元）": 5000.0,
                    "住所": "新疆克拉玛依市克拉玛依区", "登记状态": "存续"},
    }
    result = ingest(departments()["SCJG"], [row], channel="demo")
    assert not result.rejected, result.rejected
    return make_ric(*WANG)


def test_subject_page_and_its_public_report_verified_by_someone_else(page, browser, demo, shot, tmp_path):
    from disclosure.models import CreditReport

    representative_ric = register_energy_company()
    page.goto(page.base_url + "/")
    page.fill("#q", "示例能源")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.locator("ul.results").get_by_role("link", name=ENERGY).click()
    page.wait_for_url(f"**/subjects/{ENERGY_CODE}/")

    assert page.locator("h1").inner_text() == ENERGY
    facts = page.locator("table.facts")
    assert facts.locator("th:text-is('统一社会信用代码') + td").inner_text() == ENERGY_CODE
    for label in ("登记机关", "成立日期", "住所", "登记状态"):
        assert facts.locator(f"th:text-is('{label}') + td").inner_text().strip(), label
    assert facts.locator("th:text-is('法定代表人') + td").inner_text() == "王**"  # masked: first character only
    assert "王建国" not in page.locator("main").inner_text() and representative_ric not in page.content()
    sections = page.locator("main section h2").all_inner_texts()
    assert any(s.startswith("行政处罚（") for s in sections), sections
    assert any(s.startswith("行政许可（") for s in sections), sections
    # every section's count is the number of its rows
    for section in page.locator("main section").all():
        count = int(re.search(r"（(\d+)）", section.locator("h2").inner_text()).group(1))
        assert section.locator("tbody tr").count() == count
    shot(page, "portal-subject")

    link = page.get_by_role("link", name="下载公共信用信息报告（公开版，PDF）")
    assert link.get_attribute("href") == f"/subjects/{ENERGY_CODE}/report.pdf"
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"XY\d{8}[0-9A-F]{10}\.pdf", download.suggested_filename)
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    if os.environ.get("SCREENSHOTS") == "1" and shutil.which("pdftoppm"):  # the report's first page, for the README
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                        str(SCREENSHOTS / "portal-public-report")], check=True)
    report = CreditReport.objects.get(number=download.suggested_filename.removesuffix(".pdf"))
    assert report.kind == "public" and report.requested_by is None
    number, check_code = report.number, report.check_code

    if shutil.which("pdftotext"):  # read the number and the code off the PDF, as a bank clerk would
        text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"],
                              capture_output=True, text=True, check=True).stdout
        if "公开版" in text:  # a CJK font is installed and embedded
            assert ENERGY in text and "信用评价" not in text and "王**" in text
            assert "王建国" not in text and representative_ric not in text
            number = re.search(r"报告编号\s+(\S+)", text).group(1)
            check_code = re.search(r"校验码\s+(\S+)", text).group(1)
    assert (number, check_code) == (report.number, report.check_code)

    visitor = other_visitor(browser, page.base_url)
    try:
        visitor.goto(visitor.base_url + "/")
        nav(visitor).get_by_role("link", name="报告核验").click()
        visitor.wait_for_url("**/verify/")
        visitor.fill("#id_number", number.lower())
        visitor.fill("#id_check_code", check_code.replace("-", "").lower())  # as people type it
        visitor.set_input_files("#id_pdf", str(pdf_path))
        visitor.get_by_role("button", name="核验").click()
        result = visitor.locator(".verify-result")
        result.wait_for()
        assert "ok" in result.get_attribute("class").split()
        assert "报告真实有效" in result.inner_text() and "未被修改" in result.inner_text()
        assert result.locator("th:text-is('报告类型') + td").inner_text() == "公共信用信息报告（公开版）"
        assert result.locator("th:text-is('信用主体') + td").inner_text() == ENERGY
        shot(visitor, "portal-public-report-verify")

        tampered = check_code[:-1] + ("2" if check_code[-1] != "2" else "3")
        visitor.fill("#id_number", number)
        visitor.fill("#id_check_code", tampered)
        visitor.get_by_role("button", name="核验").click()
        visitor.locator(".verify-result.bad").wait_for()
        assert "未找到与之相符的报告" in visitor.locator(".verify-result").inner_text()
    finally:
        visitor.context.close()

    # A person has no public page and no public report: the Chinese 404 either way.
    response = page.request.get(page.base_url + "/subjects/650203199001011237/report.pdf")
    assert response.status == 404 and "法人和非法人组织" in response.text()


# --- 双公示 ----------------------------------------------------------------------------------------------------------


def test_double_publicity_search_across_licences_and_penalties(page, demo, shot):
    page.goto(page.base_url + "/")
    nav(page).get_by_role("link", name="双公示").click()
    page.wait_for_url("**/shuanggongshi/")
    assert page.locator("h1").inner_text() == "行政许可和行政处罚信息（双公示）"
    total = int(re.search(r"共 (\d+) 条", page.locator("main p.muted[role=status]").inner_text()).group(1))
    kinds = set(page.locator("table.double-publicity tbody tr td:first-child").all_inner_texts())
    assert total > 0 and {k.split()[0] for k in kinds} <= {"行政许可", "行政处罚"}
    if total > 20:
        assert page.locator("table.double-publicity tbody tr").count() == 20
        assert page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").count() == 1

    page.select_option("#dp-kind", label="行政处罚")
    page.fill("#dp-q", "示例能源")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/shuanggongshi/\?"))
    rows = page.locator("table.double-publicity tbody tr")
    assert rows.count() >= 1
    for row in rows.all():
        assert row.locator("td").first.inner_text().startswith("行政处罚")
        assert ENERGY in row.locator("td").nth(1).inner_text()
    filtered = int(re.search(r"共 (\d+) 条", page.locator("main p.muted[role=status]").inner_text()).group(1))
    assert 0 < filtered < total
    shot(page, "portal-shuanggongshi")

    # a bad date is a field error, not a 500
    page.goto(page.base_url + "/shuanggongshi/?date_from=2026-13-40")
    assert page.locator(".field-error").count() == 1

    page.goto(page.base_url + "/shuanggongshi/?kind=penalty&q=示例能源")
    page.locator("table.double-publicity tbody tr").first.locator("td").nth(1).get_by_role("link").click()
    page.wait_for_url(f"**/subjects/{ENERGY_CODE}/")


# --- repair: the open application, evidence, withdrawal, progress without an account ---------------------------------


def test_repair_flow_open_application_evidence_withdraw_and_progress(page, browser, demo, shot):
    from records.models import Record
    from repair import services
    from repair.models import RepairApplication

    waiting = RepairApplication.objects.get(record__source_ref="REPAIR-DEMO-3")  # filed at the window, not accepted yet
    assert waiting.is_open
    record = waiting.record

    portal_login(page, "enterprise")
    nav(page).get_by_role("link", name="信用修复").click()
    page.wait_for_url("**/repair/")
    row = page.locator("tbody tr").filter(has_text="REPAIR-DEMO-3")
    assert "申请办理中" in row.inner_text() and waiting.number in row.inner_text()
    assert row.get_by_role("link", name="申请修复").count() == 0  # no second application offered

    # Even by its address the form is not shown: the open application is said first, before any file is chosen.
    page.goto(f"{page.base_url}/repair/records/{record.pk}/apply/")
    page.wait_for_url(f"**/repair/applications/{waiting.number}/")
    assert "已有正在办理的修复申请" in page.locator("ul.messages").inner_text()
    assert page.locator("textarea[name=correction_statement]").count() == 0

    # Add evidence.
    page.set_input_files("#add-correction", files=[{"name": "缴款凭证.pdf", "mimeType": "application/pdf",
                                                    "buffer": MINIMAL_PDF}])
    page.get_by_role("button", name="补充材料").click()
    page.wait_for_url(f"**/repair/applications/{waiting.number}/")
    assert "已补充 1 份材料" in page.locator("ul.messages").inner_text()
    assert page.get_by_role("link", name="缴款凭证.pdf").count() == 1
    code = page.locator("dt:text-is('查询码') + dd strong").inner_text()
    assert code == services.progress_code(waiting)

    # A window applicant without an account looks the progress up by number and code.
    visitor = other_visitor(browser, page.base_url)
    try:
        visitor.goto(visitor.base_url + "/repair/progress/")
        assert visitor.locator("h1").inner_text() == "信用修复申请进度查询"
        visitor.fill("#pg-number", waiting.number)
        visitor.fill("#pg-code", "AAAA-2222" if code != "AAAA-2222" else "BBBB-3333")
        visitor.get_by_role("button", name="查询").click()
        assert "申请编号或查询码不正确" in visitor.locator("p.notice[role=alert]").inner_text()
        visitor.fill("#pg-number", waiting.number)
        visitor.fill("#pg-code", code.replace("-", "").lower())
        visitor.get_by_role("button", name="查询").click()
        visitor.locator(f"h2:text-is('申请 {waiting.number}')").wait_for()
        main = visitor.locator("main").inner_text()
        assert "状态" in main and waiting.department.name in main
        assert "缴款凭证.pdf" not in main  # no evidence, nothing personal
        shot(visitor, "portal-repair-progress")
    finally:
        visitor.context.close()

    # Withdraw: the application closes and a new one may be made.
    page.get_by_role("button", name="撤回申请").click()
    page.wait_for_url(f"**/repair/applications/{waiting.number}/")
    assert "申请已撤回" in page.locator("ul.messages").inner_text()
    assert page.get_by_role("button", name="撤回申请").count() == 0
    waiting.refresh_from_db()
    assert not waiting.is_open
    page.goto(page.base_url + "/repair/")
    row = page.locator("tbody tr").filter(has_text="REPAIR-DEMO-3")
    assert "申请办理中" not in row.inner_text()
    assert Record.objects.get(pk=record.pk).status == record.status


# --- Chinese error pages, favicon, catalog --------------------------------------------------------------------------


def test_chinese_404_and_403_pages_and_the_favicon(page, make_official):
    response = page.goto(page.base_url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_role("link", name="返回首页").count() == 1

    response = page.goto(page.base_url + "/subjects/916500000000000000/")
    assert response.status == 404 and page.locator("h1").inner_text() == "未找到该主体"

    # An official whose roles do not include the audit trail asks for its export: the Chinese 403.
    make_official("clerk", roles.OBJECTION_HANDLER)
    page.goto(page.base_url + "/admin/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", STRONG_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/**")
    response = page.goto(page.base_url + "/admin/audit/export/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "无权访问"
    assert "没有办理此事项的权限" in page.locator("main").inner_text()
    assert "Forbidden" not in page.content()

    icon = page.request.get(page.base_url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    page.goto(page.base_url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    linked = page.request.get(page.base_url + href if href.startswith("/") else href)
    assert linked.status == 200 and b"<svg" in linked.body()


def test_catalog_is_linked_from_the_home_page_and_the_footer_and_readable(page, demo):
    page.goto(page.base_url + "/")
    page.locator("main ul.home-links").get_by_role("link", name="公共信用信息目录").click()
    page.wait_for_url("**/catalog/")
    assert page.locator("h1").inner_text() == "公共信用信息目录（现行）"
    page.goto(page.base_url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="公共信用信息目录").click()
    page.wait_for_url("**/catalog/")
    table = page.locator("main table").first
    assert table.locator("tbody tr").count() > 0
    # readable at 1280 px: no column squeezed to one character per line, and the table fits the page
    for header in table.locator("thead th").all():
        box = header.bounding_box()
        assert box["width"] > 40, header.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
