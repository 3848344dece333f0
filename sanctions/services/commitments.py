"""信用承诺: recording a commitment, verifying it, and recording a broken one as dishonesty information."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from catalog.models import CatalogItem, MatterType
from credit_platform.exceptions import DomainError
from credit_platform.months import add_months
from credit_platform.policies import active_policy
from records.models import Record
from records.services.ingest import ingest
from sanctions import rules
from sanctions.models import Commitment
from sanctions.services.common import log_step, save_with_reason, subject_facts, today
from sanctions.services.evaluation import recompute_evaluation
from sanctions.services.red_list import check_red_list


# --- commitments --------------------------------------------------------------------------------------------------
def commitment_route_for(subject) -> rules.CommitmentRoute:
    return rules.commitment_route(subject_facts(subject), active_policy())


ROUTE_KINDS = (Commitment.CommitmentKind.LICENCE, Commitment.CommitmentKind.CERTIFICATE)


@transaction.atomic
def record_commitment(*, department, subject, source_ref: str, title: str, content: str, made_on: date,
                      kind: str = Commitment.CommitmentKind.LICENCE, matter=None, licence_number: str = "",
                      licence_decided_on: date | None = None, actor) -> tuple[Commitment, bool]:
    """Record a commitment (Karamay art. 8, Heilongjiang art. 34). Idempotent on (department, source_ref). The
    verification is due the profile's number of months after the licence (Heilongjiang art. 30)."""
    existing = Commitment.objects.filter(department=department, source_ref=source_ref).first()
    if existing:
        return existing, False
    if kind in ROUTE_KINDS:
        route = commitment_route_for(subject)
        if not route.allowed:
            raise DomainError("commitment_route_barred", f"{route.reason}（{route.article}）",
                                fields={"subject": list(route.because)})
    policy = active_policy()
    months = policy.commitment_check_months.value
    start = licence_decided_on or made_on
    due = add_months(start, months) if (months and kind in ROUTE_KINDS) else None
    c = Commitment.objects.create(
        department=department, subject=subject, source_ref=source_ref, kind=kind, matter=matter, title=title,
        content=content, made_on=made_on, licence_number=licence_number, licence_decided_on=licence_decided_on,
        verification_due=due, verification_article=policy.commitment_check_months.article[:300],
        public=subject.type != "natural_person",
    )
    log_step(c, "recorded", actor, title, verification_due=due)
    return c, True


COMMITMENT_TYPE_LABELS = {
    Commitment.CommitmentKind.LICENCE: "审批替代型", Commitment.CommitmentKind.CERTIFICATE: "审批替代型",
    Commitment.CommitmentKind.VOLUNTARY: "主动型", Commitment.CommitmentKind.INDUSTRY: "行业自律型",
    Commitment.CommitmentKind.REPAIR: "信用修复型",
}


def _commitment_catalog_item(department):
    """The published catalog item under which a broken commitment is recorded as dishonesty (Karamay art. 13(1))."""
    items = CatalogItem.objects.filter(
        category="dishonesty", matter_type=MatterType.COMMITMENT, version__status="published",
        providers=department,
    ).order_by("-version__effective_from", "-id")
    return items.first()


def _push_dishonesty_record(c: Commitment, *, breach: str, severity: str, finding_number: str,
                            finding_date: date, note: str):
    item = _commitment_catalog_item(c.department)
    if item is None:
        raise DomainError("no_catalog_item", "目录中没有本部门提供的“违反信用承诺”失信信息事项，无法记入 / no published "
                            "catalog item for broken commitments provided by this department")
    s = c.subject
    identity = {"type": s.type, "code_type": s.code_type, "code": s.code, "name": s.name}
    if s.birth_date and s.code_type not in ("ric", "uscc"):
        identity["birth_date"] = s.birth_date.isoformat()
    row = {
        "source_ref": f"commitment:{c.pk}", "catalog_item": item.code, "subject": identity, "severity": severity,
        "basis_document": {"number": finding_number, "issuer": c.department.name, "issued_on": finding_date.isoformat()},
        "decided_on": finding_date.isoformat(),
        "content": {
            # the keys of the catalog's commitment schema (承诺类型 / 承诺事项 / 承诺日期 / 受理单位 / 履约状态)
            "承诺类型": COMMITMENT_TYPE_LABELS.get(c.kind, "主动型"), "承诺事项": c.title,
            "承诺日期": c.made_on.isoformat(), "受理单位": c.department.name, "履约状态": "未履约",
            "违诺情形": str(Commitment.Breach(breach).label), "核查情况": note[:500],
            **({"原行政决定文号": c.licence_number} if c.licence_number else {}),
        },
    }
    result = ingest(c.department, [row], channel="sanctions")
    if result.rejected:
        r = result.rejected[0]
        raise DomainError("record_rejected", f"失信信息未能记入：{r.get('message')}", fields={r.get("field") or "record": [r.get("code")]})
    return Record.objects.get(source_department=c.department, source_ref=row["source_ref"])


@transaction.atomic
def verify_commitment(c: Commitment, *, result: str, actor, note: str = "", method: str = "",
                      rectify_by: date | None = None, severity: str = "general", finding_number: str = "",
                      revocation_number: str = "", revocation_date: date | None = None) -> Commitment:
    """Verification (Heilongjiang art. 30): kept; ordered to rectify within a term; or false / not fulfilled →
    a dishonesty record (Karamay art. 13(1), Zhangye art. 34(3)) and, where the profile says so, the decision based on
    the commitment is revoked (Qufu art. 47, Heilongjiang art. 30)."""
    c = Commitment.objects.select_for_update().get(pk=c.pk)
    if c.status not in (Commitment.Status.PENDING, Commitment.Status.RECTIFICATION):
        raise DomainError("invalid_state", f"承诺状态为“{c.get_status_display()}”，不能再核查 / already verified")
    day = today()
    c.verified_on, c.verification_note, c.verification_method = day, note, method
    if result == "kept":
        c.status = Commitment.Status.KEPT
    elif result == "rectification":
        if c.status == Commitment.Status.RECTIFICATION:
            raise DomainError("already_rectifying", "已责令整改；整改期满后请作出履行或违诺结论 / already ordered to rectify")
        if not rectify_by or rectify_by <= day:
            raise DomainError("rectify_by_required", "须确定整改期限 / a rectification deadline is required",
                                fields={"rectify_by": ["required"]})
        c.status, c.rectify_by = Commitment.Status.RECTIFICATION, rectify_by
    elif result in Commitment.Breach.values:
        policy = active_policy()
        revokes = bool(policy.false_commitment_revokes_decision.value) and c.kind in ROUTE_KINDS
        if not (finding_number or "").strip():
            raise DomainError("finding_number_required", "须填写认定违诺的文书文号 / the finding document is required",
                                fields={"finding_number": ["required"]})
        if revokes and not (revocation_number or "").strip():
            raise DomainError(
                "revocation_required", f"须撤销依据承诺作出的行政决定并填写撤销决定文号（{policy.false_commitment_revokes_decision.article}）"
                " / the decision must be revoked", fields={"revocation_number": ["required"]},
            )
        c.status, c.breach = Commitment.Status.BROKEN, result
        c.record = _push_dishonesty_record(c, breach=result, severity=severity, finding_number=finding_number.strip(),
                                           finding_date=day, note=note)
        if revokes:
            c.decision_revoked, c.revocation_number, c.revocation_date = True, revocation_number.strip(), revocation_date or day
    else:
        raise DomainError("invalid_result", "核查结论无效 / invalid result", fields={"result": [result]})
    save_with_reason(c, f"核查：{result}")
    log_step(c, f"verified_{result}", actor, note, record=c.record_id, revocation=c.revocation_number)
    if c.status == Commitment.Status.BROKEN:
        subject = c.subject
        transaction.on_commit(lambda: (check_red_list(subject), recompute_evaluation(subject)))
    return c


def public_commitments(subject) -> list[Commitment]:
    """Commitments published on the subject's page (Heilongjiang art. 34); natural persons' are not published."""
    if subject.type == "natural_person":
        return []
    return list(Commitment.objects.filter(subject=subject, public=True).select_related("department", "matter"))
