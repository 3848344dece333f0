"""Scale benchmark on PostgreSQL: every hot path and every daily sweep over 10,000,000 records / 1,000,000 subjects.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \
        .venv/bin/python bench/scale_bench.py --records 10000000 --subjects 1000000 --explain

What one run does:

1. generates what is missing, set-based in SQL (``disclosure_bench.generate``: subjects, records, publicity
   windows; then here: a published measure list with its matters, severe-list entries for 2 % of the
   organisations, one evaluation per subject, open objections, clean subjects with trust records only, and the
   rows each daily sweep finds due "today");
2. measures server time in process (Django test client, no network) for the public subject page, the public
   search, "my credit record", the PDF report and ``POST /api/v1/joint-check/`` (department token) for subjects
   with dishonesty records, on the severe list, clean, and not on file — p50/p95, peak RSS of this process
   during the measure (VmHWM reset before it) and the tracemalloc peak of one operation;
3. runs every daily sweep of ``CELERY_BEAT_SCHEDULE`` that reads a large table through the task function the
   worker calls (so ``run_sweep`` and the SweepRun row are included) twice: the first run acts on what is due,
   the second finds nothing;
4. with ``--explain``: captures the SQL of each measure (``connection.execute_wrapper``) and writes
   ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest SELECTs into ``bench/EXPLAIN.md`` with the indexes each plan uses
   and any sequential scan.

It prints the load average with every figure: the machine is shared, the figures are noisy.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.environ.setdefault("CREDIT_VAR_DIR", "/tmp/credit-scale-bench-var")  # filesystem broker, cache, media
os.environ.setdefault("CACHE_URL", "locmem://scale-bench")  # rate-limit counters in process (still checked)
os.environ.setdefault("RATELIMIT_SEARCH", "1000000/m")  # the bench is one client making hundreds of searches
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("OFFICIAL_OTP_REQUIRED", "false")
# Server time of the database path: with the public page cache on, a repeated page would be a cache hit
# (bench/public_reads.py measures the cache).
os.environ.setdefault("PUBLIC_CACHE_ENABLE", "false")

import disclosure_bench  # noqa: E402  (sets the remaining environment; generates records and windows)

EXPLAIN_PATH = BENCH / "EXPLAIN.md"


# --- memory -----------------------------------------------------------------------------------------------------------
def status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0), so the next reading is the peak of what follows."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


# --- SQL capture ------------------------------------------------------------------------------------------------------
class Capture:
    """``connection.execute_wrapper``: per SQL text, how often it ran, total and slowest time, and the parameters of
    the slowest run (what EXPLAIN replays)."""

    def __init__(self):
        self.stats: dict[str, list] = {}

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - t) * 1000
            s = self.stats.setdefault(sql, [0, 0.0, -1.0, None, many])
            s[0] += 1
            s[1] += ms
            if ms > s[2]:
                s[2], s[3] = ms, params

    @property
    def count(self) -> int:
        return sum(s[0] for s in self.stats.values())

    def selects(self, top: int) -> list[tuple[str, int, float, float, object]]:
        rows = [(sql, *s[:4]) for sql, s in self.stats.items()
                if not s[4] and sql.lstrip().upper().startswith(("SELECT", "WITH"))]
        rows.sort(key=lambda r: -r[2])  # by total time
        return rows[:top]


PLAN_INDEX = re.compile(r"(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)(?: on (\S+))?")
PLAN_REMOVED = re.compile(r"Rows Removed by (?:Join )?Filter: (\d+)")
PLAN_SEQ = re.compile(r"Seq Scan on (\S+)(?: \S+)? .*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+)")


def explain(sql: str, params) -> tuple[str, list[str], list[str], int]:
    """EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back (FOR UPDATE selections lock nothing for good)."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
        transaction.set_rollback(True)
    indexes = sorted({m.group(2) for m in PLAN_INDEX.finditer(plan)})
    seqs = sorted({f"{m.group(1)} ({int(m.group(2)):,} rows returned)" for m in PLAN_SEQ.finditer(plan)})
    removed = max((int(m.group(1)) for m in PLAN_REMOVED.finditer(plan)), default=0)
    return plan, indexes, seqs, removed


def _literal(sql: str, params) -> str:
    """The statement with its parameters inlined, for reading (not executed)."""
    from django.db import connection

    try:
        with connection.cursor() as cur:
            return cur.mogrify(sql, params) if hasattr(cur, "mogrify") else sql
    except Exception:  # noqa: BLE001 - display only
        return sql


# --- one measure ------------------------------------------------------------------------------------------------------
class Results:
    def __init__(self):
        self.rows: list[dict] = []
        self.captures: dict[str, Capture] = {}

    def add(self, **row):
        row["load"] = load()
        self.rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)


def measure(results: Results, name: str, fn, n: int, *, capture: bool, traced: int = 3):
    """Warm-up call (with SQL capture), then ``n`` timed calls (peak RSS over them), then tracemalloc over
    ``traced`` calls (separately: tracing slows Python down several times)."""
    from django.db import connection

    cap = Capture()
    with connection.execute_wrapper(cap):
        fn(0)
    if capture:
        results.captures[name] = cap
    gc.collect()
    rss_before = status_kb("VmRSS")
    reset_peak_rss()
    samples = []
    for i in range(1, n + 1):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000)
    hwm = status_kb("VmHWM")
    samples.sort()
    tracemalloc.start()
    peak = 0
    for i in range(traced):
        tracemalloc.reset_peak()
        fn(n + 1 + i)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    results.add(measure=name, n=n, p50_ms=round(statistics.median(samples), 1),
                p95_ms=round(samples[max(0, int(len(samples) * 0.95) - 1)], 1), queries=cap.count,
                peak_rss_mib=round(hwm / 1024, 1), rss_growth_mib=round((hwm - rss_before) / 1024, 1),
                tracemalloc_peak_kib=round(peak / 1024))


def sweep(results: Results, name: str, task, *, capture: bool):
    """First run (acts on what is due) and a second run (nothing due) of one beat task, called as the worker does."""
    from django.db import connection

    runs = []
    for attempt in ("first", "again"):
        cap = Capture()
        gc.collect()
        rss_before = status_kb("VmRSS")
        reset_peak_rss()
        t = time.perf_counter()
        with connection.execute_wrapper(cap):
            acted = task()
        ms = (time.perf_counter() - t) * 1000
        runs.append((ms, acted, cap.count, status_kb("VmHWM"), rss_before))
        if attempt == "first" and capture:
            results.captures[f"sweep {name}"] = cap
    (ms1, acted1, q1, hwm1, before1), (ms2, acted2, q2, _, _) = runs
    results.add(measure=f"sweep {name}", first_ms=round(ms1), acted=acted1, first_queries=q1, again_ms=round(ms2),
                again_acted=acted2, again_queries=q2, peak_rss_mib=round(hwm1 / 1024, 1),
                rss_growth_mib=round((hwm1 - before1) / 1024, 1))


# --- data for the joint check and the sweeps --------------------------------------------------------------------------
SEVERE_SHARE = 50  # one organisation in 50 is on the severe list
CLEAN_SUBJECTS = 10_000
OBJECTIONS = 5_000


def generate_extras(n_subjects: int) -> None:
    """Everything besides records and windows, set-based, once (skipped when the severe list is already filled)."""
    from datetime import date

    from django.conf import settings
    from django.db import connection, transaction

    from catalog.models import CatalogItem, CatalogVersion
    from credit_platform.models import Department
    from records.models import Subject
    from sanctions import demo
    from sanctions.models import SevereListEntry

    if SevereListEntry.objects.filter(reasons="bench").exists():
        return
    t = time.perf_counter()
    print("generating lists, severe-list entries, evaluations, objections and clean subjects …", flush=True)
    demo._lists(date.today())  # the demo's matters and published national + municipal measure lists
    dept = Department.objects.get(code="BENCH")
    version = CatalogVersion.objects.get(version_label="bench")
    trust, _ = CatalogItem.objects.get_or_create(
        version=version, code="BENCH-XK", defaults=dict(name="行政许可信息", behaviour="b", category="trust",
                                                        matter_type="administrative_licence", data_source="b",
                                                        legal_basis="b"))
    first = Subject.objects.filter(code__startswith="B").order_by("id").values_list("id", flat=True).first()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SELECT set_config('TimeZone', %s, true)", [settings.TIME_ZONE])  # today = the sweeps' local date
        # Severe list: every 50th organisation listed (term ends spread over 700 days, 1/700 of them today); the
        # entry rests on the subject's first record. 200 more removed but still public (the publicity sweep's work).
        cur.execute(f"""
            INSERT INTO sanctions_severelistentry (linked_role, source, status, reasons, basis, term_months,
                removal_conditions, removal_procedure, remedies, notice_number, delivery, defence_article,
                defence_due_provisional, review_outcome, review_reasons, decision_number, decided_at, listed_on,
                term_end, public, removal_reason, removal_note, publicity_stop_provisional, publicity_stop_article,
                court_case_number, created_at, department_id, subject_id, removed_at, publicity_stop_due)
            SELECT '', 'department', CASE WHEN g %% {SEVERE_SHARE * 100} = 7 THEN 'removed' ELSE 'listed' END,
                'bench', '基准测试', 24, '', '', '', '', '', '', false, '', '', '克罚决' || g, now(),
                current_date - 30, current_date + ((g / {SEVERE_SHARE}) %% 700), true, '', '', false, '', '', now(), %s, {first} + g - 1,
                CASE WHEN g %% {SEVERE_SHARE * 100} = 7 THEN now() END,
                CASE WHEN g %% {SEVERE_SHARE * 100} = 7 THEN current_date + 3 END
            FROM generate_series(1, %s) g
            WHERE g %% {SEVERE_SHARE} = 7 AND g %% 10 <> 0
        """, [dept.pk, n_subjects])
        cur.execute("""
            INSERT INTO sanctions_severelistentry_records (severelistentry_id, record_id)
            SELECT e.id, (SELECT r.id FROM records_record r WHERE r.subject_id = e.subject_id ORDER BY r.id LIMIT 1)
            FROM sanctions_severelistentry e WHERE e.reasons = 'bench'
        """)
        # One evaluation per subject; 1 in 1,000 falls due for recomputation today.
        cur.execute(f"""
            INSERT INTO sanctions_evaluation (score, grade, tier, reasons, model_version, computed_at, recompute_on,
                subject_id)
            SELECT 700, 'C', 'normal', '[]'::jsonb, 'bench', now(),
                CASE WHEN g %% 1000 = 3 THEN current_date ELSE current_date + 1 + (g %% 365) END, {first} + g - 1
            FROM generate_series(1, %s) g
        """, [n_subjects])
        # Retention: the windows archived longest ago end their retention yesterday (one day's worth).
        cur.execute("""
            UPDATE disclosure_recordwindow SET retain_until = current_date - 1
            WHERE state = 'archived' AND public_until = (SELECT min(public_until) FROM disclosure_recordwindow)
        """)
        seed_objections(cur, first, n_subjects, dept.pk)
        # Repair notices (信用修复告知书): the hourly repair sweep creates one for every dishonesty record; all but the
        # newest 5,000 records (an hour's pushes) have theirs.
        cur.execute("""
            INSERT INTO repair_repairnotice (number, generated_at, delivery_channel, record_id)
            SELECT 'XFGZ' || lpad(r.id::text, 8, '0') || upper(substr(md5(r.id::text), 1, 4)), now(), '', r.id
            FROM records_record r
            WHERE r.category = 'dishonesty' AND r.id <= (SELECT max(id) - 5000 FROM records_record)
            ON CONFLICT DO NOTHING
        """)
        # Clean subjects: organisations with three licence (trust) records each, windows stored, no dishonesty.
        cur.execute(f"""
            INSERT INTO records_subject (type, code_type, code, name, created_at, updated_at)
            SELECT 'legal_person', 'uscc', 'C' || lpad(g::text, 17, '0'), '克拉玛依守信' || g || '有限公司', now(), now()
            FROM generate_series(1, {CLEAN_SUBJECTS}) g ON CONFLICT DO NOTHING
        """)
        cur.execute("""
            INSERT INTO records_record (subject_id, catalog_item_id, category, severity, source_department_id,
                source_ref, basis_number, basis_issuer, procedure, penalty_types, content, responsible_persons,
                consent_ref, guardian_consent_ref, minor_violation, harm_mitigated, first_offence, status, received_at,
                updated_at, push_due_provisional, content_hash, disputed, domain, derived_role, decided_on, occurred_on,
                public_from, public_until, is_minor)
            SELECT s.id, %s, 'trust', '', %s, 'BENCH-XK-' || s.id || '-' || k, '克许〔2025〕' || s.id || '号',
                '基准测试部门', 'general', '[]'::jsonb, '{"许可内容": "基准测试"}'::jsonb, '[]'::jsonb, '', '',
                false, false, false, 'active', now(), now(), false, '', false, '', '', DATE '2025-01-01' + k,
                DATE '2025-01-01' + k, DATE '2025-01-01' + k, DATE '2025-01-01' + k + 1095, false
            FROM records_subject s, generate_series(1, 3) k WHERE s.code LIKE 'C%%'
        """, [trust.pk, dept.pk])
        cur.execute("""
            INSERT INTO disclosure_recordwindow (record_id, published, long_term, pending_end, public_until,
                retain_until, state, suppressed, window_rule, window_article, window_reason, retain_rule,
                retain_article, profile, computed_at)
            SELECT r.id, true, false, false, r.public_until, NULL, 'active', false, 'publicity_trust', '', '', '',
                '', 'karamay', now()
            FROM records_record r WHERE r.catalog_item_id = %s ON CONFLICT DO NOTHING
        """, [trust.pk])
    with connection.cursor() as cur:
        cur.execute("ANALYZE records_subject; ANALYZE records_record; ANALYZE disclosure_recordwindow; "
                    "ANALYZE sanctions_severelistentry; ANALYZE sanctions_evaluation; ANALYZE objections_objection; "
                    "ANALYZE objections_objectionrecord; ANALYZE repair_repairnotice")
    print(f"generated in {time.perf_counter() - t:.0f} s", flush=True)


def seed_objections(cur, first: int, n_subjects: int, department_id: int) -> None:
    """5,000 objections over the first records of distinct subjects, as the generator left them (``--reseed`` puts
    them back after a sweep acted on them). 40 % received (1 in 40 of them due to be marked today), 60 % under review
    with the record marked disputed (1 in 60 of them past the decision date)."""
    objections = min(OBJECTIONS, n_subjects // 10)
    stride = n_subjects // objections
    cur.execute(f"""
        WITH picked AS (
            SELECT g, (SELECT r.id FROM records_record r WHERE r.subject_id = {first} + g * {stride} ORDER BY r.id
                       LIMIT 1) AS record_id, {first} + g * {stride} AS subject_id
            FROM generate_series(0, %s - 1) g
        ), objections AS (
            INSERT INTO objections_objection (number, policy_code, channel, ground, statement, applicant_name,
                applicant_phone, applicant_email, received_at, received_on, status, provisional, assisted,
                paused_days, marked_automatically, outcome, decision_reasons, created_at, updated_at,
                handling_department_id, subject_id, mark_due, decision_due)
            SELECT 'BENCH-YY-' || g, 'karamay', 'portal', 'inaccurate', '基准测试异议', '申请人', '', '',
                now() - interval '3 days', current_date - 3,
                CASE WHEN g %% 5 < 2 THEN 'received' ELSE 'under_review' END, false, false, 0, false, '', '',
                now(), now(), %s, subject_id,
                CASE WHEN g %% 5 < 2 THEN CASE WHEN g %% 40 = 0 THEN current_date ELSE current_date + 1 END END,
                CASE WHEN g %% 60 = 2 THEN current_date - 1 ELSE current_date + 10 + g %% 50 END
            FROM picked RETURNING id, number, status
        )
        INSERT INTO objections_objectionrecord (outcome, correction, objection_id, record_id)
        SELECT '', '{{}}'::jsonb, o.id, p.record_id
        FROM objections o JOIN picked p ON o.number = 'BENCH-YY-' || p.g
    """, [objections, department_id])
    cur.execute("""
        UPDATE records_record SET disputed = true WHERE id IN (
            SELECT i.record_id FROM objections_objectionrecord i JOIN objections_objection o ON o.id = i.objection_id
            WHERE o.status = 'under_review' AND o.number LIKE 'BENCH-YY-%%')
    """)


def reseed_due(n_subjects: int) -> dict:
    """Put back, for every daily sweep, as many rows due "today" as the generator left (a first run acts on them, so a
    second measurement of a first run needs them again). Deterministic: the same counts each time; each step takes the
    next rows in line (e.g. the windows ending on the next day), not rows a sweep already changed. Returns the counts.

    * ``disclosure.end_publicity``: the active windows with the next end date after today end yesterday instead
      (~7,143 a day), and 100 more of the day after are repaired today (their window ends on the repair day:
      ``disclosure.services.end_publicity``), the second selection of the sweep;
    * ``disclosure.end_retention``: the archived windows with the oldest end date end their retention yesterday;
    * ``disclosure.missing_windows`` and the repair notices of ``repair.sweep_deadlines``: their watermarks go back
      to 0 (their SweepRun rows are removed), as after the generator — the worst case, a whole-table first run —
      and the newest 5,000 generated dishonesty records lose their repair notice again;
    * the 5,000 bench objections are removed and inserted again as generated (``seed_objections``);
    * ``sanctions.evaluations``: the generator's 1 in 1,000 evaluations are due today again;
    * ``sanctions.severe_list_terms``: the listed bench entries with the next term end end today;
      ``sanctions.publicity``: the generator's 200 removed entries are public again.
    """
    from django.conf import settings
    from django.db import connection, transaction

    from credit_platform.models import Department, SweepRun
    from objections.models import Objection, ObjectionRecord
    from records.models import Subject

    counts = {}
    first = Subject.objects.filter(code__startswith="B").order_by("id").values_list("id", flat=True).first()
    dept = Department.objects.get(code="BENCH")
    with transaction.atomic(), connection.cursor() as cur:
        # "today" is the platform's local date (the sweeps' credit_platform.workdays.local_date), not UTC's: from
        # 16:00 UTC on, Asia/Shanghai is a day ahead
        cur.execute("SELECT set_config('TimeZone', %s, true)", [settings.TIME_ZONE])
        cur.execute("""
            WITH next_day AS (SELECT min(public_until) AS d FROM disclosure_recordwindow
                              WHERE state = 'active' AND public_until > current_date)
            UPDATE disclosure_recordwindow w SET public_until = current_date - 1 FROM next_day
            WHERE w.state = 'active' AND w.public_until = next_day.d
        """)
        counts["windows ending yesterday"] = cur.rowcount
        cur.execute("""
            WITH repaired AS (
                SELECT w.record_id FROM disclosure_recordwindow w JOIN records_record r ON r.id = w.record_id
                WHERE w.state = 'active' AND r.status = 'active'
                  AND w.public_until = (SELECT min(public_until) FROM disclosure_recordwindow
                                        WHERE state = 'active' AND public_until > current_date)
                ORDER BY w.record_id LIMIT 100
            ), windows AS (
                UPDATE disclosure_recordwindow w SET public_until = current_date FROM repaired
                WHERE w.record_id = repaired.record_id RETURNING w.record_id
            )
            UPDATE records_record r SET status = 'repaired', public_until = current_date FROM windows
            WHERE r.id = windows.record_id
        """)
        counts["records repaired today"] = cur.rowcount
        cur.execute("""
            UPDATE disclosure_recordwindow SET retain_until = current_date - 1
            WHERE state = 'archived' AND public_until = (SELECT min(public_until) FROM disclosure_recordwindow
                                                         WHERE state = 'archived')
        """)
        counts["windows ending retention yesterday"] = cur.rowcount
        counts["watermarks reset"] = SweepRun.objects.filter(
            name__in=["disclosure_missing_windows", "repair_deadlines"]).delete()[0]
        cur.execute("""
            DELETE FROM repair_repairnotice WHERE record_id IN (
                SELECT id FROM records_record WHERE category = 'dishonesty' AND source_ref LIKE 'BENCH-%%'
                ORDER BY id DESC LIMIT 5000)
        """)
        counts["repair notices removed"] = cur.rowcount
        bench_objections = Objection.objects.filter(number__startswith="BENCH-YY-")
        records = list(ObjectionRecord.objects.filter(objection__in=bench_objections).values_list("record_id", flat=True))
        cur.execute("UPDATE records_record SET disputed = false WHERE id = ANY(%s)", [records])
        bench_objections.delete()
        seed_objections(cur, first, n_subjects, dept.pk)
        counts["objections"] = Objection.objects.filter(number__startswith="BENCH-YY-").count()
        cur.execute(f"""
            UPDATE sanctions_evaluation SET recompute_on = current_date
            WHERE (subject_id - {first} + 1) %% 1000 = 3 AND subject_id BETWEEN {first} AND {first} + %s - 1
        """, [n_subjects])
        counts["evaluations due"] = cur.rowcount
        cur.execute("""
            UPDATE sanctions_severelistentry SET term_end = current_date
            WHERE reasons = 'bench' AND status = 'listed'
              AND term_end = (SELECT min(term_end) FROM sanctions_severelistentry
                              WHERE reasons = 'bench' AND status = 'listed' AND term_end > current_date)
        """)
        counts["severe-list terms ending today"] = cur.rowcount
        cur.execute("""
            UPDATE sanctions_severelistentry SET public = true, publicity_stopped_at = NULL,
                publicity_stopped_late = NULL
            WHERE reasons = 'bench' AND status = 'removed' AND removal_reason = ''
        """)
        counts["removed entries public again"] = cur.rowcount
    print("reseeded: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    return counts


# --- plans after a bulk load ------------------------------------------------------------------------------------------
STATS_TABLES = ("records_record", "records_subject", "records_historicalrecord", "disclosure_recordwindow")


def table_stats() -> dict[str, tuple]:
    """Per table: (last ANALYZE, last autoanalyze, rows modified since the last analyse, live rows)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT relname, last_analyze, last_autoanalyze, n_mod_since_analyze, n_live_tup "
                    "FROM pg_stat_user_tables WHERE relname = ANY(%s)", [list(STATS_TABLES)])
        return {r[0]: r[1:] for r in cur.fetchall()}


def bulk_load(results: Results, records: int, n: int, *, capture: bool) -> None:
    """Push ``records`` records through the batch API into this database (``bench/ingest.py --keep-existing``: real
    gunicorn, validation, the worker's windows), then measure at once the public subject page of organisations the
    load created — the plans the page gets right after a large load. Prints whether and by whom the statistics of the
    loaded tables were refreshed (``credit_platform.table_stats``: the platform's own ANALYZE after
    ``STATS_REFRESH_AFTER_ROWS`` rows; autovacuum's in its own time)."""
    import subprocess

    import ingest
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    before = table_stats()
    env = dict(os.environ)
    # the platform's embedded default cache (files), shared by the gunicorn workers and the windows phase as by a
    # real deployment's processes: the per-table row counts of table_stats add up across them
    env.pop("CACHE_URL", None)
    env["CREDIT_VAR_DIR"] = os.environ["CREDIT_VAR_DIR"]
    command = [sys.executable, str(BENCH / "ingest.py"), "--records", str(records), "--keep-existing", "--no-copy",
               "--database-url", os.environ["DATABASE_URL"]]
    print(f"bulk load: {' '.join(command[1:])} (STATS_REFRESH_AFTER_ROWS={settings.STATS_REFRESH_AFTER_ROWS:,}), "
          f"load {load()}", flush=True)
    connection.close()
    t = time.perf_counter()
    subprocess.run(command, env=env, check=True, cwd=BENCH.parent)
    loaded_s = time.perf_counter() - t
    after = table_stats()
    refreshed = {}
    for table in STATS_TABLES:
        b, a = before.get(table), after.get(table)
        if a is None:
            continue
        by = [who for who, i in (("platform", 0), ("autovacuum", 1)) if a[i] and (b is None or a[i] != b[i])]
        refreshed[table] = f"{' + '.join(by) or 'NOT refreshed'}; {a[2]:,} rows modified since"
    print("statistics after the load: " + "; ".join(f"{k}: {v}" for k, v in refreshed.items()), flush=True)
    gen = ingest.Generator(records)
    step = max(1, gen.orgs // (n + 5))
    codes = [gen.uscc(k) for k in range(step // 2, gen.orgs, step)][: n + 5]
    client = Client(HTTP_HOST="localhost", secure=True)

    def page(i):
        response = client.get(f"/subjects/{codes[i % len(codes)]}/")
        assert response.status_code == 200, response.status_code
        return response

    measure(results, f"public subject page right after a {records:,}-record load", page, n, capture=capture)
    results.rows[-1].update(load_seconds=round(loaded_s), statistics=refreshed)
    print(json.dumps(results.rows[-1], ensure_ascii=False, default=str), flush=True)


# --- the sweeps -------------------------------------------------------------------------------------------------------
def beat_sweeps() -> list[tuple[str, object]]:
    """The beat tasks that read large tables, in schedule order (credit_platform/settings.py CELERY_BEAT_SCHEDULE)."""
    from django.conf import settings

    from config.celery import app
    from credit_platform import tasks as platform_tasks  # noqa: F401  (registers the tasks)
    from disclosure import tasks as disclosure_tasks  # noqa: F401
    from objections import tasks as objection_tasks  # noqa: F401
    from records import tasks as record_tasks  # noqa: F401
    from repair import tasks as repair_tasks  # noqa: F401
    from sanctions import tasks as sanction_tasks  # noqa: F401

    skip = {"credit_platform.heartbeat"}
    out = []
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        name = entry["task"]
        if name not in skip:
            out.append((name, app.tasks[name]))
    return out


# --- report -----------------------------------------------------------------------------------------------------------
NOTES = {
    # measure → which index should serve it and what bounds it; the plans below show what did (run of 2026-11-23).
    "public subject page": "Subject by `subject_identifier_unique (code, code_type)`; its ~10 records by "
                           "`records_record_subject_id` joined to `disclosure_recordwindow_pkey`; related persons by "
                           "their `organisation_id` index. Rows touched: one subject's.",
    "public search (name prefix)": "Two parts: names starting with the query as a range of "
                                   "`subject_public_name_idx ((name COLLATE \"C\"), id)` read in order (count and page "
                                   "stop at the cap), then names only containing it through `disc_subject_name_trgm` "
                                   "(GIN trigram) — or, for a word most names contain, the name index in order.",
    "public search (~": "The same two parts: a query most names start with is a range of `subject_public_name_idx` "
                        "read in order up to the page (at most the cap, 1,000 rows); one most names only contain is "
                        "the same index read in order with a filter (dense: a page is found in the first rows).",
    "public search (USCC)": "`subject_identifier_unique` on the exact code.",
    "my credit record": "The subject's records by `records_record_subject_id`, windows by primary key, history by "
                        "`records_historicalrecord_id`, repair notices by `repair_repairnotice_record_id_key`: ~10 "
                        "records' rows, each on its own page (a subject's records are spread over the table), so the "
                        "first view of a subject waits for those pages (the capture call: 318 ms on history rows; "
                        "the replay: 3 ms).",
    "PDF report": "The same reads as the own record; the time is WeasyPrint rendering (CPU), not SQL.",
    "joint check": "Subject by `code__iexact` — `UPPER(code) = UPPER(%s)`: before `subject_code_upper_idx` "
                   "(records 0004) the planner walked `records_subject_pkey` and discarded up to 1,000,000 rows per "
                   "check (the clean subjects have the highest ids); its records by `records_record_subject_id`, list "
                   "entries, commitments and evaluation by their `subject_id` indexes, published measures of the "
                   "matter (small tables).",
    "sweep credit_platform.prune_sweep_runs": "Small table (one row per sweep run, 400 days kept).",
    "sweep disclosure.end_publicity": "Two selections, each index-served: windows ending in [earliest active end, "
        "today) through `disc_window_due_idx` (the lower bound is one probe of the same index: without it the planner "
        "expected millions of rows among the active windows and walked them all in key order, 7–10 s with nothing "
        "due), and repaired records through `record_repaired_idx` joined to the windows by primary key. Then per "
        "batch the records and history rows by primary key and the public-cache invalidation (the subjects' codes).",
    "sweep disclosure.end_retention": "Due windows through `disc_window_retain_idx (retain_until) WHERE state IN "
                                      "('active','archived')`; then records and history rows by primary key.",
    "sweep disclosure.missing_windows": "First run after the generator: watermark 0, so one anti-join of records "
        "and windows over the whole table (hash join, sequential scans); the watermark then moves past them and "
        "the next run reads only records newer than it (`records_record_pkey`).",
    "sweep repair.sweep_deadlines": "The applications' due dates (small table), then the repair notices of "
        "dishonesty records past the watermark (`records.watermark`): with the watermark at 0 — the first run after "
        "the generator or `--reseed` — that is an anti-join of all records with all notices (sequential scans, "
        "twice: the selection and the watermark's check), afterwards records past the watermark by "
        "`records_record_pkey`.",
    "sweep repair.sweep_outbox": "`repair_delivery_due` partial index.",
    "sweep objections.sweep_marks": "Due objections through `objection_mark_due_open`; the time is per objection "
        "(auto-mark, the record's disputed flag and history, events, notifications with working-day lookups). The "
        "restore of marks something removed reads the marked objections' record ids first and claims those records "
        "by `records_record_pkey` (as one join, the planner walked the primary key up to the largest of them).",
    "sweep objections.sweep_escalations": "`objection_decision_due_open`, `assistance_due_open`, "
                                          "`complaint_reply_due_open`; per-row notifications.",
    "sweep objections.sweep_reminders": "The same partial indexes; the time is one reminder (group and user "
                                        "lookups, notification rows) per objection.",
    "sweep sanctions.publicity": "`severe_publicity_stop_idx`; one stop per removed entry.",
    "sweep sanctions.record_changes": "History past the watermark by `records_historicalrecord_pkey`, then set-based "
        "per batch: the facts of every subject in one query per table (`records_record_subject_id`, the lists', "
        "commitments' and evaluations' `subject_id` indexes), evaluations and their history written in bulk. Bounded "
        "by the history rows since the last run (here the night's expiries and shieldings).",
    "sweep sanctions.severe_list_terms": "`severe_listed_term_idx (term_end) WHERE status = 'listed'`.",
    "sweep sanctions.red_list_terms": "`red_list_one_live_entry`.",
    "sweep sanctions.commitments": "`commitment_open_due_idx`.",
    "sweep sanctions.evaluations": "`sanctions_evaluation_recompute_on` for the due rows; then one recomputation "
                                   "per subject (its facts through the `subject_id` indexes), ~11 ms each.",
}


def _shorten(plan: str, width: int = 400) -> str:
    """Plan lines cut at ``width`` characters (a batch's 5,000 ids in an index condition fill pages otherwise)."""
    return "\n".join(line if len(line) <= width else line[:width] + " …" for line in plan.splitlines())


def write_explain(results: Results, path: Path, top: int, header: str) -> None:
    out = [
        "# EXPLAIN of the scale benchmark's queries",
        "",
        header,
        "",
        "Generated by `bench/scale_bench.py --explain`: each measure's SQL is captured with "
        "`connection.execute_wrapper` during one call, and its slowest SELECTs (by total time in that call) are "
        "replayed with `EXPLAIN (ANALYZE, BUFFERS)` inside a transaction that is rolled back. For a sweep the capture "
        "is of its first run, and the replay happens after it, when nothing is due any more: the plan shows the "
        "index the selection uses, the row counts are those of a quiet day. `Buffers: shared hit` are pages found "
        "in PostgreSQL's cache, `read` are pages read from the OS (page cache or disk).",
        "",
    ]
    for name, cap in results.captures.items():
        note = NOTES.get(name) or next((v for k, v in NOTES.items() if name.startswith(k)), "")
        out += [f"## {name}", "", f"{cap.count} statements in one call. {note}", ""]
        for sql, count, total, _slowest, params in cap.selects(top):
            plan, indexes, seqs, removed = explain(sql, params)
            used = ", ".join(f"`{i}`" for i in indexes) or "none"
            seq = "; ".join(seqs)
            out += [f"**{total:.1f} ms in {count} run(s)** — indexes used: {used}"
                    + (f"; **sequential scan: {seq}**" if seq else "; no sequential scan")
                    + (f"; **{removed:,} rows read and discarded by a filter**" if removed >= 10_000 else ""), "",
                    "```sql", _literal(sql, params)[:3000], "```", "", "```", _shorten(plan), "```", ""]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {path}", flush=True)


def print_tables(results: Results, args) -> None:
    print(f"\n{args.records:,} records / {args.subjects:,} subjects, {os.cpu_count()} CPUs\n")
    print("| measure | n | p50 ms | p95 ms | SQL statements | peak RSS MiB (growth) | tracemalloc peak KiB | load 1/5/15 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results.rows:
        if "p50_ms" in r:
            print(f"| {r['measure']} | {r['n']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} | "
                  f"{r['peak_rss_mib']} (+{r['rss_growth_mib']}) | {r['tracemalloc_peak_kib']:,} | {r['load']} |")
    print("\n| sweep (beat task) | first run ms | acted | statements | nothing due ms | statements | peak RSS MiB (growth) | load 1/5/15 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results.rows:
        if "first_ms" in r:
            print(f"| {r['measure'].removeprefix('sweep ')} | {r['first_ms']:,} | {r['acted']:,} | {r['first_queries']:,} | "
                  f"{r['again_ms']:,} | {r['again_queries']:,} | {r['peak_rss_mib']} (+{r['rss_growth_mib']}) | {r['load']} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help=f"write EXPLAIN (ANALYZE, BUFFERS) into {EXPLAIN_PATH.name}")
    parser.add_argument("--explain-top", type=int, default=3, help="slowest SELECTs explained per measure")
    parser.add_argument("--explain-file", type=Path, default=EXPLAIN_PATH, help="where --explain writes")
    parser.add_argument("--only", choices=["pages", "joint", "sweeps", "bulk"], action="append",
                        help="run only these groups (repeatable; default all but bulk, which needs --bulk-load)")
    parser.add_argument("--sweep", action="append", help="with the sweeps: only the beat tasks named (repeatable)")
    parser.add_argument("--reseed", action="store_true",
                        help="before the sweeps, put back the rows each sweep finds due today (reseed_due)")
    parser.add_argument("--bulk-load", type=int, default=0, metavar="N",
                        help="last: push N records through bench/ingest.py --keep-existing into this database, then "
                             "measure the public subject page of subjects the load touched (adds N records for good)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    groups = set(args.only or ["pages", "joint", "sweeps"])
    print(f"load average before: {load()}", flush=True)
    disclosure_bench.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Max, Min
    from django.test import Client

    from accounts.identity import VerifiedIdentity
    from accounts.links import link_identity
    from credit_platform.models import ApiToken, Department
    from disclosure import reports
    from records.models import Subject
    from sanctions.models import SevereListEntry

    disclosure_bench.generate(args.records, args.subjects)
    generate_extras(args.subjects)
    n = args.samples
    results = Results()
    started = time.strftime("%Y-%m-%d %H:%M %Z")

    def ok(response):
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    if "pages" in groups:
        orgs = list(Subject.objects.filter(code__startswith="B", type="legal_person").values_list("code", flat=True)
                    .order_by("id")[: (n + 5) * 20: 20])
        client = Client(HTTP_HOST="localhost", secure=True)
        measure(results, "public subject page", lambda i: ok(client.get(f"/subjects/{orgs[i % len(orgs)]}/")), n,
                capture=args.explain)
        measure(results, "public search (name prefix)",
                lambda i: ok(client.get("/search/", {"q": f"克拉玛依基准{1000 + i * 7919}"})), n, capture=args.explain)
        # Paging through a query with many results (names containing it, those starting with it first): page 2 and the
        # last page the count cap lets the pager offer (SEARCH_COUNT_CAP), and a word every name contains.
        from disclosure.services import SEARCH_COUNT_CAP, SEARCH_PAGE_SIZE

        last_page = SEARCH_COUNT_CAP // SEARCH_PAGE_SIZE
        for label, query, page in (("~111,000 results", "克拉玛依基准{}", 2),
                                   ("~111,000 results", "克拉玛依基准{}", last_page),
                                   ("~900,000 results, none starting with it", "有限公司", 2)):
            measure(results, f"public search ({label}, page {page})",
                    lambda i, q=query, p=page: ok(client.get("/search/", {"q": q.format(1 + i % 9), "page": p})), n,
                    capture=args.explain)
        measure(results, "public search (USCC)", lambda i: ok(client.get("/search/", {"q": orgs[i % len(orgs)]})), n,
                capture=args.explain)
        user, _ = get_user_model().objects.get_or_create(username="bench_citizen", defaults={"kind": "citizen"})
        owner = Subject.objects.get(code=orgs[0])
        link_identity(user, VerifiedIdentity("enterprise", owner.code_type, owner.code, owner.name, "bench"))
        me = Client(HTTP_HOST="localhost", secure=True)
        me.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        measure(results, "my credit record", lambda i: ok(me.get("/my/")), n, capture=args.explain)
        measure(results, "PDF report", lambda i: reports.issue_report(owner, user, base_url="https://localhost/"),
                max(5, n // 5), capture=args.explain, traced=1)

    if "joint" in groups:
        department = Department.objects.get(code="BENCH")
        _, raw = ApiToken.issue(department, name=f"scale-bench-{time.time():.0f}")
        api = Client(HTTP_HOST="localhost", secure=True, HTTP_AUTHORIZATION=f"Token {raw}")
        # subjects spread over the whole id range (a lookup that walks the table in id order is not flattered)
        def spread(codes: list[str]) -> list[str]:
            step = max(1, len(codes) // (n + 5))
            return codes[step // 2:: step][: n + 5]

        severe = spread(list(SevereListEntry.objects.filter(reasons="bench", status="listed").order_by("id")
                             .values_list("subject__code", flat=True)))
        listed = set(severe)
        first, last = Subject.objects.filter(code__startswith="B").aggregate(a=Min("id"), b=Max("id")).values()
        ids = [first + k * ((last - first) // (3 * (n + 5))) + 1 for k in range(3 * (n + 5))]
        dishonest = [c for c in Subject.objects.filter(id__in=ids, type="legal_person").order_by("id")
                     .values_list("code", flat=True) if c not in listed][: n + 5]
        clean = spread(list(Subject.objects.filter(code__startswith="C").order_by("id").values_list("code", flat=True)))

        def check(codes, matter):
            return lambda i: ok(api.post("/api/v1/joint-check/", {"subject": codes[i % len(codes)], "matter": matter},
                                         content_type="application/json"))

        # government_procurement: the national severe-list measure and the municipal record-triggered ones.
        measure(results, "joint check (dishonesty records)", check(dishonest, "government_procurement"), n,
                capture=args.explain)
        measure(results, "joint check (on the severe list)", check(severe, "government_procurement"), n,
                capture=args.explain)
        measure(results, "joint check (clean subject)", check(clean, "government_procurement"), n, capture=args.explain)
        measure(results, "joint check (not on file)",
                check([f"91650200MA{k:07d}X" for k in range(n + 5)], "government_procurement"), n, capture=False)

    if "sweeps" in groups:
        if args.reseed:
            reseed_due(args.subjects)
        for name, task in beat_sweeps():
            if not args.sweep or name in args.sweep:
                sweep(results, name, task, capture=args.explain)

    if args.bulk_load:
        bulk_load(results, args.bulk_load, n, capture=args.explain)

    print_tables(results, args)
    if args.explain:
        header = (f"Run of {started} on {args.records:,} records / {args.subjects:,} subjects "
                  f"(`bench/scale_bench.py --explain`), load average at the end {load()}.")
        write_explain(results, args.explain_file, args.explain_top, header)


if __name__ == "__main__":
    main()
