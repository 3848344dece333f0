"""Department push API: batch and single pushes, the department's own records, corrections, revocations.

Views only translate HTTP to the services in ``records.services`` and back.
"""

from __future__ import annotations

from datetime import date

import orjson
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from credit_platform import gcpause
from credit_platform.api.parsers import check_json
from credit_platform.exceptions import DomainError
from credit_platform.roles import department_of, sees_all_departments
from records.api.parsers import ORJSONParser, ORJSONRenderer
from records.api.serializers import (
    BatchRequestSerializer,
    BatchResponseSerializer,
    CorrectionRequestSerializer,
    RecordChangeSerializer,
    RecordDetailSerializer,
    RecordPayloadSerializer,
    RecordSerializer,
    RevokeRequestSerializer,
)
from records.filtersets import RecordFilterSet
from records.messages import render
from records.models import Record
from records.rules import Rejection
from records.services.changes import correct_record, revoke_record
from records.services.ingest import batch_limit, ingest

EXAMPLE_RECORD = {
    "source_ref": "SCJG-2026-000123", "catalog_item": "KMY-SCJG-XZCF",
    "subject": {"type": "legal_person", "code": "91650200MA79XXXXXX", "name": "克拉玛依某某有限公司"},
    "severity": "general", "procedure": "general", "penalty_types": ["fine"],
    "basis_document": {"number": "克市监罚〔2026〕12号", "issuer": "克拉玛依市市场监督管理局", "issued_on": "2026-03-02"},
    "occurred_on": "2026-01-15", "decided_on": "2026-03-02", "ended_on": None, "content": {},
    "responsible_persons": [{"role": "legal_representative", "code": "…", "name": "…"}], "consent_ref": None,
}


class HasDepartment(permissions.BasePermission):
    """A department system, or an official of a department (the credit centre may read everything)."""

    message = "仅限部门系统或部门工作人员 / department systems and officials only"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if getattr(user, "is_department_client", False):
            return True  # a department system: scoped to its own records below
        # Officials act through their role's model permissions: reading needs view_record; pushing, correcting and
        # revoking need add/change_record (auditors, handlers and the three administrators never write records).
        if request.method in permissions.SAFE_METHODS:
            needed = "records.view_record"
        else:
            default = "records.add_record" if request.method == "POST" else "records.change_record"
            needed = getattr(view, "write_permission", None) or default
        if not user.has_perm(needed):
            return False
        if department_of(user) is not None:
            return True
        return request.method in permissions.SAFE_METHODS and sees_all_departments(user)


def _department_for_write(request):
    department = department_of(request.user)
    if department is None:
        raise DomainError("no_department", "该账号不属于任何部门 / this account belongs to no department", status=403)
    return department


def _scoped_records(request):
    qs = Record.objects.select_related("subject", "catalog_item")
    user = request.user
    if getattr(user, "is_department_client", False):
        return qs.filter(source_department=user.department)
    if request.method in permissions.SAFE_METHODS and sees_all_departments(user):
        return qs
    department = department_of(user)
    return qs.filter(source_department=department) if department else qs.none()


def _read_json(request, *, check: bool = False):
    """The JSON body, parsed once with orjson (the bulk path skips DRF's parsing).

    Rows are checked field by field by ``records.rules``; other bodies (``check=True``) are checked whole for NUL
    characters and nesting like every other API body."""
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise DomainError("unsupported_media_type", render("unsupported_media_type"), status=415)
    try:
        body = request._request.body
    except RequestDataTooBig:
        raise DomainError("payload_too_large", render("payload_too_large"), status=413) from None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise DomainError("malformed_json", render("malformed_json")) from None
    return check_json(data, raw=body) if check else data


class BatchPushView(APIView):
    """Push up to the batch limit of records; each row is accepted or rejected on its own."""

    permission_classes = [permissions.IsAuthenticated, HasDepartment]
    parser_classes = [ORJSONParser]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        request=BatchRequestSerializer, responses={200: BatchResponseSerializer},
        examples=[OpenApiExample("batch", value={"records": [EXAMPLE_RECORD]}, request_only=True)],
        summary="批量推送信用记录 / push a batch of records",
        description="最多 5,000 条；按（部门, source_ref）幂等：相同数据为 unchanged，新数据为 updated（历史保留旧值）。"
        "格式错误或超过上限时整批 400，不存储任何数据。",
    )
    def post(self, request):
        department = _department_for_write(request)
        with gcpause.paused():  # a batch allocates ~100 objects a record: see credit_platform.gcpause
            return self._push(department, request)

    def _push(self, department, request):
        body = _read_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise DomainError("invalid_batch", render("invalid_batch"), fields={"records": render("invalid_batch")})
        rows = body["records"]
        limit = batch_limit()
        if len(rows) > limit:
            message = render("batch_too_large", limit=limit, count=len(rows))
            raise DomainError("batch_too_large", message, fields={"records": message})
        result = ingest(department, rows, channel="batch")
        return Response(result.as_dict(), status=status.HTTP_200_OK)


class RecordListView(ListAPIView):
    """The department's own records (GET), or push one record (POST)."""

    permission_classes = [permissions.IsAuthenticated, HasDepartment]
    parser_classes = [ORJSONParser]  # bodies are read by _read_json; this documents the one accepted type
    serializer_class = RecordSerializer
    filterset_class = RecordFilterSet

    def get_queryset(self):
        return _scoped_records(self.request).order_by("-id")

    @extend_schema(
        request=RecordPayloadSerializer,
        responses={201: RecordSerializer, 200: RecordSerializer},
        examples=[OpenApiExample("record", value=EXAMPLE_RECORD, request_only=True)],
        summary="推送一条信用记录 / push one record",
    )
    def post(self, request):
        department = _department_for_write(request)
        body = _read_json(request)
        if not isinstance(body, dict):
            raise DomainError("invalid_row", render("invalid_row"))
        result = ingest(department, [body], channel="single")
        if result.rejected:
            rejection = result.rejected[0]
            raise DomainError(rejection["code"], rejection["message"], fields={rejection["field"] or "non_field_errors": rejection["message"]})
        row = result.results[0]
        record = Record.objects.select_related("subject", "catalog_item").get(pk=row["id"])
        data = RecordSerializer(record).data
        data["push_status"] = row["status"]
        return Response(data, status=status.HTTP_201_CREATED if row["status"] == "created" else status.HTTP_200_OK)


class RecordDetailView(APIView):
    """One of the department's records (others' ids are 404); PATCH corrects it with a reason."""

    error_statuses = (409,)  # a correction that conflicts with a pending change
    permission_classes = [permissions.IsAuthenticated, HasDepartment]
    parser_classes = [ORJSONParser]

    def get_object(self, request, pk):
        return get_object_or_404(_scoped_records(request).prefetch_related("changes", "derived"), pk=pk)

    @extend_schema(responses=RecordDetailSerializer)
    def get(self, request, pk):
        return Response(RecordDetailSerializer(self.get_object(request, pk)).data)

    @extend_schema(
        request=CorrectionRequestSerializer, responses={200: RecordDetailSerializer},
        summary="更正信用记录 / correct a record",
        description="提供要更正的字段与 reason；更正后的数据重新经过全部校验；期限按政策配置的更正时限计算。",
    )
    def patch(self, request, pk):
        department = _department_for_write(request)
        record = self.get_object(request, pk)
        if record.source_department_id != department.id:
            raise DomainError("not_found", "未找到 / not found", status=404)
        body = _read_json(request, check=True)
        if not isinstance(body, dict):
            raise DomainError("invalid_row", render("invalid_row"))
        body = dict(body)
        reason = body.pop("reason", "")
        discovered_raw = body.pop("discovered_on", None)
        body.pop("source_ref", None)
        try:
            discovered_on = date.fromisoformat(discovered_raw) if discovered_raw else None
        except (TypeError, ValueError):
            raise Rejection("invalid_date", "discovered_on").as_domain_error() from None
        try:
            change = correct_record(record, department, body, reason=reason if isinstance(reason, str) else "",
                                    discovered_on=discovered_on, user=request.user)
        except Rejection as exc:  # ChangeConflict included (409)
            raise exc.as_domain_error() from None
        data = RecordDetailSerializer(self.get_object(request, pk)).data
        data["change"] = RecordChangeSerializer(change).data
        return Response(data)


class RecordRevokeView(APIView):
    error_statuses = (409,)  # already revoked
    write_permission = "records.change_record"  # a POST here changes an existing record
    permission_classes = [permissions.IsAuthenticated, HasDepartment]
    parser_classes = [ORJSONParser]

    @extend_schema(
        request=RevokeRequestSerializer, responses={200: RecordDetailSerializer},
        summary="依据被撤销或变更时撤销信用记录 / revoke a record whose basis was revoked or changed",
    )
    def post(self, request, pk):
        department = _department_for_write(request)
        record = get_object_or_404(_scoped_records(request), pk=pk)
        if record.source_department_id != department.id:
            raise DomainError("not_found", "未找到 / not found", status=404)
        body = _read_json(request, check=True)
        if not isinstance(body, dict):
            raise DomainError("invalid_row", render("invalid_row"))
        changed_raw = body.get("changed_on")
        try:
            changed_on = date.fromisoformat(changed_raw) if changed_raw else None
        except (TypeError, ValueError):
            raise Rejection("invalid_date", "changed_on").as_domain_error() from None
        try:
            change = revoke_record(
                record, department, reason=body.get("reason") if isinstance(body.get("reason"), str) else "",
                document=body.get("document"), basis_action=body.get("basis_action") or "revoked",
                changed_on=changed_on, user=request.user,
            )
        except Rejection as exc:  # ChangeConflict included (409)
            raise exc.as_domain_error() from None
        record = Record.objects.select_related("subject", "catalog_item").prefetch_related("changes", "derived").get(pk=pk)
        data = RecordDetailSerializer(record).data
        data["change"] = RecordChangeSerializer(change).data
        return Response(data)
