"""A small WebDriver BiDi client for Debian's firefox-esr (no patched browser, no extra package).

Firefox speaks WebDriver BiDi over a WebSocket when started with --remote-debugging-port. This module
starts it on a fresh profile, speaks the protocol over the standard library only (a minimal RFC 6455
client: text frames, client masking, ping/pong), and offers what the extension tests need: install the
unpacked extension as a temporary add-on (webExtension.install), open pages, evaluate script, and serve
the fixture site on its real URLs (network.addIntercept + network.provideResponse).
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import queue
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

FIREFOX = os.environ.get("LINKTRIAGE_FIREFOX", shutil.which("firefox-esr") or "/usr/bin/firefox-esr")


class BidiError(RuntimeError):
    pass


class _WebSocket:
    """Text-frame WebSocket client (what BiDi needs)."""

    def __init__(self, url: str, timeout: float = 30):
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path or "/"
        request = (f"GET {path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise BidiError("the browser closed the WebSocket handshake")
            head += chunk
        status_line = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status_line:
            raise BidiError(f"WebSocket handshake refused: {status_line!r}")
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.sock.settimeout(None)
        self.send_lock = threading.Lock()

    def send(self, text: str, opcode: int = 1) -> None:
        payload = text.encode() if isinstance(text, str) else text
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if n < 4096 else _mask_fast(payload, mask)
        with self.send_lock:
            self.sock.sendall(header + mask + masked)

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("WebSocket closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv(self) -> str:
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode = b0 & 0x0F
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)  # server frames are not masked
            if opcode == 8:
                raise EOFError("WebSocket closed by the browser")
            if opcode == 9:
                self.send(payload, opcode=10)
                continue
            if opcode == 10:
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def _mask_fast(payload: bytes, mask: bytes) -> bytes:
    n = len(payload)
    whole = int.from_bytes(payload, "big") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "big")
    return whole.to_bytes(n, "big")


class Firefox:
    """firefox-esr --headless on its own profile, driven over WebDriver BiDi."""

    def __init__(self, profile: Path | None = None, prefs: dict | None = None):
        if not Path(FIREFOX).exists():
            raise BidiError(f"{FIREFOX} is missing: scripts/test installs Debian's firefox-esr")
        self.profile = Path(profile or tempfile.mkdtemp(prefix="lt-firefox-"))
        self.profile.mkdir(parents=True, exist_ok=True)
        base = {
            "remote.active-protocols": 1,  # WebDriver BiDi only
            "browser.shell.checkDefaultBrowser": False,
            "browser.startup.homepage_override.mstone": "ignore",
            "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False,
            "app.update.disabledForTesting": True,
            "network.captive-portal-service.enabled": False,
            "network.connectivity-service.enabled": False,
            "browser.safebrowsing.update.enabled": False,
            "extensions.update.enabled": False,
            "extensions.getAddons.cache.enabled": False,
            "intl.accept_languages": "zh-CN,zh",
            "intl.locale.requested": "zh-CN",
        }
        base.update(prefs or {})
        with open(self.profile / "user.js", "w", encoding="utf-8") as f:
            for k, v in base.items():
                f.write(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n")
        self.log = open(self.profile / "firefox.log", "w+b")
        self.proc = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(self.profile), "--remote-debugging-port", "0"],
            stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"},
        )
        url = self._wait_for_endpoint()
        self.ws = _WebSocket(url.rstrip("/") + "/session")
        self.ids = itertools.count(1)
        self.pending: dict[int, queue.Queue] = {}
        self.handlers: dict[str, list] = {}
        self.events: queue.Queue = queue.Queue()
        self.closed = False
        threading.Thread(target=self._reader, daemon=True).start()
        threading.Thread(target=self._dispatcher, daemon=True).start()
        self.send("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})

    def _wait_for_endpoint(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.log.seek(0)
            m = re.search(rb"WebDriver BiDi listening on (ws://[0-9.:]+)", self.log.read())
            if m:
                return m.group(1).decode()
            if self.proc.poll() is not None:
                raise BidiError("firefox exited: " + (self.profile / "firefox.log").read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        raise BidiError("firefox did not open its WebDriver BiDi port")

    # ---- protocol ----
    def _reader(self):
        try:
            while True:
                message = json.loads(self.ws.recv())
                if "id" in message and message["id"] in self.pending:
                    self.pending.pop(message["id"]).put(message)
                elif message.get("type") == "event":
                    self.events.put(message)
        except (EOFError, OSError, ValueError):
            self.closed = True
            for q in list(self.pending.values()):
                q.put({"type": "error", "error": "closed", "message": "the browser went away"})

    def _dispatcher(self):
        while True:
            event = self.events.get()
            if event is None:
                return
            for handler in self.handlers.get(event["method"], []):
                try:
                    handler(event["params"])
                except Exception as exc:  # keep serving: a failing handler must not stop the others
                    print(f"bidi handler {event['method']} failed: {exc!r}")

    def send(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        cid = next(self.ids)
        reply: queue.Queue = queue.Queue()
        self.pending[cid] = reply
        self.ws.send(json.dumps({"id": cid, "method": method, "params": params or {}}))
        try:
            message = reply.get(timeout=timeout)
        except queue.Empty:
            raise BidiError(f"{method}: no answer in {timeout} s") from None
        if message.get("type") == "error":
            raise BidiError(f"{method}: {message.get('error')}: {message.get('message')}")
        return message.get("result", {})

    def on(self, method: str, handler) -> None:
        self.handlers.setdefault(method, []).append(handler)

    def subscribe(self, *events: str) -> None:
        self.send("session.subscribe", {"events": list(events)})

    # ---- what the tests use ----
    def install_extension(self, path: Path) -> str:
        return self.send("webExtension.install", {"extensionData": {"type": "path", "path": str(path)}})["extension"]

    def new_tab(self) -> str:
        return self.send("browsingContext.create", {"type": "tab"})["context"]

    def goto(self, context: str, url: str, wait: str = "complete") -> None:
        self.send("browsingContext.navigate", {"context": context, "url": url, "wait": wait})

    def evaluate(self, context: str, expression: str, await_promise: bool = True):
        result = self.send("script.evaluate", {"expression": expression, "target": {"context": context},
                                               "awaitPromise": await_promise, "resultOwnership": "none"})
        if result.get("type") == "exception":
            raise BidiError(f"script error: {result['exceptionDetails'].get('text')}")
        return _value(result["result"])

    def serve(self, hostnames: list[str], respond) -> None:
        """Answer every request to `hostnames` with respond(method, url) → (status, headers dict, body str)."""
        self.subscribe("network.beforeRequestSent")
        patterns = [{"type": "pattern", "protocol": "https", "hostname": h} for h in hostnames]
        self.send("network.addIntercept", {"phases": ["beforeRequestSent"], "urlPatterns": patterns})

        def handle(params):
            if not params.get("isBlocked"):
                return
            request = params["request"]
            status, headers, body = respond(request["method"], request["url"])
            self.send("network.provideResponse", {
                "request": request["request"],
                "statusCode": status,
                "reasonPhrase": "OK" if status < 400 else "Error",
                "headers": [{"name": k, "value": {"type": "string", "value": v}} for k, v in headers.items()],
                "body": {"type": "string", "value": body},
            })

        self.on("network.beforeRequestSent", handle)

    def close(self):
        try:
            if not self.closed:
                self.send("session.end", {}, timeout=5)
        except BidiError:
            pass
        self.events.put(None)
        self.ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def _value(remote):
    """A BiDi RemoteValue → a Python value (primitives, arrays, objects)."""
    kind = remote.get("type")
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return remote["value"]
    if kind == "number":
        v = remote["value"]
        return v if not isinstance(v, str) else float(v) if v not in ("NaN",) else float("nan")
    if kind == "array":
        return [_value(v) for v in remote.get("value", [])]
    if kind == "object":
        return {(k if isinstance(k, str) else _value(k)): _value(v) for k, v in remote.get("value", [])}
    return remote.get("value")
