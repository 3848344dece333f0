from __future__ import annotations

import pytest

from tests.catalog.factories import make_test_catalog
from tests.webhooks import hook_fixture


@pytest.fixture
def catalog(department, other_department):
    """SCJG provides the penalty/licence/market/open/trust items, SWJ the tax arrears item."""
    return make_test_catalog(department, other_department)


@pytest.fixture
def scjg_client(token_client, department, catalog):
    return token_client(department)


@pytest.fixture
def swj_client(token_client, other_department, catalog):
    return token_client(other_department)


@pytest.fixture
def push(scjg_client):
    """push(*records, client=None) → the batch response (asserts HTTP 200)."""

    def do(*records, client=None):
        response = (client or scjg_client).post("/api/v1/records/batch/", {"records": list(records)}, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return do


@pytest.fixture
def hook():
    """A real webhook receiver on 127.0.0.1 (``tests.webhooks.Hook``) for the change outbox."""
    yield from hook_fixture()
