from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Citizens' and enterprise agents' accounts: real-name identity and sign-in, the verified links to the subjects
    an account acts for, enterprise agents' letters, and the hash-chained query log. The floor between ``records``
    and the apps that ask "whom may this account act for?" and "log this view" (disclosure, sanctions and above)."""

    name = "accounts"
    label = "accounts"
    verbose_name = _("账号与实名认证")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the identity provider's deploy check, and attaches links verified before their subject existed.
        from accounts import checks, receivers  # noqa: F401
