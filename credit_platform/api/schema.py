"""OpenAPI description of the API: the department token, and the error answers every operation can give.

``AutoSchema`` adds the ``{code, message, fields}`` error shape (``credit_platform.api.errors``) to each operation
for the statuses the operation can actually answer with, so that clients (and the schema fuzzing in CI) can rely
on the schema for failures as well as successes:

* 400 when the operation takes a body or parameters; 413 and 415 when it takes a body;
* 401 and 403 when the view authenticates callers or restricts them;
* 404 when the path names an object; 429 when the view is throttled;
* whatever else the view lists in its ``error_statuses`` attribute (e.g. 404 for an unknown subject named in the
  body, 409 for a step the object's state does not allow).

Statuses a view declares itself with ``@extend_schema(responses=...)`` are kept as declared.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


class DepartmentTokenScheme(OpenApiAuthenticationExtension):
    target_class = "credit_platform.api.authentication.DepartmentTokenAuthentication"
    name = "departmentToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "部门系统令牌 / department system token: `Token <token>` (issued by `create_api_token`).",
        }


class OfficialSessionScheme(OpenApiAuthenticationExtension):
    target_class = "credit_platform.api.authentication.OfficialSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "工作人员会话（须已通过动态验证码且密码未过期）/ an official's session, second factor verified",
        }


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="机器可读的错误代码 / machine-readable error code")
    message = serializers.CharField(help_text="中英文说明 / human-readable message")
    fields = serializers.DictField(
        child=serializers.JSONField(), help_text="字段 → 错误（字符串、列表或嵌套对象）/ field → error(s)"
    )

    class Meta:
        ref_name = "Error"


_DESCRIPTIONS = {
    400: "请求有误 / invalid request",
    401: "未认证或令牌无效 / not authenticated",
    403: "无权操作 / not allowed",
    404: "未找到 / not found",
    409: "与对象当前状态冲突 / conflicts with the object's current state",
    413: "请求体过大 / request body too large",
    415: "不支持的内容类型 / unsupported content type",
    429: "请求过于频繁 / too many requests",
}


def _allows_anyone(view) -> bool:
    classes = getattr(view, "permission_classes", None) or []
    return bool(classes) and all(cls is permissions.AllowAny for cls in classes)


class AutoSchema(SpectacularAutoSchema):
    def _error_statuses(self) -> list[int]:
        view = self.view
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_params = bool(self._get_parameters()) or bool(getattr(view, "filterset_class", None)
                                                           or getattr(view, "filterset_fields", None))
        authenticates = bool(getattr(view, "authentication_classes", None))
        statuses = []
        if has_body or has_params:
            statuses.append(400)
        if authenticates:
            statuses.append(401)
        if authenticates or not _allows_anyone(view):
            statuses.append(403)
        if "{" in self.path:
            statuses.append(404)
        if has_body:
            statuses += [413, 415]
        if getattr(view, "throttle_classes", None):
            statuses.append(429)
        statuses += [s for s in getattr(view, "error_statuses", ()) if s not in statuses]
        return sorted(statuses)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in self._error_statuses():
            key = str(status)
            if key not in responses or "content" not in responses[key]:
                responses[key] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[status]), key, direction=direction,
                )
        return responses
