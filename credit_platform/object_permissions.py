"""Object-level permissions: two mechanisms, each where it fits (DESIGN: "Object permissions with django-guardian").

Model permissions (``credit_platform.roles.ROLE_PERMISSIONS``) say what a role may do to a kind of object; the
object-level rules here say *which* objects one official may view or change. Both answer through Django's
permission API, ``user.has_perm(perm, obj)``, so admin pages (change, history, revert) ask one question.

**A department's own records and their history — a rule backend** (``DepartmentScopeBackend``). Which department
owns a row is already a column of the row (``Record.source_department``, ``RecordChange.department`` …) and the
rule is the same for every row: an official with the model permission may view/change the rows of their own
department; the credit-centre-wide roles (``roles.sees_all_departments``) those of every department. Records are
millions of rows arriving every day through the push API; per-row grants would mean a guardian row per record and
per official, written on every push and rewritten when an official changes department — a second copy of a fact
the row already holds, which can only drift from it. A backend computes the answer from the row instead.

**The assigned handler of a case — a guardian row.** Who handles an objection or a repair application is not a
property of the row's department but an individual decision (指定承办人) about one case, possibly naming an
official of another unit; it is exceptional (one holder per case), must be revocable on reassignment and must
leave the holder's other rights untouched. That is what django-guardian's per-object grants are for:

* the **assigned handler** of an objection holds ``objections.change_objection`` on that objection — granted when
  the case is assigned to them (or they start its review) and taken away from the previous handler — so a handler
  of another unit to whom the credit centre assigns a case may handle that case and no other of the centre's;
* the **assigned handler** of a repair application holds ``repair.change_repairapplication`` on it, the same way
  (``repair.services.assign``).

Both backends sit in ``AUTHENTICATION_BACKENDS`` (department scope after guardian's). The guardian helpers below
ask guardian directly (``ObjectPermissionChecker``) so that neither a model-level grant nor department scope ever
counts as an object grant.
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, get_users_with_perms, remove_perm

from credit_platform import roles

HANDLE_OBJECTION = "objections.change_objection"
HANDLE_REPAIR = "repair.change_repairapplication"


def make_sole_holder(perm: str, obj, user) -> None:
    """``user`` (or nobody, for ``None``) becomes the only user holding ``perm`` on ``obj``."""
    codename = perm.split(".", 1)[1]
    for holder in get_users_with_perms(obj, only_with_perms_in=[codename], with_superusers=False,
                                       with_group_users=False):
        if user is None or holder.pk != user.pk:
            remove_perm(perm, holder, obj)
    if user is not None:
        assign_perm(perm, user, obj)


def holds(user, perm: str, obj) -> bool:
    """Whether ``user`` holds ``perm`` on this very object (model-level permissions do not count)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    return ObjectPermissionChecker(user).has_perm(perm.split(".", 1)[1], obj)


def held_queryset(user, perm: str, queryset):
    """The objects of ``queryset`` on which ``user`` holds ``perm`` themself."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
        return queryset.none()
    return get_objects_for_user(user, perm, klass=queryset, use_groups=False, with_superuser=False,
                                accept_global_perms=False)


# --- department scope: a rule backend ----------------------------------------------------------------------------

#: Department-owned models and the path from a row to its owning department's id. A department officer views and
#: changes only their own department's rows (Record: the providing department, 信息提供单位; sanctions entries: the
#: deciding unit, 认定单位 — Measures for Severe Dishonesty Lists art. 7, the listing unit runs its own procedure).
DEPARTMENT_OWNED: dict[str, str] = {
    "records.record": "source_department_id",
    "records.relatedperson": "source_department_id",
    "records.recordchange": "department_id",
    "records.ingestbatch": "department_id",
    "records.provincialforward": "record.source_department_id",
    "sanctions.redlistentry": "department_id",
    "sanctions.severelistentry": "department_id",
    "sanctions.commitment": "department_id",
    "sanctions.interview": "department_id",
}

#: The actions the scope answers; others (add, delete) are model-level or a workflow's own rule.
SCOPED_ACTIONS = ("view", "change")


def owning_department_id(obj):
    """The id of the department that owns ``obj``, or ``None`` when ``obj`` is not department-owned."""
    path = DEPARTMENT_OWNED.get(getattr(getattr(obj, "_meta", None), "label_lower", ""))
    if path is None:
        return None
    value = obj
    for attr in path.split("."):
        value = getattr(value, attr, None)
        if value is None:
            return None
    return value


def in_department_scope(user, obj) -> bool:
    """Whether ``obj`` lies within ``user``'s department scope (no model permission is consulted here)."""

    if roles.sees_all_departments(user):
        return True
    department = roles.department_of(user)
    owner = owning_department_id(obj)
    return department is not None and owner is not None and owner == department.pk


class DepartmentScopeBackend(BaseBackend):
    """``has_perm(user, "records.change_record", record)``: the model permission, within the department scope.

    Answers only for department-owned objects (``DEPARTMENT_OWNED``) and only view/change; grants nothing at model
    level (``obj=None`` is ``ModelBackend``'s), nothing to department systems, inactive users or citizens. A
    ``True`` here needs the model permission itself, so a read-only role (the auditor) views every department's
    rows but changes none, and a department officer views and changes their own department's only.
    """

    def authenticate(self, request, **credentials):
        return None  # a permission backend only

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or not getattr(user_obj, "is_active", False) or not getattr(user_obj, "is_authenticated", False):
            return False
        if getattr(user_obj, "is_department_client", False) or getattr(user_obj, "kind", "official") != "official":
            return False
        app_label, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        label = obj._meta.label_lower
        if action not in SCOPED_ACTIONS or label not in DEPARTMENT_OWNED or label != f"{app_label}.{model_name}":
            return False
        return user_obj.has_perm(perm) and in_department_scope(user_obj, obj)
