#!/usr/bin/env python
"""Derived-work lag under continuous ingestion (issue #17): does the worker keep pace with the pushes?

    python bench/derived_lag.py                      # 10 minutes
    python bench/derived_lag.py --seconds 120        # a quick run

What it does, in one run:

1. prepares the PostgreSQL database ``bench_lag`` (``--database-url``; created if missing, migrated, the bench
   catalog item published; earlier records removed) exactly as ``bench/ingest.py`` does;
2. starts ONE Celery worker process (``celery -A config worker --pool=solo``) on a real Redis broker
   (``--broker``, default ``redis://127.0.0.1:6379/9``; the same Redis is the cache, so the pushes' coalescing flag
   is shared with the worker) — it does all the derived work: publicity windows of created records
   (``disclosure.catch_up_windows``, coalesced), red-list removals, listings and evaluations
   (``sanctions.catch_up_record_changes``, coalesced);
3. pushes continuously for ``--seconds`` through the ingest service (``records.services.ingest.ingest``, the code the
   batch API runs: all validation, COPY merge, history, the ``records_changed`` signal and its commit hooks), one
   department at full speed (or ``--rate`` records/s), batches alternating between 250 and 800 records; subjects repeat (``--subjects``), so
   existing evaluations are updated as well as new ones created. ``--pushers 2`` pushes from two threads at once
   about the same subjects (the issue's "two department systems"): pushes then commit out of the order they wrote
   their history in, which is what the history watermark's gaps are for (``sanctions/history_gaps.py``);
4. a poller watches every pushed batch: a batch is done when each of its records has its publicity window
   (``disclosure.RecordWindow``), its subject has an evaluation and the sanctions history watermark is past the
   batch's history rows (the evaluations and list effects commit together with that watermark); the lag of each
   record is (poll time it was seen done − commit time of its batch), resolution ``--poll`` seconds;
5. after the pushes stop it waits up to ``--drain`` seconds for the rest, then prints p50/p99/max lag (records not
   done by then count at the drain limit and are reported), the push rate, and
6. checks the evaluations the worker left against a fresh evaluation of the same facts (``--check`` subjects of the
   pushed records, read-only): any difference is a record the derived work missed, and is printed;
7. the cost per changed record of reacting to record changes, before (one subject at a time: ``check_red_list`` +
   ``recompute_evaluation`` per subject, the code before issue #17) and after (``on_records_changed``, set-based),
   on the same ``--sample`` records, each in a transaction rolled back after the evaluations were deleted so both
   write every evaluation.

It only talks to 127.0.0.1 and stops by itself (the worker too).
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from bisect import bisect_left, bisect_right
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import DEPARTMENT, Generator, bench_env, ensure_database, prepare  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_lag"
SIZES = (250, 800)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Poller(threading.Thread):
    """Watches the pushed batches (own DB connection) and notes when each is done."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval = interval
        self.pending: list[tuple[int, list[str], float]] = []  # (batch number, source refs, commit time)
        self.lags: list[float] = []  # one per record
        self.most_gaps = 0  # most gaps the history watermark held at once (pushes committed out of order)
        self.numbers = itertools.count()
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def add(self, refs: list[str], committed: float) -> None:
        with self.lock:
            self.pending.append((next(self.numbers), refs, committed))

    def left(self) -> int:
        with self.lock:
            return sum(len(r) for _, r, _ in self.pending)

    def run(self) -> None:
        from django.db import connection

        from disclosure.models import RecordWindow
        from records.models import Record
        from sanctions.models import Evaluation, RecordCursor

        history = Record.history.model
        # batch index → (its record ids, their subjects, its history rows), read once, by the department's
        # unique (department, source_ref) index: the poller's own queries must stay far cheaper than the work it
        # watches, or its lateness is what the lag measures
        known: dict[int, tuple[list[int], list[int], list[int]]] = {}
        while not self.stop.is_set():
            with self.lock:
                pending = list(self.pending)
            cursor, gaps = RecordCursor.objects.filter(name="records").values_list(
                "last_history_id", "gaps").first() or (0, [])
            self.most_gaps = max(self.most_gaps, len(gaps))
            done = []
            for key, refs, committed in pending:
                if key not in known:
                    rows = list(Record.objects.filter(source_department__code=DEPARTMENT, source_ref__in=refs)
                                .values_list("id", "subject_id"))
                    ids = [pk for pk, _ in rows]
                    known[key] = (ids, sorted({sid for _, sid in rows}),
                                  sorted(history.objects.filter(id__in=ids).values_list("history_id", flat=True)))
                ids, subjects, history_ids = known[key]
                # the evaluations and list effects are written in the same transaction that moves the watermark past
                # the batch's history rows — or, for a batch that committed after a later one, in the transaction that
                # reads its rows out of the watermark's gaps; the windows are their own rows
                if not history_ids or cursor < history_ids[-1] or any(
                        bisect_left(history_ids, first) < bisect_right(history_ids, last) for first, last, _ in gaps):
                    continue
                if RecordWindow.objects.filter(record_id__in=ids).count() < len(ids):
                    continue
                if Evaluation.objects.filter(subject_id__in=subjects).count() < len(subjects):
                    continue
                seen = time.time()
                done.append(key)
                known.pop(key)
                self.lags.extend([seen - committed] * len(refs))
            if done:
                with self.lock:
                    self.pending = [b for b in self.pending if b[0] not in done]
            time.sleep(self.interval)
        connection.close()


def _load() -> str:
    """The 1/5/15-minute load averages (the machine is shared: every figure is printed with its load)."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-l", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, start_new_session=True,
    )


def cost_per_record(sample: int, gen, department) -> tuple[float, float, float, int]:
    """µs per changed record: the one-subject-at-a-time reaction (before), the set-based one from the facts (after,
    every evaluation written anew), and a push's usual case — ``sample`` new records on subjects already evaluated,
    which extend their evaluations (``extend_evaluations``; pushed and reacted to in a transaction rolled back)."""
    from django.db import transaction

    from records.models import Record, Subject
    from sanctions.models import Evaluation
    from sanctions.services import check_red_list, on_records_changed, recompute_evaluation

    ids = list(Record.objects.order_by("-id").values_list("id", flat=True)[:sample])

    def one_by_one():
        for subject in Subject.objects.filter(id__in=set(Record.objects.filter(id__in=ids)
                                                           .values_list("subject_id", flat=True))):
            check_red_list(subject, actor="system")
            recompute_evaluation(subject)

    def timed(func) -> float:
        with transaction.atomic():
            Evaluation.objects.filter(subject__records__id__in=ids).delete()
            start = time.perf_counter()
            func()
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
        return elapsed / len(ids) * 1e6

    before = timed(one_by_one)
    after = timed(lambda: on_records_changed(ids))

    from records.services.ingest import ingest

    with transaction.atomic():
        mark = Record.objects.order_by("-id").values_list("id", flat=True).first() or 0
        start = 10_000_000
        ingest(department, [gen.record(n) for n in range(start, start + sample)])
        new_ids = list(Record.objects.filter(id__gt=mark).values_list("id", flat=True))
        began = time.perf_counter()
        on_records_changed(new_ids)
        extending = (time.perf_counter() - began) / max(1, len(new_ids)) * 1e6
        transaction.set_rollback(True)
    return before, after, extending, len(ids)


def stale_evaluations(prefix: str, limit: int) -> tuple[int, list[int]]:
    """(subjects checked, those whose stored evaluation differs from ``evaluate`` of their facts now) for up to
    ``limit`` subjects of the records pushed under ``prefix`` — what a missed reaction leaves behind."""
    from records.models import Record, Subject
    from sanctions import rules
    from sanctions.models import Evaluation
    from sanctions.services import subject_facts
    from sanctions.services.common import today

    subject_ids = list(Record.objects.filter(source_ref__startswith=prefix).order_by("subject_id")
                       .values_list("subject_id", flat=True).distinct()[:limit])
    stored = {e.subject_id: e for e in Evaluation.objects.filter(subject_id__in=subject_ids)}
    day = today()
    differ = []
    for subject in Subject.objects.filter(id__in=subject_ids):
        facts = subject_facts(subject)
        fresh = rules.evaluate(facts, day, red_list_ids=facts.red_list_ids)
        have = stored.get(subject.id)
        if have is None or (have.score, have.grade, have.reasons) != (fresh.score, fresh.grade, list(fresh.reasons)):
            differ.append(subject.id)
    return len(subject_ids), differ


def push_loop(k: int, args, department, prefix: str, poller: Poller, started: float, totals: list) -> None:
    """One department system pushing until ``--seconds`` have passed (its own database connection)."""
    from django.db import connection

    from records.services.ingest import ingest

    gen = Generator(args.subjects * 3, prefix=f"{prefix}{k}-")
    rate = args.rate / args.pushers if args.rate else 0
    pushed, batches, i, push_time = 0, k, 0, 0.0  # the pushers alternate batch sizes out of step
    try:
        while time.time() - started < args.seconds:
            size = SIZES[batches % 2]
            rows = [gen.record(n) for n in range(i, i + size)]
            t0 = time.perf_counter()
            result = ingest(department, rows)
            push_time += time.perf_counter() - t0
            poller.add([r["source_ref"] for r in rows], time.time())
            if result.rejected:
                print(f"pusher {k} batch {batches}: {len(result.rejected)} rejected, e.g. {result.rejected[0]}",
                      flush=True)
            i += size
            pushed += size
            batches += 1
            if rate:
                ahead = started + pushed / rate - time.time()
                if ahead > 0:
                    time.sleep(ahead)
    finally:
        totals.append((pushed, batches - k, push_time))
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=600, help="how long to push (default 600)")
    parser.add_argument("--rate", type=float, default=0,
                        help="records/s to push at (default 0: full speed; the issue measured ~560)")
    parser.add_argument("--subjects", type=int, default=30000, help="organisations the records are spread over")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--poll", type=float, default=0.5)
    parser.add_argument("--drain", type=int, default=180, help="seconds to wait for the derived work after the pushes")
    parser.add_argument("--sample", type=int, default=2000, help="records for the before/after cost per record")
    parser.add_argument("--pushers", type=int, default=1, help="department systems pushing at once (default 1)")
    parser.add_argument("--check", type=int, default=3000,
                        help="subjects whose evaluation is checked against a fresh one after the drain")
    args = parser.parse_args()

    print(f"load average before {_load()}", flush=True)
    ensure_database(args.database_url)
    os.environ.update({"CELERY_BROKER_URL": args.broker, "CACHE_URL": args.broker, "CELERY_TASK_ALWAYS_EAGER": "false"})
    prepare(args.database_url)
    env = {**bench_env(args.database_url), "CELERY_BROKER_URL": args.broker, "CACHE_URL": args.broker,
           "CELERY_TASK_ALWAYS_EAGER": "false"}
    os.environ.update(env)

    from config.celery import app as celery_app
    from credit_platform.models import Department

    celery_app.control.purge()
    department = Department.objects.get(code=DEPARTMENT)
    prefix = f"LAG{int(time.time())}-"
    worker = start_worker(env)
    time.sleep(8)  # let the worker connect before the first push
    poller = Poller(args.poll)
    poller.start()

    totals: list[tuple[int, int, float]] = []
    started = time.time()
    try:
        pushers = [threading.Thread(target=push_loop, args=(k, args, department, prefix, poller, started, totals))
                   for k in range(args.pushers)]
        for t in pushers:
            t.start()
        for t in pushers:
            t.join()
        pushing = time.time() - started
        pushed, batches, push_time = (sum(t[n] for t in totals) for n in range(3))
        print(f"pushed {pushed:,} records in {batches} batches over {pushing:.0f} s by {args.pushers} pusher(s) "
              f"({pushed / pushing:,.0f} records/s; {pushed / push_time * args.pushers:,.0f} records/s inside ingest); "
              f"load average {_load()}", flush=True)
        deadline = time.time() + args.drain
        while poller.left() and time.time() < deadline:
            time.sleep(1)
        poller.stop.set()
        poller.join()
        left = poller.left()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    lags = poller.lags + [float(args.drain)] * left
    print(f"lag from commit to (window present, evaluation updated), {len(lags):,} records: "
          f"p50 {pct(lags, 50):.1f} s, p99 {pct(lags, 99):.1f} s, max {max(lags):.1f} s"
          + (f"; {left:,} records NOT done {args.drain} s after the last push" if left else ""), flush=True)
    if lags:
        print(f"mean lag {statistics.mean(lags):.1f} s; target: p99 within 60 s -> "
              f"{'met' if pct(lags, 99) <= 60 and not left else 'NOT met'}", flush=True)
    print(f"load average after the drain {_load()}; the history watermark held up to {poller.most_gaps} gaps at once",
          flush=True)
    checked, differ = stale_evaluations(prefix, args.check)
    print(f"evaluations checked against a fresh evaluation of the same facts: {checked:,} subjects, "
          f"{len(differ):,} differ" + (f" (e.g. subjects {differ[:10]})" if differ else ""), flush=True)
    before, after, extending, n = cost_per_record(args.sample, Generator(args.subjects * 3, prefix="LAGX-"),
                                                  department)
    print(f"reacting to record changes, {n:,} records: before {before:,.0f} µs per changed record (one subject at a "
          f"time), after {after:,.0f} µs (set-based from the facts, every evaluation written anew) — "
          f"{before / after:.1f}× less; {n:,} new records on subjects already evaluated (a push's usual case, "
          f"extending their evaluations): {extending:,.0f} µs per record", flush=True)


if __name__ == "__main__":
    main()
