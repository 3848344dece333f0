"""Sanctions API for departments' systems (``Authorization: Token …``) and officials with a department.

* ``GET  /api/v1/joint-check/matters/`` — the matters a department checks before acting on;
* ``POST /api/v1/joint-check/`` ``{"subject", "matter"}`` — which published measures apply, and because of what;
* ``GET  /api/v1/joint-check/{check_id}/`` — the logged answer and the feedback given;
* ``POST /api/v1/joint-check/{check_id}/feedback/`` — applied, or not applied with a written reason (Qufu art. 41);
* ``GET  /api/v1/measures/`` — published measures in force;
* ``GET  /api/v1/red-list/``, ``GET /api/v1/severe-list/`` — public list entries;
* ``POST /api/v1/severe-list/court/`` and ``…/court/removal/`` — courts' dishonest judgment debtors;
* ``GET|POST /api/v1/commitments/``, ``POST /api/v1/commitments/{id}/verification/``;
* ``GET  /api/v1/evaluations/{subject code}/``;
* ``GET|POST /api/v1/interviews/``.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from credit_platform import roles
from credit_platform.exceptions import DomainError
from credit_platform.policies import active_policy
from credit_platform.privacy import RIC_RE, normalise
from credit_platform.ratelimits import SearchThrottle
from credit_platform.workdays import local_date
from records.models import Record, Subject
from records.rules import Rejection, check_identity
from sanctions import conf, implementation as implementation_report, joint_check, services
from sanctions.api import serializers as s
from sanctions.models import (
    Commitment,
    Evaluation,
    Interview,
    JointCheck,
    Matter,
    Measure,
    RedListEntry,
    SevereListEntry,
)


@contextmanager
def api_errors():
    """A model's ``ValidationError`` as the API's ``invalid`` answer. A service's ``DomainError`` passes through: the
    API exception handler answers it with its own code, fields and status (404 for an unknown check, 409 for feedback
    already given)."""
    try:
        yield
    except DjangoValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise DomainError("invalid", "；".join(exc.messages), fields=fields) from exc


# What ``api_errors`` can answer besides 400: an unknown subject or check (404), feedback already given (409).
API_ERROR_STATUSES = (404, 409)


class IsDepartment(permissions.BasePermission):
    """A department's system, or an official acting for a department."""

    message = "须以部门身份调用 / a department credential is required"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (getattr(user, "is_authenticated", False) and getattr(user, "department", None) is not None
                and (getattr(user, "is_department_client", False) or getattr(user, "is_official", False))):
            return False
        # 三员分立: the system and security administrators read no business data, whatever the method (a department's
        # commitments, interviews, joint checks are business data); the audit administrator and the auditor read
        # but ask no joint check and record no business step
        if not roles.reads_business_data(user):
            return False
        return request.method in permissions.SAFE_METHODS or not roles.is_duty_restricted(user)


class MayQuerySubjects(IsDepartment):
    """A subject's evaluation (score and reasons) is a subject query: a department's system, or an official whose
    business role includes subject queries (``roles.may_query_subjects``) — whatever the method. Never the three
    administrators, the auditor or the repair reviewer (三员分立)."""

    message = "无权查询信用主体 / subject queries are not within this account's duties"

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and roles.may_query_subjects(request.user)


def _department(request):
    return request.user.department


def _refuse_personal_identifier_in_url(value: str, field: str, *, instead: str) -> None:
    """A resident ID number never travels in a URL: proxies and access logs keep URLs. 400, before any
    lookup, pointing at the form that carries it in the body or by an opaque reference."""
    if value and RIC_RE.fullmatch(normalise(value)):
        raise DomainError("personal_identifier_in_url",
                       f"个人证件号码不得出现在 URL 中，请改用 {instead} / personal identification numbers are not accepted "
                       f"in URLs: use {instead}", fields={field: "use_request_body"})


SUBJECT_FILTER = [
    OpenApiParameter("subject", str, description="统一社会信用代码（组织）。个人证件号码不得放在 URL 中：自然人请用 subject_id"),
    OpenApiParameter("subject_id", int, description="信用主体的平台内部编号（不透明引用，见各接口返回的 subject_id）"),
]


def _filter_by_subject(request, qs):
    """``?subject=<USCC>`` or ``?subject_id=<opaque id>``; a resident ID number in the query string is refused."""
    code = request.query_params.get("subject") or ""
    _refuse_personal_identifier_in_url(code, "subject", instead="subject_id=<平台编号>")
    if code:
        qs = qs.filter(subject__code__iexact=code)
    raw_id = request.query_params.get("subject_id") or ""
    if raw_id:
        if not raw_id.isdigit() or not 0 < int(raw_id) < 2**63:
            raise DomainError("invalid_subject_id", "subject_id 应为正整数 / subject_id must be a positive integer",
                           fields={"subject_id": "invalid"})
        qs = qs.filter(subject_id=int(raw_id))
    return qs


def _subject_or_404(code: str):
    subject = joint_check.find_subject(code)
    if subject is None:
        raise DomainError("unknown_subject", "平台没有该信用主体 / no such subject", fields={"subject": ["unknown"]},
                       status=status.HTTP_404_NOT_FOUND)
    return subject


class MattersView(APIView):
    permission_classes = [IsDepartment]

    @extend_schema(responses=s.MatterSerializer(many=True), summary="应用事项清单")
    def get(self, request):
        return Response(s.MatterSerializer(joint_check.active_matters(), many=True).data)


class JointCheckView(APIView):
    permission_classes = [IsDepartment]
    error_statuses = API_ERROR_STATUSES

    @extend_schema(request=s.JointCheckRequest, responses=s.JointCheckAnswer, summary="联合奖惩自动比对")
    def post(self, request):
        data = s.JointCheckRequest(data=request.data)
        data.is_valid(raise_exception=True)
        with api_errors():
            check = joint_check.run_check(department=_department(request), actor=request.user,
                                          subject_code=data.validated_data["subject"],
                                          matter_code=data.validated_data["matter"])
        return Response(check.answer, status=status.HTTP_200_OK)


def _check_for(request, check_id) -> JointCheck:
    check = JointCheck.objects.filter(check_id=check_id, department=_department(request)).first()
    if check is None:
        raise DomainError("not_found", "比对记录不存在 / no such check", status=status.HTTP_404_NOT_FOUND)
    return check


def _check_payload(check: JointCheck) -> dict:
    results = check.results.select_related("measure").order_by("id")
    return {**check.answer, "feedback": s.CheckedMeasureSerializer(results, many=True).data}


class JointCheckDetailView(APIView):
    permission_classes = [IsDepartment]

    @extend_schema(responses=s.JointCheckAnswer, summary="比对记录与反馈情况")
    def get(self, request, check_id):
        return Response(_check_payload(_check_for(request, check_id)))


class FeedbackView(APIView):
    permission_classes = [IsDepartment]
    error_statuses = API_ERROR_STATUSES

    @extend_schema(request=s.FeedbackRequest, responses=s.CheckedMeasureSerializer(many=True), summary="奖惩结果反馈")
    def post(self, request, check_id):
        check = _check_for(request, check_id)
        data = s.FeedbackRequest(data=request.data)
        data.is_valid(raise_exception=True)
        results = data.validated_data.get("results")
        if not results and data.validated_data.get("outcome"):
            results = [{"measure": cm.measure.code, "outcome": data.validated_data["outcome"],
                        "reason": data.validated_data.get("reason", "")}
                       for cm in check.results.select_related("measure")]
        with api_errors():
            joint_check.report_feedback(check, department=_department(request), results=results or [],
                                        actor=request.user)
        return Response(_check_payload(check))


class MeasuresView(APIView):
    permission_classes = [IsDepartment]

    @extend_schema(
        parameters=[OpenApiParameter("kind", str), OpenApiParameter("matter", str)],
        responses=s.MeasureSerializer(many=True), summary="已公布的奖惩措施",
    )
    def get(self, request):
        qs = Measure.objects.published().select_related("measure_list").prefetch_related("matters")
        if request.query_params.get("kind"):
            qs = qs.filter(kind=request.query_params["kind"])
        if request.query_params.get("matter"):
            qs = qs.filter(matters__code=request.query_params["matter"])
        return Response(s.MeasureSerializer(qs.order_by("measure_list__level", "sort_order", "code"), many=True).data)


class RedListView(APIView):
    permission_classes = [IsDepartment]

    @extend_schema(parameters=SUBJECT_FILTER, responses=s.RedListEntrySerializer(many=True), summary="守信激励对象名单（公示）")
    def get(self, request):
        qs = RedListEntry.objects.filter(status=RedListEntry.Status.LISTED, public=True).select_related("subject", "department")
        qs = _filter_by_subject(request, qs)
        return Response(s.RedListEntrySerializer(qs[:500], many=True).data)


class SevereListView(APIView):
    permission_classes = [IsDepartment]

    @extend_schema(parameters=SUBJECT_FILTER, responses=s.SevereListEntrySerializer(many=True), summary="严重失信主体名单（公示）")
    def get(self, request):
        qs = SevereListEntry.objects.filter(public=True).select_related("subject", "department").prefetch_related("measures")
        qs = _filter_by_subject(request, qs)
        return Response(s.SevereListEntrySerializer(qs[:500], many=True).data)


def _require_court(request):
    if _department(request).code not in conf.court_departments():
        raise DomainError("not_a_court", "只有人民法院可以推送失信被执行人名单 / only a court may push this",
                       status=status.HTTP_403_FORBIDDEN)


class CourtListingView(APIView):
    permission_classes = [IsDepartment]
    error_statuses = API_ERROR_STATUSES

    @extend_schema(request=s.CourtListingRequest, responses=s.SevereListEntrySerializer, summary="失信被执行人名单接收")
    def post(self, request):
        _require_court(request)
        data = s.CourtListingRequest(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        subject = _subject_from_identity(v["subject"])
        with api_errors():
            entry = services.list_court_debtor(
                subject, department=_department(request), case_number=v["case_number"],
                decision_number=v["decision_number"], reasons=v.get("reasons", ""), basis=v["basis"],
                term_months=v.get("term_months"), listed_on=v.get("listed_on"), actor=request.user,
            )
        return Response(s.SevereListEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _subject_from_identity(identity: dict):
    """Find or create the subject named by a court (validated like any pushed identity)."""
    try:
        checked = check_identity(identity, "subject", local_date(timezone.now()))
    except Rejection as exc:
        raise DomainError(exc.code, exc.message(active_policy()), fields={exc.field: [exc.code]}) from exc
    subject, _ = Subject.objects.get_or_create(
        code_type=checked["code_type"], code=checked["code"],
        defaults={"type": checked["type"], "name": checked["name"], "birth_date": checked["birth_date"]},
    )
    return subject


class CourtRemovalView(APIView):
    permission_classes = [IsDepartment]

    @extend_schema(request=s.CourtRemovalRequest, responses=s.SevereListEntrySerializer, summary="失信被执行人信息删除")
    def post(self, request):
        _require_court(request)
        data = s.CourtRemovalRequest(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        entry = SevereListEntry.objects.filter(
            source=SevereListEntry.Source.COURT, court_case_number=v["case_number"], department=_department(request),
            subject__code__iexact=v["subject"],
        ).first()
        if entry is None:
            raise DomainError("not_found", "没有该案号的名单 / no listing for that case", status=status.HTTP_404_NOT_FOUND)
        services.remove_from_severe_list(entry, reason=SevereListEntry.Removal.COURT_REMOVED, actor=request.user,
                                         note=v["reason"])
        entry.refresh_from_db()
        return Response(s.SevereListEntrySerializer(entry).data)


class CommitmentsView(APIView):
    permission_classes = [IsDepartment]
    error_statuses = API_ERROR_STATUSES

    @extend_schema(responses=s.CommitmentSerializer(many=True), summary="本部门登记的信用承诺")
    def get(self, request):
        qs = Commitment.objects.filter(department=_department(request)).select_related("subject", "matter")
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        return Response(s.CommitmentSerializer(qs[:500], many=True).data)

    @extend_schema(request=s.CommitmentRequest, responses=s.CommitmentSerializer, summary="登记信用承诺")
    def post(self, request):
        data = s.CommitmentRequest(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        subject = _subject_or_404(v["subject"])
        matter = None
        if v.get("matter"):
            matter = Matter.objects.filter(code=v["matter"]).first()
            if matter is None:
                raise DomainError("unknown_matter", "未知的应用事项 / unknown matter", fields={"matter": ["unknown"]})
        with api_errors():
            c, created = services.record_commitment(
                department=_department(request), subject=subject, source_ref=v["source_ref"], kind=v["kind"],
                matter=matter, title=v["title"], content=v["content"], made_on=v["made_on"],
                licence_number=v.get("licence_number", ""), licence_decided_on=v.get("licence_decided_on"),
                actor=request.user,
            )
        return Response(s.CommitmentSerializer(c).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class VerificationView(APIView):
    permission_classes = [IsDepartment]
    error_statuses = API_ERROR_STATUSES

    @extend_schema(request=s.VerificationRequest, responses=s.CommitmentSerializer, summary="承诺核查结论")
    def post(self, request, pk):
        c = Commitment.objects.filter(pk=pk, department=_department(request)).first()
        if c is None:
            raise DomainError("not_found", "承诺不存在 / no such commitment", status=status.HTTP_404_NOT_FOUND)
        data = s.VerificationRequest(data=request.data)
        data.is_valid(raise_exception=True)
        with api_errors():
            c = services.verify_commitment(c, actor=request.user, **data.validated_data)
        return Response(s.CommitmentSerializer(c).data)


class EvaluationView(APIView):
    permission_classes = [MayQuerySubjects]

    @extend_schema(
        responses=s.EvaluationSerializer, summary="公共信用综合评价及理由（组织，代码在路径中）",
        description="个人证件号码不得放在 URL 中：自然人请用 POST /api/v1/evaluations/query/（代码放在请求体）。",
    )
    def get(self, request, code):
        _refuse_personal_identifier_in_url(code, "code", instead="POST /api/v1/evaluations/query/")
        return _evaluation_answer(code)


def _evaluation_answer(code: str) -> Response:
    subject = _subject_or_404(code)
    evaluation = Evaluation.objects.filter(subject=subject).first() or services.recompute_evaluation(subject)
    return Response(s.EvaluationSerializer(evaluation).data)


class EvaluationQueryView(APIView):
    """The evaluation of any subject, its code in the body — a resident ID number never travels in a URL."""

    permission_classes = [MayQuerySubjects]
    error_statuses = (404,)  # no subject with that code

    @extend_schema(request=s.SubjectCodeRequest, responses=s.EvaluationSerializer, summary="公共信用综合评价及理由（代码在请求体）")
    def post(self, request):
        data = s.SubjectCodeRequest(data=request.data)
        data.is_valid(raise_exception=True)
        return _evaluation_answer(data.validated_data["code"])


class InterviewsView(APIView):
    permission_classes = [IsDepartment]
    error_statuses = API_ERROR_STATUSES

    @extend_schema(parameters=SUBJECT_FILTER, responses=s.InterviewSerializer(many=True), summary="本部门的约谈记录")
    def get(self, request):
        qs = Interview.objects.filter(department=_department(request)).select_related("subject", "department")
        qs = _filter_by_subject(request, qs)
        return Response(s.InterviewSerializer(qs[:500], many=True).data)

    @extend_schema(request=s.InterviewRequest, responses=s.InterviewSerializer, summary="登记约谈记录")
    def post(self, request):
        data = s.InterviewRequest(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        subject = _subject_or_404(v.pop("subject"))
        records = list(Record.objects.filter(id__in=v.pop("records", []) or []))
        with api_errors():
            interview = services.record_interview(subject, department=_department(request), records=records,
                                                  actor=request.user, **v)
        return Response(s.InterviewSerializer(interview).data, status=status.HTTP_201_CREATED)



class ImplementationView(APIView):
    """Qufu art. 41: the published joint reward/punishment implementation report (public, no token)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [SearchThrottle]
    error_statuses = (404,)

    @extend_schema(
        parameters=[OpenApiParameter("period", str, required=False, description="月份 YYYY-MM；缺省为最近一期")],
        responses=s.ImplementationReportSerializer, summary="联合奖惩实施情况通报（曲阜第四十一条）", tags=["public"],
    )
    def get(self, request):
        report = implementation_report
        if report.duty_article() is None:
            raise DomainError("not_published", "适用规则未规定公开联合奖惩实施情况 / not published under this profile",
                           status=status.HTTP_404_NOT_FOUND)
        try:
            period = report.parse_period(request.query_params.get("period"))
        except ValueError:
            raise DomainError("invalid_period", "月份格式应为 YYYY-MM / period must be YYYY-MM",
                           fields={"period": ["invalid"]}) from None
        current = report.published(period)
        if current is None:
            raise DomainError("no_report", "该月份尚无通报 / no report for this period", fields={"period": ["unknown"]}
                           if period else {}, status=status.HTTP_404_NOT_FOUND)
        return Response({
            "period": f"{current.period:%Y-%m}", "final": current.final, "refreshed_at": current.refreshed_at,
            "article": current.article, "totals": current.totals, "departments": current.rows,
            "periods": [f"{p:%Y-%m}" for p in report.periods()],
        })
