from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from repair.api import views

urlpatterns = [
    path("records/<id:pk>/repair-eligibility/", views.RecordEligibilityView.as_view(), name="api-repair-eligibility"),
    path("records/<id:pk>/repair-commitment/", views.CommitmentTextView.as_view(), name="api-repair-commitment"),
    path("records/<id:pk>/change-deliveries/", views.RecordDeliveriesView.as_view(), name="api-record-deliveries"),
    path("repair/applications/", views.ApplicationListView.as_view(), name="api-repair-applications"),
    path("repair/applications/<str:number>/", views.ApplicationDetailView.as_view(), name="api-repair-application"),
    path("repair/applications/<str:number>/accept/", views.AcceptView.as_view(), name="api-repair-accept"),
    path("repair/applications/<str:number>/refuse/", views.RefuseView.as_view(), name="api-repair-refuse"),
    path("repair/applications/<str:number>/extend/", views.ExtendView.as_view(), name="api-repair-extend"),
    path("repair/applications/<str:number>/decide/", views.DecideView.as_view(), name="api-repair-decide"),
    path("repair/applications/<str:number>/terminate/", views.TerminateView.as_view(), name="api-repair-terminate"),
    path("repair/applications/<str:number>/revoke/", views.RevokeView.as_view(), name="api-repair-revoke"),
    path("repair/applications/<str:number>/withdraw/", views.WithdrawView.as_view(), name="api-repair-withdraw"),
    path("repair/outbox/ack/", views.OutboxAckView.as_view(), name="api-repair-outbox-ack"),
    path("repair/stats/", views.StatsView.as_view(), name="api-repair-stats"),
]
