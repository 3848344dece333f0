"""Corrections and revocations by the providing department, each on the profile's clock.

* Correction (Heilongjiang art. 52 para. 1, Qufu art. 57): the department found an error; the corrected data
  goes through every ingestion rule again; due ``correction_days`` working days after the error was found.
* Revocation (Heilongjiang art. 52 para. 3, Qufu art. 58): the basis document was revoked, annulled, found
  illegal or changed; the provider must report within ``revocation_provider_days`` of that day and the
  platform acts within ``revocation_platform_days`` (here at once, so the platform is always on time).

Each is a ``RecordChange`` row with its due dates stored, so the objections app can use the same clock.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from credit_platform.policies import active_policy
from credit_platform.workdays import add_working_days, local_date
from records.models import Record, RecordChange, RecordStatus, SubjectType
from records.rules import Rejection, validate_row
from records.services import responsible, writer
from records.services.ingest import _prepare, make_context
from records.signals import send_records_changed

CORRECTABLE = frozenset({
    "catalog_item", "subject", "severity", "procedure", "penalty_types", "basis_document", "occurred_on",
    "decided_on", "ended_on", "content", "responsible_persons", "consent_ref", "guardian_consent_ref",
    "minor_violation", "harm_mitigated", "first_offence", "slight_harm", "continuing", "criminal_liability",
    "lifetime_market_ban", "domain",
})


class ChangeConflict(Rejection):
    """A change the record's state does not allow (HTTP 409)."""

    status = 409


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def record_to_payload(record: Record) -> dict:
    """The record in the published push format (what a department would send to recreate it)."""
    subject = record.subject
    payload_subject = {"type": subject.type, "code": subject.code, "name": subject.name, "code_type": subject.code_type}
    if subject.code_type not in ("ric", "uscc") and subject.birth_date:
        payload_subject["birth_date"] = subject.birth_date.isoformat()
    return {
        "source_ref": record.source_ref,
        "catalog_item": record.catalog_item.code,
        "subject": payload_subject,
        "severity": record.severity or None,
        "procedure": record.procedure or None,
        "penalty_types": list(record.penalty_types or []),
        "basis_document": {
            "number": record.basis_number, "issuer": record.basis_issuer, "issued_on": _iso(record.basis_issued_on),
        },
        "occurred_on": _iso(record.occurred_on),
        "decided_on": _iso(record.decided_on),
        "ended_on": _iso(record.ended_on),
        "content": record.content,
        "responsible_persons": list(record.responsible_persons or []),
        "consent_ref": record.consent_ref or None,
        "guardian_consent_ref": record.guardian_consent_ref or None,
        "minor_violation": record.minor_violation,
        "harm_mitigated": record.harm_mitigated,
        "first_offence": record.first_offence,
        "slight_harm": record.slight_harm,
        "continuing": record.continuing,
        "criminal_liability": record.criminal_liability,
        "lifetime_market_ban": record.lifetime_market_ban,
        "domain": record.domain or None,
    }


def _rule(policy, name: str):
    rule = getattr(policy, name)  # a named rule of every profile: a typo raises instead of meaning "no deadline"
    return rule.value, rule.article



def _due(start: date, days: int | None):
    return add_working_days(start, days) if days is not None else None


@transaction.atomic
def correct_record(record: Record, department, patch: dict, *, reason: str, discovered_on: date | None = None,
                   user=None) -> RecordChange:
    """Apply a correction; raise ``Rejection`` (400) or ``ChangeConflict`` (409)."""
    record = Record.objects.select_for_update().select_related("subject", "catalog_item").get(pk=record.pk)
    if not (reason or "").strip():
        raise Rejection("reason_required", "reason")
    if record.status == RecordStatus.REVOKED:
        raise ChangeConflict("record_revoked", "status")
    if record.parent_id:
        raise ChangeConflict("not_correctable", "parent")
    unknown = sorted(set(patch) - CORRECTABLE)
    if unknown:
        raise Rejection("not_correctable", unknown[0])
    if not patch:
        raise Rejection("nothing_to_correct", "")

    ctx = make_context(department)
    if discovered_on and discovered_on > ctx.today:
        raise Rejection("date_in_future", "discovered_on")
    current = record_to_payload(record)
    merged = dict(current)
    for key, value in patch.items():
        if key in ("subject", "basis_document") and isinstance(value, dict) and isinstance(current.get(key), dict):
            merged[key] = {**current[key], **value}
        else:
            merged[key] = value
    row = validate_row(merged, ctx)
    if row["content_hash"] == record.content_hash:
        raise Rejection("nothing_to_correct", "")

    now = timezone.now()
    identities = {(row["subject"]["code_type"], row["subject"]["code"]): row["subject"]}
    for p in row["responsible_persons"]:
        identities.setdefault((p["code_type"], p["code"]), {**p, "type": SubjectType.NATURAL_PERSON})
    subjects = writer.upsert_subjects(identities, now)
    sid, kind = subjects[(row["subject"]["code_type"], row["subject"]["code"])]
    if kind != row["subject"]["type"]:
        raise Rejection("subject_type_conflict", "subject.type")
    row["responsible_persons_checked"] = row.pop("responsible_persons")
    _prepare(row, department.id, sid, now)
    writer.upsert_records([row])
    Record.objects.filter(pk=record.pk).update(status=RecordStatus.CORRECTED)
    writer.copy_history(Record, [record.pk], "~", f"更正 / correction: {reason.strip()}"[:100], now,
                        user_id=getattr(user, "pk", None) if _is_user(user) else None)
    row["id"], row["outcome"] = record.pk, "updated"
    responsible.register_related_persons([row], subjects, department.id, now)
    responsible.sync_derived([row], subjects, department, ctx, now)
    send_records_changed("corrected", [record.pk, *writer.derived_ids([record.pk])], department=department,
                         reason=reason.strip())

    trigger = discovered_on or ctx.today
    days, article = _rule(ctx.policy, "correction_days")
    due = _due(trigger, days)
    changed = sorted(k for k in CORRECTABLE if merged.get(k) != current.get(k))
    return RecordChange.objects.create(
        record=record, department=department, kind=RecordChange.Kind.CORRECTION, reason=reason.strip(),
        trigger_date=trigger, requested_at=now, due_on=due.date if due else None,
        due_provisional=bool(due and due.provisional), done_at=now,
        on_time=(local_date(now) <= due.date) if due else None, article=article, changed_fields=changed,
    )


def _is_user(user) -> bool:
    return user is not None and getattr(user, "pk", None) is not None and not getattr(user, "is_department_client", False)


@transaction.atomic
def revoke_record(record: Record, department, *, reason: str, document: dict | None, basis_action: str = "revoked",
                  changed_on: date | None = None, user=None) -> RecordChange:
    """Revoke a record whose basis document was revoked or changed; its derived records go with it."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if not (reason or "").strip():
        raise Rejection("reason_required", "reason")
    document = document if isinstance(document, dict) else {}
    number = str(document.get("number") or "").strip()
    issuer = str(document.get("issuer") or "").strip()
    issued_raw = document.get("issued_on")
    if not number or not issuer or not issued_raw:
        missing = "number" if not number else "issuer" if not issuer else "issued_on"
        raise Rejection("document_required", f"document.{missing}")
    try:
        issued_on = date.fromisoformat(str(issued_raw))
    except ValueError:
        raise Rejection("invalid_date", "document.issued_on") from None
    if basis_action not in RecordChange.BasisAction.values:
        raise Rejection("invalid_choice", "basis_action", value=str(basis_action)[:40],
                        choices=", ".join(RecordChange.BasisAction.values))
    now = timezone.now()
    today = local_date(now)
    if issued_on > today:
        raise Rejection("date_in_future", "document.issued_on")
    if changed_on and changed_on > today:
        raise Rejection("date_in_future", "changed_on")
    if record.status == RecordStatus.REVOKED:
        raise ChangeConflict("record_revoked", "status")

    policy = active_policy()
    trigger = changed_on or issued_on
    provider_days, provider_article = _rule(policy, "revocation_provider_days")
    platform_days, platform_article = _rule(policy, "revocation_platform_days")
    due = _due(trigger, provider_days)
    platform_due = _due(today, platform_days)

    user_id = getattr(user, "pk", None) if _is_user(user) else None
    ids = [record.pk, *Record.objects.filter(parent_id=record.pk).exclude(status=RecordStatus.REVOKED).values_list("id", flat=True)]
    Record.objects.filter(id__in=ids).update(status=RecordStatus.REVOKED, updated_at=now)
    writer.copy_history(Record, ids, "~", f"撤销 / revoked: {reason.strip()}"[:100], now, user_id=user_id)
    send_records_changed("revoked", ids, department=department, reason=reason.strip())
    article = "；".join(a for a in dict.fromkeys((provider_article, platform_article)) if a)
    return RecordChange.objects.create(
        record=record, department=department, kind=RecordChange.Kind.REVOCATION, basis_action=basis_action,
        reason=reason.strip(), document_number=number[:128], document_issuer=issuer[:200], document_date=issued_on,
        trigger_date=trigger, requested_at=now, due_on=due.date if due else None,
        due_provisional=bool((due and due.provisional) or (platform_due and platform_due.provisional)),
        platform_due_on=platform_due.date if platform_due else None, done_at=now,
        on_time=(today <= due.date) if due else None, platform_on_time=True if platform_due else None,
        article=article[:300],
    )


def preview_correction(record: Record, department, patch: dict) -> dict:
    """Validate a correction without writing (the admin form shows the errors before saving)."""
    unknown = sorted(set(patch) - CORRECTABLE)
    if unknown:
        raise Rejection("not_correctable", unknown[0])
    if record.status == RecordStatus.REVOKED:
        raise ChangeConflict("record_revoked", "status")
    if record.parent_id:
        raise ChangeConflict("not_correctable", "parent")
    current = record_to_payload(record)
    merged = {**current, **patch}
    return validate_row(merged, make_context(department))
