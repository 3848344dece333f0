from django.urls import path

from repair import views

app_name = "repair"

urlpatterns = [
    path("", views.index, name="index"),
    path("records/<int:pk>/apply/", views.apply, name="apply"),
    path("records/<int:pk>/notice/", views.record_notice, name="notice"),
    path("applications/<str:number>/", views.application, name="application"),
    path("applications/<str:number>/evidence/", views.add_evidence, name="add-evidence"),
    path("applications/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("progress/", views.progress, name="progress"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
