"""Rows for templates and the API: what a record looks like in public (masked) and to its subject (everything)."""

from __future__ import annotations

from datetime import date

from credit_platform.privacy import mask_name
from disclosure.masking import public_content
from records.models import Record, RecordChange

PUBLIC_GROUPS = (
    ("licence", "行政许可"),
    ("penalty", "行政处罚"),
    ("red", "守信信息（红名单、表彰奖励）"),
    ("severe", "严重失信主体名单"),
    ("commitment", "信用承诺"),
    ("basic", "基础信息"),
    ("other", "其他信息"),
)


def public_group_of(record) -> str:
    matter = getattr(record.catalog_item, "matter_type", "")
    if record.category == "dishonesty" and record.severity in ("severe", "specific_severe"):
        return "severe"
    if matter == "administrative_licence":
        return "licence"
    if matter == "administrative_penalty":
        return "penalty"
    if matter == "commitment":
        return "commitment"
    if record.category == "trust":
        return "red"
    if record.category == "basic":
        return "basic"
    return "other"


def _names_in(record) -> list[str]:
    names = []
    for person in record.responsible_persons or []:
        if isinstance(person, dict):
            names += [str(v) for k, v in person.items() if "name" in k and isinstance(v, str)]
    return names


def public_record_row(record) -> dict:
    """Exactly what the public sees of a record: no personal fields, names and numbers masked."""
    return {
        "id": record.pk,
        "catalog_item": record.catalog_item.code,
        "catalog_item_name": record.catalog_item.name,
        "category": record.category,
        "category_label": record.get_category_display(),
        "severity": record.severity,
        "severity_label": record.get_severity_display() if record.severity else "",
        "penalty_types": list(record.penalty_types or []),
        "basis_number": record.basis_number,
        "basis_issuer": record.basis_issuer,
        "decided_on": record.decided_on,
        "source_department": record.source_department.name,
        "public_from": record.public_from,
        "public_until": record.public_until,
        "long_term": bool(record.window.long_term),
        "disputed": record.disputed,
        "content": public_content(record.content or {}, _names_in(record)),
    }


def group_public_records(records) -> list[dict]:
    buckets: dict[str, list] = {}
    for r in records:
        buckets.setdefault(public_group_of(r), []).append(public_record_row(r))
    return [{"key": key, "title": title, "rows": buckets[key]} for key, title in PUBLIC_GROUPS if key in buckets]


# What a visitor expects at the top of an organisation's page (信用中国's 基本信息), in this order. Values come from the
# newest public registration record, through the same masking as every public record (public_content).
REGISTRATION_FACTS = ("登记机关", "成立日期", "住所", "注册资本（万元）", "登记状态", "经营范围")
# An individual business's 住所 is often its keeper's home: never on a public page (行政处罚结果信息网上公示暂行办法 art. 7
# hides natural persons' addresses; the 个体工商户's keeper is a natural person).
_PERSONAL_FACTS_OF = {"individual_business": ("住所",)}


def registration_facts(subject, records) -> list[dict]:
    """Label/value rows from the subject's newest public registration record (登记注册信息), masked; [] when none."""
    registrations = [
        r for r in records
        if getattr(r.catalog_item, "matter_type", "") == "registration" and isinstance(r.content, dict)
    ]
    if not registrations:
        return []
    newest = max(registrations, key=lambda r: (r.decided_on or date.min, r.pk))
    content = public_content(newest.content, _names_in(newest))
    hidden = _PERSONAL_FACTS_OF.get(subject.type, ())
    return [
        {"label": label, "value": content[label]}
        for label in REGISTRATION_FACTS
        if label not in hidden and content.get(label) not in (None, "")
    ]


def related_persons_public(subject) -> list[dict]:
    rows = []
    for rp in subject.related_persons.select_related("person").filter(until__isnull=True).order_by("role", "id"):
        rows.append({"role": rp.role, "role_label": rp.get_role_display(), "name": mask_name(rp.person.name)})
    return rows


def own_record_rows(records, *, third_party: bool = False) -> list[dict]:
    """Everything about each record for its subject (or an authorised grantee): why, until when, from whom, history."""
    ids = [r.pk for r in records]
    changes: dict[int, list] = {}
    for ch in RecordChange.objects.filter(record_id__in=ids).select_related("department").order_by("requested_at"):
        changes.setdefault(ch.record_id, []).append(ch)
    history: dict[int, list] = {}
    if not third_party:
        for h in Record.history.filter(id__in=ids).order_by("history_date").values(
            "id", "history_date", "history_type", "history_change_reason", "status", "public_until"
        ):
            history.setdefault(h["id"], []).append(h)
    rows = []
    for r in records:
        window = getattr(r, "window", None)
        rows.append({
            "record": r,
            "id": r.pk,
            "item": r.catalog_item,
            "category_label": r.get_category_display(),
            "severity_label": r.get_severity_display() if r.severity else "",
            "status": r.status,
            "status_label": r.get_status_display(),
            "source": r.source_department.name,
            "content": r.content or {},
            "published": bool(window and window.published),
            "suppressed": bool(window and window.suppressed),
            "state": window.get_state_display() if window else "未计算",
            "state_code": window.state if window else "",
            "long_term": bool(window and window.long_term),
            "pending_end": bool(window and window.pending_end),
            "min_until": window.min_until if window else None,
            "rule": window.window_rule if window else "",
            "article": window.window_article if window else "",
            "reason": window.window_reason if window else "",
            "retain_rule": window.retain_rule if window else "",
            "retain_article": window.retain_article if window else "",
            "changes": changes.get(r.pk, []),
            "history": history.get(r.pk, []),
        })
    return rows
