"""The portal's pages show disclosure's own record, repair's notices and sanctions' lists: the tests reuse the
disclosure tests' fixed day, catalogue and signed-in citizens, and the sanctions tests' matters."""

from tests.disclosure.conftest import _fixed_today, citizen_user, items, login, world  # noqa: F401 - fixtures
from tests.sanctions.conftest import procurement  # noqa: F401 - fixture
