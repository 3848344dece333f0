"""A batch that loses a deadlock against a concurrent push is written again, whole, from the same rows."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from records.models import Record
from records.services import writer
from tests.records import factories as f


class _Deadlock(Exception):
    sqlstate = "40P01"


@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_batch_is_retried_from_the_validated_rows(push, monkeypatch):
    real = writer.upsert_records
    calls = {"n": 0}

    def deadlock_once(rows):
        calls["n"] += 1
        if calls["n"] == 1:
            error = OperationalError("deadlock detected")
            error.__cause__ = _Deadlock()
            raise error
        return real(rows)

    monkeypatch.setattr(writer, "upsert_records", deadlock_once)
    severe = f.penalty(severity="severe", responsible_persons=[f.person("李四", role="legal_representative")])
    body = push(severe, f.penalty())
    assert calls["n"] >= 2  # the failed attempt, then the records of the retry
    assert body["created"] == 2 and body["rejected"] == [] and body["derived"] == 0  # derived on listing only
    severe_record = Record.objects.get(pk=body["results"][0]["id"])
    assert [p["name"] for p in severe_record.responsible_persons] == ["李四"]
    assert Record.objects.count() == 2
