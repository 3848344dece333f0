"""The red list and the severe list with its due-process steps; the register of public bodies."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError
from sanctions import documents, services
from sanctions.admin.common import WorkflowFormMixin, scope, skip_formsets, steps_html
from sanctions.models import (
    Defence,
    PublicBody,
    RedListEntry,
    SevereListEntry,
)


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
        return scope(request, super().get_queryset(request).select_related("subject", "department"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("subject", "department", "criteria", "valid_until", "status", "listed_at", "public", "removed_at",
                    "removal_reason", "removal_because", "step_log")
        return ()

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) if obj is not None else RedListForm.Meta.fields

    @admin.display(description="办理记录")
    def step_log(self, obj):
        return steps_html(obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        entry = services.add_to_red_list(obj.subject, department=obj.department, criteria=obj.criteria,
                                         actor=request.user, valid_until=obj.valid_until)
        obj.pk = entry.pk

    def save_related(self, request, form, formsets, change):
        # The entry is created by the service (which sets its relations) and never changed here: nothing to save.
        skip_formsets(formsets)

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as exc:
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
            except DomainError as exc:
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
        return scope(request, super().get_queryset(request).select_related("subject", "department"))

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
        return steps_html(obj)

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
        # The proposal is created by the service (records and measures included) and every later change is a step of
        # the due process (the defences are entered through the defence step): the change form saves nothing.
        skip_formsets(formsets)

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
