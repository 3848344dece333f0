"""The project's URLs plus the catalog portal pages (until the root URLconf includes ``catalog.urls``)."""

from django.urls import include, path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project

urlpatterns = [path("catalog/", include("catalog.urls")), *project]
