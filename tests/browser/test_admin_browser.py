"""An official logs in to the Chinese admin in a real browser and reaches the active rules."""

import pytest

from credit_platform import roles
from tests.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


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
