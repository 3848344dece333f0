"""Who acted: one way for every timeline (objections, repair, sanctions) to name and store an actor.

An actor is an official or citizen (a ``User``), a department's system (a ``User`` flagged ``is_department_client``),
a name given as text (e.g. a paper applicant written down at the service window), or ``None`` for the platform itself.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

SYSTEM_LABEL = "系统"


def actor_label(actor) -> str:
    """How an actor appears in a timeline: a person with their department, a department system, or 系统."""
    if actor is None:
        return SYSTEM_LABEL
    if isinstance(actor, str):
        return actor[:200]
    if getattr(actor, "is_department_client", False):
        return f"{actor.department.name}（部门系统）"
    name = (actor.get_full_name() if hasattr(actor, "get_full_name") else "") or getattr(actor, "username", "")
    department = getattr(actor, "department", None)
    return (f"{name}（{department.name}）" if department is not None else name)[:200] or SYSTEM_LABEL


def actor_user(actor):
    """The ``User`` row to store in an actor foreign key: ``None`` for a department system, text or the platform."""
    if actor is None or isinstance(actor, str) or getattr(actor, "is_department_client", False):
        return None
    return actor if isinstance(actor, get_user_model()) and actor.pk else None
