from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    label = "sanctions"
    verbose_name = _("守信激励与失信惩戒")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from credit_platform.deadlines import register_deadline
        from sanctions import receivers  # noqa: F401  (connects the app's receivers: record changes, report rows)
        from sanctions.deadlines import recompute_provisional

        register_deadline("sanctions.SevereListEntry", "defence_due", "defence_due_provisional", recompute_provisional,
                          label="严重失信主体名单陈述申辩期限", article="陈述申辩期限（黑龙江第五十五条、张掖第四十七条）")
        register_deadline("sanctions.SevereListEntry", "publicity_stop_due", "publicity_stop_provisional",
                          recompute_provisional, label="移出名单后终止公示期限", article="《曲阜市社会信用管理办法（试行）》第三十五条")
