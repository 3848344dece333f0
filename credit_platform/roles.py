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


# Model permissions per group, as ``app_label.codename`` glob patterns. Patterns for apps that are not
# installed match nothing. Object-level limits (own department only) are applied on top by each app.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    PLATFORM_ADMIN: (
        "catalog.*", "records.*", "disclosure.*", "sanctions.*", "objections.*", "repair.*",
        "credit_platform.*_calendarday", "credit_platform.*_calendaryear", "credit_platform.view_department",
        "credit_platform.view_statutorynotice",  # notices sent under Heilongjiang 44 / Qufu 61 (issue 15)
    ),
    DEPARTMENT_OFFICER: (
        "catalog.view_*", "records.view_*", "records.add_record", "records.change_record",
        "records.add_subject", "records.change_subject", "records.*_recordchange",
        "objections.view_*", "repair.view_*", "sanctions.view_*",
        # A department runs the severe-list due process, commitments and interviews for its own matters.
        # Entries are never deleted: removal is a step of the process with its own record.
        "sanctions.add_severelistentry", "sanctions.change_severelistentry", "sanctions.add_redlistentry",
        "sanctions.change_redlistentry", "sanctions.add_commitment", "sanctions.change_commitment",
        "sanctions.add_interview", "sanctions.change_interview", "sanctions.add_defence",
        "credit_platform.view_statutorynotice",  # the notices addressed to (or sent by) the officer's department
    ),
    OBJECTION_HANDLER: ("objections.*", "records.view_*", "catalog.view_*"),
    REPAIR_REVIEWER: ("repair.*", "records.view_*", "catalog.view_*"),
    AUDITOR: ("*.view_*",),
    SYSTEM_ADMIN: (
        "credit_platform.*_department", "credit_platform.*_apitoken", "credit_platform.*_calendarday",
        "credit_platform.*_calendaryear", "django_celery_beat.*",
    ),
    SECURITY_ADMIN: ("credit_platform.view_user", "credit_platform.change_user", "credit_platform.add_user", "auth.view_group", "axes.*"),
    AUDIT_ADMIN: ("*.view_*",),
}


def sync_role_groups() -> dict[str, int]:
    """Create the groups and give each the permissions its patterns match. Idempotent."""
    from fnmatch import fnmatchcase

    from django.contrib.auth.models import Group, Permission

    permissions = list(Permission.objects.select_related("content_type"))
    counts = {}
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        patterns = ROLE_PERMISSIONS.get(role, ())
        matched = [
            p for p in permissions
            if any(fnmatchcase(f"{p.content_type.app_label}.{p.codename}", pattern) for pattern in patterns)
        ]
        group.permissions.set(matched)
        counts[role] = len(matched)
    return counts
