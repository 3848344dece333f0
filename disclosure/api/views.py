"""Disclosure API: public mirrors of the portal for anonymous callers; the government query for departments."""

from __future__ import annotations

import re

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from credit_platform import roles
from credit_platform.api.errors import ApiError
from credit_platform.ratelimits import SearchThrottle
from disclosure import querylog, services
from disclosure.masking import public_subject_code, public_subject_name
from disclosure.models import QueryLogEntry
from disclosure.presenters import public_record_row, related_persons_public

CODE_RE = re.compile(r"^[0-9A-Za-z]{8,20}$")


def _public_subject(subject) -> dict:
    return {
        "code": public_subject_code(subject.code, subject.type),
        "name": public_subject_name(subject.name, subject.type),
        "type": subject.type,
        "type_label": subject.get_type_display(),
    }


def _check_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise ApiError("invalid_code", "代码格式不正确：应为 18 位统一社会信用代码或证件号码 / malformed code",
                       fields={"code": "malformed"})
    return code


def _json_row(row: dict) -> dict:
    out = dict(row)
    for key in ("decided_on", "public_from", "public_until"):
        out[key] = out[key].isoformat() if out.get(key) else None
    return out


class PublicSearchView(APIView):
    """Search organisations by name or USCC (natural persons are never searchable)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [SearchThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description="单位名称或统一社会信用代码")],
        responses=inline_serializer("PublicSearch", {"query": serializers.CharField(), "results": serializers.ListField()}),
        tags=["public"],
    )
    def get(self, request):
        query = (request.query_params.get("q") or "").strip()
        if len(query) < 2:
            raise ApiError("query_too_short", "请输入至少两个字的名称或完整的统一社会信用代码 / query too short",
                           fields={"q": "min_length_2"})
        results = [_public_subject(s) for s in services.search_public(query[:100])]
        return Response({"query": query, "count": len(results), "results": results})


class PublicSubjectView(APIView):
    """Exactly what the profile publishes about an organisation, masked."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [SearchThrottle]

    @extend_schema(tags=["public"], responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        code = _check_code(code)
        subject = services.find_public_subject(code)
        if subject is None:
            raise ApiError("subject_not_found", "未找到该法人或非法人组织的公开信息 / no public subject with this code",
                           status_code=404)
        records = services.public_records().filter(subject=subject).order_by("-decided_on", "-id")
        body = _public_subject(subject)
        body["related_persons"] = related_persons_public(subject)
        body["as_of"] = timezone.localdate().isoformat()
        body["records"] = [_json_row(public_record_row(r)) for r in records]
        return Response(body)


class QueryPurposesView(APIView):
    """The statutory purposes a department must choose from before querying a subject's full record."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["government"], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        purposes = services.query_purposes()
        return Response({
            "article": purposes[0].article if purposes else "",
            "results": [{"code": p.code, "label": p.label, "article": p.article} for p in purposes],
        })


class IsDepartmentUser(permissions.BasePermission):
    message = "仅限国家机关和法律法规授权组织的工作人员或部门系统查询 / department users only"

    def has_permission(self, request, view):
        # 三员分立: the three administrators, the auditor and the repair reviewer run no subject queries
        return roles.may_query_subjects(request.user)


class GovernmentSubjectView(APIView):
    """A subject's full record for a department, after choosing a statutory purpose (logged)."""

    permission_classes = [IsDepartmentUser]

    @extend_schema(
        tags=["government"],
        parameters=[OpenApiParameter("purpose", OpenApiTypes.STR, required=True, description="GET /api/v1/query-purposes/ 中的用途代码")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, code: str):
        purpose_code = (request.query_params.get("purpose") or "").strip()
        if not purpose_code:
            raise ApiError("purpose_required", "查询须选择法定用途（见 /api/v1/query-purposes/）/ a statutory purpose is required",
                           fields={"purpose": "required"})
        purpose = services.purpose_by_code(purpose_code)
        if purpose is None:
            raise ApiError("unknown_purpose", "用途代码不在法定查询用途清单中 / unknown purpose code",
                           fields={"purpose": "unknown"})
        code = _check_code(code)
        from records.models import Subject

        subject = Subject.objects.filter(code=code).first()
        if subject is None:
            raise ApiError("subject_not_found", "平台没有该代码的信用主体 / no subject with this code", status_code=404)
        records = list(services.government_view(subject).order_by("-decided_on", "-id"))
        channel = QueryLogEntry.Channel.API if getattr(request.user, "is_department_client", False) else QueryLogEntry.Channel.PORTAL
        entry = querylog.append(actor=request.user, subject=subject, action=QueryLogEntry.Action.GOVERNMENT, scope=["full"],
                                channel=channel, purpose=purpose.code, purpose_label=purpose.label)
        rows = []
        for r in records:
            row = _json_row(public_record_row(r))
            row["content"] = r.content
            row["status"] = r.status
            row["published"] = r.window.published
            row["window_rule"] = r.window.window_rule
            row["window_article"] = r.window.window_article
            row["retain_until"] = r.retain_until.isoformat() if r.retain_until else None
            rows.append(row)
        return Response({
            "code": subject.code, "name": subject.name, "type": subject.type, "type_label": subject.get_type_display(),
            "purpose": {"code": purpose.code, "label": purpose.label, "article": purpose.article},
            "query_log_seq": entry.seq, "records": rows,
        })
