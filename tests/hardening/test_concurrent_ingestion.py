"""Eight department systems' workers push overlapping batches to the HTTP batch API at once.

PostgreSQL only: SQLite serialises writers, so the race this guards against cannot happen there.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from credit_platform.models import ApiToken
from records.models import Record
from tests.catalog.factories import make_test_catalog
from tests.records import factories as f

THREADS = 8
SHARED = 40  # source_refs every thread pushes
CHANGING = range(0, SHARED, 3)  # of those, the ones whose content differs between threads


def _content_for(ref_index: int, thread: int) -> dict:
    if ref_index in CHANGING:
        amount = float(thread + 1)
        return f.penalty_content(**{"处罚内容": f"罚款人民币{thread + 1}万元", "罚款金额（万元）": amount})
    return f.penalty_content()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_eight_threads_push_overlapping_batches_over_http(department, other_department):
    make_test_catalog(department, other_department)
    codes = [f.uscc(700 + i) for i in range(SHARED)]
    refs = [f"SCJG-HARD-{i:04d}" for i in range(SHARED)]
    batches, clients = [], []
    for t in range(THREADS):
        rows = [f.penalty(refs[i], code=codes[i], content=_content_for(i, t)) for i in range(SHARED)]
        rows += [f.penalty(f"SCJG-HARD-T{t}-{j}") for j in range(5)]  # each thread's own new rows
        random.Random(t).shuffle(rows)
        batches.append(rows)
        _, raw = ApiToken.issue(department, name=f"worker {t}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        clients.append(client)

    barrier = threading.Barrier(THREADS)
    responses: list = [None] * THREADS
    errors: list = []

    def push(t: int) -> None:
        try:
            barrier.wait(timeout=30)
            responses[t] = clients[t].post("/api/v1/records/batch/", {"records": batches[t]}, format="json")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=push, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert all(r is not None for r in responses)
    assert [r.status_code for r in responses] == [200] * THREADS, [r.content[:500] for r in responses if r.status_code != 200]
    bodies = [r.json() for r in responses]
    assert all(b["rejected"] == [] for b in bodies), [b["rejected"] for b in bodies]

    # no duplicates: exactly one row per (department, source_ref)
    qs = Record.objects.filter(source_department=department, source_ref__startswith="SCJG-HARD-")
    assert qs.count() == SHARED + THREADS * 5
    for ref in refs:
        assert Record.objects.filter(source_department=department, source_ref=ref).count() == 1

    # every row's final content is one of the versions pushed
    for i, ref in enumerate(refs):
        content = Record.objects.get(source_department=department, source_ref=ref).content
        pushed = [_content_for(i, t) for t in range(THREADS)]
        assert any(all(content.get(k) == v for k, v in version.items()) for version in pushed), (ref, content)

    # the counts add up: every pushed row is accounted for exactly once; each ref was created exactly once
    total = sum(len(b) for b in batches)
    assert sum(b["created"] + b["updated"] + b["unchanged"] for b in bodies) == total
    assert sum(b["created"] for b in bodies) == SHARED + THREADS * 5
    # refs with identical content in every batch: after the one creation every other push is unchanged, never updated
    same = {refs[i] for i in range(SHARED) if i not in CHANGING}
    statuses = [(batches[t][r["index"]]["source_ref"], r["status"]) for t, b in enumerate(bodies) for r in b["results"]]
    assert len(statuses) == total
    assert not [s for s in statuses if s[0] in same and s[1] == "updated"], "identical data must never count as updated"
    assert sum(1 for ref, st in statuses if ref in same and st == "created") == len(same)
