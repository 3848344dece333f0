from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "repair"
    verbose_name = "信用修复"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from credit_platform.workdays import register_recompute_hook

        from repair.services import recompute_provisional

        register_recompute_hook(recompute_provisional)

        from repair import receivers  # noqa: F401  (corrections and revocations go to subscribers)
