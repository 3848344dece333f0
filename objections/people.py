"""Who hears about an objection: handlers, the responsible head, the assisting department. (Who *acted*, as a
timeline names and stores them, is ``credit_platform.actors``.)"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from credit_platform import roles


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
