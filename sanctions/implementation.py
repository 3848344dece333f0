"""Qufu art. 41: the joint reward/punishment implementation report, published.

"不实施联合奖惩的，应当书面说明理由。市社会信用中心应当定期通报社会信用联合奖惩实施情况，并向社会公开。"

Per month and per department: joint checks asked, measures returned, measures applied, measures not applied (each
with its written reason), measures still awaiting feedback. Built by :func:`refresh` (the ``sanctions_implementation``
sweep, nightly) into :class:`~sanctions.models.ImplementationReport` rows; the public page ``/lists/implementation/``
and ``GET /api/v1/joint-check/implementation/`` read those rows. A month is refreshed until the day after it ends,
then kept final. The duty is data in the profile (``joint_sanction_report_public``): without it nothing is built
and nothing is published.

Reasons are published as written, but with resident ID and mobile numbers masked and without the subject: the report
is about the departments' practice, not about who was checked.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q

from credit_platform.models import Department
from credit_platform.policies import active_policy
from credit_platform.privacy import mask_text
from credit_platform.workdays import LOCAL_TZ, local_date

from sanctions.models import CheckedMeasure, ImplementationReport, JointCheck

#: Written reasons shown per department and month (the counts cover all of them).
REASONS_SHOWN = 50

APPLIED, NOT_APPLIED = CheckedMeasure.Outcome.APPLIED, CheckedMeasure.Outcome.NOT_APPLIED


def duty_article() -> str | None:
    rule = active_policy().joint_sanction_report_public
    return rule.article if rule.value else None


def _month_bounds(period: date) -> tuple[datetime, datetime]:
    first = period.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return (datetime.combine(first, time.min, tzinfo=LOCAL_TZ), datetime.combine(nxt, time.min, tzinfo=LOCAL_TZ))


def build(period: date) -> tuple[list[dict], dict]:
    """The rows for the month containing ``period`` (checks asked in that month, Asia/Shanghai)."""
    start, end = _month_bounds(period)
    in_month = Q(check_ref__asked_at__gte=start, check_ref__asked_at__lt=end)
    counts = {
        row["check_ref__department"]: row
        for row in CheckedMeasure.objects.filter(in_month).values("check_ref__department").annotate(
            returned=Count("id"), applied=Count("id", filter=Q(outcome=APPLIED)),
            not_applied=Count("id", filter=Q(outcome=NOT_APPLIED)),
        )
    }
    asked = dict(JointCheck.objects.filter(asked_at__gte=start, asked_at__lt=end).values("department")
                 .annotate(n=Count("id")).values_list("department", "n"))
    reasons: dict[int, list[dict]] = {}
    for item in (CheckedMeasure.objects.filter(in_month, outcome=NOT_APPLIED).select_related("measure")
                 .order_by("check_ref__department", "-reported_at", "id")
                 .values("check_ref__department", "measure__code", "measure__name", "reason", "reported_at")):
        shown = reasons.setdefault(item["check_ref__department"], [])
        if len(shown) < REASONS_SHOWN:
            shown.append({"measure_code": item["measure__code"], "measure": item["measure__name"],
                          "reason": mask_text(item["reason"]),
                          "reported_on": local_date(item["reported_at"]).isoformat() if item["reported_at"] else None})
    rows = []
    totals = {"checks": 0, "returned": 0, "applied": 0, "not_applied": 0, "pending": 0}
    for dept in Department.objects.filter(pk__in=set(asked) | set(counts)).order_by("code"):
        c = counts.get(dept.pk, {"returned": 0, "applied": 0, "not_applied": 0})
        reported = c["applied"] + c["not_applied"]
        row = {
            "department_code": dept.code, "department": dept.name, "checks": asked.get(dept.pk, 0),
            "returned": c["returned"], "applied": c["applied"], "not_applied": c["not_applied"],
            "pending": c["returned"] - reported,
            "feedback_rate": round(reported / c["returned"], 4) if c["returned"] else None,
            "not_applied_reasons": reasons.get(dept.pk, []),
        }
        rows.append(row)
        for key in totals:
            totals[key] += row[key]
    totals["feedback_rate"] = (
        round((totals["applied"] + totals["not_applied"]) / totals["returned"], 4) if totals["returned"] else None
    )
    return rows, totals


def refresh(now: datetime) -> dict[str, int]:
    """The sweep: rebuild the current month and every earlier month not yet final (idempotent; catches up)."""
    article = duty_article()
    if article is None:
        return {"refreshed": 0}
    today = local_date(now)
    current = today.replace(day=1)
    first_check = JointCheck.objects.order_by("asked_at").values_list("asked_at", flat=True).first()
    months = {current}
    if first_check is not None:
        month = local_date(first_check).replace(day=1)
        final = set(ImplementationReport.objects.filter(final=True).values_list("period", flat=True))
        while month < current:
            if month not in final:
                months.add(month)
            month = (month + timedelta(days=32)).replace(day=1)
    for month in sorted(months):
        rows, totals = build(month)
        ImplementationReport.objects.update_or_create(period=month, defaults={
            "rows": rows, "totals": totals, "article": article[:300], "final": month < current, "refreshed_at": now,
        })
    return {"refreshed": len(months)}


def published(period: date | None = None) -> ImplementationReport | None:
    """The report for ``period`` (a month), or the latest one; ``None`` without the duty."""
    if duty_article() is None:
        return None
    qs = ImplementationReport.objects.all()
    if period is not None:
        return qs.filter(period=period.replace(day=1)).first()
    return qs.order_by("-period").first()


def periods() -> list[date]:
    return list(ImplementationReport.objects.order_by("-period").values_list("period", flat=True))


def parse_period(value: str | None) -> date | None:
    """``YYYY-MM`` → the first of that month; ``ValueError`` for anything else."""
    if not value:
        return None
    text = value.strip()
    if len(text) != 7 or text[4] != "-":
        raise ValueError(text)
    return date(int(text[:4]), int(text[5:]), 1)
