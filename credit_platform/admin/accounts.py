"""Admin for departments, users and department API tokens, with the MLPS three-administrator separation."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from credit_platform.models import ApiToken, Department, User
from credit_platform.security import THREE_ADMINS, can_change_rights

RIGHTS_FIELDS = ("groups", "user_permissions", "is_staff", "is_superuser")


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "uscc", "is_credit_centre", "active")
    list_filter = ("level", "active", "is_credit_centre")
    search_fields = ("code", "name", "uscc")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "get_full_name", "kind", "department", "is_staff", "is_active", "last_login", "password_changed_at")
    list_filter = ("kind", "department", "is_staff", "is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = DjangoUserAdmin.fieldsets + ((_("平台信息"), {"fields": ("kind", "department", "phone", "password_changed_at")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("平台信息"), {"fields": ("kind", "department")}),)
    readonly_fields = ("password_changed_at", "last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # 三员分立: only the security administrator grants rights, and never to one of the three administrators.
        if not can_change_rights(request.user, obj):
            readonly += [f for f in RIGHTS_FIELDS if f not in readonly]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=THREE_ADMINS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        changed_rights = [f for f in RIGHTS_FIELDS if f in getattr(form, "changed_data", [])]
        if changed_rights and not can_change_rights(request.user, obj if change else None):
            raise PermissionDenied(_("无权修改该用户的权限"))
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("department", "name", "key_prefix", "created_at", "last_used_at", "status")
    list_filter = ("department", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("department__code", "department__name", "name", "key_prefix")
    fields = ("department", "name")
    readonly_fields = ("key_prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_tokens"]

    @admin.display(description=_("状态"))
    def status(self, obj):
        if obj.revoked_at:
            return format_html('<span style="color:#b3261e">{}</span>', _("已吊销"))
        return _("有效")

    def has_change_permission(self, request, obj=None):
        return False  # a token is never edited: revoke it and issue another

    def save_model(self, request, obj, form, change):
        token, raw = ApiToken.issue(obj.department, name=obj.name, created_by=request.user)
        obj.pk = token.pk
        obj.__dict__.update(ApiToken.objects.get(pk=token.pk).__dict__)
        messages.warning(request, format_html(_("新令牌（仅显示这一次，请立即交给部门系统）：<code>{}</code>"), raw))

    @admin.action(description=_("吊销所选令牌"), permissions=["delete"])
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
        self.message_user(request, _("已吊销"))
