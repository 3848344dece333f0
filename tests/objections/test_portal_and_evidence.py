"""Portal filing and following by the subject; evidence type checks; evidence never public (Issue 5 §1, §3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import SubjectLink
from objections.models import Evidence, Objection

from tests.objections.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, make_record, pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(client, citizen, record, centre):
    subject = record.subject
    SubjectLink.objects.create(user=citizen, code_type=subject.code_type, code=subject.code, name=subject.name,
                               role=SubjectLink.Role.AGENT, verified_by="test")
    client.force_login(citizen)
    return client


def file_on_portal(portal, record, files=(), ground="inaccurate"):
    return portal.post(reverse("objections:new"), {
        "records": [record.pk], "ground": ground, "statement": "处罚金额记载错误", "files": list(files),
    })


def test_citizen_files_and_follows_to_the_end(portal, record, handler, citizen, centre):
    page = portal.get(reverse("objections:new"))
    assert page.status_code == 200 and record.source_ref in page.content.decode()
    response = file_on_portal(portal, record, [pdf()])
    assert response.status_code == 302, response.content.decode()[:2000]
    objection = Objection.objects.get()
    assert objection.applicant == citizen and objection.channel == "portal"
    assert objection.handling_department == centre
    assert objection.evidence.count() == 1
    detail = portal.get(response["Location"]).content.decode()
    assert objection.number in detail and "异议标注期限" in detail and objection.mark_due.isoformat() in detail
    from objections import services

    services.mark(objection, actor=handler)
    assert "异议中" in portal.get(response["Location"]).content.decode()
    services.decide(objection, outcome="unchanged", reasons="经核查，记载无误。", actor=handler)
    detail = portal.get(response["Location"]).content.decode()
    assert "经核查，记载无误。" in detail and "已办结" in detail
    assert citizen.notifications.filter(event_key=f"objection:{objection.pk}:decided").exists()
    listing = portal.get(reverse("objections:list")).content.decode()
    assert objection.number in listing


def test_citizen_cannot_file_against_someone_elses_record(portal, department):
    stranger = make_record(department)
    response = file_on_portal(portal, stranger)
    assert response.status_code == 200  # the form comes back: that record is not a choice
    assert not Objection.objects.exists()


def test_citizen_cannot_see_another_objection(portal, handler, department, client):
    from objections import services

    other = make_record(department)
    objection = services.file_objection(records=[other], ground="other", statement="x", actor=handler, channel="counter",
                                        handling_department=handler.department, applicant_name="王五")
    assert portal.get(reverse("objections:detail", args=[objection.pk])).status_code == 404


@pytest.mark.parametrize("name, content, ok", [
    ("证明.pdf", PDF_BYTES, True),
    ("照片.png", PNG_BYTES, True),
    ("照片.JPG", JPEG_BYTES, True),
    ("假的.pdf", b"MZ\x90\x00 this is an exe", False),  # extension says PDF, content does not
    ("照片.png", PDF_BYTES, False),  # a PDF renamed .png
    ("程序.exe", PDF_BYTES, False),
    ("说明.docx", b"PK\x03\x04", False),
])
def test_evidence_types_checked_by_content(portal, record, name, content, ok):
    response = file_on_portal(portal, record, [upload(name, content, "application/pdf")])
    assert (response.status_code == 302) is ok
    assert Objection.objects.exists() is ok


def test_evidence_size_limit(portal, record, settings):
    settings.OBJECTION_EVIDENCE_MAX_BYTES = 100
    response = file_on_portal(portal, record, [pdf(content=PDF_BYTES + b"0" * 200)])
    assert response.status_code == 200 and "大小上限" in response.content.decode()


def test_evidence_over_the_api(handler_client, record):
    created = handler_client.post("/api/v1/objections/", {
        "records": [record.pk], "ground": "inaccurate", "statement": "记载有误", "files": [pdf()],
    }, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["evidence"][0]["content_type"] == "application/pdf"
    bad = handler_client.post(f"/api/v1/objections/{created.json()['id']}/evidence/",
                              {"files": [upload("a.pdf", b"not a pdf")]}, format="multipart")
    assert bad.status_code == 400 and bad.json()["code"] == "evidence_content"


def test_evidence_served_only_to_applicant_and_officials(portal, record, client, handler, citizen, django_user_model):
    file_on_portal(portal, record, [pdf()])
    evidence = Evidence.objects.get()
    url = reverse("objections:evidence", args=[evidence.objection_id, evidence.pk])
    response = portal.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    # not under MEDIA_URL, and nobody else gets it
    assert "/media/" not in evidence.file.path and not evidence.file.storage.base_url
    stranger = django_user_model.objects.create_user(username="stranger", password="Str0ng-Passw0rd!")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(handler)
    assert client.get(url).status_code == 200


def test_applicant_withdraws(portal, record):
    file_on_portal(portal, record)
    objection = Objection.objects.get()
    portal.post(reverse("objections:withdraw", args=[objection.pk]), {"reason": "已与提供单位沟通"})
    objection.refresh_from_db()
    assert objection.status == "withdrawn"
