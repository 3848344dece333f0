from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from repair import views

app_name = "repair"

urlpatterns = [
    path("", views.index, name="index"),
    path("records/<id:pk>/apply/", views.apply, name="apply"),
    path("records/<id:pk>/notice/", views.record_notice, name="notice"),
    path("applications/<str:number>/", views.application, name="application"),
    path("applications/<str:number>/evidence/", views.add_evidence, name="add-evidence"),
    path("applications/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("progress/", views.progress, name="progress"),
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
]
