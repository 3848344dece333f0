"""Portal routes (included at the site root after the platform's own routes; ``/my/`` itself is the portal app's)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from credit_platform.api import converters  # noqa: F401 - registers <id:…>, the bounded id converter
from disclosure import public_report_views, views

app_name = "disclosure"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("shuanggongshi/", views.double_publicity_search, name="double-publicity"),
    path("subjects/<str:code>/", views.subject_page, name="subject"),
    path("subjects/<str:code>/report.pdf", public_report_views.public_report_pdf, name="subject-report"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify, name="verify-number"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("accounts/register/", views.register, name="register"),
    path("accounts/enterprise/", views.add_enterprise, name="add-enterprise"),
    path("my/queries/", views.my_queries, name="my-queries"),
    path("my/agent-letters/<id:pk>/revoke/", views.revoke_agent_letter, name="revoke-agent-letter"),
    path("my/trust-opt-out/", views.trust_opt_out, name="trust-opt-out"),
    path("my/authorisations/", views.my_authorisations, name="my-authorisations"),
    path("my/authorisations/<id:pk>/revoke/", views.revoke_authorisation, name="revoke-authorisation"),
    path("my/reports/", views.my_reports, name="my-reports"),
    path("my/reports/special/", views.special_report, name="special-report"),
    path("my/reports/<str:number>.pdf", views.download_report, name="download-report"),
    path("authorised/", views.granted_to_me, name="granted"),
    path("authorised/<id:pk>/", views.authorised_view, name="authorised-view"),
]
