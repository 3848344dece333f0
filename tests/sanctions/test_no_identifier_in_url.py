"""No resident ID number in a URL: the evaluation of a person is asked with the code in the body, and list
filters take an organisation's USCC or the opaque subject_id — never a personal number in the query string."""

from __future__ import annotations

import pytest

from sanctions.models import Interview
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db


def test_a_persons_evaluation_is_asked_in_the_body(client_scjg):
    person = f.person()
    refused = client_scjg.get(f"/api/v1/evaluations/{person.code}/")
    assert refused.status_code == 400
    assert refused.json()["code"] == "personal_identifier_in_url" and refused.json()["fields"] == {"code": "use_request_body"}
    answered = client_scjg.post("/api/v1/evaluations/query/", {"code": person.code}, format="json")
    assert answered.status_code == 200 and answered.json()["subject_id"] == person.pk


def test_an_organisations_evaluation_still_reads_from_the_path(client_scjg):
    company = f.org()
    response = client_scjg.get(f"/api/v1/evaluations/{company.code}/")
    assert response.status_code == 200 and response.json()["subject"] == company.code


def test_the_body_form_validates_and_answers_unknown_subjects_with_404(client_scjg):
    assert client_scjg.post("/api/v1/evaluations/query/", {}, format="json").status_code == 400
    assert client_scjg.post("/api/v1/evaluations/query/", {"code": "91650200MA0000000X"}, format="json").status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/interviews/", "/api/v1/red-list/", "/api/v1/severe-list/"])
def test_list_filters_refuse_a_personal_number_and_take_the_opaque_id(client_scjg, department, path):
    person = f.person()
    refused = client_scjg.get(path, {"subject": person.code})
    assert refused.status_code == 400 and refused.json()["code"] == "personal_identifier_in_url"
    assert client_scjg.get(path, {"subject_id": person.pk}).status_code == 200
    assert client_scjg.get(path, {"subject_id": "x1"}).status_code == 400


def test_interviews_of_a_person_by_opaque_id(client_scjg, department):
    person = f.person()
    payload = {"subject": person.code, "kind": "warning", "held_on": "2026-11-02", "interviewee": "王五",
               "interviewee_role": "本人", "reason": "逾期未整改", "summary": "告知失信后果", "requirements": "限期整改"}
    created = client_scjg.post("/api/v1/interviews/", payload, format="json")  # the code travels in the body
    assert created.status_code == 201, created.content
    rows = client_scjg.get("/api/v1/interviews/", {"subject_id": person.pk}).json()
    assert [r["subject_id"] for r in rows] == [person.pk] and Interview.objects.get().subject == person
