"""Answers the dashboard asks for again and again, kept while the data behind them is unchanged.

Some read views scan every comment (insights aggregates, per-note counts: about a second at 100k
comments); a tab switch must not pay that each time. An answer is kept per key until the data
changes: a comment was added (max id; also catches a CLI ingest in another process) or this helper
changed something (every successful POST/PUT/PATCH/DELETE bumps a counter).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import peewee as pw
from flask import Blueprint, request

from helper.store import Comment

bp = Blueprint("cache", __name__)

CACHE_SIZE = 32
_cache: "OrderedDict[tuple, tuple]" = OrderedDict()
_lock = threading.Lock()
_writes = [0]


@bp.after_app_request
def _count_writes(response):
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and response.status_code < 400:
        with _lock:
            _writes[0] += 1
    return response


def data_version() -> tuple:
    return (Comment.select(pw.fn.MAX(Comment.id)).scalar(), _writes[0])


def cached(key: tuple, compute):
    """compute() once per key and data version; the newest CACHE_SIZE answers are kept."""
    version = data_version()
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == version:
            _cache.move_to_end(key)
            return hit[1]
    value = compute()
    with _lock:
        _cache[key] = (version, value)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value
