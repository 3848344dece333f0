"""Admin registrations of the platform app, one module per area."""

from credit_platform.admin import accounts  # noqa: F401
from credit_platform.admin import calendar  # noqa: F401
from credit_platform.admin import notices  # noqa: F401
