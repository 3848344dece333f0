from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "公共信用信息目录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django's AppConfig.ready convention: connect the receivers once the app registry is ready.
        from catalog import receivers  # noqa: F401  (connects receivers)

