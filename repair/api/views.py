"""Repair API: eligibility, applications and their review, where a record's changes went, subscriber acks."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.links import can_act_for
from credit_platform.api import parsers
from credit_platform.api.fields import id_param
from credit_platform.api.parsers import FormParser, JSONParser
from credit_platform.exceptions import DomainError
from records import outbox
from records.models import Record, Subscription
from repair import access, services
from repair.api.serializers import (
    ApplicationSerializer,
    CreateApplicationSerializer,
    DecideSerializer,
    DeliverySerializer,
    EligibilitySerializer,
    ExtendSerializer,
    ReasonSerializer,
    RevokeSerializer,
)
from repair.eligibility import requirements
from repair.models import EvidenceKind, RepairApplication, RepairEvent
from repair.stats import department_stats


def _record(request, pk: int):
    record = Record.objects.select_related("catalog_item", "subject").filter(pk=pk).first()
    if record is None or not access.can_see_record(request.user, record):
        raise DomainError("not_found", "记录不存在或无权查看 / record not found", status=404)
    return record


class RecordEligibilityView(APIView):
    """Whether a record can be repaired now, why not, and from which date."""

    @extend_schema(responses=EligibilitySerializer, summary="信用修复资格 / repair eligibility of a record")
    def get(self, request, pk: int):
        record = _record(request, pk)
        result = services.check_eligibility(record)
        data = result.as_dict()
        policy = services.policy_for()
        data["requirements"] = requirements(policy)
        data["min_months"] = result.min_months
        data["period_start"] = result.period_start.isoformat() if result.period_start else None
        data["policy"] = policy.code
        return Response(data)


class CommitmentTextView(APIView):
    """The credit commitment text the applicant signs for a record."""

    @extend_schema(
        parameters=[OpenApiParameter("applicant_name", str, required=True)],
        responses=inline_serializer("CommitmentText", {"text": serializers.CharField()}),
    )
    def get(self, request, pk: int):
        record = _record(request, pk)
        name = (request.query_params.get("applicant_name") or "").strip()
        if not name:
            raise DomainError("applicant_required", "请提供 applicant_name。", fields={"applicant_name": ["required"]})
        return Response({"text": services.commitment_text(record, name)})


class RecordDeliveriesView(APIView):
    """Where the changes to a record were sent and whether each subscriber acknowledged them."""

    @extend_schema(responses=DeliverySerializer(many=True))
    def get(self, request, pk: int):
        record = _record(request, pk)
        return Response(DeliverySerializer(outbox.deliveries_for_record(record.pk), many=True).data)


def _applications():
    return RepairApplication.objects.select_related("record", "subject", "department").prefetch_related(
        Prefetch("events", queryset=RepairEvent.objects.order_by("at", "id")), "evidence"
    )


class ApplicationListView(APIView):
    error_statuses = (404,)  # the record named in the body
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=ApplicationSerializer(many=True), parameters=[OpenApiParameter("status", str), OpenApiParameter("record", int)])
    def get(self, request):
        qs = access.visible_queryset(request.user, _applications())
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        if request.query_params.get("record"):
            qs = qs.filter(record_id=id_param(request.query_params["record"], "record"))
        page = qs.order_by("-received_at", "-id")[:200]
        return Response(ApplicationSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(request=CreateApplicationSerializer, responses={201: ApplicationSerializer})
    def post(self, request):
        form = CreateApplicationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        record = _record(request, data["record"])
        user = request.user
        if can_act_for(user, record.subject_id) and not access.is_official(user):
            channel, applicant, registrar = "portal", user, None
        elif access.is_official(user) or getattr(user, "is_department_client", False):
            # officials and the deciding department register paper applications
            fake = RepairApplication(department_id=record.source_department_id)
            if not access.can_review(user, fake):
                raise DomainError("forbidden", "无权为该记录登记信用修复申请。", status=403)
            channel, applicant, registrar = "paper", None, user
        else:
            raise DomainError("forbidden", "只能为本人（本单位）的失信信息申请信用修复。", status=403)
        uploads = [
            services.EvidenceUpload(kind, f)
            for kind in EvidenceKind.values
            for f in request.FILES.getlist(f"evidence_{kind}")
        ]
        app = services.apply(  # a refusal is a DomainError: the API handler answers with its code, fields and status
            record, applicant=applicant, applicant_name=data["applicant_name"], applicant_phone=data.get("applicant_phone", ""),
            correction_statement=data["correction_statement"], commitment=data["commitment"], evidence=uploads,
            channel=channel, registered_by=registrar,
        )
        app = _applications().get(pk=app.pk)
        return Response(ApplicationSerializer(app, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _application(request, number: str) -> RepairApplication:
    app = _applications().filter(number=number).first()
    if app is None or not access.can_view(request.user, app):
        raise DomainError("not_found", "申请不存在或无权查看 / application not found", status=404)
    return app


class ApplicationDetailView(APIView):
    @extend_schema(responses=ApplicationSerializer)
    def get(self, request, number: str):
        return Response(ApplicationSerializer(_application(request, number), context={"request": request}).data)


class _Action(APIView):
    error_statuses = (409,)  # a step the application's state does not allow
    serializer_class = ReasonSerializer
    review = True

    def run(self, app, user, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, number: str):
        app = _application(request, number)
        if self.review and not access.can_review(request.user, app):
            raise DomainError("forbidden", "无权办理该信用修复申请。", status=403)
        form = self.serializer_class(data=request.data)
        form.is_valid(raise_exception=True)
        self.run(app, request.user, form.validated_data)  # a DomainError is answered by the API handler
        app = _applications().get(pk=app.pk)
        return Response(ApplicationSerializer(app, context={"request": request}).data)


def _action(name, serializer, fn, *, review=True, summary=""):
    cls = type(name, (_Action,), {"serializer_class": serializer, "review": review, "run": lambda self, a, u, d: fn(a, u, d)})
    cls.post = extend_schema(request=serializer, responses=ApplicationSerializer, summary=summary)(cls.post)
    return cls


AcceptView = _action("AcceptView", ReasonSerializer, lambda a, u, d: services.accept(a, actor=u, note=d.get("reason", "")), summary="受理")
RefuseView = _action("RefuseView", ReasonSerializer, lambda a, u, d: services.refuse(a, actor=u, reason=d.get("reason", "")), summary="不予受理")
ExtendView = _action("ExtendView", ExtendSerializer, lambda a, u, d: services.extend(a, actor=u, until=d["until"], reason=d["reason"]), summary="延长办理期限")
DecideView = _action(
    "DecideView", DecideSerializer,
    lambda a, u, d: services.decide(a, actor=u, approve=d["outcome"] == "approved", reason=d["reason"]), summary="作出决定",
)
TerminateView = _action(
    "TerminateView", RevokeSerializer, lambda a, u, d: services.terminate(a, actor=u, ground=d["ground"], reason=d["reason"]),
    summary="终止修复程序",
)
RevokeView = _action(
    "RevokeView", RevokeSerializer, lambda a, u, d: services.revoke(a, actor=u, ground=d["ground"], reason=d["reason"]),
    summary="撤销修复结果",
)


class WithdrawView(_Action):
    serializer_class = ReasonSerializer
    review = False

    def run(self, app, user, data):
        if not (access.can_review(user, app) or can_act_for(user, app.subject_id)):
            raise DomainError("forbidden", "无权撤回该申请。", status=403)
        services.withdraw(app, actor=user)


class OutboxAckView(APIView):
    """A subscriber acknowledges an event. The body is signed like the webhook: ``X-Credit-Signature:
    sha256=<HMAC-SHA256 of the raw body with the subscription's secret>``."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    error_statuses = (403, 404)  # bad signature; no such delivery

    @extend_schema(
        request=inline_serializer("OutboxAck", {"event_id": serializers.UUIDField(), "subscription_id": serializers.IntegerField(), "note": serializers.CharField(required=False)}),
        responses=DeliverySerializer,
    )
    def post(self, request):
        if request.content_type != "application/json":
            raise UnsupportedMediaType(request.content_type)
        raw = request.body  # the signature covers the exact bytes
        doc = parsers.loads(raw)
        if not isinstance(doc, dict) or "event_id" not in doc or "subscription_id" not in doc:
            raise DomainError("invalid", "请求体须为含 event_id、subscription_id 的 JSON。")
        sub = Subscription.objects.filter(pk=id_param(doc["subscription_id"], "subscription_id"), active=True).first()
        if sub is None or not outbox.verify(sub.secret, raw, request.headers.get(outbox.SIGNATURE_HEADER, "")):
            raise DomainError("bad_signature", "签名无效 / invalid signature", status=403)
        try:
            event_id = uuid.UUID(str(doc["event_id"]))
        except ValueError:
            event_id = None  # not an event id: no delivery of it
        delivery = outbox.acknowledge(event_id, sub, str(doc.get("note") or "")) if event_id else None
        if delivery is None:
            raise DomainError("not_found", "没有该事件的投递 / no such delivery", status=404)
        return Response(DeliverySerializer(delivery).data)


class StatsView(APIView):
    """Per-department workload and timeliness (officials who may see applications)."""

    @extend_schema(responses=inline_serializer("RepairStats", {"departments": serializers.ListField()}))
    def get(self, request):
        if not access.may_read_statistics(request.user):
            raise DomainError("forbidden", "仅限可查看信用修复申请的工作人员。", status=403)
        qs = access.visible_queryset(request.user, RepairApplication.objects.all())
        return Response({"departments": department_stats(qs)})
