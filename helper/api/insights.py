"""Demand insights for the dashboard.

GET  /api/insights      requests per product and per note per day, unanswered counts, hour of day
GET  /api/insights.csv  the same aggregates as CSV (UTF-8 BOM, formulas neutralised)

Filters are those of /api/requests (note_id, product, since, until, ...) plus `tz_offset`: minutes
east of UTC for the day and hour buckets (the browser's offset; default the helper's local zone).
One grouped SQL query does the counting (`Comment.request_groups`); the groups are few (day × hour ×
note × product set), so spreading a request over its products happens here, in Python.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, Response

from helper import csvio
from helper.api import audit_filters, comment_filters, query_int
from helper.api.cache import cached
from helper.app import acting_as
from helper.store import AuditEvent, Comment, Note

bp = Blueprint("insights", __name__)

MAX_DAYS = 731  # a chart axis longer than two years is unreadable; older data still counts in totals
CSV_HEADER = ["dimension", "id", "name", "date", "hour", "requests", "unanswered"]
UNKNOWN_PRODUCT_NAME = "未识别商品 (product unknown)"  # the CSV's name for requests naming no product


def local_offset_minutes() -> int:
    return int(datetime.now().astimezone().utcoffset().total_seconds() // 60)


def day_range(first: str, last: str, since: datetime | None, until: datetime | None, tz_offset: int) -> list[str]:
    """Every day from the filter's start (or the first request) to its end (or today), as YYYY-MM-DD."""
    shift = timedelta(minutes=tz_offset)
    today = (datetime.now(timezone.utc).replace(tzinfo=None) + shift).date()
    start = date.fromisoformat(first)
    end = max(date.fromisoformat(last), today)
    if until is not None:
        end = max(date.fromisoformat(last), (until + shift - timedelta(seconds=1)).date())
    if since is not None:
        start = min(start, (since + shift).date())
    start = max(start, end - timedelta(days=MAX_DAYS - 1))
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def aggregate(filters: dict, tz_offset: int) -> dict:
    """The insights document: days, per-product and per-note series, hour-of-day counts, totals."""
    groups = Comment.request_groups(filters, tz_offset)
    hours = [0] * 24
    result = {"tz_offset": tz_offset, "days": [], "total": 0, "unanswered": 0, "hours": hours, "products": [], "notes": []}
    if not groups:
        return result
    days = day_range(min(g["day"] for g in groups), max(g["day"] for g in groups), filters.get("since"), filters.get("until"), tz_offset)
    index = {d: i for i, d in enumerate(days)}

    def series():
        return {"per_day": [0] * len(days), "unanswered_per_day": [0] * len(days), "total": 0, "unanswered": 0}

    products = defaultdict(series)
    notes = defaultdict(series)
    for g in groups:
        n, open_n, i = g["n"], g["n"] * g["unanswered"], index.get(g["day"])
        result["total"] += n
        result["unanswered"] += open_n
        hours[int(g["hour"])] += n
        names = list(dict.fromkeys(g["products"] or [])) or [""]  # "" = product not recognised
        for bucket in [products[name] for name in names] + [notes[(g["platform"], g["note_id"])]]:
            bucket["total"] += n
            bucket["unanswered"] += open_n
            if i is not None:
                bucket["per_day"][i] += n
                bucket["unanswered_per_day"][i] += open_n

    titles = Note.titles()
    result["days"] = days
    result["products"] = [{"name": name, **s} for name, s in products.items()]
    result["notes"] = [
        {"platform": key[0], "note_id": key[1], "title": titles.get(key) or "", **s} for key, s in notes.items()
    ]
    for items in (result["products"], result["notes"]):
        items.sort(key=lambda s: (-s["total"], -s["unanswered"]))
    return result


def insights_request() -> dict:
    offset = query_int("tz_offset", local_offset_minutes(), lo=-14 * 60, hi=14 * 60)
    filters = comment_filters()
    # About a second at 100k comments: kept while the data is unchanged (helper.api.cache).
    key = ("insights", tuple(sorted((k, str(v)) for k, v in filters.items() if v)), offset)
    return cached(key, lambda: aggregate(filters, offset))


def csv_rows(data: dict):
    """Long ("tidy") rows: one per product/note per day with requests, a total row each, 24 hour rows."""
    for dimension, items in (("product", data["products"]), ("note", data["notes"])):
        for s in items:
            ident = s["name"] if dimension == "product" else s["note_id"]
            # Every row has a readable name: the unknown product says so, an untitled note shows its id.
            name = (s["name"] or UNKNOWN_PRODUCT_NAME) if dimension == "product" else (s["title"] or s["note_id"])
            yield [dimension, ident, name, "", "", s["total"], s["unanswered"]]
            for day, count, still_open in zip(data["days"], s["per_day"], s["unanswered_per_day"]):
                if count:
                    yield [dimension, ident, name, day, "", count, still_open]
    for hour, count in enumerate(data["hours"]):
        yield ["hour", "", "", "", hour, count, ""]
    yield ["total", "", "", "", "", data["total"], data["unanswered"]]


@bp.get("/api/insights")
def insights():
    return insights_request()


@bp.get("/api/insights.csv")
def insights_csv():
    stream = io.StringIO(newline="")
    rows = list(csv_rows(insights_request()))
    csvio.write_csv(stream, CSV_HEADER, rows)
    # Recorded before the file leaves (an export that cannot be recorded does not happen).
    filters = comment_filters()
    AuditEvent.record("export", acting_as(), what="insights", account=filters.get("account"), rows=len(rows),
                      filters=audit_filters(filters))
    filename = f"linktriage-insights-{date.today().isoformat()}.csv"
    return Response(
        stream.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
