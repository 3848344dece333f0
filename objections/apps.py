from django.apps import AppConfig


class ObjectionsConfig(AppConfig):
    name = "objections"
    verbose_name = "异议处理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # imported here, not at module level: the models they import are loaded only once the registry is ready
        from credit_platform.deadlines import register_deadline
        from objections.sweeps import recompute_for_year

        # Entering a year's working-day schedule recomputes every open provisional due date.
        for due_field in ("mark_due", "decision_due", "decision_cap"):
            register_deadline("objections.Objection", due_field, "provisional", recompute_for_year,
                              label="异议标注与答复期限", article="异议处理期限（克拉玛依第三十四条、黑龙江第五十三条、曲阜第五十九条）")
        register_deadline("objections.AssistanceRequest", "due", "provisional", recompute_for_year,
                          label="协助核查反馈期限", article="《黑龙江省社会信用条例（征求意见稿）》第五十三条")
        register_deadline("objections.Complaint", "reply_due", "provisional", recompute_for_year,
                          label="投诉书面答复期限", article="《黑龙江省社会信用条例（征求意见稿）》第五十七条")
