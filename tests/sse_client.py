"""A reader of a helper's live stream (GET /api/events) for tests and the benchmark: a real HTTP
connection read line by line in a thread, each event put on a queue as (kind, data, arrived_at).

Importable as `sse_client` with tests/ on sys.path (pytest puts it there; scripts/bench sets PYTHONPATH).
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time


class EventStream:
    def __init__(self, port: int, headers: dict, path: str = "/api/events", timeout: float = 60):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}", "Accept": "text/event-stream", **headers})
        self.sock = self.conn.sock  # http.client may hand it to the response: keep it to close it for real
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.headers = self.response.headers
        self.events: queue.Queue = queue.Queue()
        self.comments = 0  # heartbeat lines seen
        self.ended = threading.Event()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.body = self.response.read()
            self.ended.set()

    def _read(self) -> None:
        kind, data = "message", []
        try:
            while True:
                line = self.response.readline()
                if not line:
                    return
                text = line.decode("utf-8").rstrip("\r\n")
                if text == "":
                    if data:
                        self.events.put((kind, json.loads("\n".join(data)), time.monotonic()))
                    kind, data = "message", []
                elif text.startswith(":"):
                    self.comments += 1
                elif text.startswith("event:"):
                    kind = text[6:].strip()
                elif text.startswith("data:"):
                    data.append(text[5:].lstrip(" "))
        except (OSError, ValueError, http.client.HTTPException):
            return
        finally:
            self.ended.set()

    def next(self, kind: str | None = None, timeout: float = 5.0, where=None):
        """The next event of `kind` (any kind if None) for which `where(data)` holds, as (kind, data, at);
        AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind or 'event'} within {timeout} s")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if (kind is None or event[0] == kind) and (where is None or where(event[1])):
                return event

    def drain(self) -> list:
        out = []
        while True:
            try:
                out.append(self.events.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        import socket

        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # the helper sees the dashboard go, as when a tab closes
        except OSError:
            pass
        self.conn.close()
