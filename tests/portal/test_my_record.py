"""/my/, the subject's own record (the portal's page): everything about the subject, public or not, with the rule
behind each window and its source; logged in the query log; nobody else's subject; never for an anonymous visitor."""

import pytest
from django.test import Client

from accounts.models import QueryLogEntry

pytestmark = pytest.mark.django_db


def test_own_record_shows_everything_with_reasons_and_is_logged(world, citizen_user, login):
    user = citizen_user(world["company"])
    c = login(user)
    body = c.get("/my/").content.decode()
    for text in ("行政处罚信息", "行政许可信息", "表彰奖励信息", "欠缴社会保险费信息", "2020-01-10"):
        assert text in body  # public or not, expired but retained
    assert "王小明" in body  # the subject's own record is not masked
    assert "《克拉玛依市社会信用条例》第三十三条" in body  # the rule behind the window
    assert "市市场监督管理局" in body  # source department
    entry = QueryLogEntry.objects.get(subject_id=world["company"].pk)
    assert entry.action == "own_record" and entry.actor_id == user.pk
    assert "谁查询了我" in c.get("/my/queries/").content.decode()


def test_another_citizen_sees_nothing(world, citizen_user, login):
    citizen_user(world["company"])
    other = login(citizen_user(world["citizen"]))
    r = other.get("/my/", {"subject": world["company"].code})
    assert r.status_code == 404
    assert "欠缴社会保险费信息" not in other.get("/my/").content.decode()
    assert other.get("/my/queries/", {"subject": world["company"].code}).status_code == 404
    assert Client().get("/my/").status_code == 302  # anonymous → login


def test_natural_person_sees_own_non_public_dishonesty(world, citizen_user, login):
    body = login(citizen_user(world["citizen"])).get("/my/").content.decode()
    assert "行政处罚信息" in body and "自然人失信信息不对外公示" in body
