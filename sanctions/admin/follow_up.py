"""Commitments, evaluations, interviews and the step log."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html_join

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError
from sanctions import services
from sanctions.admin.common import RefusalAdminMixin, scope, steps_html
from sanctions.models import (
    Commitment,
    Evaluation,
    Interview,
    SanctionEvent,
)


# --- commitments, evaluations, interviews, the step log ------------------------------------------------------------
@admin.register(Commitment)
class CommitmentAdmin(GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    list_display = ("subject", "department", "kind", "title", "licence_decided_on", "verification_due", "status",
                    "reminded_at", "escalated_at")
    list_filter = ("status", "kind", "breach", "decision_revoked")
    search_fields = ("subject__name", "subject__code", "title", "licence_number", "source_ref")
    raw_id_fields = ("subject", "record")
    readonly_fields = ("verification_due", "verification_article", "status", "verified_on", "breach", "record",
                       "decision_revoked", "revocation_number", "revocation_date", "reminded_at", "escalated_at",
                       "step_log")

    def get_queryset(self, request):
        return scope(request, super().get_queryset(request).select_related("subject", "department"))

    @admin.display(description="办理记录")
    def step_log(self, obj):
        return steps_html(obj) if obj.pk else "—"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in obj._meta.fields] + ["step_log"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            c, _ = services.record_commitment(
                department=obj.department, subject=obj.subject, source_ref=obj.source_ref, kind=obj.kind,
                matter=obj.matter, title=obj.title, content=obj.content, made_on=obj.made_on,
                licence_number=obj.licence_number, licence_decided_on=obj.licence_decided_on, actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            raise PermissionDenied(exc.message) from exc
        obj.pk = c.pk


@admin.register(Evaluation)
class EvaluationAdmin(GuardedHistoryAdmin):
    list_display = ("subject", "score", "grade", "tier", "model_version", "computed_at", "recompute_on")
    list_filter = ("grade", "tier", "model_version")
    search_fields = ("subject__name", "subject__code")
    readonly_fields = ("subject", "score", "grade", "tier", "reasons_html", "model_version", "computed_at", "recompute_on")
    fields = readonly_fields
    actions = ["action_recompute"]

    @admin.display(description="评分理由")
    def reasons_html(self, obj):
        # the points are formatted before format_html escapes its arguments (it turns them into strings, which "{:+g}"
        # cannot format: the admin then showed "-" for every evaluation's reasons)
        return format_html_join("", "<div>{}　{}</div>", ((f"{r.get('points', 0):+g}", r.get("text", ""))
                                                          for r in obj.reasons))

    @admin.action(description="重新计算")
    def action_recompute(self, request, queryset):
        for evaluation in queryset.select_related("subject"):
            services.recompute_evaluation(evaluation.subject)

    def has_add_permission(self, request):
        return False


@admin.register(Interview)
class InterviewAdmin(GuardedHistoryAdmin):
    list_display = ("subject", "department", "kind", "held_on", "interviewee", "rectify_by")
    list_filter = ("kind",)
    search_fields = ("subject__name", "subject__code", "interviewee")
    raw_id_fields = ("subject", "records", "severe_entry")
    exclude = ("recorded_by",)

    def get_queryset(self, request):
        return scope(request, super().get_queryset(request).select_related("subject", "department"))

    def save_model(self, request, obj, form, change):
        obj.recorded_by = obj.recorded_by or str(request.user)
        super().save_model(request, obj, form, change)
        if not change:
            services.log_step(obj, "recorded", request.user, obj.reason)


@admin.register(SanctionEvent)
class SanctionEventAdmin(RefusalAdminMixin, admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "step", "actor_label", "reason")
    list_filter = ("step", "content_type")
    search_fields = ("actor_label", "reason")
    readonly_fields = ("content_type", "object_id", "step", "actor_label", "actor", "reason", "data", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
