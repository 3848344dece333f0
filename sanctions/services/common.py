"""What every sanctions workflow shares: the step log, who is told, and the facts the rules need about a subject."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from accounts.links import links_for_subject
from credit_platform.actors import actor_label
from credit_platform.bulk_ids import with_ids
from credit_platform.models import User
from credit_platform.notifications import notify
from credit_platform.policies import active_policy
from credit_platform.roles import DEPARTMENT_OFFICER, PLATFORM_ADMIN
from credit_platform.timeline import TimelineEvent
from credit_platform.workdays import local_date
from records.models import Record, Subject
from sanctions import rules
from sanctions.models import Commitment, Evaluation, RedListEntry, SanctionEvent, SevereListEntry

logger = logging.getLogger(__name__)


SEVERE = SevereListEntry.Status

def today() -> date:
    return local_date(timezone.now())


def credential_label(actor) -> str:
    """Who asked, reported or recorded, as the joint-check log and the interview record name it: the credential's user name (a department may
    run several systems, each with its own token), else the shared actor label (text, or 系统 for the platform)."""
    return str(getattr(actor, "username", "") or actor_label(actor))[:150]


def log_step(obj, step: str, actor, reason: str = "", **data) -> SanctionEvent:
    return SanctionEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, step=step,
        **TimelineEvent.attributed(actor), reason=reason or "", data=_jsonable(data),
    )


def steps_of(obj):
    return SanctionEvent.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def save_with_reason(obj, reason: str, *fields: str) -> None:
    obj._change_reason = reason[:100]
    obj.save(update_fields=list(fields) if fields else None)


# --- who is told -----------------------------------------------------------------------------------------------------
def department_officers(department) -> list:
    if department is None:
        return []
    return list(User.objects.filter(department=department, is_active=True, groups__name=DEPARTMENT_OFFICER).distinct())


def platform_admins() -> list:
    return list(User.objects.filter(is_active=True, groups__name=PLATFORM_ADMIN).distinct())


def subject_users(subject) -> list:
    """Portal users who act for ``subject``: those with a live verified link to its identifier (accounts app)."""
    links = links_for_subject(subject)
    return list(User.objects.filter(pk__in=links.values("user_id"), is_active=True))


def notify_all(users: Iterable, event_key: str, title: str, body: str = "", link: str = "") -> int:
    sent = 0
    for user in users:
        if notify(user, event_key, title, body, link) is not None:
            sent += 1
    return sent


# --- facts -------------------------------------------------------------------------------------------------------------
def subject_facts(subject, *, exclude_records: Iterable[int] = ()) -> rules.SubjectFacts:
    """What the rules need to know about ``subject``. Records in ``exclude_records`` are treated as no longer in
    force (a repair being applied before the record's status has been written)."""
    excluded = set(exclude_records)
    facts = []
    for row in (
        Record.objects.filter(subject=subject).exclude(status__in=["revoked", "shielded"])
        .values("id", "category", "severity", "status", "decided_on", "domain", "catalog_item__name")
    ):
        status = "repaired" if row["id"] in excluded else row["status"]
        facts.append(rules.RecordFact(row["id"], row["category"], row["severity"] or "", status, row["decided_on"],
                                      row["domain"] or "", row["catalog_item__name"] or ""))
    red = tuple(RedListEntry.objects.filter(subject=subject, status=RedListEntry.Status.LISTED).values_list("id", flat=True))
    severe = tuple(SevereListEntry.objects.filter(subject=subject, status=SEVERE.LISTED).values_list("id", flat=True))
    broken = tuple(broken_commitments(subject).exclude(record_id__in=excluded).values_list("id", flat=True))
    evaluation = Evaluation.objects.filter(subject=subject).values("id", "grade").first()
    return rules.SubjectFacts(
        subject_type=subject.type, records=tuple(facts), red_list_ids=red, severe_list_ids=severe,
        broken_commitment_ids=broken, grade=evaluation["grade"] if evaluation else None,
        evaluation_id=evaluation["id"] if evaluation else None,
    )


def facts_for_subjects(subject_ids: Iterable[int]) -> dict[int, rules.SubjectFacts]:
    """:func:`subject_facts` for many subjects at once, set-based: six queries whatever the number of subjects
    (a push of thousands of records must not cost a query per subject). Subjects that do not exist are left out."""
    ids = sorted(set(subject_ids))
    if not ids:
        return {}
    types = dict(with_ids(Subject.objects.all(), ids).values_list("id", "type"))
    records: dict[int, list[rules.RecordFact]] = {i: [] for i in types}
    fact = rules.RecordFact
    # tuples, not dicts or model instances: this reads every live record of thousands of subjects per batch
    for pk, sid, category, severity, status, decided_on, domain, name in _live_record_rows(ids):
        records[sid].append(fact(pk, category, severity or "", status, decided_on, domain or "", name or ""))
    red = _ids_by_subject(with_ids(RedListEntry.objects.filter(status=RedListEntry.Status.LISTED), ids, "subject_id"))
    severe = _ids_by_subject(with_ids(SevereListEntry.objects.filter(status=SEVERE.LISTED), ids, "subject_id"))
    broken = _ids_by_subject(with_ids(Commitment.objects.filter(status=Commitment.Status.BROKEN), ids, "subject_id").exclude(
        record__status__in=["repaired", "revoked"]))
    evaluations = {sid: (pk, grade) for pk, grade, sid in
                   with_ids(Evaluation.objects.all(), ids, "subject_id").values_list("id", "grade", "subject_id")}
    out = {}
    for sid, kind in types.items():
        evaluation_id, grade = evaluations.get(sid, (None, None))
        out[sid] = rules.SubjectFacts(
            subject_type=kind, records=tuple(records[sid]), red_list_ids=red.get(sid, ()),
            severe_list_ids=severe.get(sid, ()), broken_commitment_ids=broken.get(sid, ()),
            grade=grade, evaluation_id=evaluation_id,
        )
    return out


_LIVE_RECORDS_SQL = """
SELECT r.id, r.subject_id, r.category, r.severity, r.status, r.decided_on, r.domain, c.name
FROM records_record r INNER JOIN catalog_catalogitem c ON r.catalog_item_id = c.id
WHERE r.subject_id = ANY(%s::bigint[]) AND NOT (r.status IN ('revoked', 'shielded'))
ORDER BY r.id DESC
"""


def _live_record_rows(subject_ids: list[int]):
    """(id, subject_id, category, severity, status, decided_on, domain, catalog item name) of the subjects' records
    not revoked or shielded, newest first (the model's ordering, which ``subject_facts`` reads in). On PostgreSQL the
    statement Django compiles for the ORM query below, run on the cursor: a batch reads ~100,000 rows and Django's
    row iterator cost several µs each."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LIVE_RECORDS_SQL, ["{" + ",".join(str(int(i)) for i in subject_ids) + "}"])
            return cursor.fetchall()
    return with_ids(Record.objects.exclude(status__in=["revoked", "shielded"]), subject_ids, "subject_id").values_list(
        "id", "subject_id", "category", "severity", "status", "decided_on", "domain", "catalog_item__name")


def _ids_by_subject(queryset) -> dict[int, tuple[int, ...]]:
    out: dict[int, list[int]] = {}
    for pk, sid in queryset.values_list("id", "subject_id"):  # the model's ordering, as subject_facts reads it
        out.setdefault(sid, []).append(pk)
    return {sid: tuple(pks) for sid, pks in out.items()}


def broken_commitments(subject):
    """False or broken commitments whose dishonesty record has not been repaired (or revoked)."""
    return Commitment.objects.filter(subject=subject, status=Commitment.Status.BROKEN).exclude(
        record__status__in=["repaired", "revoked"]
    )


def subject_is_public(subject) -> bool:
    """Organisations' list memberships are public; natural persons' only where the profile says their dishonesty
    information is public (Karamay art. 36, Qufu art. 36, Heilongjiang art. 24)."""
    if subject.type != "natural_person":
        return True
    return bool(active_policy().natural_person_dishonesty_public.value)
