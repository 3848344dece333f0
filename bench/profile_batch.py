#!/usr/bin/env python
"""Profile one batch through the ingestion service (no HTTP): where the server's time goes.

    python bench/profile_batch.py --records 5000 [--sort cumulative]
Uses the ``bench`` database prepared by bench/ingest.py.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ingest as bench  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--offset", type=int, default=5_000_000)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--database-url", default=bench.DEFAULT_DB)
    parser.add_argument("--no-profile", action="store_true", help="time only")
    args = parser.parse_args()
    bench.ensure_database(args.database_url)
    bench.prepare(args.database_url)
    import orjson

    from credit_platform.models import Department
    from records.services.ingest import ingest

    gen = bench.Generator(args.offset + args.records)
    rows = [gen.record(args.offset + i) for i in range(args.records)]
    body = orjson.dumps({"records": rows})
    department = Department.objects.get(code=bench.DEPARTMENT)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    if not args.no_profile:
        profiler.enable()
    parsed = orjson.loads(body)["records"]
    t1 = time.perf_counter()
    from records.services import ingest as ingest_module

    ctx = ingest_module.make_context(department)
    probe = ingest_module.BatchResult()
    ingest_module.validate_rows(parsed, ctx, probe)
    t2 = time.perf_counter()
    timings = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - start, " ".join(sql.split())[:90]))

    from django.db import connection

    with connection.execute_wrapper(timer):
        result = ingest(department, parsed)
    profiler.disable()
    for seconds, sql in sorted(timings, reverse=True)[:8]:
        print(f"  {seconds * 1000:7.1f} ms  {sql}")
    print(f"parse {t1 - t0:.3f} s, validation alone {t2 - t1:.3f} s")
    elapsed = time.perf_counter() - t0
    print(f"{args.records} rows in {elapsed:.2f} s ({args.records / elapsed:,.0f}/s); created {result.created}, "
          f"rejected {len(result.rejected)}")
    if not args.no_profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(25)


if __name__ == "__main__":
    main()
