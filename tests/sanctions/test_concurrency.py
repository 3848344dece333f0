"""Two workers sweeping at the same moment act once (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from sanctions import services, sweeps
from sanctions.models import SanctionEvent, SevereListEntry
from tests.concurrency import run_at_once
from tests.sanctions import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_two_workers_remove_and_stop_publicity_once(department):
    subject = f.org()
    rec = f.record(department, subject, severity="severe")
    entry = services.list_court_debtor(subject, department=department, case_number="执C", decision_number="决C",
                                       reasons="", basis="规定", records=[rec], term_months=12, actor="t")
    SevereListEntry.objects.filter(pk=entry.pk).update(term_end=date(2026, 1, 1))
    now = timezone.now()
    results = run_at_once(*[lambda: (sweeps.severe_list_terms(now), sweeps.publicity(now))] * 4)
    assert sum(r[0] for r in results) == 1 and sum(r[1] for r in results) == 1
    assert SanctionEvent.objects.filter(object_id=entry.pk, step="removed").count() == 1
    assert SanctionEvent.objects.filter(object_id=entry.pk, step="publicity_stopped").count() == 1
