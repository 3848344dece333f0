"""Set-based writes of computed windows: the record's dates and its ``disclosure_recordwindow`` row.

A push of 5,000 records stores 5,000 windows inside the push's transaction, so this is on the ingestion's hot
path. On PostgreSQL the rows are written as COPY text (built here, no model
instances, no per-value adaptation) into a session temp table, then merged with two statements:
``UPDATE records_record … FROM`` the temp table and ``INSERT INTO disclosure_recordwindow … ON CONFLICT
(record_id) DO UPDATE``. Building ``RecordWindow`` instances and letting ``bulk_create(update_conflicts=True)``
compile its multi-row VALUES cost more per record than validating the record.

Other databases (SQLite in development and tests) take the portable ORM path with the same result.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import connection

from credit_platform import table_stats
from credit_platform.bulk_ids import with_ids  # noqa: F401 - re-exported: disclosure's callers use it from here
from disclosure.models import RecordWindow
from records.models import Record

# The record's own columns the window sets (readers use them; the window keeps copies for the sweeps' indexes).
RECORD_COLUMNS = ("public_from", "public_until", "retain_until", "domain", "is_minor")
# The window row's columns, in COPY order after ``record_id``.
WINDOW_COLUMNS = (
    "published", "long_term", "pending_end", "min_until", "public_until", "retain_until", "state", "suppressed",
    "window_rule", "window_article", "window_reason", "retain_rule", "retain_article", "profile", "computed_at",
    "archived_on", "shielded_on",
)
# What a recomputation replaces; ``state``, ``archived_on`` and ``shielded_on`` only ever move forward (sweeps).
UPDATED_COLUMNS = (
    "published", "long_term", "pending_end", "min_until", "public_until", "retain_until", "suppressed",
    "window_rule", "window_article", "window_reason", "retain_rule", "retain_article", "profile", "computed_at",
)
_TEMP = "disclosure_window_tmp"
_TEMP_COLUMNS = ("record_id", "public_from", "domain", "is_minor") + WINDOW_COLUMNS


def store(rows: list[dict]) -> None:
    """Write computed windows. Each row holds ``record_id`` and every column of RECORD_COLUMNS and WINDOW_COLUMNS."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _store_postgres(rows)
    else:
        _store_portable(rows)
    table_stats.rows_written((RecordWindow,), len(rows))  # ANALYZE after a bulk load (credit_platform.table_stats)


# --- PostgreSQL -------------------------------------------------------------------------------------------
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _store_postgres(rows: list[dict]) -> None:
    # Sorted by record id: concurrent pushes take the row and index locks in the same order (no deadlock).
    ordered = sorted(rows, key=lambda r: r["record_id"])
    data = "".join("\t".join(_copy_value(row[c]) for c in _TEMP_COLUMNS) + "\n" for row in ordered)
    columns = ", ".join(("record_id",) + WINDOW_COLUMNS)
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_COLUMNS)
    record_sets = ", ".join(f"{c} = w.{c}" for c in RECORD_COLUMNS)
    with connection.cursor() as cursor:
        # Cheap when it exists; made inside the transaction, so a rollback cannot leave it half made.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_TEMP} ON COMMIT DELETE ROWS AS "
            f"SELECT w.record_id, r.public_from, r.domain, r.is_minor, "
            f"{', '.join('w.' + c for c in WINDOW_COLUMNS)} "
            f"FROM disclosure_recordwindow w JOIN records_record r ON r.id = w.record_id WITH NO DATA"
        )
        # A window computed earlier in the same transaction (a push followed by a correction) is replaced.
        cursor.execute(f"TRUNCATE {_TEMP}")
        with cursor.cursor.copy(f"COPY {_TEMP} ({', '.join(_TEMP_COLUMNS)}) FROM STDIN") as copy:
            copy.write(data.encode())
        cursor.execute(f"UPDATE records_record AS r SET {record_sets} FROM {_TEMP} AS w WHERE r.id = w.record_id")
        cursor.execute(
            f"INSERT INTO disclosure_recordwindow ({columns}) SELECT {columns} FROM {_TEMP} ORDER BY record_id "
            f"ON CONFLICT (record_id) DO UPDATE SET {assignments}"
        )
        cursor.execute(f"TRUNCATE {_TEMP}")


# --- portable ---------------------------------------------------------------------------------------------
def _store_portable(rows: list[dict]) -> None:
    Record.objects.bulk_update(
        [Record(pk=row["record_id"], **{c: row[c] for c in RECORD_COLUMNS}) for row in rows],
        list(RECORD_COLUMNS), batch_size=500,
    )
    RecordWindow.objects.bulk_create(
        [RecordWindow(record_id=row["record_id"], **{c: row[c] for c in WINDOW_COLUMNS}) for row in rows],
        update_conflicts=True, unique_fields=["record"], update_fields=list(UPDATED_COLUMNS),
    )
