"""Keep Python's cyclic garbage collector out of the bulk paths.

Parsing and validating a 5,000-record batch allocates hundreds of thousands of dicts, lists and strings. Each
700 allocations start a young-generation collection and every tenth of those an older one; the oldest generation
is walked whole, with every object Django and the app loaded at start-up: on the batch push a noticeable share
of the CPU time per record.

* ``freeze_startup_objects()`` moves what exists after start-up (modules, settings, URL patterns, model
  metadata) to the permanent generation that collections never walk — run once per process, after the app
  is loaded (``config.wsgi``);
* ``paused()`` turns automatic collection off around one bulk operation. The rows a batch creates hold no
  cycles: reference counting frees them as soon as the batch is done. The few hundred objects of a request
  that do form cycles (request, body stream, view) are garbage only once the response has been sent, and a
  gunicorn worker idle between requests runs no collection: left to the automatic collector they reached the
  oldest generation and stayed there with the request body each one holds, so the server grew with every
  batch. So a pause starts with one full collection, which frees the
  previous batch's cycles: a few milliseconds, since the start-up heap is frozen and the batch's own objects
  do not exist yet. Nested and concurrent pauses (threads) share one counter: collection comes back when the
  last one ends, and only if it was on.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()


@contextmanager
def paused():
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            if _was_enabled:
                gc.collect()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
