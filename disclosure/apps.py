from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    label = "disclosure"
    verbose_name = _("公示与查询")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from disclosure import checks  # noqa: F401  (registers the CJK font check)
        from disclosure import receivers  # noqa: F401  (windows follow every record change)
        from credit_platform.deadlines import register_deadline
        from disclosure.deadlines import recompute_provisional

        register_deadline("disclosure.TrustOptOut", "stop_due", "stop_due_provisional", recompute_provisional,
                          label="守信信息不公开申请停止公开期限", article="《曲阜市社会信用管理办法（试行）》第六十一条")
