"""Issue 15 items 3 and 7 through the push API: continuing acts (Karamay art. 33), long-term cases (Heilongjiang
art. 51) and Heilongjiang art. 19's "初次违法且危害后果轻微" are explicit fields of the push contract, outside the
catalog's closed content schema, documented in OpenAPI."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from records.models import Record
from tests.records import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _post(scjg_client, *rows):
    response = scjg_client.post("/api/v1/records/batch/", {"records": list(rows)}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_closed_penalty_schema_still_rejects_continuing_in_content(scjg_client):
    row = f.penalty(content=f.penalty_content(continuing=True))
    body = _post(scjg_client, row)
    assert body["created"] == 0 and body["rejected"][0]["code"] == "content_schema_mismatch"


def test_karamay_art33_continuing_act_counts_from_its_end(scjg_client, settings):
    settings.CREDIT_POLICY = "karamay"
    row = f.penalty(continuing=True, ended_on=None)
    assert _post(scjg_client, row)["created"] == 1
    record = Record.objects.select_related("window").get(source_ref=row["source_ref"])
    assert record.continuing is True
    assert record.window.pending_end and record.public_until is None  # the period waits for the act to end
    # The act ends on 2026-06-30: 12 months (Order 36, which art. 33 defers to) from the end, not the decision.
    row["ended_on"] = "2026-06-30"
    assert _post(scjg_client, row)["updated"] == 1
    record.refresh_from_db()
    assert record.public_until == date(2027, 6, 30)
    assert "publicity_starts_from" in record.window.window_rule


def test_karamay_art33_an_act_not_flagged_continuing_counts_from_the_decision(scjg_client, settings):
    settings.CREDIT_POLICY = "karamay"
    row = f.penalty()
    _post(scjg_client, row)
    record = Record.objects.get(source_ref=row["source_ref"])
    assert record.continuing is False and record.public_until == date(2027, 3, 2)


@pytest.mark.parametrize(("fact", "domain", "long_term"), [
    ("criminal_liability", "food", True),
    ("lifetime_market_ban", "finance", True),
    ("lifetime_market_ban", "tax", False),  # not a listed domain
    (None, "food", False),
])
def test_heilongjiang_art51_long_term_cases_reach_penalties(scjg_client, settings, fact, domain, long_term):
    settings.CREDIT_POLICY = "heilongjiang"
    row = f.penalty(severity="severe", domain=domain, **({fact: True} if fact else {}))
    body = _post(scjg_client, row)
    assert body["created"] == 1, body
    record = Record.objects.select_related("window").get(source_ref=row["source_ref"])
    assert record.window.long_term is long_term
    if long_term:
        assert record.public_until is None and "long_term_publicity_cases" in record.window.window_rule
        assert getattr(record, fact) is True
    else:
        assert record.public_until == date(2029, 3, 2)  # severe: 36 months (art. 51)


def test_explicit_facts_must_be_booleans(scjg_client):
    body = _post(scjg_client, f.penalty(continuing="yes"), f.penalty(criminal_liability=1))
    assert [(r["code"], r["field"]) for r in body["rejected"]] == [("invalid_type", "continuing"),
                                                                 ("invalid_type", "criminal_liability")]


@pytest.mark.parametrize(("facts", "excluded"), [
    ({"first_offence": True, "slight_harm": True, "harm_mitigated": True}, True),
    ({"first_offence": True, "slight_harm": True}, False),  # harm not removed
    ({"slight_harm": True, "harm_mitigated": True}, False),  # not a first offence
    ({"first_offence": True, "harm_mitigated": True}, False),  # harm not slight: first_offence alone excludes nothing
])
def test_heilongjiang_art19_first_offence_with_slight_harm_is_its_own_fact(scjg_client, settings, facts, excluded):
    settings.CREDIT_POLICY = "heilongjiang"
    body = _post(scjg_client, f.penalty(**facts))
    if excluded:
        assert body["rejected"][0]["code"] == "minor_violation_excluded"
        assert body["rejected"][0]["field"] == "slight_harm"
        assert "初次违法且危害后果轻微" in body["rejected"][0]["message"]
    else:
        assert body["created"] == 1, body


def test_first_offence_is_not_excluded_where_the_profile_has_no_such_rule(scjg_client, settings):
    settings.CREDIT_POLICY = "qufu"
    settings.CREDIT_POLICY_ALLOW_LAPSED = True
    assert _post(scjg_client, f.penalty(first_offence=True, slight_harm=True, harm_mitigated=True))["created"] == 1


def test_openapi_documents_the_explicit_facts(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    payload = schema["components"]["schemas"]["RecordPayloadRequest"]["properties"]
    for name in ("continuing", "criminal_liability", "lifetime_market_ban", "slight_harm"):
        assert payload[name]["type"] == "boolean", name
        assert payload[name]["description"]
    assert "第五十一条" in payload["criminal_liability"]["description"]
    assert "第三十三条" in payload["continuing"]["description"]
    assert "第十九条" in payload["slight_harm"]["description"]
    record = schema["components"]["schemas"]["Record"]["properties"]
    assert {"continuing", "criminal_liability", "lifetime_market_ban", "slight_harm"} <= set(record)
