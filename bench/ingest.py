#!/usr/bin/env python
"""Ingestion benchmark: push generated records through the HTTP batch API into PostgreSQL.

    python bench/ingest.py --records 1000000            # or: make bench-ingest BENCH_ARGS="--records 1000000"

What it does, in one run:

1. prepares the PostgreSQL database ``bench`` (created if missing; ``--database-url`` to change it): migrations,
   a published catalog item with the national 双公示 penalty schema, a department and its API token; records
   from an earlier run are removed first so every row is a *create*;
2. starts the real WSGI app under gunicorn (``--workers``, default 3 on this 2-core machine);
3. pushes ``--records`` generated records in batches of ``--batch`` (5,000) from ``--clients`` concurrent HTTP
   clients — every row goes through all validation (identifiers, catalog, statutory exclusions, prohibited /
   restricted content, JSON Schema, responsible persons) and is stored with its history row;
4. prints records/s, the rejected count, peak RSS of the server (gunicorn master + workers) and of the clients,
   and RSS samples over the run (to show memory stays flat);
5. in the same run, times a raw PostgreSQL ``COPY`` of the same rows into a scratch table shaped like
   ``records_record`` (same indexes) for comparison;
6. optionally (``--repush``) pushes the first batches again unchanged to time the idempotent path.

With ``--keep-existing`` nothing is removed: the records go into a database that already holds others (e.g. the
10,000,000 of ``bench/scale_bench.py``) under source_refs unique to the run (``BENCHK<run>-<n>``, never the
generators' ``BENCH-<n>``), and the COPY comparison writes into ``records_record`` itself — same size, same indexes
and constraints — in a transaction that is rolled back.

It only talks to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench"
ITEM = "BENCH-XZCF"
DEPARTMENT = "BENCH"


# --- environment -------------------------------------------------------------------------------------------------
def bench_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-0123456789abcdefghijklmnop",
        "IDENTIFIER_HASH_KEY": env.get("IDENTIFIER_HASH_KEY") or "bench-only-identifier-hash-key-0123456789abcdef",
        "QUERY_LOG_HASH_KEY": env.get("QUERY_LOG_HASH_KEY") or "bench-only-query-log-hash-key-0123456789abcdef",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "OFFICIAL_OTP_REQUIRED": "false",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(database_url: str, keep_existing: bool = False) -> str:
    """Migrate, reset earlier bench rows (unless ``keep_existing``), publish the bench catalog item; return a fresh
    API token."""
    os.environ.update(bench_env(database_url))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from catalog import services
    from catalog.models import CatalogItem, CatalogVersion, Category, MatterType
    from catalog.schema import penalty_schema
    from credit_platform.models import ApiToken, Department

    with connection.cursor() as cursor:
        if keep_existing:
            cursor.execute("DROP TABLE IF EXISTS bench_copy")
        else:
            cursor.execute(
                "TRUNCATE records_record, records_historicalrecord, records_recordchange, records_relatedperson, "
                "records_historicalrelatedperson, records_subject, records_historicalsubject, records_ingestbatch CASCADE"
            )
            cursor.execute("DROP TABLE IF EXISTS bench_copy")
            cursor.execute("VACUUM ANALYZE")
    department, _ = Department.objects.get_or_create(code=DEPARTMENT, defaults={"name": "基准测试部门"})
    if not CatalogItem.objects.filter(code=ITEM, version__status="published").exists():
        version = CatalogVersion.objects.create(title="基准测试目录", level="municipal", version_label=f"bench-{time.time():.0f}")
        item = CatalogItem.objects.create(
            version=version, code=ITEM, name="行政处罚信息（基准）", behaviour="适用一般程序作出的行政处罚",
            category=Category.DISHONESTY, matter_type=MatterType.PENALTY, data_source="行政处罚决定书",
            legal_basis="《克拉玛依市社会信用条例》第十三条第（六）项", content_schema=penalty_schema(), domain="market",
        )
        item.providers.set([department])
        services.open_public_comment(version)
        services.approve(version, approval_document="bench")
        services.publish(version, effective_from=date(2025, 1, 1))
    _, raw = ApiToken.issue(department, name="bench")
    connection.close()
    return raw


# --- generated records ----------------------------------------------------------------------------------------------
class Generator:
    """Deterministic records: row i is always the same, so the COPY phase can rebuild exactly what was pushed."""

    def __init__(self, total: int, prefix: str = "BENCH-"):
        from credit_platform.identifiers import make_ric, make_uscc

        self.total = total
        self.prefix = prefix
        self.orgs = max(1000, total // 3)
        self.people = max(200, total // 20)
        self._uscc = make_uscc
        self._ric = make_ric
        self._uscc_cache: dict[int, str] = {}
        self._ric_cache: dict[int, str] = {}
        self.authority = make_uscc("650200", 77, authority="1", kind="1")
        self.base = date(2025, 1, 1)

    def uscc(self, n: int) -> str:
        code = self._uscc_cache.get(n)
        if code is None:
            if len(self._uscc_cache) > 200_000:
                self._uscc_cache.clear()
            code = self._uscc_cache[n] = self._uscc("650200", 1_000_000 + n)
        return code

    def ric(self, n: int) -> str:
        code = self._ric_cache.get(n)
        if code is None:
            if len(self._ric_cache) > 200_000:
                self._ric_cache.clear()
            born = date(1960, 1, 1) + timedelta(days=(n * 37) % 14000)
            code = self._ric_cache[n] = self._ric("650203", born, n % 1000)
        return code

    def record(self, i: int) -> dict:
        decided = self.base + timedelta(days=i % 300)
        occurred = decided - timedelta(days=20)
        number = f"克市监罚〔2025〕{i}号"
        fine = float(1 + i % 50)
        if i % 10 == 9:
            subject = {"type": "natural_person", "code": self.ric(i % self.people), "name": f"自然人{i % self.people}"}
        else:
            n = i % self.orgs
            subject = {"type": "legal_person", "code": self.uscc(n), "name": f"克拉玛依基准{n}有限公司"}
        severe = i % 50 == 0 and subject["type"] == "legal_person"
        row = {
            "source_ref": f"{self.prefix}{i:08d}",
            "catalog_item": ITEM,
            "subject": subject,
            "severity": "severe" if severe else "general",
            "procedure": "general",
            "penalty_types": ["fine"],
            "basis_document": {"number": number, "issuer": "克拉玛依市市场监督管理局", "issued_on": decided.isoformat()},
            "occurred_on": occurred.isoformat(),
            "decided_on": decided.isoformat(),
            "ended_on": occurred.isoformat(),
            "content": {
                "决定书文号": number, "违法行为类型": "销售不符合食品安全标准的食品",
                "违法事实": f"经查，当事人于{occurred.isoformat()}销售超过保质期的食品，货值金额{fine * 100:.0f}元。",
                "处罚依据": "《中华人民共和国食品安全法》第一百二十四条第一款", "处罚类别": "罚款",
                "处罚内容": f"罚款人民币{fine}万元", "罚款金额（万元）": fine, "处罚决定日期": decided.isoformat(),
                "处罚机关": "克拉玛依市市场监督管理局", "处罚机关统一社会信用代码": self.authority,
                "数据来源单位": "克拉玛依市市场监督管理局", "数据来源单位统一社会信用代码": self.authority,
            },
            "responsible_persons": [],
            "consent_ref": None,
        }
        if severe:
            row["responsible_persons"] = [{"role": "legal_representative", "code": self.ric((i // 50) % self.people),
                                           "name": f"法定代表人{i}"}]
        return row


# --- HTTP clients -----------------------------------------------------------------------------------------------------
def client_worker(port: int, token: str, total: int, batch: int, batches: list[int], out: mp.Queue,
                  prefix: str = "BENCH-", ready=None) -> None:
    """Build this client's request bodies first (into a scratch file, so memory stays small), wait until every
    client is ready, then push them. The clock and the client CPU figure cover the pushing only: a department's
    system has its data before it sends it, and a generator competing for the same two cores would be measured
    as if it were the platform."""
    import resource
    import tempfile

    import orjson

    gen = Generator(total, prefix)
    spool = tempfile.TemporaryFile(dir=os.environ.get("BENCH_SPOOL_DIR"))  # noqa: SIM115 - closed by the caller
    sizes = []
    for b in batches:
        start = b * batch
        body = orjson.dumps({"records": [gen.record(i) for i in range(start, min(start + batch, total))]})
        spool.write(body)
        sizes.append(len(body))
    spool.seek(0)
    if ready is not None:
        ready.wait()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_start = usage.ru_utime + usage.ru_stime
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "derived": 0, "requests": 0, "bytes": 0}
    latencies = []
    for size in sizes:
        body = spool.read(size)
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/records/batch/", body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append(time.perf_counter() - t0)
        if response.status != 200:
            out.put({"error": f"HTTP {response.status}: {payload[:500]!r}"})
            return
        result = orjson.loads(payload)
        for key in ("created", "updated", "unchanged", "derived"):
            counts[key] += result[key]
        counts["rejected"] += len(result["rejected"])
        if result["rejected"] and counts["rejected"] == len(result["rejected"]):
            counts["first_rejection"] = result["rejected"][0]
        counts["requests"] += 1
        counts["bytes"] += len(body)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    counts["cpu"] = usage.ru_utime + usage.ru_stime - cpu_start
    counts["latencies"] = latencies
    counts["peak_rss_kb"] = _status_kb(os.getpid(), "VmHWM")
    out.put(counts)


# --- memory ----------------------------------------------------------------------------------------------------------
def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return 0  # the process has ended: it holds no memory any more
    return 0


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """user + system CPU seconds of a live process."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0.0


def _backend_pids(database_url: str) -> list[int]:
    import psycopg

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        ).fetchall()
    return [r[0] for r in rows]


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
    return kids


class RssSampler(threading.Thread):
    """Every second: RSS of gunicorn's processes, and the CPU time of the PostgreSQL backends serving the bench
    database (connections are recycled after CONN_MAX_AGE, so backends are followed while they live)."""

    def __init__(self, root_pid: int, database_url: str, interval: float = 1.0):
        super().__init__(daemon=True)
        self.root_pid, self.database_url, self.interval = root_pid, database_url, interval
        self.samples: list[tuple[float, int, int]] = []  # (t, server total kB, largest worker kB)
        self.worker_hwm: dict[int, int] = {}
        self.backend_cpu: dict[int, float] = {}
        self._halt = threading.Event()

    def backends_cpu(self) -> float:
        for pid in _backend_pids(self.database_url):
            self.backend_cpu[pid] = max(self.backend_cpu.get(pid, 0.0), _cpu_seconds(pid))
        return sum(self.backend_cpu.values())

    def run(self):
        t0 = time.perf_counter()
        while not self._halt.is_set():
            pids = [self.root_pid, *_children(self.root_pid)]
            sizes = [_status_kb(p, "VmRSS") for p in pids]
            for p in pids:
                self.worker_hwm[p] = max(self.worker_hwm.get(p, 0), _status_kb(p, "VmHWM"))
            self.samples.append((time.perf_counter() - t0, sum(sizes), max(sizes[1:] or [0])))
            self.backends_cpu()
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()


# --- the worker's share: windows of the records the pushes created ----------------------------------------------------
def windows_phase(database_url: str) -> tuple[int, float, float]:
    """Store the publicity windows the pushes left to the worker (disclosure.backlog), as the worker's
    ``disclosure.apply_windows`` task does, in this process: (windows stored, seconds, CPU seconds of this process
    and its PostgreSQL backend)."""
    from django.db import connection, transaction

    from disclosure.services import apply_windows
    from records.models import Record

    started, cpu_before = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    backend_before = _cpu_seconds(backend)
    stored, last = 0, 0
    while True:
        ids = list(Record.objects.filter(pk__gt=last, window__isnull=True).order_by("pk").values_list("pk", flat=True)[:5000])
        if not ids:
            break
        with transaction.atomic():
            stored += apply_windows(ids)
        last = ids[-1]
    cpu = time.process_time() - cpu_before + _cpu_seconds(backend) - backend_before
    elapsed = time.perf_counter() - started
    connection.close()
    return stored, elapsed, cpu


# --- COPY baseline ----------------------------------------------------------------------------------------------------
def copy_baseline(database_url: str, total: int, into_records: bool = False) -> float:
    """Seconds to COPY the same rows (already converted to column values) into a scratch table like records_record,
    or (``into_records``) into records_record itself under other source_refs, in a transaction rolled back."""
    import orjson
    import psycopg

    gen = Generator(total, f"COPY{int(time.time())}-" if into_records else "BENCH-")
    table = "records_record" if into_records else "bench_copy"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        if not into_records:
            conn.execute("CREATE TABLE bench_copy (LIKE records_record INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)")
        item_id, dept_id = conn.execute(
            "SELECT i.id, d.id FROM catalog_catalogitem i, credit_platform_department d "
            "WHERE i.code = %s AND d.code = %s ORDER BY i.id DESC LIMIT 1", [ITEM, DEPARTMENT]
        ).fetchone()
        codes = sorted({gen.record(i)["subject"]["code"] for i in range(total)})
        subject_ids = {c: i for i, c in conn.execute("SELECT id, code FROM records_subject WHERE code = ANY(%s)", [codes])}
        columns = ("id", "subject_id", "catalog_item_id", "category", "severity", "source_department_id", "source_ref",
                   "basis_number", "basis_issuer", "basis_issued_on", "procedure", "penalty_types", "occurred_on",
                   "decided_on", "ended_on", "content", "responsible_persons", "consent_ref", "guardian_consent_ref",
                   "minor_violation", "harm_mitigated", "first_offence", "status", "received_at", "updated_at",
                   "push_due_provisional", "content_hash", "disputed", "domain", "derived_role")
        if into_records:
            columns = columns[1:]  # ids from the table's sequence
        now = datetime.now(UTC)
        t0 = time.perf_counter()

        class Rollback(Exception):
            """Raised once the COPY into records_record is timed: the transaction undoes the rows."""

        try:
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for i in range(total):
                        r = gen.record(i)
                        b = r["basis_document"]
                        row = (
                            i + 1, subject_ids.get(r["subject"]["code"], 0), item_id, "dishonesty", r["severity"],
                            dept_id, r["source_ref"], b["number"], b["issuer"], b["issued_on"], "general",
                            orjson.dumps(r["penalty_types"]).decode(), r["occurred_on"], r["decided_on"], r["ended_on"],
                            orjson.dumps(r["content"]).decode(), orjson.dumps(r["responsible_persons"]).decode(), "",
                            "", False, False, False, "active", now, now, False, "0" * 32, False, "market", "",
                        )
                        copy.write_row(row[1:] if into_records else row)
                if into_records:  # the rows are in, indexes and constraints checked: time it, then undo it
                    elapsed = time.perf_counter() - t0
                    raise Rollback
            elapsed = time.perf_counter() - t0
        except Rollback:
            pass  # the timed rows were rolled back on purpose; ``elapsed`` was taken before
        conn.execute("DROP TABLE IF EXISTS bench_copy")
    return elapsed


# --- main ------------------------------------------------------------------------------------------------------------
def wait_for(port: int, deadline: float = 60.0) -> None:
    start = time.time()
    while time.time() - start < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def run_clients(port, token, total, batch, batch_ids, clients, prefix="BENCH-", on_start=None) -> tuple[float, dict]:
    """Push ``batch_ids`` from ``clients`` processes; ``on_start`` is called when the clock starts (after the
    clients have built their bodies)."""
    queue: mp.Queue = mp.Queue()
    ctx = mp.get_context("fork")
    slices = [batch_ids[k::clients] for k in range(clients)]
    slices = [s for s in slices if s]
    ready = ctx.Barrier(len(slices) + 1)
    procs = [ctx.Process(target=client_worker, args=(port, token, total, batch, s, queue, prefix, ready)) for s in slices]
    for p in procs:
        p.start()
    ready.wait()  # every client has built its bodies
    if on_start is not None:
        on_start()
    t0 = time.perf_counter()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise SystemExit("client error: " + errors[0])
    merged = {k: sum(r[k] for r in results)
              for k in ("created", "updated", "unchanged", "rejected", "derived", "requests", "bytes", "cpu")}
    merged["latencies"] = sorted(x for r in results for x in r["latencies"])
    merged["client_peak_rss_kb"] = max(r["peak_rss_kb"] for r in results)
    merged["first_rejection"] = next((r["first_rejection"] for r in results if "first_rejection" in r), None)
    return elapsed, merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=3, help="concurrent HTTP clients")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--repush", type=int, default=0, help="also re-push this many records unchanged")
    parser.add_argument("--no-copy", action="store_true", help="skip the raw COPY comparison")
    parser.add_argument("--no-windows", action="store_true", help="skip storing the windows the pushes left to the worker")
    parser.add_argument("--keep-existing", action="store_true",
                        help="keep the records already there (no TRUNCATE); push under source_refs unique to this run "
                             "and COPY into records_record itself (rolled back)")
    args = parser.parse_args()

    ensure_database(args.database_url)
    token = prepare(args.database_url, keep_existing=args.keep_existing)
    prefix = f"BENCHK{int(time.time())}-" if args.keep_existing else "BENCH-"
    existing = None
    if args.keep_existing:
        import psycopg

        with psycopg.connect(args.database_url) as conn:
            existing = conn.execute("SELECT count(*) FROM records_record").fetchone()[0]
        print(f"keeping the {existing:,} records already in the database; source_refs {prefix}<n>", flush=True)
    env = bench_env(args.database_url)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{args.port}", "--timeout", "600", "--log-level", "warning", "--max-requests", "0"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    sampler = None
    try:
        wait_for(args.port)
        sampler = RssSampler(gunicorn.pid, args.database_url)
        sampler.start()
        batches = list(range((args.records + args.batch - 1) // args.batch))
        print(f"pushing {args.records:,} records in {len(batches)} batches of {args.batch:,} "
              f"({args.clients} clients → gunicorn {args.workers} workers → PostgreSQL)", flush=True)
        baseline = {}

        def clock_starts():  # the clients have built their bodies: CPU and load count from here
            baseline["load"] = os.getloadavg()[0]
            baseline["server"] = sum(_cpu_seconds(p) for p in [gunicorn.pid, *_children(gunicorn.pid)])
            baseline["postgres"] = sampler.backends_cpu()

        elapsed, result = run_clients(args.port, token, args.records, args.batch, batches, args.clients, prefix,
                                      on_start=clock_starts)
        load_before = baseline["load"]
        cpu = {
            "server": sum(_cpu_seconds(p) for p in [gunicorn.pid, *_children(gunicorn.pid)]) - baseline["server"],
            "postgres": sampler.backends_cpu() - baseline["postgres"],
            "clients": result["cpu"],
        }
        repush = None
        if args.repush:
            ids = batches[: max(1, args.repush // args.batch)]
            repush = run_clients(args.port, token, args.records, args.batch, ids, args.clients, prefix)
        sampler.stop()
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    rate = args.records / elapsed
    lat = result["latencies"]
    print(f"machine        : {os.cpu_count()} CPUs, load average before the run {load_before:.2f} "
          f"(other work on the machine lowers the figures)")
    server_peak = max(s[1] for s in sampler.samples)
    worker_peak = max(sampler.worker_hwm.values() or [0])
    print()
    print(f"HTTP batch API : {args.records:,} records in {elapsed:.1f} s = {rate:,.0f} records/s "
          f"({result['created']:,} created, {result['updated']:,} updated, {result['unchanged']:,} unchanged, "
          f"{result['rejected']:,} rejected, {result['derived']:,} responsible-person records)")
    total_cpu = sum(cpu.values())
    cores = os.cpu_count() or 1
    print(f"  CPU used     : {total_cpu:.1f} s = {total_cpu / args.records * 1e6:.0f} µs per record (server "
          f"{cpu['server'] / args.records * 1e6:.0f}, PostgreSQL backends {cpu['postgres'] / args.records * 1e6:.0f}, "
          f"clients {cpu['clients'] / args.records * 1e6:.0f}) → {cores / (total_cpu / args.records):,.0f} records/s "
          f"if these {cores} cores did nothing else")
    if result["first_rejection"]:
        print(f"  first rejection: {result['first_rejection']}")
    print(f"  batch latency  : median {lat[len(lat) // 2]:.2f} s, p95 {lat[int(len(lat) * 0.95)]:.2f} s, "
          f"request bodies {result['bytes'] / result['requests'] / 1e6:.1f} MB")
    print(f"  peak RSS       : server {server_peak / 1024:.0f} MiB (gunicorn master + {args.workers} workers; "
          f"largest worker {worker_peak / 1024:.0f} MiB), client {result['client_peak_rss_kb'] / 1024:.0f} MiB per process")
    marks = [sampler.samples[int(k * (len(sampler.samples) - 1) / 10)] for k in range(11)]
    print("  server RSS over the run (MiB): " + " ".join(f"{m[1] / 1024:.0f}" for m in marks))
    if repush:
        r_elapsed, r_result = repush
        n = r_result["unchanged"] + r_result["created"] + r_result["updated"]
        print(f"  unchanged re-push: {n:,} records in {r_elapsed:.1f} s = {n / r_elapsed:,.0f} records/s "
              f"({r_result['unchanged']:,} unchanged)")
    if not args.no_windows:
        stored, w_elapsed, w_cpu = windows_phase(args.database_url)
        print(f"windows        : {stored:,} publicity windows stored after the pushes in {w_elapsed:.1f} s = "
              f"{stored / w_elapsed:,.0f}/s, {w_cpu / max(stored, 1) * 1e6:.0f} µs CPU each (the worker's "
              f"disclosure.apply_windows, one process; a new record is not public until its window is stored)")
        print(f"  push + windows one after the other: {args.records / (elapsed + w_elapsed):,.0f} records/s")
    if not args.no_copy:
        copy_seconds = copy_baseline(args.database_url, args.records, into_records=args.keep_existing)
        where = (f"into records_record itself next to its {existing:,} rows, rolled back" if args.keep_existing
                 else "scratch table shaped like records_record with its indexes")
        print(f"raw COPY       : {args.records:,} rows in {copy_seconds:.1f} s = {args.records / copy_seconds:,.0f} rows/s "
              f"(same rows, {where}, one client, no validation; load average now "
              f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())})")
        print(f"API / COPY     : {rate / (args.records / copy_seconds):.0%}")


if __name__ == "__main__":
    main()
