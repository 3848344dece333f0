"""Citizens read words, not codes: query-log scopes and authorisation categories are shown by their labels."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from disclosure.templatetags.credit_labels import category_labels, scope_label


@pytest.mark.parametrize(
    "codes, shown",
    [(["full"], "全部信息"), (["basic", "dishonesty"], "基础信息、失信信息"), (["trust", "other"], "守信信息、其他信息"),
     ([], "—"), ("basic", "基础信息")],
)
def test_category_codes_become_labels(codes, shown):
    assert category_labels(codes) == shown


def test_a_joint_check_scope_names_the_matter():
    label = scope_label({"joint_check": "9b2c", "matter": "ZFCG-01", "measures": ["M1", "M2"]})
    assert label == "联合奖惩比对（事项 ZFCG-01，命中措施 2 项）"


def test_the_filters_load_in_templates():
    rendered = Template("{% load credit_labels %}{{ s|scope_label }}").render(Context({"s": ["basic", "full"]}))
    assert rendered == "基础信息、全部信息"
    assert "full" not in rendered and "basic" not in rendered


@pytest.mark.django_db
def test_the_query_log_page_shows_labels(world, citizen_user, login):
    client = login(citizen_user(world["citizen"]))
    assert client.get("/my/").status_code == 200  # logs an own-record query with scope ["full"]
    body = client.get("/my/queries/").content.decode()
    assert "全部信息" in body and "<td>full</td>" not in body
