"""Which subjects a portal account may act for, and how an account gets there (real-name verification).

``subjects_for_user(user)`` is the one question every app asks ("whose record is this citizen allowed to see or
object to?"): the subjects the user verified as themselves, plus the enterprises they are a verified agent of.
Officials, department systems and anonymous users act for no subject.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from disclosure.identity import VerifiedIdentity


def _links(user):
    from disclosure.models import SubjectLink

    return SubjectLink.objects.filter(user=user, revoked_at__isnull=True)


def subjects_for_user(user) -> QuerySet:
    """``records.Subject`` rows the user may act for (empty for anonymous users, officials and API clients)."""
    from records.models import Subject

    if not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False) or not getattr(user, "pk", None):
        return Subject.objects.none()
    links = _links(user).filter(code_type=OuterRef("code_type"), code=OuterRef("code"))
    return Subject.objects.filter(Exists(links))


def can_act_for(user, subject) -> bool:
    return subject is not None and subjects_for_user(user).filter(pk=subject.pk).exists()


def primary_subject(user):
    """The subject the portal shows first: the person themselves, else their first enterprise."""
    subjects = subjects_for_user(user)
    links = list(_links(user).order_by("role", "id").values_list("code_type", "code", "role"))
    by_key = {(s.code_type, s.code): s for s in subjects}
    for role in ("self", "agent"):
        for code_type, code, link_role in links:
            if link_role == role and (code_type, code) in by_key:
                return by_key[(code_type, code)]
    return None


@transaction.atomic
def link_identity(user, identity: VerifiedIdentity, *, evidence: str = ""):
    """Record a verified identity on an account (idempotent). An enterprise identity links the user as its agent."""
    from disclosure.models import SubjectLink

    role = SubjectLink.Role.AGENT if identity.kind == "enterprise" else SubjectLink.Role.SELF
    link, created = SubjectLink.objects.get_or_create(
        user=user, code_type=identity.code_type, code=identity.code,
        defaults={"name": identity.name, "role": role, "verified_by": identity.method, "evidence": evidence[:200]},
    )
    if not created and link.revoked_at is not None:
        link.revoked_at = None
        link.verified_by = identity.method
        link.save(update_fields=["revoked_at", "verified_by"])
    return link


def self_account_exists(identity: VerifiedIdentity) -> bool:
    from disclosure.models import SubjectLink

    return SubjectLink.objects.filter(
        code_type=identity.code_type, code=identity.code, role=SubjectLink.Role.SELF, revoked_at__isnull=True
    ).exists()
