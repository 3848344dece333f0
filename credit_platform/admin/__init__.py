"""Admin registrations of the platform app, one module per area."""

from credit_platform.admin import (
    accounts,  # noqa: F401
    calendar,  # noqa: F401
    notices,  # noqa: F401
)
