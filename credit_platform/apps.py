from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from credit_platform.policies import active_policy


class CreditPlatformConfig(AppConfig):
    name = "credit_platform"
    verbose_name = _("平台管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An unknown CREDIT_POLICY stops startup with one clear line (UnknownPolicy is ImproperlyConfigured).
        active_policy()
        # Modules that connect receivers or register extensions are imported once the app registry is ready
        # (Django's AppConfig.ready convention; at module level they would load models too early).
        from credit_platform import receivers  # noqa: F401  (connects receivers)
        from credit_platform.api import schema  # noqa: F401  (registers the OpenAPI auth extension)
        from credit_platform.policies import validity  # noqa: F401  (registers the in-force system check)
