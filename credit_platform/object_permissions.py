"""Object-level permissions with django-guardian (DESIGN: "Object permissions with django-guardian").

Model permissions (``credit_platform.roles.ROLE_PERMISSIONS``) say what a role may do to a kind of object; the
object permissions here say *which* objects one official holds beyond their role's department scope:

* the **assigned handler** of an objection holds ``objections.change_objection`` on that objection — granted when
  the case is assigned to them (or they start its review) and taken away from the previous handler — so a handler
  of another unit to whom the credit centre assigns a case may handle that case and no other of the centre's;
* the **assigned handler** of a repair application holds ``repair.change_repairapplication`` on it, the same way
  (``repair.services.assign``).

Guardian's backend is in ``AUTHENTICATION_BACKENDS``; these helpers ask it directly (``ObjectPermissionChecker``)
so that a model-level grant never counts as an object grant.
"""

from __future__ import annotations

from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, get_users_with_perms, remove_perm

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
