"""Heilongjiang art. 44 para. 2: notices when a state organ, public institution or state-owned enterprise — or one of
its staff — is put on the severe dishonesty list.

"国家机关和国有企事业单位被列入严重失信主体名单的，认定单位应当通报其上一级人民政府或者主管部门以及审计机关。国家机关和
国有企事业单位的工作人员被列入严重失信主体名单的，认定单位应当通报其所在单位和相关监察机关、组织(人事)部门。"

The duty is data in the profile (``public_body_listing_notice``). Which bodies are public bodies, and who their
superior, audit, supervisory and personnel bodies are, is the :class:`~sanctions.models.PublicBody` register kept
in the admin; staff are the persons on file for the body (``records.RelatedPerson``, in office on the listing day).
Each notice is a recorded :class:`~credit_platform.models.StatutoryNotice` sent by the deciding department; a
recipient known only by name is recorded for offline delivery, and an unregistered recipient is recorded too, so
the credit centre sees the gap.
"""

from __future__ import annotations

from django.db.models import Q

from credit_platform.notices import send_notice
from credit_platform.policies import active_policy
from records.models import RelatedPerson
from sanctions.models import PublicBody, SevereListEntry

#: duty code → (label, the PublicBody fields naming the recipient)
BODY_DUTIES = {
    "hlj44_superior": ("通报上一级人民政府或主管部门", "superior"),
    "hlj44_audit": ("通报审计机关", "audit_body"),
}
STAFF_DUTIES = {
    "hlj44_employer": ("通报工作人员所在单位", "own_department"),
    "hlj44_supervisory": ("通报相关监察机关", "supervisory_body"),
    "hlj44_personnel": ("通报组织（人事）部门", "personnel_body"),
}


def _recipient(body: PublicBody, field: str):
    department = getattr(body, field)
    if field == "own_department":
        return department, (department.name if department else body.subject.name)
    name = getattr(body, f"{field}_name", "") or (department.name if department else "")
    return department, name or f"（{body.subject.name}未登记{PublicBody._meta.get_field(field).verbose_name}）"


def _send(entry: SevereListEntry, duty: str, label: str, body: PublicBody, field: str, article: str, about: str):
    department, name = _recipient(body, field)
    subject = entry.subject
    return send_notice(
        key=f"hlj44:{entry.pk}:{duty}:{body.pk}", duty=duty, duty_label=label, article=article,
        recipient=department, recipient_name=name, sender=entry.department, subject_label=str(subject),
        source=f"sanctions.severelistentry:{entry.pk}", link=f"/admin/sanctions/severelistentry/{entry.pk}/change/",
        title="严重失信主体名单列入通报",
        body=(f"{about}于 {entry.listed_on or ''} 被{entry.department.name}列入严重失信主体名单"
              f"（决定书 {entry.decision_number}）。事由：{entry.reasons}。请依纪依法作出处理，并将处理结果告知认定单位和"
              f"同级社会信用主管部门。"),
    )


def notify_public_bodies(entry: SevereListEntry) -> list:
    """Send the art. 44 notices for a new listing and for the responsible persons listed with it."""
    rule = active_policy().public_body_listing_notice
    if not rule.value:
        return []
    sent = []
    for listed in [entry, *entry.linked.select_related("subject", "department")]:
        sent += _notices_for(listed, rule.article)
    return sent


def _notices_for(entry: SevereListEntry, article: str) -> list:
    subject = entry.subject
    out = []
    body = PublicBody.objects.filter(subject=subject).select_related(
        "subject", "superior", "audit_body").first()
    if body is not None:
        about = f"{body.get_kind_display()}{subject.name}"
        for duty, (label, field) in BODY_DUTIES.items():
            out.append(_send(entry, duty, label, body, field, article, about))
    if subject.is_natural_person:
        day = entry.listed_on
        posts = RelatedPerson.objects.filter(person=subject, organisation__public_body__isnull=False)
        if day:
            posts = posts.filter(Q(until__isnull=True) | Q(until__gte=day)).filter(Q(since__isnull=True) | Q(since__lte=day))
        for post in posts.select_related("organisation__public_body__own_department", "organisation"):
            employer = post.organisation.public_body
            about = f"{employer.subject.name}{post.get_role_display()}{subject.name}"
            for duty, (label, field) in STAFF_DUTIES.items():
                out.append(_send(entry, duty, label, employer, field, article, about))
    return out
