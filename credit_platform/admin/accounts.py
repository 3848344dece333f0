"""Admin for departments, users and department API tokens, with the MLPS three-administrator separation."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin, UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # noqa: F401  (registers the library's admin, replaced below)
from django_otp.plugins.otp_totp.models import TOTPDevice

from credit_platform import roles
from credit_platform.admin.history import GuardedHistoryAdmin
from credit_platform.models import ApiToken, Department, User
from credit_platform.security import (
    SECURITY_ADMIN,
    SUPERUSER_ONLY_RIGHTS,
    SYSTEM_ADMIN,
    THREE_ADMINS,
    admin_roles,
    can_change_credentials,
    can_change_rights,
    may_define_roles,
)

RIGHTS_FIELDS = ("groups", "user_permissions", "is_staff", "is_superuser")


@admin.register(Department)
class DepartmentAdmin(GuardedHistoryAdmin):
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
        elif not request.user.is_superuser:
            readonly += [f for f in SUPERUSER_ONLY_RIGHTS if f not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A peer administrator's or a superuser's account is read-only to everyone but the superuser.
        return obj is None or request.user.is_superuser or not (obj.is_superuser or admin_roles(obj)) or obj.pk == request.user.pk

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, id)
        if target is not None and not can_change_credentials(request.user, target):
            raise PermissionDenied(_("无权重置该用户的密码"))
        return super().user_change_password(request, id, form_url)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=THREE_ADMINS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        changed_rights = [f for f in RIGHTS_FIELDS if f in getattr(form, "changed_data", [])]
        if changed_rights and not can_change_rights(request.user, obj if change else None):
            raise PermissionDenied(_("无权修改该用户的权限"))
        if not request.user.is_superuser and set(changed_rights) & set(SUPERUSER_ONLY_RIGHTS):
            raise PermissionDenied(_("单项权限和超级用户身份只能由超级用户授予"))
        super().save_model(request, obj, form, change)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(DjangoGroupAdmin):
    """Roles (groups) are defined in code (``setup_roles``): officials who may view them see them; only the
    superuser may add, change or delete one (``security.may_define_roles``) — otherwise a holder of
    ``auth.change_group`` could add any permission to any role, the three administrators' included."""

    def has_add_permission(self, request):
        return may_define_roles(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return may_define_roles(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_define_roles(request.user) and super().has_delete_permission(request, obj)


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

    def has_add_permission(self, request):
        # 三员分立: issued by the department's own officer (shown once to them), never by an administrator
        return super().has_add_permission(request) and roles.may_issue_token(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("department")
        if request.user.is_superuser or roles.sees_all_departments(request.user) or roles.has_role(request.user, SYSTEM_ADMIN):
            return qs
        department = roles.department_of(request.user)
        return qs.filter(department=department) if department else qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department" and not request.user.is_superuser:
            department = roles.department_of(request.user)
            kwargs["queryset"] = Department.objects.filter(pk=department.pk if department else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not roles.may_issue_token(request.user, obj.department):
            raise PermissionDenied
        token, raw = ApiToken.issue(obj.department, name=obj.name, created_by=request.user)
        obj.pk = token.pk
        obj.__dict__.update(ApiToken.objects.get(pk=token.pk).__dict__)
        messages.warning(request, format_html(_("新令牌（仅显示这一次，请立即交给部门系统）：<code>{}</code>"), raw))

    @admin.action(description=_("吊销所选令牌"), permissions=["delete"])
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
        self.message_user(request, _("已吊销"))


# --- second factors: nobody reads another official's TOTP secret or QR code ---------------------------------------

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Which officials have an authenticator, without its secret: django-otp's own admin shows the key and the QR
    code (whoever reads them can generate the official's codes). The security administrator resets a device
    (deletes it; the official enrols again at the next sign-in), never a peer administrator's or a superuser's."""

    list_display = ("user", "name", "confirmed", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "name")
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields

    def get_urls(self):
        # drop the library's config/qrcode views: only the enrolment page shows a secret, to its owner
        return admin.ModelAdmin.get_urls(self)

    def has_add_permission(self, request):
        return False  # an official enrols their own authenticator at /admin/otp/setup/

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_superuser or SECURITY_ADMIN in admin_roles(request.user)) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return can_change_credentials(request.user, obj.user if obj is not None else None)

    def get_actions(self, request):
        return {}  # deletion one device at a time, each checked against its owner

