"""Property tests of the whole API against its own OpenAPI schema .

Schemathesis 4 loads ``/api/schema/`` from the application and tests every operation in three phases:
*examples* (the schema's own examples), *coverage* (deterministic boundary and negative values for every
parameter and body field: non-integers and out-of-range numbers in path ids, missing and wrong-typed fields,
wrong content types, undocumented methods) and *fuzzing* (generated positive and negative cases). Each answer must
not be a server error, must use a status code and content type the operation documents, and its body must match
the documented schema.

Callers: a department system (token), an official with a session (second factor not required in tests), a citizen
with a session and an anonymous caller. About half of the cases whose path is valid for the schema name real
objects of the demo world in their path, so the requests get past the 404s into the views.

The run is bounded for CI (``FUZZ_EXAMPLES`` fuzzing cases per operation and caller, derandomized, so a failure in
CI is reproducible locally); the coverage phase always runs in full. ``FUZZ_EXAMPLES=200`` explores further.
Every case runs in a savepoint that is rolled back, so each starts from the same world and a database error in one
cannot poison the next. Each operation is a subtest: a failing run lists every failing operation, not the first.
"""

from __future__ import annotations

import gc
import os
import zlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.hardening._world import api_for, build

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:jsonschema.*is deprecated:DeprecationWarning"),
]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CALLERS = ("token:SCJG", "handler", "citizen", "anonymous")

schema = schemathesis.pytest.from_fixture("api_schema")
if os.environ.get("FUZZ_PATHS"):  # e.g. FUZZ_PATHS='^/api/v1/objections/' to explore one area further
    schema = schema.include(path_regex=os.environ["FUZZ_PATHS"])


class _Rollback(Exception):
    """Ends a case's atomic block so whatever the generated request wrote is undone."""


@pytest.fixture
def wsgi_app(settings, world):
    """The real WSGI handler, minus the per-request connection recycling (as Django's test client does): the
    test's transaction must survive the requests. Schemathesis calls it as ``http://localhost``."""
    from django.core.wsgi import get_wsgi_application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    settings.OFFICIAL_OTP_REQUIRED = False
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


@pytest.fixture
def api_schema(callers, wsgi_app):
    """The schema as the application serves it (after the world is built: the test client that builds it
    reconnects the connection-recycling signals that ``wsgi_app`` disconnects)."""
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    loaded.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES, deterministic=True,
        database="none", no_shrink=True,
    )
    return loaded


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


def _names_known_objects(case) -> bool:
    """Half of the cases whose path the schema accepts, chosen by a stable digest of the rest of the case."""
    if not case.path_parameters or case.meta is None or case.meta.is_negative_at(ParameterLocation.PATH):
        return False
    digest = zlib.crc32(repr((case.operation.label, case.query, case.body, case.headers)).encode())
    return digest % 2 == 0


def _with_known_objects(w, case):
    for prefix, values in w.known.items():
        if case.operation.path.startswith(prefix):
            for name in case.path_parameters:
                if values.get(name) is not None:
                    case.path_parameters[name] = values[name]
    return case


@pytest.fixture
def callers(request, world):
    """Each caller's request headers. Every case is sent once per caller, so the demo world is built once."""
    # Schemathesis' lazy schema renames the pytest item per operation through ``_nodeid``, which pytest 9 no
    # longer has; giving the item one keeps its reporting working (each operation stays a labelled subtest).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return {who: _headers(world, who) for who in CALLERS}


@pytest.fixture
def frozen_heap():
    """Thaws the heap the test froze (see the test), so the rest of the suite collects garbage as usual."""
    state = {"frozen": False}
    yield state
    if state["frozen"]:
        gc.unfreeze()


@schema.parametrize()
def test_every_operation_answers_within_its_schema_for_every_kind_of_caller(case, callers, world, frozen_heap):
    """A department system (token), an official and a citizen (sessions) and an anonymous caller: no 500s, only
    documented statuses and content types, bodies that match the schema, in every phase."""
    if not frozen_heap["frozen"]:
        # As config.wsgi does at start-up: what exists now (here: the app, and every case Schemathesis
        # built up front) is moved out of the collector's reach, so the full collection a batch push starts with
        # (credit_platform.gcpause) walks only new objects, as in production. ``frozen_heap`` thaws it afterwards.
        gc.freeze()
        frozen_heap["frozen"] = True
    if _names_known_objects(case):
        case = _with_known_objects(world, case)
    for who, headers in callers.items():
        try:
            with transaction.atomic():
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                raise _Rollback
        except _Rollback:
            pass  # the case ran and its writes are undone
        except Exception as exc:
            exc.add_note(f"caller: {who}")
            raise
