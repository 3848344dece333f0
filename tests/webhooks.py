"""A webhook receiver on 127.0.0.1 for the outbox tests (a real HTTP server: a subscriber that answers, fails or
acknowledges for real, so no test patches the outbox's sender). ``hook_fixture`` is the body of the ``hook`` fixture
of the test packages that use it (``hook(statuses=(500,))`` → a receiver; all are closed after the test)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hook:
    """A webhook receiver on 127.0.0.1 that answers with the configured status codes in turn."""

    def __init__(self, statuses=(200,), body=b"{}"):
        self.statuses = list(statuses)
        self.body = body
        self.requests = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                hook.requests.append((dict(self.headers), raw))
                status = hook.statuses.pop(0) if len(hook.statuses) > 1 else hook.statuses[0]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(hook.body)

            def log_message(self, *args):
                """Silence the per-request access line: the tests read ``hook.requests`` instead."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def hook_fixture():
    hooks = []

    def make(*args, **kwargs):
        h = Hook(*args, **kwargs)
        hooks.append(h)
        return h

    yield make
    for h in hooks:
        h.close()
