from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from records.api import views

urlpatterns = [
    path("records/batch/", views.BatchPushView.as_view(), name="records-batch"),
    path("records/", views.RecordListView.as_view(), name="records-list"),
    path("records/<id:pk>/", views.RecordDetailView.as_view(), name="records-detail"),
    path("records/<id:pk>/revoke/", views.RecordRevokeView.as_view(), name="records-revoke"),
]
