"""严重失信主体名单 with due process: proposal, prior notice, statement and defence, review, decision, linked
responsible persons, court debtors, removal and the end of publicity."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from credit_platform.actors import actor_user
from credit_platform.exceptions import DomainError
from credit_platform.months import add_months
from credit_platform.policies import active_policy
from credit_platform.workdays import add_working_days, local_date
from records.models import ORGANISATION_TYPES, SEVERE_TIERS, RelatedPerson
from records.services.listing_persons import derive_on_listing, withdraw_on_removal
from records.signals import severe_list_removed
from sanctions import rules
from sanctions.models import Defence, Measure, RedListEntry, SevereListEntry
from sanctions.public_bodies import notify_public_bodies
from sanctions.services.common import (
    SEVERE,
    department_officers,
    log_step,
    notify_all,
    platform_admins,
    save_with_reason,
    subject_is_public,
    subject_users,
    today,
)
from sanctions.services.evaluation import recompute_evaluation
from sanctions.services.lifting import lift_measures_for
from sanctions.services.red_list import check_red_list


# --- severe list: due process ----------------------------------------------------------------------------------
def _require_entry(entry: SevereListEntry, *allowed) -> None:
    if entry.status not in allowed:
        raise DomainError("invalid_state", f"名单状态为“{entry.get_status_display()}”，不能执行此操作 / not allowed in "
                                             f"status {entry.status}")


def _check_term(term_months: int | None, *, required: bool) -> None:
    if term_months is None:
        if required:
            raise DomainError("term_required", "须确定列入期限 / the listing term is required",
                                fields={"term_months": ["required"]})
        return
    lo, hi = active_policy().effective_publicity_months("severe")
    if not lo <= term_months <= hi:
        raise DomainError(
            "term_out_of_range", f"列入期限须在 {lo}–{hi} 个月之间 / the term must be {lo}–{hi} months "
            f"（{active_policy().publicity_severe_months.article}）", fields={"term_months": [f"{lo}-{hi}"]},
        )


def _check_measures(measures: Iterable[Measure]) -> list[Measure]:
    out = []
    published = set(Measure.objects.published().values_list("id", flat=True))
    for m in measures:
        if m.pk not in published:
            raise DomainError("measure_not_published", f"措施“{m}”未公布，不得提示或实施 / measure {m.code} is not "
                                f"published", fields={"measures": [m.code]})
        if m.kind != rules.PUNISHMENT or not (m.tier == rules.TIER_SEVERE or m.trigger == rules.TRIGGER_SEVERE_LIST):
            raise DomainError("measure_not_for_severe_list", f"措施“{m}”不是严重失信主体惩戒措施 / measure {m.code} is "
                                "not a severe-list measure", fields={"measures": [m.code]})
        out.append(m)
    return out


def validate_proposal(subject, *, reasons: str, basis: str, records: Iterable = (), measures: Iterable[Measure] = (),
                      term_months: int | None = None) -> tuple[list, list[Measure]]:
    """Raise ``DomainError`` unless a listing may be proposed this way; return the records and measures."""
    missing = {k: ["required"] for k, v in (("reasons", reasons), ("basis", basis)) if not (v or "").strip()}
    if missing:
        raise DomainError("required", "须写明事由和依据 / reasons and basis are required", fields=missing)
    records = list(records)
    for r in records:
        if r.subject_id != subject.pk:
            raise DomainError("record_of_other_subject", "失信信息不属于该主体 / a record belongs to another subject",
                                fields={"records": [r.pk]})
        if r.category != "dishonesty" or r.severity not in SEVERE_TIERS or r.status not in rules.LIVE_RECORD_STATUSES:
            raise DomainError(
                "record_not_severe", "严重失信主体名单只能依据有效的严重失信信息认定 / the severe list needs severe "
                "dishonesty records in force (Karamay 15, Heilongjiang 37)", fields={"records": [r.pk]},
            )
    if not records:
        raise DomainError("records_required", "须关联认定依据的严重失信信息 / the severe records are required",
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
            raise DomainError("defence_period_too_short",
                                f"陈述申辩期限不得少于 {rule.value} 个工作日 / at least {rule.value} working days",
                                fields={"defence_days": [str(rule.value)]})
        return (defence_days or rule.value), rule.article
    if not defence_days:
        raise DomainError(
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
        raise DomainError("notice_number_required", "须填写告知书文号 / the notice number is required",
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
    save_with_reason(entry, "事先告知")
    log_step(entry, "notified", actor, f"告知书 {entry.notice_number}", defence_due=due.date, defence_days=days)
    notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:notice",
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
        raise DomainError("statement_required", "请填写陈述申辩意见 / the statement is required",
                            fields={"statement": ["required"]})
    late = entry.status == SEVERE.NOTIFIED and entry.defence_due is not None and today() > entry.defence_due
    defence = Defence.objects.create(entry=entry, statement=statement.strip(), evidence=(evidence or "").strip(),
                                     submitted_by=actor_user(user), channel=channel, late=late)
    if entry.review_outcome:  # a new statement reopens the review
        entry.review_outcome, entry.review_reasons, entry.reviewed_at = "", "", None
        save_with_reason(entry, "新的陈述申辩", "review_outcome", "review_reasons", "reviewed_at")
    log_step(entry, "defence_submitted", user, "", defence=defence.pk, late=late)
    notify_all(department_officers(entry.department), f"sanctions:severe:{entry.pk}:defence:{defence.pk}",
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
        raise DomainError("no_defence", "没有需要复核的陈述申辩 / there is no statement to review")
    if outcome not in SevereListEntry.Review.values:
        raise DomainError("invalid_outcome", "复核结论无效 / invalid outcome", fields={"outcome": [outcome]})
    if not (reasons or "").strip():
        raise DomainError("reasons_required", "须说明复核理由 / the reasons are required",
                            fields={"reasons": ["required"]})
    entry.review_outcome, entry.review_reasons, entry.reviewed_at = outcome, reasons.strip(), timezone.now()
    save_with_reason(entry, "复核陈述申辩", "review_outcome", "review_reasons", "reviewed_at")
    log_step(entry, "defence_reviewed", actor, reasons, outcome=outcome)
    if outcome == SevereListEntry.Review.UPHELD:
        if entry.status == SEVERE.NOTIFIED:
            entry.status = SEVERE.NOT_LISTED
            save_with_reason(entry, "申辩成立，不予列入", "status")
            log_step(entry, "not_listed", actor, reasons)
            notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:not_listed",
                        "陈述申辩成立，不予列入严重失信主体名单", reasons)
        else:
            remove_from_severe_list(entry, reason=SevereListEntry.Removal.DEFENCE_UPHELD, actor=actor, note=reasons)
    else:
        notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:review:{entry.reviewed_at:%s}",
                    "陈述申辩复核结果：申辩不成立", reasons)
    return entry


def _term_end(listed_on: date, term_months: int | None) -> date | None:
    return add_months(listed_on, term_months) if term_months else None


@transaction.atomic
def decide_listing(entry: SevereListEntry, *, actor, decision_number: str) -> SevereListEntry:
    """The written decision (Karamay art. 15, Heilongjiang art. 38, Qufu art. 56): only after the prior notice, once
    the defence period has run out or every statement has been reviewed and rejected."""
    entry = SevereListEntry.objects.select_for_update().get(pk=entry.pk)
    policy = active_policy()
    if policy.severe_list_prior_notice.value is not False:  # a profile silent on it keeps the prior notice
        _require_entry(entry, SEVERE.NOTIFIED)
    else:
        _require_entry(entry, SEVERE.DRAFT, SEVERE.NOTIFIED)
    if not (decision_number or "").strip():
        raise DomainError("decision_number_required", "须填写决定书文号 / the decision number is required",
                            fields={"decision_number": ["required"]})
    if unreviewed_defences(entry).exists():
        raise DomainError("defence_not_reviewed", "有尚未复核的陈述申辩，须先复核 / review the statement first "
                            "(Heilongjiang 55)")
    if entry.review_outcome == SevereListEntry.Review.UPHELD:
        raise DomainError("defence_upheld", "申辩已成立，不得列入 / the defence was upheld")
    if entry.status == SEVERE.NOTIFIED and not entry.defences.exists() and entry.defence_due and today() <= entry.defence_due:
        raise DomainError("defence_period_running",
                            f"陈述申辩期至 {entry.defence_due:%Y-%m-%d} 届满前不得作出决定 / the defence period runs "
                            f"until {entry.defence_due}")
    missing = [f for f in ("removal_conditions", "removal_procedure", "remedies") if not getattr(entry, f).strip()]
    if missing:
        raise DomainError("decision_incomplete", "决定书须载明移出条件、程序和救济途径 / the decision must state removal "
                            "conditions, procedure and remedies (Karamay 15)", fields={f: ["required"] for f in missing})
    _check_term(entry.term_months, required=True)
    _check_measures(entry.measures.all())
    now = timezone.now()
    entry.status = SEVERE.LISTED
    entry.decision_number = decision_number.strip()
    entry.decided_at = now
    entry.decided_by = actor_user(actor)
    entry.listed_on = local_date(now)
    entry.term_end = _term_end(entry.listed_on, entry.term_months)
    entry.public = subject_is_public(entry.subject)
    save_with_reason(entry, "作出列入决定")
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
        raise DomainError("required", "须填写执行案号和决定书文号 / case and decision numbers are required",
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
    if entry.subject.type not in ORGANISATION_TYPES:
        return []
    policy = active_policy()
    roles = tuple(policy.severe_list_linked_persons.value or ())
    if not roles or not policy.linked_persons_recorded.value:
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
                basis=f"{entry.basis}；{policy.severe_list_linked_persons.article}",
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
    notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:listed", "列入严重失信主体名单决定",
                f"决定书 {entry.decision_number}", f"/lists/mine/severe/{entry.pk}/")
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
            notify_all(subject_users(entry.subject), f"sanctions:severe:{entry.pk}:removed", "已移出严重失信主体名单",
                        f"移出原因：{entry.get_removal_reason_display()}。{note}")
        lift_measures_for(entry.subject, [rules.ref("severe_list", entry.pk)], actor=actor,
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
                notify_all(platform_admins(), f"sanctions:severe:{entry_id}:publicity_late",
                            "严重失信主体名单逾期终止公示", f"{entry.subject.name}：期限 {row['publicity_stop_due']}")
    return bool(changed)


def _stop_record_publicity(entry: SevereListEntry) -> None:
    """The entry's publicity has stopped: tell disclosure, which sits beside sanctions (neither imports the other), by
    ``records.signals.severe_list_removed``. Where the profile ties the publicity of the severe dishonesty information
    to the list (Qufu art. 35: it stops within N working days of the removal and the retention period runs from the
    removal), disclosure's receiver ends the records' publicity; elsewhere each record keeps its own publicity window
    (Karamay art. 33)."""
    severe_list_removed.send(sender=SevereListEntry, entry=entry,
                             removed_on=local_date(entry.removed_at or timezone.now()))


# --- public views of the lists ------------------------------------------------------------------------------------
def public_list_entries(subject) -> dict[str, list]:
    """The subject's red and severe list memberships that are public now (for the portal's subject page)."""
    return {
        "red": list(RedListEntry.objects.filter(subject=subject, status=RedListEntry.Status.LISTED, public=True)
                    .select_related("department")),
        "severe": list(SevereListEntry.objects.filter(subject=subject, public=True).select_related("department")),
    }
