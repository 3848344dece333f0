"""Business roles (groups) and the questions every app asks about a user's department.

Object-level access that depends on the department goes through ``department_of`` and the querysets
each app scopes by it; django-guardian object permissions are used where one object is shared across
departments (e.g. an objection assigned to a handler of another unit).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.contrib.auth.models import Group, Permission

from credit_platform.security import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN, is_official

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


# --- separation of duties (MLPS 2.0 level 3, 三员分立) -------------------------------------------------------
# The system, security and audit administrators run the platform and the auditor reads the trail: none of them
# handles credit business, so none reads business data beyond what auditing the trail needs — no subject
# queries, no evidence, no department credentials (GB/T 22239-2019 8.1.4.2 d: 授予管理用户所需的最小权限,
# 实现管理用户的权限分离).
DUTY_RESTRICTED_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN, AUDITOR)
# Business roles whose duties include looking up a subject's full record for a statutory purpose.
SUBJECT_QUERY_ROLES = (PLATFORM_ADMIN, DEPARTMENT_OFFICER, OBJECTION_HANDLER)


def is_duty_restricted(user) -> bool:
    """Holds one of the three administrator roles or the auditor role (whatever else it holds)."""
    return any(has_role(user, role) for role in DUTY_RESTRICTED_ROLES)


def handles_business(user) -> bool:
    """An official account holding a business role and neither the system nor the security administrator role: the
    only officials a department's business data is shown to by virtue of their department (三员分立 — the system and
    security administrators run the platform and read no business data, whichever department they belong to)."""
    if not _is_official_account(user) or has_role(user, SYSTEM_ADMIN) or has_role(user, SECURITY_ADMIN):
        return False
    return any(has_role(user, role) for role in BUSINESS_ROLES)


def reads_business_data(user) -> bool:
    """A department's system, or an official who handles business (``handles_business``) or audits it read-only
    (the audit administrator). Never the system or the security administrator (三员分立)."""
    if getattr(user, "is_department_client", False):
        return True
    if handles_business(user):
        return True
    return (_is_official_account(user) and has_role(user, AUDIT_ADMIN)
            and not has_role(user, SYSTEM_ADMIN) and not has_role(user, SECURITY_ADMIN))


def _is_official_account(user) -> bool:
    return is_official(user)


def may_query_subjects(user) -> bool:
    """Government query by purpose (政务共享查询): a department's system, or an official of a department whose
    business role needs it — never one of the three administrators, the auditor or the repair reviewer alone."""
    if getattr(user, "is_department_client", False):
        return True
    if not _is_official_account(user) or not getattr(user, "department_id", None) or is_duty_restricted(user):
        return False
    return any(has_role(user, role) for role in SUBJECT_QUERY_ROLES)


def may_read_evidence(user) -> bool:
    """Officials who handle cases may open the evidence of the cases they see; the administrators and the
    auditor never download a citizen's evidence (each app still decides which cases an official sees)."""
    return _is_official_account(user) and not is_duty_restricted(user)


def may_issue_token(user, department=None) -> bool:
    """A department's API credential is issued to the department by its own credit officer (or by the
    superuser at installation), and shown once to whoever issues it: never to the system administrator, who
    would otherwise hold a court's credential in clear."""
    if not _is_official_account(user) or is_duty_restricted(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    own = department_of(user)
    if own is None or not has_role(user, DEPARTMENT_OFFICER):
        return False
    return department is None or department.pk == own.pk


def department_of(user):
    """The department a user or a department system acts for (``None`` for citizens and the public)."""
    return getattr(user, "department", None)


# Model permissions per group, as ``app_label.codename`` glob patterns. Patterns for apps that are not
# installed match nothing. Object-level limits (own department only) are applied on top by each app.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    PLATFORM_ADMIN: (
        "catalog.*", "records.*", "accounts.*", "disclosure.*", "sanctions.*", "objections.*", "repair.*",
        "credit_platform.*_calendarday", "credit_platform.*_calendaryear", "credit_platform.view_department",
        "credit_platform.view_statutorynotice",  # notices sent under Heilongjiang 44 / Qufu 61
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
        # issues its own department's API credentials (roles.may_issue_token); revoking is the system admin's
        "credit_platform.add_apitoken", "credit_platform.view_apitoken",
    ),
    OBJECTION_HANDLER: ("objections.*", "records.view_*", "catalog.view_*"),
    REPAIR_REVIEWER: ("repair.*", "records.view_*", "catalog.view_*"),
    AUDITOR: ("*.view_*",),
    SYSTEM_ADMIN: (
        # tokens: sees them (never their key) and revokes them (the delete permission), never issues one
        "credit_platform.*_department", "credit_platform.view_apitoken", "credit_platform.delete_apitoken",
        "credit_platform.*_calendarday",
        "credit_platform.*_calendaryear", "django_celery_beat.*",
    ),
    # users and their second factors (reset = delete a device; never a peer administrator's or a superuser's)
    SECURITY_ADMIN: ("credit_platform.view_user", "credit_platform.change_user", "credit_platform.add_user", "auth.view_group", "axes.*",
                     "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice"),
    AUDIT_ADMIN: ("*.view_*",),
}


def sync_role_groups() -> dict[str, int]:
    """Create the groups and give each the permissions its patterns match. Idempotent."""

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
