"""A department's own records and their history as an object-level rule through Django's permission API
: ``user.has_perm(perm, record)`` is answered by ``DepartmentScopeBackend`` and the admin's
change, history and revert pages ask it."""

from __future__ import annotations

import pytest

from credit_platform import roles
from records.models import Record, RecordChange
from tests.records import factories as f

pytestmark = pytest.mark.django_db

BACKEND = "credit_platform.object_permissions.DepartmentScopeBackend"


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.OFFICIAL_OTP_REQUIRED = False


@pytest.fixture
def records(push, swj_client):
    from tests.catalog.factories import OPEN

    ours = f.penalty(subject={"type": "legal_person", "code": f.uscc(), "name": "克拉玛依甲乙商贸有限公司"})
    theirs = {"source_ref": "SWJ-9", "catalog_item": OPEN,
              "subject": {"type": "legal_person", "code": f.uscc(), "name": "丙丁税务测试公司"}, "content": {}}
    push(ours)
    push(theirs, client=swj_client)
    return Record.objects.get(source_ref=ours["source_ref"]), Record.objects.get(source_ref="SWJ-9")


@pytest.fixture
def officers(make_official, department, other_department):
    return (make_official("officer_scjg", roles.DEPARTMENT_OFFICER, department=department),
            make_official("officer_swj", roles.DEPARTMENT_OFFICER, department=other_department))


def pages(record):
    version = record.history.first().history_id
    base = f"/admin/records/record/{record.pk}"
    return {"change": f"{base}/change/", "history": f"{base}/history/", "revert": f"{base}/history/{version}/"}


def test_backend_answers_view_and_change_by_department(records, officers, make_official):
    ours, theirs = records
    scjg, swj = officers
    assert scjg.has_perm("records.view_record", ours) and scjg.has_perm("records.change_record", ours)
    assert not scjg.has_perm("records.view_record", theirs) and not scjg.has_perm("records.change_record", theirs)
    assert swj.has_perm("records.change_record", theirs) and not swj.has_perm("records.change_record", ours)
    change = RecordChange.objects.filter(record=theirs).first() or RecordChange(record=theirs, department=theirs.source_department)
    assert swj.has_perm("records.view_recordchange", change) and not scjg.has_perm("records.view_recordchange", change)
    # centre-wide roles: the platform admin views and changes every department's; the auditor only views
    centre = make_official("centre", roles.PLATFORM_ADMIN)
    auditor = make_official("auditor", roles.AUDITOR)
    assert all(centre.has_perm("records.change_record", r) for r in records)
    assert all(auditor.has_perm("records.view_record", r) for r in records)
    assert not any(auditor.has_perm("records.change_record", r) for r in records)
    # the rule never goes beyond the model permission nor answers for actions it does not scope
    assert not scjg.has_perm("records.delete_record", ours)
    reviewer = make_official("reviewer", roles.REPAIR_REVIEWER, department=ours.source_department)
    assert not reviewer.has_perm("records.change_record", ours)
    scjg.is_active = False
    assert not scjg.has_perm("records.view_record", ours)


def test_two_departments_officers_and_the_centre_through_the_admin_pages(records, officers, make_official, client):
    ours, theirs = records
    scjg, swj = officers
    for officer, own, other in ((scjg, ours, theirs), (swj, theirs, ours)):
        client.force_login(officer)
        for name, url in pages(own).items():
            assert client.get(url).status_code == 200, (officer.username, name)
        for name, url in pages(other).items():
            assert client.get(url).status_code in (302, 403, 404), (officer.username, name)
            assert other.source_ref not in client.get(url).content.decode()
        # reverting history is closed (records change only by correction or revocation, with a reason)
        assert client.post(pages(own)["revert"], {}).status_code == 403
        assert client.post(pages(other)["revert"], {}).status_code in (403, 404)
    for role in (roles.PLATFORM_ADMIN, roles.AUDITOR):
        client.force_login(make_official(f"centre_{len(role)}", role))
        for record in records:
            for name, url in pages(record).items():
                assert client.get(url).status_code == 200, (role, name)
    theirs.refresh_from_db()
    assert theirs.history.count() == 1  # nothing written by any of those visits


def test_the_admin_asks_the_permission_api_with_the_object(records, officers, client, settings):
    """Without the rule backend, the model permission alone no longer opens a row's pages: they ask has_perm(obj)."""
    ours, _ = records
    settings.AUTHENTICATION_BACKENDS = [b for b in settings.AUTHENTICATION_BACKENDS if b != BACKEND]
    client.force_login(officers[0])
    assert client.get("/admin/records/record/").status_code == 200  # the list is model-level
    for name, url in pages(ours).items():
        assert client.get(url).status_code == 403, name


def test_other_department_owned_models_follow_the_same_rule(officers, department, other_department, make_official):
    """A severe-list entry belongs to its deciding unit (认定单位): another department's officer may not touch it."""
    from sanctions.models import SevereListEntry

    scjg, swj = officers
    entry = SevereListEntry(department=department)  # the rule reads the row's department; no workflow needed
    assert scjg.has_perm("sanctions.view_severelistentry", entry)
    assert scjg.has_perm("sanctions.change_severelistentry", entry)
    assert not swj.has_perm("sanctions.view_severelistentry", entry)
    assert not swj.has_perm("sanctions.change_severelistentry", entry)
    assert make_official("centre", roles.PLATFORM_ADMIN).has_perm("sanctions.change_severelistentry", entry)
