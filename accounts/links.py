"""Which subjects a portal account may act for, and how an account gets there (real-name verification).

``subjects_for_user(user)`` is the one question every app asks ("whose record is this citizen allowed to see or
object to?"): the subjects the user verified as themselves, plus the enterprises they are a verified agent of.
Officials, department systems and anonymous users act for no subject.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.identity import VerifiedIdentity
from accounts.models import SubjectLink
from credit_platform.privacy import identifier_hash, is_personal_code_type
from records.models import Subject


def _links(user):
    """The user's live links: not revoked, and not past the end of the letter that made them (if any)."""
    return SubjectLink.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))


def _acts_for_no_one(user) -> bool:
    """Anonymous users, department systems and officials act for no subject on the portal (officials use the admin)."""
    return (not getattr(user, "is_authenticated", False) or getattr(user, "is_department_client", False)
            or not getattr(user, "pk", None) or is_official(user))


def is_official(user) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)
                or getattr(user, "kind", "") == "official")


def subject_handle(user, subject) -> str:
    """An opaque handle for ``subject`` in this user's URLs (``/my/?subject=…``): never the identifier itself.

    A keyed hash of (user, subject): stable for the user, meaningless to anyone reading an access log, and useless
    to another account."""
    message = f"portal-subject:{getattr(user, 'pk', '')}:{subject.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def subject_for_handle(user, handle: str, subjects=None):
    """The subject among those the user acts for whose handle is ``handle``, else None."""
    handle = (handle or "").strip()
    if not handle:
        return None
    for subject in subjects if subjects is not None else subjects_for_user(user):
        if hmac_equal(subject_handle(user, subject), handle):
            return subject
    return None


def hmac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def subjects_for_user(user) -> QuerySet:
    """``records.Subject`` rows the user may act for (empty for anonymous users, officials and API clients)."""
    if _acts_for_no_one(user):
        return Subject.objects.none()
    return Subject.objects.filter(Exists(_links(user).filter(subject=OuterRef("pk"))))


def identifier_hashes_for_user(user) -> QuerySet:
    """Keyed hashes of the identifiers the user verified (to match grants naming them)."""
    if _acts_for_no_one(user):
        return SubjectLink.objects.none().values("code_hash")
    return _links(user).values("code_hash")


def links_for_subject(subject) -> QuerySet:
    """The live links to ``subject`` (whose accounts to notify), found by its identifier's keyed hash."""
    return SubjectLink.objects.filter(code_type=subject.code_type, code_hash=identifier_hash(subject.code),
                                      revoked_at__isnull=True)


def can_act_for(user, subject) -> bool:
    return subject is not None and subjects_for_user(user).filter(pk=subject.pk).exists()


def primary_subject(user):
    """The subject the portal shows first: the person themselves, else their first enterprise."""
    if _acts_for_no_one(user):
        return None
    for link in _links(user).filter(subject__isnull=False).select_related("subject").order_by("role", "id"):
        if link.role == "self":
            return link.subject
    link = _links(user).filter(subject__isnull=False, role="agent").select_related("subject").order_by("id").first()
    return link.subject if link else None


PENDING_RECHECK_SECONDS = 600


def resolve_pending_links(user) -> int:
    """Attach the subject to the user's links verified before the platform held anything about them.

    Only the hash and mask of a person's number are kept, so the candidates are the natural persons whose number
    has the same first and last four characters (and the verified name), and the keyed hash decides. It scans the
    subjects table, so it runs at most every ``PENDING_RECHECK_SECONDS`` per user (when they log in or open their
    own pages). Subjects created one by one (admin, demo) attach at once (``attach_links_to_subject``).
    Returns how many links were attached.
    """
    if _acts_for_no_one(user):
        return 0
    pending = list(_links(user).filter(subject__isnull=True))
    # The cache key keeps its pre-issue-16 name, so a deploy does not reset every user's recheck interval.
    if not pending or not cache.add(f"disclosure:pending-links:{user.pk}", 1, PENDING_RECHECK_SECONDS):
        return 0
    attached = 0
    for link in pending:
        candidates = Subject.objects.filter(code_type=link.code_type)
        if is_personal_code_type(link.code_type):
            head, tail = link.code[:4], link.code[-4:]
            candidates = candidates.filter(code__startswith=head, code__endswith=tail, name=link.name)
        else:
            candidates = candidates.filter(code=link.code)
        for subject in candidates[:50]:
            if identifier_hash(subject.code) == link.code_hash:
                link.subject = subject
                link.save(update_fields=["subject"])
                attached += 1
                break
    return attached


def attach_links_to_subject(subject) -> int:
    """A new subject: attach the links verified under its identifier before it existed."""
    return SubjectLink.objects.filter(code_type=subject.code_type, code_hash=identifier_hash(subject.code),
                                      subject__isnull=True).update(subject=subject)


@transaction.atomic
def link_identity(user, identity: VerifiedIdentity, *, evidence: str = ""):
    """Record a verified identity on an account (idempotent). An enterprise identity links the user as its agent.

    Linking again with a fresh proof renews the link: it is un-revoked and no longer bound to an old letter's end
    (``accounts.agents.approve_letter`` sets the new letter's end afterwards)."""
    if is_official(user):
        raise ValueError("officials act for no subject on the portal")  # a caller's bug, not a citizen's refusal
    role = SubjectLink.Role.AGENT if identity.kind == "enterprise" else SubjectLink.Role.SELF
    link = SubjectLink.objects.filter(user=user, code_type=identity.code_type,
                                      code_hash=identifier_hash(identity.code)).first()
    if link is None:
        return SubjectLink.objects.create(
            user=user, code_type=identity.code_type, code=identity.code, name=identity.name, role=role,
            verified_by=identity.method, evidence=evidence[:200],
        )
    lapsed = link.expires_on is not None and link.expires_on < timezone.localdate()
    if link.revoked_at is not None or lapsed or (evidence and link.expires_on is not None):
        link.revoked_at = None
        link.expires_on = None
        link.verified_by = identity.method
        link.verified_at = timezone.now()
        if evidence:
            link.evidence = evidence[:200]
        link.save(update_fields=["revoked_at", "expires_on", "verified_by", "verified_at", "evidence"])
    return link


def self_account_exists(identity: VerifiedIdentity) -> bool:
    return SubjectLink.objects.filter(
        code_type=identity.code_type, code_hash=identifier_hash(identity.code), role=SubjectLink.Role.SELF,
        revoked_at__isnull=True,
    ).exists()
