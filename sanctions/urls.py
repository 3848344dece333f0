"""Portal routes (mounted at ``lists/``; a subject's own ``mine/`` pages are the portal app's)."""

from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from sanctions import views

app_name = "sanctions"

urlpatterns = [
    path("red/", views.red_list, name="red-list"),
    path("severe/", views.severe_list, name="severe-list"),
    path("measures/", views.measure_lists, name="measure-lists"),
    path("measures/<id:pk>/", views.measure_list_detail, name="measure-list"),
    path("commitments/", views.commitments, name="commitments"),
    path("implementation/", views.implementation, name="implementation"),
]
