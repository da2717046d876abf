"""A loopback HTTP proxy in front of a real `linktriage serve`, to put faults between the extension and it.

The extension is pointed at the proxy's port; every request goes on to the real helper (Host rewritten,
since the helper only answers to its own host) unless a fault says otherwise:

- `poison`: comment ids; a POST /api/comments batch holding any of them is answered 500, as the helper did
  for one unstorable comment (the rest of such a batch never reached the database);
- `fail_comments`: every POST /api/comments is answered 500 (a helper broken for deliveries only);
- `hold`: a threading.Event; POST /api/comments waits for it (a delivery in flight);
- `down`: every request fails as if nothing listened (the connection is closed without an answer);
- `busy`: a list of (status, Retry-After) answers; each POST /api/comments takes the next one while any
  are left, as the helper answers when its database is held by another writer (503) or it throttles (429);
- `busy_triage`: the same for PATCH /api/comments/<id> (a queued triage); `patched` counts those PATCHes.

`posted_batches` records the comment ids of every batch that reached the proxy, `posted_at` when
(time.monotonic()).
"""

from __future__ import annotations

import http.client
import http.server
import json
import threading
import time

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-connection"}


class HelperProxy:
    def __init__(self, helper_port: int, port: int = 0):
        self.helper_port = helper_port
        self.poison: set[str] = set()
        self.fail_comments = False
        self.hold: threading.Event | None = None
        self.down = False
        self.busy: list[tuple[int, str | None]] = []
        self.busy_triage: list[tuple[int, str | None]] = []
        self.patched = 0
        self.posted_batches: list[list[str]] = []
        self.posted_at: list[float] = []
        self.held = threading.Event()  # set when a batch is waiting on `hold`
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.down:
                    self.close_connection = True
                    self.connection.close()
                    return
                if self.command == "POST" and self.path.startswith("/api/comments") and body:
                    ids = [str(c.get("id")) for c in (json.loads(body).get("comments") or []) if isinstance(c, dict)]
                    proxy.posted_batches.append(ids)
                    proxy.posted_at.append(time.monotonic())
                    if proxy.hold is not None:
                        proxy.held.set()
                        proxy.hold.wait(120)
                    if proxy.busy:
                        status, retry_after = proxy.busy.pop(0)
                        return self._answer(status, {"error": "busy; retry shortly"}, retry_after)
                    if proxy.fail_comments or proxy.poison.intersection(ids):
                        return self._answer(500, {"error": "internal error"})
                if self.command == "PATCH" and self.path.startswith("/api/comments/"):
                    proxy.patched += 1
                    if proxy.busy_triage:
                        status, retry_after = proxy.busy_triage.pop(0)
                        return self._answer(status, {"error": "busy; retry shortly"}, retry_after)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
                headers["Host"] = f"127.0.0.1:{proxy.helper_port}"
                conn = http.client.HTTPConnection("127.0.0.1", proxy.helper_port, timeout=60)
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                except OSError:
                    self.close_connection = True
                    self.connection.close()
                    return
                finally:
                    conn.close()
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:  # the worker that asked was stopped meanwhile
                    self.close_connection = True

            def _answer(self, status: int, payload: dict, retry_after: str | None = None):
                # Answered as the helper's own error would be: JSON with its version header.
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-LinkTriage-Version", "proxy")
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                    self.send_header("Access-Control-Expose-Headers", "X-LinkTriage-Version, Retry-After")
                self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_OPTIONS = _handle

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()
