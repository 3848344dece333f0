"""Business roles (groups) and the questions every app asks about a user's department.

Object-level access that depends on the department goes through ``department_of`` and the querysets
each app scopes by it; django-guardian object permissions are used where one object is shared across
departments (e.g. an objection assigned to a handler of another unit).
"""

from __future__ import annotations

from credit_platform.security import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN

PLATFORM_ADMIN = "平台管理员"  # 信用中心: manages catalog, lists, calendar; sees all departments
DEPARTMENT_OFFICER = "部门信用专员"  # a department's officer: only their department's records
OBJECTION_HANDLER = "异议处理员"
REPAIR_REVIEWER = "修复审核员"
AUDITOR = "审计员"  # read-only

BUSINESS_ROLES = (PLATFORM_ADMIN, DEPARTMENT_OFFICER, OBJECTION_HANDLER, REPAIR_REVIEWER, AUDITOR)
ALL_ROLES = BUSINESS_ROLES + (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
        return False
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_cache = cache
    return role in cache


def sees_all_departments(user) -> bool:
    """The credit centre, auditors and superusers see every department's data; others only their own."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, PLATFORM_ADMIN) or has_role(user, AUDITOR) or has_role(user, AUDIT_ADMIN)


def department_of(user):
    """The department a user or a department system acts for (``None`` for citizens and the public)."""
    return getattr(user, "department", None)
