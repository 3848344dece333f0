"""Admin permission checks for one object ask Django's permission API with the object.

Django's ``ModelAdmin.has_view_permission(request, obj)`` / ``has_change_permission(request, obj)`` ask
``user.has_perm(perm)`` without the object, so a model permission alone opened every row's change, history and
revert pages (only each admin's ``get_queryset`` kept another department's rows out). For department-owned models
(``credit_platform.object_permissions.DEPARTMENT_OWNED``) these checks ask ``user.has_perm(perm, obj)``: the
department-scope rule backend answers, so the object-level rule holds on every page that asks about the object —
change form, history list, historical version, revert — whatever the page's own lookup does.
"""

from __future__ import annotations

from django.contrib.auth import get_permission_codename

from credit_platform import object_permissions


class DepartmentScopePermissionsMixin:
    def _object_scoped(self, obj) -> bool:
        return obj is not None and self.opts.label_lower in object_permissions.DEPARTMENT_OWNED

    def _perm(self, action: str) -> str:
        return f"{self.opts.app_label}.{get_permission_codename(action, self.opts)}"

    def has_view_permission(self, request, obj=None):
        if not self._object_scoped(obj):
            return super().has_view_permission(request, obj)
        return request.user.has_perm(self._perm("view"), obj) or request.user.has_perm(self._perm("change"), obj)

    def has_change_permission(self, request, obj=None):
        if not self._object_scoped(obj):
            return super().has_change_permission(request, obj)
        return request.user.has_perm(self._perm("change"), obj)
