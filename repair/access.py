"""Who may see and handle what (one place; views, API and admin all ask here).

* **Eligibility of a record** (``GET /api/v1/records/{id}/repair-eligibility/``): the subject's own portal
  users; department systems for the records their department provided or holds (a subscription of the
  department registered as holding it); officials of the credit centre, platform admins, auditors and
  repair reviewers of the credit centre for every record; other officials holding a business role
  (``roles.handles_business``) for their department's records — never the system or security administrator, whatever
  their department (三员分立). Anyone else gets 404 (a record's existence is not disclosed).
* **Handling an application** (accept, refuse, extend, decide, terminate, revoke): superusers and platform
  admins; repair reviewers — of the credit centre (or with no department) for all applications, of another
  department for that department's records; and the deciding department's own system over the API
  (Order 36: the 认定单位 decides).
* **The assigned handler** (承办人) of an application — a repair reviewer chosen by whoever may assign — holds a
  django-guardian object permission on it (``credit_platform.object_permissions.HANDLE_REPAIR``) and handles and
  sees that application, whatever their department; the grant moves with each reassignment.
* **Assigning a handler**: superusers and platform admins, and the repair reviewers who may handle the application
  by their role and department (the deciding department's, or the credit centre's) — not an assigned handler by
  virtue of the assignment alone, and never a department system.
* **Seeing an application**: whoever may handle it, auditors and department officers of the deciding
  department (read only), and the subject's portal users.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.links import can_act_for, subjects_for_user
from credit_platform import object_permissions, roles
from credit_platform.models import User
from records.models import Record, RecordHolding


def _is_client(user) -> bool:
    return bool(getattr(user, "is_department_client", False))


def _centre_wide(user) -> bool:
    if not getattr(user, "is_authenticated", False) or _is_client(user):
        return False
    if roles.sees_all_departments(user):
        return True
    if roles.has_role(user, roles.REPAIR_REVIEWER):
        dept = roles.department_of(user)
        return dept is None or bool(getattr(dept, "is_credit_centre", False))
    return False


def is_official(user) -> bool:
    return getattr(user, "is_authenticated", False) and not _is_client(user) and getattr(user, "kind", "") == "official"


def may_read_statistics(user) -> bool:
    """The per-department repair statistics: a department's system, or an official who may view repair applications
    (as on the admin's statistics page) — not the system or security administrators, whose duties exclude business
    data (separation of duties), nor an objection handler; the audit administrator views everything, these too."""
    if getattr(user, "is_department_client", False):
        return True
    return is_official(user) and (user.has_perm("repair.view_repairapplication")
                                  or user.has_perm("repair.change_repairapplication"))


def records_visible_q(user) -> Q | None:
    """A filter on ``records.Record`` for the officials and systems that may ask eligibility; None = none."""
    if not getattr(user, "is_authenticated", False):
        return None
    if _centre_wide(user):
        return Q()
    dept = roles.department_of(user)
    if dept is None:
        return None
    if _is_client(user) or (is_official(user) and roles.handles_business(user)):
        held = RecordHolding.objects.filter(subscription__department=dept).values("record_id")
        return Q(source_department=dept) | Q(pk__in=held)
    return None


def can_see_record(user, record) -> bool:
    q = records_visible_q(user)
    if q is not None and Record.objects.filter(q, pk=record.pk).exists():
        return True
    return can_act_for(user, record.subject_id)


def may_assign(user, application) -> bool:
    """Who may choose (or change) the application's handler: handling by role and department, not by assignment."""
    if not getattr(user, "is_authenticated", False) or _is_client(user) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False) or roles.has_role(user, roles.PLATFORM_ADMIN):
        return True
    if roles.has_role(user, roles.REPAIR_REVIEWER):
        if _centre_wide(user):
            return True
        dept = roles.department_of(user)
        return dept is not None and dept.pk == application.department_id
    return False


def assignable_handlers(application):
    """The officials an application may be assigned to: active repair reviewers (official accounts)."""
    return (User.objects.filter(is_active=True, is_staff=True, kind="official", groups__name=roles.REPAIR_REVIEWER)
            .distinct().order_by("username"))


def is_assigned_handler(user, application) -> bool:
    """The application's assigned handler (a django-guardian object permission, granted by ``services.assign``)."""
    return (roles.has_role(user, roles.REPAIR_REVIEWER)
            and object_permissions.holds(user, object_permissions.HANDLE_REPAIR, application))


def can_review(user, application) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_client(user):
        return user.department.pk == application.department_id
    return may_assign(user, application) or is_assigned_handler(user, application)


can_handle = can_review


def _held(user, queryset):
    if not roles.has_role(user, roles.REPAIR_REVIEWER):
        return queryset.none()
    return object_permissions.held_queryset(user, object_permissions.HANDLE_REPAIR, queryset)


def review_queryset(user, queryset):
    """Applications the user may handle."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if _is_client(user):
        return queryset.filter(department=user.department)
    if getattr(user, "is_superuser", False) or roles.has_role(user, roles.PLATFORM_ADMIN) or _centre_wide(user) and roles.has_role(user, roles.REPAIR_REVIEWER):
        return queryset
    held = _held(user, queryset.model.objects.all()).values("pk")
    if roles.has_role(user, roles.REPAIR_REVIEWER) and roles.department_of(user):
        return queryset.filter(Q(department=roles.department_of(user)) | Q(pk__in=held))
    return queryset.filter(pk__in=held)


def visible_queryset(user, queryset):
    """Applications the user may see (handlers, auditors, the department's officers, the subject)."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if _is_client(user):
        return queryset.filter(department=user.department)
    if _centre_wide(user) or getattr(user, "is_superuser", False):
        return queryset
    dept = roles.department_of(user)
    if is_official(user) and dept is not None and (
        roles.has_role(user, roles.REPAIR_REVIEWER) or roles.has_role(user, roles.DEPARTMENT_OFFICER)
    ):
        held = _held(user, queryset.model.objects.all()).values("pk")
        return queryset.filter(Q(department=dept) | Q(pk__in=held))
    return queryset.filter(subject__in=subjects_for_user(user))


def can_view(user, application) -> bool:
    return visible_queryset(user, type(application).objects.filter(pk=application.pk)).exists()
