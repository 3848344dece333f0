from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from sanctions.api import views

urlpatterns = [
    path("joint-check/matters/", views.MattersView.as_view(), name="api-joint-check-matters"),
    path("joint-check/", views.JointCheckView.as_view(), name="api-joint-check"),
    path("joint-check/implementation/", views.ImplementationView.as_view(), name="api-joint-check-implementation"),
    path("joint-check/<uuid:check_id>/", views.JointCheckDetailView.as_view(), name="api-joint-check-detail"),
    path("joint-check/<uuid:check_id>/feedback/", views.FeedbackView.as_view(), name="api-joint-check-feedback"),
    path("measures/", views.MeasuresView.as_view(), name="api-measures"),
    path("red-list/", views.RedListView.as_view(), name="api-red-list"),
    path("severe-list/", views.SevereListView.as_view(), name="api-severe-list"),
    path("severe-list/court/", views.CourtListingView.as_view(), name="api-severe-list-court"),
    path("severe-list/court/removal/", views.CourtRemovalView.as_view(), name="api-severe-list-court-removal"),
    path("commitments/", views.CommitmentsView.as_view(), name="api-commitments"),
    path("commitments/<id:pk>/verification/", views.VerificationView.as_view(), name="api-commitment-verification"),
    path("evaluations/query/", views.EvaluationQueryView.as_view(), name="api-evaluation-query"),
    path("evaluations/<str:code>/", views.EvaluationView.as_view(), name="api-evaluation"),
    path("interviews/", views.InterviewsView.as_view(), name="api-interviews"),
]
