"""Officials' views of subjects and records, scoped by department, with history and a reason on every change.

A department officer sees and changes only their own department's records; the credit centre, auditors and
superusers see all (``credit_platform.roles.sees_all_departments``). Changes go through the same services as
the API (``records.services.changes``): a correction is re-validated against every ingestion rule.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.admin.scope import DepartmentScopePermissionsMixin
from credit_platform.roles import department_of, sees_all_departments
from credit_platform.workdays import local_date
from records import outbox
from records.models import (
    DeadLetter,
    DeliveryStatus,
    DepartmentTimeliness,
    IngestBatch,
    OutboxDelivery,
    ProvincialForward,
    Record,
    RecordChange,
    RecordStatus,
    RelatedPerson,
    Subject,
    Subscription,
)
from records.provincial import retry
from records.rules import Rejection
from records.services.changes import ChangeConflict, correct_record, preview_correction, revoke_record


def scope_records(request, qs):
    if sees_all_departments(request.user):
        return qs
    department = department_of(request.user)
    return qs.filter(source_department=department) if department else qs.none()


class DepartmentScopedAdmin(DepartmentScopePermissionsMixin, admin.ModelAdmin):
    """Limits the queryset to the official's department (``department_field``); a page about one row asks
    ``user.has_perm(perm, row)`` (the department-scope rule backend, ``credit_platform.object_permissions``)."""

    department_field = "source_department"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if sees_all_departments(request.user):
            return qs
        department = department_of(request.user)
        if department is None:
            return qs.none()
        return qs.filter(**{self.department_field: department})


# --- subjects ----------------------------------------------------------------------------------------------
class RelatedPersonInline(admin.TabularInline):
    model = RelatedPerson
    fk_name = "organisation"
    fields = ("role", "person", "since", "until", "source_department")
    raw_id_fields = ("person",)
    extra = 0


@admin.register(Subject)
class SubjectAdmin(GuardedHistoryAdmin):
    list_display = ("name", "masked_identifier", "type", "code_type", "record_count")
    list_filter = ("type", "code_type")
    search_fields = ("=code", "name")
    readonly_fields = ("created_at",)
    inlines = [RelatedPersonInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(_records=Count("records"))
        if sees_all_departments(request.user):
            return qs
        department = department_of(request.user)
        if department is None:
            return qs.none()
        return qs.filter(
            Q(records__source_department=department) | Q(roles_held__organisation__records__source_department=department)
        ).distinct()

    @admin.display(description="证件号码")
    def masked_identifier(self, obj):
        return obj.masked_code

    @admin.display(description="记录数", ordering="_records")
    def record_count(self, obj):
        return obj._records


# --- records -------------------------------------------------------------------------------------------------
class RecordCorrectionForm(forms.ModelForm):
    """The correctable fields plus the mandatory reason (every change carries one)."""

    change_reason = forms.CharField(label="更正理由", widget=forms.Textarea(attrs={"rows": 2}), required=True)
    discovered_on = forms.DateField(label="发现错误之日", required=False, help_text="默认今天；更正期限由此起算")

    class Meta:
        model = Record
        fields = (
            "severity", "procedure", "penalty_types", "basis_number", "basis_issuer", "basis_issued_on",
            "occurred_on", "decided_on", "ended_on", "content", "consent_ref", "guardian_consent_ref", "domain",
        )

    BASIS = {"basis_number": "number", "basis_issuer": "issuer", "basis_issued_on": "issued_on"}

    def patch(self) -> dict:
        patch: dict = {}
        for name in self.changed_data:
            if name in ("change_reason", "discovered_on"):
                continue
            value = self.cleaned_data.get(name)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            if name in self.BASIS:
                patch.setdefault("basis_document", {
                    "number": self.instance.basis_number, "issuer": self.instance.basis_issuer,
                    "issued_on": self.initial.get("basis_issued_on").isoformat() if self.initial.get("basis_issued_on") else None,
                })[self.BASIS[name]] = value
            else:
                patch[name] = value if value != "" else None
        return patch

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        patch = self.patch()
        if not patch:
            raise forms.ValidationError("没有修改任何字段 / nothing changed")
        stored = Record.objects.select_related("subject", "catalog_item").get(pk=self.instance.pk)
        try:
            preview_correction(stored, stored.source_department, patch)
        except Rejection as exc:
            raise forms.ValidationError(f"[{exc.code}] {exc.message()}") from None
        self._patch = patch
        return cleaned


class RecordChangeInline(admin.TabularInline):
    model = RecordChange
    fields = ("kind", "reason", "document_number", "trigger_date", "due_on", "done_at", "on_time", "article")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Record)
class RecordAdmin(DepartmentScopedAdmin, GuardedHistoryAdmin):
    history_revert = False  # a record changes only by correction or revocation, each with its reason
    form = RecordCorrectionForm
    # A compact list (ten squeezed columns made a 9,562 px page): seven short columns, 50 rows a page;
    # 证件号码、严重程度、收到时间 are on the record's page, severity is also a filter.
    list_display = ("source_ref", "subject_name", "item_code", "category", "status", "timeliness", "disputed")
    list_per_page = 50
    list_filter = ("category", "severity", "status", "pushed_late", "disputed", "source_department")
    search_fields = ("=subject__code", "subject__name", "=source_ref")
    list_select_related = ("subject", "catalog_item", "source_department")
    show_full_result_count = False
    inlines = [RecordChangeInline]
    readonly_fields = (
        "subject", "catalog_item", "category", "source_department", "source_ref", "status", "received_at",
        "updated_at", "push_due", "pushed_late", "disputed", "public_from", "public_until", "retain_until",
        "is_minor", "parent", "derived_role", "responsible_persons", "minor_violation", "harm_mitigated",
        "first_offence", "slight_harm", "continuing", "criminal_liability", "lifetime_market_ban", "content_hash",
        "revoke_link",
    )
    history_list_display = ["status", "history_change_reason"]

    def get_fieldsets(self, request, obj=None):
        return [
            ("记录", {"fields": ("source_ref", "source_department", "subject", "catalog_item", "category", "severity",
                                "status", "revoke_link")}),
            ("依据与处罚", {"fields": ("procedure", "penalty_types", "basis_number", "basis_issuer", "basis_issued_on",
                                    "minor_violation", "harm_mitigated", "first_offence", "slight_harm", "continuing",
                                    "criminal_liability", "lifetime_market_ban")}),
            ("日期", {"fields": ("occurred_on", "decided_on", "ended_on", "received_at", "updated_at", "push_due",
                               "pushed_late")}),
            ("内容", {"fields": ("content", "responsible_persons", "consent_ref", "guardian_consent_ref", "domain",
                               "is_minor", "parent", "derived_role")}),
            ("公示（由公示模块设置）", {"fields": ("disputed", "public_from", "public_until", "retain_until")}),
            ("更正", {"fields": ("change_reason", "discovered_on")}),
        ]

    def has_add_permission(self, request):
        return False  # records arrive through the push API

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: history must stay whole

    @admin.display(description="主体", ordering="subject__name")
    def subject_name(self, obj):
        return obj.subject.name

    @admin.display(description="证件号码")
    def subject_identifier(self, obj):
        return obj.subject.masked_code

    @admin.display(description="目录条目", ordering="catalog_item__code")
    def item_code(self, obj):
        return obj.catalog_item.code

    @admin.display(description="推送及时性", ordering="pushed_late")
    def timeliness(self, obj):
        if obj.pushed_late is None:
            return "—"
        if obj.pushed_late:
            return format_html('<span style="color:#ba2121">逾期（期限 {}）</span>', obj.push_due)
        return format_html('<span style="color:#417690">按期</span>')

    @admin.display(description="撤销")
    def revoke_link(self, obj):
        if obj is None or obj.pk is None or obj.status == RecordStatus.REVOKED or obj.parent_id:
            return "—"
        url = reverse("admin:records_record_revoke", args=[obj.pk])
        return format_html('<a class="button" href="{}">依据被撤销或变更 → 撤销记录</a>', url)

    def save_model(self, request, obj, form, change):
        stored = Record.objects.select_related("subject", "catalog_item").get(pk=obj.pk)
        try:
            correct_record(
                stored, stored.source_department, form._patch, reason=form.cleaned_data["change_reason"],
                discovered_on=form.cleaned_data.get("discovered_on"), user=request.user,
            )
        except (Rejection, ChangeConflict) as exc:
            self.message_user(request, f"[{exc.code}] {exc.message()}", messages.ERROR)

    def get_urls(self):
        return [
            path("<int:pk>/revoke/", self.admin_site.admin_view(self.revoke_view), name="records_record_revoke"),
            *super().get_urls(),
        ]

    def revoke_view(self, request, pk):
        record = self.get_queryset(request).filter(pk=pk).first()
        if record is None:
            raise Http404
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                revoke_record(
                    record, record.source_department, reason=data["reason"],
                    document={"number": data["document_number"], "issuer": data["document_issuer"],
                              "issued_on": data["document_date"].isoformat()},
                    basis_action=data["basis_action"], changed_on=data.get("changed_on"), user=request.user,
                )
            except (Rejection, ChangeConflict) as exc:
                form.add_error(None, f"[{exc.code}] {exc.message()}")
            else:
                self.message_user(request, "记录已撤销", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:records_record_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request), "title": f"撤销信用记录 {record.source_ref}", "form": form,
            "record": record, "opts": self.model._meta,
        }
        return render(request, "admin/records/record/revoke.html", context)


class RevokeForm(forms.Form):
    basis_action = forms.ChoiceField(label="依据变化", choices=RecordChange.BasisAction.choices)
    document_number = forms.CharField(label="文书文号", max_length=128)
    document_issuer = forms.CharField(label="制发机关", max_length=200)
    document_date = forms.DateField(label="文书日期")
    changed_on = forms.DateField(label="依据被改变之日", required=False, help_text="默认文书日期")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(RecordChange)
class RecordChangeAdmin(DepartmentScopedAdmin):
    department_field = "department"
    list_display = ("requested_at", "kind", "record", "department", "trigger_date", "due_on", "done_at", "on_time")
    list_filter = ("kind", "on_time", "department")
    search_fields = ("=record__source_ref", "reason", "document_number")
    readonly_fields = [f.name for f in RecordChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IngestBatch)
class IngestBatchAdmin(DepartmentScopedAdmin):
    department_field = "department"
    list_display = ("received_at", "department", "total", "created", "updated", "unchanged", "rejected", "late", "duration_ms")
    list_filter = ("department",)
    readonly_fields = [f.name for f in IngestBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DepartmentTimeliness)
class DepartmentTimelinessAdmin(admin.ModelAdmin):
    """Each providing department's on-time push rate against the profile's deadline."""

    list_display = ("code", "name", "records_total", "records_with_deadline", "records_late", "on_time_rate")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(
            _total=Count("records", filter=Q(records__parent__isnull=True)),
            _with_deadline=Count("records", filter=Q(records__parent__isnull=True, records__pushed_late__isnull=False)),
            _late=Count("records", filter=Q(records__parent__isnull=True, records__pushed_late=True)),
        ).filter(_total__gt=0)
        if not sees_all_departments(request.user):
            department = department_of(request.user)
            qs = qs.filter(pk=department.pk) if department else qs.none()
        return qs

    @admin.display(description="记录数", ordering="_total")
    def records_total(self, obj):
        return obj._total

    @admin.display(description="有推送期限的记录", ordering="_with_deadline")
    def records_with_deadline(self, obj):
        return obj._with_deadline

    @admin.display(description="逾期推送", ordering="_late")
    def records_late(self, obj):
        return obj._late

    @admin.display(description="按期推送率")
    def on_time_rate(self, obj):
        if not obj._with_deadline:
            return "—（本地规定未设具体推送时限，要求及时推送）"
        rate = (obj._with_deadline - obj._late) / obj._with_deadline
        colour = "#417690" if rate >= 0.95 else "#c77800" if rate >= 0.8 else "#ba2121"
        return format_html('<b style="color:{}">{}</b>', colour, f"{rate:.1%}")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProvincialOverdueFilter(admin.SimpleListFilter):
    """Heilongjiang art. 22 para. 2: what missed (or is missing) the provincial forwarding deadline."""

    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("已逾期（未确认或逾期确认）")), ("open", _("逾期且仍未确认")), ("no", _("未逾期"))]

    def queryset(self, request, queryset):
        today = local_date(timezone.now())
        acknowledged = ProvincialForward.Status.ACKNOWLEDGED
        open_late = Q(due_on__lt=today) & ~Q(status=acknowledged)
        if self.value() == "yes":
            return queryset.filter(open_late | Q(status=acknowledged, late=True))
        if self.value() == "open":
            return queryset.filter(open_late)
        if self.value() == "no":
            return queryset.exclude(open_late | Q(status=acknowledged, late=True))
        return queryset


@admin.register(ProvincialForward)
class ProvincialForwardAdmin(DepartmentScopedAdmin):
    """Forwarding to the provincial credit platform: due date, status, acknowledgement; overdue rows in red."""

    department_field = "record__source_department"
    list_display = ("record_link", "kind", "collected_on", "due_display", "status", "overdue_display", "attempts",
                    "acknowledged_at", "ack_id", "last_error_short")
    list_filter = (ProvincialOverdueFilter, "status", "kind", "due_provisional")
    search_fields = ("record__source_ref", "ack_id", "event_id")
    date_hierarchy = "collected_on"
    ordering = ("due_on", "id")
    list_select_related = ("record",)
    readonly_fields = tuple(f.name for f in ProvincialForward._meta.fields if f.name != "claimed_until")
    actions = ("retry_now",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("信用记录"), ordering="record__source_ref")
    def record_link(self, obj):
        url = reverse("admin:records_record_change", args=[obj.record_id])
        return format_html('<a href="{}">{}</a>', url, obj.record.source_ref)

    @admin.display(description=_("推送期限"), ordering="due_on")
    def due_display(self, obj):
        return f"{obj.due_on:%Y-%m-%d}（暂定）" if obj.due_provisional else f"{obj.due_on:%Y-%m-%d}"

    @admin.display(description=_("逾期"), boolean=False)
    def overdue_display(self, obj):
        if not obj.overdue:
            return "—"
        return format_html('<strong style="color:#ba2121">{}</strong>', "已逾期")

    @admin.display(description=_("最近错误"))
    def last_error_short(self, obj):
        return (obj.last_error[:60] + "…") if len(obj.last_error) > 60 else obj.last_error

    @admin.action(description=_("立即重新推送所选未确认记录"), permissions=["view"])
    def retry_now(self, request, queryset):
        if not (request.user.is_superuser or sees_all_departments(request.user)):
            raise PermissionDenied
        count = retry(queryset)
        self.message_user(request, f"已将 {count} 条重新排入推送队列。", messages.SUCCESS)


# --- the change outbox (records.outbox): subscriptions, deliveries, the dead-letter view with a retry action ----


@admin.register(Subscription)
class SubscriptionAdmin(GuardedHistoryAdmin):
    list_display = ("name", "kind", "department", "scope", "url", "active")
    list_filter = ("kind", "scope", "active")
    exclude = ("secret",)
    readonly_fields = ("secret_hint",)

    @admin.display(description="签名密钥")
    def secret_hint(self, obj):
        return f"{obj.secret[:4]}…（创建后只显示前4位）" if obj and obj.secret else "保存后自动生成"


class _DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "subscription", "status", "attempts", "next_attempt_at", "last_status_code", "delivered_at", "acknowledged_at")
    list_filter = ("status", "subscription")
    search_fields = ("event__event_id", "event__record_ref")
    readonly_fields = [f.name for f in OutboxDelivery._meta.fields]
    actions = ["retry"]

    @admin.action(description="重新投递所选记录")
    def retry(self, request, queryset):
        n = outbox.retry_deliveries(queryset)
        self.message_user(request, f"已重新排队 {n} 条投递。", messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(OutboxDelivery)
class OutboxDeliveryAdmin(_DeliveryAdmin):
    """Deliveries still being tried; the dead letters below share the same columns and the retry action."""


@admin.register(DeadLetter)
class DeadLetterAdmin(_DeliveryAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=DeliveryStatus.DEAD)
