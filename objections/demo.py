"""Demo objections in different states on demo records (idempotent; called by ``bootstrap_demo`` after records).

The states follow the active profile's clock, not Karamay's: each case's receipt moment is chosen from the
profile's own deadlines (``clock.objection_schedule``) so that "under review" and "decided" are within the
decision period and "overdue" is past it — and where a profile sets no marking period (Qufu art. 59, Fuzhou,
Zhangye) the platform has already marked the objection on receipt, so the demo does not mark it again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from credit_platform import demo_locale
from credit_platform.models import Department, User
from credit_platform.policies import PolicyProfile, active_policy
from objections import clock, complaints, services
from objections.models import Complaint, Objection, ObjectionRecord, Status
from records.models import Record

DEMO = "【演示】"


def _records(n: int):
    taken = set(ObjectionRecord.objects.values_list("record_id", flat=True))
    qs = Record.objects.filter(category="dishonesty", status="active", parent__isnull=True).order_by("pk")
    out = []
    for record in qs.iterator():
        if record.pk not in taken:
            out.append(record)
        if len(out) == n:
            break
    return out


def received_within_decision_period(now: datetime, policy: PolicyProfile, longest_days: int) -> datetime:
    """The earliest receipt moment, at most ``longest_days`` calendar days ago and at least one day ago, whose
    decision date under ``policy`` has not passed today (no decision date: the statute says "及时")."""
    today = timezone.localdate(now)
    for days in range(longest_days, 0, -1):
        received = now - timedelta(days=days)
        due = clock.objection_schedule(received, policy).decision_due
        if due is None or due >= today:
            return received
    return now - timedelta(hours=1)


def status_label(objection) -> str:
    """The state as the admin shows it, plus "逾期" when the decision date has passed (the profile's clock)."""
    label = objection.get_status_display()
    if objection.decision_due and objection.decision_due < timezone.localdate() and objection.status != Status.DECIDED:
        label += "，逾期"
    return label


def populate(stdout=None) -> None:
    if Objection.objects.filter(statement__startswith=DEMO).exists():
        if stdout is not None:
            stdout.write("  objections: demo objections already present")
        return
    centre = Department.objects.filter(is_credit_centre=True).first()
    handler = User.objects.filter(username="handler").first()
    applicant = User.objects.filter(username="enterprise").first()
    records = _records(4)
    if centre is None or len(records) < 4:
        if stdout is not None:
            stdout.write("  objections: skipped (no credit centre or not enough demo records)")
        return
    now = timezone.now()
    policy = active_policy()

    def file(record, received_at: datetime, ground: str, text: str, channel: str = "counter", who=None):
        return services.file_objection(
            records=[record], ground=ground, statement=DEMO + text, actor=handler, channel=channel,
            handling_department=centre, received_at=received_at, applicant=who,
            applicant_name="" if who else record.subject.name, applicant_phone="13800000000",
        )

    def mark_in_time(objection) -> None:
        # Profiles without a marking period marked it on receipt; the others are marked within it.
        if objection.status == Status.RECEIVED:
            services.mark(objection, actor=handler, now=objection.received_at + timedelta(hours=2))

    fresh = file(records[0], now - timedelta(hours=2), "inaccurate", "处罚决定书记载的罚款金额与实际不符。",
                 channel="portal", who=applicant)
    reviewing = file(records[1], received_within_decision_period(now, policy, 3), "wrongly_listed",
                     "违法行为轻微，依法不应列为失信信息。")
    mark_in_time(reviewing)
    services.start_review(reviewing, actor=handler)
    provider = records[1].source_department
    if services.clock.extension_allowed(reviewing.policy) is None:  # Karamay art. 34: approved by the head
        services.extend(reviewing, approved_by="信用中心 李主任", reason="需调取原始执法案卷核实", actor=handler)
    elif policy.objection_decision_days_assisted.value is not None and provider and provider.pk != centre.pk:
        # Heilongjiang art. 53 / Qufu art. 59: another unit verifies, the assisted period applies
        services.request_assistance(reviewing, department=provider, question="请核实处罚决定书原件及违法情节认定。",
                                    actor=handler)
    decided = file(records[2], received_within_decision_period(now, policy, 6), "over_period",
                   "该信息公示期限已届满仍在公开。")
    mark_in_time(decided)
    services.decide(decided, outcome="unchanged", reasons="经核查，该信息仍在法定公示期内，不予变更。", actor=handler)
    overdue = file(records[3], now - timedelta(days=30), "privacy", "公示内容包含本人住址，侵犯个人隐私。")
    mark_in_time(overdue)

    if not Complaint.objects.filter(statement__startswith=DEMO).exists():
        complaints.file_complaint(
            collector_name=demo_locale.current().localise("克拉玛依某信用服务有限公司"), statement=DEMO + "未经本人授权采集并对外提供个人信用信息。",
            complainant_name="张伟", complainant_phone="13800000000", actor=handler, handling_department=centre,
            received_at=now - timedelta(days=2),
        )
    if stdout is not None:
        cases = [Objection.objects.get(pk=o.pk) for o in (fresh, reviewing, decided, overdue)]
        stdout.write("  objections: " + ", ".join(f"{o.number}（{status_label(o)}）" for o in cases)
                     + f"; {policy.short_name} clock; 1 complaint")
