"""Enterprise agents (企业经办人) are bound by proof, never by a fixed code.

Karamay art. 19 and Qufu art. 32 let an enterprise query its own non-public information; it acts through a natural
person, so the platform must know that person acts for it. Two proofs are accepted:

1. **the legal representative on file**: the verified person is the enterprise's current 法定代表人 in the
   registration / basic-information record (``records.RelatedPerson``, role ``legal_representative``, its term not
   ended) — matched by the keyed hash of the person's ID number, which is all the account keeps;
2. **an authorisation letter approved by an official**: the person uploads the enterprise's 授权委托书, an official
   examines it in the admin and approves it until a date (at most ``settings.AGENT_LETTER_MAX_DAYS``); the binding
   lapses on that date, and the letter can be revoked at any time. Every step is in the letter's history.

A login at the identity provider as a legal person (电子营业执照) is a third proof; ``accounts.oidc`` binds it.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.identity import VerifiedIdentity, check_uscc_code
from accounts.links import is_official, link_identity
from accounts.models import AgentLetter, SubjectLink
from credit_platform.exceptions import DomainError
from credit_platform.privacy import identifier_hash
from records.models import RelatedPerson, RelatedRole, Subject, SubjectType

LETTER_MAX_BYTES = 10 * 1024 * 1024
LETTER_TYPES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


def self_link(user):
    """The user's verified link to themselves (the person who would act for the enterprise), or None."""
    return user.subject_links.filter(role="self", revoked_at__isnull=True).first()


def find_enterprise(uscc: str, enterprise_name: str):
    """The organisation the platform holds under this USCC and name (both public), else DomainError."""
    code = check_uscc_code(uscc)
    enterprise = Subject.objects.filter(code=code).exclude(type=SubjectType.NATURAL_PERSON).first()
    if enterprise is None or enterprise.name != (enterprise_name or "").strip():
        raise DomainError("enterprise_mismatch", "统一社会信用代码与单位名称不一致，或平台尚无该单位的登记信息。")
    return enterprise


def is_legal_representative(link, enterprise, *, today: date | None = None) -> bool:
    """The person verified in ``link`` is the enterprise's legal representative on file today."""
    today = today or timezone.localdate()
    reps = RelatedPerson.objects.filter(organisation=enterprise, role=RelatedRole.LEGAL_REPRESENTATIVE).filter(
        Q(since__isnull=True) | Q(since__lte=today), Q(until__isnull=True) | Q(until__gte=today),
    ).select_related("person")
    return any(identifier_hash(rep.person.code) == link.code_hash for rep in reps)


def bind_legal_representative(user, enterprise):
    """Bind the user to the enterprise as its agent, as its legal representative on file (else DomainError)."""
    link = self_link(user)
    if link is None:
        raise DomainError("self_not_verified", "请先完成本人实名认证，再绑定单位。")
    if not is_legal_representative(link, enterprise):
        raise DomainError("not_legal_representative",
                          "登记信息中该单位的法定代表人不是您。其他经办人请上传单位出具的授权委托书，经工作人员审核后绑定。")
    identity = VerifiedIdentity("enterprise", enterprise.code_type, enterprise.code, enterprise.name,
                                "legal_representative", agent=None)
    return link_identity(user, identity, evidence="登记信息：法定代表人")


def _check_letter(upload) -> str:
    if upload is None:
        raise DomainError("letter_required", "请上传单位出具的授权委托书（PDF 或图片）。")
    if upload.size > LETTER_MAX_BYTES:
        raise DomainError("letter_too_large", "授权委托书文件不得超过 10 MB。")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in LETTER_TYPES):
        raise DomainError("letter_type", "授权委托书须为 PDF、PNG 或 JPEG 文件。")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def submit_letter(user, enterprise, upload):
    """The person uploads the enterprise's authorisation letter; an official examines it (status pending)."""
    link = self_link(user)
    if link is None:
        raise DomainError("self_not_verified", "请先完成本人实名认证，再绑定单位。")
    sha = _check_letter(upload)
    if AgentLetter.objects.filter(user=user, enterprise=enterprise, status=AgentLetter.Status.PENDING).exists():
        raise DomainError("letter_pending", "您为该单位提交的授权委托书正在审核中，请勿重复提交。")
    return AgentLetter.objects.create(enterprise=enterprise, user=user, agent_name=link.name, agent_code=link.code,
                                      letter=upload, letter_sha256=sha)


def max_valid_until(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=int(settings.AGENT_LETTER_MAX_DAYS))


@transaction.atomic
def approve_letter(letter, official, *, valid_until: date | None = None, note: str = ""):
    """An official approves a pending letter until ``valid_until`` (default and ceiling: today + the maximum)."""
    letter = AgentLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != AgentLetter.Status.PENDING:
        raise DomainError("letter_not_pending", "只能审核待审核的授权委托书。")
    today = timezone.localdate()
    ceiling = max_valid_until(today)
    valid_until = valid_until or letter.valid_until or ceiling
    if valid_until < today:
        raise DomainError("letter_expired", "授权有效期不能早于今天。")
    if valid_until > ceiling:
        raise DomainError("letter_too_long", f"授权有效期最长 {settings.AGENT_LETTER_MAX_DAYS} 日（至 {ceiling:%Y-%m-%d}）。")
    enterprise = letter.enterprise
    identity = VerifiedIdentity("enterprise", enterprise.code_type, enterprise.code, enterprise.name, "agent_letter")
    link = link_identity(letter.user, identity, evidence=f"授权委托书 #{letter.pk}")
    link.expires_on = valid_until
    link.evidence = f"授权委托书 #{letter.pk}"
    link.save(update_fields=["expires_on", "evidence"])
    letter.status = AgentLetter.Status.APPROVED
    letter.valid_until = valid_until
    letter.decided_by = official
    letter.decided_at = timezone.now()
    letter.decision_note = note[:300]
    letter.link = link
    letter.save()
    return letter


@transaction.atomic
def reject_letter(letter, official, *, note: str = ""):
    letter = AgentLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != AgentLetter.Status.PENDING:
        raise DomainError("letter_not_pending", "只能审核待审核的授权委托书。")
    letter.status = AgentLetter.Status.REJECTED
    letter.decided_by = official
    letter.decided_at = timezone.now()
    letter.decision_note = note[:300] or "授权委托书未通过审核"
    letter.save()
    return letter


@transaction.atomic
def revoke_letter(letter, official, *, note: str = ""):
    """Revoke an approved letter: the binding it made ends at once."""
    letter = AgentLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != AgentLetter.Status.APPROVED:
        raise DomainError("letter_not_approved", "只能撤销已批准的授权委托书。")
    now = timezone.now()
    letter.status = AgentLetter.Status.REVOKED
    letter.revoked_at = now
    if note:
        letter.decision_note = note[:300]
    letter.save()
    if letter.link_id:
        link = SubjectLink.objects.filter(pk=letter.link_id, revoked_at__isnull=True).first()
        if link is not None and link.evidence == f"授权委托书 #{letter.pk}":
            link.revoked_at = now
            link.save(update_fields=["revoked_at"])
    return letter


def may_revoke(user, letter) -> bool:
    """The agent may give up their own letter; the enterprise may revoke it through a person bound by a stronger proof
    than a letter (its legal representative on file, or a legal-person login at the identity provider)."""
    if is_official(user) or letter.status != AgentLetter.Status.APPROVED:
        return False
    if letter.user_id == user.pk:
        return True
    return SubjectLink.objects.filter(
        user=user, subject=letter.enterprise, role=SubjectLink.Role.AGENT, revoked_at__isnull=True,
        expires_on__isnull=True,
    ).exclude(Q(evidence__startswith="授权委托书") | Q(verified_by="agent_letter")).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())).exists()


def letters_for(user, enterprise=None):
    """The letters the user submitted, and (for an enterprise the user acts for) every letter naming it."""
    condition = Q(user=user)
    if enterprise is not None and enterprise.type != "natural_person":
        condition |= Q(enterprise=enterprise)
    return AgentLetter.objects.filter(condition).select_related("enterprise").order_by("-submitted_at")
