from django.urls import path

from records.api import views

urlpatterns = [
    path("records/batch/", views.BatchPushView.as_view(), name="records-batch"),
    path("records/", views.RecordListView.as_view(), name="records-list"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="records-detail"),
    path("records/<int:pk>/revoke/", views.RecordRevokeView.as_view(), name="records-revoke"),
]
