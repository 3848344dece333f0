"""Per-department repair statistics (admin page and API)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from credit_platform.workdays import local_date
from repair.models import Status


def department_stats(queryset) -> list[dict]:
    today = local_date(timezone.now())
    rows = (
        queryset.values("department_id", "department__name")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=[Status.SUBMITTED, Status.ACCEPTED])),
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            refused=Count("pk", filter=Q(status=Status.REFUSED)),
            revoked=Count("pk", filter=Q(status=Status.REVOKED)),
            overdue=Count(
                "pk",
                filter=Q(status=Status.SUBMITTED, accept_due__lt=today)
                | Q(status=Status.ACCEPTED, extended_due__isnull=True, decision_due__lt=today)
                | Q(status=Status.ACCEPTED, extended_due__lt=today),
            ),
            decided_late=Count(
                "pk",
                filter=Q(decided_at__isnull=False, extended_due__isnull=True, decision_due__isnull=False)
                & Q(decision_due__lt=TruncDate("decided_at", tzinfo=timezone.get_default_timezone())),
            ),
            decided=Count("pk", filter=Q(decided_at__isnull=False, status__in=[Status.APPROVED, Status.REJECTED, Status.REVOKED])),
        )
        .order_by("department__name")
    )
    out = []
    for r in rows:
        decided = r["decided"] or 0
        out.append({
            "department_id": r["department_id"], "department": r["department__name"], "total": r["total"], "open": r["open"],
            "approved": r["approved"], "rejected": r["rejected"], "refused": r["refused"], "revoked": r["revoked"],
            "overdue": r["overdue"], "decided_late": r["decided_late"],
            "on_time_rate": round(100 * (decided - r["decided_late"]) / decided, 1) if decided else None,
        })
    return out


