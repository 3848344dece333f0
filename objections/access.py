"""Who may file against which records and who may see or handle which objections (no IDOR).

* A department system files only against records its department provided, and sees the objections it
  handles, those about records it provided, and those it was asked to help verify.
* An official needs the objection-handler role (or is a superuser); the credit centre's handlers and those
  who see all departments act on every record, other handlers on their department's and on the cases assigned
  to them (a django-guardian object permission, ``credit_platform.object_permissions``).
* A portal user files only against records of subjects linked to their account and sees only their own.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.links import subjects_for_user
from credit_platform import object_permissions, roles
from credit_platform.models import Department
from objections.models import Objection
from records.models import Record


def is_department_client(actor) -> bool:
    return bool(getattr(actor, "is_department_client", False))


def _is_centre_wide(user) -> bool:
    department = roles.department_of(user)
    return roles.sees_all_departments(user) or bool(department and department.is_credit_centre)


def is_handler(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or roles.has_role(user, roles.OBJECTION_HANDLER)


def may_register(actor) -> bool:
    """Counter/post/API registration: a department system or an objection handler."""
    return is_department_client(actor) or is_handler(actor)


def records_fileable_by(actor):
    """The records ``actor`` may file (or register) an objection against."""
    if is_department_client(actor):
        return Record.objects.filter(source_department=actor.department)
    if is_handler(actor):
        if _is_centre_wide(actor):
            return Record.objects.all()
        department = roles.department_of(actor)
        return Record.objects.filter(source_department=department) if department else Record.objects.none()
    return Record.objects.filter(subject__in=subjects_for_user(actor))


def objections_visible_to(actor):
    qs = Objection.objects.all()
    if is_department_client(actor):
        return _department_scope(qs, actor.department)
    if getattr(actor, "is_staff", False) and (
        is_handler(actor) or roles.has_role(actor, roles.DEPARTMENT_OFFICER) or roles.sees_all_departments(actor)
    ):
        if _is_centre_wide(actor):
            return qs
        department = roles.department_of(actor)
        scoped = _department_scope(qs, department) if department else qs.none()
        if is_handler(actor):  # and the cases assigned to them (django-guardian object permission)
            held = object_permissions.held_queryset(actor, object_permissions.HANDLE_OBJECTION, Objection.objects.all())
            scoped = qs.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=held.values("pk")))
        return scoped
    if getattr(actor, "is_authenticated", False):
        return qs.filter(Q(applicant=actor) | Q(subject__in=subjects_for_user(actor))).distinct()
    return qs.none()


def _department_scope(qs, department):
    ids = (
        Objection.objects.filter(
            Q(handling_department=department)
            | Q(items__record__source_department=department)
            | Q(assistance_requests__department=department)
        )
        .values("pk")
    )
    return qs.filter(pk__in=ids)


def may_handle(actor, objection: Objection) -> bool:
    """Mark, review, extend, pause, decide: a handler of the handling department (or centre-wide), or the
    handling department's own system."""
    if is_department_client(actor):
        return objection.handling_department_id == actor.department.pk
    if not is_handler(actor):
        return False
    if _is_centre_wide(actor):
        return True
    department = roles.department_of(actor)
    if department and department.pk == objection.handling_department_id:
        return True
    # the case's assigned handler, of whatever unit (django-guardian object permission)
    return object_permissions.holds(actor, object_permissions.HANDLE_OBJECTION, objection)


official_may_handle = may_handle


def may_answer_assistance(actor, request) -> bool:
    department = roles.department_of(actor)
    if is_department_client(actor):
        return request.department_id == actor.department.pk
    if getattr(actor, "is_superuser", False):
        return True
    return bool(
        department and department.pk == request.department_id
        and (roles.has_role(actor, roles.DEPARTMENT_OFFICER) or is_handler(actor))
    )


def handling_department_for(actor, records=()) -> Department | None:
    """Where a new objection is handled: the registering department, or — for the portal — the credit centre
    (市社会信用中心, which runs the platform), failing which the department that provided the first record."""
    department = roles.department_of(actor)
    if department is not None and (is_department_client(actor) or is_handler(actor)):
        return department
    centre = Department.objects.filter(is_credit_centre=True, active=True).order_by("pk").first()
    if centre is not None:
        return centre
    records = list(records)
    return records[0].source_department if records else None
