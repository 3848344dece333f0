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

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError
from credit_platform.workdays import local_date
from repair import access, services
from repair.models import (
    OPEN_Q,
    DepartmentRepairStats,
    NonRepairableMarking,
    RepairApplication,
    RepairEvent,
    RepairEvidence,
    RepairNotice,
    RevocationGround,
    Status,
)


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


class ReviewForm(forms.Form):
    ACTIONS = (
        ("accept", "受理"),
        ("refuse", "不予受理"),
        ("extend", "延长办理期限（情况复杂）"),
        ("approve", "准予修复"),
        ("reject", "不予修复"),
        ("terminate", "终止修复程序（弄虚作假等）"),
        ("revoke", "撤销修复结果"),
    )
    action = forms.ChoiceField(label="办理事项", choices=ACTIONS)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    until = forms.DateField(label="延长至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ground = forms.ChoiceField(label="撤销/终止事由", choices=[("", "—"), *RevocationGround.choices], required=False)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label="承办人", queryset=None, error_messages={"invalid_choice": "请选择在岗的信用修复审核员。"})

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda u: handler_name(u)


def handler_name(user) -> str:
    if user is None:
        return "—"
    name = user.get_full_name() or user.username
    dept = getattr(user, "department", None)
    return f"{name}（{dept.name}）" if dept else name


def run_review(app, user, data):
    action, reason = data["action"], data.get("reason") or ""
    if action == "accept":
        return services.accept(app, actor=user, note=reason)
    if action == "refuse":
        return services.refuse(app, actor=user, reason=reason)
    if action == "extend":
        if not data.get("until"):
            raise DomainError("until_required", "请填写延长后的办结期限。", field="until")
        return services.extend(app, actor=user, until=data["until"], reason=reason)
    if action in ("approve", "reject"):
        return services.decide(app, actor=user, approve=action == "approve", reason=reason)
    if action == "terminate":
        return services.terminate(app, actor=user, ground=data.get("ground") or "", reason=reason)
    return services.revoke(app, actor=user, ground=data.get("ground") or "", reason=reason)


@admin.register(RepairApplication)
class RepairApplicationAdmin(GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    # The deadlines next to the number, so they stay on screen at common widths (issue 18); the rest after them.
    list_display = ("number", "received_at", "accept_due", "decision_due", "extended_due", "status", "subject",
                    "handler_display", "record", "department", "channel")
    list_filter = (DueFilter, "status", "channel", "department")
    search_fields = ("number", "record__source_ref", "subject__name", "applicant_name")
    date_hierarchy = "received_at"
    inlines = [EvidenceInline, EventInline]
    readonly_fields = [*(f.name for f in RepairApplication._meta.fields if f.name != "handler"), "handler_display"]
    ordering = ("accept_due", "decision_due", "id")

    def get_queryset(self, request):
        # Annotated before ordering: get_ordering() sorts on the annotation (ModelAdmin.get_queryset would order first).
        qs = (
            RepairApplication._default_manager.select_related("record", "subject", "department", "handler__department")
            .annotate(closed_rank=Case(When(OPEN_Q, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by(*self.get_ordering(request))
        )
        return access.visible_queryset(request.user, qs)

    def get_ordering(self, request):
        """Open applications first, by the nearest deadline; closed ones after them, never in between (issue 18)."""
        return ("closed_rank", "accept_due", "decision_due", "id")

    @admin.display(description="承办人", ordering="handler__username")
    def handler_display(self, obj):
        return handler_name(obj.handler)

    change_form_template = "repair/admin_application_change.html"

    def has_add_permission(self, request):
        return False  # applications come through the portal or the API (paper registrations too)

    def get_urls(self):
        return [path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="repair_application_review"),
                path("<int:pk>/assign/", self.admin_site.admin_view(self.assign_view), name="repair_application_assign"),
                *super().get_urls()]

    def assign_view(self, request, pk: int):
        """指定（变更）承办人: the rule is ``access.may_assign``; the grant is made by ``services.assign``."""
        app = get_object_or_404(self.get_queryset(request), pk=pk)
        if not access.may_assign(request.user, app):
            raise PermissionDenied
        form = AssignForm(request.POST or None, handlers=access.assignable_handlers(app), initial={"handler": app.handler_id})
        if request.method == "POST" and form.is_valid():
            try:
                services.assign(app, form.cleaned_data["handler"], actor=request.user)
            except DomainError as exc:
                form.add_error("handler" if exc.field == "handler" else None, exc.message)
            else:
                self.message_user(request, f"已指定承办人：{handler_name(form.cleaned_data['handler'])}。", messages.SUCCESS)
                return redirect("admin:repair_repairapplication_change", app.pk)
        context = {**self.admin_site.each_context(request), "title": f"指定承办人：信用修复申请 {app.number}", "app": app,
                   "form": form, "opts": self.model._meta, "current": handler_name(app.handler)}
        return TemplateResponse(request, "repair/admin_assign.html", context)

    def review_view(self, request, pk: int):
        app = get_object_or_404(self.get_queryset(request), pk=pk)
        if not access.can_review(request.user, app):
            raise PermissionDenied
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run_review(app, request.user, form.cleaned_data)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, "已办理。", messages.SUCCESS)
                return redirect("admin:repair_repairapplication_change", app.pk)
        context = {**self.admin_site.each_context(request), "title": f"办理信用修复申请 {app.number}", "app": app, "form": form,
                   "opts": self.model._meta, "eligibility": services.check_eligibility(app.record)}
        return TemplateResponse(request, "repair/admin_review.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        app = self.get_queryset(request).filter(pk=object_id).first()
        extra_context["can_review"] = bool(app and access.can_review(request.user, app))
        extra_context["can_assign"] = bool(app and app.is_open and access.may_assign(request.user, app))
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


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
        from repair.eligibility import OTHER_LAW

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


@admin.register(DepartmentRepairStats)
class DepartmentRepairStatsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("repair.view_repairapplication")

    def changelist_view(self, request, extra_context=None):
        from repair.stats import department_stats

        rows = department_stats(access.visible_queryset(request.user, RepairApplication.objects.all()))
        context = {**self.admin_site.each_context(request), "title": "信用修复办理统计", "rows": rows, "opts": self.model._meta}
        return TemplateResponse(request, "repair/admin_stats.html", context)
