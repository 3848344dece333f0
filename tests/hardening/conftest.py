"""The records app's push fixtures, shared with the hostile-input tests that push through the same API."""

from tests.records.conftest import catalog, push, scjg_client  # noqa: F401 - fixtures
