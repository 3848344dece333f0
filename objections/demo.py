"""Demo objections in different states on demo records (idempotent; called by ``bootstrap_demo`` after records)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from credit_platform.models import Department, User
from objections import complaints, services
from objections.models import Complaint, ObjectionRecord

DEMO = "【演示】"


def _records(n: int):
    from records.models import Record

    taken = set(ObjectionRecord.objects.values_list("record_id", flat=True))
    qs = Record.objects.filter(category="dishonesty", status="active", parent__isnull=True).order_by("pk")
    out = []
    for record in qs.iterator():
        if record.pk not in taken:
            out.append(record)
        if len(out) == n:
            break
    return out


def populate(stdout=None) -> None:
    from objections.models import Objection

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

    def file(record, days_ago: float, ground: str, text: str, channel: str = "counter", who=None):
        return services.file_objection(
            records=[record], ground=ground, statement=DEMO + text, actor=handler, channel=channel,
            handling_department=centre, received_at=now - timedelta(days=days_ago), applicant=who,
            applicant_name="" if who else record.subject.name, applicant_phone="13800000000",
        )

    fresh = file(records[0], 0.1, "inaccurate", "处罚决定书记载的罚款金额与实际不符。", channel="portal", who=applicant)
    reviewing = file(records[1], 3, "wrongly_listed", "违法行为轻微，依法不应列为失信信息。")
    services.start_review(reviewing, actor=handler)
    if services.clock.extension_allowed(reviewing.policy) is None:
        services.extend(reviewing, approved_by="信用中心 李主任", reason="需调取原始执法案卷核实", actor=handler)
    decided = file(records[2], 6, "over_period", "该信息公示期限已届满仍在公开。")
    services.decide(decided, outcome="unchanged", reasons="经核查，该信息仍在法定公示期内，不予变更。", actor=handler)
    overdue = file(records[3], 30, "privacy", "公示内容包含本人住址，侵犯个人隐私。")
    services.mark(overdue, actor=handler, now=overdue.received_at + timedelta(hours=2))

    if not Complaint.objects.filter(statement__startswith=DEMO).exists():
        complaints.file_complaint(
            collector_name="克拉玛依某信用服务有限公司", statement=DEMO + "未经本人授权采集并对外提供个人信用信息。",
            complainant_name="张伟", complainant_phone="13800000000", actor=handler, handling_department=centre,
            received_at=now - timedelta(days=2),
        )
    if stdout is not None:
        stdout.write(f"  objections: {fresh.number}（已受理）, {reviewing.number}（核查中）, {decided.number}（已办结）, "
                     f"{overdue.number}（逾期）; 1 complaint")
