"""API v1 routes. Each app adds its own ``api/urls.py`` here."""

from django.urls import include, path

from credit_platform.api import views

urlpatterns = [
    path("whoami/", views.WhoAmIView.as_view(), name="api-whoami"),
    path("", include("catalog.api.urls")),
    path("", include("records.api.urls")),
    path("", include("disclosure.api.urls")),
    path("", include("objections.api.urls")),
    path("", include("repair.api.urls")),
    path("", include("sanctions.api.urls")),
]
