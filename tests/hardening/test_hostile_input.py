"""Hostile input over HTTP: every answer is a 4xx in the ``{code, message, fields}`` shape (never a
500), nothing is stored by a refused request, and what is accepted is stored literally and rendered escaped.

Covered: oversized bodies; deeply nested JSON (100,000 levels, and deep objects inside ``content``); wrong,
missing and multipart content types; invalid UTF-8; NUL characters (PostgreSQL refuses them in text, so run this
on PostgreSQL too); SQL and script injection in every text field of a record, in list and search parameters, in
objection text and on the portal; huge, infinite and NaN numbers; wrong types; duplicate keys; strings longer
than their column.
"""

from __future__ import annotations

import orjson
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from records.models import IngestBatch, Record, Subject
from tests.records import factories as f

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/records/batch/"
SINGLE = "/api/v1/records/"
INJECTIONS = [
    "'; DROP TABLE records_record; --",
    "' OR '1'='1",
    "1) OR 1=1 --",
    "\" UNION SELECT password FROM credit_platform_user --",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}{% debug %}",
    "%(x)s %s ${x} \\x27",
]


@pytest.fixture(autouse=True)
def _no_rate_limits():
    """The public search endpoints are rate-limited per client; these tests call them many times."""
    cache.clear()
    yield
    cache.clear()


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert isinstance(body["code"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def post_raw(client, url: str, body: bytes | str, content_type: str = "application/json", method: str = "POST"):
    return client.generic(method, url, body, content_type=content_type)


def _stored():
    return Record.objects.count(), Subject.objects.count(), IngestBatch.objects.count()


@pytest.fixture
def existing(push):
    """One record on file before the hostile requests, to check that nothing else is touched."""
    row = f.penalty("SCJG-EXISTING-1")
    push(row)
    record = Record.objects.get(source_ref="SCJG-EXISTING-1")
    return record, record.content_hash, record.updated_at


def assert_untouched(existing) -> None:
    record, content_hash, updated_at = existing
    record.refresh_from_db()
    assert (record.content_hash, record.updated_at, record.status) == (content_hash, updated_at, "active")


# --- oversized bodies ---------------------------------------------------------------------------------------
def test_a_full_batch_of_realistic_records_fits_the_default_body_limit():
    """The limit is sized for the batch endpoint: 5,000 records with long texts stay well under it."""
    rows = [f.penalty(f"SCJG-SIZE-{i:05d}", content=f.penalty_content(违法事实="当事人销售超过保质期的食品。" * 20))
            for i in range(5000)]
    size = len(orjson.dumps({"records": rows}))
    assert size < django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 0.75, (size, django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


@pytest.mark.parametrize("url", [BATCH, SINGLE])
def test_record_body_over_the_limit_is_413_and_stores_nothing(scjg_client, settings, url):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    before = _stored()
    rows = [f.penalty() for _ in range(60)]
    body = orjson.dumps({"records": rows} if url == BATCH else dict(rows[0], content={"说明": "x" * 70000}))
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert_error(post_raw(scjg_client, url, body), 413, "payload_too_large")
    assert _stored() == before


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_other_api_bodies_over_the_limit_are_413(scjg_client, settings, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    from objections.models import Objection

    big = "异" * 40000  # 120 kB of UTF-8
    body = orjson.dumps({"records": [1], "ground": "inaccurate", "statement": big}) if content_type == "application/json" \
        else f"ground=inaccurate&records=1&statement={big}".encode()
    assert_error(post_raw(scjg_client, "/api/v1/objections/", body, content_type), 413, "payload_too_large")
    assert_error(post_raw(scjg_client, "/api/v1/joint-check/", body, content_type), 413, "payload_too_large")
    assert not Objection.objects.exists()


def test_multipart_field_over_the_limit_is_413(scjg_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    response = scjg_client.post("/api/v1/objections/", {"records": [1], "ground": "inaccurate", "statement": "x" * 70000},
                                format="multipart")
    assert_error(response, 413, "payload_too_large")


# --- deep nesting -------------------------------------------------------------------------------------------
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize("url", [BATCH, SINGLE, "/api/v1/objections/", "/api/v1/joint-check/", "/api/v1/repair/outbox/ack/",
                                 "/api/v1/credit-complaints/"])
def test_100k_levels_of_nesting_are_a_clear_400(scjg_client, url, body):
    before = _stored()
    assert_error(post_raw(scjg_client, url, body), 400)
    assert _stored() == before


def _nested(levels: int) -> str:
    return '{"x":' * levels + '"深"' + "}" * levels


@pytest.mark.parametrize("levels", [9, 300, 1000])
def test_deep_objects_inside_content_are_rejected_per_row(scjg_client, existing, levels):
    before = _stored()
    good = orjson.dumps(f.penalty("SCJG-DEEP-OK")).decode()
    deep = orjson.dumps(f.penalty("SCJG-DEEP-1")).decode().replace('"content":{', f'"content":{{"嵌套":{_nested(levels)},', 1)
    response = post_raw(scjg_client, BATCH, f'{{"records":[{deep},{good}]}}')
    if levels > 1000:  # beyond orjson's own limit the whole body is malformed
        assert_error(response, 400, "malformed_json")
        return
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert [(r["index"], r["code"]) for r in body["rejected"]] == [(0, "content_too_deep")]
    assert body["created"] == 1
    assert not Record.objects.filter(source_ref="SCJG-DEEP-1").exists()
    assert Record.objects.count() == before[0] + 1
    single = post_raw(scjg_client, SINGLE, deep)
    assert_error(single, 400, "content_too_deep")
    assert_untouched(existing)


def test_deep_json_inside_a_serializer_field_is_400(scjg_client, existing):
    from objections.models import Objection

    filed = scjg_client.post("/api/v1/objections/", {"records": [existing[0].pk], "ground": "inaccurate", "statement": "s"},
                             format="json")
    assert filed.status_code == 201, filed.content[:300]
    body = '{"outcome": "upheld", "reasons": "x", "corrections": {"1": ' + _nested(60) + "}}"
    objection = Objection.objects.get()
    assert_error(post_raw(scjg_client, f"/api/v1/objections/{objection.pk}/decide/", body), 400, "too_deep")
    objection.refresh_from_db()
    assert objection.outcome in ("", None)


# --- content types and encodings ----------------------------------------------------------------------------
WRONG_TYPES = ["text/plain", "application/xml", "", "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded"]


@pytest.mark.parametrize("content_type", WRONG_TYPES)
@pytest.mark.parametrize("url", [BATCH, SINGLE])
def test_record_pushes_need_a_json_content_type(scjg_client, url, content_type):
    before = _stored()
    payload = {"records": [f.penalty()]} if url == BATCH else f.penalty()
    assert_error(post_raw(scjg_client, url, orjson.dumps(payload), content_type), 415, "unsupported_media_type")
    assert _stored() == before


@pytest.mark.parametrize("method,path", [("PATCH", ""), ("POST", "revoke/")])
def test_record_corrections_and_revocations_need_a_json_content_type(scjg_client, existing, method, path):
    record = existing[0]
    body = orjson.dumps({"reason": "x", "document": {"number": "n", "issuer": "i", "issued_on": "2026-01-01"}})
    for content_type in ("text/plain", "application/xml", ""):
        assert_error(post_raw(scjg_client, f"/api/v1/records/{record.pk}/{path}", body, content_type, method), 415)
    assert_untouched(existing)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
@pytest.mark.parametrize("url", ["/api/v1/objections/", "/api/v1/joint-check/", "/api/v1/repair/outbox/ack/",
                                 "/api/v1/interviews/", "/api/v1/commitments/"])
def test_other_endpoints_refuse_wrong_content_types_with_415(scjg_client, url, content_type):
    assert_error(post_raw(scjg_client, url, b'{"a": 1}', content_type), 415)


INVALID_UTF8 = [b'{"records": [{"source_ref": "\xff\xfe"}]}', b'{"statement": "\xc3\x28"}', b'{"a": "\xed\xa0\x80"}',
                b'{"a": "\\ud800"}']


@pytest.mark.parametrize("body", INVALID_UTF8)
@pytest.mark.parametrize("url", [BATCH, SINGLE, "/api/v1/objections/", "/api/v1/joint-check/", "/api/v1/repair/outbox/ack/"])
def test_invalid_utf8_and_lone_surrogates_are_400(scjg_client, url, body):
    before = _stored()
    assert_error(post_raw(scjg_client, url, body), 400)
    assert _stored() == before


# --- NUL characters -----------------------------------------------------------------------------------------
def _set(row: dict, path: str, value):
    target = row
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    target[last] = value


RECORD_TEXT_FIELDS = [
    "source_ref", "subject.name", "subject.code", "basis_document.number", "basis_document.issuer", "content.违法事实",
    "consent_ref", "domain", "responsible_persons.0.name",
]


def _penalty_with_person(source_ref=None) -> dict:
    return f.penalty(source_ref, responsible_persons=[{"role": "legal_representative", **f.person("王五")}])


@pytest.mark.parametrize("field", RECORD_TEXT_FIELDS)
def test_nul_in_any_record_text_field_rejects_that_row(scjg_client, existing, field):
    bad = _penalty_with_person()
    _set(bad, field, f"前\x00后{bad['source_ref'] if field == 'source_ref' else ''}")
    good = f.penalty()
    before = Record.objects.count()
    response = scjg_client.post(BATCH, {"records": [bad, good]}, format="json")
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert [(r["index"], r["code"]) for r in body["rejected"]] == [(0, "nul_character")], body["rejected"]
    assert body["rejected"][0]["field"] == field.replace(".0.", "[0].")
    assert body["created"] == 1
    assert_error(scjg_client.post(SINGLE, bad, format="json"), 400, "nul_character")
    assert Record.objects.count() == before + 1  # the good row only
    assert not any("\x00" in name for name in Subject.objects.values_list("name", flat=True))
    assert_untouched(existing)


def test_nul_in_a_content_key_is_rejected(scjg_client):
    row = f.penalty(content={**f.penalty_content(), "键\x00": "值"})
    assert_error(scjg_client.post(SINGLE, row, format="json"), 400, "nul_character")


def test_nul_in_correction_and_revocation_bodies_is_400(scjg_client, existing):
    record = existing[0]
    patch = scjg_client.patch(f"/api/v1/records/{record.pk}/", {"reason": "更正\x00", "consent_ref": "x"}, format="json")
    assert_error(patch, 400, "nul_character")
    revoke = scjg_client.post(f"/api/v1/records/{record.pk}/revoke/", {
        "reason": "撤销", "document": {"number": "克\x00", "issuer": "法院", "issued_on": "2026-01-02"}}, format="json")
    assert_error(revoke, 400, "nul_character")
    assert_untouched(existing)


@pytest.mark.parametrize("url,payload", [
    ("/api/v1/objections/", {"records": [1], "ground": "inaccurate", "statement": "有误\x00"}),
    ("/api/v1/joint-check/", {"subject": "91650200\x00", "matter": "m"}),
    ("/api/v1/credit-complaints/", {"collector_name": "a\x00", "statement": "s", "complainant_name": "c"}),
    ("/api/v1/commitments/", {"subject": "x", "source_ref": "r\x00", "title": "t", "content": "c", "made_on": "2026-01-01"}),
    ("/api/v1/repair/outbox/ack/", {"event_id": "\x00", "subscription_id": 1}),
])
@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_nul_in_other_api_bodies_is_400(scjg_client, url, payload, encoding):
    if encoding == "multipart" and url == "/api/v1/repair/outbox/ack/":
        encoding = "json"  # the acknowledgement is JSON only
    assert_error(scjg_client.post(url, payload, format=encoding), 400)


@pytest.mark.parametrize("url", [
    "/api/v1/records/?source_ref=a%00b", "/api/v1/records/?subject_name=%00", "/api/v1/objections/?status=%00",
    "/api/v1/public/search/?q=%E5%85%AC%00%E5%8F%B8", "/api/v1/evaluations/9165%00/", "/api/v1/subjects/a%00b/?purpose=x",
    "/api/v1/repair/applications/?status=%00", "/api/v1/red-list/?subject=%00", "/api/v1/catalog/items/%00/",
])
def test_nul_in_api_paths_and_query_parameters_is_400(scjg_client, url):
    assert_error(scjg_client.get(url), 400, "nul_character")


@pytest.mark.parametrize("url", ["/search/?q=%E5%85%AC%00%E5%8F%B8", "/subjects/9165%00/", "/lists/severe/?q=%00"])
def test_nul_on_portal_pages_is_a_plain_400(url):
    response = Client().get(url)
    assert response.status_code == 400


def test_nul_in_a_session_cookie_is_400_not_a_database_error(scjg_client):
    response = Client().get("/api/v1/whoami/", HTTP_COOKIE=f'{django_settings.SESSION_COOKIE_NAME}="abcdefgh\\000ijkl"')
    assert_error(response, 400, "nul_character")
    response = Client().get("/", HTTP_COOKIE=f'{django_settings.SESSION_COOKIE_NAME}="abcdefgh\\000ijkl"')
    assert response.status_code == 400


# --- injection: stored literally, nothing else touched, rendered escaped --------------------------------------
def test_injection_strings_in_every_record_text_field_are_stored_literally(scjg_client, existing, make_official, department):
    rows = []
    for i, attack in enumerate(INJECTIONS):
        row = _penalty_with_person(f"SCJG-INJ-{i}-{attack[:20]}".replace("#", ""))
        row["subject"]["name"] = f"{attack}有限公司"
        row["basis_document"]["number"] = attack[:128]
        row["basis_document"]["issuer"] = attack
        row["content"]["违法事实"] = attack
        row["consent_ref"] = attack[:128]
        row["responsible_persons"][0]["name"] = attack
        rows.append(row)
    before = Record.objects.filter(parent__isnull=True).count()
    response = scjg_client.post(BATCH, {"records": rows}, format="json")
    assert response.status_code == 200, response.content[:800]
    body = response.json()
    assert body["rejected"] == [] and body["created"] == len(INJECTIONS)
    assert Record.objects.filter(parent__isnull=True).count() == before + len(INJECTIONS)
    for i, attack in enumerate(INJECTIONS):
        record = Record.objects.select_related("subject").get(source_ref=rows[i]["source_ref"])
        assert record.subject.name == f"{attack}有限公司"
        assert (record.basis_number, record.basis_issuer, record.consent_ref) == (attack[:128], attack, attack[:128])
        assert record.content["违法事实"] == attack
        assert record.responsible_persons[0]["name"] == attack
    assert_untouched(existing)

    # the admin renders them escaped
    official = make_official("centre_inj", "credit_centre", department=department, superuser=True)
    admin = Client()
    admin.force_login(official)
    record = Record.objects.get(source_ref=rows[4]["source_ref"])  # <script>alert('x')</script>
    page = admin.get(f"/admin/records/record/{record.pk}/change/")
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html
    listing = admin.get("/admin/records/record/", {"q": "<script>alert('x')</script>"})
    assert listing.status_code == 200 and "<script>alert(" not in listing.content.decode()


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_in_list_and_search_parameters(scjg_client, existing, attack):
    for name in ("source_ref", "source_ref_prefix", "subject_code", "subject_name", "catalog_item"):
        response = scjg_client.get(SINGLE, {name: attack})
        assert response.status_code == 200, (name, response.content[:300])
        assert response.json()["count"] == 0, name  # matched literally, not as SQL
    for name in ("category", "status", "decided_after", "received_after", "limit", "offset", "pushed_late"):
        response = scjg_client.get(SINGLE, {name: attack})
        assert response.status_code in (200, 400), (name, response.status_code)
        if response.status_code == 400:
            assert_error(response, 400)
    for url, params in [("/api/v1/objections/", {"status": attack, "ground": attack}),
                        ("/api/v1/repair/applications/", {"status": attack}),
                        ("/api/v1/measures/", {"kind": attack, "matter": attack}),
                        ("/api/v1/red-list/", {"subject": attack}),
                        ("/api/v1/severe-list/", {"subject": attack}),
                        ("/api/v1/interviews/", {"subject": attack}),
                        ("/api/v1/commitments/", {"status": attack}),
                        ("/api/v1/catalog/items/", {"provider": attack})]:
        response = scjg_client.get(url, params)
        assert response.status_code in (200, 400), (url, response.status_code, response.content[:300])
        if response.status_code == 400:
            assert_error(response, 400)
        elif isinstance(response.json(), list):
            assert response.json() == [], url
    search = Client().get("/api/v1/public/search/", {"q": attack})
    assert search.status_code == 200 and search.json()["results"] == []
    assert_untouched(existing)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_on_the_portal_is_escaped(attack):
    page = Client().get("/search/", {"q": attack})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "未找到" in html  # searched literally, found nothing
    subject = Client().get(f"/subjects/{attack}/")
    assert subject.status_code in (400, 404) and "<script>alert(" not in subject.content.decode()


def test_injection_in_objection_text_is_stored_literally(scjg_client, existing):
    from objections.models import Objection

    record = existing[0]
    attack = "<script>alert('x')</script>'; DELETE FROM objections_objection; --"
    response = scjg_client.post("/api/v1/objections/", {
        "records": [record.pk], "ground": "inaccurate", "statement": attack, "applicant_name": attack[:200]}, format="json")
    assert response.status_code == 201, response.content[:500]
    objection = Objection.objects.get()
    assert objection.statement == attack and response.json()["statement"] == attack
    mark = scjg_client.post(f"/api/v1/objections/{objection.pk}/mark/", {"note": attack}, format="json")
    assert mark.status_code in (200, 400, 403), mark.content[:300]
    assert Objection.objects.count() == 1


# --- numbers, types, duplicate keys, lengths ------------------------------------------------------------------
@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("url", [BATCH, "/api/v1/objections/", "/api/v1/joint-check/"])
def test_non_finite_numbers_are_malformed_json(scjg_client, url, number):
    before = _stored()
    body = '{"records": [{"source_ref": "N-1", "content": {"罚款金额（万元）": %s}}], "subject": %s}' % (number, number)  # noqa: UP031 - JSON braces
    assert_error(post_raw(scjg_client, url, body), 400, "malformed_json")
    assert _stored() == before


@pytest.mark.parametrize("value", [-1, -1e300, 1e300, 10**30, 0.1])
def test_out_of_range_numbers_in_content_are_rejected_or_stored_exactly(scjg_client, value):
    row = f.penalty(content=f.penalty_content(**{"罚款金额（万元）": value}))
    response = scjg_client.post(SINGLE, row, format="json")
    assert response.status_code in (200, 201, 400), response.content[:300]
    if response.status_code == 400:
        assert_error(response, 400, "content_schema_mismatch")
    else:
        assert float(Record.objects.get(source_ref=row["source_ref"]).content["罚款金额（万元）"]) == float(value)


HUGE = 10**30


@pytest.mark.parametrize("method,url,payload", [
    ("post", "/api/v1/objections/", {"records": [HUGE], "ground": "inaccurate", "statement": "s"}),
    ("post", "/api/v1/objections/", {"records": [-1, 0], "ground": "inaccurate", "statement": "s"}),
    ("post", "/api/v1/repair/applications/", {"record": HUGE, "applicant_name": "a", "correction_statement": "c", "commitment": "c"}),
    ("post", "/api/v1/interviews/", {"subject": "x", "held_on": "2026-01-01", "interviewee": "i", "reason": "r", "summary": "s",
                                      "records": [HUGE]}),
    ("post", "/api/v1/repair/outbox/ack/", {"event_id": "e", "subscription_id": HUGE}),
    ("post", "/api/v1/repair/outbox/ack/", {"event_id": "e", "subscription_id": "abc"}),
    ("get", f"/api/v1/repair/applications/?record={HUGE}", None),
    ("get", "/api/v1/repair/applications/?record=abc", None),
    ("get", f"/api/v1/records/?limit={HUGE}&offset={HUGE}", None),
])
def test_huge_and_malformed_ids_are_400(scjg_client, method, url, payload):
    response = getattr(scjg_client, method)(url, payload, format="json") if payload is not None else scjg_client.get(url)
    if "limit=" in url:
        assert response.status_code == 200 and response.json()["results"] == []
        return
    assert_error(response, 400)


@pytest.mark.parametrize("url", [f"/api/v1/records/{HUGE}/", f"/api/v1/objections/{HUGE}/", f"/api/v1/commitments/{HUGE}/verification/",
                                 f"/api/v1/records/{HUGE}/repair-eligibility/", f"/api/v1/catalog/drafts/{HUGE}/comments/"])
def test_huge_ids_in_paths_are_404(scjg_client, url):
    response = scjg_client.get(url) if "comments" not in url and "verification" not in url else \
        scjg_client.post(url, {"result": "kept", "author_name": "a", "author_kind": "citizen", "body": "b"}, format="json")
    assert_error(response, 404)


WRONG_TYPES_ROWS = [
    ("subject", ["not", "an", "object"], "invalid_type"),
    ("subject", "91650200MA79XXXXXX", "invalid_type"),
    ("penalty_types", {"fine": True}, "invalid_type"),
    ("penalty_types", [["fine"]], "invalid_choice"),
    ("basis_document", ["克市监罚〔2026〕12号"], "invalid_type"),
    ("content", ["a", "b"], "invalid_type"),
    ("source_ref", 12345, "invalid_type"),
    ("source_ref", {"$ne": ""}, "invalid_type"),
    ("decided_on", 20260302, "invalid_date"),
    ("decided_on", "2026-02-30", "invalid_date"),
    ("minor_violation", "yes", "invalid_type"),
    ("severity", ["general"], "invalid_choice"),
    ("catalog_item", {"code": "T-XZCF"}, "unknown_item"),
    ("responsible_persons", {"role": "x"}, "invalid_type"),
    ("domain", ["food"], "invalid_type"),
]


@pytest.mark.parametrize("field,value,code", WRONG_TYPES_ROWS, ids=[f"{r[0]}-{type(r[1]).__name__}" for r in WRONG_TYPES_ROWS])
def test_wrong_types_are_row_rejections(scjg_client, field, value, code):
    row = f.penalty()
    row[field] = value
    response = scjg_client.post(BATCH, {"records": [row]}, format="json")
    assert response.status_code == 200, response.content[:300]
    rejected = response.json()["rejected"]
    assert [(r["code"], r["field"].split("[")[0].split(".")[0]) for r in rejected] == [(code, field)], rejected
    assert_error(scjg_client.post(SINGLE, row, format="json"), 400, code)
    assert not Record.objects.exists()


@pytest.mark.parametrize("body", ['{"records": {"0": {}}}', '[{"source_ref": "x"}]', '"records"', "null", '{"records": null}',
                                  '{"records": [1, "two", null, []]}'])
def test_wrong_types_at_the_top_of_a_batch(scjg_client, body):
    response = post_raw(scjg_client, BATCH, body)
    if body.startswith('{"records": ['):
        assert response.status_code == 200
        assert [r["code"] for r in response.json()["rejected"]] == ["invalid_row"] * 4
    else:
        assert_error(response, 400, "invalid_batch")
    assert not Record.objects.exists()


def test_duplicate_keys_take_the_last_value(scjg_client):
    first, last = f.penalty("SCJG-DUPKEY-FIRST"), f.penalty("SCJG-DUPKEY-LAST")
    row = orjson.dumps(last).decode().replace('"source_ref":"SCJG-DUPKEY-LAST"',
                                              '"source_ref":"SCJG-DUPKEY-FIRST","source_ref":"SCJG-DUPKEY-LAST"')
    body = '{"records": [%s], "records": [%s]}' % (orjson.dumps(first).decode(), row)  # noqa: UP031 - JSON braces
    response = post_raw(scjg_client, BATCH, body)
    assert response.status_code == 200 and response.json()["created"] == 1
    assert list(Record.objects.values_list("source_ref", flat=True)) == ["SCJG-DUPKEY-LAST"]


OVERLONG = [
    ("source_ref", 129), ("subject.name", 201), ("subject.code", 65), ("basis_document.number", 129),
    ("basis_document.issuer", 201), ("consent_ref", 129), ("guardian_consent_ref", 129), ("domain", 33),
    ("responsible_persons.0.name", 201),
]


@pytest.mark.parametrize("field,length", OVERLONG)
def test_strings_longer_than_their_column_are_field_errors(scjg_client, field, length):
    row = _penalty_with_person()
    _set(row, field, "长" * length)
    body = assert_error(scjg_client.post(SINGLE, row, format="json"), 400)
    assert body["code"] in ("too_long", "invalid_type", "invalid_uscc"), body
    assert list(body["fields"]) == [field.replace(".0.", "[0].")]
    assert not Record.objects.exists()


@pytest.mark.parametrize("url,payload,field", [
    ("/api/v1/objections/", {"records": [1], "ground": "inaccurate", "statement": "s", "applicant_name": "名" * 201}, "applicant_name"),
    ("/api/v1/objections/", {"records": [1], "ground": "inaccurate", "statement": "s", "applicant_phone": "1" * 33}, "applicant_phone"),
    ("/api/v1/credit-complaints/", {"collector_name": "c" * 201, "statement": "s", "complainant_name": "c"}, "collector_name"),
    ("/api/v1/credit-complaints/", {"collector_name": "c", "collector_uscc": "9" * 19, "statement": "s", "complainant_name": "c"}, "collector_uscc"),
    ("/api/v1/commitments/", {"subject": "s", "source_ref": "r" * 161, "title": "t", "content": "c", "made_on": "2026-01-01"}, "source_ref"),
    ("/api/v1/commitments/", {"subject": "s", "source_ref": "r", "title": "t" * 301, "content": "c", "made_on": "2026-01-01"}, "title"),
    ("/api/v1/interviews/", {"subject": "s", "held_on": "2026-01-01", "interviewee": "i" * 101, "reason": "r", "summary": "s"}, "interviewee"),
    ("/api/v1/joint-check/", {"subject": "9" * 65, "matter": "m"}, "subject"),
])
def test_overlong_strings_in_other_bodies_are_field_errors(scjg_client, url, payload, field):
    body = assert_error(scjg_client.post(url, payload, format="json"), 400, "invalid")
    assert field in body["fields"], body


@pytest.mark.parametrize("url,payload", [
    ("/api/v1/credit-complaints/", {"collector_name": "c", "statement": "s", "complainant_name": "c"}),
    ("/api/v1/objections/", {"ground": "inaccurate", "statement": "s"}),
])
@pytest.mark.parametrize("received_at", ["0236-03-16T18:40:20+08:00", "1900-01-01T00:00:00+08:00"])
def test_receipt_times_from_long_ago_are_field_errors(scjg_client, existing, url, payload, received_at):
    """Found by the schema fuzzing: a receipt in the year 236 was accepted, with no due date and an offset of
    +08:05:43 (Shanghai's local mean time) that is not even valid RFC 3339 in the answer."""
    from objections.models import Complaint, Objection

    body = {**payload, "received_at": received_at}
    if url == "/api/v1/objections/":
        body["records"] = [existing[0].pk]
    response = assert_error(scjg_client.post(url, body, format="json"), 400, "invalid")
    assert list(response["fields"]) == ["received_at"]
    assert not Complaint.objects.exists() and not Objection.objects.exists()


@pytest.mark.parametrize("when", ["1477-12-12T06:30:34+16:44", "2026-01-01T00:00:00-23:59", "0001-01-01T00:00:00+16:00",
                                  "9999-12-31T23:59:59-16:00"])
@pytest.mark.parametrize("name", ["received_after", "received_before", "updated_since"])
def test_datetime_filters_with_offsets_postgresql_cannot_hold(scjg_client, existing, name, when):
    """Found by the schema fuzzing on PostgreSQL: an offset beyond ±15:59 (valid ISO 8601) was a DataError 500."""
    response = scjg_client.get(SINGLE, {name: when})
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert_error(response, 400)
