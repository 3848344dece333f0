import pytest

from credit_platform.queue import enqueue, send_now
from credit_platform.tasks import heartbeat


def test_send_now_returns_false_instead_of_raising_when_the_broker_is_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(heartbeat, "apply_async", refuse)
    assert send_now(heartbeat) is False


@pytest.mark.django_db(transaction=True)
def test_enqueue_sends_only_after_commit(monkeypatch):
    sent = []
    monkeypatch.setattr(heartbeat, "apply_async", lambda *a, **k: sent.append(k))
    from django.db import transaction

    with transaction.atomic():
        enqueue(heartbeat, kwargs={"worker": "x"})
        assert sent == []
    assert sent and sent[0]["kwargs"] == {"worker": "x"}
