"""信用修复告知书 — the repair notice delivered with every dishonesty record (两书同达, 国办发〔2025〕22号).

The notice's content is generated from the current eligibility every time it is shown (so the conditions
and the earliest date are always right, even after a correction or a calendar change); a
:class:`~repair.models.RepairNotice` row per dishonesty record keeps its number and when it first reached
the subject. Rows are created for every dishonesty record by the ``repair_deadlines`` sweep
(:func:`ensure_notices`, set-based) and on first display (:func:`notice_for`).

Other apps show the notice with the record by calling :func:`notice_summary(record, viewer=user)` (the
earliest date, whether a repair is possible, the link) — showing it to the subject's own portal user records
the first delivery. A page that lists many records calls :func:`notice_summaries(records, viewer=user)`, which
gives the same answer for all of them in a constant number of queries.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.links import subjects_for_user
from credit_platform.policies import active_policy
from credit_platform.workdays import local_date
from records.models import Record
from repair.eligibility import evaluate, facts_from_record, requirements
from repair.models import NonRepairableMarking, RepairNotice
from repair.services import check_eligibility


def _number(record) -> str:
    return _number_for(record.pk)


def applies_to(record) -> bool:
    """Only a dishonesty record carries a repair notice (两书同达: the notice is delivered with the dishonesty
    decision; a basic, trust or other record has nothing to repair)."""
    return getattr(record, "category", None) == "dishonesty"


def notice_for(record) -> RepairNotice:
    """The record's notice row, created on first display — never for a record that carries no notice."""
    if not applies_to(record):
        raise ValueError(f"record {record.pk} is not a dishonesty record: it carries no repair notice")
    notice = RepairNotice.objects.filter(record_id=record.pk).first()
    if notice is None:
        try:
            with transaction.atomic():
                notice = RepairNotice.objects.create(record_id=record.pk, number=_number(record))
        except IntegrityError:
            notice = RepairNotice.objects.get(record_id=record.pk)
    return notice


def ensure_notices(now=None, *, record_ids=None) -> int:
    """Create the notice row of every dishonesty record (of ``record_ids``, if given) that has none yet
    (set-based, idempotent)."""
    missing = Record.objects.filter(category="dishonesty", repair_notice__isnull=True)
    if record_ids is not None:
        missing = missing.filter(pk__in=record_ids)
    missing = missing.values_list("pk", flat=True)[:5000]
    rows = [RepairNotice(record_id=pk, number=f"XFGZ{pk:08d}{secrets.token_hex(2).upper()}") for pk in missing]
    RepairNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def mark_delivered(record, user, channel: str = "portal") -> None:
    notice = notice_for(record)
    RepairNotice.objects.filter(pk=notice.pk, first_delivered_at__isnull=True).update(
        first_delivered_at=timezone.now(), delivered_to=user if getattr(user, "pk", None) else None, delivery_channel=channel
    )


def context(record, *, today=None) -> dict:
    policy = active_policy()
    today = today or local_date(timezone.now())
    result = check_eligibility(record, today=today, policy=policy)
    notice = notice_for(record)
    return {
        "record": record,
        "subject": record.subject,
        "notice": notice,
        "policy": policy,
        "eligibility": result,
        "requirements": requirements(policy),
        "non_repairable_rule": policy.non_repairable_cases,
        "free_rule": policy.repair_free_of_charge,
        "accept_rule": policy.repair_accept_days,
        "decision_rule": policy.repair_decision_days,
        "notice_rule": policy.repair_notice_with_decision,
        "today": today,
    }


def notice_summary(record, *, viewer=None) -> dict:
    """What another app shows next to a dishonesty record; records the first delivery to the subject."""
    return notice_summaries([record], viewer=viewer)[record.pk]


def notice_summaries(records, *, viewer=None, channel: str = "portal", today=None) -> dict[int, dict]:
    """:func:`notice_summary` for many records at once: ``{record id: {number, eligible, earliest_date, reasons,
    url, apply_url}}`` for the dishonesty records among ``records`` (others have no notice).

    Constant number of queries whatever the number of records (markings, notices, missing notices created in
    bulk, who the viewer acts for, the delivery update). ``records`` should come with ``catalog_item`` selected.
    Showing the notices to a portal user who acts for the record's subject records their first delivery (两书同达);
    an official or a grantee looking at them does not.
    """

    records = [r for r in records if r.category == "dishonesty"]
    if not records:
        return {}
    ids = [r.pk for r in records]
    policy = active_policy()
    today = today or local_date(timezone.now())

    markings: dict[int, list] = {pk: [] for pk in ids}
    for m in NonRepairableMarking.objects.filter(record_id__in=ids, active=True):
        markings[m.record_id].append(m)
    notices = {n.record_id: n for n in RepairNotice.objects.filter(record_id__in=ids)}
    missing = [pk for pk in ids if pk not in notices]
    if missing:
        RepairNotice.objects.bulk_create([RepairNotice(record_id=pk, number=_number_for(pk)) for pk in missing],
                                         ignore_conflicts=True)
        notices.update({n.record_id: n for n in RepairNotice.objects.filter(record_id__in=missing)})

    if viewer is not None and getattr(viewer, "is_authenticated", False):
        subject_ids = {r.subject_id for r in records}
        own = set(subjects_for_user(viewer).filter(pk__in=subject_ids).values_list("pk", flat=True))
        undelivered = [notices[r.pk].pk for r in records if r.subject_id in own and notices[r.pk].first_delivered_at is None]
        if undelivered:
            RepairNotice.objects.filter(pk__in=undelivered, first_delivered_at__isnull=True).update(
                first_delivered_at=timezone.now(), delivered_to=viewer, delivery_channel=channel[:32]
            )

    out = {}
    for record in records:
        result = evaluate(facts_from_record(record, markings=markings[record.pk]), policy, today)
        out[record.pk] = {
            "number": notices[record.pk].number,
            "eligible": result.eligible,
            "earliest_date": result.earliest_date,
            "reasons": [r.as_dict() for r in result.reasons],
            "url": reverse("repair:notice", args=[record.pk]),
            "apply_url": reverse("repair:apply", args=[record.pk]),
        }
    return out


def _number_for(pk: int) -> str:
    return f"XFGZ{pk:08d}{secrets.token_hex(2).upper()}"


def render_html(record, **extra) -> str:
    return render_to_string("repair/notice.html", {**context(record), **extra})


def render_pdf(record) -> bytes:
    """The notice as a PDF (WeasyPrint; embeds WenQuanYi Micro Hei when installed)."""
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a PDF is asked for

    html = render_to_string("repair/notice.html", {**context(record), "pdf": True})
    return HTML(string=html).write_pdf()
