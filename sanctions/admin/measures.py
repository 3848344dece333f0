"""Measure lists, measures and matters; the joint check log and each department's feedback rate."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError
from credit_platform.privacy import IdentifierSearchMixin
from credit_platform.roles import sees_all_departments
from sanctions import joint_check, services
from sanctions.admin.common import RefusalAdminMixin, scope, steps_html
from sanctions.models import (
    CheckedMeasure,
    DepartmentFeedbackRate,
    JointCheck,
    Matter,
    Measure,
    MeasureComment,
    MeasureList,
)


# --- measure lists ------------------------------------------------------------------------------------------------
class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    show_change_link = True
    filter_horizontal = ("matters",)
    fields = ("code", "name", "kind", "tier", "trigger", "categories", "severities", "grades", "domains", "matters",
              "target", "target_types", "means", "implementer", "legal_basis", "basis_level", "rights_impact", "clean_record_condition",
              "withdrawn")

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class MeasureCommentInline(admin.TabularInline):
    model = MeasureComment
    extra = 0
    fields = ("author", "organisation", "content", "submitted_at", "response")


@admin.register(MeasureList)
class MeasureListAdmin(RefusalAdminMixin, GuardedHistoryAdmin):
    list_display = ("title", "level", "version_label", "status", "published_at", "effective_from", "review_due", "measure_count")
    list_filter = ("level", "status")
    search_fields = ("title", "version_label", "approval_document")
    inlines = [MeasureInline, MeasureCommentInline]
    readonly_fields = ("status", "approved_at", "published_at", "repealed_at", "superseded_by", "review_due", "step_log")
    actions = ["action_open_comment", "action_approve", "action_publish", "action_new_version"]

    @admin.display(description="措施数")
    def measure_count(self, obj):
        return obj.measures.count()

    @admin.display(description="办理记录")
    def step_log(self, obj):
        return steps_html(obj) if obj.pk else "—"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [f.name for f in obj._meta.fields if f.name not in MeasureList.LIFECYCLE_FIELDS] + list(self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def _each(self, request, queryset, func, done: str):
        for lst in queryset:
            try:
                func(lst)
                messages.success(request, f"{lst}：{done}")
            except DomainError as exc:
                messages.error(request, f"{lst}：{exc.message} {exc.fields or ''}")

    @admin.action(description="公开征求意见")
    def action_open_comment(self, request, queryset):
        self._each(request, queryset, lambda lst: services.open_public_comment(lst, actor=request.user), "已公开征求意见")

    @admin.action(description="批准（使用清单上填写的批准文件）")
    def action_approve(self, request, queryset):
        self._each(request, queryset, lambda lst: services.approve_list(lst, actor=request.user,
                                                                        approval_document=lst.approval_document), "已批准")

    @admin.action(description="公布")
    def action_publish(self, request, queryset):
        self._each(request, queryset, lambda lst: services.publish_list(lst, actor=request.user), "已公布")

    @admin.action(description="基于所选清单创建新版本草稿")
    def action_new_version(self, request, queryset):
        self._each(request, queryset, lambda lst: services.new_list_version(
            lst, actor=request.user, version_label=f"{lst.version_label}-修订"), "已创建新版本草稿")


@admin.register(Measure)
class MeasureAdmin(RefusalAdminMixin, GuardedHistoryAdmin):
    list_display = ("code", "name", "kind", "tier", "trigger", "rights_impact", "measure_list", "list_status", "withdrawn")
    list_filter = ("kind", "tier", "trigger", "rights_impact", "measure_list__status", "measure_list__level", "withdrawn")
    search_fields = ("code", "name", "legal_basis", "implementer")
    filter_horizontal = ("matters", "implementing_departments")

    @admin.display(description="清单状态")
    def list_status(self, obj):
        return obj.measure_list.get_status_display()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.measure_list.is_editable:
            return [f.name for f in obj._meta.fields if f.name != "withdrawn"] + ["matters", "implementing_departments"]
        return ()

    def save_model(self, request, obj, form, change):
        if change and set(form.changed_data) == {"withdrawn"} and not obj.measure_list.is_editable:
            if obj.withdrawn:
                services.withdraw_measure(obj, actor=request.user, reason="管理后台停止实施")
            return
        super().save_model(request, obj, form, change)


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "query_purpose", "commitment_route", "active", "sort_order")
    list_editable = ("active", "sort_order")
    search_fields = ("code", "name")


# --- the joint check log and feedback rates ------------------------------------------------------------------------
class CheckedMeasureInline(admin.TabularInline):
    model = CheckedMeasure
    extra = 0
    fields = ("measure", "kind", "because", "outcome", "reason", "reported_at", "reported_by", "lifted_at", "lifted_reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JointCheck)
class JointCheckAdmin(RefusalAdminMixin, IdentifierSearchMixin, admin.ModelAdmin):
    identifier_hash_fields = ("subject_code_hash",)  # search by a full ID number finds the masked rows
    list_display = ("asked_at", "department", "requested_by", "subject_code", "matter", "measure_count", "feedback")
    list_filter = ("matter", "department")
    search_fields = ("subject_code", "check_id", "requested_by")
    date_hierarchy = "asked_at"
    inlines = [CheckedMeasureInline]
    readonly_fields = ("check_id", "department", "requested_by", "subject", "subject_code", "matter", "asked_at",
                       "policy_code", "answer")

    def get_queryset(self, request):
        return scope(request, super().get_queryset(request).select_related("department", "matter"))

    @admin.display(description="返回措施")
    def measure_count(self, obj):
        return len(obj.answer.get("measures", []))

    @admin.display(description="反馈")
    def feedback(self, obj):
        results = list(obj.results.values_list("outcome", flat=True))
        if not results:
            return "—"
        pending = results.count("pending")
        return "待反馈 %d / %d" % (pending, len(results)) if pending else "已全部反馈"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DepartmentFeedbackRate)
class DepartmentFeedbackRateAdmin(admin.ModelAdmin):
    """Each department's joint-check feedback rate (Qufu art. 41: 实现自动比对和自动反馈; the centre reports on it)."""

    list_display = ("code", "name", "checks", "returned", "applied", "not_applied", "pending", "rate")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        self._rates = {row["department"].pk: row for row in joint_check.feedback_rates()}
        return scope(request, super().get_queryset(request).filter(pk__in=list(self._rates)), field="pk")

    def _row(self, obj):
        return getattr(self, "_rates", {}).get(obj.pk, {})

    @admin.display(description="比对次数")
    def checks(self, obj):
        return self._row(obj).get("checks", 0)

    @admin.display(description="返回措施数")
    def returned(self, obj):
        return self._row(obj).get("returned", 0)

    @admin.display(description="已实施")
    def applied(self, obj):
        return self._row(obj).get("applied", 0)

    @admin.display(description="未实施（书面说明理由）")
    def not_applied(self, obj):
        return self._row(obj).get("not_applied", 0)

    @admin.display(description="待反馈")
    def pending(self, obj):
        return self._row(obj).get("pending", 0)

    @admin.display(description="反馈率")
    def rate(self, obj):
        rate = self._row(obj).get("rate")
        if rate is None:
            return "—（无需反馈）"
        colour = "#417690" if rate >= 0.95 else "#c77800" if rate >= 0.8 else "#ba2121"
        return format_html('<b style="color:{}">{}</b>', colour, f"{rate:.1%}")

    def changelist_view(self, request, extra_context=None):
        problems = joint_check.audit_applied() if sees_all_departments(request.user) else []
        extra_context = {**(extra_context or {}), "title": "部门奖惩反馈率"}
        if sees_all_departments(request.user):
            if problems:
                messages.error(request, f"核验发现 {len(problems)} 项已实施措施不符合公布或过惩相当要求，请立即处理。")
            else:
                messages.info(request, "核验：所有已实施措施均为比对时已公布、与失信程度相适应的措施。")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
