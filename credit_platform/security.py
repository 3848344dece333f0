"""MLPS 2.0 level 3 (等保三级) account rules: password complexity and expiry, three-administrator separation."""

from __future__ import annotations

import re
import string

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

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


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's list of 20,000 common passwords, also seen through the usual disguises.

    ``Admin@123`` is ``admin123`` with a capital and a symbol, and ``P@ssw0rd!`` is ``password``: the plain check
    lets both through because it only lower-cases. A password is refused when it is a common one once case,
    symbols and separators are dropped, once the digits and symbols around a word are trimmed, or once the usual
    look-alike characters (@ → a, 0 → o, 1 → i or l, 3 → e, $ → s) are read as letters.
    """

    _LOOKALIKES = (str.maketrans("@4031!$5", "aaoeiiss"), str.maketrans("@4031!$5", "aaoelsss"))

    def candidates(self, password: str) -> set[str]:
        lowered = password.lower().strip()
        alnum = re.sub(r"[\W_]+", "", lowered)
        core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
        out = {lowered, alnum, core}
        for table in self._LOOKALIKES:
            for base in (lowered, core):
                plain = base.translate(table)
                out |= {plain, re.sub(r"[\W_]+", "", plain)}
        # A bare word of one or two letters left after trimming says nothing about the password.
        return {c for c in out if len(c) >= 4}

    def validate(self, password, user=None):
        if self.candidates(password) & self.passwords:
            raise ValidationError(_("该密码过于常见（去掉大小写、符号和数字后仍是常见密码），请另设。"), code="password_too_common")

    def get_help_text(self):
        return _("密码不能是常见密码，也不能是常见密码加大写字母、符号或数字的变形（如 Admin@123）。")


def is_official(user) -> bool:
    """An official's account (staff, superuser or of the official kind), as opposed to a citizen, an enterprise
    agent or a department system's token identity."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False):
        return False
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
                or getattr(user, "kind", "") == "official")


def password_expired(user) -> bool:
    """MLPS 2.0 level 3 (GB/T 22239-2019 8.1.4.1 a): an official's password is changed periodically."""
    if not is_official(user):
        return False
    changed = getattr(user, "password_changed_at", None)
    return changed is None or timezone.now() - changed > settings.PASSWORD_MAX_AGE


# --- one door for officials ----------------------------------------------------------------------------------
# What an official's session still lacks before it may be used for anything. Checked for every request by
# ``credit_platform.middleware.OfficialSessionMiddleware`` and again for the API by
# ``credit_platform.api.authentication.OfficialSessionAuthentication``, whichever door the session came through
# (the admin login, the portal login, a session used for the API).
GAP_OTP_SETUP = "otp_setup_required"
GAP_OTP_VERIFY = "otp_required"
GAP_PASSWORD_EXPIRED = "password_expired"
GAP_MESSAGES = {
    GAP_OTP_SETUP: "工作人员须先绑定动态验证码（第二重身份鉴别）/ enrol a second factor first",
    GAP_OTP_VERIFY: "工作人员须先输入动态验证码（第二重身份鉴别）/ second factor required",
    GAP_PASSWORD_EXPIRED: "密码已超过有效期，须先修改密码 / the password has expired and must be changed",
}


def official_session_gap(user) -> str | None:
    """``None`` when ``user`` may proceed, otherwise the first thing the session lacks.

    MLPS 2.0 level 3 (GB/T 22239-2019 8.1.4.1 d): administrators authenticate with two kinds of credential, one
    of them cryptographic — the TOTP second factor, required when ``OFFICIAL_OTP_REQUIRED`` is on. The second
    factor comes before the password change: an expired password alone never changes the password of an
    account that has a second factor, and the official is led to the change form once, after verifying.
    """
    if not is_official(user):
        return None
    if settings.OFFICIAL_OTP_REQUIRED:
        verified = getattr(user, "is_verified", None)
        if not (callable(verified) and verified()):  # no OTPMiddleware in front: fail closed

            return GAP_OTP_VERIFY if user_has_device(user, confirmed=True) else GAP_OTP_SETUP
    if password_expired(user):
        return GAP_PASSWORD_EXPIRED
    return None


# --- 三员分立: system, security and audit administrators -------------------------------------------------
SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"
THREE_ADMINS = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)


def admin_roles(user) -> set[str]:
    return set(user.groups.filter(name__in=THREE_ADMINS).values_list("name", flat=True))


#: rights the security administrator does not assign: a single permission outside the roles, superuser status.
#: Rights are given as roles (groups, defined in code by ``setup_roles``); anything finer is the installation
#: superuser's — a single permission such as ``auth.change_group`` would let its holder rewrite any role, the
#: three administrators' included.
SUPERUSER_ONLY_RIGHTS = ("user_permissions", "is_superuser")


def may_define_roles(actor) -> bool:
    """Whether ``actor`` may add, change or delete a role (group) and its permissions: the superuser only (roles are
    defined in code and restored by ``setup_roles``; the security administrator assigns them, never edits them)."""
    return bool(actor.is_superuser)


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


def can_change_credentials(actor, target) -> bool:
    """Whether ``actor`` may reset ``target``'s password or second factor through the admin.

    The security administrator resets the credentials of business officials and citizens; nobody but the superuser
    resets a peer administrator's (system, security, audit) or a superuser's, and nobody resets their own this way
    (one's own password is changed with the old one, one's own authenticator re-enrolled after a reset by another):
    otherwise a security administrator could take over the superuser's account (MLPS 2.0 level 3 三员分立).
    """
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    if SECURITY_ADMIN not in admin_roles(actor):
        return False
    if target is None:
        return True
    if actor.pk == target.pk:
        return False
    return not (admin_roles(target) or target.is_superuser)

