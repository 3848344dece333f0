"""DRF authentication for department systems: ``Authorization: Token <key>``.

On success ``request.user`` is the department's system user (an ``ApiClient``) and ``request.auth`` is the
``ApiToken``; ``request.auth.department`` is what every department-scoped view filters on.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from credit_platform import roles
from credit_platform.models import ApiToken
from credit_platform.security import GAP_MESSAGES, official_session_gap

# Writing last_used_at on every call would turn each read into a write; a minute's precision is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class DepartmentClient:
    """The identity of a department system. Not a database user: it has no password and no admin access."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_department_client = True

    def __init__(self, token: ApiToken):
        self.token = token
        self.department = token.department
        self.pk = None
        self.id = None
        self.username = f"api:{token.department.code}"

    def __str__(self) -> str:
        return self.username

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False


class DepartmentTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"token", b"bearer"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式错误 / malformed token header"))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式错误 / malformed token header")) from None
        token = ApiToken.find_active(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销 / invalid or revoked token"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return DepartmentClient(token), token

    def authenticate_header(self, request) -> str:
        return self.keyword


DUTY_MESSAGE = "系统、安全、审计管理员和审计员不能通过接口办理业务（三员分立）/ administrators and auditors write no business data"


class OfficialSessionRefused(exceptions.APIException):
    status_code = 403
    default_code = "official_session_incomplete"


class OfficialSessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF included), refusing an official's session that still lacks its second
    factor or carries an expired password — the rule ``OfficialSessionMiddleware`` applies to every page, applied
    again here so that an API view is guarded even where the middleware is not (MLPS 2.0 level 3: one door)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        gap = official_session_gap(result[0])
        if gap is not None:
            raise OfficialSessionRefused(detail=GAP_MESSAGES[gap], code=gap)
        if request.method not in SAFE_METHODS and roles.is_duty_restricted(result[0]):
            # 三员分立: the three administrators and the auditor write no business data, whichever endpoint
            raise OfficialSessionRefused(detail=DUTY_MESSAGE, code="duty_separation")
        return result
