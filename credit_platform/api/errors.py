"""One error shape for the whole API: ``{"code": ..., "message": ..., "fields": {...}}`` (DESIGN.md).

Unexpected exceptions are logged and answered as a JSON 500 instead of Django's HTML page.
"""

from __future__ import annotations

import logging

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError as DjangoValidationError,
)
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credit_platform.exceptions import DomainError

logger = logging.getLogger(__name__)


class ApiError(DomainError):
    """The API's former error class, now the one :class:`DomainError` under its old keyword spelling.

    ``ApiError(code, message, fields=…, status_code=…)`` is ``DomainError(code, message, fields=…, status=…)``; it
    exists only so the apps that still raise it keep working while they switch to ``DomainError`` (the handler maps
    both in one branch, with the same JSON).
    """

    def __init__(self, code: str, message: str, *, fields: dict | None = None, status_code: int | None = None):
        super().__init__(code, message, fields=fields, status=status_code or status.HTTP_400_BAD_REQUEST)


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def exception_handler(exc, context):
    # Django's own limits on request bodies, raised while DRF parses a form or multipart body.
    if isinstance(exc, RequestDataTooBig):
        exc = DomainError("payload_too_large", "请求体过大 / request body too large",
                          status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = DomainError("too_many_fields", "请求包含的字段或文件过多 / too many fields or files in the request")

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, DomainError):  # a refused step from any service: its own code, message, fields and status
        return Response({"code": exc.code, "message": exc.message, "fields": exc.fields}, status=exc.status)

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        return Response(
            {"code": "server_error", "message": "服务器内部错误 / internal server error", "fields": {}},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        response.data = {"code": "invalid", "message": "请求数据有误 / invalid request data", "fields": fields}
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(getattr(exc, "detail", exc)),
            "fields": {},
        }
    return response
