"""A progress line for long CLI work (ingest, export), on stderr so stdout stays the command's output.

On a terminal it redraws one line in place a few times a second; in a log or a pipe it prints an
occasional plain line (every EVERY_S seconds), so a short run prints nothing and a long one is not
silent. No dependency: a counter and a clock are all it needs.
"""

from __future__ import annotations

import sys
import time

REDRAW_S = 0.2
EVERY_S = 10.0


class Progress:
    def __init__(self, label: str, total: int | None = None, unit: str = "rows", stream=None):
        self.label = label
        self.total = total
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.done_count = 0
        self.started = time.monotonic()
        self._last_shown = self.started
        self._drawn = False
        try:
            self._tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self._tty = False

    def advance(self, n: int = 1) -> None:
        self.done_count += n
        now = time.monotonic()
        if now - self._last_shown >= (REDRAW_S if self._tty else EVERY_S):
            self._last_shown = now
            self._show(now)

    def finish(self) -> None:
        """Clear the in-place line (a terminal) so the command's own summary follows cleanly."""
        if self._tty and self._drawn:
            self._write("\r\x1b[K")

    def _show(self, now: float) -> None:
        elapsed = now - self.started
        rate = self.done_count / elapsed if elapsed > 0 else 0.0
        if self.total:
            share = min(1.0, self.done_count / self.total)
            text = f"{self.label}: {self.done_count:,}/{self.total:,} {self.unit} ({share:.0%}), {rate:,.0f}/s"
        else:
            text = f"{self.label}: {self.done_count:,} {self.unit}, {rate:,.0f}/s"
        if self._tty:
            self._drawn = True
            self._write("\r\x1b[K" + text)
        else:
            self._write(text + "\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed stderr must not stop the work
