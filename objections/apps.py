from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = "异议处理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from credit_platform.workdays import register_recompute_hook
        from objections.sweeps import recompute_for_year

        # Entering a year's working-day schedule recomputes every open provisional due date.
        register_recompute_hook(recompute_for_year)
