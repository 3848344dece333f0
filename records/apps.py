from django.apps import AppConfig

from credit_platform.deadlines import register_deadline


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "信用主体与信用记录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django's AppConfig.ready convention: modules that load models or connect receivers are imported once the
        # app registry is ready. ``receivers`` forwards collected records to the provincial platform.
        from records import provincial, receivers  # noqa: F401
        from records.services.timeliness import recompute_provisional

        # Heilongjiang art. 22 para. 1 (provider push), art. 52 / Qufu 57–58 (corrections and revocations)
        register_deadline("records.Record", "push_due", "push_due_provisional", recompute_provisional,
                          label="部门推送期限", article="《黑龙江省社会信用条例（征求意见稿）》第二十二条第一款")
        register_deadline("records.RecordChange", "due_on", "due_provisional", recompute_provisional,
                          label="更正与撤销办理期限", article="《黑龙江省社会信用条例（征求意见稿）》第五十二条")
        register_deadline("records.ProvincialForward", "due_on", "due_provisional", provincial.recompute_provisional,
                          label="向省信用平台推送期限", article="《黑龙江省社会信用条例（征求意见稿）》第二十二条第二款")
