"""Two departments' systems (or two workers) pushing overlapping batches at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from records.models import Record
from records.services.ingest import ingest
from tests.catalog.factories import make_test_catalog
from tests.records import factories as f


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_batches_never_duplicate(department, other_department):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    make_test_catalog(department, other_department)
    shared = [f.penalty(f"SCJG-CC-{i:04d}", code=f.uscc(500 + i % 7)) for i in range(300)]
    batches = [shared[:200] + [f.penalty() for _ in range(50)], list(reversed(shared[100:])) + [f.penalty() for _ in range(50)]]
    results, errors = [], []
    barrier = threading.Barrier(len(batches))

    def push(rows):
        try:
            barrier.wait()
            results.append(ingest(department, rows))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push, args=(rows,)) for rows in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Record.objects.filter(source_ref__startswith="SCJG-CC-").count() == 300
    assert Record.objects.count() == 400
    assert sum(r.created for r in results) == 400
    assert sum(r.created + r.updated + r.unchanged for r in results) == 500
