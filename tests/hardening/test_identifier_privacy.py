"""Personal identification numbers (MLPS 2.0 level 3): tables that only match them hold a keyed hash and a
mask, never the number; every lookup still works through HTTP; no log line carries the number in full."""

from __future__ import annotations

import importlib
import logging
import logging.config
from datetime import date, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client, override_settings

from accounts import querylog
from accounts.models import QueryLogEntry, QueryLogHead, SubjectLink
from credit_platform.privacy import IdentifierMaskingFilter, identifier_hash, mask_identifier
from disclosure.models import Authorisation
from records.models import Subject
from sanctions.models import JointCheck
from tests.disclosure import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Str0ng-Passw0rd!"
TABLES = ("disclosure_subjectlink", "disclosure_historicalsubjectlink", "disclosure_authorisation",
          "disclosure_historicalauthorisation", "disclosure_querylogentry", "sanctions_jointcheck")


def dump(table: str) -> str:
    """Every column of every row of ``table``, as the database returns them (raw SQL, no model in between)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        return "\n".join(" | ".join(str(v) for v in row) for row in cur.fetchall())


def assert_not_stored(code: str):
    for table in TABLES:
        assert code not in dump(table), f"{table} holds the plain identifier"


@pytest.fixture(autouse=True)
def dev_check(settings):
    """Registration by name and ID number is the development check: DEBUG on only."""
    settings.DEBUG = True


def register(client: Client, name: str, id_number: str, username: str):
    return client.post("/accounts/register/", {"name": name, "id_number": id_number, "username": username,
                                               "password1": PASSWORD, "password2": PASSWORD, "agree": "on"})


@pytest.fixture
def person(department):
    items = f.make_catalog(department)
    subject = f.person("赵敏", date(1991, 2, 3))
    f.record(subject, items[f.PENALTY], department)
    return subject


def test_registration_links_by_hash_and_the_citizen_sees_their_record(person):
    c = Client()
    assert register(c, "赵敏", person.code, "zhaomin").status_code == 302
    page = c.get("/my/")
    assert page.status_code == 200 and "行政处罚信息" in page.content.decode()

    link = SubjectLink.objects.get(user__username="zhaomin")
    assert link.subject == person and link.code == mask_identifier(person.code) == person.masked_code
    assert link.code_hash == identifier_hash(person.code)
    assert_not_stored(person.code)
    # The query log entry of that page view: masked and hashed, and the chain still verifies.
    entry = QueryLogEntry.objects.get(subject_id=person.pk)
    assert entry.subject_code == person.masked_code and entry.subject_code_hash == identifier_hash(person.code)
    assert querylog.verify_chain() == (1, None)
    # The same number cannot open a second account, found by its hash.
    from django.utils.html import escape

    from disclosure.views import REGISTRATION_REFUSED

    assert escape(REGISTRATION_REFUSED) in register(Client(), "赵敏", person.code, "zhaomin2").content.decode()
    assert not SubjectLink.objects.filter(user__username="zhaomin2").exists()


def test_account_verified_before_the_platform_knows_the_person_finds_them_later(department):
    items = f.make_catalog(department)
    code = f.ric(date(1979, 9, 9))
    c = Client()
    assert register(c, "孙红", code, "sunhong").status_code == 302
    assert "尚未关联信用主体" in c.get("/my/").content.decode()
    # A department push creates the subject later in bulk (no model signal), as the ingestion path does.
    Subject.objects.bulk_create([Subject(type="natural_person", code_type="ric", code=code, name="孙红",
                                         birth_date=date(1979, 9, 9))])
    f.record(Subject.objects.get(code=code), items[f.PENALTY], department)
    from django.core.cache import cache

    cache.clear()  # the pending-link recheck runs at most every few minutes per user
    page = c.get("/my/")
    assert "行政处罚信息" in page.content.decode()
    assert SubjectLink.objects.get(user__username="sunhong").subject.code == code
    assert_not_stored(code)


def test_authorisation_to_a_person_matches_the_grantee_by_hash(person, department):
    owner = Client()
    register(owner, "赵敏", person.code, "zhaomin")
    grantee_subject = f.person("钱多多", date(1980, 8, 8))
    from django.utils import timezone

    response = owner.post("/my/authorisations/", {
        "grantee_name": "钱多多", "grantee_code": grantee_subject.code, "categories": ["dishonesty"],
        "purpose": "租房审查", "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = Authorisation.objects.get()
    assert grant.grantee_code == grantee_subject.masked_code
    assert grantee_subject.masked_code in owner.get("/my/authorisations/").content.decode()

    grantee = Client()
    register(grantee, "钱多多", grantee_subject.code, "qianduoduo")
    listing = grantee.get("/authorised/").content.decode()
    assert "租房审查" in listing
    assert grantee.get(f"/authorised/{grant.pk}/").status_code == 200
    assert_not_stored(grantee_subject.code)
    assert_not_stored(person.code)


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):  # the demo refuses to load with DEBUG off (production)
        call_command("bootstrap_demo", stdout=StringIO())
    from credit_platform.models import Department

    return {"zhang": Subject.objects.get(type="natural_person", name="张伟"),
            "scjg": Department.objects.get(code="SCJG")}


def test_joint_check_finds_a_person_and_the_audit_log_lists_them_masked(demo, token_client, make_official):
    zhang = demo["zhang"]
    api = token_client(demo["scjg"])
    answer = api.post("/api/v1/joint-check/", {"subject": zhang.code, "matter": "government_procurement"},
                      format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["subject_found"] is True and body["subject"] == zhang.masked_code
    check = JointCheck.objects.get(check_id=body["check_id"])
    assert check.subject == zhang and check.subject_code_hash == identifier_hash(zhang.code)
    assert_not_stored(zhang.code)

    auditor = make_official("audit_person", "审计员", superuser=True)
    admin = Client()
    admin.force_login(auditor, backend="django.contrib.auth.backends.ModelBackend")
    listing = admin.get("/admin/sanctions/jointcheck/").content.decode()
    assert zhang.masked_code in listing and zhang.code not in listing
    # An auditor searching by the full number finds the checks through the keyed hash.
    found = admin.get("/admin/sanctions/jointcheck/", {"q": zhang.code}).content.decode()
    assert zhang.masked_code in found
    other = f.ric(date(1966, 6, 6))  # a number nobody asked about finds nothing
    assert zhang.masked_code not in admin.get("/admin/sanctions/jointcheck/", {"q": other}).content.decode()
    assert admin.get("/admin/accounts/querylogentry/", {"q": zhang.code}).content.decode().count(zhang.masked_code) >= 1
    out = StringIO()
    call_command("sanctions_audit", stdout=out)
    assert out.getvalue().startswith("OK")
    call_command("verify_query_log", stdout=StringIO())


def _migration(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


def _apps_at(app: str, name: str):
    """The models as migration ``app.name`` sees them (the query log and links were disclosure's then)."""
    return MigrationLoader(connection).project_state((app, name)).apps


def test_migration_converts_existing_rows_and_rechains_the_query_log(person, department, make_official):
    """Rows written before the change (plain numbers, old chain formula) are converted; the chain verifies after."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    migration = _migration("disclosure", "0004_identifier_hashes")
    user = get_user_model().objects.create_user(username="legacy", password=PASSWORD, kind="citizen")
    link = SubjectLink.objects.create(user=user, code_type="ric", code=person.code, name=person.name,
                                      role="self", verified_by="test")
    SubjectLink.objects.filter(pk=link.pk).update(code=person.code, code_hash="", subject=None)  # the old form
    official = make_official("gov", department=department)
    prev = querylog.GENESIS
    for seq in (1, 2):  # two entries hashed with the old formula over the plain number
        fields = {"seq": seq, "at": timezone.now(), "actor_kind": "official",
                  "actor_id": official.pk, "actor_label": "gov", "department_code": department.code,
                  "subject_id": person.pk, "subject_code": person.code, "action": "government", "scope": ["full"],
                  "purpose": "other_legal", "purpose_label": "查询", "channel": "api", "reference": "",
                  "prev_hash": prev}
        digest = migration._digest(fields, migration.V1_FIELDS)
        QueryLogEntry(**fields, subject_code_hash="", hash=digest).save()
        prev = digest
    QueryLogHead.objects.update_or_create(id=1, defaults={"seq": 2, "hash": prev})
    assert person.code in dump("disclosure_querylogentry")

    editor = SimpleNamespace(connection=connection)  # what the functions use of the schema editor
    at_0004 = _apps_at("disclosure", "0004_identifier_hashes")
    migration.links_and_grants(at_0004, editor)
    migration.rechain_query_log(at_0004, editor)
    _migration("disclosure", "0005_query_log_hmac").to_keyed(_apps_at("disclosure", "0005_query_log_hmac"), editor)  # then keyed

    link.refresh_from_db()
    assert link.code == person.masked_code and link.code_hash == identifier_hash(person.code) and link.subject == person
    assert_not_stored(person.code)
    assert querylog.verify_chain() == (2, None)
    head = QueryLogHead.objects.get(id=1)
    assert head.rechained[-2]["verified_previous_head"] == prev and head.rechained[-2]["entries"] == 2
    assert head.rechained[-1]["migration"] == "disclosure.0005_query_log_hmac"
    # New entries chain on from the re-hashed head.
    querylog.append(actor=official, subject=person, action="government", scope=["full"], channel="api")
    assert querylog.verify_chain() == (3, None)


def test_migration_refuses_to_rechain_a_tampered_log(person, department, make_official):
    migration = _migration("disclosure", "0004_identifier_hashes")
    official = make_official("gov", department=department)
    querylog.append(actor=official, subject=person, action="government", scope=["full"], channel="api")
    with pytest.raises(RuntimeError, match="verify_query_log"):
        migration.rechain_query_log(_apps_at("disclosure", "0004_identifier_hashes"), SimpleNamespace(connection=connection))  # the entry is in the new form: the old formula fails


# --- logs ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def configured_logging(capsys):
    """``configured_logging()`` applies the settings' LOGGING in the test, its handlers writing to the captured
    stderr, and returns the capture; the configuration is applied again afterwards for the other tests."""

    def configure():
        logging.config.dictConfig(django_settings.LOGGING)
        return capsys

    yield configure
    logging.config.dictConfig(django_settings.LOGGING)


def test_log_lines_never_hold_an_id_number_or_a_phone(configured_logging):
    capture = configured_logging()
    code, phone = "650203199001011234", "13812345678"
    log = logging.getLogger("credit_platform.some_module")
    log.warning("subject %s called from %s", code, phone)
    log.warning(f"inline {code.lower()[:-1]}x")
    try:
        raise ValueError(f"no subject with number {code}")
    except ValueError:
        log.exception("lookup failed for %s", code)
    logging.getLogger("django.request").error("Internal Server Error: /api/v1/subjects/%s/", code)
    err = capture.readouterr().err
    assert code not in err and phone not in err and code[:-1] not in err
    assert "6502**********1234" in err and "138****5678" in err
    assert "Traceback" in err and "ValueError: no subject with number 6502**********1234" in err
    assert "/api/v1/subjects/6502**********1234/" in err


def test_every_configured_handler_masks(configured_logging):
    configured_logging()
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    handlers = {h for lg in loggers if isinstance(lg, logging.Logger) for h in lg.handlers
                if not type(h).__module__.startswith("_pytest") and not isinstance(h, logging.NullHandler)}
    assert handlers, "no handlers configured"
    for handler in handlers:
        assert any(isinstance(flt, IdentifierMaskingFilter) for flt in handler.filters), handler


def test_filter_keeps_ordinary_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "batch %s: %s rows, order 12345678901234567", (7, 5000), None)
    IdentifierMaskingFilter().filter(record)
    assert record.getMessage() == "batch 7: 5000 rows, order 12345678901234567"
