"""Issue 16 moved accounts, agents' letters and the query log out of disclosure without touching data: whoever held a
permission on them still holds it, and the apps above reach them (sanctions notifies linked accounts)."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts import agents
from accounts.links import links_for_subject, subjects_for_user
from credit_platform.roles import PLATFORM_ADMIN, sync_role_groups
from sanctions.services import subject_users
from tests.accounts.factories import AgentLetterFactory, SubjectLinkFactory, citizen
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

move = importlib.import_module("accounts.migrations.0002_move_content_types")


def _old_grant(model: str, codename: str):
    """A group granted ``disclosure.<codename>`` as before the move, the old content type still on file."""
    old_type = ContentType.objects.create(app_label="disclosure", model=model)
    old_permission = Permission.objects.create(content_type=old_type, codename=codename, name=codename)
    group = Group.objects.create(name=f"legacy {codename}")
    group.permissions.add(old_permission)
    return old_type, group


def test_a_grant_on_the_old_content_type_carries_over_to_accounts():
    ContentType.objects.filter(app_label="accounts", model="querylogentry").delete()  # as before the first migrate
    old_type, group = _old_grant("querylogentry", "view_querylogentry")
    move.forwards(apps, None)
    old_type.refresh_from_db()
    assert old_type.app_label == "accounts"  # the same row, so every grant on it stays
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("accounts", "view_querylogentry")]


def test_a_grant_moves_when_both_content_types_exist():
    old_type, group = _old_grant("agentletter", "change_agentletter")
    move.forwards(apps, None)
    assert not ContentType.objects.filter(pk=old_type.pk).exists()
    new = Permission.objects.get(content_type__app_label="accounts", codename="change_agentletter")
    assert list(group.permissions.all()) == [new]


def test_the_platform_administrators_examine_agents_letters():
    sync_role_groups()
    granted = Group.objects.get(name=PLATFORM_ADMIN).permissions.filter(content_type__app_label="accounts")
    assert {"change_agentletter", "view_querylogentry", "view_subjectlink"} <= set(granted.values_list("codename", flat=True))


def test_sanctions_notifies_the_accounts_with_a_live_link(department):
    company = f.SubjectFactory(name="克拉玛依链接测试有限公司")
    live = SubjectLinkFactory(subject=company)
    SubjectLinkFactory(subject=company, revoked_at=timezone.now())
    assert list(links_for_subject(company)) == [live]
    assert subject_users(company) == [live.user]


def test_a_letter_from_the_factory_is_approved_and_binds_its_agent(department, make_official):
    company = f.SubjectFactory(name="克拉玛依授权测试有限公司")
    agent = citizen(f.person("钱七", date(1988, 8, 8)))
    letter = AgentLetterFactory(enterprise=company, user=agent)
    assert letter.agent_name == "钱七" and company not in set(subjects_for_user(agent))
    agents.approve_letter(letter, make_official("centre", PLATFORM_ADMIN, department=department))
    assert company in set(subjects_for_user(agent))
    assert list(agents.letters_for(agent)) == [letter]
