"""Regressions for what the production-mode attack harness found in the Django admin (F3a–F3d, F4), each replayed
through HTTP as the attacker sent it: a logged-in official with the role's real groups posts the form as served.
Each must be a clean refusal (4xx, or a redirect with the refusal as a message) or a correct save — never a 500."""

from __future__ import annotations

import contextlib
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from catalog import services as catalog_services
from catalog.models import CatalogComment, CatalogVersion
from credit_platform import roles
from repair.models import RepairNotice
from sanctions import services as sanctions_services
from sanctions.models import SevereListEntry
from tests.catalog import factories as catalog_factories
from tests.conftest import admin_session
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db



class _FormFields(HTMLParser):
    """The fields of the page's admin form as a browser would submit them (without the submit buttons)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None
        self._select_first = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(name, a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._add(self._select, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def served_form(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- F3a: the severe list's change form saved no inline, and the change message read what they saved -------------
@pytest.fixture
def severe_entry(department):
    services = sanctions_services
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    entry = services.propose_severe_listing(
        subject, department=department, reasons="严重违法", basis="《中华人民共和国食品安全法》", records=[rec],
        term_months=12, removal_conditions="期满", removal_procedure="申请", remedies="可以依法申请行政复议或者提起行政诉讼",
        actor="officer",
    )
    services.send_prior_notice(entry, actor="officer", notice_number="告-A", delivery="送达", defence_days=3)
    entry.refresh_from_db()
    return entry


@pytest.mark.parametrize("who", ["admin", "centre", "officer_scjg"])
@pytest.mark.parametrize("with_defence", [False, True])
def test_saving_the_severe_list_change_form_as_served_is_not_a_500(make_official, department, severe_entry, who,
                                                                    with_defence):
    """``save_related`` deliberately saves nothing (every change is a due-process step), but returned without the
    formsets' ``new_objects``: the change message raised AttributeError, a 500. The save is now a no-op that
    redirects, and the entry is unchanged."""
    make_official("admin", department=department, superuser=True)
    make_official("centre", roles.PLATFORM_ADMIN)
    make_official("officer_scjg", roles.DEPARTMENT_OFFICER, department=department)
    if with_defence:  # then the inline shows one (read-only) defence form, with its id in the served form
        sanctions_services.submit_defence(severe_entry, statement="已整改", channel="paper")
    before = SevereListEntry.objects.values().get(pk=severe_entry.pk)
    client = admin_session(who)
    url = f"/admin/sanctions/severelistentry/{severe_entry.pk}/change/"
    data = served_form(client, url)
    assert "defences-TOTAL_FORMS" in data
    response = client.post(url, {**data, "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert SevereListEntry.objects.values().get(pk=severe_entry.pk) == before
    assert severe_entry.defences.count() == (1 if with_defence else 0)


def test_saving_the_severe_list_with_the_attackers_minimal_body(make_official, department, severe_entry):
    make_official("centre", roles.PLATFORM_ADMIN)
    response = admin_session("centre").post(
        f"/admin/sanctions/severelistentry/{severe_entry.pk}/change/",
        {"defences-TOTAL_FORMS": "0", "defences-INITIAL_FORMS": "0", "defences-MIN_NUM_FORMS": "0",
         "defences-MAX_NUM_FORMS": "1000", "_save": "保存"})
    assert response.status_code == 302


# --- F3b / F3c: system- and public-created rows had an add form that could only fail -------------------------------
@pytest.mark.parametrize("who", ["admin", "centre", "reviewer"])
def test_repair_notices_cannot_be_added_in_the_admin(make_official, department, who):
    """Notices are issued by the system for each dishonesty record (repair.notice); the add form posted empty was an
    IntegrityError on the null record, a 500."""
    make_official("admin", department=department, superuser=True)
    make_official("centre", roles.PLATFORM_ADMIN)
    make_official("reviewer", roles.REPAIR_REVIEWER, department=department)
    client = admin_session(who)
    assert client.post("/admin/repair/repairnotice/add/", {"_save": "保存"}).status_code == 403
    assert client.get("/admin/repair/repairnotice/add/").status_code == 403
    assert not RepairNotice.objects.exists()
    assert client.get("/admin/repair/repairnotice/").status_code == 200  # still listed for those who may view it


@pytest.mark.parametrize("who", ["admin", "centre"])
def test_catalog_comments_cannot_be_added_in_the_admin(make_official, department, who):
    """Comments come from the public (catalog.services.add_comment); the add form was an IntegrityError on the null
    version, a 500."""
    make_official("admin", department=department, superuser=True)
    make_official("centre", roles.PLATFORM_ADMIN)
    client = admin_session(who)
    response = client.post("/admin/catalog/catalogcomment/add/", {"status": "received", "response": "", "_save": "保存"})
    assert response.status_code == 403
    assert not CatalogComment.objects.exists()


def test_a_catalog_comment_can_still_be_answered_in_the_admin(make_official, department):
    make_official("centre", roles.PLATFORM_ADMIN)
    version = catalog_factories.CatalogVersionFactory()
    catalog_factories.CatalogItemFactory(version=version)
    catalog_services.open_public_comment(version)
    comment = catalog_services.add_comment(version, author_name="市民", body="建议补充说明更新周期")
    client = admin_session("centre")
    url = f"/admin/catalog/catalogcomment/{comment.pk}/change/"
    data = served_form(client, url)
    data["response"] = ["已采纳"]
    response = client.post(url, {**data, "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:800]
    comment.refresh_from_db()
    assert comment.response == "已采纳"


# --- F3d: a revert of a published catalog version was the model's refusal as a 500 --------------------------------
def test_reverting_a_published_catalog_version_shows_the_refusal(make_official):
    make_official("centre", roles.PLATFORM_ADMIN)
    version = catalog_factories.CatalogVersionFactory(notes="")
    catalog_factories.CatalogItemFactory(version=version)
    catalog_factories.publish(version)
    draft = version.history.earliest("history_date")
    assert draft.status == CatalogVersion.Status.DRAFT
    before = CatalogVersion.objects.values().get(pk=version.pk)
    history_rows = version.history.count()
    client = admin_session("centre")
    url = f"/admin/catalog/catalogversion/{version.pk}/history/{draft.history_id}/"
    data = served_form(client, url)
    data["notes"] = ["修订"]
    response = client.post(url, {**data, "_save": "保存"})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert "已批准或已公布的目录版本不得修改" in _messages(page)
    assert CatalogVersion.objects.values().get(pk=version.pk) == before
    assert version.history.count() == history_rows


# --- F4: an unedited revert "succeeded" and changed nothing -------------------------------------------------------
@pytest.fixture
def edited_draft():
    version = catalog_factories.CatalogVersionFactory(title="原标题")
    version.title = "改后的标题"
    version.save()
    return version


def test_an_unedited_revert_restores_the_historical_version(make_official, edited_draft):
    make_official("centre", roles.PLATFORM_ADMIN)
    old = edited_draft.history.earliest("history_date")
    client = admin_session("centre")
    url = f"/admin/catalog/catalogversion/{edited_draft.pk}/history/{old.history_id}/"
    response = client.post(url, {**served_form(client, url), "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:800]
    edited_draft.refresh_from_db()
    assert edited_draft.title == "原标题"
    assert edited_draft.history.latest("history_date").title == "原标题"


@pytest.mark.parametrize("page", ["history/{current}", "change"])
def test_posting_the_served_form_unedited_writes_no_history_row(make_official, edited_draft, page):
    """A revert to the current values, or the change form posted as served: nothing changes, no history row."""
    make_official("centre", roles.PLATFORM_ADMIN)
    current = edited_draft.history.latest("history_date")
    rows = edited_draft.history.count()
    client = admin_session("centre")
    url = f"/admin/catalog/catalogversion/{edited_draft.pk}/{page.format(current=current.history_id)}/"
    assert client.post(url, {**served_form(client, url), "_save": "保存"}).status_code == 302
    assert edited_draft.history.count() == rows


def test_a_revert_restores_the_edited_fields_and_never_the_workflow_state(make_official, edited_draft):
    """Reverting a version in public comment to a draft-time row restores its title, not its status: the status, the
    comment period and the approval change only through their workflow (catalog.services)."""
    from catalog import services as catalog_services

    make_official("centre", roles.PLATFORM_ADMIN)
    catalog_factories.CatalogItemFactory(version=edited_draft)
    catalog_services.open_public_comment(edited_draft)
    edited_draft.refresh_from_db()
    assert edited_draft.status == CatalogVersion.Status.PUBLIC_COMMENT
    old = edited_draft.history.earliest("history_date")
    assert old.status == CatalogVersion.Status.DRAFT
    client = admin_session("centre")
    url = f"/admin/catalog/catalogversion/{edited_draft.pk}/history/{old.history_id}/"
    response = client.post(url, {**served_form(client, url), "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:800]
    edited_draft.refresh_from_db()
    assert edited_draft.title == "原标题"
    assert edited_draft.status == CatalogVersion.Status.PUBLIC_COMMENT


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.DEPARTMENT_OFFICER])
def test_a_role_that_may_not_change_the_version_still_cannot_revert(make_official, department, edited_draft, role):
    make_official("centre", roles.PLATFORM_ADMIN)
    make_official("reader", role, department=department)
    old = edited_draft.history.earliest("history_date")
    url = f"/admin/catalog/catalogversion/{edited_draft.pk}/history/{old.history_id}/"
    form = served_form(admin_session("centre"), url)
    response = admin_session("reader").post(url, {**form, "_save": "保存"})
    assert response.status_code in (403, 404)
    edited_draft.refresh_from_db()
    assert edited_draft.title == "改后的标题"


# --- the same patterns elsewhere: every registered admin's add form posted empty -----------------------------------
def _add_urls():
    urls = []
    for model in admin.site._registry:
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    return sorted(urls)


def test_every_add_form_posted_empty_is_refused_not_a_500(make_official, department):
    """For every registered model admin, the add form posted empty as the superuser: a form error (200), a refusal
    (403) or a redirect — never a 500 (the test client re-raises the exception a 500 would come from)."""
    make_official("root", department=department, superuser=True)
    client = admin_session("root")
    client.raise_request_exception = False
    failures = {}
    for url in _add_urls():
        response = client.post(url, {"_save": "保存"})
        if response.status_code >= 500:
            failures[url] = response.status_code
    assert not failures
