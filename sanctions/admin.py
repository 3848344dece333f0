"""Officials' admin for incentives and punishments (Simplified Chinese).

Every step goes through ``sanctions.services`` (the same functions the API calls), so the admin cannot skip due
process. Officers see their own department's entries; the credit centre, auditors and superusers see all.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.privacy import IdentifierSearchMixin
from credit_platform.roles import department_of, sees_all_departments
from sanctions import documents, joint_check, services
from sanctions.models import (
    CheckedMeasure,
    Commitment,
    Defence,
    DepartmentFeedbackRate,
    Evaluation,
    Interview,
    JointCheck,
    Matter,
    Measure,
    MeasureComment,
    MeasureList,
    PublicBody,
    RedListEntry,
    SanctionEvent,
    SevereListEntry,
)


def _scope(request, qs, field: str = "department"):
    if sees_all_departments(request.user):
        return qs
    department = department_of(request.user)
    if department is None:
        return qs.none()
    # A proxy of Department (DepartmentFeedbackRate) is filtered on its own key: a Department instance is not one.
    return qs.filter(**{field: department.pk if field == "pk" else department})


def _steps_html(obj):
    steps = services.steps_of(obj).order_by("at", "id")
    if not steps:
        return "—"
    return format_html(
        "<table><tr><th>时间</th><th>步骤</th><th>操作人</th><th>理由</th></tr>{}</table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         ((f"{e.at:%Y-%m-%d %H:%M}", STEP_LABELS.get(e.step, e.step), e.actor, e.reason) for e in steps)),
    )


STEP_LABELS = {
    "public_comment": "公开征求意见", "approved": "批准", "published": "公布", "repealed": "废止", "withdrawn": "停止实施",
    "created_from": "创建新版本", "listed": "列入", "removed": "移出", "proposed": "拟列入", "notified": "事先告知",
    "defence_submitted": "陈述申辩", "defence_reviewed": "复核", "not_listed": "不予列入", "publicity_stopped": "终止公示",
    "restored": "恢复", "repair_noted": "修复（仍有其他依据）", "recorded": "登记", "reminded": "提醒", "escalated": "逾期督办",
    "lifted": "停止实施措施", "feedback_applied": "反馈：已实施", "feedback_not_applied": "反馈：未实施",
}


class WorkflowFormMixin:
    """Run a service step from an admin form and show a refusal as a form error."""

    def run_step(self, request, form, func, success: str):
        try:
            func()
        except services.WorkflowError as exc:
            form.add_error(None, exc.message)
            for name, problems in (exc.fields or {}).items():
                if name in form.fields:
                    form.add_error(name, "；".join(str(p) for p in problems))
            return False
        messages.success(request, success)
        return True


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
class MeasureListAdmin(GuardedHistoryAdmin):
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
        return _steps_html(obj) if obj.pk else "—"

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
            except services.WorkflowError as exc:
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
class MeasureAdmin(GuardedHistoryAdmin):
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
class JointCheckAdmin(IdentifierSearchMixin, admin.ModelAdmin):
    identifier_hash_fields = ("subject_code_hash",)  # search by a full ID number finds the masked rows
    list_display = ("asked_at", "department", "requested_by", "subject_code", "matter", "measure_count", "feedback")
    list_filter = ("matter", "department")
    search_fields = ("subject_code", "check_id", "requested_by")
    date_hierarchy = "asked_at"
    inlines = [CheckedMeasureInline]
    readonly_fields = ("check_id", "department", "requested_by", "subject", "subject_code", "matter", "asked_at",
                       "policy_code", "answer")

    def get_queryset(self, request):
        return _scope(request, super().get_queryset(request).select_related("department", "matter"))

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
        return _scope(request, super().get_queryset(request).filter(pk__in=list(self._rates)), field="pk")

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


# --- red list ---------------------------------------------------------------------------------------------------
class RedListForm(forms.ModelForm):
    class Meta:
        model = RedListEntry
        fields = ("subject", "department", "criteria", "valid_until")


@admin.register(RedListEntry)
class RedListEntryAdmin(GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    form = RedListForm
    list_display = ("subject", "department", "status", "listed_at", "valid_until", "public", "removal_reason")
    list_filter = ("status", "public", "removal_reason")
    search_fields = ("subject__name", "subject__code")
    raw_id_fields = ("subject",)
    actions = ["action_withdraw"]

    def get_queryset(self, request):
        return _scope(request, super().get_queryset(request).select_related("subject", "department"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("subject", "department", "criteria", "valid_until", "status", "listed_at", "public", "removed_at",
                    "removal_reason", "removal_because", "step_log")
        return ()

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) if obj is not None else RedListForm.Meta.fields

    @admin.display(description="办理记录")
    def step_log(self, obj):
        return _steps_html(obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        entry = services.add_to_red_list(obj.subject, department=obj.department, criteria=obj.criteria,
                                         actor=request.user, valid_until=obj.valid_until)
        obj.pk = entry.pk

    def save_related(self, request, form, formsets, change):
        return

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except services.WorkflowError as exc:
            messages.error(request, f"不能列入：{exc.message}")
            return HttpResponseRedirect(request.path)

    @admin.action(description="撤销所选名单（移出）")
    def action_withdraw(self, request, queryset):
        for entry in queryset:
            services.remove_from_red_list(entry, reason=RedListEntry.Removal.WITHDRAWN, actor=request.user,
                                          note="认定单位撤销")


# --- severe list ----------------------------------------------------------------------------------------------------
class ProposalForm(forms.ModelForm):
    class Meta:
        model = SevereListEntry
        fields = ("subject", "department", "records", "reasons", "basis", "measures", "term_months",
                  "removal_conditions", "removal_procedure", "remedies")

    def clean(self):
        data = super().clean()
        subject = data.get("subject")
        if subject is not None:
            try:
                services.validate_proposal(subject, reasons=data.get("reasons", ""), basis=data.get("basis", ""),
                                           records=data.get("records") or [], measures=data.get("measures") or [],
                                           term_months=data.get("term_months"))
            except services.WorkflowError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


class NoticeForm(forms.Form):
    notice_number = forms.CharField(label="告知书文号", max_length=128)
    delivery = forms.CharField(label="送达方式", max_length=200, required=False, initial="平台送达并邮寄")
    defence_days = forms.IntegerField(label="陈述申辩期限（工作日）", min_value=1, required=False,
                                      help_text="适用规则规定天数的，不得少于规定；未规定的，须在此确定")


class DefenceForm(forms.Form):
    statement = forms.CharField(label="陈述申辩意见", widget=forms.Textarea)
    evidence = forms.CharField(label="事实、理由和证据", widget=forms.Textarea, required=False)
    channel = forms.ChoiceField(label="方式", choices=Defence.Channel.choices, initial=Defence.Channel.PAPER)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="复核结论", choices=SevereListEntry.Review.choices)
    reasons = forms.CharField(label="复核理由", widget=forms.Textarea)


class DecisionForm(forms.Form):
    decision_number = forms.CharField(label="决定书文号", max_length=128)


class RemovalForm(forms.Form):
    reason = forms.ChoiceField(label="移出原因", choices=[
        (SevereListEntry.Removal.TERM_END, "期限届满"), (SevereListEntry.Removal.DECISION_REVOKED, "认定决定被撤销"),
        (SevereListEntry.Removal.COURT_REMOVED, "人民法院删除失信信息")])
    note = forms.CharField(label="说明", widget=forms.Textarea)


class DefenceInline(admin.TabularInline):
    model = Defence
    extra = 0
    fields = ("submitted_at", "channel", "statement", "evidence", "late", "submitted_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SevereListEntry)
class SevereListEntryAdmin(WorkflowFormMixin, GuardedHistoryAdmin):
    history_revert = False  # changes only through the workflow's steps, each recorded with its clock
    form = ProposalForm
    list_display = ("subject", "department", "source", "status", "defence_due", "listed_on", "term_end", "public",
                    "removal_reason")
    list_filter = ("status", "source", "public", "removal_reason")
    search_fields = ("subject__name", "subject__code", "decision_number", "notice_number", "court_case_number")
    raw_id_fields = ("subject", "records")
    filter_horizontal = ("measures",)
    inlines = [DefenceInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return _scope(request, super().get_queryset(request).select_related("subject", "department"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ProposalForm.Meta.fields
        return ("actions_html", "subject", "department", "source", "status", "parent", "linked_role", "reasons", "basis",
                "records_html", "measures_html", "term_months", "removal_conditions", "removal_procedure", "remedies",
                "notice_number", "notified_at", "delivery", "defence_days", "defence_article", "defence_due",
                "review_outcome", "review_reasons", "reviewed_at", "decision_number", "decided_at", "decided_by",
                "listed_on", "term_end", "public", "removed_at", "removal_reason", "removal_note", "publicity_stop_due",
                "publicity_stop_article", "publicity_stopped_at", "publicity_stopped_late", "court_case_number", "step_log")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else ()

    @admin.display(description="办理记录")
    def step_log(self, obj):
        return _steps_html(obj)

    @admin.display(description="认定依据的失信信息")
    def records_html(self, obj):
        return format_html_join("", "<div>{} {}（{}，{}）</div>", (
            (r.pk, r.catalog_item.name, r.get_severity_display(), r.basis_number)
            for r in obj.records.select_related("catalog_item")))

    @admin.display(description="失信惩戒措施提示")
    def measures_html(self, obj):
        return format_html_join("", "<div>{} {}</div>", ((m.code, m.name) for m in obj.measures.all()))

    @admin.display(description="下一步")
    def actions_html(self, obj):
        links = []
        base = "admin:sanctions_severelistentry_"
        S = SevereListEntry.Status
        if obj.status == S.DRAFT:
            links.append(("事先告知", reverse(base + "notice", args=[obj.pk])))
        if obj.status in (S.NOTIFIED, S.LISTED):
            links.append(("录入书面陈述申辩", reverse(base + "defence", args=[obj.pk])))
            if obj.defences.exists():
                links.append(("复核陈述申辩", reverse(base + "review", args=[obj.pk])))
        if obj.status == S.NOTIFIED:
            links.append(("作出列入决定", reverse(base + "decide", args=[obj.pk])))
        if obj.status == S.LISTED and obj.parent_id is None:
            links.append(("移出名单", reverse(base + "remove", args=[obj.pk])))
        if obj.notice_number:
            links.append(("告知书 PDF", reverse(base + "document", args=[obj.pk, "notice"])))
        if obj.decision_number and obj.source != SevereListEntry.Source.LINKED:
            links.append(("决定书 PDF", reverse(base + "document", args=[obj.pk, "decision"])))
        return format_html_join(" | ", '<a href="{}">{}</a>', ((url, label) for label, url in links)) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        entry = services.propose_severe_listing(
            data["subject"], department=data["department"], reasons=data["reasons"], basis=data["basis"],
            records=data.get("records") or [], measures=data.get("measures") or [], term_months=data.get("term_months"),
            removal_conditions=data.get("removal_conditions", ""), removal_procedure=data.get("removal_procedure", ""),
            remedies=data.get("remedies", ""), actor=request.user,
        )
        obj.pk = entry.pk

    def save_related(self, request, form, formsets, change):
        return

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/notice/", view(self.step_view), {"step": "notice"}, name="sanctions_severelistentry_notice"),
            path("<int:pk>/defence/", view(self.step_view), {"step": "defence"}, name="sanctions_severelistentry_defence"),
            path("<int:pk>/review/", view(self.step_view), {"step": "review"}, name="sanctions_severelistentry_review"),
            path("<int:pk>/decide/", view(self.step_view), {"step": "decide"}, name="sanctions_severelistentry_decide"),
            path("<int:pk>/remove/", view(self.step_view), {"step": "remove"}, name="sanctions_severelistentry_remove"),
            path("<int:pk>/document/<str:kind>/", view(self.document_view), name="sanctions_severelistentry_document"),
        ] + super().get_urls()

    def _entry(self, request, pk, *, change: bool):
        entry = self.get_queryset(request).filter(pk=pk).first()
        if entry is None:
            raise Http404
        if change and not self.has_change_permission(request, entry):
            raise PermissionDenied
        return entry

    STEPS = {
        "notice": ("事先告知（告知事由、依据和权利）", NoticeForm),
        "defence": ("录入书面或口头陈述申辩", DefenceForm),
        "review": ("复核陈述申辩", ReviewForm),
        "decide": ("作出列入严重失信主体名单决定", DecisionForm),
        "remove": ("移出严重失信主体名单", RemovalForm),
    }

    def step_view(self, request, pk, step):
        entry = self._entry(request, pk, change=True)
        title, form_class = self.STEPS[step]
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            funcs = {
                "notice": lambda: services.send_prior_notice(entry, actor=request.user, notice_number=d["notice_number"],
                                                             delivery=d["delivery"], defence_days=d["defence_days"]),
                "defence": lambda: services.submit_defence(entry, statement=d["statement"], evidence=d["evidence"],
                                                           user=None, channel=d["channel"]),
                "review": lambda: services.review_defence(entry, outcome=d["outcome"], reasons=d["reasons"],
                                                          actor=request.user),
                "decide": lambda: services.decide_listing(entry, actor=request.user, decision_number=d["decision_number"]),
                "remove": lambda: services.remove_from_severe_list(entry, reason=d["reason"], actor=request.user,
                                                                   note=d["note"]),
            }
            if self.run_step(request, form, funcs[step], f"{title}：已完成"):
                return HttpResponseRedirect(reverse("admin:sanctions_severelistentry_change", args=[entry.pk]))
        context = {**self.admin_site.each_context(request), "title": title, "entry": entry, "form": form,
                   "opts": self.model._meta}
        return render(request, "sanctions/admin_step.html", context)

    def document_view(self, request, pk, kind):
        entry = self._entry(request, pk, change=False)
        if kind not in ("notice", "decision"):
            raise Http404
        html = documents.notice_html(entry) if kind == "notice" else documents.decision_html(entry)
        pdf = documents.render_pdf(html)
        if pdf is None:
            return HttpResponse(html)
        response = HttpResponse(pdf, content_type="application/pdf")
        number = entry.notice_number if kind == "notice" else entry.decision_number
        response["Content-Disposition"] = f'inline; filename="{kind}-{entry.pk}.pdf"; filename*=UTF-8\'\'{number}.pdf'
        return response


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
        return _scope(request, super().get_queryset(request).select_related("subject", "department"))

    @admin.display(description="办理记录")
    def step_log(self, obj):
        return _steps_html(obj) if obj.pk else "—"

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
        except services.WorkflowError as exc:
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
        return format_html_join("", "<div>{:+g}　{}</div>", ((r.get("points", 0), r.get("text", "")) for r in obj.reasons))

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
        return _scope(request, super().get_queryset(request).select_related("subject", "department"))

    def save_model(self, request, obj, form, change):
        obj.recorded_by = obj.recorded_by or str(request.user)
        super().save_model(request, obj, form, change)
        if not change:
            services.log_step(obj, "recorded", request.user, obj.reason)


@admin.register(SanctionEvent)
class SanctionEventAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "step", "actor", "reason")
    list_filter = ("step", "content_type")
    search_fields = ("actor", "reason")
    readonly_fields = ("content_type", "object_id", "step", "actor", "actor_user", "reason", "data", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False



@admin.register(PublicBody)
class PublicBodyAdmin(GuardedHistoryAdmin):
    """The register Heilongjiang art. 44 notices are addressed from: each public body's superior, audit,
    supervisory and personnel bodies."""

    list_display = ("subject", "kind", "superior_display", "audit_display", "own_department", "updated_at")
    list_filter = ("kind",)
    search_fields = ("subject__name", "subject__code", "superior_name", "audit_body_name")
    raw_id_fields = ("subject",)
    fieldsets = (
        (None, {"fields": ("subject", "kind", "own_department")}),
        (_("单位被列入名单时通报"), {"fields": ("superior", "superior_name", "audit_body", "audit_body_name")}),
        (_("工作人员被列入名单时通报"), {"fields": ("supervisory_body", "supervisory_body_name", "personnel_body",
                                          "personnel_body_name")}),
    )

    @admin.display(description=_("上一级人民政府或主管部门"))
    def superior_display(self, obj):
        return obj.superior_name or (obj.superior.name if obj.superior else "—")

    @admin.display(description=_("审计机关"))
    def audit_display(self, obj):
        return obj.audit_body_name or (obj.audit_body.name if obj.audit_body else "—")
