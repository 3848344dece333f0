from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    label = "sanctions"
    verbose_name = _("守信激励与失信惩戒")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sanctions import signals  # noqa: F401  (record changes → red list, evaluation)
