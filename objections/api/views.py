"""Objections API: departments' systems and officials register objections and follow or act on them.

POST /api/v1/objections/ registers an objection (201 with its due dates and timeline); GET
/api/v1/objections/{id}/ returns the same. Action endpoints under /api/v1/objections/{id}/… call the
services; every refusal is ``{"code", "message", "fields"}``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from credit_platform.api.parsers import FormParser, JSONParser
from credit_platform.exceptions import DomainError
from credit_platform.models import Department
from credit_platform.workdays import local_date
from objections import access, complaints, services
from objections.api import serializers as s
from objections.models import OPEN_STATUSES, AssistanceRequest, Channel, Complaint, ObjectionEvent


def _forbidden():
    return DomainError("permission_denied", "无权办理此操作 / not allowed", status=status.HTTP_403_FORBIDDEN)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "id"  # credit_platform.api.converters: a positive 64-bit id, or 404
    serializer_class = s.ObjectionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = {"status": ["exact"], "ground": ["exact"], "provisional": ["exact"]}

    def get_queryset(self):
        qs = access.objections_visible_to(self.request.user).select_related("handling_department")
        qs = qs.prefetch_related(
            "items", "evidence",
            Prefetch("events", queryset=ObjectionEvent.objects.order_by("at", "id")),
            Prefetch("assistance_requests", queryset=AssistanceRequest.objects.select_related("department")),
        )
        if self.request.query_params.get("overdue") in ("1", "true"):
            qs = qs.overdue(local_date(timezone.now()))
        return qs.order_by("decision_due", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["internal"] = access.is_department_client(user) or getattr(user, "is_staff", False)
        return context

    def _answer(self, objection, code=status.HTTP_200_OK):
        objection = self.get_queryset().get(pk=objection.pk)
        return Response(self.get_serializer(objection).data, status=code)

    def _handled(self, pk):
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        if not access.may_handle(self.request.user, objection):
            raise _forbidden()
        return objection

    def _step(self, pk, serializer_class, call):
        """A handler's workflow step: check the handler, validate the body, run the service, answer the case."""
        objection = self._handled(pk)
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        call(objection, data.validated_data)
        return self._answer(objection)

    @extend_schema(request=s.ObjectionCreateSerializer, responses={201: s.ObjectionSerializer})
    def create(self, request):
        actor = request.user
        if not access.may_register(actor):
            raise _forbidden()
        data = s.ObjectionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        wanted = list(dict.fromkeys(v["records"]))
        found = {r.pk: r for r in access.records_fileable_by(actor).filter(pk__in=wanted).select_related("subject", "source_department")}
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            # The same answer for records that do not exist and records of another department: no IDOR.
            raise DomainError("unknown_records", "未找到以下信用记录或无权对其登记异议 / unknown records",
                           fields={"records": [f"未找到记录 {pk}" for pk in missing]})
        default_channel = Channel.API if access.is_department_client(actor) else Channel.COUNTER
        objection = services.file_objection(
            records=[found[pk] for pk in wanted], ground=v["ground"], statement=v["statement"], actor=actor,
            channel=v.get("channel", default_channel), received_at=v.get("received_at"),
            handling_department=access.handling_department_for(actor, found.values()),
            applicant_name=v.get("applicant_name", ""), applicant_phone=v.get("applicant_phone", ""),
            applicant_email=v.get("applicant_email", ""), evidence=request.FILES.getlist("files"),
        )
        return self._answer(objection, status.HTTP_201_CREATED)

    @extend_schema(request=s.MarkSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        return self._step(pk, s.MarkSerializer, lambda o, v: services.mark(o, actor=request.user, note=v.get("note", "")))

    @extend_schema(request=s.MarkSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return self._step(pk, s.MarkSerializer,
                          lambda o, v: services.start_review(o, actor=request.user, note=v.get("note", "")))

    @extend_schema(request=s.ExtendSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(pk, s.ExtendSerializer, lambda o, v: services.extend(o, actor=request.user, **v))

    @extend_schema(request=s.PauseSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._step(pk, s.PauseSerializer, lambda o, v: services.pause(o, actor=request.user, **v))

    @extend_schema(request=s.MarkSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._step(pk, s.MarkSerializer, lambda o, v: services.resume(o, actor=request.user, note=v.get("note", "")))

    @extend_schema(request=s.AssistanceSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def assistance(self, request, pk=None):
        objection = self._handled(pk)
        data = s.AssistanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = Department.objects.filter(code=data.validated_data["department"], active=True).first()
        if department is None:
            raise DomainError("unknown_department", "协助单位不存在", fields={"department": ["未找到该部门代码"]})
        services.request_assistance(objection, department=department, question=data.validated_data["question"],
                                    actor=request.user)
        return self._answer(objection)

    @extend_schema(request=s.AssistanceAnswerSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"], url_path="assistance/<id:request_id>/answer")
    def answer_assistance(self, request, pk=None, request_id=None):
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        help_request = get_object_or_404(objection.assistance_requests.all(), pk=request_id)
        if not access.may_answer_assistance(request.user, help_request):
            raise _forbidden()
        data = s.AssistanceAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.answer_assistance(help_request, answer=data.validated_data["answer"], actor=request.user)
        return self._answer(objection)

    @extend_schema(request=s.DecideSerializer, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        objection = self._handled(pk)
        data = s.DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide(objection, actor=request.user, **data.validated_data)
        return self._answer(objection)

    @extend_schema(request=None, responses=s.ObjectionSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        user_pk = getattr(request.user, "pk", None)
        is_applicant = user_pk is not None and objection.applicant_id == user_pk
        if not (access.may_handle(request.user, objection) or is_applicant):
            raise _forbidden()
        services.add_evidence(objection, request.FILES.getlist("files"), actor=request.user)
        return self._answer(objection)


class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints about market credit collectors (Heilongjiang art. 57), registered by officials or systems."""

    lookup_value_converter = "id"  # credit_platform.api.converters: a positive 64-bit id, or 404

    serializer_class = s.ComplaintSerializer

    def get_queryset(self):
        user = self.request.user
        qs = Complaint.objects.select_related("handling_department").prefetch_related("events")
        if access.is_department_client(user):
            return qs.filter(handling_department=user.department)
        if access.is_handler(user):
            department = getattr(user, "department", None)
            if access._is_centre_wide(user):
                return qs
            return qs.filter(handling_department=department) if department else qs.none()
        return qs.none()

    @extend_schema(request=s.ComplaintCreateSerializer, responses={201: s.ComplaintSerializer})
    def create(self, request):
        if not access.may_register(request.user):
            raise _forbidden()
        data = s.ComplaintCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = complaints.file_complaint(
            actor=request.user, handling_department=access.handling_department_for(request.user),
            channel=Channel.API if access.is_department_client(request.user) else Channel.COUNTER,
            **data.validated_data,
        )
        return Response(self.get_serializer(complaint).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AssistanceAnswerSerializer, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        complaint = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.AssistanceAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        complaints.answer(complaint, text=data.validated_data["answer"], actor=request.user)
        complaint.refresh_from_db()
        return Response(self.get_serializer(complaint).data)


__all__ = ["ComplaintViewSet", "ObjectionViewSet", "OPEN_STATUSES"]
