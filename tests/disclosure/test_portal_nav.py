"""The portal's main navigation: search and the two public lists (served by the sanctions app) for everyone, the
citizen's own pages when logged in, and the current page marked for assistive technology."""

import re

import pytest
from django.test import Client
from django.urls import resolve

from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db


def main_nav(html: str) -> str:
    match = re.search(r'<nav aria-label="主导航">(.*?)</nav>', html, re.S)
    assert match, "main navigation landmark missing"
    return match.group(1)


def links(nav: str) -> dict[str, str]:
    """text → the whole <a> tag."""
    return {m.group(2).strip(): m.group(0) for m in re.finditer(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_anonymous_visitor_sees_search_the_lists_and_login():
    nav = main_nav(Client().get("/search/").content.decode())
    found = links(nav)
    assert 'href="/search/"' in found["信用查询"] and 'aria-current="page"' in found["信用查询"]
    assert 'href="/lists/severe/"' in found["严重失信主体名单"] and "aria-current" not in found["严重失信主体名单"]
    assert 'href="/lists/red/"' in found["守信激励对象名单"]
    assert "登录" in found
    for private in ("我的信用", "我的异议", "信用修复"):
        assert private not in found
    assert "退出" not in nav
    # the lists are the sanctions app's real lists, not the disclosure fallback
    assert resolve("/lists/severe/").namespace == "sanctions" and resolve("/lists/red/").namespace == "sanctions"


def test_lists_mark_themselves_current():
    for path, label in (("/lists/severe/", "严重失信主体名单"), ("/lists/red/", "守信激励对象名单")):
        response = Client().get(path)
        assert response.status_code == 200
        assert 'aria-current="page"' in links(main_nav(response.content.decode()))[label]


def test_logged_in_citizen_sees_own_pages_and_logout(citizen_user, login, department, items):
    company = f.SubjectFactory()
    client = login(citizen_user(company))
    html = client.get(f"/my/?subject={company.code}").content.decode()
    nav = main_nav(html)
    found = links(nav)
    assert 'href="/my/"' in found["我的信用"] and 'aria-current="page"' in found["我的信用"]
    assert 'href="/objections/"' in found["我的异议"] and 'href="/repair/"' in found["信用修复"]
    assert "登录" not in found
    assert re.search(r'<form method="post" action="/accounts/logout/"[^>]*>.*?<button type="submit"[^>]*>退出</button>', nav, re.S)
    # a page inside a section marks the section
    queries = links(main_nav(client.get(f"/my/queries/?subject={company.code}").content.decode()))
    assert 'aria-current="true"' in queries["我的信用"]
    repair = links(main_nav(client.get("/repair/").content.decode()))
    assert 'aria-current="page"' in repair["信用修复"] and "aria-current" not in repair["我的信用"]
    objections = links(main_nav(client.get("/objections/").content.decode()))
    assert 'aria-current="page"' in objections["我的异议"]
