"""A citizen signs in through the identity provider's own login page in a real browser.

The provider is the test suite's django-oauth-toolkit project (tests/oidc_provider) in a subprocess; the platform is
pytest-django's live server with DEBUG off, so the OpenID Connect door is the only one."""

from __future__ import annotations

from datetime import date

import pytest

from tests.disclosure import factories as f
from tests.oidc_provider.fixtures import PASSWORD, ZHANG

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_signs_in_at_the_provider_and_lands_on_own_record(page, oidc_platform, department):
    items = f.make_catalog(department)
    zhang = f.person("张伟", date(1990, 1, 1), code=ZHANG["id_card_no"])
    f.record(zhang, items[f.PENALTY], department)

    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="登录").click()
    page.wait_for_url("**/accounts/login/")
    assert page.locator("#id_password").count() == 0  # no password form in production mode
    page.get_by_role("link", name="通过政务服务统一身份认证登录").click()

    # The provider's login page, on its own origin.
    page.wait_for_url(f"{oidc_platform.base_url}/accounts/login/**")
    assert "政务服务统一身份认证" in page.locator("h1").inner_text()
    page.fill("#id_username", "zhangwei")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(page.base_url + "/my/")
    assert page.locator("h1").inner_text() == "我的信用记录：张伟"
    assert "行政处罚信息" in page.locator("main").inner_text()
    assert zhang.code not in page.url
    # The links the page hands out carry an opaque handle, never the ID number.
    hrefs = page.locator("nav.my-nav a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and not any(zhang.code in (h or "") for h in hrefs)
