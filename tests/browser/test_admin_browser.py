"""Officials in a real browser: the Chinese admin and its rules page, and — at 1,400 px, a common office screen —
an objection handler and a repair reviewer working a case from the queue to the decision."""

from datetime import date

import pytest
from django.utils import timezone

from credit_platform import roles
from credit_platform.models import Department
from objections import services as objection_services
from repair import services as repair_services
from tests.catalog.factories import make_test_catalog
from tests.conftest import STRONG_PASSWORD
from tests.objections.factories import make_record
from tests.repair import factories as repair_factories

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 1400


def test_official_logs_in_and_opens_the_rules(page, make_official, screenshot):
    make_official("centre", roles.PLATFORM_ADMIN)
    page.goto(page.base_url + "/admin/")
    assert "登录" in page.title() or page.locator("text=登录").count()
    page.fill("#id_username", "centre")
    page.fill("#id_password", STRONG_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert page.locator("#site-name").inner_text().startswith("公共信用信息平台")
    screenshot(page, "admin-index")
    page.click("text=适用规定")
    page.wait_for_url("**/admin/policy/")
    assert page.locator("text=第三十四条").count() > 0
    screenshot(page, "admin-policy")


def test_public_rules_page_renders_without_console_errors(page, screenshot):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(page.base_url + "/rules/")
    assert page.locator("h1").first.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    screenshot(page, "rules")


# --- the work pages at 1,400 px ---------------------------------------------------------------------------------


def official(make_official, username, role, department, name):
    user = make_official(username, role, department=department)
    user.first_name = name
    user.password_changed_at = timezone.now()
    user.save(update_fields=["first_name", "password_changed_at"])
    return user


def log_in(page, username):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.goto(page.base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", STRONG_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def assert_columns_on_screen(page, *headings):
    """Each deadline column's heading and first cell lie inside the 1,400 px viewport (no horizontal scrolling)."""
    for heading in headings:
        th = page.locator("#result_list thead th", has_text=heading).first
        box = th.bounding_box()
        assert box is not None, heading
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (heading, box)
        index = th.evaluate("el => el.cellIndex")
        cell = page.locator("#result_list tbody tr").first.locator("th, td").nth(index).bounding_box()
        assert cell is not None and cell["x"] + cell["width"] <= WIDTH, (heading, cell)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_an_objection_handler_works_a_case_at_1400px(page, make_official, department, other_department, settings,
                                                     screenshot):
    settings.OFFICIAL_OTP_REQUIRED = False
    make_test_catalog(department, other_department)
    centre = Department.objects.create(code="XYZX", name="市社会信用中心", uscc="12650200MB1234567X",
                                       is_credit_centre=True)
    handler = official(make_official, "handler", roles.OBJECTION_HANDLER, centre, "王晓明")
    record = make_record(department)
    objection = objection_services.file_objection(
        records=[record], ground="inaccurate", statement="罚款金额应为1.5万元，决定书已变更。", actor=handler,
        channel="counter", handling_department=centre, applicant_name="克拉玛依某某有限公司",
    )

    log_in(page, "handler")
    page.goto(page.base_url + "/admin/objections/objection/")
    assert_columns_on_screen(page, "收到", "标注期限", "答复期限")
    page.click(f"text={objection.number}")
    page.click("#content .object-tools >> text=办理")
    page.wait_for_url(f"**/objections/objection/{objection.pk}/handle/")
    assert page.locator("#step-mark").count() == 1 and page.locator("#step-resume").count() == 0

    page.click("#step-review input[type=submit]")
    success = page.locator(".messagelist .success")
    assert "已开始核查，承办人：王晓明" in success.inner_text() and "下一步" in success.inner_text()
    assert page.locator("#step-mark").count() == 0 and page.locator("#step-review").count() == 0

    decide = page.locator("#step-decide")
    decide.locator("input[type=radio][value=corrected]").check()
    decide.locator("textarea[name=decide-reasons]").fill("经核实，罚款金额录入有误，予以更正。")
    amount = decide.get_by_label("罚款金额（万元）")
    assert amount.input_value() in ("2", "2.0")
    amount.fill("1.5")
    decide.get_by_label("处罚内容").fill("罚款人民币1.5万元")
    decide.scroll_into_view_if_needed()
    screenshot(page, "admin-objection-work")
    decide.locator("input[type=submit]").click()
    assert "已作出异议处理决定：予以更正。系统已更正记录" in page.locator(".messagelist .success").inner_text()
    assert "已结案，没有可办理的事项" in page.content()
    record.refresh_from_db()
    assert record.content["罚款金额（万元）"] == 1.5


def test_a_repair_reviewer_works_an_application_at_1400px(page, make_official, department, settings, screenshot):
    settings.OFFICIAL_OTP_REQUIRED = False
    reviewer = official(make_official, "reviewer", roles.REPAIR_REVIEWER, department, "李娜")
    record = repair_factories.record(department, decided_on=date(2025, 1, 15))
    application = repair_services.apply(
        record, applicant_name="克拉玛依某某有限公司", correction_statement="已缴清罚款，整改完毕并通过复查。",
        commitment=repair_services.commitment_text(record, "克拉玛依某某有限公司"), channel="paper",
        registered_by=reviewer,
    )

    log_in(page, "reviewer")
    page.goto(page.base_url + "/admin/repair/repairapplication/")
    assert_columns_on_screen(page, "收到", "受理期限", "办结期限")
    page.click(f"text={application.number}")
    page.click("#content .object-tools >> text=办理")
    page.wait_for_url(f"**/repair/repairapplication/{application.pk}/review/")
    assert page.locator("table.eligibility").get_by_text("最短公示期已届满").count() == 1
    assert sorted(page.locator("form.work-step").evaluate_all("els => els.map(e => e.id)")) == \
        ["step-accept", "step-refuse", "step-terminate"]

    page.click("#step-accept input[type=submit]")
    assert f"已受理信用修复申请 {application.number}" in page.locator(".messagelist .success").inner_text()
    assert sorted(page.locator("form.work-step").evaluate_all("els => els.map(e => e.id)")) == \
        ["step-approve", "step-extend", "step-reject", "step-terminate"]
    page.locator("#eligibility-h").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('eligibility-h').scrollIntoView()")
    screenshot(page, "admin-repair-review")

    page.locator("#step-approve textarea[name=reason]").fill("已履行行政处罚并作出信用承诺，符合修复条件。")
    page.click("#step-approve input[type=submit]")
    assert "已作出准予修复决定" in page.locator(".messagelist .success").inner_text()
    assert sorted(page.locator("form.work-step").evaluate_all("els => els.map(e => e.id)")) == ["step-revoke"]
    application.refresh_from_db()
    assert application.status == "approved"
