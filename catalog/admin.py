"""Catalog management: versions with their life cycle, items, public comments. Frozen versions are read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from catalog import services
from catalog.models import CatalogComment, CatalogItem, CatalogVersion
from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.exceptions import DomainError
from credit_platform.roles import PLATFORM_ADMIN, has_role


def _manages_catalog(request) -> bool:
    return request.user.is_superuser or has_role(request.user, PLATFORM_ADMIN)


class CatalogItemInline(admin.TabularInline):
    model = CatalogItem
    fields = ("code", "name", "category", "matter_type", "openness", "repairable", "publicity_months_min",
              "publicity_months_max", "update_cycle")
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return bool(obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return bool(obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return bool(obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


class CatalogCommentInline(admin.TabularInline):
    model = CatalogComment
    fields = ("submitted_at", "author_name", "author_kind", "item", "body", "status", "response")
    readonly_fields = ("submitted_at", "author_name", "author_kind", "item", "body")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CatalogVersion)
class CatalogVersionAdmin(GuardedHistoryAdmin):
    list_display = ("title", "level", "version_label", "status", "effective_from", "review_due_display", "item_count")
    list_filter = ("level", "status")
    search_fields = ("title", "version_label")
    inlines = [CatalogItemInline, CatalogCommentInline]
    actions = ["open_comment", "approve_versions", "publish_versions", "new_versions"]
    readonly_fields = ("status", "approved_at", "published_at", "review_due", "based_on", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_items=Count("items"))

    @admin.display(description="条目数", ordering="_items")
    def item_count(self, obj):
        return obj._items

    @admin.display(description="年度评估调整", ordering="review_due")
    def review_due_display(self, obj):
        state = services.review_state(obj)
        if not obj.review_due or not state:
            return "—"
        colours = {"overdue": "#ba2121", "due_soon": "#c77800", "ok": "#417690"}
        labels = {"overdue": "已到期，需评估调整", "due_soon": "即将到期", "ok": "未到期"}
        return format_html('<span style="color:{}">{}（{}）</span>', colours[state], obj.review_due, labels[state])

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [f.name for f in obj._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def _run(self, request, queryset, func, done: str):
        for version in queryset:
            try:
                func(version)
            except DomainError as exc:
                self.message_user(request, f"{version}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{version}：{done}", messages.SUCCESS)

    @admin.action(description="公开征求意见（在门户展示草案）")
    def open_comment(self, request, queryset):
        self._run(request, queryset, services.open_public_comment, "已公开征求意见")

    @admin.action(description="记录批准（须先填写批准文件）")
    def approve_versions(self, request, queryset):
        self._run(request, queryset, lambda v: services.approve(v, approval_document=v.approval_document), "已批准")

    @admin.action(description="公布")
    def publish_versions(self, request, queryset):
        self._run(request, queryset, services.publish, "已公布")

    @admin.action(description="基于所选版本创建新版本（草稿）")
    def new_versions(self, request, queryset):
        for version in queryset:
            draft = services.new_version_from(version, version_label=f"{version.version_label} 修订")
            self.message_user(request, f"已创建草稿：{draft}", messages.SUCCESS)

    def has_module_permission(self, request):
        return super().has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (_manages_catalog(request) or request.method == "GET")


@admin.register(CatalogItem)
class CatalogItemAdmin(GuardedHistoryAdmin):
    list_display = ("code", "name", "category", "matter_type", "version", "openness", "repairable", "provider_codes")
    list_filter = ("category", "matter_type", "openness", "info_kind", "version__level", "version__status", "domain")
    search_fields = ("code", "name", "behaviour", "legal_basis")
    filter_horizontal = ("providers",)
    list_select_related = ("version",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("providers")

    @admin.display(description="提供单位")
    def provider_codes(self, obj):
        return "、".join(d.code for d in obj.providers.all())

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.version.is_editable:
            return [f.name for f in obj._meta.fields] + ["providers"]
        return ()

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.version.is_editable) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CatalogVersion.objects.filter(status__in=CatalogVersion.EDITABLE_STATUSES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CatalogComment)
class CatalogCommentAdmin(admin.ModelAdmin):
    list_display = ("submitted_at", "version", "item", "author_name", "author_kind", "status")
    list_filter = ("status", "version")
    search_fields = ("author_name", "body")
    readonly_fields = ("version", "item", "author_name", "author_kind", "contact", "body", "submitted_at")

    def has_add_permission(self, request):
        return False  # comments come from the public through the portal (services.add_comment); staff answer them
