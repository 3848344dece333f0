from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "repair"
    verbose_name = "信用修复"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # imported here, not at module level: the models they import are loaded only once the registry is ready
        from credit_platform.deadlines import register_deadline
        from repair.services import recompute_provisional

        # NDRC Order 36: accept within 3 working days, decide within 10
        for due_field in ("accept_due", "decision_due"):
            register_deadline("repair.RepairApplication", due_field, "provisional", recompute_provisional,
                              label="信用修复受理与办结期限", article="《信用修复管理办法》（国家发展改革委令第36号）")

        from repair import receivers  # noqa: F401  (corrections and revocations go to subscribers)
