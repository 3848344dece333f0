"""信用修复告知书 — the repair notice delivered with every dishonesty record (两书同达, 国办发〔2025〕22号).

The notice's content is generated from the current eligibility every time it is shown (so the conditions
and the earliest date are always right, even after a correction or a calendar change); a
:class:`~repair.models.RepairNotice` row per dishonesty record keeps its number and when it first reached
the subject. Rows are created for every dishonesty record by the ``repair_deadlines`` sweep
(:func:`ensure_notices`, set-based) and on first display (:func:`notice_for`).

Other apps show the notice with the record by calling :func:`notice_summary(record, viewer=user)` (the
earliest date, whether a repair is possible, the link) — showing it to the subject's own portal user records
the first delivery.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from credit_platform.policies import active_policy
from credit_platform.workdays import local_date
from repair.eligibility import requirements
from repair.models import RepairNotice


def _number(record) -> str:
    return f"XFGZ{record.pk:08d}{secrets.token_hex(2).upper()}"


def notice_for(record) -> RepairNotice:
    notice = RepairNotice.objects.filter(record_id=record.pk).first()
    if notice is None:
        try:
            with transaction.atomic():
                notice = RepairNotice.objects.create(record_id=record.pk, number=_number(record))
        except IntegrityError:
            notice = RepairNotice.objects.get(record_id=record.pk)
    return notice


def ensure_notices(now=None) -> int:
    """Create the notice row of every dishonesty record that has none yet (set-based, idempotent)."""
    from records.models import Record

    missing = Record.objects.filter(category="dishonesty", repair_notice__isnull=True).values_list("pk", flat=True)[:5000]
    rows = [RepairNotice(record_id=pk, number=f"XFGZ{pk:08d}{secrets.token_hex(2).upper()}") for pk in missing]
    RepairNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def mark_delivered(record, user, channel: str = "portal") -> None:
    notice = notice_for(record)
    RepairNotice.objects.filter(pk=notice.pk, first_delivered_at__isnull=True).update(
        first_delivered_at=timezone.now(), delivered_to=user if getattr(user, "pk", None) else None, delivery_channel=channel
    )


def context(record, *, today=None) -> dict:
    from repair.services import check_eligibility

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
    from repair import portal

    ctx = context(record)
    if viewer is not None and portal.can_act_for(viewer, record.subject_id):
        mark_delivered(record, viewer)
    result = ctx["eligibility"]
    return {
        "number": ctx["notice"].number,
        "eligible": result.eligible,
        "earliest_date": result.earliest_date,
        "reasons": [r.as_dict() for r in result.reasons],
        "url": reverse("repair:notice", args=[record.pk]),
    }


def render_html(record, **extra) -> str:
    return render_to_string("repair/notice.html", {**context(record), **extra})


def render_pdf(record) -> bytes:
    """The notice as a PDF (WeasyPrint; embeds WenQuanYi Micro Hei when installed)."""
    from weasyprint import HTML

    html = render_to_string("repair/notice.html", {**context(record), "pdf": True})
    return HTML(string=html).write_pdf()
