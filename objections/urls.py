from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from objections import views

app_name = "objections"

urlpatterns = [
    path("", views.objection_list, name="list"),
    path("new/", views.objection_new, name="new"),
    path("<id:pk>/", views.objection_detail, name="detail"),
    path("<id:pk>/evidence/", views.objection_evidence, name="add-evidence"),
    path("<id:pk>/withdraw/", views.objection_withdraw, name="withdraw"),
    path("<id:pk>/evidence/<id:evidence_id>/", views.evidence_download, name="evidence"),
]
