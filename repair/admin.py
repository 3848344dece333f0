"""Admin: the review queues (by status and due date, scoped to the reviewer's department), the timeline and
per-department statistics. (Subscriptions, deliveries and the dead-letter view are in ``records.admin``.)"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, DateField, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from credit_platform.actors import actor_label
from credit_platform.admin.display import day
from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError, report_to_form
from credit_platform.policies import UnknownPolicy, get_policy
from credit_platform.workdays import local_date
from repair import access, admin_forms, rules, services
from repair.eligibility import OTHER_LAW
from repair.models import (
    OPEN_Q,
    DepartmentRepairStats,
    NonRepairableMarking,
    RepairApplication,
    RepairEvent,
    RepairEvidence,
    RepairNotice,
    Status,
)
from repair.stats import department_stats


class EventInline(admin.TabularInline):
    model = RepairEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor_label", "reason", "public")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = RepairEvidence
    extra = 0
    can_delete = False
    fields = ("kind", "original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DueFilter(admin.SimpleListFilter):
    title = "期限"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (("overdue", "已逾期"), ("today", "今日到期"), ("open", "办理中"))

    def queryset(self, request, queryset):
        today = local_date(timezone.now())
        qs = queryset.annotate(_due=Coalesce("extended_due", "decision_due", output_field=DateField()))
        if self.value() == "overdue":
            return qs.filter(status=Status.SUBMITTED, accept_due__lt=today) | qs.filter(status=Status.ACCEPTED, _due__lt=today)
        if self.value() == "today":
            return qs.filter(status=Status.SUBMITTED, accept_due=today) | qs.filter(status=Status.ACCEPTED, _due=today)
        if self.value() == "open":
            return qs.filter(status__in=[Status.SUBMITTED, Status.ACCEPTED])
        return queryset


#: What a service raises when it refuses a step (every service of this app raises the platform's ``DomainError``).
SERVICE_ERRORS = (DomainError,)


def report_refusal(form, exc: DomainError) -> None:
    """Put a service's refusal on the form: next to its field when the form has that field, else above the form."""
    report_to_form(form, exc)


def run_step(app, user, action: str, data: dict):
    """Hand one step of the work page to its service."""
    reason = data.get("reason") or ""
    if action == "accept":
        return services.accept(app, actor=user, note=reason)
    if action == "refuse":
        return services.refuse(app, actor=user, reason=reason)
    if action == "extend":
        return services.extend(app, actor=user, until=data["until"], reason=reason)
    if action in ("approve", "reject"):
        return services.decide(app, actor=user, approve=action == "approve", reason=reason)
    if action == "terminate":
        return services.terminate(app, actor=user, ground=data["ground"], reason=reason)
    return services.revoke(app, actor=user, ground=data["ground"], reason=reason)


def next_step(app) -> str:
    """What the application waits for now, in one sentence."""
    if app.status == Status.SUBMITTED:
        return f"在 {day(app.accept_due)} 前受理或作出不予受理决定。"
    if app.status == Status.ACCEPTED:
        return f"审核申请材料，在 {day(app.extended_due or app.decision_due)} 前作出准予或不予修复的决定。"
    if app.status == Status.APPROVED:
        return "无（已修复）；发现弄虚作假等情形的，可撤销修复结果。"
    return "无（已结案）。"


def done_message(action: str, app) -> str:
    """What the step did and what comes next (never a bare "已办理。")."""
    then = "下一步：" + next_step(app)
    if action == "accept":
        return f"已受理信用修复申请 {app.number}，系统已通知申请人。{then}"
    if action == "refuse":
        return f"已作出不予受理决定，系统已通知申请人（附理由）。{then}"
    if action == "extend":
        return f"已延长办理期限至 {day(app.extended_due)}，系统已通知申请人。{then}"
    if action == "approve":
        return f"已作出准予修复决定：系统已修复该失信信息（停止公示、解除相关措施）并通知申请人和订阅单位。{then}"
    if action == "reject":
        return f"已作出不予修复决定，系统已通知申请人（附理由）。{then}"
    if action == "terminate":
        return f"已终止修复程序，系统已通知申请人。{then}"
    return f"已撤销修复结果：该失信信息恢复公示，相关措施恢复，系统已通知订阅单位。{then}"


@admin.register(RepairApplication)
class RepairApplicationAdmin(GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    # Seven short columns, the deadlines right after the number: they fit 1,400 px with the filter sidebar.
    # 失信信息、认定部门、渠道 are on the case page and in the filters.
    list_display = ("number", "received_on", "accept_due", "due_col", "status", "subject_col", "handler_display")
    list_filter = (DueFilter, "status", "channel", "department")
    search_fields = ("number", "record__source_ref", "subject__name", "applicant_name")
    date_hierarchy = "received_at"
    inlines = (EvidenceInline, EventInline)
    # Every field is read-only: the application changes only through the work page's steps (and the assign page).
    exclude = ("policy_code", "eligibility", "effects")
    readonly_fields = (*(f.name for f in RepairApplication._meta.fields
                         if f.name not in ("policy_code", "eligibility", "effects", "id")),
                       "policy_title", "eligibility_on_receipt", "handler_display")
    ordering = ("accept_due", "decision_due", "id")
    change_form_template = "repair/admin_application_change.html"
    change_list_template = "repair/admin_application_changelist.html"

    def get_queryset(self, request):
        # Annotated before ordering: get_ordering() sorts on the annotation (ModelAdmin.get_queryset would order first).
        qs = (
            RepairApplication._default_manager.select_related("record", "subject", "department", "handler__department")
            .annotate(closed_rank=Case(When(OPEN_Q, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by(*self.get_ordering(request))
        )
        return access.visible_queryset(request.user, qs)

    def get_ordering(self, request):
        """Open applications first, by the nearest deadline; closed ones after them, never in between."""
        return ("closed_rank", "accept_due", "decision_due", "id")

    @admin.display(description="承办人", ordering="handler__last_name")
    def handler_display(self, obj):
        return actor_label(obj.handler) if obj.handler_id else "—"

    @admin.display(description="收到", ordering="received_at")
    def received_on(self, obj):
        return f"{local_date(obj.received_at):%Y-%m-%d}"

    @admin.display(description="办结期限", ordering="decision_due")
    def due_col(self, obj):
        if obj.extended_due:
            return f"{obj.extended_due:%Y-%m-%d}（延长）"
        return day(obj.decision_due) + ("（暂定）" if obj.provisional and obj.decision_due else "")

    @admin.display(description="信用主体", ordering="subject__name")
    def subject_col(self, obj):
        name = str(obj.subject)
        return format_html('<span class="cell-clip" title="{}">{}</span>', name, name)

    @admin.display(description="适用规则")
    def policy_title(self, obj):
        """The statute's title, not the profile's code (``karamay`` means nothing to a reviewer)."""
        try:
            return get_policy(obj.policy_code or "").name
        except UnknownPolicy:
            return obj.policy_code or "—"

    @admin.display(description="收到时的资格审查")
    def eligibility_on_receipt(self, obj):
        reasons = (obj.eligibility or {}).get("reasons") or []
        if not obj.eligibility:
            return "—"
        if not reasons:
            return "符合记录条件"
        return format_html_join(format_html("<br>"), "{}（{}）", ((r.get("message", ""), r.get("article", "")) for r in reasons))

    def has_add_permission(self, request):
        return False  # applications come through the portal or the API (paper registrations too)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="repair_application_review"),
                path("<int:pk>/assign/", self.admin_site.admin_view(self.assign_view), name="repair_application_assign"),
                *super().get_urls()]

    def assign_view(self, request, pk: int):
        """指定（变更）承办人: the rule is ``access.may_assign``; the grant is made by ``services.assign``."""
        app = get_object_or_404(self.get_queryset(request), pk=pk)
        if not access.may_assign(request.user, app):
            raise PermissionDenied
        handlers = access.assignable_handlers(app).select_related("department")
        form = admin_forms.AssignForm(request.POST or None, handlers=handlers, initial={"handler": app.handler_id})
        if request.method == "POST" and form.is_valid():
            try:
                services.assign(app, form.cleaned_data["handler"], actor=request.user)
            except SERVICE_ERRORS as exc:
                report_refusal(form, exc)
            else:
                self.message_user(request, f"已指定承办人：{actor_label(form.cleaned_data['handler'])}，系统已通知承办人。"
                                           f"下一步：{next_step(app)}", messages.SUCCESS)
                return redirect("admin:repair_repairapplication_change", app.pk)
        context = {**self.admin_site.each_context(request), "title": f"指定承办人：信用修复申请 {app.number}", "app": app,
                   "form": form, "opts": self.model._meta,
                   "current": actor_label(app.handler) if app.handler_id else "未指定"}
        return TemplateResponse(request, "repair/admin_assign.html", context)

    def review_view(self, request, pk: int):
        """The application's work page: only the steps its state allows (``repair.rules``), each its own form."""
        app = get_object_or_404(self.get_queryset(request), pk=pk)
        if not access.can_review(request.user, app):
            raise PermissionDenied
        policy = services.policy_for(app)
        eligibility = services.check_eligibility(app.record, policy=policy)
        allowed = rules.allowed_actions(app, request.user, policy=policy, eligibility=eligibility)
        action = request.POST.get("action") if request.method == "POST" else None
        if action is not None and action not in allowed:
            self.message_user(request, rules.refusal(app, action, policy=policy, eligibility=eligibility)
                              or "该办理事项当前不可办理。", messages.ERROR)
            return redirect("admin:repair_application_review", app.pk)
        step_forms = {name: admin_forms.step_form(name, request.POST if name == action else None) for name in allowed}
        form = step_forms.get(action)
        if form is not None and form.is_valid():
            try:
                app = run_step(app, request.user, action, form.cleaned_data)
            except SERVICE_ERRORS as exc:
                report_refusal(form, exc)
            else:
                self.message_user(request, done_message(action, app), messages.SUCCESS)
                return redirect("admin:repair_application_review", app.pk)
        context = {**self.admin_site.each_context(request), "title": f"办理信用修复申请 {app.number}", "app": app,
                   "forms": list(step_forms.values()), "opts": self.model._meta, "policy": policy,
                   "policy_title": self.policy_title(app), "eligibility": eligibility,
                   "checks": rules.eligibility_checks(eligibility, policy), "next_step": next_step(app),
                   "handler": actor_label(app.handler) if app.handler_id else "未指定",
                   "can_assign": app.is_open and access.may_assign(request.user, app)}
        return TemplateResponse(request, "repair/admin_review.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        app = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        extra_context["can_review"] = bool(app and access.can_review(request.user, app))
        extra_context["can_assign"] = bool(app and app.is_open and access.may_assign(request.user, app))
        return super().change_view(request, object_id, form_url, extra_context)


class MarkingForm(forms.ModelForm):
    case = forms.ChoiceField(label="不予修复情形")

    class Meta:
        model = NonRepairableMarking
        fields = ("record", "case", "legal_basis", "note", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = services.marking_choices()

    def clean(self):
        data = super().clean()
        if data.get("case") == OTHER_LAW and not (data.get("legal_basis") or "").strip():
            self.add_error("legal_basis", "请写明规定不可修复的法律、法规或政策文件及条款。")
        return data


@admin.register(NonRepairableMarking)
class NonRepairableMarkingAdmin(GuardedHistoryAdmin):
    form = MarkingForm
    list_display = ("record", "case", "active", "marked_by", "marked_at")
    list_filter = ("case", "active")
    raw_id_fields = ("record",)
    readonly_fields = ("marked_by", "marked_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.marked_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RepairNotice)
class RepairNoticeAdmin(admin.ModelAdmin):
    list_display = ("number", "record", "generated_at", "first_delivered_at", "delivery_channel")
    readonly_fields = ("number", "record", "generated_at", "first_delivered_at", "delivered_to", "delivery_channel")
    search_fields = ("number", "record__source_ref")

    def has_add_permission(self, request):
        return False  # the system issues a notice for each dishonesty record (repair.notice), never by hand


@admin.register(DepartmentRepairStats)
class DepartmentRepairStatsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("repair.view_repairapplication")

    def changelist_view(self, request, extra_context=None):
        # The page replaces the admin's own changelist, which is where the view permission is checked: check it here,
        # or any staff account (the system or security administrator, an objection handler) reads the statistics.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        rows = department_stats(access.visible_queryset(request.user, RepairApplication.objects.all()))
        context = {**self.admin_site.each_context(request), "title": "信用修复办理统计", "rows": rows, "opts": self.model._meta}
        return TemplateResponse(request, "repair/admin_stats.html", context)
