"""Responsible persons follow the LISTING (Karamay art. 15 para. 4, Heilongjiang art. 45, Qufu art. 46, Zhangye art. 48).

When an organisation is *listed* on the severe dishonesty list, the severe dishonesty information the listing rests
on is recorded on its legal representative, principal, actual controller … (the profile's
``severe_list_linked_persons`` roles): one derived record per (source record, person, role), pointing to its source
(``parent``). When the organisation is *removed* from the list, those derived records are withdrawn (revoked).
Until then the persons pushed with a record stay data only: ``Record.responsible_persons`` and ``RelatedPerson``.

Where the profile only allows the persons to be *noted* (Fuzhou art. 18 "可以标明"; ``linked_persons_recorded``
false) nothing is ever derived: the persons stay on the organisation's record.

The sanctions app calls :func:`derive_on_listing` after a listing decision and :func:`withdraw_on_removal` after a
removal (records sits below sanctions and never imports it). Both are idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q

from credit_platform.workdays import local_date
from records.models import LIVE_STATUSES, Record, RecordStatus, RelatedPerson, Subject, SubjectType
from records.rules import majority_age
from records.services import writer
from records.services.responsible import DERIVING_SUBJECT_TYPES, derived_row, linked_roles
from records.signals import send_records_changed

_PARENT_FIELDS = (
    "id", "subject_id", "subject__name", "subject__code", "catalog_item_id", "category", "severity",
    "source_department_id", "source_ref", "basis_number", "basis_issuer", "basis_issued_on", "procedure",
    "penalty_types", "occurred_on", "decided_on", "ended_on", "minor_violation", "harm_mitigated", "first_offence",
    "slight_harm", "continuing", "criminal_liability", "lifetime_market_ban", "push_due", "push_due_provisional",
    "pushed_late", "content_hash", "domain", "responsible_persons",
)


def records_persons(policy) -> bool:
    """Whether the profile records the responsible persons on listing (False: they may only be noted, Fuzhou 18)."""
    return bool(policy.linked_persons_recorded.value) and bool(linked_roles(policy))


def _parent_rows(record_ids: Iterable[int]) -> list[dict]:
    rows = []
    for row in Record.objects.filter(
        pk__in=list(record_ids), category="dishonesty", parent__isnull=True,
        subject__type__in=DERIVING_SUBJECT_TYPES,
    ).exclude(status=RecordStatus.REVOKED).values(*_PARENT_FIELDS):
        row["subject"] = {"name": row.pop("subject__name"), "code": row.pop("subject__code")}
        rows.append(row)
    return rows


def persons_for(parents: list[dict], roles: tuple[str, ...], on) -> dict[int, set[tuple[int, str]]]:
    """Source record id → {(person subject id, role)}: the persons pushed with the record and those on file for the
    organisation on ``on``, in the profile's roles."""
    wanted: dict[int, set[tuple[int, str]]] = defaultdict(set)
    pushed = [(row, p) for row in parents for p in (row.get("responsible_persons") or []) if p.get("role") in roles]
    codes = {p.get("code") for _, p in pushed if p.get("code")}
    by_code = {
        (code_type, code): sid
        for sid, code_type, code in Subject.objects.filter(code__in=codes, type=SubjectType.NATURAL_PERSON)
        .values_list("id", "code_type", "code")
    } if codes else {}
    for row, p in pushed:
        sid = by_code.get((p.get("code_type") or "ric", p.get("code")))
        if sid is not None:
            wanted[row["id"]].add((sid, p["role"]))
    on_file = defaultdict(set)
    for org_id, person_id, role in RelatedPerson.objects.filter(
        organisation_id__in={r["subject_id"] for r in parents}, role__in=roles,
        person__type=SubjectType.NATURAL_PERSON,
    ).filter(Q(until__isnull=True) | Q(until__gte=on)).values_list("organisation_id", "person_id", "role"):
        on_file[org_id].add((person_id, role))
    for row in parents:
        wanted[row["id"]] |= on_file.get(row["subject_id"], set())
    return wanted


def derive_on_listing(record_ids: Iterable[int], *, policy, now: datetime, reason: str) -> list[int]:
    """The organisation was listed on the basis of ``record_ids``: record them on its responsible persons.

    Returns the ids of the derived records created, refreshed or re-activated (a listing after an earlier removal
    brings the withdrawn records back)."""
    if not records_persons(policy):
        return []
    parents = _parent_rows(record_ids)
    if not parents:
        return []
    wanted = persons_for(parents, linked_roles(policy), local_date(now))
    people = {s.id: s for s in Subject.objects.filter(id__in={p for pairs in wanted.values() for p, _ in pairs})
              .only("id", "name", "birth_date", "type")}
    majority = majority_age(policy)
    rows = [
        derived_row(parent, people[person_id], role, majority, now)
        for parent in parents for person_id, role in sorted(wanted.get(parent["id"], ()))
        if person_id in people
    ]
    if not rows:
        return []
    ids: list[int] = []
    created: list[int] = []
    # upsert_records writes one department's rows at a time
    by_department: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_department[row["source_department_id"]].append(row)
    for dept_rows in by_department.values():
        for rid, status in writer.upsert_records(dept_rows).values():
            ids.append(rid)
            if status == "created":
                created.append(rid)
    note = f"单位列入严重失信主体名单，同步记入责任人 / recorded on listing：{reason}"[:100]
    writer.copy_history(Record, created, "+", note, now)
    revived = list(Record.objects.filter(id__in=ids, status=RecordStatus.REVOKED).values_list("id", flat=True))
    if revived:
        Record.objects.filter(id__in=revived).update(status=RecordStatus.ACTIVE, updated_at=now)
        writer.copy_history(Record, revived, "~", note, now)
    send_records_changed("pushed", ids, reason=note, created=created)
    return sorted(ids)


def withdraw_on_removal(record_ids: Iterable[int], *, now: datetime, reason: str,
                        still_listed: Iterable[int] = ()) -> list[int]:
    """The organisation left the list: withdraw the records derived from ``record_ids`` on listing, except those of
    source records another listing still rests on (``still_listed``). Returns the ids withdrawn."""
    keep = {int(i) for i in still_listed}
    parents = [int(i) for i in record_ids if int(i) not in keep]
    if not parents:
        return []
    # Only records in force: a repaired one stays with the repair (revoking the repair brings it and the listing back).
    ids = list(Record.objects.filter(id__in=writer.derived_ids(parents),
                                     status__in=LIVE_STATUSES).values_list("id", flat=True))
    if not ids:
        return []
    Record.objects.filter(id__in=ids).update(status=RecordStatus.REVOKED, updated_at=now)
    note = f"单位移出严重失信主体名单，撤回责任人记录 / withdrawn on removal：{reason}"[:100]
    writer.copy_history(Record, ids, "~", note, now)
    send_records_changed("revoked", ids, reason=note)
    return sorted(ids)
