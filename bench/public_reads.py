"""Public reads at cache speed: the public subject page of many distinct organisations, over HTTP, with
the public page cache off (the uncached path: every request rendered from the database) and on, in the same run.

    .venv/bin/python bench/public_reads.py --subjects 1000000            # the issue's scale (2 records a subject)
    .venv/bin/python bench/public_reads.py --subjects 20000 --duration 10  # quick

What one run does:

1. creates and migrates the database (``--database-url``, default ``postgres://…/bench_reads``) and generates the
   organisations and their records set-based in SQL (``bench/disclosure_bench.generate``: ``--records`` over
   ``--subjects``, 10 % natural persons whose pages do not exist), once per database;
2. picks ``--distinct`` organisations at random over the whole id range (many distinct pages, not one hot page);
3. **uncached**: starts ``gunicorn config.wsgi`` (``--workers`` sync workers, as the Dockerfile runs it) with
   ``PUBLIC_CACHE_ENABLE=false`` and measures ``--duration`` seconds of GETs of those pages;
4. **cached**: restarts it with the cache on (Redis ``--redis``, flushed first), requests every chosen page once
   (the warm-up fills the cache; its rate is printed too), then measures ``--duration`` seconds the same way;
5. prints requests/s, p50/p95/p99 and errors of both side by side, and the load average.

Load: ``--clients`` processes (at most 2: the machine is shared) each keeping ``--connections`` / clients requests in
flight with asyncio; every request comes from another address (``X-Forwarded-For``, ``TRUSTED_PROXY_COUNT=1``) so
the per-address rate limits are counted on every request, as in production, under limits set high enough for the
run to never reach them. Every answer must be 200.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import bench_env, ensure_database, wait_for

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_reads"


# --- data ----------------------------------------------------------------------------------------------------------
def prepare(database_url: str, subjects: int, records: int) -> None:
    ensure_database(database_url)
    os.environ.update(bench_env(database_url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from disclosure_bench import generate

    generate(records, subjects)
    from django.db import connection

    with connection.cursor() as cur:  # what the database holds (a larger one, e.g. the scale benchmark's, is reused)
        cur.execute("SELECT count(*) FROM records_subject")
        subjects_held = cur.fetchone()[0]
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'records_record'")
        records_held = cur.fetchone()[0]
    return subjects_held, records_held


def pick_codes(subjects: int, distinct: int, seed: int = 17) -> list[str]:
    rng = random.Random(seed)
    chosen: set[int] = set()
    while len(chosen) < min(distinct, subjects * 9 // 10):
        g = rng.randint(1, subjects)
        if g % 10:  # every tenth is a natural person: no public page
            chosen.add(g)
    return ["B" + str(g).rjust(17, "0") for g in sorted(chosen)]


# --- load ----------------------------------------------------------------------------------------------------------
async def _one(port: int, path: str, rng: random.Random) -> tuple[float, int]:
    address = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: {address}\r\n"
                 f"Accept: text/html\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    else:
        await reader.read()
    writer.close()
    return (time.perf_counter() - start) * 1000, status


async def _load(port: int, paths: list[str], connections: int, duration: float | None, seed: int):
    """Keep ``connections`` requests in flight for ``duration`` s (or until every path was requested once)."""
    rng = random.Random(seed)
    latencies: list[float] = []
    errors: dict[int, int] = {}
    queue = list(paths) if duration is None else None
    deadline = time.perf_counter() + (duration or 10**9)

    async def worker():
        while time.perf_counter() < deadline:
            if queue is not None:
                if not queue:
                    return
                path = queue.pop()
            else:
                path = paths[rng.randrange(len(paths))]
            try:
                ms, status = await _one(port, path, rng)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[0] = errors.get(0, 0) + 1
                continue
            latencies.append(ms)
            if status != 200:
                errors[status] = errors.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return latencies, errors, time.perf_counter() - started


def _client(port, paths, connections, duration, seed, out):
    out.put(asyncio.run(_load(port, paths, connections, duration, seed)))


def run_load(port: int, paths: list[str], clients: int, connections: int, duration: float | None) -> dict:
    out: mp.Queue = mp.Queue()
    shares = [paths[i::clients] for i in range(clients)] if duration is None else [paths] * clients
    procs = [mp.Process(target=_client, args=(port, shares[i], max(connections // clients, 1), duration, 1000 + i, out))
             for i in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for r in results for x in r[0])
    errors: dict[int, int] = {}
    for r in results:
        for k, v in r[1].items():
            errors[k] = errors.get(k, 0) + v
    elapsed = max(r[2] for r in results)
    if not latencies:
        return {"n": 0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "errors": errors}

    def pct(q):
        return latencies[min(int(len(latencies) * q), len(latencies) - 1)]

    return {"n": len(latencies), "rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p95": pct(0.95), "p99": pct(0.99), "errors": errors}


WRK_SCRIPT = r"""
-- every request: a page picked at random from the list, from another client address (X-Forwarded-For)
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(tonumber(args[2]))
end
request = function()
  local address = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("GET", paths[math.random(#paths)], {["Host"] = "localhost", ["Accept"] = "text/html",
                    ["X-Forwarded-For"] = address})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %.1f %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def run_wrk(port: int, paths: list[str], connections: int, duration: float) -> dict:
    """The load from wrk (C, one thread: it takes a few per cent of a core where the Python clients took most of
    one — on two cores the load generator's share is the server's loss)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        listing, script = Path(scratch) / "paths", Path(scratch) / "load.lua"
        listing.write_text("\n".join(paths) + "\n")
        script.write_text(WRK_SCRIPT)
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(int(duration), 1)}s", "--timeout", "10s",
                              "-s", str(script), f"http://127.0.0.1:{port}", "--", str(listing), "17"],
                             capture_output=True, text=True, check=True).stdout
    fields = next(line for line in out.splitlines() if line.startswith("RESULT")).split()[1:]
    n, micros, p50, p95, p99, _max, status, connect, read, write, timeout = (float(x) for x in fields)
    errors = {k: int(v) for k, v in (("non-2xx/3xx", status), ("connect", connect), ("read", read), ("write", write),
                                     ("timeout", timeout)) if v}
    return {"n": int(n), "rps": n / (micros / 1e6), "p50": p50 / 1000, "p95": p95 / 1000, "p99": p99 / 1000,
            "errors": errors}


# --- server --------------------------------------------------------------------------------------------------------
def start_server(database_url: str, port: int, workers: int, cached: bool, redis_url: str) -> subprocess.Popen:
    env = bench_env(database_url)
    env.update({
        "PUBLIC_CACHE_ENABLE": "true" if cached else "false",
        "CACHE_URL": redis_url,
        "TRUSTED_PROXY_COUNT": "1",
        "RATELIMIT_BROWSE": "100000000/m",
        "RATELIMIT_SEARCH": "100000000/m",
        "RATELIMIT_BULK": "1000000000/h",
    })
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    wait_for(port)
    return server


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def line(label: str, r: dict) -> str:
    errors = ", ".join(f"{k or 'conn'}: {v}" for k, v in sorted(r["errors"].items())) or "none"
    return (f"  {label:<28} {r['rps']:>8.0f} req/s   p50 {r['p50']:>7.1f} ms   p95 {r['p95']:>7.1f} ms   "
            f"p99 {r['p99']:>7.1f} ms   ({r['n']:,} requests; errors: {errors})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=0, help="records to generate (default: 2 per subject)")
    parser.add_argument("--distinct", type=int, default=20_000, help="distinct subject pages requested")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds measured per mode")
    parser.add_argument("--connections", type=int, default=32, help="requests in flight")
    parser.add_argument("--clients", type=int, default=2, choices=(1, 2), help="load processes (the machine is shared)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (the Dockerfile's 3)")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--only", choices=("uncached", "cached"), action="append")
    parser.add_argument("--load", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python",
                        help="load generator for the measured runs (default wrk when installed: apt-get install wrk)")
    args = parser.parse_args()
    records = args.records or 2 * args.subjects

    t = time.perf_counter()
    subjects_held, records_held = prepare(args.database_url, args.subjects, records)
    print(f"database ready ({subjects_held:,} subjects, ~{records_held:,} records) in {time.perf_counter() - t:.0f} s",
          flush=True)
    codes = pick_codes(args.subjects, args.distinct)
    paths = [f"/subjects/{c}/" for c in codes]
    source = "wrk (1 thread)" if args.load == "wrk" else f"{args.clients} Python client processes"
    print(f"{len(paths):,} distinct subject pages; {args.connections} in flight from {source} → "
          f"gunicorn {args.workers} sync workers; load average {os.getloadavg()[0]:.2f}/{os.getloadavg()[1]:.2f}", flush=True)

    results: dict[str, dict] = {}
    modes = args.only or ["uncached", "cached"]
    for mode in modes:
        flush_redis(args.redis)
        server = start_server(args.database_url, args.port, args.workers, mode == "cached", args.redis)
        try:
            if mode == "cached":
                results["warm-up (fills the cache)"] = run_load(args.port, paths, args.clients, args.connections, None)
                print(line("warm-up (fills the cache)", results["warm-up (fills the cache)"]), flush=True)
            else:  # the same connection pool and pages warmed as in the cached run: only the cache differs
                run_load(args.port, paths[: min(len(paths), 500)], args.clients, args.connections, None)
            if args.load == "wrk":
                results[mode] = run_wrk(args.port, paths, args.connections, args.duration)
            else:
                results[mode] = run_load(args.port, paths, args.clients, args.connections, args.duration)
            print(line(mode, results[mode]), flush=True)
        finally:
            stop_server(server)

    print(f"\nsubject page, {args.subjects:,}-subject database, {len(paths):,} distinct pages, {args.duration:.0f} s each "
          f"(load average now {os.getloadavg()[0]:.2f}):")
    for label, r in results.items():
        print(line(label, r))
    if "uncached" in results and "cached" in results and results["uncached"]["rps"]:
        print(f"  cached / uncached throughput: {results['cached']['rps'] / results['uncached']['rps']:.1f}×")


if __name__ == "__main__":
    main()
