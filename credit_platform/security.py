"""MLPS 2.0 level 3 (等保三级) account rules: password complexity and expiry, three-administrator separation."""

from __future__ import annotations

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PASSWORD_CLASSES = (
    ("lowercase", set(string.ascii_lowercase)),
    ("uppercase", set(string.ascii_uppercase)),
    ("digits", set(string.digits)),
)


def password_classes(password: str) -> int:
    """Count character classes: lower, upper, digits, and anything else (symbols, CJK)."""
    used = {name for name, chars in PASSWORD_CLASSES if any(c in chars for c in password)}
    if any(not (c.isascii() and c.isalnum()) for c in password):
        used.add("other")
    return len(used)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if password_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}


def password_expired(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff", False):
        return False
    changed = getattr(user, "password_changed_at", None)
    return changed is None or timezone.now() - changed > settings.PASSWORD_MAX_AGE


# --- 三员分立: system, security and audit administrators -------------------------------------------------
SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"
THREE_ADMINS = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)


def admin_roles(user) -> set[str]:
    return set(user.groups.filter(name__in=THREE_ADMINS).values_list("name", flat=True))


def can_change_rights(actor, target) -> bool:
    """Whether ``actor`` may change ``target``'s groups, permissions or staff/superuser flags.

    Only the security administrator assigns rights, never to themself, and never to a holder of one of the
    three administrator roles: none of the three can change another's rights (MLPS 2.0 level 3 三员分立).
    The three administrator roles themselves are assigned only by the superuser created at installation.
    """
    if actor.is_superuser:
        return True
    if SECURITY_ADMIN not in admin_roles(actor):
        return False
    if target is None:
        return True
    if actor.pk == target.pk:
        return False
    return not (admin_roles(target) or target.is_superuser)
