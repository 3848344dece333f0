from django.urls import path

from objections import views

app_name = "objections"

urlpatterns = [
    path("", views.objection_list, name="list"),
    path("new/", views.objection_new, name="new"),
    path("<int:pk>/", views.objection_detail, name="detail"),
    path("<int:pk>/evidence/", views.objection_evidence, name="add-evidence"),
    path("<int:pk>/withdraw/", views.objection_withdraw, name="withdraw"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
