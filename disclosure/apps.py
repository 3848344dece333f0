from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    label = "disclosure"
    verbose_name = _("公示与查询")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from disclosure import checks  # noqa: F401  (registers the CJK font and identity provider checks)
        from disclosure import receivers  # noqa: F401  (windows follow every record change)
