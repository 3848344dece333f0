"""The assigned handler of an objection holds the case through a django-guardian object permission:
a handler of another unit to whom the credit centre assigns a case handles that case — and loses it when the case
is assigned to someone else."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from credit_platform import object_permissions, roles
from objections import services
from objections.models import Objection

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_assignment_grants_and_moves_the_object_permission(file_api, record, handler, make_official, other_department):
    response = file_api([record])
    assert response.status_code == 201, response.content
    objection = Objection.objects.get(pk=response.json()["id"])
    elsewhere = make_official("h_swj", roles.OBJECTION_HANDLER, department=other_department)
    second = make_official("h_swj2", roles.OBJECTION_HANDLER, department=other_department)

    assert _api(elsewhere).get(f"/api/v1/objections/{objection.pk}/").status_code == 404  # not theirs yet

    services.assign(objection, elsewhere, actor=handler)
    assert object_permissions.holds(elsewhere, object_permissions.HANDLE_OBJECTION, objection)
    assert _api(elsewhere).get(f"/api/v1/objections/{objection.pk}/").status_code == 200
    marked = _api(elsewhere).post(f"/api/v1/objections/{objection.pk}/mark/", {}, format="json")
    assert marked.status_code == 200, marked.content

    services.assign(objection, second, actor=handler)  # reassigned: the first loses the case
    assert not object_permissions.holds(elsewhere, object_permissions.HANDLE_OBJECTION, objection)
    assert _api(elsewhere).post(f"/api/v1/objections/{objection.pk}/start-review/", {}, format="json").status_code == 404
    assert _api(second).post(f"/api/v1/objections/{objection.pk}/start-review/", {}, format="json").status_code == 200


def test_a_model_permission_is_not_an_object_permission(file_api, record, make_official, other_department):
    objection = Objection.objects.get(pk=file_api([record]).json()["id"])
    elsewhere = make_official("h_swj", roles.OBJECTION_HANDLER, department=other_department)
    assert elsewhere.has_perm(object_permissions.HANDLE_OBJECTION)  # the role's model permission …
    assert not object_permissions.holds(elsewhere, object_permissions.HANDLE_OBJECTION, objection)  # … is not the case
    assert _api(elsewhere).post(f"/api/v1/objections/{objection.pk}/mark/", {}, format="json").status_code == 404
