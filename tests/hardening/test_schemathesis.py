"""Property tests of the whole API against its own OpenAPI schema (issue 8 item 4, "Hostile input").

Schemathesis loads ``/api/schema/`` from the application and generates requests for every operation from the
schema; each answer must not be a server error, must use a status code and content type the operation documents,
and its body must match the documented schema. Callers: a department system (token), an anonymous caller and a
citizen with a session. Half of the generated cases name real objects of the demo world in their path, so the
requests get past the 404s into the views.

The run is bounded for CI (``FUZZ_EXAMPLES`` cases per operation and caller, derandomized so a failure in CI is
reproducible locally); ``FUZZ_EXAMPLES=200`` explores further. Every case runs in a savepoint that is rolled back,
so each starts from the same world and a database error in one cannot poison the next.
"""

from __future__ import annotations

import os

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given, strategies as st
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance,
)

from tests.hardening._world import api_for, build

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:jsonschema.*is deprecated:DeprecationWarning"),
]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class _Rollback(Exception):
    """Ends a case's atomic block so whatever the generated request wrote is undone."""


@pytest.fixture
def wsgi_app(settings):
    """The real WSGI handler, minus the per-request connection recycling (as Django's test client does): the
    test's transaction must survive the requests. Schemathesis calls it as ``http://localhost``."""
    from django.core.wsgi import get_wsgi_application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings, tmp_path):
    w = build(settings, tmp_path)
    from catalog.models import CatalogVersion
    from catalog.services import current_items
    from objections.models import Complaint
    from sanctions.models import Commitment, Matter

    scjg = w.depts["SCJG"]
    token = api_for(w, "token:SCJG")
    matter = Matter.objects.order_by("pk").first()
    w.check_id = None
    if matter is not None:
        answer = token.post("/api/v1/joint-check/", {"subject": w.bank.code, "matter": matter.code}, format="json")
        assert answer.status_code == 200, answer.content[:500]
        w.check_id = answer.json()["check_id"]
    item = current_items().filter(providers=scjg).order_by("code").first()
    draft = CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLIC_COMMENT).order_by("pk").first()
    commitment = Commitment.objects.filter(department=scjg).order_by("pk").first()
    complaint = Complaint.objects.order_by("pk").first()
    assistance = w.objection.assistance_requests.order_by("pk").first()
    # path prefix → the values of its parameters that name real objects
    w.known = {
        "/api/v1/records/": {"id": w.scjg_record.pk},
        "/api/v1/objections/": {"id": w.objection.pk, "request_id": assistance.pk if assistance else 1},
        "/api/v1/repair/applications/": {"number": w.application.number},
        "/api/v1/catalog/items/": {"code": item.code if item else "X"},
        "/api/v1/catalog/drafts/": {"id": draft.pk if draft else 1},
        "/api/v1/commitments/": {"id": commitment.pk if commitment else 1},
        "/api/v1/credit-complaints/": {"id": complaint.pk if complaint else 1},
        "/api/v1/joint-check/": {"check_id": w.check_id},
        "/api/v1/evaluations/": {"code": w.bank.code},
        "/api/v1/subjects/": {"code": w.bank.code},
        "/api/v1/public/subjects/": {"code": w.bank.code},
    }
    return w


def _headers(w, who: str) -> dict[str, str]:
    if who.startswith("token:"):
        return {"Authorization": f"Token {w.tokens[who[6:]]}"}
    if who == "anonymous":
        return {}
    client = api_for(w, who)  # force_login stores a session; the fuzzer sends its cookie and a CSRF pair
    from django.conf import settings

    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = _get_new_csrf_string()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf}


def _with_known_objects(w, case):
    for prefix, values in w.known.items():
        if case.operation.path.startswith(prefix) and case.path_parameters:
            for name in case.path_parameters:
                if values.get(name) is not None:
                    case.path_parameters[name] = values[name]
    return case


def _runner(w, operation, headers):
    @SETTINGS
    @given(data=st.data())
    def run(data):
        case = data.draw(operation.as_strategy())
        if case.path_parameters and data.draw(st.booleans(), label="known objects"):
            case = _with_known_objects(w, case)
        try:
            with transaction.atomic():
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
                raise _Rollback
        except _Rollback:
            pass  # the case ran and its writes are undone

    return run


def _fuzz(w, app, who: str) -> list[str]:
    schema = schemathesis.from_wsgi("/api/schema/?format=json", app)
    headers = _headers(w, who)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _runner(w, operation, headers)()
        except Exception as exc:  # noqa: BLE001 - every operation is reported, not just the first failing one
            failures.append(f"[{who}] {operation.verbose_name}: {str(exc)[:3000]}")
    return failures


def test_every_operation_answers_within_its_schema_for_every_kind_of_caller(world, wsgi_app):
    """A department system (token), an anonymous caller and a citizen (session): no 500s, only documented
    statuses and content types, bodies that match the schema. Every failing operation is reported."""
    failures = []
    for who in ("token:SCJG", "anonymous", "citizen"):
        failures += _fuzz(world, wsgi_app, who)
    assert not failures, "\n\n".join(failures)
