"""公共信用综合评价 (recomputed from the subject's facts) and 约谈 (interviews recorded on the subject's file)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import orjson
import psycopg
from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from credit_platform.bulk_ids import with_ids
from credit_platform.exceptions import DomainError
from credit_platform.workdays import local_date
from records.models import Record, Subject
from sanctions import rules
from sanctions.models import Evaluation, Interview, RedListEntry
from sanctions.services.common import credential_label, log_step, save_with_reason, subject_facts, today


# --- evaluation ---------------------------------------------------------------------------------------------------
def recompute_evaluation(subject, *, exclude_records: Iterable[int] = (), now: datetime | None = None) -> Evaluation:
    now = now or timezone.now()
    facts = subject_facts(subject, exclude_records=exclude_records)
    result = rules.evaluate(facts, local_date(now), red_list_ids=facts.red_list_ids)
    values = _values(result)
    with transaction.atomic():
        current = Evaluation.objects.select_for_update().filter(subject=subject).first()
        if current is None:
            current = Evaluation(subject=subject, computed_at=now, **values)
            save_with_reason(current, "首次评价")
            return current
        changed = any(getattr(current, k) != v for k, v in values.items())
        if changed:
            for k, v in values.items():
                setattr(current, k, v)
            current.computed_at = now
            save_with_reason(current, "重新评价")
    return current


#: rows per UPDATE statement in ``recompute_evaluations``
UPDATE_SLICE = 200


def _values(result: rules.EvaluationResult | rules.Extension) -> dict:
    """The columns an evaluation stores for ``result``. An extension carries no whole reasons list: its caller adds
    the reasons to splice, or the whole new list."""
    if isinstance(result, rules.Extension):
        points, newest, reasons = result.points_tenths, result.newest_record_id, {}
    else:
        points, newest = rules.extension_state(list(result.reasons))
        reasons = {"reasons": list(result.reasons)}
    return {"score": result.score, "grade": result.grade, "tier": result.tier or "", **reasons,
            "model_version": result.model_version, "recompute_on": result.recompute_on, "points_tenths": points,
            "newest_record_id": newest}


def recompute_evaluations(facts_by_subject: dict[int, rules.SubjectFacts], *, now: datetime | None = None,
                          computed: dict[int, dict] | None = None) -> int:
    """:func:`recompute_evaluation` for many subjects at once, set-based: what a push of thousands of records needs
    to keep pace with ingestion. ``facts_by_subject`` comes from ``facts_for_subjects``; the result for each subject
    is the one the one-by-one computation gives (same values, same history rows and change reasons). The rules run
    in Python; the writes do not depend on the number of subjects (PostgreSQL: one locking read and one statement;
    elsewhere the ORM's bulk writes). ``computed`` adds results already computed (``extend_evaluations``) to the same
    writes. Returns the number of evaluations written (changed or created)."""
    if not facts_by_subject and not computed:
        return 0
    now = now or timezone.now()
    day = local_date(now)
    results = {sid: _values(rules.evaluate(f, day, red_list_ids=f.red_list_ids)) for sid, f in facts_by_subject.items()}
    results.update(computed or {})
    if connection.vendor == "postgresql":
        return _write_postgres(results, now)
    return _write_portable(results, now)


def changed_records(record_ids: Iterable[int]) -> list[tuple]:
    """(id, subject id, subject type, category, severity, status, decided on, domain, catalog item name) of the
    changed records: read once by ``on_records_changed`` for its own checks and for ``extend_evaluations``."""
    return list(with_ids(Record.objects.all(), list(set(record_ids))).values_list(
        "id", "subject_id", "subject__type", "category", "severity", "status", "decided_on", "domain",
        "catalog_item__name"))


def extend_evaluations(changed: list[tuple], *, now: datetime | None = None) -> dict[int, dict]:
    """The evaluations that the ``changed`` records (``changed_records``) only extend — every changed record of the subject is newer
    than the records its evaluation names (a push's new records), the evaluation was computed today with the
    current model and the subject is not on the red list — computed from a summary of the stored evaluation and the
    new records alone (``rules.extend_evaluation``), without reading the subject's other records or even its stored
    reasons into Python: a continuous push adds records to subjects that already have dozens, and reading,
    rescoring and rewriting them all for each new one was what made the derived work fall behind (issue #17).

    Locks those evaluations (subject order) for the caller's transaction; the caller writes the results with
    ``recompute_evaluations(..., computed=…)`` and evaluates every other subject from its facts. Returns
    {subject id: values}; on PostgreSQL the values carry the reasons to splice into the stored list (the database
    splices them), elsewhere the whole new list."""
    now = now or timezone.now()
    day = local_date(now)
    new: dict[int, list[rules.RecordFact]] = {}
    types: dict[int, str] = {}
    for pk, sid, kind, category, severity, status, decided_on, domain, name in changed:
        new.setdefault(sid, []).append(rules.RecordFact(pk, category, severity or "", status, decided_on, domain or "",
                                                        name or ""))
        types[sid] = kind
    if not new:
        return {}
    listed = set(with_ids(RedListEntry.objects.filter(status=RedListEntry.Status.LISTED), list(new), "subject_id")
                 .values_list("subject_id", flat=True))
    splice = connection.vendor == "postgresql"
    out = {}
    # every evaluation of the subjects named is locked here, in subject order, before the caller locks any other row
    # of them: two workers reacting to overlapping pushes then never wait for each other in a cycle
    for sid, (stored, reasons, computed_at, version) in _stored(sorted(new), with_reasons=not splice).items():
        if stored is None or sid in listed or version != rules.DEFAULT_MODEL.version or local_date(computed_at) != day:
            continue  # cannot be extended, on the red list, or weighed on another day or by another model
        ext = rules.extend_evaluation(stored, new[sid], types[sid], day)
        if ext is None:
            continue
        values = _values(ext)
        if splice:
            values.update(trust=ext.trust, dishonesty=list(ext.dishonesty))
        else:
            values["reasons"] = ext.apply(reasons)
        out[sid] = values
    return out


def _stored(subject_ids: list[int], *, with_reasons: bool) -> dict[int, tuple]:
    """{subject id: (StoredEvaluation or None where it cannot be extended, reasons or None, computed_at,
    model_version)} of the subjects' evaluations, locked in subject order (where the database locks rows). Without
    ``with_reasons`` only the two reasons the extension reads (the trust reason, the last) are read: on PostgreSQL
    the list never leaves the database."""
    if not subject_ids:
        return {}
    rows = with_ids(Evaluation.objects.select_for_update(), subject_ids, "subject_id").order_by("subject_id")
    fields = ["subject_id", "points_tenths", "newest_record_id", "recompute_on", "computed_at", "model_version"]

    def summary(points, newest, trust, note, on):
        return None if points is None or newest is None else rules.StoredEvaluation(points, newest, trust, note, on)

    if with_reasons:
        out = {}
        for sid, points, newest, on, at, version, reasons in rows.values_list(*fields, "reasons"):
            reasons = reasons if isinstance(reasons, list) else []
            trust = reasons[1] if len(reasons) > 1 and reasons[1].get("kind") == rules.REASON_TRUST else None
            note = bool(reasons) and reasons[-1].get("kind") == rules.REASON_NOTE
            out[sid] = (summary(points, newest, trust, note, on), reasons, at, version)
        return out
    rows = rows.annotate(trust=RawSQL("CASE WHEN reasons -> 1 ->> 'kind' = 'trust' THEN (reasons -> 1)::text END", []),
                         note=RawSQL("coalesce(reasons -> -1 ->> 'kind' = 'note', false)", []))
    return {sid: (summary(points, newest, orjson.loads(trust) if trust else None, note, on), None, at, version)
            for sid, points, newest, on, at, version, trust, note in rows.values_list(*fields, "trust", "note")}


# Every result travels as ONE JSON parameter (orjson) unpacked server-side by ``jsonb_to_recordset``: psycopg adapts
# nothing per value (its client-side quoting of the ``reasons`` arrays cost ~1 ms per evaluation, bench/README.md).
# The UPDATE writes only the rows whose values differ (jsonb equality: the comparison ``recompute_evaluation``
# makes in Python), the INSERT only subjects without an evaluation; both return their rows to the history INSERT.
# The history row of every evaluation a statement writes, as simple_history writes it (no user: the system).
_HISTORY_INSERT = """INSERT INTO sanctions_historicalevaluation (id, subject_id, score, grade, tier, reasons,
        model_version, recompute_on, computed_at, points_tenths, newest_record_id, history_date, history_change_reason,
        history_type, history_user_id)"""


def _history_rows(written: str, reason: str, kind: str) -> str:
    return (f"SELECT id, subject_id, score, grade, tier, reasons, model_version, recompute_on, computed_at, "
            f"points_tenths, newest_record_id, %(now)s, '{reason}', '{kind}', NULL::bigint FROM {written}")


_RESULTS = """t AS (SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb) AS t(subject_id bigint, score smallint,
    grade varchar, tier varchar, reasons jsonb, model_version varchar, recompute_on date, points_tenths integer,
    newest_record_id bigint))"""
_WRITE_SQL = f"""
WITH {_RESULTS},
changed AS (
    UPDATE sanctions_evaluation AS e
    SET score = t.score, grade = t.grade, tier = t.tier, reasons = t.reasons, model_version = t.model_version,
        recompute_on = t.recompute_on, computed_at = %(now)s, points_tenths = t.points_tenths,
        newest_record_id = t.newest_record_id
    FROM t
    WHERE e.subject_id = t.subject_id
      AND (e.score, e.grade, e.tier, e.reasons, e.model_version, e.recompute_on, e.points_tenths, e.newest_record_id)
          IS DISTINCT FROM (t.score, t.grade, t.tier, t.reasons, t.model_version, t.recompute_on, t.points_tenths,
                            t.newest_record_id)
    RETURNING e.*
),
created AS (
    INSERT INTO sanctions_evaluation (subject_id, score, grade, tier, reasons, model_version, recompute_on, computed_at,
        points_tenths, newest_record_id)
    SELECT t.subject_id, t.score, t.grade, t.tier, t.reasons, t.model_version, t.recompute_on, %(now)s,
           t.points_tenths, t.newest_record_id
    FROM t WHERE NOT EXISTS (SELECT 1 FROM sanctions_evaluation e WHERE e.subject_id = t.subject_id)
    ORDER BY t.subject_id
    ON CONFLICT (subject_id) DO NOTHING
    RETURNING *
),
history AS (
    {_HISTORY_INSERT}
    {_history_rows('changed', '重新评价', '~')}
    UNION ALL
    {_history_rows('created', '首次评价', '+')}
)
SELECT (SELECT count(*) FROM changed), (SELECT coalesce(array_agg(subject_id), '{{}}') FROM created)
"""


# Extended evaluations (``extend_evaluations``): the database splices the new reasons into the stored list — the
# base score, the trust reason (replaced when there is a new one), the new dishonesty reasons, then the rest — so
# the list, which grows with the subject's records, never travels to Python and back. Every such row changes.
_SPLICE_SQL = f"""
WITH t AS (SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb) AS t(subject_id bigint, score smallint, grade varchar,
    tier varchar, trust jsonb, dishonesty jsonb, model_version varchar, recompute_on date, points_tenths integer,
    newest_record_id bigint)),
changed AS (
    UPDATE sanctions_evaluation AS e
    SET score = t.score, grade = t.grade, tier = t.tier, model_version = t.model_version,
        recompute_on = t.recompute_on, computed_at = %(now)s, points_tenths = t.points_tenths,
        newest_record_id = t.newest_record_id,
        reasons = jsonb_build_array(e.reasons -> 0)
            || CASE WHEN t.trust IS NOT NULL AND jsonb_typeof(t.trust) = 'object' THEN jsonb_build_array(t.trust)
                    WHEN e.reasons -> 1 ->> 'kind' = 'trust' THEN jsonb_build_array(e.reasons -> 1)
                    ELSE '[]'::jsonb END
            || t.dishonesty
            || CASE WHEN e.reasons -> 1 ->> 'kind' = 'trust' THEN (e.reasons - 0) - 0 ELSE e.reasons - 0 END
    FROM t
    WHERE e.subject_id = t.subject_id
      AND ((t.trust IS NOT NULL AND jsonb_typeof(t.trust) = 'object') OR jsonb_array_length(t.dishonesty) > 0
           OR (e.score, e.grade, e.tier, e.model_version, e.recompute_on)
              IS DISTINCT FROM (t.score, t.grade, t.tier, t.model_version, t.recompute_on))
    RETURNING e.*
),
history AS (
    {_HISTORY_INSERT}
    {_history_rows('changed', '重新评价', '~')}
)
SELECT count(*) FROM changed
"""


def _write_postgres(results: dict[int, dict], now: datetime) -> int:
    ordered = sorted(results)
    spliced = [sid for sid in ordered if "dishonesty" in results[sid]]
    rows = orjson.dumps([{"subject_id": sid, **results[sid]} for sid in ordered
                         if "dishonesty" not in results[sid]]).decode()
    with transaction.atomic(), connection.cursor() as cursor:
        # rows locked in subject order first, so two workers recomputing overlapping sets never deadlock
        cursor.execute("SELECT subject_id FROM sanctions_evaluation WHERE subject_id = ANY(%s::bigint[]) "
                       "ORDER BY subject_id FOR UPDATE", ["{" + ",".join(map(str, ordered)) + "}"])
        existing = {r[0] for r in cursor.fetchall()}
        # the results (megabytes: every reason of thousands of subjects) go as a bound parameter, not quoted into the
        # statement: Django's psycopg cursors bind on the client, whose escaping cost ~80 µs per evaluation
        with psycopg.Cursor(connection.connection) as bound:
            bound.execute(_WRITE_SQL, {"rows": rows, "now": now})
            changed, created = bound.fetchone()
            if spliced:
                bound.execute(_SPLICE_SQL, {"now": now, "rows": orjson.dumps(
                    [{"subject_id": sid, **results[sid]} for sid in spliced]).decode()})
                changed += bound.fetchone()[0]
    written = changed + len(created)
    # created by another worker between the lock and the insert: settle those one by one under their lock
    for sid in sorted(set(results) - existing - set(created)):
        recompute_evaluation(Subject.objects.get(pk=sid), now=now)
        written += 1
    return written


def _write_portable(results: dict[int, dict], now: datetime) -> int:
    fields = ["score", "grade", "tier", "reasons", "model_version", "recompute_on", "computed_at", "points_tenths",
              "newest_record_id"]
    with transaction.atomic():
        # rows locked in subject order, so two workers recomputing overlapping sets never deadlock
        current = {e.subject_id: e for e in Evaluation.objects.select_for_update().filter(
            subject_id__in=list(results)).order_by("subject_id")}
        changed = []
        for sid, values in results.items():
            e = current.get(sid)
            if e is None or not any(getattr(e, k) != v for k, v in values.items()):
                continue
            for k, v in values.items():
                setattr(e, k, v)
            e.computed_at = now
            changed.append(e)
        if changed:
            # in slices: Django's bulk update is one CASE per field over every row, quadratic in the slice
            bulk_update_with_history(changed, Evaluation, fields, batch_size=UPDATE_SLICE, default_change_reason="重新评价",
                                     default_date=now)
        new = [Evaluation(subject_id=sid, computed_at=now, **values) for sid, values in results.items()
               if sid not in current]
        written = len(changed)
        if new:
            try:
                with transaction.atomic():
                    bulk_create_with_history(new, Evaluation, default_change_reason="首次评价", default_date=now)
                written += len(new)
            except IntegrityError:
                # another worker created some of these evaluations meanwhile: settle them one by one under its lock
                for e in new:
                    recompute_evaluation(e.subject, now=now)
                    written += 1
    return written


# --- interviews -----------------------------------------------------------------------------------------------------
@transaction.atomic
def record_interview(subject, *, department, kind: str, held_on: date, interviewee: str, reason: str, summary: str,
                     actor, interviewee_role: str = "", officials: str = "", requirements: str = "",
                     rectify_by: date | None = None, records: Iterable = (), severe_entry=None) -> Interview:
    """约谈 recorded on the subject's file (Qufu art. 19; Heilongjiang art. 44 for public bodies on the list)."""
    missing = {k: ["required"] for k, v in (("interviewee", interviewee), ("reason", reason), ("summary", summary))
               if not (v or "").strip()}
    if missing:
        raise DomainError("required", "须填写被约谈人、事由和内容 / interviewee, reason and summary are required",
                            fields=missing)
    if held_on > today():
        raise DomainError("date_in_future", "约谈日期不能晚于今天 / the interview date is in the future",
                            fields={"held_on": ["future"]})
    records = list(records)
    for r in records:
        if r.subject_id != subject.pk:
            raise DomainError("record_of_other_subject", "失信信息不属于该主体 / a record belongs to another subject",
                                fields={"records": [r.pk]})
    interview = Interview.objects.create(
        subject=subject, department=department, kind=kind, held_on=held_on, interviewee=interviewee.strip(),
        interviewee_role=interviewee_role, officials=officials, reason=reason.strip(), summary=summary.strip(),
        requirements=requirements, rectify_by=rectify_by, severe_entry=severe_entry, recorded_by=credential_label(actor),
    )
    interview.records.set(records)
    log_step(interview, "recorded", actor, reason)
    return interview
