"""The joint reward/punishment check (联合奖惩自动比对, Heilongjiang art. 46, Qufu art. 41).

A department asks, before acting on a matter, which published measures apply to a subject. The answer lists only
measures of a list published and in force at that moment, attached to that matter, whose trigger the subject meets
proportionately (``rules.matching_reasons``), each with the records or list entries it rests on. Every check is
logged (append-only ``JointCheck`` plus the platform's hash-chained query log); the department then reports for
each measure whether it applied it, or why not in writing (Qufu art. 41). Feedback can only be given for measures the
platform returned, so the platform can show that no unpublished or disproportionate measure was ever applied
(``audit_applied``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts import querylog
from credit_platform.exceptions import DomainError
from credit_platform.identifiers import check_ric, check_uscc
from credit_platform.models import Department
from credit_platform.policies import active_policy
from credit_platform.privacy import identifier_hash, looks_like_organisation_code, stored_form
from records.models import Record, Subject
from sanctions import rules
from sanctions.models import CheckedMeasure, JointCheck, Matter, Measure
from sanctions.services import credential_label, live_refs, log_step, subject_facts

logger = logging.getLogger(__name__)


def find_subject(code: str):
    code = (code or "").strip().upper()
    if not code:
        return None
    return Subject.objects.filter(code__iexact=code).order_by("id").first()


def subject_code_error(code: str, today) -> str | None:
    """Why ``code`` cannot identify a subject, or None. A malformed code is an error, never a clean subject (a typo
    in a 统一社会信用代码 or 公民身份号码 must not answer "no measures apply").

    An 18-character code must be a valid USCC (GB 32100, with the GB 11714 organisation code check) or a valid
    resident ID number (GB 11643: check digit, birth date, region); anything else (passport and other documents)
    must be the code of a subject on file — the platform cannot check those numbers, so an unknown one is refused
    rather than read as clean.
    """
    code = (code or "").strip().upper()
    if not code:
        return "required"
    if len(code) == 18:
        ric_error = check_ric(code, today).error
        if ric_error is None:
            return None
        uscc_error = check_uscc(code).error
        if uscc_error is None:
            return None
        # Report the error of the kind the code looks like: 17 digits with a 19xx/20xx birth year read as an ID number.
        looks_personal = code[:17].isdigit() and code[6:8] in ("19", "20")
        return ric_error if looks_personal else uscc_error
    return None if find_subject(code) is not None else "unknown_identifier"


_CODE_MESSAGES = {
    "required": "请填写信用主体的统一社会信用代码或身份证件号码 / the subject code is required",
    "unknown_identifier": "不是有效的统一社会信用代码或公民身份号码，且平台没有以该证件号码登记的主体 / not a valid USCC or "
                          "resident ID number, and no subject on file has this document number",
}


def active_matters():
    return Matter.objects.filter(active=True)


def _measure_answer(m: Measure, because: list[str]) -> dict:
    return {
        "code": m.code,
        "name": m.name,
        "kind": m.kind,
        "legal_basis": m.legal_basis,
        "because": because,
        "tier": m.tier,
        "means": m.means,
        "implementer": m.implementer,
        "list": {"title": m.measure_list.title, "version": m.measure_list.version_label,
                 "level": m.measure_list.level,
                 "published_at": m.measure_list.published_at.isoformat() if m.measure_list.published_at else None},
    }


def run_check(*, department, actor, subject_code: str, matter_code: str, now: datetime | None = None) -> JointCheck:
    """Answer and log one check. Unknown matter → ``DomainError('unknown_matter')``; a subject not on file has no
    records, so nothing applies (the answer says ``subject_found: false``)."""
    now = now or timezone.now()
    error = subject_code_error(subject_code, timezone.localdate(now))
    if error:
        raise DomainError("invalid_subject_code", _CODE_MESSAGES.get(
            error, f"信用主体代码格式或校验位错误（{error}），请核对后重新比对 / malformed subject code ({error})"),
            fields={"subject": [error]})
    matter = active_matters().filter(code=(matter_code or "").strip()).first()
    if matter is None:
        raise DomainError("unknown_matter", "未知的应用事项 / unknown matter (GET /api/v1/joint-check/matters/)",
                            fields={"matter": ["unknown"]})
    policy = active_policy()
    subject = find_subject(subject_code)
    facts = subject_facts(subject) if subject else rules.SubjectFacts(subject_type="")
    measures = (
        Measure.objects.published(now).filter(matters=matter).select_related("measure_list")
        .order_by("kind", "measure_list__level", "sort_order", "code")
    )
    hits: list[tuple[Measure, list[str]]] = []
    if subject is not None:
        for m in measures:
            because = rules.matching_reasons(m, facts, policy)
            if because:
                hits.append((m, because))
    route = rules.commitment_route(facts, policy) if subject else rules.CommitmentRoute(True, "主体无信用记录", "")
    asked_code = (subject_code or "").strip()[:64]
    # A person's number is matched, never kept: the log holds its mask and keyed hash (credit_platform.privacy).
    personal = subject.is_natural_person if subject is not None else not looks_like_organisation_code(asked_code)
    with transaction.atomic():
        check = JointCheck(department=department, requested_by=credential_label(actor), subject=subject,
                           subject_code=stored_form(asked_code, personal), subject_code_hash=identifier_hash(asked_code),
                           matter=matter, asked_at=now, policy_code=policy.code)
        check.answer = {
            "check_id": str(check.check_id),
            "subject": check.subject_code,
            "subject_found": subject is not None,
            "matter": matter.code,
            "asked_at": now.isoformat(),
            "policy": policy.name,
            "measures": [_measure_answer(m, because) for m, because in hits],
            "commitment_route": route.as_dict() if matter.commitment_route else None,
            "grade": facts.grade,
        }
        check.save()
        CheckedMeasure.objects.bulk_create([
            CheckedMeasure(check_ref=check, measure=m, kind=m.kind, because=because) for m, because in hits
        ])
        if subject is not None:
            _append_query_log(actor, subject, check, matter)
    return check


def _append_query_log(actor, subject, check: JointCheck, matter: Matter) -> None:
    """Also log the check in the platform's hash-chained query log (accounts app)."""
    querylog.append(
        actor=actor, subject=subject, action="government", channel="api",
        scope={"joint_check": str(check.check_id), "matter": matter.code,
               "measures": [m["code"] for m in check.answer["measures"]]},
        purpose=matter.query_purpose, purpose_label=f"联合奖惩比对：{matter.name}", reference=str(check.check_id)[:64],
    )


# --- feedback -------------------------------------------------------------------------------------------------------
OUTCOMES = (CheckedMeasure.Outcome.APPLIED, CheckedMeasure.Outcome.NOT_APPLIED)


def report_feedback(check: JointCheck, *, department, results: list[dict], actor) -> list[CheckedMeasure]:
    """``results``: ``[{"measure": code, "outcome": "applied"|"not_applied", "reason": "..."}]``.

    Not applying needs a written reason (Qufu art. 41). "Applied" is refused when every reason the measure rested on
    is gone by now (repaired, removed). A result is given once (compare-and-swap); repeating the same one is fine.
    """
    if check.department_id != department.pk:
        raise DomainError("not_found", "比对记录不存在 / no such check", status=404)
    by_code = {cm.measure.code: cm for cm in check.results.select_related("measure")}
    errors: dict[str, list[str]] = {}
    parsed = []
    for i, item in enumerate(results or []):
        code = str((item or {}).get("measure") or "")
        outcome = (item or {}).get("outcome")
        reason = str((item or {}).get("reason") or "").strip()
        if code not in by_code:
            errors[f"results[{i}].measure"] = ["该措施不在本次比对结果中 / not a measure of this check"]
            continue
        if outcome not in OUTCOMES:
            errors[f"results[{i}].outcome"] = ["须为 applied 或 not_applied"]
            continue
        if outcome == CheckedMeasure.Outcome.NOT_APPLIED and not reason:
            errors[f"results[{i}].reason"] = ["不实施联合奖惩的，应当书面说明理由（曲阜第四十一条）/ a written reason is required"]
            continue
        parsed.append((by_code[code], outcome, reason))
    if not results:
        errors["results"] = ["required"]
    if errors:
        raise DomainError("invalid_feedback", "反馈有误 / invalid feedback", fields=errors)
    subject = check.subject
    live = live_refs(subject) if subject is not None else set()
    for cm, outcome, _reason in parsed:
        if outcome == CheckedMeasure.Outcome.APPLIED and cm.kind == rules.PUNISHMENT and not set(cm.because) & live:
            raise DomainError("basis_gone", f"措施“{cm.measure.name}”依据的信息已修复或名单已移出，不得实施 / the basis of "
                                f"{cm.measure.code} is gone", fields={"measure": [cm.measure.code]})
    now = timezone.now()
    out = []
    with transaction.atomic():
        for cm, outcome, reason in parsed:
            changed = CheckedMeasure.objects.filter(pk=cm.pk, outcome=CheckedMeasure.Outcome.PENDING).update(
                outcome=outcome, reason=reason, reported_at=now, reported_by=credential_label(actor),
            )
            cm.refresh_from_db()
            if not changed and (cm.outcome != outcome or cm.reason != reason):
                raise DomainError("already_reported", f"措施 {cm.measure.code} 已反馈为“{cm.get_outcome_display()}”"
                                    " / feedback already given", fields={"measure": [cm.measure.code]}, status=409)
            if changed:
                log_step(cm, f"feedback_{outcome}", actor, reason)
            out.append(cm)
    return out


# --- statistics and the audit ----------------------------------------------------------------------------------------
def feedback_rates(*, since: datetime | None = None) -> list[dict]:
    """Per department: checks asked, measures returned, reported (applied / not applied), pending, feedback rate."""
    qs = CheckedMeasure.objects.all()
    checks = JointCheck.objects.all()
    if since:
        qs = qs.filter(check_ref__asked_at__gte=since)
        checks = checks.filter(asked_at__gte=since)
    per_dept = {
        row["check_ref__department"]: row for row in qs.values("check_ref__department").annotate(
            returned=Count("id"),
            applied=Count("id", filter=Q(outcome=CheckedMeasure.Outcome.APPLIED)),
            not_applied=Count("id", filter=Q(outcome=CheckedMeasure.Outcome.NOT_APPLIED)),
        )
    }
    asked = dict(checks.values("department").annotate(n=Count("id")).values_list("department", "n"))
    out = []
    for dept in Department.objects.filter(pk__in=set(asked) | set(per_dept)).order_by("code"):
        row = per_dept.get(dept.pk, {"returned": 0, "applied": 0, "not_applied": 0})
        reported = row["applied"] + row["not_applied"]
        out.append({
            "department": dept, "checks": asked.get(dept.pk, 0), "returned": row["returned"],
            "applied": row["applied"], "not_applied": row["not_applied"], "pending": row["returned"] - reported,
            "rate": (reported / row["returned"]) if row["returned"] else None,
        })
    return out


@dataclass(frozen=True)
class Violation:
    checked_measure_id: int
    measure: str
    problem: str


def audit_applied() -> list[Violation]:
    """Re-verify every measure reported as applied: its list was published and in force when the check was asked,
    it was not withdrawn, the subject type was a target, and each record it rested on has a severity the measure
    names (no severe-tier measure for a general act). An empty list is the proof the issue asks for."""
    problems: list[Violation] = []
    applied = CheckedMeasure.objects.filter(outcome=CheckedMeasure.Outcome.APPLIED).select_related(
        "measure__measure_list", "check_ref__subject")
    for cm in applied.iterator():
        m, lst, asked = cm.measure, cm.measure.measure_list, cm.check_ref.asked_at
        if lst.published_at is None or lst.published_at > asked or (lst.repealed_at and lst.repealed_at <= asked):
            problems.append(Violation(cm.pk, m.code, "清单在比对时未公布或已废止 / list not published at the time"))
        if lst.effective_from and lst.effective_from > timezone.localdate(asked):
            problems.append(Violation(cm.pk, m.code, "清单在比对时尚未施行 / list not in force at the time"))
        historical = m.history.filter(history_date__lte=asked).order_by("-history_date").first()
        if historical is not None and historical.withdrawn:
            problems.append(Violation(cm.pk, m.code, "措施在比对时已停止实施 / measure withdrawn at the time"))
        subject = cm.check_ref.subject
        if subject is None or subject.type not in (m.target_types or []):
            problems.append(Violation(cm.pk, m.code, "主体类型不是实施对象 / subject type not targeted"))
        record_ids = [int(r.split(":")[1]) for r in cm.because if r.startswith("record:")]
        for rid in record_ids:
            # The record as it stood when the check was asked (a later correction does not rewrite the past).
            then = (Record.history.filter(id=rid, history_date__lte=asked).order_by("-history_date", "-history_id")
                    .values("category", "severity").first()
                    or Record.objects.filter(id=rid).values("category", "severity").first())
            if then is None:
                problems.append(Violation(cm.pk, m.code, f"record:{rid} 不存在 / missing record"))
                continue
            category, severity = then["category"], then["severity"]
            if category == rules.DISHONESTY and not rules.proportionate(m, severity):
                problems.append(Violation(cm.pk, m.code, f"record:{rid} 严重程度为 {severity}，措施不适用 / disproportionate"))
        if not cm.because:
            problems.append(Violation(cm.pk, m.code, "没有依据 / no basis"))
    return problems
