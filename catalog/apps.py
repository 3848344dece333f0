from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "公共信用信息目录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog import signals  # noqa: F401
