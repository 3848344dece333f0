"""Portal routes: include as ``path("catalog/", include("catalog.urls"))`` (before any catch-all)."""

from django.urls import path

from catalog import views

urlpatterns = [
    path("", views.catalog_in_force, name="catalog-public"),
    path("drafts/<int:pk>/", views.draft_detail, name="catalog-draft"),
]
