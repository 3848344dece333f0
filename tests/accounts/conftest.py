"""The accounts tests walk the portal pages over the disclosure tests' world (a company, its legal representative,
a citizen, their records) on the same fixed day."""

from tests.disclosure.conftest import _fixed_today, citizen_user, items, login, world  # noqa: F401 - shared fixtures
