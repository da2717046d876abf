"""GET /api/export.csv: the same CSV as `linktriage export` (BOM, RFC 4180, formulas neutralised).

Streamed: rows go out a page at a time as they are read, so a 200k-comment export needs no more
memory than a small one. Each export holds one of the server's worker threads while it runs, so at
most MAX_CONCURRENT_EXPORTS run at once; another one gets 503 + Retry-After, and the threads left
keep answering the extension and the dashboard. Every export is an "export" event in the activity log
(helper/store/team.py): written before the first row, its row count filled in after the last.
"""

import threading

from flask import Blueprint, Response, current_app, stream_with_context

from helper.api import audit_filters, comment_filters, query_flag
from helper.app import acting_as
from helper.export_csv import export_chunks, export_filename
from helper.security import error
from helper.store import AuditEvent

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

    # Recorded before the first row leaves (an export that cannot be recorded does not happen); the row
    # count is filled in when the last row is out.
    try:
        event = AuditEvent.record("export", acting_as(), what="comments", account=filters.get("account"), all=everything,
                                  filters=audit_filters(filters))
    except BaseException:
        slots.release()
        raise
    rows = [0]

    def count(n: int) -> None:
        rows[0] += n

    chunks = export_chunks(filters, requests_only=not everything, on_rows=count)
    stream = stream_with_context(_ReleasingChunks(chunks, slots.release, lambda done: event.finish_export(rows[0], done)))
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

    def __init__(self, chunks, release, finished=None):
        self._chunks = chunks
        self._release = release
        self._finished = finished  # told True after the last chunk, False when the export stops early

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._chunks).encode("utf-8")
        except StopIteration:
            self._finish(True)  # still inside the request's context: its connection is open
            self.close()
            raise
        except BaseException:
            self.close()
            raise

    def _finish(self, complete: bool) -> None:
        finished, self._finished = self._finished, None
        if finished is not None:
            finished(complete)

    def close(self) -> None:
        if self._finished is not None:
            try:
                self._finish(False)
            except Exception:  # noqa: BLE001 (the client went away; the event says the export started)
                pass
        getattr(self._chunks, "close", lambda: None)()
        release, self._release = self._release, None
        if release is not None:
            release()
