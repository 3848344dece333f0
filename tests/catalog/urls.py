"""The project's URLs plus the catalog portal pages (until the root URLconf includes ``catalog.urls``)."""

from django.urls import include, path

from config.urls import handler404, handler500, urlpatterns as project  # noqa: F401

urlpatterns = [path("catalog/", include("catalog.urls")), *project]
