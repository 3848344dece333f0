"""Ids in URLs are validated before they reach the ORM.

Every API, portal and admin URL with an object id answers a malformed or out-of-range id (zero, negative, a
fraction, letters, a leading zero, beyond the database's signed 64-bit keys) with the ordinary "not found", never
a server error, whoever asks. The API's schema documents the same bounds, so clients and fuzzers know them.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from credit_platform.api.fields import DB_INT_MAX
from credit_platform.models import User

pytestmark = pytest.mark.django_db

BAD_IDS = ["0", "-1", "1.5", "abc", "01", str(DB_INT_MAX + 1), str(2**64), "9" * 30]

API_PATHS = [
    ("get", "/api/v1/objections/{id}/"),
    ("post", "/api/v1/objections/{id}/mark/"),
    ("post", "/api/v1/objections/{id}/start-review/"),
    ("post", "/api/v1/objections/{id}/extend/"),
    ("post", "/api/v1/objections/{id}/pause/"),
    ("post", "/api/v1/objections/{id}/resume/"),
    ("post", "/api/v1/objections/{id}/assistance/"),
    ("post", "/api/v1/objections/{id}/assistance/{id}/answer/"),
    ("post", "/api/v1/objections/1/assistance/{id}/answer/"),
    ("post", "/api/v1/objections/{id}/decide/"),
    ("post", "/api/v1/objections/{id}/evidence/"),
    ("get", "/api/v1/credit-complaints/{id}/"),
    ("post", "/api/v1/credit-complaints/{id}/answer/"),
    ("get", "/api/v1/records/{id}/"),
    ("patch", "/api/v1/records/{id}/"),
    ("post", "/api/v1/records/{id}/revoke/"),
    ("get", "/api/v1/records/{id}/repair-eligibility/"),
    ("get", "/api/v1/records/{id}/repair-commitment/"),
    ("get", "/api/v1/records/{id}/change-deliveries/"),
    ("post", "/api/v1/catalog/drafts/{id}/comments/"),
    ("post", "/api/v1/commitments/{id}/verification/"),
]

PORTAL_PATHS = [
    "/objections/{id}/", "/objections/{id}/evidence/", "/objections/{id}/withdraw/", "/objections/1/evidence/{id}/",
    "/repair/records/{id}/apply/", "/repair/records/{id}/notice/", "/repair/evidence/{id}/",
    "/lists/measures/{id}/", "/lists/mine/severe/{id}/", "/lists/mine/severe/{id}/decision.pdf",
    "/my/authorisations/{id}/revoke/", "/authorised/{id}/", "/catalog/drafts/{id}/",
]


@pytest.fixture
def department_api(department, token_client):
    return token_client(department)


@pytest.mark.parametrize("bad", BAD_IDS)
def test_api_answers_a_bad_id_with_a_json_404(department_api, bad):
    for method, template in API_PATHS:
        response = getattr(department_api, method)(template.format(id=bad), {}, format="json")
        assert response.status_code == 404, (template, bad, response.content[:300])
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_portal_answers_a_bad_id_with_404(client, bad):
    user = User.objects.create_user(username="citizen", password=None, kind=User.Kind.CITIZEN)  # no hashing: force_login
    client.force_login(user)
    for template in PORTAL_PATHS:
        for method in (client.get, client.post):
            response = method(template.format(id=bad))
            assert response.status_code == 404, (template, bad, response.status_code)


def test_a_valid_but_unknown_id_is_still_404_not_an_overflow(department_api):
    assert department_api.get(f"/api/v1/objections/{DB_INT_MAX}/").status_code == 404
    assert department_api.post(f"/api/v1/records/{DB_INT_MAX}/revoke/", {}, format="json").status_code == 404


def test_reverse_refuses_ids_the_converter_would_not_match():
    assert reverse("objections:detail", kwargs={"pk": 7}) == "/objections/7/"
    for bad in (0, -1, DB_INT_MAX + 1):
        with pytest.raises(NoReverseMatch):
            reverse("objections:detail", kwargs={"pk": bad})


def test_the_schema_documents_the_bounds(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/objections/{id}/mark/", "/api/v1/records/{id}/", "/api/v1/credit-complaints/{id}/",
                 "/api/v1/objections/{id}/assistance/{request_id}/answer/"):
        operation = next(iter(schema["paths"][path].values()))
        for parameter in (p for p in operation["parameters"] if p["in"] == "path"):
            assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}, (path, parameter)


def test_admin_object_pages_answer_bad_ids_without_a_server_error(client, make_official):
    """Every registered model's change, history, delete and history-version pages, with ids the model cannot
    have."""
    client.force_login(make_official("root", superuser=True))
    client.raise_request_exception = False
    failures = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for bad in ("abc", str(2**64)):
            for page in ("change", "history", "history/1"):
                response = client.get(f"{base}{bad}/{page}/")
                if response.status_code not in (302, 403, 404):  # 403: a model nobody may delete
                    failures.append(f"{base}{bad}/{page}/ → {response.status_code}")
    for page in ("delete", "history/abc", f"history/{2**64}"):
        response = client.get(f"/admin/objections/objection/1/{page}/")
        if response.status_code not in (302, 403, 404):
            failures.append(f"/admin/objections/objection/1/{page}/ → {response.status_code}")
    assert not failures, "\n".join(failures)
