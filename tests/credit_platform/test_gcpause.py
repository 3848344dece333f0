"""The collector pause around bulk pushes: off inside, back on after (even on errors), nested and threaded pauses
share one counter, and a collector that was off stays off."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from credit_platform import gcpause
from records.api import views as record_views


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_collection_is_off_inside_and_back_on_after():
    with gcpause.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collection_comes_back_after_an_error():
    with pytest.raises(RuntimeError), gcpause.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost():
    with gcpause.paused():
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner pause must not turn collection back on under the outer one"
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    with gcpause.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads():
    first_inside, second_done, release = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with gcpause.paused():
            first_inside.set()
            release.wait(5)
            seen["first_after_second_left"] = gc.isenabled()

    def second():
        first_inside.wait(5)
        with gcpause.paused():  # enters and leaves while the first pause is still open
            seen["second_inside"] = gc.isenabled()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    second_done.wait(5)
    release.set()
    for t in threads:
        t.join(5)
    assert seen["second_inside"] is False
    assert seen["first_after_second_left"] is False
    assert gc.isenabled()


def test_the_batch_push_runs_without_automatic_collection(monkeypatch, department, token_client):
    """The batch view wraps parsing and ingestion in the pause."""
    states = []
    real_ingest = record_views.ingest

    def observing_ingest(*args, **kwargs):
        states.append(gc.isenabled())
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(record_views, "ingest", observing_ingest)
    response = token_client(department).post("/api/v1/records/batch/", {"records": [{}]}, format="json")
    assert response.status_code == 200  # the empty row is rejected in the result; the batch itself is accepted
    assert states == [False]
    assert gc.isenabled()


def test_the_previous_batchs_cyclic_garbage_is_collected_when_the_next_pause_starts():
    """Without that collection a gunicorn worker kept each batch's cycles, with its body, and kept growing."""
    class Node:
        """A plain object that can hold a reference to itself."""

    gc.disable()  # as in a worker that ran no collection since the last batch
    node = Node()
    node.self = node  # a cycle: reference counting alone never frees it
    ref = weakref.ref(node)
    del node
    gc.enable()
    with gcpause.paused():
        assert ref() is None
