"""What an objection does to the records it concerns, through the records app's own services.

The workflow never writes a record's data directly: a correction goes through
``records.services.changes.correct_record`` (every ingestion rule applied again, a ``RecordChange`` row on
the profile's clock, history with the reason), a deletion through ``revoke_record``, and the disputed mark
(异议标注) through ``records.services.status.set_disputed``.
"""

from __future__ import annotations

from django.utils import timezone

from credit_platform.actors import actor_user
from credit_platform.exceptions import DomainError
from credit_platform.workdays import local_date
from records.rules import Rejection
from records.services.changes import correct_record, revoke_record


def _refused(exc: Rejection) -> DomainError:
    """The records app refused the change: the same code, field and (Chinese) message, as the one domain error."""
    return DomainError(exc.code, exc.message(), field=exc.field or "")


def apply_correction(record, patch: dict, *, actor=None, reason: str, confirmed_at=None):
    """Apply a decided correction in the providing department's name; returns the ``RecordChange``.

    ``patch`` uses the push format's keys (``content``, ``decided_on``, ``basis_document`` …); nested
    ``content`` is merged into the current content, so a handler only names the keys that change.
    """
    patch = dict(patch)
    if isinstance(patch.get("content"), dict):
        patch["content"] = {**(record.content or {}), **patch["content"]}
    try:
        return correct_record(
            record, record.source_department, patch, reason=reason,
            discovered_on=local_date(confirmed_at or timezone.now()), user=actor_user(actor),
        )
    except Rejection as exc:
        raise _refused(exc) from exc


def delete_record(record, *, actor=None, reason: str, decision_number: str, decided_by, decided_at=None):
    """删除: the record is revoked on the strength of the objection decision (never physically deleted)."""
    decided_on = local_date(decided_at or timezone.now())
    document = {"number": decision_number, "issuer": decided_by.name, "issued_on": decided_on.isoformat()}
    try:
        return revoke_record(
            record, decided_by, reason=reason, document=document, basis_action="revoked", changed_on=decided_on,
            user=actor_user(actor),
        )
    except Rejection as exc:
        raise _refused(exc) from exc
