from django.urls import path

from disclosure.api import views

urlpatterns = [
    path("public/search/", views.PublicSearchView.as_view(), name="disclosure-public-search"),
    path("public/subjects/<str:code>/", views.PublicSubjectView.as_view(), name="disclosure-public-subject"),
    path("query-purposes/", views.QueryPurposesView.as_view(), name="disclosure-query-purposes"),
    # the code in the body (resident ID numbers never in a URL); before the deprecated <code> route, which it shadows
    path("subjects/query/", views.GovernmentSubjectQueryView.as_view(), name="disclosure-government-subject-query"),
    path("subjects/<str:code>/", views.GovernmentSubjectView.as_view(), name="disclosure-government-subject"),
]
