"""The citizen's and the public's side of the portal in a real browser, on the demo data.

Each test loads ``bootstrap_demo`` (~6 s) into its own transactional database, so the stories do not depend on
each other: a citizen reads their own record and files an objection with evidence; downloads a credit report that
an anonymous visitor then verifies; an objection handler marks and decides a case in the admin and the citizen
sees the outcome; an anonymous visitor searches for an enterprise and sees masked personal data and the
disputed mark. With SCREENSHOTS=1 each step saves a viewport screenshot to docs/screenshots/ for the README.
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

from credit_platform.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

CITIZEN_PENALTY = "DISC-DEMO-CF-004"  # 张伟's non-public penalty (disclosure/demo.py)
ENERGY = "克拉玛依示例能源有限公司"
ENERGY_CODE = "916502000088000102"


@pytest.fixture
def demo(settings, tmp_path):
    """The demo data, with uploaded evidence and generated reports kept out of var/.

    A transactional test database is flushed after every test, which also empties the working-day calendar that
    migration 0004_seed_calendar loaded; re-seed it first so due dates are real, not 临时推算."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.OBJECTION_EVIDENCE_ROOT = str(tmp_path / "evidence")
    settings.DEBUG = True  # the demo's portal accounts sign in through the development door
    call_command("seed_calendar", stdout=StringIO())
    with override_settings(DEBUG=True):  # the demo refuses to load with DEBUG off (production)
        call_command("bootstrap_demo", stdout=StringIO())


@pytest.fixture
def shot():
    """Viewport (not full-page) screenshot to docs/screenshots/<name>.png when SCREENSHOTS=1; keeps PNGs small."""

    def take(page, name: str) -> None:
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    return take


def tiny_pdf(text: str = "Evidence: business licence") -> bytes:
    """A minimal but well-formed one-page PDF (correct xref offsets), built without any PDF library."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # content stream, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects[3] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def portal_login(page, username: str) -> None:
    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录").click()
    page.wait_for_url("**/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/my/")


def admin_login(page, username: str) -> None:
    page.goto(page.base_url + "/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def record_article(page, heading: str):
    return page.locator("article.record").filter(has=page.locator("h3", has_text=heading))


def new_page(browser, base_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    other = context.new_page()
    other.set_default_timeout(15_000)
    other.base_url = base_url
    return other


def file_portal_objection(username: str = "citizen"):
    """What the portal form does (test 1 drives the form itself): an online objection against the penalty."""
    from credit_platform.models import User
    from objections import access, services
    from objections.models import Channel
    from records.models import Record

    user = User.objects.get(username=username)
    records = [Record.objects.get(source_ref=CITIZEN_PENALTY)]
    return services.file_objection(
        records=records, ground="inaccurate", statement="本人处罚前已取得营业执照，无照经营的认定与事实不符。",
        actor=user, channel=Channel.PORTAL, applicant=user,
        handling_department=access.handling_department_for(user, records),
    )


# --- 1. own record and objection with evidence -------------------------------------------------------------


def test_citizen_reads_own_record_and_files_objection_with_evidence(page, demo, shot):
    from objections.models import Objection

    portal_login(page, "citizen")
    assert page.locator("h1").inner_text() == "我的信用记录：张伟"

    # The non-public penalty is shown to its subject, with the rule and article behind its window.
    penalty = record_article(page, "行政处罚信息")
    assert penalty.count() == 1
    text = penalty.inner_text()
    assert "不在门户公示" in text
    assert "自然人失信信息不对外公示" in text
    assert "第三十六条" in penalty.locator("dt:text-is('依据条款') + dd").inner_text()
    window = penalty.locator("dt:text-is('公示（披露）期') + dd").inner_text()
    assert re.search(r"\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}", window)
    assert record_article(page, "志愿服务信息").count() == 1
    shot(page, "my-record")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的异议").click()
    page.wait_for_url("**/objections/")
    assert "您还没有提出过异议" in page.locator("main").inner_text()
    page.get_by_role("link", name="提出新的异议").click()
    page.wait_for_url("**/objections/new/")
    assert "第三十四条" in page.locator("main p").first.inner_text()

    page.get_by_label(re.compile(CITIZEN_PENALTY)).check()
    page.get_by_label("信用信息记载与事实不符、存在错误或者遗漏").check()
    page.fill("#id_statement", "本人于处罚决定前已取得营业执照，“无照经营”的认定与事实不符，附营业执照复印件。")
    page.set_input_files("#id_files", files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}])
    shot(page, "objection-new")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_url(re.compile(r"/objections/\d+/$"))

    objection = Objection.objects.get(applicant__username="citizen")
    assert objection.channel == "portal" and objection.ground == "inaccurate"
    assert objection.mark_due and objection.decision_due
    mark_due, decision_due = f"{objection.mark_due:%Y-%m-%d}", f"{objection.decision_due:%Y-%m-%d}"
    assert f"异议已提交，编号 {objection.number}" in page.locator("ul.messages").inner_text()
    assert page.locator("th:text-is('异议标注期限') + td").inner_text().startswith(mark_due)
    assert page.locator("th:text-is('答复期限') + td").inner_text().startswith(decision_due)
    assert CITIZEN_PENALTY in page.locator("main").inner_text()
    assert page.get_by_role("link", name="营业执照.pdf").count() == 1
    evidence = objection.evidence.get()
    assert evidence.content_type == "application/pdf" and evidence.original_name == "营业执照.pdf"

    page.get_by_role("link", name="返回我的异议").click()
    page.wait_for_url("**/objections/")
    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name=objection.number))
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == "张伟" and cells[3] == "已受理" and cells[4].startswith(decision_due)


# --- 2. credit report and anonymous verification ----------------------------------------------------------


def test_citizen_downloads_report_and_anonymous_visitor_verifies_it(page, browser, demo, shot, tmp_path):
    portal_login(page, "citizen")
    page.locator("nav.my-nav").get_by_role("link", name="信用报告").click()
    page.wait_for_url("**/my/reports/**")
    page.get_by_role("button", name="生成公共信用信息报告").click()
    page.wait_for_url("**/my/reports/**")
    assert "报告已生成" in page.locator("ul.messages").inner_text()

    row = page.locator("tbody tr").filter(has=page.get_by_role("link", name="下载 PDF"))
    assert row.count() == 1
    number, _kind, _at, check_code, _until, _ = row.locator("td").all_inner_texts()
    with page.expect_download() as info:
        row.get_by_role("link", name="下载 PDF").click()
    download = info.value
    assert download.suggested_filename == f"{number}.pdf"
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-")

    if shutil.which("pdftotext"):  # read the number and code off the PDF, as the relying party would
        text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "公共信用信息报告" in text
        number = re.search(r"报告编号\s+(\S+)", text).group(1)
        check_code = re.search(r"校验码\s+(\S+)", text).group(1)
        assert "张伟" in text

    # A bank clerk with no account, in a browser that never saw the citizen's session.
    visitor = new_page(browser, page.base_url)
    try:
        visitor.goto(visitor.base_url + "/")
        visitor.get_by_role("navigation", name="主导航").get_by_role("link", name="报告核验").click()
        visitor.wait_for_url("**/verify/")
        assert visitor.get_by_role("link", name="我的信用").count() == 0
        visitor.fill("#id_number", number)
        visitor.fill("#id_check_code", check_code.lower())  # codes are case-insensitive
        visitor.set_input_files("#id_pdf", str(pdf_path))
        visitor.get_by_role("button", name="核验").click()
        result = visitor.locator(".verify-result")
        result.wait_for()
        assert "ok" in result.get_attribute("class").split()
        assert "报告真实有效" in result.inner_text()
        assert "未被修改" in result.inner_text()
        assert result.locator("th:text-is('报告编号') + td").inner_text() == number
        assert result.locator("th:text-is('信用主体') + td").inner_text() == "张*"
        assert "张伟" not in visitor.locator("main").inner_text()
        shot(visitor, "verify-report")

        # A wrong check code is refused.
        visitor.fill("#id_number", number)
        visitor.fill("#id_check_code", "AAAA-BBBB-CCCC-DDDD")
        visitor.get_by_role("button", name="核验").click()
        visitor.locator(".verify-result.bad").wait_for()
        assert "未找到与之相符的报告" in visitor.locator(".verify-result").inner_text()
    finally:
        visitor.context.close()


# --- 3. the handler decides in the admin; the citizen sees the outcome ----------------------------------


def test_handler_marks_and_decides_in_admin_and_citizen_sees_decision(page, browser, demo, shot):
    objection = file_portal_objection()
    number = objection.number
    reasons = "经向市市场监督管理局调取执法案卷核实，处罚决定认定事实清楚，信息记载准确，不予变更。"

    citizen = new_page(browser, page.base_url)
    try:
        portal_login(citizen, "citizen")
        assert record_article(citizen, "行政处罚信息").locator(".badge-disputed").count() == 0

        admin_login(page, "handler")
        page.locator("#content-main a[href$='/admin/objections/objection/']").first.click()
        page.wait_for_url("**/admin/objections/objection/")
        assert page.locator("#content h1").inner_text() == "异议办理队列（按到期日排序）"
        queue_row = page.locator("#result_list tbody tr").filter(has=page.get_by_role("link", name=number, exact=True))
        assert queue_row.count() == 1
        assert "已受理" in queue_row.inner_text() and "张伟" in queue_row.inner_text()
        assert f"{objection.decision_due:%Y-%m-%d}" in queue_row.locator("td.field-decision_due_col").inner_text()
        assert not objection.provisional
        # At 1280 px the due-date columns scroll out of view behind the filter panel; shoot the queue wider, with
        # the admin's navigation sidebar folded away (the admin remembers that for the rest of the session).
        page.set_viewport_size({"width": 1680, "height": 900})
        page.locator("#toggle-nav-sidebar").click()
        shot(page, "admin-objection-queue")
        page.set_viewport_size({"width": 1280, "height": 900})

        queue_row.get_by_role("link", name=number, exact=True).click()
        page.wait_for_url(f"**/admin/objections/objection/{objection.pk}/change/")
        assert "无照经营的认定与事实不符" in page.locator("#content").inner_text()
        page.locator(".object-tools").get_by_role("link", name="办理", exact=True).click()
        page.wait_for_url(f"**/admin/objections/objection/{objection.pk}/handle/")
        assert number in page.locator("#summary-h").inner_text()
        assert "临时推算" not in page.locator("#content-main table").first.inner_text()
        shot(page, "admin-objection-case")

        mark = page.locator("form:has(input[name=step][value=mark])")
        mark.locator("#id_mark-note").fill("已在该记录上作异议标注。")
        mark.locator("input[type=submit]").click()
        page.wait_for_url(f"**/admin/objections/objection/{objection.pk}/handle/")
        assert "已作出异议标注" in page.locator(".messagelist").inner_text()
        assert "已标注" in page.locator("#summary-h").inner_text()

        # While the objection is open the record carries the disputed mark on the citizen's own page.
        citizen.reload()
        assert record_article(citizen, "行政处罚信息").locator(".badge-disputed").inner_text() == "异议处理中"

        decide = page.locator("form:has(input[name=step][value=decide])")
        decide.get_by_label("不予变更").check()
        decide.locator("#id_decide-reasons").fill(reasons)
        decide.locator("input[type=submit]").click()
        page.wait_for_url(f"**/admin/objections/objection/{objection.pk}/handle/")
        assert "已办结" in page.locator("#summary-h").inner_text()
        assert reasons in page.locator("#content").inner_text()
        objection.refresh_from_db()
        assert objection.status == "decided" and objection.outcome == "unchanged"

        # The citizen sees the outcome and its reasons on the portal, and the mark is gone.
        citizen.get_by_role("navigation", name="主导航").get_by_role("link", name="我的异议").click()
        citizen.wait_for_url("**/objections/")
        row = citizen.locator("tbody tr").filter(has=citizen.get_by_role("link", name=number))
        assert row.locator("td").nth(3).inner_text() == "已办结（不予变更）"
        row.get_by_role("link", name=number).click()
        citizen.wait_for_url(f"**/objections/{objection.pk}/")
        main = citizen.locator("main")
        assert "状态：已办结（不予变更）" in main.inner_text()
        assert citizen.locator("h2:text-is('处理结果') + p").inner_text() == f"不予变更：{reasons}"
        assert citizen.locator("ol.objection-steps li[aria-current=step]").inner_text().endswith("已办结")
        assert citizen.locator("th:text-is('办结日期') + td").count() == 1
        assert citizen.get_by_role("button", name="撤回异议").count() == 0
        citizen.goto(citizen.base_url + "/my/")
        assert record_article(citizen, "行政处罚信息").locator(".badge-disputed").count() == 0
    finally:
        citizen.context.close()


# --- 4. anonymous public search --------------------------------------------------------------------------


def _register_legal_representative():
    """The enterprise's registration with its legal representative, pushed by the market regulator.

    (The disclosure demo means to give 克拉玛依示例能源有限公司 a legal representative but passes it as
    ``subject.related_persons``, which ingest ignores — see the report — so the test pushes it itself.)"""
    from catalog.demo import departments
    from credit_platform.identifiers import make_ric
    from disclosure.demo import WANG
    from records.services.ingest import ingest

    scjg = departments()["SCJG"]
    row = {
        "source_ref": "BROWSER-DJ-001", "catalog_item": "QG-DJ-001", "decided_on": "2012-05-08",
        "subject": {"type": "legal_person", "code": ENERGY_CODE, "name": ENERGY},
        "responsible_persons": [{"role": "legal_representative", "code": make_ric(*WANG), "name": "王建国"}],
        "content": {"登记机关": "克拉玛依市市场监督管理局", "成立日期": "2012-05-08", "注册资本（万元）": 5000.0,
                    "住所": "新疆克拉玛依市克拉玛依区", "登记状态": "存续"},
    }
    result = ingest(scjg, [row], channel="demo")
    assert not result.rejected, result.rejected
    return make_ric(*WANG)


def test_anonymous_search_shows_enterprise_with_masked_people_and_disputed_mark(page, demo, shot):
    rep_ric = _register_legal_representative()

    page.goto(page.base_url + "/")
    assert page.locator("h1").first.inner_text()
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录").count() == 1
    shot(page, "portal-home")

    # Natural persons are not searchable.
    page.fill("#q", "张伟")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/search/?q=*")
    assert "自然人信息不提供公开查询" in page.locator("p.notice").inner_text()

    page.fill("#q", "示例能源")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    results = page.locator("ul.results li")
    assert results.count() == 1
    assert ENERGY_CODE in results.inner_text()
    shot(page, "search-results")

    results.get_by_role("link", name=ENERGY).click()
    page.wait_for_url(f"**/subjects/{ENERGY_CODE}/")
    main = page.locator("main")
    assert page.locator("h1").inner_text() == ENERGY
    assert page.locator("th:text-is('法定代表人') + td").inner_text() == "王**"
    assert "王建国" not in main.inner_text()
    assert rep_ric not in page.content()

    # The penalty under objection carries the disputed mark; the other penalties do not.
    penalties = page.locator("section").filter(has=page.locator("h2", has_text="行政处罚（")).locator("tbody tr")
    disputed = penalties.filter(has=page.locator(".badge-disputed"))
    assert disputed.count() == 1
    assert "虚假宣传" in disputed.inner_text()
    assert disputed.locator(".badge-disputed").inner_text() == "异议处理中"
    assert penalties.count() > disputed.count()
    # The citizen's non-public penalty and 张伟 himself never appear on a public page.
    assert "张伟" not in main.inner_text()
    shot(page, "subject-page")
