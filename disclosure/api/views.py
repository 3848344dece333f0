"""Disclosure API: public mirrors of the portal for anonymous callers; the government query for departments."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import querylog
from accounts.models import QueryLogEntry
from credit_platform import roles
from credit_platform.exceptions import DomainError
from credit_platform.http_cache import public_page
from credit_platform.privacy import RIC_RE, normalise
from credit_platform.ratelimits import BrowseThrottle, SearchThrottle
from disclosure import public_cache, services
from disclosure.masking import public_subject_code, public_subject_name
from disclosure.presenters import public_record_row, related_persons_public
from records.models import Subject

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
        raise DomainError("invalid_code", "代码格式不正确：应为 18 位统一社会信用代码或证件号码 / malformed code",
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
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="单位名称或统一社会信用代码"),
            OpenApiParameter("page", OpenApiTypes.INT, required=False, description="页码，从 1 开始；每页 20 条"),
        ],
        responses=inline_serializer("PublicSearch", {
            "query": serializers.CharField(), "count": serializers.IntegerField(help_text="本页条数"),
            "total": serializers.IntegerField(help_text="相符的单位总数（total_capped 为真时为下限）"),
            "total_capped": serializers.BooleanField(help_text="相符的单位超过 total，未全部计数"),
            "page": serializers.IntegerField(), "num_pages": serializers.IntegerField(),
            "results": serializers.ListField(),
        }),
        tags=["public"],
    )
    @method_decorator(public_page(public_cache.search_api_scope))
    def get(self, request):
        query = (request.query_params.get("q") or "").strip()
        if len(query) < 2:
            raise DomainError("query_too_short", "请输入至少两个字的名称或完整的统一社会信用代码 / query too short",
                           fields={"q": "min_length_2"})
        raw_page = request.query_params.get("page") or "1"
        if not raw_page.isdigit() or not 1 <= int(raw_page) <= 10_000:
            raise DomainError("invalid_page", "页码应为 1 至 10000 的整数 / page must be an integer from 1 to 10000",
                           fields={"page": "invalid"})
        page = services.search_public_page(query[:100], int(raw_page))
        results = [_public_subject(s) for s in page.items]
        return Response({
            "query": query, "count": len(results), "total": page.total, "total_capped": page.total_capped,
            "page": page.number, "num_pages": page.num_pages, "results": results,
        })


class PublicSubjectView(APIView):
    """Exactly what the profile publishes about an organisation, masked."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [BrowseThrottle]

    @extend_schema(tags=["public"], responses=OpenApiTypes.OBJECT)
    @method_decorator(public_page(public_cache.subject_api_scope))
    def get(self, request, code: str):
        code = _check_code(code)
        subject = services.find_public_subject(code)
        if subject is None:
            raise DomainError("subject_not_found", "未找到该法人或非法人组织的公开信息 / no public subject with this code",
                           status=404)
        records = services.public_records().filter(subject=subject).order_by("-decided_on", "-id")
        body = _public_subject(subject)
        body["related_persons"] = related_persons_public(subject)
        body["as_of"] = timezone.localdate().isoformat()
        body["records"] = [_json_row(public_record_row(r)) for r in records]
        return Response(body)


class IsDepartmentUser(permissions.BasePermission):
    message = "仅限国家机关和法律法规授权组织的工作人员或部门系统查询 / department users only"

    def has_permission(self, request, view):
        # 三员分立: the three administrators, the auditor and the repair reviewer run no subject queries
        return roles.may_query_subjects(request.user)


class QueryPurposesView(APIView):
    """The statutory purposes a department must choose from before querying a subject's full record: for those who
    may query (a token or an official, as the README's API table says), not the public."""

    permission_classes = [IsDepartmentUser]

    @extend_schema(tags=["government"], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        purposes = services.query_purposes()
        return Response({
            "article": purposes[0].article if purposes else "",
            "results": [{"code": p.code, "label": p.label, "article": p.article} for p in purposes],
        })


def _government_answer(request, code: str, purpose_code: str, *, organisations_only: bool = False) -> Response:
    purpose_code = (purpose_code or "").strip()
    if not purpose_code:
        raise DomainError("purpose_required", "查询须选择法定用途（见 /api/v1/query-purposes/）/ a statutory purpose is required",
                       fields={"purpose": "required"})
    purpose = services.purpose_by_code(purpose_code)
    if purpose is None:
        raise DomainError("unknown_purpose", "用途代码不在法定查询用途清单中 / unknown purpose code",
                       fields={"purpose": "unknown"})
    code = _check_code(code)
    subject = Subject.objects.filter(code=code).first()
    if subject is None:
        raise DomainError("subject_not_found", "平台没有该代码的信用主体 / no subject with this code", status=404)
    if organisations_only and subject.type == "natural_person":  # a passport etc. in the deprecated URL form
        raise _identifier_in_url()
    records = list(services.government_view(subject).order_by("-decided_on", "-id"))
    # Through the API, whether a department's system (token) or an official's session: the channel is the API.
    channel = QueryLogEntry.Channel.API
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


class GovernmentSubjectQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text="统一社会信用代码或公民身份号码（在请求体中，不出现在 URL 里）")
    purpose = serializers.CharField(max_length=64, help_text="GET /api/v1/query-purposes/ 中的用途代码")


class GovernmentSubjectQueryView(APIView):
    """A subject's full record for a department, after choosing a statutory purpose (logged).

    The subject's code travels in the request body, so a resident ID number never lands in an access log."""

    permission_classes = [IsDepartmentUser]

    @extend_schema(tags=["government"], request=GovernmentSubjectQuerySerializer, responses=OpenApiTypes.OBJECT,
                   operation_id="government_subject_query")
    def post(self, request):
        body = GovernmentSubjectQuerySerializer(data=request.data)
        if not body.is_valid():
            raise DomainError("invalid_request", "请求体须包含 code 和 purpose / code and purpose are required",
                           fields={name: "; ".join(str(e) for e in errors) for name, errors in body.errors.items()})
        return _government_answer(request, body.validated_data["code"], body.validated_data["purpose"])


class GovernmentSubjectView(APIView):
    """Deprecated: the subject's code in the URL. Organisations' codes (USCC, public) are still answered; a personal
    identification number is refused without a lookup — use ``POST /api/v1/subjects/query/``."""

    permission_classes = [IsDepartmentUser]

    @extend_schema(
        tags=["government"],
        deprecated=True,
        description="已弃用：主体代码请放在 POST /api/v1/subjects/query/ 的请求体中。URL 中出现公民身份号码等个人证件号码时"
                    "一律拒绝（400 personal_identifier_in_url），不作查询；法人和非法人组织的统一社会信用代码仍可使用。 / "
                    "Deprecated: send the code in the body of POST /api/v1/subjects/query/. A personal identification "
                    "number in the URL is refused (400 personal_identifier_in_url) without a lookup; an organisation's "
                    "USCC is still answered.",
        parameters=[OpenApiParameter("purpose", OpenApiTypes.STR, required=True, description="GET /api/v1/query-purposes/ 中的用途代码")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, code: str):
        if RIC_RE.fullmatch(normalise(code)):
            raise _identifier_in_url()
        return _government_answer(request, code, request.query_params.get("purpose") or "", organisations_only=True)


def _identifier_in_url() -> DomainError:
    return DomainError("personal_identifier_in_url",
                    "个人证件号码不得出现在 URL 中，请改用 POST /api/v1/subjects/query/（代码放在请求体）"
                    " / personal identification numbers are not accepted in URLs: POST /api/v1/subjects/query/",
                    fields={"code": "use_request_body"})
