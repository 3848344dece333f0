"""Set-based writes for ingestion: subjects, records and their history rows.

PostgreSQL: the rows are COPYed (text format built here) into a session temp table and merged with one
``INSERT … ON CONFLICT (source_department_id, source_ref) DO UPDATE … WHERE content_hash IS DISTINCT FROM …
RETURNING id, (xmax = 0)``: a concurrent push of the same source_ref cannot create a duplicate, an unchanged
re-push writes nothing, and created / updated come back from the same statement. History rows are copied
from the written rows by one ``INSERT … SELECT``.

Other databases (SQLite in development and tests) take the portable path: classify against the stored
digests, ``bulk_create(update_conflicts=True)`` for new rows (still race-safe on the unique constraint) and
``bulk_update`` for changed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import orjson
from django.db import connection

from records.models import Record, Subject

CHUNK = 900  # parameters per IN (...) on SQLite
# Lists travel to PostgreSQL as one JSON text (orjson) instead of an array psycopg would adapt element by element.
# They are joined (hash or index nested loop), never matched with ``= ANY(array)``, which the planner may
# evaluate as a sequential scan comparing every row with every element.
_KEYS_TEXT = "(SELECT jsonb_array_elements_text(%s::jsonb) AS key)"
_KEYS_BIGINT = "(SELECT jsonb_array_elements_text(%s::jsonb)::bigint AS key)"

# Columns the ingestion writes.
RECORD_COLUMNS = (
    "subject_id", "catalog_item_id", "category", "severity", "source_department_id", "source_ref", "basis_number",
    "basis_issuer", "basis_issued_on", "procedure", "penalty_types", "occurred_on", "decided_on", "ended_on",
    "content", "responsible_persons", "consent_ref", "guardian_consent_ref", "minor_violation", "harm_mitigated",
    "first_offence", "slight_harm", "continuing", "criminal_liability", "lifetime_market_ban", "status", "received_at", "updated_at", "push_due", "push_due_provisional", "pushed_late",
    "content_hash", "disputed", "domain", "is_minor", "parent_id", "derived_role",
)
# Columns a re-push with new data replaces. Status, timeliness, disclosure windows and the objection mark stay.
UPDATED_COLUMNS = (
    "subject_id", "catalog_item_id", "category", "severity", "basis_number", "basis_issuer", "basis_issued_on",
    "procedure", "penalty_types", "occurred_on", "decided_on", "ended_on", "content", "responsible_persons",
    "consent_ref", "guardian_consent_ref", "minor_violation", "harm_mitigated", "first_offence", "slight_harm",
    "continuing", "criminal_liability", "lifetime_market_ban", "updated_at",
    "content_hash", "domain", "is_minor", "parent_id", "derived_role",
)
JSON_COLUMNS = frozenset({"penalty_types", "content", "responsible_persons"})


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _chunks(seq: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


# --- subjects -----------------------------------------------------------------------------------------------
def upsert_subjects(identities: dict[tuple[str, str], dict], now: datetime) -> dict[tuple[str, str], tuple[int, str]]:
    """Create the subjects not on file; return (code_type, code) → (id, type). Names on file are kept."""
    if not identities:
        return {}
    keys = list(identities)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    if is_postgres():
        # Sorted: concurrent batches take the unique-index locks in the same order (no deadlock).
        values = [identities[k] for k in sorted(keys)]
        payload = orjson.dumps([
            {"type": v["type"], "code_type": v["code_type"], "code": v["code"], "name": v["name"], "birth_date": v["birth_date"]}
            for v in values
        ]).decode()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO records_subject (type, code_type, code, name, birth_date, created_at, updated_at)
                SELECT t.type, t.code_type, t.code, t.name, t.birth_date, %s, %s
                FROM jsonb_to_recordset(%s::jsonb)
                     AS t(type varchar, code_type varchar, code varchar, name varchar, birth_date date)
                ORDER BY t.code_type, t.code
                ON CONFLICT (code, code_type) DO NOTHING
                RETURNING id
                """,
                [now, now, payload],
            )
            created = [r[0] for r in cursor.fetchall()]
            cursor.execute(
                f"SELECT s.id, s.code_type, s.code, s.type FROM records_subject s JOIN {_KEYS_TEXT} k ON s.code = k.key",
                [orjson.dumps([k[1] for k in keys]).decode()],
            )
            for sid, code_type, code, kind in cursor.fetchall():
                found[(code_type, code)] = (sid, kind)
        if created:
            copy_history(Subject, created, "+", "部门推送时建立 / created from a department push", now)
        return found

    existing_before = _fetch_subjects(keys)
    missing = [k for k in keys if k not in existing_before]
    if missing:
        Subject.objects.bulk_create(
            [Subject(type=identities[k]["type"], code_type=k[0], code=k[1], name=identities[k]["name"],
                     birth_date=identities[k]["birth_date"], created_at=now, updated_at=now) for k in missing],
            ignore_conflicts=True,
        )
    found = _fetch_subjects(keys)
    created = [found[k][0] for k in missing if k in found]
    if created:
        copy_history(Subject, created, "+", "部门推送时建立 / created from a department push", now)
    return found


def _fetch_subjects(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    out = {}
    wanted = set(keys)
    for chunk in _chunks(sorted({k[1] for k in keys})):
        for sid, code_type, code, kind in Subject.objects.filter(code__in=chunk).values_list("id", "code_type", "code", "type"):
            if (code_type, code) in wanted:
                out[(code_type, code)] = (sid, kind)
    return out


# --- records ------------------------------------------------------------------------------------------------
def upsert_records(rows: list[dict]) -> dict[str, tuple[int, str]]:
    """Write prepared rows of one department; return source_ref → (id, 'created'|'updated'|'unchanged')."""
    if not rows:
        return {}
    if is_postgres():
        return _upsert_postgres(rows)
    return _upsert_portable(rows)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _text(value: str) -> str:
    """A value in COPY's text format (only escaped when it has to be: most values have nothing to escape)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _json_text(value) -> str:
    return orjson.dumps(value).decode()


def _build_line_function(*, escape: bool):
    """A function ``(row, iso) -> str``: one COPY text line of RECORD_COLUMNS.

    Generated once from the model's fields: one expression per column instead of a converter call per value
    (the generic loop was a visible share of the server's time per pushed record). ``iso`` maps a date
    or datetime to its ISO text (memoised by the caller: a batch repeats the same few dates). With
    ``escape=False`` text and JSON values go in as they are; ``_copy_text`` checks the whole line and falls back
    to the ``escape=True`` function for the rare line that needs it. Numbers, dates, booleans and NULL never
    need escaping."""
    fields = {f.column: f for f in Record._meta.concrete_fields}
    wrap = "_text" if escape else ""
    parts = []
    for column in RECORD_COLUMNS:
        field = fields[column]
        kind = field.get_internal_type()
        value = f"row[{column!r}]"
        if column == "content":  # serialised once already, for the content checks
            parts.append(f'{wrap}(row.get("content_json") or _json(row["content"]))')  # never "": at least "{}"
        elif column in JSON_COLUMNS:
            parts.append(f"{wrap}(_json({value}))")
        elif kind in ("BooleanField", "NullBooleanField"):
            parts.append(f"_BOOL[{value}]")
        elif kind in ("DateField", "DateTimeField"):
            parts.append(f"iso({value})")
        elif kind in ("ForeignKey", "BigAutoField", "BigIntegerField", "IntegerField", "PositiveIntegerField"):
            parts.append(f"(_NULL if {value} is None else str({value}))" if field.null else f"str({value})")
        else:
            parts.append(f"(_NULL if {value} is None else {wrap}({value}))" if field.null else f"{wrap}({value})")
    source = "def line(row, iso):\n    return '\\t'.join((\n        " + ",\n        ".join(parts) + ",\n    ))\n"
    namespace = {"_json": _json_text, "_text": _text, "_BOOL": {True: "t", False: "f", None: _NULL}, "_NULL": _NULL}
    exec(compile(source, "<records.services.writer: COPY line>", "exec"), namespace)  # noqa: S102 - built above
    return namespace["line"]


_LINES: tuple | None = None  # (unescaped, escaped) line functions, built on first use (the models must be loaded)


def _copy_text(rows: list[dict]) -> str:
    """The COPY text of ``rows``. A line is built unescaped, then checked whole: without a backslash, CR or LF
    and with exactly one tab between columns, no value needed escaping (the common case); otherwise the line
    is built again with every text value escaped."""
    global _LINES
    if _LINES is None:
        _LINES = (_build_line_function(escape=False), _build_line_function(escape=True))
    plain, escaped = _LINES
    iso_cache: dict = {}

    def iso(value):
        if value is None:
            return _NULL
        text = iso_cache.get(value)
        if text is None:
            text = iso_cache[value] = value.isoformat()
        return text

    tabs = len(RECORD_COLUMNS) - 1
    lines = []
    for row in rows:
        line = plain(row, iso)
        if "\\" in line or "\n" in line or "\r" in line or line.count("\t") != tabs:
            line = escaped(row, iso)
        lines.append(line)
    lines.append("")
    return "\n".join(lines)


def _upsert_postgres(rows: list[dict]) -> dict[str, tuple[int, str]]:
    """COPY the rows (text format built here, no per-value adaptation) into a temp table, then merge them."""
    columns = ", ".join(RECORD_COLUMNS)
    # Sorted: concurrent batches take the unique-index locks in the same order (no deadlock).
    ordered = sorted(rows, key=lambda r: r["source_ref"])
    data = _copy_text(ordered)
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_COLUMNS)
    outcome: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        # Cheap when it exists; created inside the transaction, so a rollback cannot leave it half made.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS records_ingest_tmp ON COMMIT DELETE ROWS AS "
            f"SELECT {columns} FROM records_record WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY records_ingest_tmp ({columns}) FROM STDIN") as copy:
            copy.write(data.encode())
        cursor.execute(
            f"""
            INSERT INTO records_record ({columns})
            SELECT {columns} FROM records_ingest_tmp
            ON CONFLICT (source_department_id, source_ref) DO UPDATE SET {assignments}
            WHERE records_record.content_hash IS DISTINCT FROM EXCLUDED.content_hash
            RETURNING id, source_ref, (xmax = 0)
            """
        )
        for rid, ref, inserted in cursor.fetchall():
            outcome[ref] = (rid, "created" if inserted else "updated")
        cursor.execute("TRUNCATE records_ingest_tmp")
        missing = [r["source_ref"] for r in rows if r["source_ref"] not in outcome]
        if missing:
            cursor.execute(
                f"SELECT r.id, r.source_ref FROM records_record r JOIN {_KEYS_TEXT} k ON r.source_ref = k.key "
                f"WHERE r.source_department_id = %s",
                [orjson.dumps(missing).decode(), rows[0]["source_department_id"]],
            )
            for rid, ref in cursor.fetchall():
                outcome[ref] = (rid, "unchanged")
    return outcome


def _upsert_portable(rows: list[dict]) -> dict[str, tuple[int, str]]:
    department_id = rows[0]["source_department_id"]
    refs = [r["source_ref"] for r in rows]
    stored: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(refs):
        for rid, ref, digest in Record.objects.filter(source_department_id=department_id, source_ref__in=chunk).values_list(
            "id", "source_ref", "content_hash"
        ):
            stored[ref] = (rid, digest)
    new_rows = [r for r in rows if r["source_ref"] not in stored]
    changed = [r for r in rows if r["source_ref"] in stored and stored[r["source_ref"]][1] != r["content_hash"]]
    outcome: dict[str, tuple[int, str]] = {
        r["source_ref"]: (stored[r["source_ref"]][0], "unchanged")
        for r in rows if r["source_ref"] in stored and stored[r["source_ref"]][1] == r["content_hash"]
    }
    if new_rows:
        Record.objects.bulk_create(
            [Record(**{_attr(c): r[c] for c in RECORD_COLUMNS}) for r in new_rows],
            update_conflicts=True, unique_fields=["source_department", "source_ref"],
            update_fields=[_field(c) for c in UPDATED_COLUMNS],
        )
        for chunk in _chunks([r["source_ref"] for r in new_rows]):
            for rid, ref in Record.objects.filter(source_department_id=department_id, source_ref__in=chunk).values_list(
                "id", "source_ref"
            ):
                outcome[ref] = (rid, "created")
    if changed:
        objs = []
        for r in changed:
            obj = Record(id=stored[r["source_ref"]][0], **{_attr(c): r[c] for c in RECORD_COLUMNS})
            objs.append(obj)
            outcome[r["source_ref"]] = (obj.id, "updated")
        Record.objects.bulk_update(objs, [_field(c) for c in UPDATED_COLUMNS], batch_size=500)
    return outcome


def _attr(column: str) -> str:
    return column


def _field(column: str) -> str:
    return column[:-3] if column.endswith("_id") else column


def derived_ids(parent_ids: list[int]) -> list[int]:
    """Ids of the records derived from ``parent_ids`` (responsible-person records)."""
    if not parent_ids:
        return []
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                # ``= ANY(array)`` here, not a join: it proves ``parent_id IS NOT NULL``, so the partial index on
                # derived records serves it whatever the statistics say (the join was planned as a full scan).
                "SELECT r.id FROM records_record r WHERE r.parent_id = ANY(%s::bigint[])",
                ["{" + ",".join(str(int(i)) for i in parent_ids) + "}"],
            )
            return [r[0] for r in cursor.fetchall()]
    out = []
    for chunk in _chunks(list(parent_ids)):
        out += list(Record.objects.filter(parent_id__in=chunk).values_list("id", flat=True))
    return out


# --- history ------------------------------------------------------------------------------------------------
def _history_columns(model) -> list[str]:
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    return [f.column for f in history._meta.concrete_fields if f.column in own]


def copy_history(model, ids: Sequence[int], history_type: str, reason: str, when: datetime, *,
                 user_id: int | None = None) -> None:
    """One history row per id, copied from the current row, with the change reason (set-based)."""
    if not ids:
        return
    table = model.history.model._meta.db_table
    columns = ", ".join(_history_columns(model))
    prefixed = ", ".join(f"s.{c}" for c in _history_columns(model))
    source = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                f"INSERT INTO {table} ({columns}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {prefixed}, %s, %s, %s, %s FROM {source} s JOIN {_KEYS_BIGINT} k ON s.id = k.key",
                [when, reason[:100], history_type, user_id, orjson.dumps(list(ids)).decode()],
            )
            return
        for chunk in _chunks(list(ids)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {source} WHERE id IN ({marks})",
                [when, reason[:100], history_type, user_id, *chunk],
            )
