"""GET /api/export.csv: the same CSV as `linktriage export` (BOM, RFC 4180, formulas neutralised).

Streamed: rows go out a page at a time as they are read, so a 200k-comment export needs no more
memory than a small one. Each export holds one of the server's worker threads while it runs, so at
most MAX_CONCURRENT_EXPORTS run at once; another one gets 503 + Retry-After, and the threads left
keep answering the extension and the dashboard.
"""

import threading

from flask import Blueprint, Response, current_app, stream_with_context

from helper.api import comment_filters, query_flag
from helper.export_csv import export_chunks, export_filename
from helper.security import error

bp = Blueprint("export", __name__)

MAX_CONCURRENT_EXPORTS = 2


def _export_slots() -> threading.BoundedSemaphore:
    slots = current_app.extensions.get("linktriage_export_slots")
    if slots is None:
        slots = current_app.extensions.setdefault(
            "linktriage_export_slots",
            threading.BoundedSemaphore(current_app.config.get("MAX_CONCURRENT_EXPORTS", MAX_CONCURRENT_EXPORTS)),
        )
    return slots


@bp.get("/api/export.csv")
def export_csv():
    filters = comment_filters()
    everything = query_flag("all")
    slots = _export_slots()
    if not slots.acquire(blocking=False):
        return error(503, "other exports are running; retry in a few seconds", Retry_After="5")

    stream = stream_with_context(_ReleasingChunks(export_chunks(filters, requests_only=not everything), slots.release))
    return Response(
        stream,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{export_filename(everything)}"',
            "Cache-Control": "no-store",
        },
    )


class _ReleasingChunks:
    """The CSV chunks as UTF-8 bytes; the export slot is given back when the response is done or dropped.

    A class rather than a generator with try/finally: the server closes the iterable even when it
    never started it (the client went away), and an unstarted generator would not run its finally.
    """

    def __init__(self, chunks, release):
        self._chunks = chunks
        self._release = release

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._chunks).encode("utf-8")
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        getattr(self._chunks, "close", lambda: None)()
        release, self._release = self._release, None
        if release is not None:
            release()
