"""Workflows of incentives and punishments. Each step runs in a transaction, checks its preconditions, and is
recorded with who acted and why (``SanctionEvent``).

Stable entry points used by other apps:

* ``on_record_repaired(record, *, actor, reason)`` / ``on_repair_revoked(record, *, actor, reason)`` — the repair
  workflow calls these when a repair is approved / revoked;
* ``on_records_changed(record_ids, *, actor=None)`` — record ingestion may call this after commit (a
  ``post_save`` signal and a history-watermark sweep call it too);
* ``public_list_entries(subject)`` / ``public_commitments(subject)`` — what the portal shows on a subject's page;
* ``subject_facts(subject)`` — everything the rules need to know about a subject.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.links import links_for_subject
from credit_platform.policies import active_policy
from credit_platform.workdays import add_working_days, local_date

from sanctions import rules
from sanctions.models import (
    CheckedMeasure,
    Commitment,
    Defence,
    Evaluation,
    Interview,
    Measure,
    MeasureList,
    RedListEntry,
    SanctionEvent,
    SevereListEntry,
    actor_label,
    user_or_none,
)

logger = logging.getLogger(__name__)

SEVERE = SevereListEntry.Status


class WorkflowError(Exception):
    """A step that may not be taken (now, or in this way). ``code`` is stable; ``message`` is Chinese / English."""

    def __init__(self, code: str, message: str, *, fields: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}


def today() -> date:
    return local_date(timezone.now())


def log_step(obj, step: str, actor, reason: str = "", **data) -> SanctionEvent:
    return SanctionEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, step=step,
        actor=actor_label(actor), actor_user=user_or_none(actor), reason=reason or "", data=_jsonable(data),
    )


def steps_of(obj):
    return SanctionEvent.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _save(obj, reason: str, *fields: str) -> None:
    obj._change_reason = reason[:100]
    obj.save(update_fields=list(fields) if fields else None)


# --- who is told -----------------------------------------------------------------------------------------------------
def department_officers(department) -> list:
    from credit_platform.models import User
    from credit_platform.roles import DEPARTMENT_OFFICER

    if department is None:
        return []
    return list(User.objects.filter(department=department, is_active=True, groups__name=DEPARTMENT_OFFICER).distinct())


def platform_admins() -> list:
    from credit_platform.models import User
    from credit_platform.roles import PLATFORM_ADMIN

    return list(User.objects.filter(is_active=True, groups__name=PLATFORM_ADMIN).distinct())


def subject_users(subject) -> list:
    """Portal users who act for ``subject``: those with a live verified link to its identifier (accounts app)."""
    from credit_platform.models import User

    links = links_for_subject(subject)
    return list(User.objects.filter(pk__in=links.values("user_id"), is_active=True))


def _notify_all(users: Iterable, event_key: str, title: str, body: str = "", link: str = "") -> int:
    from credit_platform.notifications import notify

    sent = 0
    for user in users:
        if notify(user, event_key, title, body, link) is not None:
            sent += 1
    return sent


# --- facts -------------------------------------------------------------------------------------------------------------
def subject_facts(subject, *, exclude_records: Iterable[int] = ()) -> rules.SubjectFacts:
    """What the rules need to know about ``subject``. Records in ``exclude_records`` are treated as no longer in
    force (a repair being applied before the record's status has been written)."""
    from records.models import Record

    excluded = set(exclude_records)
    facts = []
    for row in (
        Record.objects.filter(subject=subject).exclude(status__in=["revoked", "shielded"])
        .values("id", "category", "severity", "status", "decided_on", "domain", "catalog_item__name")
    ):
        status = "repaired" if row["id"] in excluded else row["status"]
        facts.append(rules.RecordFact(row["id"], row["category"], row["severity"] or "", status, row["decided_on"],
                                      row["domain"] or "", row["catalog_item__name"] or ""))
    red = tuple(RedListEntry.objects.filter(subject=subject, status=RedListEntry.Status.LISTED).values_list("id", flat=True))
    severe = tuple(SevereListEntry.objects.filter(subject=subject, status=SEVERE.LISTED).values_list("id", flat=True))
    broken = tuple(broken_commitments(subject).exclude(record_id__in=excluded).values_list("id", flat=True))
    evaluation = Evaluation.objects.filter(subject=subject).values("id", "grade").first()
    return rules.SubjectFacts(
        subject_type=subject.type, records=tuple(facts), red_list_ids=red, severe_list_ids=severe,
        broken_commitment_ids=broken, grade=evaluation["grade"] if evaluation else None,
        evaluation_id=evaluation["id"] if evaluation else None,
    )


def broken_commitments(subject):
    """False or broken commitments whose dishonesty record has not been repaired (or revoked)."""
    return Commitment.objects.filter(subject=subject, status=Commitment.Status.BROKEN).exclude(
        record__status__in=["repaired", "revoked"]
    )


def subject_is_public(subject) -> bool:
    """Organisations' list memberships are public; natural persons' only where the profile says their dishonesty
    information is public (Karamay art. 36, Qufu art. 36, Heilongjiang art. 24)."""
    if subject.type != "natural_person":
        return True
    return bool(rules.value_of(active_policy(), "natural_person_dishonesty_public", False))


# --- measure lists -------------------------------------------------------------------------------------------------
def _require_list(lst: MeasureList, *allowed) -> None:
    if lst.status not in allowed:
        raise WorkflowError("invalid_state", f"清单状态为“{lst.get_status_display()}”，不能执行此操作 / not allowed in "
                                             f"status {lst.status}")


def measure_list_errors(lst: MeasureList) -> dict[str, dict]:
    policy = active_policy()
    out = {}
    for m in lst.measures.all():
        errors = rules.measure_errors(m, policy)
        if errors:
            out[m.code] = errors
    return out


@transaction.atomic
def open_public_comment(lst: MeasureList, *, actor, opens_on: date | None = None, closes_on: date | None = None) -> MeasureList:
    """Karamay art. 23 para. 3, Heilongjiang art. 39: the draft is put to public comment."""
    _require_list(lst, MeasureList.Status.DRAFT)
    if not lst.measures.exists():
        raise WorkflowError("empty_list", "清单没有措施 / the list has no measures")
    errors = measure_list_errors(lst)
    if errors:
        raise WorkflowError("invalid_measures", "清单中有不合规的措施 / some measures are not valid", fields=errors)
    lst.status = MeasureList.Status.PUBLIC_COMMENT
    lst.comment_opens_on = opens_on or today()
    lst.comment_closes_on = closes_on
    _save(lst, "公开征求意见")
    log_step(lst, "public_comment", actor, "公开征求意见", closes_on=closes_on)
    return lst


@transaction.atomic
def approve_list(lst: MeasureList, *, actor, approval_document: str) -> MeasureList:
    """The people's government approves (Karamay art. 23). Supplementary lists must have been put to public comment;
    the national base list is adopted as issued."""
    if lst.level == MeasureList.Level.NATIONAL:
        _require_list(lst, MeasureList.Status.DRAFT, MeasureList.Status.PUBLIC_COMMENT)
    else:
        _require_list(lst, MeasureList.Status.PUBLIC_COMMENT)
    if not (approval_document or "").strip():
        raise WorkflowError("approval_document_required", "须填写批准文件 / the approval document is required",
                            fields={"approval_document": ["required"]})
    errors = measure_list_errors(lst)
    if errors:
        raise WorkflowError("invalid_measures", "清单中有不合规的措施 / some measures are not valid", fields=errors)
    lst.approval_document = approval_document.strip()
    lst.approved_at = timezone.now()
    lst.status = MeasureList.Status.APPROVED
    lst.save()
    log_step(lst, "approved", actor, lst.approval_document)
    return lst


@transaction.atomic
def publish_list(lst: MeasureList, *, actor, publication_ref: str = "", effective_from: date | None = None) -> MeasureList:
    """Publish an approved list; from now on (and from ``effective_from``) its measures can be applied. A previous
    published version of the same list is repealed; the next review is due per the profile."""
    _require_list(lst, MeasureList.Status.APPROVED)
    now = timezone.now()
    lst.status = MeasureList.Status.PUBLISHED
    lst.published_at = now
    lst.publication_ref = publication_ref or lst.publication_ref
    lst.effective_from = effective_from or lst.effective_from or local_date(now)
    months = rules.value_of(active_policy(), "measure_list_review_months")
    lst.review_due = rules.add_months(lst.effective_from, months) if months else None
    lst.save()
    log_step(lst, "published", actor, publication_ref, review_due=lst.review_due)
    for old in MeasureList.objects.filter(
        level=lst.level, title=lst.title, status=MeasureList.Status.PUBLISHED
    ).exclude(pk=lst.pk):
        old.status = MeasureList.Status.REPEALED
        old.repealed_at = now
        old.superseded_by = lst
        old.save()
        log_step(old, "repealed", actor, f"被新版本替代：{lst.version_label}")
    return lst


@transaction.atomic
def repeal_list(lst: MeasureList, *, actor, reason: str) -> MeasureList:
    _require_list(lst, MeasureList.Status.PUBLISHED)
    if not (reason or "").strip():
        raise WorkflowError("reason_required", "须说明理由 / a reason is required")
    lst.status = MeasureList.Status.REPEALED
    lst.repealed_at = timezone.now()
    lst.save()
    log_step(lst, "repealed", actor, reason)
    return lst


@transaction.atomic
def new_list_version(lst: MeasureList, *, actor, version_label: str) -> MeasureList:
    """A new draft copied from ``lst`` (a published list is never edited in place)."""
    copy = MeasureList.objects.create(
        title=lst.title, level=lst.level, version_label=version_label, issuer=lst.issuer, notes=lst.notes,
    )
    for m in lst.measures.all().prefetch_related("matters", "implementing_departments"):
        matters, departments = list(m.matters.all()), list(m.implementing_departments.all())
        m.pk = m.id = None
        m.measure_list = copy
        m.withdrawn = False
        m._state.adding = True
        m.save()
        m.matters.set(matters)
        m.implementing_departments.set(departments)
    log_step(copy, "created_from", actor, f"基于 {lst}")
    return copy


@transaction.atomic
def withdraw_measure(measure: Measure, *, actor, reason: str) -> Measure:
    """Stop applying one published measure at once (e.g. its legal basis was repealed) pending a new list version."""
    if not (reason or "").strip():
        raise WorkflowError("reason_required", "须说明理由 / a reason is required")
    measure.withdrawn = True
    measure.save(update_fields=["withdrawn"])
    log_step(measure, "withdrawn", actor, reason)
    return measure


# --- red list --------------------------------------------------------------------------------------------------------
@transaction.atomic
def add_to_red_list(subject, *, department, criteria: str, actor, valid_until: date | None = None) -> RedListEntry:
    """List a subject that meets the published criteria (Heilongjiang art. 38) and the profile's conditions
    (Karamay art. 22: no dishonesty record, and trust records; Fuzhou art. 16: clean years)."""
    policy = active_policy()
    if not (criteria or "").strip():
        raise WorkflowError("criteria_required", "须写明认定标准及依据 / the criteria are required",
                            fields={"criteria": ["required"]})
    facts = subject_facts(subject)
    eligibility = rules.red_list_eligibility(facts, policy, today())
    if not eligibility.eligible:
        raise WorkflowError("not_eligible", "；".join(eligibility.reasons),
                            fields={"blockers": list(eligibility.blockers)})
    if RedListEntry.objects.filter(subject=subject, department=department, status=RedListEntry.Status.LISTED).exists():
        raise WorkflowError("already_listed", "该主体已在本单位认定的守信激励对象名单中 / already on the red list")
    entry = RedListEntry.objects.create(
        subject=subject, department=department, criteria=criteria.strip(), valid_until=valid_until,
        public=subject_is_public(subject),
    )
    trust_ids = [int(r.split(":")[1]) for r in eligibility.because]
    entry.records.set(trust_ids)
    log_step(entry, "listed", actor, criteria, trust_records=trust_ids)
    transaction.on_commit(lambda: recompute_evaluation(subject))
    return entry


@transaction.atomic
def remove_from_red_list(entry: RedListEntry, *, reason: str, actor, because: Iterable[str] = (), note: str = "") -> bool:
    """Compare-and-swap: only one caller removes a given entry."""
    now = timezone.now()
    changed = RedListEntry.objects.filter(pk=entry.pk, status=RedListEntry.Status.LISTED).update(
        status=RedListEntry.Status.REMOVED, removed_at=now, removal_reason=reason, removal_because=list(because),
        public=False,
    )
    if not changed:
        return False
    entry.refresh_from_db()
    log_step(entry, "removed", actor, note or entry.get_removal_reason_display(), because=list(because))
    _notify_all(department_officers(entry.department), f"sanctions:red:{entry.pk}:removed",
                f"守信激励对象已移出名单：{entry.subject.name}", note or entry.get_removal_reason_display())
    return True


def check_red_list(subject, *, actor=None) -> int:
    """Remove the subject from every red list it no longer qualifies for (a dishonesty record arrived, it was put on
    the severe list, a commitment was broken). Returns the number of entries removed."""
    entries = list(RedListEntry.objects.filter(subject=subject, status=RedListEntry.Status.LISTED))
    if not entries:
        return 0
    policy = active_policy()
    blockers = rules.red_list_blockers(subject_facts(subject), policy, today())
    if not blockers:
        return 0
    note = f"产生失信信息或列入严重失信名单，自动移出（{rules.article_of(policy, 'red_list_requires_no_dishonesty')}）"
    removed = 0
    for entry in entries:
        if remove_from_red_list(entry, reason=RedListEntry.Removal.DISHONESTY, actor=actor or "system",
                                because=blockers, note=note):
            removed += 1
    return removed


# --- severe list: due process ----------------------------------------------------------------------------------
def _require_entry(entry: SevereListEntry, *allowed) -> None:
    if entry.status not in allowed:
        raise WorkflowError("invalid_state", f"名单状态为“{entry.get_status_display()}”，不能执行此操作 / not allowed in "
                                             f"status {entry.status}")


def _check_term(term_months: int | None, *, required: bool) -> None:
    if term_months is None:
        if required:
            raise WorkflowError("term_required", "须确定列入期限 / the listing term is required",
                                fields={"term_months": ["required"]})
        return
    lo, hi = active_policy().effective_publicity_months("severe")
    if not lo <= term_months <= hi:
        raise WorkflowError(
            "term_out_of_range", f"列入期限须在 {lo}–{hi} 个月之间 / the term must be {lo}–{hi} months "
            f"（{active_policy().publicity_severe_months.article}）", fields={"term_months": [f"{lo}-{hi}"]},
        )


def _check_measures(measures: Iterable[Measure]) -> list[Measure]:
    out = []
    published = set(Measure.objects.published().values_list("id", flat=True))
    for m in measures:
        if m.pk not in published:
            raise WorkflowError("measure_not_published", f"措施“{m}”未公布，不得提示或实施 / measure {m.code} is not "
                                f"published", fields={"measures": [m.code]})
        if m.kind != rules.PUNISHMENT or not (m.tier == rules.TIER_SEVERE or m.trigger == rules.TRIGGER_SEVERE_LIST):
            raise WorkflowError("measure_not_for_severe_list", f"措施“{m}”不是严重失信主体惩戒措施 / measure {m.code} is "
                                "not a severe-list measure", fields={"measures": [m.code]})
        out.append(m)
    return out


def validate_proposal(subject, *, reasons: str, basis: str, records: Iterable = (), measures: Iterable[Measure] = (),
                      term_months: int | None = None) -> tuple[list, list[Measure]]:
    """Raise ``WorkflowError`` unless a listing may be proposed this way; return the records and measures."""
    from records.models import SEVERE_TIERS

    missing = {k: ["required"] for k, v in (("reasons", reasons), ("basis", basis)) if not (v or "").strip()}
    if missing:
        raise WorkflowError("required", "须写明事由和依据 / reasons and basis are required", fields=missing)
    records = list(records)
    for r in records:
        if r.subject_id != subject.pk:
            raise WorkflowError("record_of_other_subject", "失信信息不属于该主体 / a record belongs to another subject",
                                fields={"records": [r.pk]})
        if r.category != "dishonesty" or r.severity not in SEVERE_TIERS or r.status not in rules.LIVE_RECORD_STATUSES:
            raise WorkflowError(
                "record_not_severe", "严重失信主体名单只能依据有效的严重失信信息认定 / the severe list needs severe "
                "dishonesty records in force (Karamay 15, Heilongjiang 37)", fields={"records": [r.pk]},
            )
    if not records:
        raise WorkflowError("records_required", "须关联认定依据的严重失信信息 / the severe records are required",
                            fields={"records": ["required"]})
    _check_term(term_months, required=True)
    return records, _check_measures(measures)


@transaction.atomic
def propose_severe_listing(subject, *, department, reasons: str, basis: str, records: Iterable = (),
                           measures: Iterable[Measure] = (), term_months: int | None = None,
                           removal_conditions: str = "", removal_procedure: str = "", remedies: str = "",
                           actor) -> SevereListEntry:
    """Open a case: the facts (severe dishonesty records of the subject), the legal basis of the list and the
    standard applied (Karamay art. 15 para. 1–2), the measures it will prompt, the term and how to get off it."""
    records, measures = validate_proposal(subject, reasons=reasons, basis=basis, records=records, measures=measures,
                                          term_months=term_months)
    entry = SevereListEntry.objects.create(
        subject=subject, department=department, reasons=reasons.strip(), basis=basis.strip(), term_months=term_months,
        removal_conditions=removal_conditions.strip(), removal_procedure=removal_procedure.strip(),
        remedies=remedies.strip(),
    )
    entry.records.set(records)
    entry.measures.set(measures)
    log_step(entry, "proposed", actor, reasons, records=[r.pk for r in records])
    return entry


def defence_period(defence_days: int | None) -> tuple[int, str]:
    """The statement-and-defence period: the profile's number where it sets one (an officer may give more, never
    less); where it sets none, the period the deciding department states in the notice."""
    rule = active_policy().defence_period_days
    if rule.value is not None:
        if defence_days is not None and defence_days < rule.value:
            raise WorkflowError("defence_period_too_short",
                                f"陈述申辩期限不得少于 {rule.value} 个工作日 / at least {rule.value} working days",
                                fields={"defence_days": [str(rule.value)]})
        return (defence_days or rule.value), rule.article
    if not defence_days:
        raise WorkflowError(
            "defence_days_required",
            f"适用规则未规定陈述申辩天数（{rule.article}），须在告知书中确定期限 / the profile sets no period: state it in "
            "the notice", fields={"defence_days": ["required"]},
        )
    return defence_days, f"告知书确定（{rule.article}）"


@transaction.atomic
def send_prior_notice(entry: SevereListEntry, *, actor, notice_number: str, delivery: str = "",
                      defence_days: int | None = None) -> SevereListEntry:
    """Prior notice of the reasons, basis and rights (Karamay art. 15, Qufu art. 56; 国办发〔2020〕49号) and the
    start of the statement-and-defence period (Heilongjiang art. 55, Zhangye art. 47)."""
    _require_entry(entry, SEVERE.DRAFT)
    if not (notice_number or "").strip():
        raise WorkflowError("notice_number_required", "须填写告知书文号 / the notice number is required",
                            fields={"notice_number": ["required"]})
    days, article = defence_period(defence_days)
    now = timezone.now()
    due = add_working_days(now, days)
    entry.status = SEVERE.NOTIFIED
    entry.notice_number = notice_number.strip()
    entry.notified_at = now
    entry.delivery = delivery
    entry.defence_days = days
    entry.defence_article = article[:300]
    entry.defence_due = due.date
    entry.defence_due_provisional = due.provisional
    _save(entry, "事先告知")
    log_step(entry, "notified", actor, f"告知书 {entry.notice_number}", defence_due=due.date, defence_days=days)
    _notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:notice",
                "拟列入严重失信主体名单事先告知",
                f"事由：{entry.reasons}\n依据：{entry.basis}\n您有权在 {due.date:%Y年%-m月%-d日} 前陈述和申辩。",
                f"/lists/mine/severe/{entry.pk}/")
    return entry


@transaction.atomic
def submit_defence(entry: SevereListEntry, *, statement: str, evidence: str = "", user=None,
                   channel: str = Defence.Channel.PORTAL) -> Defence:
    """The subject states its case. Accepted during the notice period (late ones are kept and flagged, until the
    decision) and after listing (Heilongjiang art. 55: a listed subject may still state and defend)."""
    entry = SevereListEntry.objects.select_for_update().get(pk=entry.pk)
    _require_entry(entry, SEVERE.NOTIFIED, SEVERE.LISTED)
    if not (statement or "").strip():
        raise WorkflowError("statement_required", "请填写陈述申辩意见 / the statement is required",
                            fields={"statement": ["required"]})
    late = entry.status == SEVERE.NOTIFIED and entry.defence_due is not None and today() > entry.defence_due
    defence = Defence.objects.create(entry=entry, statement=statement.strip(), evidence=(evidence or "").strip(),
                                     submitted_by=user_or_none(user), channel=channel, late=late)
    if entry.review_outcome:  # a new statement reopens the review
        entry.review_outcome, entry.review_reasons, entry.reviewed_at = "", "", None
        _save(entry, "新的陈述申辩", "review_outcome", "review_reasons", "reviewed_at")
    log_step(entry, "defence_submitted", user, "", defence=defence.pk, late=late)
    _notify_all(department_officers(entry.department), f"sanctions:severe:{entry.pk}:defence:{defence.pk}",
                f"收到陈述申辩：{entry.subject.name}", statement[:200])
    return defence


def unreviewed_defences(entry: SevereListEntry):
    qs = entry.defences.all()
    if entry.reviewed_at:
        qs = qs.filter(submitted_at__gt=entry.reviewed_at)
    return qs


@transaction.atomic
def review_defence(entry: SevereListEntry, *, outcome: str, reasons: str, actor) -> SevereListEntry:
    """The deciding department reviews the facts, reasons and evidence; if they hold, it adopts them: the subject is
    not listed, or is removed at once if already listed (Heilongjiang art. 55)."""
    entry = SevereListEntry.objects.select_for_update().get(pk=entry.pk)
    _require_entry(entry, SEVERE.NOTIFIED, SEVERE.LISTED)
    if not entry.defences.exists():
        raise WorkflowError("no_defence", "没有需要复核的陈述申辩 / there is no statement to review")
    if outcome not in SevereListEntry.Review.values:
        raise WorkflowError("invalid_outcome", "复核结论无效 / invalid outcome", fields={"outcome": [outcome]})
    if not (reasons or "").strip():
        raise WorkflowError("reasons_required", "须说明复核理由 / the reasons are required",
                            fields={"reasons": ["required"]})
    entry.review_outcome, entry.review_reasons, entry.reviewed_at = outcome, reasons.strip(), timezone.now()
    _save(entry, "复核陈述申辩", "review_outcome", "review_reasons", "reviewed_at")
    log_step(entry, "defence_reviewed", actor, reasons, outcome=outcome)
    if outcome == SevereListEntry.Review.UPHELD:
        if entry.status == SEVERE.NOTIFIED:
            entry.status = SEVERE.NOT_LISTED
            _save(entry, "申辩成立，不予列入", "status")
            log_step(entry, "not_listed", actor, reasons)
            _notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:not_listed",
                        "陈述申辩成立，不予列入严重失信主体名单", reasons)
        else:
            remove_from_severe_list(entry, reason=SevereListEntry.Removal.DEFENCE_UPHELD, actor=actor, note=reasons)
    else:
        _notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:review:{entry.reviewed_at:%s}",
                    "陈述申辩复核结果：申辩不成立", reasons)
    return entry


def _term_end(listed_on: date, term_months: int | None) -> date | None:
    return rules.add_months(listed_on, term_months) if term_months else None


@transaction.atomic
def decide_listing(entry: SevereListEntry, *, actor, decision_number: str) -> SevereListEntry:
    """The written decision (Karamay art. 15, Heilongjiang art. 38, Qufu art. 56): only after the prior notice, once
    the defence period has run out or every statement has been reviewed and rejected."""
    entry = SevereListEntry.objects.select_for_update().get(pk=entry.pk)
    policy = active_policy()
    if rules.value_of(policy, "severe_list_prior_notice", True):
        _require_entry(entry, SEVERE.NOTIFIED)
    else:
        _require_entry(entry, SEVERE.DRAFT, SEVERE.NOTIFIED)
    if not (decision_number or "").strip():
        raise WorkflowError("decision_number_required", "须填写决定书文号 / the decision number is required",
                            fields={"decision_number": ["required"]})
    if unreviewed_defences(entry).exists():
        raise WorkflowError("defence_not_reviewed", "有尚未复核的陈述申辩，须先复核 / review the statement first "
                            "(Heilongjiang 55)")
    if entry.review_outcome == SevereListEntry.Review.UPHELD:
        raise WorkflowError("defence_upheld", "申辩已成立，不得列入 / the defence was upheld")
    if entry.status == SEVERE.NOTIFIED and not entry.defences.exists() and entry.defence_due and today() <= entry.defence_due:
        raise WorkflowError("defence_period_running",
                            f"陈述申辩期至 {entry.defence_due:%Y-%m-%d} 届满前不得作出决定 / the defence period runs "
                            f"until {entry.defence_due}")
    missing = [f for f in ("removal_conditions", "removal_procedure", "remedies") if not getattr(entry, f).strip()]
    if missing:
        raise WorkflowError("decision_incomplete", "决定书须载明移出条件、程序和救济途径 / the decision must state removal "
                            "conditions, procedure and remedies (Karamay 15)", fields={f: ["required"] for f in missing})
    _check_term(entry.term_months, required=True)
    _check_measures(entry.measures.all())
    now = timezone.now()
    entry.status = SEVERE.LISTED
    entry.decision_number = decision_number.strip()
    entry.decided_at = now
    entry.decided_by = user_or_none(actor)
    entry.listed_on = local_date(now)
    entry.term_end = _term_end(entry.listed_on, entry.term_months)
    entry.public = subject_is_public(entry.subject)
    _save(entry, "作出列入决定")
    log_step(entry, "listed", actor, f"决定书 {entry.decision_number}", term_end=entry.term_end, public=entry.public)
    _list_linked_persons(entry, actor)
    record_responsible_persons(entry, actor)
    _after_listing(entry)
    return entry


@transaction.atomic
def list_court_debtor(subject, *, department, case_number: str, decision_number: str, reasons: str, basis: str,
                      term_months: int | None = None, listed_on: date | None = None, records: Iterable = (),
                      removal_conditions: str = "", remedies: str = "", actor) -> SevereListEntry:
    """Judgment debtors put on the list of dishonest judgment debtors by a court are severe-list subjects on receipt
    (Heilongjiang art. 38 para. 2): the court gave the notice and the decision; its term, if any, is kept."""
    if not (case_number or "").strip() or not (decision_number or "").strip():
        raise WorkflowError("required", "须填写执行案号和决定书文号 / case and decision numbers are required",
                            fields={"case_number": ["required"], "decision_number": ["required"]})
    existing = SevereListEntry.objects.filter(subject=subject, source=SevereListEntry.Source.COURT,
                                              court_case_number=case_number.strip()).first()
    if existing:
        return existing
    listed_on = listed_on or today()
    entry = SevereListEntry.objects.create(
        subject=subject, department=department, source=SevereListEntry.Source.COURT, status=SEVERE.LISTED,
        reasons=reasons.strip() or "被人民法院纳入失信被执行人名单", basis=basis.strip(), term_months=term_months,
        court_case_number=case_number.strip(), decision_number=decision_number.strip(), decided_at=timezone.now(),
        listed_on=listed_on, term_end=_term_end(listed_on, term_months), public=subject_is_public(subject),
        removal_conditions=removal_conditions or "履行生效法律文书确定的义务，或人民法院依法删除失信信息",
        removal_procedure="由作出决定的人民法院删除失信信息后，平台自动移出", remedies=remedies or "依法向作出决定的人民法院申请纠正",
    )
    entry.records.set(list(records))
    log_step(entry, "listed", actor, f"人民法院失信被执行人名单 {case_number}", source="court")
    _list_linked_persons(entry, actor)
    record_responsible_persons(entry, actor)
    _after_listing(entry)
    return entry


def _list_linked_persons(entry: SevereListEntry, actor) -> list[SevereListEntry]:
    """Organisations' responsible persons are listed with them (Heilongjiang art. 45, Karamay art. 15, Qufu art. 46,
    Zhangye art. 48): the roles the profile names, among the persons on file for the organisation."""
    from records.models import ORGANISATION_TYPES, RelatedPerson

    if entry.subject.type not in ORGANISATION_TYPES:
        return []
    roles = tuple(rules.value_of(active_policy(), "severe_list_linked_persons", ()))
    if not roles or not rules.value_of(active_policy(), "linked_persons_recorded", False):
        return []  # Fuzhou art. 18: the persons may only be noted, never listed themselves
    day = entry.listed_on or today()
    links = RelatedPerson.objects.filter(organisation=entry.subject, role__in=roles).filter(
        Q(until__isnull=True) | Q(until__gte=day)
    ).select_related("person")
    out = []
    for link in links:
        child, created = SevereListEntry.objects.get_or_create(
            parent=entry, subject=link.person, linked_role=link.role,
            defaults=dict(
                department=entry.department, source=SevereListEntry.Source.LINKED, status=SEVERE.LISTED,
                reasons=f"{entry.subject.name}列入严重失信主体名单，{link.get_role_display()}负有责任",
                basis=f"{entry.basis}；{rules.article_of(active_policy(), 'severe_list_linked_persons')}",
                term_months=entry.term_months, decision_number=entry.decision_number, decided_at=entry.decided_at,
                listed_on=entry.listed_on, term_end=entry.term_end, public=subject_is_public(link.person),
                removal_conditions="随单位移出名单一并移出", removal_procedure=entry.removal_procedure,
                remedies=entry.remedies,
            ),
        )
        if created:
            log_step(child, "listed", actor, f"随单位列入（{link.get_role_display()}）", parent=entry.pk)
            out.append(child)
    return out


def record_responsible_persons(entry: SevereListEntry, actor) -> list[int]:
    """The organisation is listed: its listing's severe dishonesty records are recorded on its responsible persons
    (Karamay art. 15 para. 4, Heilongjiang art. 45, Qufu art. 46, Zhangye art. 48; never Fuzhou art. 18, which only
    allows them to be noted). The trigger is the listing, not the push of a severe record."""
    from records.services.listing_persons import derive_on_listing

    if entry.parent_id is not None or entry.status != SEVERE.LISTED:
        return []
    record_ids = list(entry.records.values_list("id", flat=True))
    ids = derive_on_listing(record_ids, policy=active_policy(), now=timezone.now(),
                            reason=f"决定书 {entry.decision_number}")
    if ids:
        log_step(entry, "responsible_persons_recorded", actor, "同步记入责任人的信用记录", records=ids)
    return ids


def withdraw_responsible_persons(entry: SevereListEntry, actor, now: datetime | None = None) -> list[int]:
    """The organisation left the list: the records derived on listing are withdrawn, except those of source records
    another listing of the organisation still rests on."""
    from records.services.listing_persons import withdraw_on_removal

    if entry.parent_id is not None:
        return []
    still = SevereListEntry.objects.filter(subject_id=entry.subject_id, status=SEVERE.LISTED, parent__isnull=True) \
        .exclude(pk=entry.pk).values_list("records__id", flat=True)
    ids = withdraw_on_removal(list(entry.records.values_list("id", flat=True)), now=now or timezone.now(),
                              reason=entry.get_removal_reason_display() or "移出名单",
                              still_listed=[i for i in still if i is not None])
    if ids:
        log_step(entry, "responsible_persons_withdrawn", actor, "撤回责任人的信用记录", records=ids)
    return ids


def _after_listing(entry: SevereListEntry) -> None:
    subjects = [entry.subject, *[c.subject for c in entry.linked.all()]]
    for s in subjects:
        check_red_list(s, actor="system")
    _notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:listed", "列入严重失信主体名单决定",
                f"决定书 {entry.decision_number}", f"/lists/mine/severe/{entry.pk}/")
    from sanctions.public_bodies import notify_public_bodies

    notify_public_bodies(entry)  # Heilongjiang art. 44: the superior, audit and employing bodies are told
    transaction.on_commit(lambda: [recompute_evaluation(s) for s in subjects])


def publicity_stop_due(removed_on: date):
    """The last day publicity may continue after removal (Qufu art. 35: within 3 working days). A profile silent on
    it means "timely": the same day."""
    rule = active_policy().severe_list_publicity_stop_days
    if rule.value is None:
        return removed_on, False, f"{rule.article}（及时终止公示）"
    due = add_working_days(removed_on, rule.value)
    return due.date, due.provisional, rule.article


def remove_from_severe_list(entry: SevereListEntry, *, reason: str, actor, note: str = "", record=None,
                            now: datetime | None = None) -> bool:
    """Remove (compare-and-swap: status listed → removed; only one caller acts). Publicity is stopped by the
    publicity sweep within the profile's deadline. Linked responsible persons are removed with the organisation."""
    now = now or timezone.now()
    with transaction.atomic():
        removed_on = local_date(now)
        due, provisional, article = publicity_stop_due(removed_on)
        changed = SevereListEntry.objects.filter(pk=entry.pk, status=SEVERE.LISTED).update(
            status=SEVERE.REMOVED, removed_at=now, removal_reason=reason, removal_note=note[:2000],
            removed_for_record=record, publicity_stop_due=due, publicity_stop_provisional=provisional,
            publicity_stop_article=article[:300],
        )
        if not changed:
            return False
        entry.refresh_from_db()
        log_step(entry, "removed", actor, note or entry.get_removal_reason_display(), removal_reason=reason,
                 publicity_stop_due=due, record=getattr(record, "pk", None))
        for child in entry.linked.filter(status=SEVERE.LISTED):
            remove_from_severe_list(child, reason=SevereListEntry.Removal.PARENT_REMOVED, actor=actor,
                                    note=f"随单位移出：{entry.get_removal_reason_display()}", now=now)
        withdraw_responsible_persons(entry, actor, now)
        if entry.parent_id is None:
            _notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:removed", "已移出严重失信主体名单",
                        f"移出原因：{entry.get_removal_reason_display()}。{note}")
        _lift_measures_for(entry.subject, [rules.ref("severe_list", entry.pk)], actor=actor,
                           why=f"移出严重失信主体名单：{entry.get_removal_reason_display()}")
        subject = entry.subject
        transaction.on_commit(lambda: recompute_evaluation(subject))
    return True


def stop_publicity(entry_id: int, now: datetime) -> bool:
    """Compare-and-swap: a removed entry that is still public stops being public; only one worker acts."""
    row = SevereListEntry.objects.filter(pk=entry_id).values("publicity_stop_due").first()
    if row is None:
        return False
    late = bool(row["publicity_stop_due"] and local_date(now) > row["publicity_stop_due"])
    with transaction.atomic():
        changed = SevereListEntry.objects.filter(pk=entry_id, status=SEVERE.REMOVED, public=True).update(
            public=False, publicity_stopped_at=now, publicity_stopped_late=late,
        )
        if changed:
            entry = SevereListEntry.objects.get(pk=entry_id)
            log_step(entry, "publicity_stopped", "system", "终止公示", late=late, due=row["publicity_stop_due"])
            _stop_record_publicity(entry)
            if late:
                _notify_all(platform_admins(), f"sanctions:severe:{entry_id}:publicity_late",
                            "严重失信主体名单逾期终止公示", f"{entry.subject.name}：期限 {row['publicity_stop_due']}")
    return bool(changed)


def _stop_record_publicity(entry: SevereListEntry) -> None:
    """Where the profile ties the publicity of the severe dishonesty information to the list (Qufu art. 35: it stops
    within N working days of the removal and the retention period runs from the removal), tell the disclosure app.
    Elsewhere each record keeps its own publicity window (Karamay art. 33)."""
    from django.apps import apps

    if not apps.is_installed("disclosure") or active_policy().severe_list_publicity_stop_days.value is None:
        return
    from records.models import Record

    from disclosure import services as disclosure_services

    hook = getattr(disclosure_services, "severe_list_removed", None)
    if hook is None:
        return
    own = list(entry.records.values_list("id", flat=True))
    parent_records = list(entry.parent.records.values_list("id", flat=True)) if entry.parent_id else own
    derived = Record.objects.filter(parent_id__in=parent_records, subject=entry.subject).values_list("id", flat=True)
    ids = set(own) | set(derived)
    if ids:
        hook(ids, local_date(entry.removed_at or timezone.now()))


# --- repair hooks ---------------------------------------------------------------------------------------------------
def _live_refs(subject, *, exclude_records: Iterable[int] = ()) -> set[str]:
    facts = subject_facts(subject, exclude_records=exclude_records)
    refs = {rules.ref("record", r.id) for r in facts.records if r.live}
    refs |= {rules.ref("severe_list", i) for i in facts.severe_list_ids}
    refs |= {rules.ref("red_list", i) for i in facts.red_list_ids}
    refs |= {rules.ref("commitment", i) for i in facts.broken_commitment_ids}
    if facts.evaluation_id:
        refs.add(rules.ref("evaluation", facts.evaluation_id))
    return refs


def _lift_measures_for(subject, refs: list[str], *, actor, why: str, exclude_records: Iterable[int] = ()) -> int:
    """Stop the measures applied to ``subject`` whose every reason is gone (a measure applied because of two records
    stays while one of them is still in force)."""
    refs = set(refs)
    lifted = 0
    candidates = CheckedMeasure.objects.filter(
        check_ref__subject=subject, outcome=CheckedMeasure.Outcome.APPLIED, lifted_at__isnull=True,
    ).select_related("check_ref__department", "measure")
    live = None
    for cm in candidates:
        because = set(cm.because or [])
        if not because & refs:
            continue
        if live is None:
            live = _live_refs(subject, exclude_records=exclude_records)
        if because & live:
            continue
        with transaction.atomic():
            changed = CheckedMeasure.objects.filter(pk=cm.pk, lifted_at__isnull=True).update(
                lifted_at=timezone.now(), lifted_reason=why[:300], lifted_for=",".join(sorted(because & refs))[:300],
            )
            if changed:
                lifted += 1
                log_step(cm, "lifted", actor, why, because=sorted(because))
                _notify_all(department_officers(cm.check_ref.department), f"sanctions:lifted:{cm.pk}",
                            f"请停止实施惩戒措施：{cm.measure.name}", f"{subject.name}：{why}")
    return lifted


def _restore_measures_for(subject, refs: list[str], *, actor, why: str) -> int:
    refs = set(refs)
    restored = 0
    for cm in CheckedMeasure.objects.filter(check_ref__subject=subject, lifted_at__isnull=False).exclude(lifted_for=""):
        if not set(cm.lifted_for.split(",")) & refs:
            continue
        changed = CheckedMeasure.objects.filter(pk=cm.pk, lifted_at__isnull=False).update(
            lifted_at=None, lifted_reason="", lifted_for="")
        if changed:
            restored += 1
            log_step(cm, "restored", actor, why)
            _notify_all(department_officers(cm.check_ref.department), f"sanctions:restored:{cm.pk}:{timezone.now():%s}",
                        f"信用修复被撤销，恢复实施措施：{cm.measure.name}", why)
    return restored


def on_record_repaired(record, *, actor, reason: str) -> dict:
    """A repair of ``record`` was approved: remove the subject from the severe list where that record put it on
    (when no other severe record of the listing is still in force), stop the punishment measures based on it,
    lift the commitment-route bar it caused, and recompute the evaluation (NDRC Order 36: publicity ends, use stops,
    measures are lifted, evaluations are updated)."""
    removed = []
    with transaction.atomic():
        for entry in SevereListEntry.objects.filter(records=record, status=SEVERE.LISTED, parent__isnull=True).distinct():
            others = entry.records.exclude(pk=record.pk).filter(status__in=rules.LIVE_RECORD_STATUSES)
            if others.exists():
                log_step(entry, "repair_noted", actor, reason, record=record.pk, still_listed_for=list(
                    others.values_list("id", flat=True)))
                continue
            if remove_from_severe_list(entry, reason=SevereListEntry.Removal.REPAIRED, actor=actor,
                                       note=f"信用修复：{reason}", record=record):
                removed.append(entry.pk)
        refs = [rules.ref("record", record.pk), *[rules.ref("severe_list", i) for i in removed]]
        refs += [rules.ref("commitment", c) for c in Commitment.objects.filter(record=record).values_list("id", flat=True)]
        subject = record.subject
        lifted = _lift_measures_for(subject, refs, actor=actor, why=f"信用修复：{reason}", exclude_records=[record.pk])
        transaction.on_commit(lambda: recompute_evaluation(subject, exclude_records=[record.pk]))
    return {"removed": removed, "lifted": lifted}


def on_repair_revoked(record, *, actor, reason: str) -> dict:
    """A repair was revoked (e.g. obtained by fraud): restore the listings it ended (while their term runs), the
    measures it lifted, and recompute the evaluation."""
    restored = []
    with transaction.atomic():
        day = today()
        for entry in SevereListEntry.objects.filter(removed_for_record=record, status=SEVERE.REMOVED,
                                                    removal_reason=SevereListEntry.Removal.REPAIRED):
            if entry.term_end and entry.term_end <= day:
                log_step(entry, "restore_skipped", actor, "列入期限已届满，不再恢复", record=record.pk)
                continue
            for e in [entry, *entry.linked.filter(status=SEVERE.REMOVED, removal_reason=SevereListEntry.Removal.PARENT_REMOVED,
                                                  removed_at=entry.removed_at)]:
                SevereListEntry.objects.filter(pk=e.pk).update(
                    status=SEVERE.LISTED, removed_at=None, removal_reason="", removal_note="", removed_for_record=None,
                    publicity_stop_due=None, publicity_stop_provisional=False, publicity_stop_article="",
                    publicity_stopped_at=None, publicity_stopped_late=None, public=subject_is_public(e.subject),
                )
                log_step(e, "restored", actor, f"信用修复被撤销：{reason}", record=record.pk)
            restored.append(entry.pk)
        refs = [rules.ref("record", record.pk), *[rules.ref("severe_list", i) for i in restored]]
        refs += [rules.ref("commitment", c) for c in Commitment.objects.filter(record=record).values_list("id", flat=True)]
        subject = record.subject
        back = _restore_measures_for(subject, refs, actor=actor, why=f"信用修复被撤销：{reason}")
        transaction.on_commit(lambda: (check_red_list(subject), recompute_evaluation(subject)))
    return {"restored": restored, "measures_restored": back}


# --- record changes -----------------------------------------------------------------------------------------------
def on_records_changed(record_ids: Iterable[int], *, actor=None) -> int:
    """Records were created or changed: remove red-list memberships a dishonesty record now blocks, end listings whose
    every basis record was revoked, and recompute the evaluations. Idempotent; returns the subjects touched."""
    from records.models import Record

    ids = list(set(record_ids))
    if not ids:
        return 0
    subject_ids = set(Record.objects.filter(id__in=ids).values_list("subject_id", flat=True))
    revoked = set(Record.objects.filter(id__in=ids, status="revoked").values_list("id", flat=True))
    if revoked:
        for entry in SevereListEntry.objects.filter(records__in=revoked, status=SEVERE.LISTED,
                                                    parent__isnull=True).distinct():
            if not entry.records.filter(status__in=rules.LIVE_RECORD_STATUSES).exists():
                remove_from_severe_list(entry, reason=SevereListEntry.Removal.DECISION_REVOKED, actor=actor or "system",
                                        note="认定依据的失信信息已撤销")
    from records.models import Subject

    for subject in Subject.objects.filter(id__in=subject_ids):
        check_red_list(subject, actor=actor or "system")
        recompute_evaluation(subject)
    return len(subject_ids)


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
            raise WorkflowError("commitment_route_barred", f"{route.reason}（{route.article}）",
                                fields={"subject": list(route.because)})
    policy = active_policy()
    months = rules.value_of(policy, "commitment_check_months")
    start = licence_decided_on or made_on
    due = rules.add_months(start, months) if (months and kind in ROUTE_KINDS) else None
    c = Commitment.objects.create(
        department=department, subject=subject, source_ref=source_ref, kind=kind, matter=matter, title=title,
        content=content, made_on=made_on, licence_number=licence_number, licence_decided_on=licence_decided_on,
        verification_due=due, verification_article=rules.article_of(policy, "commitment_check_months")[:300],
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
    from catalog.models import CatalogItem, MatterType

    items = CatalogItem.objects.filter(
        category="dishonesty", matter_type=MatterType.COMMITMENT, version__status="published",
        providers=department,
    ).order_by("-version__effective_from", "-id")
    return items.first()


def _push_dishonesty_record(c: Commitment, *, breach: str, severity: str, finding_number: str,
                            finding_date: date, note: str):
    from records.models import Record
    from records.services.ingest import ingest

    item = _commitment_catalog_item(c.department)
    if item is None:
        raise WorkflowError("no_catalog_item", "目录中没有本部门提供的“违反信用承诺”失信信息事项，无法记入 / no published "
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
        raise WorkflowError("record_rejected", f"失信信息未能记入：{r.get('message')}", fields={r.get("field") or "record": [r.get("code")]})
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
        raise WorkflowError("invalid_state", f"承诺状态为“{c.get_status_display()}”，不能再核查 / already verified")
    day = today()
    c.verified_on, c.verification_note, c.verification_method = day, note, method
    if result == "kept":
        c.status = Commitment.Status.KEPT
    elif result == "rectification":
        if c.status == Commitment.Status.RECTIFICATION:
            raise WorkflowError("already_rectifying", "已责令整改；整改期满后请作出履行或违诺结论 / already ordered to rectify")
        if not rectify_by or rectify_by <= day:
            raise WorkflowError("rectify_by_required", "须确定整改期限 / a rectification deadline is required",
                                fields={"rectify_by": ["required"]})
        c.status, c.rectify_by = Commitment.Status.RECTIFICATION, rectify_by
    elif result in Commitment.Breach.values:
        policy = active_policy()
        revokes = bool(rules.value_of(policy, "false_commitment_revokes_decision", False)) and c.kind in ROUTE_KINDS
        if not (finding_number or "").strip():
            raise WorkflowError("finding_number_required", "须填写认定违诺的文书文号 / the finding document is required",
                                fields={"finding_number": ["required"]})
        if revokes and not (revocation_number or "").strip():
            raise WorkflowError(
                "revocation_required", f"须撤销依据承诺作出的行政决定并填写撤销决定文号（{rules.article_of(policy, 'false_commitment_revokes_decision')}）"
                " / the decision must be revoked", fields={"revocation_number": ["required"]},
            )
        c.status, c.breach = Commitment.Status.BROKEN, result
        c.record = _push_dishonesty_record(c, breach=result, severity=severity, finding_number=finding_number.strip(),
                                           finding_date=day, note=note)
        if revokes:
            c.decision_revoked, c.revocation_number, c.revocation_date = True, revocation_number.strip(), revocation_date or day
    else:
        raise WorkflowError("invalid_result", "核查结论无效 / invalid result", fields={"result": [result]})
    _save(c, f"核查：{result}")
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


# --- public views of the lists ------------------------------------------------------------------------------------
def public_list_entries(subject) -> dict[str, list]:
    """The subject's red and severe list memberships that are public now (for the portal's subject page)."""
    return {
        "red": list(RedListEntry.objects.filter(subject=subject, status=RedListEntry.Status.LISTED, public=True)
                    .select_related("department")),
        "severe": list(SevereListEntry.objects.filter(subject=subject, public=True).select_related("department")),
    }


# --- evaluation ---------------------------------------------------------------------------------------------------
def recompute_evaluation(subject, *, exclude_records: Iterable[int] = (), now: datetime | None = None) -> Evaluation:
    now = now or timezone.now()
    facts = subject_facts(subject, exclude_records=exclude_records)
    result = rules.evaluate(facts, local_date(now), red_list_ids=facts.red_list_ids)
    values = dict(score=result.score, grade=result.grade, tier=result.tier or "", reasons=list(result.reasons),
                  model_version=result.model_version, recompute_on=result.recompute_on)
    with transaction.atomic():
        current = Evaluation.objects.select_for_update().filter(subject=subject).first()
        if current is None:
            current = Evaluation(subject=subject, computed_at=now, **values)
            _save(current, "首次评价")
            return current
        changed = any(getattr(current, k) != v for k, v in values.items())
        if changed:
            for k, v in values.items():
                setattr(current, k, v)
            current.computed_at = now
            _save(current, "重新评价")
    return current


# --- interviews -----------------------------------------------------------------------------------------------------
@transaction.atomic
def record_interview(subject, *, department, kind: str, held_on: date, interviewee: str, reason: str, summary: str,
                     actor, interviewee_role: str = "", officials: str = "", requirements: str = "",
                     rectify_by: date | None = None, records: Iterable = (), severe_entry=None) -> Interview:
    """约谈 recorded on the subject's file (Qufu art. 19; Heilongjiang art. 44 for public bodies on the list)."""
    missing = {k: ["required"] for k, v in (("interviewee", interviewee), ("reason", reason), ("summary", summary))
               if not (v or "").strip()}
    if missing:
        raise WorkflowError("required", "须填写被约谈人、事由和内容 / interviewee, reason and summary are required",
                            fields=missing)
    if held_on > today():
        raise WorkflowError("date_in_future", "约谈日期不能晚于今天 / the interview date is in the future",
                            fields={"held_on": ["future"]})
    records = list(records)
    for r in records:
        if r.subject_id != subject.pk:
            raise WorkflowError("record_of_other_subject", "失信信息不属于该主体 / a record belongs to another subject",
                                fields={"records": [r.pk]})
    interview = Interview.objects.create(
        subject=subject, department=department, kind=kind, held_on=held_on, interviewee=interviewee.strip(),
        interviewee_role=interviewee_role, officials=officials, reason=reason.strip(), summary=summary.strip(),
        requirements=requirements, rectify_by=rectify_by, severe_entry=severe_entry, recorded_by=actor_label(actor),
    )
    interview.records.set(records)
    log_step(interview, "recorded", actor, reason)
    return interview
