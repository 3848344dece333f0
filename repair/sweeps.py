"""The repair sweeps: idempotent, set-based, compare-and-swap (DESIGN.md principle 2).

* ``remind_and_escalate(now)`` — reviewers are reminded ``REPAIR_REMIND_WORKING_DAYS`` working days before an
  acceptance or result date; once a date has passed, the case is escalated to the platform admins. Each
  reminder and each escalation happens once: the due applications are claimed in batches with
  ``SELECT … FOR UPDATE SKIP LOCKED`` (``credit_platform.sweeps.in_batches``: two workers take different rows,
  each batch commits with its events and notifications), and each row is still claimed with
  ``UPDATE … SET x_at = now WHERE pk = … AND x_at IS NULL AND status = …`` and acted on only if that changed it;
  a sweep missed for days catches up on its next run.
* the same sweep creates the repair notice (信用修复告知书) row of every dishonesty record that has none yet.
* ``redeliver_outbox(now)`` — sends every outbox delivery that is due (``records.outbox.redeliver_due``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import DateField
from django.db.models.functions import Coalesce
from django.utils import timezone

from credit_platform.sweeps import each_in_batches, in_batches, run_sweep
from credit_platform.workdays import add_working_days, local_date
from records import outbox, watermark
from records.models import Record
from repair import conf
from repair.models import EventKind, RepairApplication, RepairEvent, Status
from repair.notice import ensure_notices
from repair.services import notify_reviewers

SWEEPS = ("repair_deadlines", "repair_outbox")


def _claim(pk: int, status: str, field: str, now: datetime) -> bool:
    return bool(RepairApplication.objects.filter(pk=pk, status=status, **{f"{field}__isnull": True}).update(**{field: now}))


def _act(pk, status, field, now, kind, title, body_fn, *, escalate) -> bool:
    with transaction.atomic():
        if not _claim(pk, status, field, now):
            return False
        app = RepairApplication.objects.select_related("department").get(pk=pk)
        body = body_fn(app)
        RepairEvent.objects.create(application=app, kind=kind, at=now, actor_label="系统", reason=body, public=False)
        notify_reviewers(app, f"{field}", title, body, escalate=escalate)
    return True


def remind_and_escalate(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = local_date(now)
    horizon = add_working_days(today, conf.remind_working_days()).date
    counts = {"accept_reminded": 0, "accept_escalated": 0, "decision_reminded": 0, "decision_escalated": 0}

    submitted = RepairApplication.objects.filter(status=Status.SUBMITTED, accept_due__isnull=False)
    counts["accept_reminded"] = each_in_batches(
        "repair.accept_reminders",
        submitted.filter(accept_reminded_at__isnull=True, accept_due__gte=today, accept_due__lte=horizon),
        lambda pk: _act(
            pk, Status.SUBMITTED, "accept_reminded_at", now, EventKind.REMINDED, "信用修复申请即将到受理期限",
            lambda a: f"申请 {a.number} 须于{a.accept_due:%Y年%-m月%-d日}前决定是否受理。", escalate=False,
        ),
    )
    counts["accept_escalated"] = each_in_batches(
        "repair.accept_escalations",
        submitted.filter(accept_escalated_at__isnull=True, accept_due__lt=today),
        lambda pk: _act(
            pk, Status.SUBMITTED, "accept_escalated_at", now, EventKind.ESCALATED, "信用修复申请受理逾期",
            lambda a: f"申请 {a.number} 的受理期限{a.accept_due:%Y年%-m月%-d日}已过，仍未决定是否受理（{a.department.name}）。",
            escalate=True,
        ),
    )

    accepted = RepairApplication.objects.filter(status=Status.ACCEPTED).annotate(
        due=Coalesce("extended_due", "decision_due", output_field=DateField())
    ).filter(due__isnull=False)
    counts["decision_reminded"] = each_in_batches(
        "repair.decision_reminders",
        accepted.filter(decision_reminded_at__isnull=True, due__gte=today, due__lte=horizon),
        lambda pk: _act(
            pk, Status.ACCEPTED, "decision_reminded_at", now, EventKind.REMINDED, "信用修复申请即将到办结期限",
            lambda a: f"申请 {a.number} 须于{a.effective_decision_due:%Y年%-m月%-d日}前办结。", escalate=False,
        ),
    )
    counts["decision_escalated"] = each_in_batches(
        "repair.decision_escalations",
        accepted.filter(decision_escalated_at__isnull=True, due__lt=today),
        lambda pk: _act(
            pk, Status.ACCEPTED, "decision_escalated_at", now, EventKind.ESCALATED, "信用修复申请办结逾期",
            lambda a: f"申请 {a.number} 的办结期限{a.effective_decision_due:%Y年%-m月%-d日}已过，尚未作出决定（{a.department.name}）。",
            escalate=True,
        ),
    )
    counts["notices_created"], counts["notices_watermark"] = _create_notices(now)
    return counts


def _create_notices(now: datetime) -> tuple[int, str]:
    """The notice row of every new dishonesty record that has none yet: the records are claimed in batches, so two
    workers never create (or count) the same notice. Only records past the watermark are looked at
    (``records.watermark``): comparing every record with every notice each hour read both tables whole at
    10,000,000 records (bench/EXPLAIN.md). A record that becomes dishonesty later by a correction gets its notice
    when it is first shown (``repair.notice.notice_for``)."""
    created = 0

    def create(ids: list[int]) -> None:
        nonlocal created
        created += ensure_notices(record_ids=ids)

    position = watermark.last("repair_deadlines", "notices_watermark")
    due = Record.objects.filter(pk__gt=position, category="dishonesty", repair_notice__isnull=True)
    in_batches("repair.notices", due, create)
    return created, watermark.advance(position, due, now)


def redeliver_outbox(now: datetime | None = None) -> dict[str, int]:
    return outbox.redeliver_due(now)


def run_all(now: datetime | None = None) -> dict[str, int]:
    return {
        "repair_deadlines": run_sweep("repair_deadlines", remind_and_escalate, now),
        "repair_outbox": run_sweep("repair_outbox", redeliver_outbox, now),
    }
