"""The catalog's public pages are reachable at /catalog/ from the root URLconf."""

import pytest

pytestmark = pytest.mark.django_db


def test_catalog_in_force_page_is_routed(client):
    response = client.get("/catalog/")
    assert response.status_code == 200
    assert "目录" in response.content.decode()
