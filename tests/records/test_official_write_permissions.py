"""Officials reach the records API through their role: only department officers write records; the three
administrators cannot even read them (found by the permissions matrix)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from credit_platform import roles
from credit_platform.security import SECURITY_ADMIN, SYSTEM_ADMIN
from tests.records import factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.OBJECTION_HANDLER, roles.REPAIR_REVIEWER, SYSTEM_ADMIN, SECURITY_ADMIN])
def test_non_writing_roles_cannot_push_correct_or_revoke(role, make_official, department, push):
    record_id = push(f.penalty())["results"][0]["id"]
    client = _client(make_official("someone", role, department=department))
    assert client.post("/api/v1/records/batch/", {"records": [f.penalty()]}, format="json").status_code == 403
    assert client.post("/api/v1/records/", f.penalty(), format="json").status_code == 403
    patch = {"reason": "x", "content": f.penalty_content(**{"罚款金额（万元）": 3})}
    assert client.patch(f"/api/v1/records/{record_id}/", patch, format="json").status_code == 403
    revoke = {"reason": "x", "document": {"number": "1", "issuer": "x", "issued_on": "2026-05-01"}}
    assert client.post(f"/api/v1/records/{record_id}/revoke/", revoke, format="json").status_code == 403


@pytest.mark.parametrize("role", [SYSTEM_ADMIN, SECURITY_ADMIN])
def test_system_and_security_administrators_cannot_read_records(role, make_official, department, push):
    push(f.penalty())
    client = _client(make_official("admin3", role, department=department))
    assert client.get("/api/v1/records/").status_code == 403


def test_department_officer_pushes_for_their_department(make_official, department, catalog):
    client = _client(make_official("officer", roles.DEPARTMENT_OFFICER, department=department))
    response = client.post("/api/v1/records/batch/", {"records": [f.penalty()]}, format="json")
    assert response.status_code == 200 and response.json()["created"] == 1
    assert client.get("/api/v1/records/").status_code == 200
