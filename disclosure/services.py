"""Disclosure services: applying windows, who sees which records, opt-outs, authorisations, government queries.

Views, serializers, admin classes and tasks only call these (DESIGN.md "Business rules live in services").

Visibility, from the narrowest to the widest:

* **public** (portal, public API): published windows, in period, not archived/shielded/suppressed, record active
  or corrected, organisations only (natural persons have no public page: personal information is not public,
  Karamay art. 36, Heilongjiang art. 24, Qufu art. 64).
* **third party** (an authorised grantee within its categories; a department with a statutory purpose):
  everything in its disclosure window, public or not — never archived (披露期限届满后不得再行披露, Karamay art. 33),
  repaired, revoked or shielded records.
* **own record** (the subject, Karamay art. 30, Heilongjiang art. 50): everything not shielded — public or not,
  expired but retained, revoked or repaired — with the window's rule and the history of changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Collate, JSONObject
from django.utils import timezone

from accounts.links import identifier_hashes_for_user
from credit_platform.exceptions import DomainError
from credit_platform.identifiers import check_ric, check_uscc
from credit_platform.months import add_years
from credit_platform.paging import CappedPage, capped_page_of_parts
from credit_platform.policies import PolicyProfile, active_policy, national
from credit_platform.workdays import add_working_days
from disclosure import public_cache, window_store
from disclosure.models import Authorisation, RecordWindow, TrustOptOut, WindowState
from disclosure.opt_out_notices import notify_providers
from disclosure.windows import CONTENT_CASE_FLAGS, RecordFacts, cached_window, minor_at
from records.models import LIVE_STATUSES, Record, Subject  # LIVE_STATUSES: the record statuses a third party may see
from records.services import status as record_status

logger = logging.getLogger(__name__)

CATEGORIES = (("basic", "基础信息"), ("trust", "守信信息"), ("dishonesty", "失信信息"), ("other", "其他信息"))
CATEGORY_CODES = tuple(c for c, _ in CATEGORIES)
BATCH = 2000


def today() -> date:
    return timezone.localdate()


# --- windows ----------------------------------------------------------------------------------------


def facts_for(row: dict, tz=None, profile: PolicyProfile | None = None) -> RecordFacts:
    """RecordFacts from a ``values()`` row of a Record joined with its subject and catalog item. ``tz``: the
    current time zone, looked up once by a caller that converts thousands of rows."""
    content = row["content"] if "content" in row else row.get("content_flags")
    content = content or {}
    if not isinstance(content, dict):
        content = {}
    is_minor = row.get("is_minor")
    if is_minor is None:
        is_minor = minor_at(row.get("subject__birth_date"), row.get("occurred_on") or row.get("decided_on"))
    return RecordFacts(
        category=row["category"],
        subject_type=row["subject__type"],
        openness=row.get("catalog_item__openness") or "public",
        severity=row.get("severity") or "",
        domain=row.get("domain") or row.get("catalog_item__domain") or "",
        penalty_types=tuple(row.get("penalty_types") or ()),
        # The push contract's explicit facts (Heilongjiang art. 51), and the same flags in content for records pushed
        # before the contract had them.
        long_term_cases=tuple(flag for flag in CONTENT_CASE_FLAGS if row.get(flag) is True or content.get(flag) is True),
        decided_on=row.get("decided_on"),
        occurred_on=row.get("occurred_on"),
        ended_on=row.get("ended_on"),
        continuing=row.get("continuing") is True or content.get("continuing") is True,  # Karamay art. 33
        is_minor=bool(is_minor),
        catalog_months=(row.get("catalog_item__publicity_months_min"), row.get("catalog_item__publicity_months_max")),
        catalog_basis=row.get("catalog_item__legal_basis") or "",
        received_on=timezone.localdate(row["received_at"], tz) if row.get("received_at") else None,
    )


FACT_FIELDS = (
    "id", "subject_id", "category", "severity", "domain", "penalty_types", "content", "decided_on", "occurred_on",
    "ended_on", "is_minor", "received_at", "status", "public_until", "retain_until", "subject__type", "subject__birth_date",
    "catalog_item__openness", "catalog_item__domain", "catalog_item__publicity_months_min",
    "catalog_item__publicity_months_max", "catalog_item__legal_basis", "continuing", "criminal_liability",
    "lifetime_market_ban",
)


def apply_windows(record_ids: Iterable[int], *, profile: PolicyProfile | None = None) -> int:
    """Compute and store the window of every record in ``record_ids`` (the records app calls this on ingestion,
    correction and revocation). Set-based: a few queries per batch of 2,000. Idempotent.

    An archived or shielded window is never reopened (Karamay art. 33, Heilongjiang art. 51). A new dishonesty
    record restarts the retention of the subject's severe-list records still retained (Qufu art. 35).
    Returns how many records were processed.
    """
    profile = profile or active_policy()
    ids = sorted({int(i) for i in record_ids})
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        with transaction.atomic():
            done += _apply_chunk(chunk, profile)
            public_cache.records_changed(chunk)
    return done


def _fact_rows(ids):
    """FACT_FIELDS rows. On PostgreSQL the content comes back as only the flags the window reads
    (``content_flags``): the whole content document is the largest column and the push path does not need it."""
    records = window_store.with_ids(Record.objects.all(), ids)
    if connection.vendor != "postgresql":
        return records.values(*FACT_FIELDS)
    flags = {flag: KeyTransform(flag, "content") for flag in (*CONTENT_CASE_FLAGS, "continuing")}
    return records.values(
        *(f for f in FACT_FIELDS if f != "content"), content_flags=JSONObject(**flags)
    )


def _apply_chunk(chunk: list[int], profile: PolicyProfile, *, reopened: tuple[str, str] | None = None) -> int:
    """``reopened``: (reason, article) when :func:`reopen_publicity` recomputes the window as if a repair that
    was revoked had never happened (the severe-list end that repair caused is dropped, the citation is added).

    Plain dicts all the way to :mod:`disclosure.window_store` (no model instances): this runs inside every push."""
    rows = list(_fact_rows(chunk))
    existing = {
        w["record_id"]: w
        for w in window_store.with_ids(RecordWindow.objects.all(), chunk, "record_id").values(
            "record_id", "state", "retain_rule", "retain_article", "archived_on", "shielded_on"
        )
    }
    opted_out = set(
        window_store.with_ids(TrustOptOut.objects.filter(withdrawn_at__isnull=True), {r["subject_id"] for r in rows},
                              "subject_id").values_list("subject_id", flat=True)
    )
    now = timezone.now()
    tz = timezone.get_current_timezone()
    stored, restarts = [], []
    for row in rows:
        facts = facts_for(row, tz, profile)
        window = cached_window(facts, profile)
        old = existing.get(row["id"])
        public_until, retain_until = window.public_until, window.retain_until
        removed_from_list = old is not None and old["retain_rule"].startswith("severe_list") and reopened is None
        if removed_from_list:
            # The removal from the severe list fixed the end of publicity and the retention: a recomputation keeps them.
            public_until, retain_until = row["public_until"], row["retain_until"]
        if old is not None and old["state"] != WindowState.ACTIVE:
            # never resumed: keep the end that archived it
            public_until = row["public_until"]
        stored.append({
            "record_id": row["id"], "public_from": window.public_from, "public_until": public_until,
            "retain_until": retain_until, "domain": facts.domain[:32], "is_minor": facts.is_minor,
            "published": window.published, "long_term": window.long_term, "pending_end": window.pending_end,
            "min_until": window.min_until, "state": old["state"] if old else WindowState.ACTIVE,
            "suppressed": facts.category == "trust" and row["subject_id"] in opted_out,
            "window_rule": (window.rule + ("+repair_revocable_on_fraud" if reopened else ""))[:300],
            "window_article": window.article + (f"；{reopened[1]}" if reopened else ""),
            "window_reason": (f"{reopened[0]}；" if reopened else "") + window.reason,
            "retain_rule": (old["retain_rule"] if removed_from_list else window.retain_rule)[:200],
            "retain_article": old["retain_article"] if removed_from_list else window.retain_article,
            "profile": profile.code, "computed_at": now,
            "archived_on": old["archived_on"] if old else None, "shielded_on": old["shielded_on"] if old else None,
        })
        if old is None and facts.category == "dishonesty":
            # The day the new act HAPPENED (Qufu art. 35 "再次发生失信行为"), not when it was decided or pushed.
            restarts.append((row["subject_id"], facts.occurred_on or facts.decided_on or timezone.localdate(now), row["id"]))
    window_store.store(stored)
    if restarts:
        _restart_severe_retention(restarts, profile)
    return len(rows)


def _restart_severe_retention(restarts, profile: PolicyProfile) -> None:
    """Qufu art. 35: "自移出名单之日起保存10年 … 10年内再次发生失信行为的，该条信息的保存期限重新计算".

    Only a dishonesty act that happens AFTER the removal from the list, and within the retention period, restarts the
    retention — from the day of that act. An act dated on or before the removal (pushed late, or known at the time
    of the removal) is not a new act after it, and a restart never shortens the retention already running.
    """
    years = profile.severe_list_retention_years.value
    if years is None or not profile.severe_list_retention_restarts.value:
        return
    # Set-based (a push creates thousands of dishonesty records): ONE read of the subjects' windows retained after a
    # removal from the list (usually none), then the restarts applied in order, as one query per restart applied them.
    retained: dict[int, list[list]] = {}
    for record_id, subject_id, removed_on, retain_until in RecordWindow.objects.filter(
        retain_rule__startswith="severe_list_retention_years", list_removed_on__isnull=False,
        retain_until__isnull=False, record__subject_id__in={subject_id for subject_id, _, _ in restarts},
    ).values_list("record_id", "record__subject_id", "list_removed_on", "retain_until"):
        retained.setdefault(subject_id, []).append([record_id, removed_on, retain_until])
    if not retained:
        return
    new_ends: dict[int, date] = {}
    for subject_id, acted_on, new_id in restarts:
        new_until = add_years(acted_on, years)
        for window in retained.get(subject_id, ()):
            record_id, removed_on, retain_until = window
            if record_id != new_id and removed_on < acted_on and acted_on <= retain_until < new_until:
                window[2] = new_ends[record_id] = new_until
    by_end: dict[date, list[int]] = {}
    for record_id, new_until in new_ends.items():
        by_end.setdefault(new_until, []).append(record_id)
    for new_until, ids in by_end.items():
        Record.objects.filter(pk__in=ids).update(retain_until=new_until)
        RecordWindow.objects.filter(record_id__in=ids).update(retain_until=new_until)


def reopen_article(profile: PolicyProfile | None = None) -> str:
    """The article that allows a revoked repair to bring publicity back: the active profile's
    ``repair_revocable_on_fraud`` (Fuzhou art. 23); where the profile is silent, NDRC Order 36."""
    rule = (profile or active_policy()).repair_revocable_on_fraud
    return rule.article if rule.value else national.ORDER_36


def reopen_publicity(record_ids: Iterable[int], *, article: str | None = None, reason: str = "") -> int:
    """Hook for repair: a repair was revoked, so publicity comes back — even where the sweep already archived it.

    This is the **one lawful case of re-opening** an archived window. Everywhere else an archived window is never
    reopened (披露期限届满后不得再行披露, Karamay art. 33; Heilongjiang art. 51); here the publicity never lawfully
    ended: it ended only because of a repair that is void — obtained by fraud or concealment, or whose commitment
    was broken (福州市社会信用管理办法第二十三条: 终止修复程序或撤销修复结果; the active profile's
    ``repair_revocable_on_fraud`` rule, NDRC Order 36 where the profile is silent). ``article`` defaults to
    :func:`reopen_article`; it is stored with the window (rule ``…+repair_revocable_on_fraud``) and in the records'
    history.

    Only records whose status the caller has already restored (active / corrected) are touched, and only windows
    that are active or archived — a shielded window (retention over) stays shielded. The window is recomputed
    from the record's facts as if the repair had never happened: the end of publicity the repair set
    (``end_publicity``) and a severe-list end the repair caused (``severe_list_removed`` via sanctions, which
    restores the listing itself) are dropped. If the natural window has meanwhile run out, the record is not
    public (``public_until`` in the past) and the next ``end_publicity`` sweep archives it as usual.
    Idempotent; returns how many records were reopened or recomputed.
    """
    profile = active_policy()
    article = article or reopen_article(profile)
    note = "信用修复结果已撤销，恢复公示" + (f"（{reason}）" if reason else "")
    ids = sorted(set(
        Record.objects.filter(pk__in={int(i) for i in record_ids}, status__in=LIVE_STATUSES)
        .exclude(window__state=WindowState.SHIELDED).values_list("pk", flat=True)
    ))
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        with transaction.atomic():
            RecordWindow.objects.filter(record_id__in=chunk, state=WindowState.ARCHIVED).update(
                state=WindowState.ACTIVE, archived_on=None
            )
            done += _apply_chunk(chunk, profile, reopened=(note, article))
            record_status.record_history(chunk, f"{note}，依据{article}"[:100])
            windows = list(RecordWindow.objects.filter(record_id__in=chunk))
            RecordWindow.history.bulk_history_create(windows, default_change_reason=f"{note}，依据{article}"[:100])
            public_cache.records_changed(chunk)
    return done


def end_publicity(record_ids: Iterable[int], on: date) -> int:
    """Hook for repair and revocation: publicity of these records ends on ``on`` (the sweep archives them next)."""
    ids = list(record_ids)
    public_cache.records_changed(ids)
    Record.objects.filter(pk__in=ids).filter(Q(public_until__isnull=True) | Q(public_until__gt=on)).update(public_until=on)
    return RecordWindow.objects.filter(record_id__in=ids).filter(
        Q(public_until__isnull=True) | Q(public_until__gt=on)
    ).update(public_until=on, long_term=False, pending_end=False)


@transaction.atomic
def severe_list_removed(record_ids: Iterable[int], removed_on: date) -> int:
    """Hook for the sanctions app: the subject left the severe list on ``removed_on``.

    Publicity stops at once (the profile's limit, e.g. 3 working days under Qufu art. 35, is the latest date) and
    the record is retained for the profile's years from the removal, then shielded.
    """
    profile = active_policy()
    ids = list(record_ids)
    public_cache.records_changed(ids)
    Record.objects.filter(pk__in=ids).filter(Q(public_until__isnull=True) | Q(public_until__gt=removed_on)).update(
        public_until=removed_on
    )
    RecordWindow.objects.filter(record_id__in=ids).filter(Q(public_until__isnull=True) | Q(public_until__gt=removed_on)).update(
        public_until=removed_on
    )
    RecordWindow.objects.filter(record_id__in=ids).update(long_term=False, pending_end=False)
    years = profile.severe_list_retention_years.value
    if years is not None:
        rule = profile.severe_list_retention_years
        retain = add_years(removed_on, years)
        Record.objects.filter(pk__in=ids).update(retain_until=retain)
        RecordWindow.objects.filter(record_id__in=ids).update(
            retain_until=retain, retain_rule="severe_list_retention_years", retain_article=rule.article,
            list_removed_on=removed_on,
        )
    return len(ids)


def stop_listing_publicity(entry, removed_on: date) -> int:
    """A subject left the severe dishonesty list (``records.signals.severe_list_removed``; ``entry`` is the sanctions
    list entry). Where the profile ties the publicity of the severe dishonesty information to the list (Qufu art. 35:
    it stops within N working days of the removal, and the retention runs from the removal), the records behind the
    listing — its own, and the records derived from them for the same subject (a linked person's listing takes its
    parent's) — stop being public on ``removed_on`` and are retained from it (:func:`severe_list_removed`).
    Elsewhere each record keeps its own publicity window (Karamay art. 33). Returns how many records changed."""
    if active_policy().severe_list_publicity_stop_days.value is None:
        return 0
    own = list(entry.records.values_list("id", flat=True))
    parent_records = list(entry.parent.records.values_list("id", flat=True)) if entry.parent_id else own
    derived = Record.objects.filter(parent_id__in=parent_records, subject=entry.subject).values_list("id", flat=True)
    ids = set(own) | set(derived)
    return severe_list_removed(ids, removed_on) if ids else 0


# --- visibility ---------------------------------------------------------------------------------------


def _records():
    return Record.objects.select_related("catalog_item", "source_department", "window")


def public_records(day: date | None = None) -> QuerySet:
    """Records the public may see today (the portal and the public API show exactly these)."""
    day = day or today()
    return _records().filter(
        window__published=True, window__state=WindowState.ACTIVE, window__suppressed=False,
        status__in=LIVE_STATUSES, public_from__lte=day,
    ).filter(Q(public_until__isnull=True) | Q(public_until__gte=day)).exclude(subject__type="natural_person")


def disclosable_records(day: date | None = None) -> QuerySet:
    """Records a third party with a right to them (authorisation, statutory purpose) may see today."""
    day = day or today()
    return _records().filter(window__state=WindowState.ACTIVE, status__in=LIVE_STATUSES).filter(
        Q(public_until__isnull=True) | Q(public_until__gte=day)
    ).exclude(window__suppressed=True)  # Qufu art. 61: an opt-out also stops external queries


def own_records() -> QuerySet:
    """Everything about the subject except what retention has shielded."""
    return _records().exclude(window__state=WindowState.SHIELDED).exclude(status="shielded")


def public_subjects() -> QuerySet:
    return Subject.objects.exclude(type="natural_person")


def find_public_subject(code: str):
    """An organisation by its code; natural persons are never found (no existence oracle either)."""
    return public_subjects().filter(code=(code or "").strip().upper()).first()


SEARCH_PAGE_SIZE = 20
# Counting every match of a common word ("克拉玛依") at a million organisations would cost more than the page itself:
# past this many the page says "more than N" and offers paging up to it (narrow the query to see the rest).
SEARCH_COUNT_CAP = 1000


def _by_code_point(field: str):
    """Names compared and ordered by Unicode code point, the same on every database: ``COLLATE "C"`` on PostgreSQL —
    the expression of the index ``subject_public_name_idx`` (records migration 0009), whose ranges serve "starts with"
    in order — while SQLite compares text that way already."""
    return Collate(field, "C") if connection.vendor == "postgresql" else F(field)


def _after_prefix(prefix: str) -> str | None:
    """The first string in code-point order after every string starting with ``prefix`` (None: there is none)."""
    head = prefix.rstrip("\U0010ffff")
    if not head:
        return None
    following = ord(head[-1]) + 1
    return head[:-1] + chr(0xE000 if 0xD800 <= following <= 0xDFFF else following)  # no surrogate: not encodable


def _search_parts(query: str) -> tuple[QuerySet, QuerySet]:
    """Organisations whose name contains the query, in two parts: names that start with it — a range of the name index,
    read in its order — then names that only contain it (the trigram index or, for a word most names contain, the name
    index in order). Each by name (code point), then id. One query ordered by "starts with" first sorted every match:
    0.8 s for the second page of a word 900,000 names contain (bench/SCALE_RESULTS.md)."""
    subjects = public_subjects().alias(name_key=_by_code_point("name"))
    # "starts with" as the range of names from the query up to the first string after all its continuations: exactly
    # the names starting with it (code-point order), and what the index reads
    starts = Q(name_key__gte=query)
    if (after := _after_prefix(query)) is not None:
        starts &= Q(name_key__lt=after)
    starting = subjects.filter(starts).order_by("name_key", "id")
    containing = subjects.filter(name__contains=query).exclude(starts).order_by("name_key", "id")
    return starting, containing


def search_public_page(query: str, page: int | str | None = 1, per_page: int = SEARCH_PAGE_SIZE) -> CappedPage:
    """Organisations by exact USCC or by name, one page at a time with the total. Never natural persons.

    A page number that is not a positive integer reads as the first page; one past the last as the last page."""
    query = (query or "").strip()
    if not query:
        return CappedPage([], 1, per_page, 0, False)
    code = query.upper()
    if len(code) == 18 and code.isalnum():
        exact = list(public_subjects().filter(code=code)[:1])
        if exact:
            return CappedPage(exact, 1, per_page, 1, False)
    if len(query) < 2:
        return CappedPage([], 1, per_page, 0, False)
    return capped_page_of_parts(_search_parts(query), page, per_page=per_page, cap=SEARCH_COUNT_CAP)


def search_public(query: str, limit: int = SEARCH_PAGE_SIZE) -> list:
    """The first ``limit`` organisations for a query (exact USCC, or names starting with it first)."""
    return search_public_page(query, 1, per_page=limit).items


# --- trust opt-out (Karamay 36, Heilongjiang 51, Qufu 61) -------------------------------------------------


@transaction.atomic
def opt_out_of_trust_publicity(subject, user) -> TrustOptOut:
    """Stop publishing the subject's trust records — at once, well inside the profile's deadline."""
    existing = TrustOptOut.objects.filter(subject=subject, withdrawn_at__isnull=True).first()
    if existing:
        return existing
    rule = active_policy().trust_opt_out_days
    now = timezone.now()
    due = add_working_days(now, rule.value or 0)
    opt = TrustOptOut.objects.create(
        subject=subject, requested_by=user, requested_at=now, stop_due=due.date, stop_due_provisional=due.provisional,
        stopped_at=now, rule_article=rule.article,
    )
    RecordWindow.objects.filter(
        record__in=Record.objects.filter(subject=subject, category="trust")
    ).update(suppressed=True)
    public_cache.subjects_changed([subject.pk])
    notify_providers(opt)  # Qufu art. 61: tell the providers of what is withheld
    return opt


@transaction.atomic
def withdraw_trust_opt_out(subject) -> bool:
    changed = TrustOptOut.objects.filter(subject=subject, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    RecordWindow.objects.filter(
        record__in=Record.objects.filter(subject=subject, category="trust")
    ).update(suppressed=False)
    public_cache.subjects_changed([subject.pk])
    return bool(changed)


def active_opt_out(subject) -> TrustOptOut | None:
    return TrustOptOut.objects.filter(subject=subject, withdrawn_at__isnull=True).first()


# --- authorisations (Karamay 20, Heilongjiang 25/56, Qufu 32/62) -----------------------------------------


def grant_authorisation(subject, user, *, grantee_name: str, grantee_code: str, categories, purpose: str,
                        expires_on: date, valid_from: date | None = None) -> Authorisation:
    """Karamay art. 20, Heilongjiang arts. 25/56, Qufu arts. 32/62: an authorisation names its grantee, the categories
    and the purpose, for at most the profile's days. A refusal is a ``DomainError`` on the field at fault."""
    rule = active_policy().authorisation_max_days
    valid_from = valid_from or today()
    categories = sorted(set(categories or ()))
    grantee_code = (grantee_code or "").strip().upper()
    if not grantee_name.strip():
        raise DomainError("grantee_name_required", "请填写被授权人名称。", field="grantee_name")
    if check_uscc(grantee_code).error and check_ric(grantee_code, today()).error:
        raise DomainError("invalid_grantee_code", "被授权人的统一社会信用代码或公民身份号码不正确。", field="grantee_code")
    if not categories or any(c not in CATEGORY_CODES for c in categories):
        raise DomainError("categories_required", "请选择授权查询的信息类别。", field="categories")
    if not purpose.strip():
        raise DomainError("purpose_required", "请写明查询用途（不得一次授权用于所有用途）。", field="purpose")
    if expires_on < valid_from:
        raise DomainError("expiry_in_past", "截止日期不能早于生效日期。", field="expires_on")
    if rule.value is not None and expires_on > valid_from + timedelta(days=rule.value):
        raise DomainError("expiry_too_long", f"授权有效期最长{rule.value}日，不得长期或终身授权（{rule.article}）。", field="expires_on")
    if grantee_code == subject.code:
        raise DomainError("self_authorisation", "无需授权本人查询自己的信用信息。", field="grantee_code")
    return Authorisation.objects.create(
        subject=subject, grantee_name=grantee_name.strip()[:200], grantee_code=grantee_code, categories=categories,
        purpose=purpose.strip()[:300], valid_from=valid_from, expires_on=expires_on, rule_article=rule.article[:300],
        created_by=user,
    )


def revoke_authorisation(authorisation: Authorisation) -> None:
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])


def authorisations_for_grantee(user, day: date | None = None) -> QuerySet:
    """Valid authorisations naming one of the subjects the user acts for (the bank's agent sees the bank's)."""
    hashes = identifier_hashes_for_user(user)  # grantees are stored as keyed hashes (credit_platform.privacy)
    return Authorisation.objects.valid_on(day or today()).filter(grantee_code_hash__in=hashes).select_related("subject")


def authorised_view(authorisation: Authorisation, day: date | None = None) -> QuerySet:
    """Exactly the authorised scope: the chosen categories, in their disclosure windows."""
    return disclosable_records(day).filter(subject=authorisation.subject, category__in=authorisation.categories)


# --- government queries (Karamay 28, Heilongjiang 27, Qufu 37) ------------------------------------------


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    article: str


def query_purposes() -> list[Purpose]:
    rule = active_policy().query_purposes
    return [Purpose(code, label, rule.article) for code, label in rule.value]


def purpose_by_code(code: str | None) -> Purpose | None:
    return next((p for p in query_purposes() if p.code == (code or "").strip()), None)


def government_view(subject, day: date | None = None) -> QuerySet:
    return disclosable_records(day).filter(subject=subject)
