"""Who acts on, and who hears about, an objection: handlers, the responsible head, the assisting department."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from credit_platform import roles


def actor_label(actor) -> str:
    """How an actor appears in a timeline: a person with their department, a department system, or 系统."""
    if actor is None:
        return "系统"
    if getattr(actor, "is_department_client", False):
        return f"{actor.department.name}（部门系统）"
    name = (actor.get_full_name() if hasattr(actor, "get_full_name") else "") or getattr(actor, "username", "")
    department = getattr(actor, "department", None)
    return f"{name}（{department.name}）" if department is not None else name


def actor_user(actor):
    """The ``User`` row behind an actor, or ``None`` for a department system or the system itself."""
    User = get_user_model()
    return actor if isinstance(actor, User) else None


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def _with_role(role: str):
    return _active_users().filter(groups__name=role)


def handlers_for(objection) -> list:
    """The assigned handler; otherwise every objection handler of the handling department; otherwise
    the handlers of the credit centre (市社会信用中心)."""
    if objection.assigned_to_id and objection.assigned_to.is_active:
        return [objection.assigned_to]
    users = list(_with_role(roles.OBJECTION_HANDLER).filter(department=objection.handling_department_id))
    if not users:
        users = list(_with_role(roles.OBJECTION_HANDLER).filter(department__is_credit_centre=True))
    return users


def heads_for(department) -> list:
    """The responsible head (负责人) an overdue case is escalated to.

    The platform administrators of the handling department, or — when that department has none (a
    providing department handling an objection itself) — the credit centre's platform administrators,
    who supervise every department's objection handling.
    """
    users = list(_with_role(roles.PLATFORM_ADMIN).filter(department=department))
    if not users:
        users = list(_with_role(roles.PLATFORM_ADMIN).filter(department__is_credit_centre=True))
    return users


def officers_of(department) -> list:
    """A department's credit officers: they receive assistance requests and correction reminders."""
    return list(_with_role(roles.DEPARTMENT_OFFICER).filter(department=department))
