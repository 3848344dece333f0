"""Disclosure benchmark on PostgreSQL: N records over M subjects, then server time for the pages and the sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_disclosure_bench \
        python bench/disclosure_bench.py --records 10000000 --subjects 1000000

Rows are generated set-based in SQL (generate_series), windows included, so 10M rows take minutes, not hours.
Reports p50/p95 server time (Django test client, in process) for a public subject page, "my credit record",
a public search and a PDF report, and the daily sweeps' duration over the whole table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijkl")
os.environ.setdefault("IDENTIFIER_HASH_KEY", "bench-only-identifier-hash-key-0123456789abcdef")
os.environ.setdefault("QUERY_LOG_HASH_KEY", "bench-only-query-log-hash-key-0123456789abcdef")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ["ALLOWED_HOSTS"] = "localhost"


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, n):
    samples = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def generate(n_records: int, n_subjects: int):
    from django.db import connection

    from catalog.models import CatalogItem, CatalogVersion
    from credit_platform.models import Department
    from credit_platform.identifiers import make_uscc

    dept, _ = Department.objects.get_or_create(code="BENCH", defaults={"name": "基准测试部门"})
    version, _ = CatalogVersion.objects.get_or_create(title="bench", version_label="bench", defaults={"status": "draft"})
    item, _ = CatalogItem.objects.get_or_create(
        version=version, code="BENCH-CF", defaults=dict(name="行政处罚信息", behaviour="b", category="dishonesty",
                                                        matter_type="administrative_penalty", data_source="b", legal_basis="b"))
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM records_record WHERE source_department_id = %s", [dept.pk])
        if cur.fetchone()[0] >= n_records:
            return dept, item
        print(f"generating {n_subjects:,} subjects and {n_records:,} records …", flush=True)
        t = time.perf_counter()
        cur.execute("SET synchronous_commit = off")
        # Subjects: organisations named 克拉玛依基准{n}有限公司 with a unique fake code; 10% natural persons.
        cur.execute(
            """
            INSERT INTO records_subject (type, code_type, code, name, created_at, updated_at)
            SELECT CASE WHEN g %% 10 = 0 THEN 'natural_person' ELSE 'legal_person' END,
                   CASE WHEN g %% 10 = 0 THEN 'ric' ELSE 'uscc' END,
                   'B' || lpad(g::text, 17, '0'),
                   CASE WHEN g %% 10 = 0 THEN '基准' || g ELSE '克拉玛依基准' || g || '有限公司' END, now(), now()
            FROM generate_series(1, %s) g
            ON CONFLICT DO NOTHING
            """, [n_subjects])
        cur.execute("SELECT min(id) FROM records_subject WHERE code LIKE 'B%%'")
        first = cur.fetchone()[0]
        cur.execute(
            f"""
            INSERT INTO records_record (subject_id, catalog_item_id, category, severity, source_department_id, source_ref,
                basis_number, basis_issuer, procedure, penalty_types, content, responsible_persons, consent_ref,
                guardian_consent_ref, minor_violation, harm_mitigated, first_offence, status, received_at, updated_at,
                push_due_provisional, content_hash, disputed, domain, derived_role, decided_on, occurred_on,
                public_from, public_until, is_minor)
            SELECT {first} + (g %% %s), %s, 'dishonesty', 'general', %s, 'BENCH-' || g, '克罚〔2025〕' || g || '号', '基准测试部门',
                'general', '["fine"]'::jsonb, '{{"违法事实": "基准测试"}}'::jsonb, '[]'::jsonb, '', '', false, false, false,
                'active', now(), now(), false, '', false, '', '',
                DATE '2023-01-01' + (g %% 1400), DATE '2022-12-01' + (g %% 1400),
                DATE '2023-01-01' + (g %% 1400), DATE '2023-01-01' + (g %% 1400) + 1095, false
            FROM generate_series(1, %s) g
            """, [n_subjects, item.pk, dept.pk, n_records])
        cur.execute(
            """
            INSERT INTO disclosure_recordwindow (record_id, published, long_term, pending_end, public_until, retain_until,
                state, suppressed, window_rule, window_article, window_reason, retain_rule, retain_article, profile,
                computed_at)
            SELECT r.id, s.type <> 'natural_person', false, false, r.public_until, NULL,
                CASE WHEN r.public_until < current_date - 1 THEN 'archived' ELSE 'active' END, false,
                'publicity_general_months', '《克拉玛依市社会信用条例》第三十三条', '', '', '', 'karamay', now()
            FROM records_record r JOIN records_subject s ON s.id = r.subject_id
            WHERE r.source_department_id = %s
            ON CONFLICT DO NOTHING
            """, [dept.pk])
        cur.execute("ANALYZE records_subject; ANALYZE records_record; ANALYZE disclosure_recordwindow")
        print(f"generated in {time.perf_counter() - t:.0f} s", flush=True)
    return dept, item


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from disclosure import reports, sweeps
    from accounts.identity import VerifiedIdentity
    from accounts.links import link_identity
    from records.models import Subject

    generate(args.records, args.subjects)
    orgs = list(Subject.objects.filter(code__startswith="B", type="legal_person").values_list("code", flat=True)
                .order_by("id")[: args.samples * 20 : 20])
    client = Client(HTTP_HOST="localhost", secure=True)
    results = {}
    results["public subject page"] = timed(lambda i: client.get(f"/subjects/{orgs[i % len(orgs)]}/"), args.samples)
    results["public search (name prefix)"] = timed(lambda i: client.get("/search/", {"q": f"克拉玛依基准{1000 + i * 7919}"}), args.samples)
    results["public search (USCC)"] = timed(lambda i: client.get("/search/", {"q": orgs[i % len(orgs)]}), args.samples)
    user, _ = get_user_model().objects.get_or_create(username="bench_citizen", defaults={"kind": "citizen"})
    owner = Subject.objects.get(code=orgs[0])
    link_identity(user, VerifiedIdentity("enterprise", owner.code_type, owner.code, owner.name, "bench"))
    me = Client(HTTP_HOST="localhost", secure=True)
    me.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results["my credit record"] = timed(lambda i: me.get("/my/"), args.samples)
    results["PDF report"] = timed(lambda i: reports.issue_report(owner, user, base_url="https://localhost/"), max(5, args.samples // 5))
    from django.utils import timezone

    t = time.perf_counter()
    sweeps.run_all(timezone.now())
    sweep_first = time.perf_counter() - t
    t = time.perf_counter()
    sweeps.run_all(timezone.now())
    sweep_again = time.perf_counter() - t
    print(f"\n{args.records:,} records / {args.subjects:,} subjects\n")
    print("| measure | p50 ms | p95 ms |\n|---|---|---|")
    for name, (p50, p95) in results.items():
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    print(f"| daily sweeps, first run (archives the windows due today) | {sweep_first * 1000:.0f} | |")
    print(f"| daily sweeps, next day (nothing due) | {sweep_again * 1000:.0f} | |")


if __name__ == "__main__":
    main()
