from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor under ``config``: the citizen-portal pages that combine several apps, and the demo loader."""

    name = "portal"
    label = "portal"
    verbose_name = _("公众门户")
    default_auto_field = "django.db.models.BigAutoField"
