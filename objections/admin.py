"""Officials' side: the objection queue by due date, the handling page, counter intake, the on-time rates,
and complaints. Everything changes through ``objections.services``; the admin forms only collect input."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from credit_platform import roles
from credit_platform.actors import actor_label
from credit_platform.admin.display import day
from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError, report_to_form
from credit_platform.policies import UnknownPolicy, get_policy
from credit_platform.policies.labels import code_label
from credit_platform.workdays import local_date
from objections import access, admin_forms, clock, complaints, forms, rules, services
from objections.models import (
    OPEN_Q,
    AssistanceRequest,
    Channel,
    Complaint,
    ComplaintStatus,
    Evidence,
    Objection,
    ObjectionEvent,
    ObjectionPause,
    ObjectionRecord,
    Outcome,
    Status,
)

STATE_STYLE = {
    clock.OVERDUE: ("逾期", "#b42318", "#fee4e2"),
    clock.DUE_TODAY: ("今日到期", "#93370d", "#fef0c7"),
    clock.DUE_SOON: ("即将到期", "#1849a9", "#eff8ff"),
    clock.ON_TRACK: ("正常", "#067647", "#ecfdf3"),
    clock.NO_CLOCK: ("无法定期限", "#475467", "#f2f4f7"),
}


def _today():
    return local_date(timezone.now())


def running_due(obj: Objection):
    """The due date that matters now: the mark date until marked, then the decision date."""
    if obj.status == Status.RECEIVED and obj.mark_due:
        return obj.mark_due
    return obj.decision_due


#: What a service raises when it refuses a step (every service of this app raises the platform's ``DomainError``).
SERVICE_ERRORS = (DomainError,)


def report_refusal(form, exc: DomainError) -> None:
    """Put a service's refusal on the form: next to its field when the form has that field, else above the form."""
    report_to_form(form, exc)


def next_step(objection: Objection) -> str:
    """What the case waits for now, in one sentence (shown on the work page and after each step)."""
    if objection.status == Status.DECIDED or objection.status == Status.WITHDRAWN:
        return "无（已结案）。"
    if objection.paused_since:
        return "暂停事项完成后恢复计时，再作出决定。"
    if objection.status == Status.RECEIVED:
        return f"在 {day(objection.mark_due)} 前作出异议标注并开始核查。"
    if objection.assistance_requests.filter(answered_at__isnull=True).exists():
        return f"等待协助单位反馈核查结果，在 {day(objection.decision_due)} 前作出决定。"
    if objection.status == Status.MARKED:
        return f"开始核查，在 {day(objection.decision_due)} 前作出决定。"
    return f"核查后在 {day(objection.decision_due)} 前作出决定。"


DECISION_EFFECT = {
    Outcome.CORRECTED: "系统已更正记录",
    Outcome.DELETED: "系统已删除记录（停止公示和使用）",
    Outcome.UNCHANGED: "记录不变",
}


def done_message(step: str, objection: Objection, data: dict) -> str:
    """What the step did and what comes next (never a bare "已办理。")."""
    then = "下一步：" + next_step(objection)
    if step == "mark":
        return f"已作出异议标注：所涉信用记录标明“异议中”。{then}"
    if step == "review":
        return f"已开始核查，承办人：{actor_label(objection.assigned_to)}。{then}"
    if step == "assign":
        return f"已指定承办人：{actor_label(data['handler'])}，系统已通知承办人。{then}"
    if step == "assistance":
        return f"已请求 {data['department'].name} 协助核查，系统已通知协助单位。{then}"
    if step == "pause":
        return f"已暂停计时（{code_label(data['activity'])}），期间不计入处理期限，系统已通知申请人。{then}"
    if step == "resume":
        return f"已恢复计时，答复期限为 {day(objection.decision_due)}，系统已通知申请人。{then}"
    if step == "extend":
        return f"已延长处理期限，答复期限延长至 {day(objection.decision_due)}，系统已通知申请人。{then}"
    if step == "decide":
        outcome = Outcome(objection.outcome)
        return f"已作出异议处理决定：{outcome.label}。{DECISION_EFFECT[outcome]}，取消异议标注并通知申请人；下一步：无。"
    if step == "answer":
        return f"已反馈协助核查结果，系统已通知承办人。下一步：由承办人在 {day(objection.decision_due)} 前作出决定。"
    return f"已办理。{then}"


def _badge(state: str, extra: str = ""):
    label, fg, bg = STATE_STYLE[state]
    return format_html(
        '<span style="color:{};background:{};padding:1px 6px;border-radius:3px;font-weight:600">{}{}</span>',
        fg, bg, label, extra,
    )


class DeadlineFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", "逾期"), ("today", "今日到期"), ("escalated", "已督办"), ("provisional", "临时推算"),
                ("paused", "暂停计时中")]

    def queryset(self, request, qs):
        today = _today()
        value = self.value()
        if value == "overdue":
            return qs.overdue(today)
        if value == "today":
            return qs.open().filter(
                Q(status=Status.RECEIVED, mark_due=today) | Q(paused_since__isnull=True, decision_due=today)
            )
        if value == "escalated":
            return qs.filter(escalated_at__isnull=False)
        if value == "provisional":
            return qs.open().filter(provisional=True)
        if value == "paused":
            return qs.open().filter(paused_since__isnull=False)
        return qs


class OpenFilter(admin.SimpleListFilter):
    title = _("办理状态")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", "办理中"), ("0", "已结束")]

    def queryset(self, request, qs):
        if self.value() == "1":
            return qs.open()
        if self.value() == "0":
            return qs.exclude(status__in=services.OPEN)
        return qs


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnlyInline):
    model = ObjectionRecord
    fields = ("record", "record_disputed", "outcome", "correction")
    readonly_fields = fields
    verbose_name_plural = "异议记录"

    @admin.display(description="异议标注")
    def record_disputed(self, obj):
        return "异议中" if obj.record.disputed else "—"


class EventInline(ReadOnlyInline):
    model = ObjectionEvent
    fields = ("at", "kind", "actor_label", "note", "public")
    readonly_fields = fields
    ordering = ("at", "id")
    verbose_name_plural = "办理过程（完整时间线）"


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("download", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    @admin.display(description="文件")
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("objections:evidence", args=[obj.objection_id, obj.pk]), obj.original_name)


class AssistanceInline(ReadOnlyInline):
    model = AssistanceRequest
    fields = ("department", "question", "requested_at", "due", "provisional", "answered_at", "answer", "escalated_at")
    readonly_fields = fields


class PauseInline(ReadOnlyInline):
    model = ObjectionPause
    fields = ("activity", "reason", "started_at", "ended_at", "working_days")
    readonly_fields = fields


@admin.register(Objection)
class ObjectionAdmin(GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    # The deadlines next to the number, so they stay on screen at common widths; the rest after them.
    # Eight short columns fit 1,400 px with the filter sidebar; 异议事由/办理单位/督办 are filters (and on the case page).
    list_display = ("number", "deadline", "received_on", "mark_due_col", "decision_due_col", "status", "subject_name",
                    "assigned_to_name")
    list_display_links = ("number",)
    list_filter = (DeadlineFilter, OpenFilter, "status", "ground", "channel", "handling_department", "provisional")
    search_fields = ("number", "applicant_name", "subject__name", "statement")
    ordering = ("decision_due", "mark_due", "pk")
    list_select_related = ("handling_department", "subject", "assigned_to")
    list_per_page = 50
    inlines = (ItemInline, AssistanceInline, PauseInline, EvidenceInline, EventInline)
    change_form_template = "admin/objections/objection/change_form.html"
    change_list_template = "admin/objections/objection/change_list.html"
    fieldsets = (
        ("异议", {"fields": ("number", "status", "ground", "statement", "subject", "channel", "policy_title")}),
        ("申请人", {"fields": ("applicant", "applicant_name", "applicant_phone", "applicant_email")}),
        ("办理", {"fields": ("handling_department", "assigned_to", "registered_by")}),
        ("法定期限", {"fields": ("received_at", "received_on", "mark_due", "decision_due", "decision_cap", "provisional",
                             "assisted", "paused_since", "paused_days", "extended_total_days")}),
        ("结果", {"fields": ("marked_at", "marked_automatically", "review_started_at", "decided_at", "outcome",
                           "decision_reasons", "decided_on_time", "withdrawn_at")}),
        ("督办", {"fields": ("mark_escalated_at", "decision_escalated_at", "escalated_at")}),
    )

    # --- read-only model admin: the services are the only way to change an objection ----------------------
    def get_readonly_fields(self, request, obj=None):
        return [*(f.name for f in Objection._meta.fields), "policy_title"]

    @admin.display(description="适用规则")
    def policy_title(self, obj):
        """The statute's title, not the profile's code (``karamay`` means nothing to a handler)."""
        try:
            return get_policy(obj.policy_code or "").name
        except UnknownPolicy:
            return obj.policy_code or "—"

    def has_add_permission(self, request):
        return access.is_handler(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Every field is read-only: "change" means handling the case (the handle view), which is for those who
        # may handle it — never the auditor or an officer who only reads (a POST of the read-only form is refused).
        if obj is None:
            return access.is_handler(request.user) and self.has_view_permission(request)
        return access.may_handle(request.user, obj)

    def has_view_permission(self, request, obj=None):
        user = request.user
        allowed = user.is_superuser or access.is_handler(user) or roles.has_role(user, roles.DEPARTMENT_OFFICER) or \
            roles.sees_all_departments(user)
        if not allowed:
            return False
        return obj is None or access.objections_visible_to(user).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        return access.objections_visible_to(request.user).select_related(
            "handling_department", "subject", "assigned_to"
        ).annotate(closed_rank=Case(When(OPEN_Q, then=Value(0)), default=Value(1), output_field=IntegerField()))

    def get_ordering(self, request):
        """Open cases first, by the nearest deadline; closed ones after them, never in between."""
        return ("closed_rank", "decision_due", "mark_due", "pk")

    @admin.display(description="承办人", ordering="assigned_to__last_name")
    def assigned_to_name(self, obj):
        user = obj.assigned_to
        if user is None:
            return "—"
        return user.get_full_name() or user.username

    # --- list columns ----------------------------------------------------------------------------------
    @admin.display(description="期限状态", ordering="decision_due")
    def deadline(self, obj):
        if not obj.is_open:
            if obj.status == Status.DECIDED and obj.decided_on_time is False:
                return format_html('<span style="color:#b42318">逾期办结</span>')
            return obj.get_status_display()
        if obj.paused_since:
            return format_html('<span style="color:#475467;font-weight:600">暂停计时</span>')
        return _badge(clock.deadline_state(running_due(obj), _today()), "·已督办" if obj.escalated_at else "")

    @admin.display(description="信用主体", ordering="subject__name")
    def subject_name(self, obj):
        name = str(obj.subject)
        return format_html('<span class="cell-clip" title="{}">{}</span>', name, name)

    @admin.display(description="标注期限", ordering="mark_due")
    def mark_due_col(self, obj):
        if obj.mark_due is None:
            return "—"
        if obj.status == Status.RECEIVED:
            return _badge(clock.deadline_state(obj.mark_due, _today()), f" {obj.mark_due:%Y-%m-%d}")
        return f"{obj.mark_due:%Y-%m-%d}"

    @admin.display(description="答复期限", ordering="decision_due")
    def decision_due_col(self, obj):
        if obj.decision_due is None:
            return "—"
        text = f"{obj.decision_due:%Y-%m-%d}" + ("（临时）" if obj.provisional else "")
        if obj.is_open and not obj.paused_since and obj.status != Status.RECEIVED:
            return _badge(clock.deadline_state(obj.decision_due, _today()), " " + text)
        return text

    @admin.display(description="督办", boolean=True, ordering="escalated_at")
    def escalated(self, obj):
        return obj.escalated_at is not None

    # --- extra pages -------------------------------------------------------------------------------------
    def get_urls(self):
        info = self.admin_site.admin_view
        return [
            path("register/", info(self.register_view), name="objections_objection_register"),
            path("on-time/", info(self.on_time_view), name="objections_objection_on_time"),
            path("<int:pk>/handle/", info(self.handle_view), name="objections_objection_handle"),
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:objections_objection_register"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A read-only role sees the case without a 办理 link (it would only lead to a refusal)."""
        objection = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        may_work = bool(objection and (access.may_handle(request.user, objection) or any(
            access.may_answer_assistance(request.user, r) for r in objection.assistance_requests.filter(answered_at__isnull=True))))
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "may_work": may_work})

    def changelist_view(self, request, extra_context=None):
        today = _today()
        qs = self.get_queryset(request)
        extra_context = {
            **(extra_context or {}),
            "queue_counts": {
                "overdue": qs.overdue(today).count(),
                "today": qs.open().filter(Q(status=Status.RECEIVED, mark_due=today) | Q(paused_since__isnull=True, decision_due=today)).count(),
                "open": qs.open().count(),
                "provisional": qs.open().filter(provisional=True).count(),
            },
            "can_register": access.is_handler(request.user),
        }
        return super().changelist_view(request, extra_context)

    def register_view(self, request):
        """Counter / post intake with the real receipt time."""
        if not access.is_handler(request.user):
            raise PermissionDenied
        form = forms.RegisterObjectionForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                records = self._resolve_records(request.user, form.record_tokens())
                objection = services.file_objection(
                    records=records, ground=form.cleaned_data["ground"], statement=form.cleaned_data["statement"],
                    actor=request.user, channel=form.cleaned_data["channel"], received_at=form.cleaned_data["received_at"],
                    handling_department=access.handling_department_for(request.user, records),
                    applicant_name=form.cleaned_data["applicant_name"],
                    applicant_phone=form.cleaned_data.get("applicant_phone", ""),
                    applicant_email=form.cleaned_data.get("applicant_email", ""),
                    evidence=form.cleaned_data.get("files") or [],
                )
            except DomainError as exc:
                form.add_error(getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields else None,
                               exc.message)
            else:
                messages.success(request, f"已登记异议 {objection.number}。{services._due_sentence(objection)}")
                return HttpResponseRedirect(reverse("admin:objections_objection_change", args=[objection.pk]))
        context = {**self.admin_site.each_context(request), "title": "登记异议（窗口 / 邮寄）", "form": form,
                   "opts": self.model._meta, "policy": clock.policy_for(None)}
        return TemplateResponse(request, "admin/objections/objection/register.html", context)

    @staticmethod
    def _resolve_records(user, tokens):
        qs = access.records_fileable_by(user)
        found, missing = [], []
        for token in tokens:
            if ":" in token:
                code, ref = token.split(":", 1)
                record = qs.filter(source_department__code=code.strip(), source_ref=ref.strip()).first()
            elif token.isdigit():
                record = qs.filter(pk=int(token)).first()
            else:
                record = None
            (found.append(record) if record else missing.append(token))
        if missing:
            raise DomainError("unknown_records", "未找到以下信用记录或无权登记：" + "、".join(missing), field="records")
        return found

    def handle_view(self, request, pk):
        """The case's work page: only the steps its state allows (``objections.rules``), each its own form."""
        objection = get_object_or_404(self.get_queryset(request), pk=pk)
        may_handle = access.may_handle(request.user, objection)
        policy = objection.policy
        open_help = [r for r in objection.assistance_requests.filter(answered_at__isnull=True)
                     if access.may_answer_assistance(request.user, r)]
        if not may_handle and not open_help:
            raise PermissionDenied
        today = _today()
        allowed = rules.allowed_actions(objection, request.user, today=today)
        post = request.POST if request.method == "POST" else None
        step = request.POST.get("step") if post else None
        if post and step != "answer" and step not in allowed:
            if not may_handle:
                raise PermissionDenied
            # A step the case no longer allows (another handler acted first, or a stale page): say why, in its terms.
            messages.error(request, rules.refusal(objection, step or "", today=today) or "该办理事项当前不可办理。")
            return HttpResponseRedirect(reverse("admin:objections_objection_handle", args=[objection.pk]))
        page_forms = self._work_forms(objection, allowed, post if step != "answer" else None, step)
        answer_form = forms.AssistanceAnswerForm(post if step == "answer" else None, prefix="answer")
        form = answer_form if step == "answer" else page_forms.get(step)
        if post and form is not None and form.is_valid():
            try:
                self._do(step, objection, request.user, form.cleaned_data, open_help)
            except SERVICE_ERRORS as exc:
                report_refusal(form, exc)
            else:
                objection.refresh_from_db()
                messages.success(request, done_message(step, objection, form.cleaned_data))
                return HttpResponseRedirect(reverse("admin:objections_objection_handle", args=[objection.pk]))
        objection.refresh_from_db()
        context = {
            **self.admin_site.each_context(request), "title": f"办理异议 {objection.number}", "objection": objection,
            "opts": self.model._meta, "forms": page_forms, "answer_form": answer_form, "policy": policy,
            "policy_title": self.policy_title(objection), "may_handle": may_handle, "open_help": open_help,
            "events": objection.events.all(), "today": today, "assignee": actor_label(objection.assigned_to)
            if objection.assigned_to_id else "未指定", "next_step": next_step(objection),
            "state": clock.deadline_state(running_due(objection), today) if objection.is_open else None,
            "items": objection.items.select_related("record", "record__catalog_item"),
        }
        return TemplateResponse(request, "admin/objections/objection/handle.html", context)

    @staticmethod
    def _work_forms(objection, allowed, post, step):
        """One form per allowed step, bound only for the step that was submitted."""
        policy = objection.policy
        handlers = get_user_model().objects.filter(
            is_active=True, groups__name=roles.OBJECTION_HANDLER
        ).select_related("department").order_by("department__name", "last_name", "first_name", "username").distinct()
        records = [item.record for item in objection.items.select_related("record", "record__catalog_item")]
        makers = {
            "mark": lambda data: forms.NoteForm(data, prefix="mark"),
            "review": lambda data: forms.NoteForm(data, prefix="review"),
            "assign": lambda data: admin_forms.AssignForm(data, prefix="assign", handlers=handlers,
                                                          initial={"handler": objection.assigned_to_id}),
            "assistance": lambda data: forms.AssistanceForm(data, prefix="assistance"),
            "pause": lambda data: forms.PauseForm(data, prefix="pause", activities=policy.objection_pause_activities.value),
            "resume": lambda data: forms.NoteForm(data, prefix="resume"),
            "extend": lambda data: forms.ExtendForm(data, prefix="extend"),
            "decide": lambda data: admin_forms.DecideForm(data, prefix="decide", records=records),
        }
        return {name: makers[name](post if step == name else None) for name in allowed}

    @staticmethod
    def _do(step, objection, user, data, open_help):
        if step == "mark":
            services.mark(objection, actor=user, note=data["note"])
        elif step == "review":
            services.start_review(objection, actor=user, note=data["note"])
        elif step == "assign":
            services.assign(objection, data["handler"], actor=user)
        elif step == "assistance":
            services.request_assistance(objection, department=data["department"], question=data["question"], actor=user)
        elif step == "pause":
            services.pause(objection, activity=data["activity"], reason=data["reason"], actor=user)
        elif step == "resume":
            services.resume(objection, actor=user, note=data["note"])
        elif step == "extend":
            services.extend(objection, approved_by=data["approved_by"], reason=data["reason"],
                            total_days=data.get("total_days"), actor=user)
        elif step == "decide":
            services.decide(objection, outcome=data["outcome"], reasons=data["reasons"],
                            corrections=data.get("corrections") or None, actor=user)
        elif step == "answer":
            request = next((r for r in open_help if r.pk == data["request_id"]), None)
            if request is None:
                raise PermissionDenied
            services.answer_assistance(request, answer=data["answer"], actor=user)

    def on_time_view(self, request):
        """Per-department on-time rate: decided objections answered by their decision date."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        qs = self.get_queryset(request)
        today = _today()
        rows = (
            qs.values("handling_department__name")
            .annotate(
                decided=Count("pk", filter=Q(status=Status.DECIDED)),
                on_time=Count("pk", filter=Q(status=Status.DECIDED, decided_on_time=True)),
                late=Count("pk", filter=Q(status=Status.DECIDED, decided_on_time=False)),
                open=Count("pk", filter=Q(status__in=services.OPEN)),
                overdue=Count("pk", filter=Q(status__in=services.OPEN, paused_since__isnull=True, decision_due__lt=today)
                              | Q(status=Status.RECEIVED, mark_due__lt=today)),
                auto_marked=Count("pk", filter=Q(marked_automatically=True, mark_due__isnull=False)),
                escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
            )
            .order_by("handling_department__name")
        )
        table = []
        for row in rows:
            timed = row["on_time"] + row["late"]
            row["rate"] = f"{row['on_time'] * 100 / timed:.1f}%" if timed else "—"
            table.append(row)
        context = {**self.admin_site.each_context(request), "title": "各部门异议按期办结率", "rows": table,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/objections/objection/on_time.html", context)


@admin.register(Complaint)
class ComplaintAdmin(GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    list_display = ("number", "deadline", "status", "collector_name", "complainant_name", "handling_department",
                    "received_on", "reply_due", "escalated")
    list_filter = ("status", "handling_department", "provisional")
    search_fields = ("number", "collector_name", "complainant_name", "statement")
    ordering = ("reply_due", "pk")
    change_form_template = "admin/objections/complaint/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Complaint._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return access.is_handler(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_handler(request.user) or roles.sees_all_departments(request.user)

    def has_change_permission(self, request, obj=None):
        return access.is_handler(request.user)  # answering is the handler's; the auditor only reads

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("handling_department")
        user = request.user
        if access._is_centre_wide(user):
            return qs
        department = roles.department_of(user)
        return qs.filter(handling_department=department) if department else qs.none()

    @admin.display(description="期限状态", ordering="reply_due")
    def deadline(self, obj):
        if not obj.is_open:
            return "逾期答复" if obj.answered_on_time is False else "已答复"
        return _badge(clock.deadline_state(obj.reply_due, _today()))

    @admin.display(description="督办", boolean=True)
    def escalated(self, obj):
        return obj.escalated_at is not None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/answer/", view(self.answer_view), name="objections_complaint_answer")] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        if not access.is_handler(request.user):
            raise PermissionDenied
        form = forms.ComplaintForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                complaint = complaints.file_complaint(
                    actor=request.user, handling_department=access.handling_department_for(request.user),
                    channel=Channel.COUNTER, **form.cleaned_data,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已受理投诉 {complaint.number}。")
                return HttpResponseRedirect(reverse("admin:objections_complaint_change", args=[complaint.pk]))
        context = {**self.admin_site.each_context(request), "title": "受理信用信息采集投诉", "form": form,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/objections/complaint/form.html", context)

    def answer_view(self, request, pk):
        complaint = get_object_or_404(self.get_queryset(request), pk=pk)
        if not access.is_handler(request.user):
            raise PermissionDenied
        form = forms.ComplaintAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                complaints.answer(complaint, text=form.cleaned_data["answer"], actor=request.user)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "已书面答复。")
                return HttpResponseRedirect(reverse("admin:objections_complaint_change", args=[complaint.pk]))
        context = {**self.admin_site.each_context(request), "title": f"书面答复投诉 {complaint.number}", "form": form,
                   "opts": self.model._meta, "complaint": complaint}
        return TemplateResponse(request, "admin/objections/complaint/form.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        complaint = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "events": complaint.events.all() if complaint else [],
                         "can_answer": bool(complaint and complaint.status != ComplaintStatus.ANSWERED and access.is_handler(request.user))}
        return super().change_view(request, object_id, form_url, extra_context)
