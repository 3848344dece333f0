"""Responsible persons (Karamay arts. 11 and 15, Heilongjiang art. 45, Qufu art. 46, Zhangye art. 48).

Persons named in a push are kept on file as the organisation's related persons, and with the record
(``Record.responsible_persons``) — as data only. Their personal records are derived when the organisation is
*listed* on the severe list, never at push time (see :mod:`records.services.listing_persons`). A push that changes
a source record whose organisation is listed keeps the records derived from it in step (or withdraws them when the
source no longer qualifies).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime

from django.db.models import Q

from credit_platform import identifiers
from credit_platform.policies.labels import code_label
from credit_platform.workdays import local_date
from records.models import Record, RecordStatus, RelatedPerson, RelatedRole, Subject, SubjectType
from records.services import writer

DERIVING_SUBJECT_TYPES = (SubjectType.LEGAL_PERSON, SubjectType.UNINCORPORATED)


def linked_roles(policy) -> tuple[str, ...]:
    codes = policy.severe_list_linked_persons.value or ()

    return tuple(c for c in codes if c in RelatedRole.values)


def derived_ref(parent_ref: str, role: str, person_id: int) -> str:
    return f"{parent_ref}#{role}#{person_id}"


def register_related_persons(rows: list[dict], subjects: dict, department_id: int, now: datetime) -> None:
    links = []
    for row in rows:
        if row["subject"]["type"] == SubjectType.NATURAL_PERSON:
            continue
        for p in row["responsible_persons_checked"]:
            person_id = subjects[(p["code_type"], p["code"])][0]
            links.append(RelatedPerson(
                organisation_id=row["subject_id"], person_id=person_id, role=p["role"],
                source_department_id=department_id, updated_at=now,
            ))
    if links:
        RelatedPerson.objects.bulk_create(links, ignore_conflicts=True)


def sync_derived(rows: list[dict], subjects: dict, department, ctx, now: datetime) -> tuple[int, list[int]]:
    """Create / update / revoke the responsible persons' records for the changed source rows; return how many were
    created and the ids of every derived record written (created, updated or revoked) — for ``records_changed``."""
    if not rows:
        return 0, []
    roles = linked_roles(ctx.policy) if ctx.policy.linked_persons_recorded.value else ()
    today = local_date(now)
    # Only source records already recorded on their persons (the organisation is listed) are re-derived: a push
    # never derives by itself (the trigger is the listing, Karamay 15 para. 4).
    updated = [r["id"] for r in rows if r.get("outcome") != "created"]
    existing = writer.derived_ids(updated) if updated else []
    listed = set(
        Record.objects.filter(id__in=existing).exclude(status=RecordStatus.REVOKED).values_list("parent_id", flat=True)
    ) if existing else set()
    parents = [
        r for r in rows
        if roles and r["id"] in listed and r["subject"]["type"] in DERIVING_SUBJECT_TYPES
        and r["category"] == "dishonesty"
    ]
    wanted: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for row in parents:
        for p in row["responsible_persons_checked"]:
            if p["role"] in roles:
                wanted[row["id"]].add((subjects[(p["code_type"], p["code"])][0], p["role"]))
    if parents:
        on_file = RelatedPerson.objects.filter(
            organisation_id__in={r["subject_id"] for r in parents}, role__in=roles,
        ).filter(Q(until__isnull=True) | Q(until__gte=today)).values_list("organisation_id", "person_id", "role")
        by_org = defaultdict(set)
        for org_id, person_id, role in on_file:
            by_org[org_id].add((person_id, role))
        for row in parents:
            wanted[row["id"]] |= by_org.get(row["subject_id"], set())

    derived_rows = []
    person_ids = {pid for pairs in wanted.values() for pid, _ in pairs}
    people = {s.id: s for s in Subject.objects.filter(id__in=person_ids).only("id", "name", "birth_date", "type")}
    for row in parents:
        for person_id, role in sorted(wanted.get(row["id"], ())):
            person = people.get(person_id)
            if person is None or person.type != SubjectType.NATURAL_PERSON:
                continue
            derived_rows.append(derived_row(row, person, role, ctx.majority, now))

    created = 0
    keep_ids: set[int] = set()
    if derived_rows:
        outcome = writer.upsert_records(derived_rows)
        new_ids = [rid for rid, status in outcome.values() if status == "created"]
        changed_ids = [rid for rid, status in outcome.values() if status == "updated"]
        keep_ids = {rid for rid, _ in outcome.values()}
        created = len(new_ids)
        code = department.code
        writer.copy_history(Record, new_ids, "+", f"{code} 单位已列入严重失信名单，同步记入责任人 / linked to source", now)
        writer.copy_history(Record, changed_ids, "~", f"{code} 来源记录更新 / source record updated", now)

    # Updated source rows that no longer qualify (or whose persons changed) lose the records derived from them.
    # New rows have none yet.
    stale = [rid for rid in existing if rid not in keep_ids]
    if stale:
        stale = list(Record.objects.filter(id__in=stale).exclude(status=RecordStatus.REVOKED).values_list("id", flat=True))
    if stale:
        Record.objects.filter(id__in=stale).update(status=RecordStatus.REVOKED, updated_at=now)
        writer.copy_history(Record, stale, "~", "来源记录不再要求记入责任人 / source no longer severe", now)
    return created, sorted(keep_ids | set(stale))


def derived_row(parent: dict, person: Subject, role: str, majority: int, now: datetime) -> dict:
    """One responsible person's record derived from the organisation's ``parent`` record (a row dict)."""
    organisation = parent["subject"]
    content = {
        "单位名称": organisation["name"],
        "统一社会信用代码": organisation["code"],
        "责任人身份": code_label(role) if code_label(role) != role else RelatedRole(role).label,
        "来源记录": parent["source_ref"],
    }
    act_day = parent["occurred_on"] or parent["decided_on"] or local_date(now)
    is_minor = None
    if person.birth_date:
        is_minor = identifiers.age_on(person.birth_date, act_day) < majority
    digest = hashlib.blake2b(f"{parent['content_hash']}|{role}|{person.id}|{person.name}".encode(), digest_size=16)
    return {
        "subject_id": person.id,
        "catalog_item_id": parent["catalog_item_id"],
        "category": parent["category"],
        "severity": parent["severity"],
        "source_department_id": parent["source_department_id"],
        "source_ref": derived_ref(parent["source_ref"], role, person.id),
        "basis_number": parent["basis_number"],
        "basis_issuer": parent["basis_issuer"],
        "basis_issued_on": parent["basis_issued_on"],
        "procedure": parent["procedure"],
        "penalty_types": parent["penalty_types"],
        "occurred_on": parent["occurred_on"],
        "decided_on": parent["decided_on"],
        "ended_on": parent["ended_on"],
        "content": content,
        "responsible_persons": [],
        "consent_ref": "",
        "guardian_consent_ref": "",
        "minor_violation": parent["minor_violation"],
        "harm_mitigated": parent["harm_mitigated"],
        "first_offence": parent["first_offence"],
        "slight_harm": parent["slight_harm"],
        "continuing": parent["continuing"],
        "criminal_liability": parent["criminal_liability"],
        "lifetime_market_ban": parent["lifetime_market_ban"],
        "status": RecordStatus.ACTIVE,
        "received_at": now,
        "updated_at": now,
        "push_due": parent["push_due"],
        "push_due_provisional": parent["push_due_provisional"],
        "pushed_late": parent["pushed_late"],
        "content_hash": digest.hexdigest(),
        "disputed": False,
        "domain": parent["domain"],
        "is_minor": is_minor,
        "parent_id": parent["id"],
        "derived_role": role,
    }
