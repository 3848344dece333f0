from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from credit_platform import two_factor, views
from credit_platform.policies.views import policy_admin_view
from credit_platform.ratelimits import rate_limited
from disclosure import urls as disclosure_urls
from portal import urls as portal_urls
from sanctions import urls as sanctions_urls

admin.site.site_header = "公共信用信息平台 管理后台"
admin.site.site_title = "公共信用信息平台"
admin.site.index_title = "业务管理"

api_v1 = [
    path("", include("config.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.active_rules, name="active-rules"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/otp/setup/", two_factor.otp_setup, name=two_factor.SETUP_URL_NAME),
    path("admin/otp/verify/", two_factor.otp_verify, name=two_factor.VERIFY_URL_NAME),
    path("admin/audit/export/", admin.site.admin_view(views.audit_export), name="admin-audit-export"),
    path("admin/policy/", admin.site.admin_view(policy_admin_view), name="admin-policy"),
    # The admin's own login, with login POSTs limited per IP (RATELIMIT_LOGIN) before django-axes counts them.
    path("admin/login/", rate_limited("login", methods=("POST",))(admin.site.login), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    # citizens' sign-in at 政务服务统一身份认证 (OpenID Connect; disclosure/oidc.py)
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("catalog/", include("catalog.urls")),
    path("objections/", include("objections.urls")),
    path("repair/", include("repair.urls")),
    # The portal's pages that combine several apps keep their old names: its routes go first in each namespace.
    path("lists/", include((portal_urls.sanctions_patterns + sanctions_urls.urlpatterns, sanctions_urls.app_name))),
    path("", include((portal_urls.disclosure_patterns + disclosure_urls.urlpatterns, disclosure_urls.app_name))),
]

handler403 = "credit_platform.errors.permission_denied"
handler404 = "credit_platform.errors.not_found"
handler500 = "credit_platform.errors.server_error"
