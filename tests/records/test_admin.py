"""Officials in the admin: department scoping, search, history with reasons, corrections and revocations."""

from __future__ import annotations

import pytest
from django.utils import timezone

from credit_platform import roles
from records.models import Record, RecordChange
from tests.records import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(push, swj_client):
    from tests.catalog.factories import OPEN

    ours = f.penalty(subject={"type": "legal_person", "code": f.uscc(), "name": "克拉玛依甲乙商贸有限公司"})
    theirs = {"source_ref": "SWJ-1", "catalog_item": OPEN,
              "subject": {"type": "legal_person", "code": f.uscc(), "name": "丙丁税务测试公司"}, "content": {}}
    push(ours)
    push(theirs, client=swj_client)
    return Record.objects.get(source_ref=ours["source_ref"]), Record.objects.get(source_ref="SWJ-1")


@pytest.fixture
def officer(make_official, department, client):
    user = make_official("officer_scjg", roles.DEPARTMENT_OFFICER, department=department)
    client.force_login(user)
    return user


def test_officer_sees_only_own_departments_records(officer, client, two_departments):
    ours, theirs = two_departments
    page = client.get("/admin/records/record/")
    assert page.status_code == 200
    text = page.content.decode()
    assert ours.source_ref in text and theirs.source_ref not in text
    assert client.get(f"/admin/records/record/{ours.pk}/change/").status_code == 200
    other = client.get(f"/admin/records/record/{theirs.pk}/change/")
    assert other.status_code == 302 and "/admin/" in other["Location"]  # "does not exist", not the record
    assert client.get(f"/admin/records/record/{theirs.pk}/history/").status_code == 404
    history_id = theirs.history.first().history_id
    assert client.get(f"/admin/records/record/{theirs.pk}/history/{history_id}/").status_code == 404
    assert client.get(f"/admin/records/subject/{theirs.subject_id}/history/").status_code == 404
    assert client.get(f"/admin/records/record/{theirs.pk}/revoke/").status_code == 404
    subjects = client.get("/admin/records/subject/").content.decode()
    assert "克拉玛依甲乙商贸有限公司" in subjects and "丙丁税务测试公司" not in subjects


def test_credit_centre_sees_all(make_official, client, two_departments):
    client.force_login(make_official("centre", roles.PLATFORM_ADMIN))
    text = client.get("/admin/records/record/").content.decode()
    assert all(r.source_ref in text for r in two_departments)


def test_search_by_subject_code_and_name(officer, client, two_departments):
    ours, _ = two_departments
    by_code = client.get("/admin/records/record/", {"q": ours.subject.code}).content.decode()
    assert ours.source_ref in by_code
    by_name = client.get("/admin/records/record/", {"q": "甲乙商贸"}).content.decode()
    assert ours.source_ref in by_name
    nothing = client.get("/admin/records/record/", {"q": "丙丁"}).content.decode()
    assert "SWJ-1" not in nothing


def test_officer_corrects_with_a_reason_and_history_shows_it(officer, client, two_departments):
    ours, _ = two_departments
    url = f"/admin/records/record/{ours.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update({
        "severity": "severe", "change_reason": "严重程度认定有误", "penalty_types": '["fine"]',
        "content": __import__("json").dumps(ours.content, ensure_ascii=False),
        "basis_issued_on": ours.basis_issued_on.isoformat(), "occurred_on": ours.occurred_on.isoformat(),
        "decided_on": ours.decided_on.isoformat(), "ended_on": "", "discovered_on": "",
        "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0",
    })
    response = client.post(url, {k: ("" if v is None else v) for k, v in data.items()})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    ours.refresh_from_db()
    assert ours.severity == "severe" and ours.status == "corrected"
    change = RecordChange.objects.get(record=ours)
    history = client.get(f"/admin/records/record/{ours.pk}/history/").content.decode()
    assert "严重程度认定有误" in history
    assert change.kind == "correction"


def test_correction_without_reason_is_refused_in_the_admin(officer, client, two_departments):
    ours, _ = two_departments
    response = client.post(f"/admin/records/record/{ours.pk}/change/", {"severity": "severe"})
    assert response.status_code == 200  # the form comes back with errors
    ours.refresh_from_db()
    assert ours.severity == "general"


def test_officer_revokes_in_the_admin(officer, client, two_departments):
    ours, _ = two_departments
    response = client.post(f"/admin/records/record/{ours.pk}/revoke/", {
        "basis_action": "revoked", "document_number": "克政复决〔2026〕3号", "document_issuer": "市政府",
        "document_date": timezone.localdate().isoformat(), "reason": "复议撤销",
    })
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == "revoked"


def test_department_on_time_rates_page(make_official, client, two_departments):
    client.force_login(make_official("centre", roles.PLATFORM_ADMIN))
    page = client.get("/admin/records/departmenttimeliness/")
    assert page.status_code == 200
    assert "SCJG" in page.content.decode()


def test_catalog_admin_shows_review_due(make_official, client, catalog):
    client.force_login(make_official("centre", roles.PLATFORM_ADMIN))
    page = client.get("/admin/catalog/catalogversion/").content.decode()
    assert "年度评估调整" in page and str(catalog.review_due) in page
