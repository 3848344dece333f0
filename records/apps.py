from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "信用主体与信用记录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from credit_platform.workdays import register_recompute_hook

        from records.services.timeliness import recompute_provisional

        register_recompute_hook(recompute_provisional)
