"""Qufu art. 61: a trust-information opt-out is told to the providers of the records it withholds.

"信用主体向市社会信用中心申请对其表彰奖励、志愿服务、慈善捐赠等守信信息不作公开公示的，市社会信用中心应当在收到申请之日起
2个工作日内停止提供对外查询服务，并告知公共信用信息提供单位。"

The duty is data in the profile (``trust_opt_out_notify_providers``). One :class:`~credit_platform.models.StatutoryNotice`
per providing department, listing that department's withheld records, sent through the notifications module.
"""

from __future__ import annotations

from collections import defaultdict

from credit_platform.models import Department
from credit_platform.notices import send_notice
from credit_platform.policies import active_policy
from records.models import Record, RecordStatus

DUTY = "trust_opt_out_provider"
DUTY_LABEL = "守信信息不公开：告知信息提供单位"


def notify_providers(opt_out) -> list:
    """Tell every department that provided one of the subject's (unrevoked) trust records; returns the notices."""
    rule = active_policy().trust_opt_out_notify_providers
    if not rule.value:
        return []
    subject = opt_out.subject
    refs: dict[int, list[str]] = defaultdict(list)
    rows = (Record.objects.filter(subject=subject, category="trust", parent__isnull=True)
            .exclude(status=RecordStatus.REVOKED).order_by("source_ref").values_list("source_department_id", "source_ref"))
    for department_id, ref in rows:
        refs[department_id].append(ref)
    centre = Department.objects.filter(is_credit_centre=True).first()
    notices = []
    for department in Department.objects.filter(pk__in=refs).order_by("code"):
        listed = refs[department.pk]
        shown = "、".join(listed[:20]) + (f" 等 {len(listed)} 条" if len(listed) > 20 else f"（共 {len(listed)} 条）")
        notices.append(send_notice(
            key=f"qufu61:optout:{opt_out.pk}:{department.pk}", duty=DUTY, duty_label=DUTY_LABEL, article=rule.article,
            recipient=department, sender=centre, subject_label=str(subject),
            source=f"disclosure.trustoptout:{opt_out.pk}",
            title="守信信息不作公开公示告知",
            body=(f"信用主体 {subject} 申请其守信信息不作公开公示。市社会信用中心已于 "
                  f"{opt_out.stopped_at or opt_out.requested_at:%Y年%m月%d日} 停止提供对外查询服务"
                  f"（法定期限 {opt_out.stop_due:%Y年%m月%d日}）。涉及贵单位提供的信息：{shown}。"),
        ))
    return notices
