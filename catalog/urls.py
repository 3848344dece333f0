"""Portal routes: include as ``path("catalog/", include("catalog.urls"))`` (before any catch-all)."""

from django.urls import path

from catalog import views
from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter

urlpatterns = [
    path("", views.catalog_in_force, name="catalog-public"),
    path("drafts/<id:pk>/", views.draft_detail, name="catalog-draft"),
]
