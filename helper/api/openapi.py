"""GET /api/openapi.json: the API described as OpenAPI 3.1 (public, like health).

A static description; tests/test_api.py checks that every /api route of the app is in it, so a new
route without documentation fails the tests. Add yours to PATHS.
"""

from flask import Blueprint

from helper import __version__
from helper.api.inbox import VIEWS
from helper.security import REASONS, public
from helper.vocab import CORRECTIONS, DEFAULT_PORT, MAX_BATCH, PLATFORMS, STATUSES

bp = Blueprint("openapi", __name__)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: dict | str, description: str = "OK", media: str = "application/json") -> dict:
    schema = ref(schema) if isinstance(schema, str) else schema
    return {"200": {"description": description, "content": {media: {"schema": schema}}}, **REFUSALS}


def body(schema: dict | str) -> dict:
    schema = ref(schema) if isinstance(schema, str) else schema
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def err(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


CLAIMED = {"description": "another operator holds the comment (\"Ana is on it\")", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                                     "claimed_by": {"type": "string"}, "claimed_until": {"type": "string"}}}}}}


# The shared words (helper/vocab.py), as enums.
STATUS = {"enum": list(STATUSES)}
CORRECTION = {"enum": [None, *CORRECTIONS]}
PLATFORM = {"enum": list(PLATFORMS)}

REFUSALS = {
    "400": err("a body or query parameter that cannot be taken: not JSON, nested too deep, a value out of range"),
    "401": err("no or wrong token"),
    "403": err("Host not allowed, foreign Origin, or not allowed for this caller"),
    "413": err("body over the cap (8 MiB), declared or chunked; the same JSON when the server itself refuses it"),
    "415": err("body not application/json"),
    "429": err("this wrong token (or too many wrong ones of its kind) failed too often; see Retry-After. A right token is never refused"),
    "503": err("busy: another writer held the database for over a second, the team database server cannot be reached, "
               "or (export) two exports are running; retry after Retry-After"),
}
FILTERS = [
    {"name": n, "in": "query", "required": False, "schema": s, "description": d}
    for n, s, d in [
        ("note_id", {"type": "string"}, "only this note"),
        ("product", {"type": "string"}, "only comments asking about this product (by name)"),
        ("status", STATUS, "triage status"),
        ("since", {"type": "string"}, "created at or after (ISO-8601 or epoch ms)"),
        ("until", {"type": "string"}, "created before (ISO-8601 or epoch ms)"),
        ("q", {"type": "string"}, "text contains"),
        ("platform", {"type": "string"}, "e.g. xhs"),
        ("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}, "page size"),
        ("offset", {"type": "integer", "minimum": 0, "default": 0}, "page start"),
    ]
]
# Accounts (issue 14): a creator account is a note author's id; absent = all accounts.
ACCOUNT = {"name": "account", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "only this creator account's comments (a note author id, as GET /api/accounts lists); absent: all accounts"}
FILTERS.insert(1, ACCOUNT)
PUBLIC = {"security": []}
DASHBOARD_ONLY = {"security": [{"dashboardToken": []}]}
STR = {"type": "string"}
STRS = {"type": "array", "items": STR}
NULLSTR = {"type": ["string", "null"]}
PRODUCT_ID = [{"name": "product_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
INSIGHTS_PARAMS = [*FILTERS[:6], {"name": "tz_offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": -840, "maximum": 840}, "description": "minutes east of UTC for day/hour buckets"}]
LIST = lambda item: {"type": "object", "properties": {"items": {"type": "array", "items": ref(item)}, "total": {"type": "integer"}}}  # noqa: E731

PATHS = {
    "/api/health": {"get": {**PUBLIC, "summary": "Is this LinkTriage? (no auth, no data)", "responses": ok("Health")}},
    "/api/openapi.json": {"get": {**PUBLIC, "summary": "This document", "responses": ok({"type": "object"})}},
    "/api/pair": {
        "post": {
            **PUBLIC,
            "summary": "Pair a browser extension (Origin chrome-extension://… or moz-extension://…) while pairing is open; "
            "the paired origin may ask again for a fresh token",
            "requestBody": body({"type": "object"}),
            "responses": ok({"type": "object", "properties": {"token": STR, "origin": STR}, "required": ["token"]}),
        }
    },
    "/api/pairing": {"get": {**DASHBOARD_ONLY, "summary": "Which extension is paired; is pairing open", "responses": ok("PairingState")}},
    "/api/pairing/open": {"post": {**DASHBOARD_ONLY, "summary": "Open pairing for 5 minutes", "requestBody": body({"type": "object"}), "responses": ok({"type": "object"})}},
    "/api/pairing/revoke": {"post": {**DASHBOARD_ONLY, "summary": "Revoke the paired extension (pairing stays closed until the dashboard opens it)", "requestBody": body({"type": "object"}), "responses": ok({"type": "object"})}},
    "/api/comments": {
        "post": {"summary": f"Store a batch of captured comments (≤ {MAX_BATCH}) and get each one's verdict; a reply by the note's author "
                 "marks the comment it answers (reply_to_id, else parent_id) replied with status_by \"thread\" unless its status was set by hand",
                 "description": "The model reads each comment with its note's title (note.title, an item's note_title, or the "
                                "title stored earlier) and whether the catalog links products to the note; a reply that only "
                                "echoes its parent (parent_id, found in the batch or stored) takes the parent's verdict.",
                 "requestBody": body("CommentBatch"), "responses": ok("IngestResult")},
        "get": {"summary": "All comments, newest first", "parameters": FILTERS, "responses": ok(LIST("Comment"))},
    },
    "/api/requests": {"get": {"summary": "Flagged link requests (corrections applied), newest first", "parameters": FILTERS, "responses": ok(LIST("Comment"))}},
    "/api/coverage": {
        "get": {
            "summary": "Per note: comments captured vs the note's own comment count, threads whose replies are not loaded yet, its link",
            "parameters": [{"name": "platform", "in": "query", "required": False, "schema": STR}, {"name": "note_id", "in": "query", "required": False, "schema": STR},
                           {**ACCOUNT, "description": "only the notes of this creator account (whose author it is)"}],
            "responses": ok(LIST("Coverage")),
        }
    },
    "/api/comments/{comment_id}": {
        "patch": {
            "summary": "Triage one comment",
            "parameters": [
                {"name": "comment_id", "in": "path", "required": True, "schema": STR},
                {"name": "platform", "in": "query", "required": False, "schema": {"type": "string", "default": "xhs"}},
            ],
            "description": "A status or suggested_reply change to a comment another operator holds (a claim) answers 409 with "
                           "claimed_by / claimed_until; a correction is always taken. A status change ends the comment's claim.",
            "requestBody": body({"type": "object", "properties": {"status": STATUS, "correction": CORRECTION, "suggested_reply": STR}}),
            "responses": {**ok("Comment"), "404": err("no such comment"), "409": CLAIMED},
        }
    },
    "/api/comments/{comment_id}/claim": {
        "parameters": [
            {"name": "comment_id", "in": "path", "required": True, "schema": STR},
            {"name": "platform", "in": "query", "required": False, "schema": {"type": "string", "default": "xhs"}},
        ],
        "post": {
            "summary": "Claim a comment for this helper's operator (serve --operator; without one: \"local\") for 10 minutes, "
            "or renew her claim; the dashboard claims a request when its row is opened",
            "description": "Two operators never hold the same comment: on PostgreSQL SELECT ... FOR UPDATE SKIP LOCKED and a "
                           "conditional UPDATE, on SQLite one write transaction at a time. A claim ends when it lapses, when the "
                           "comment's status changes, or when she releases it.",
            "requestBody": body({"type": "object"}),
            "responses": {**ok("Comment"), "404": err("no such comment"), "409": CLAIMED},
        },
        "delete": {
            "summary": "Release this operator's claim (another operator's is left alone: released 0)",
            "responses": {**ok({"type": "object", "properties": {"released": {"type": "integer"}}}), "404": err("no such comment")},
        },
    },
    "/api/comments/bulk": {
        "post": {
            "summary": "Set the status of many comments",
            "requestBody": body({"type": "object", "required": ["ids", "status"], "properties": {"ids": STRS, "platform": STR, "status": STATUS}}),
            "responses": ok({"type": "object", "properties": {
                "updated": {"type": "integer"},
                "held": {**STRS, "description": "ids another operator holds (a claim): left as they were"}}}),
        }
    },
    "/api/notes": {"get": {"summary": "Notes with comment/request/unanswered counts (account: only that account's comments)",
                           "parameters": [ACCOUNT], "responses": ok(LIST("Note"))}},
    "/api/accounts": {
        "get": {
            "summary": "The creator accounts comments were captured for (a note author's id; name = the author's name), busiest first; "
            "unknown = comments whose note's author is not known yet",
            "responses": ok({"type": "object", "properties": {"items": {"type": "array", "items": ref("Account")}, "total": {"type": "integer"},
                                                               "unknown": {"type": "integer"}}}),
        }
    },
    "/api/products": {
        "get": {"summary": "The product catalog; with account: that account's products and the shared ones (account null)",
                "parameters": [{**ACCOUNT, "description": "only this account's and the shared products"}], "responses": ok(LIST("Product"))},
        "post": {"summary": "Add a product", "requestBody": body("ProductInput"), "responses": {**ok("Product"), "409": err("name taken")}},
    },
    "/api/products/{product_id}": {
        "put": {"summary": "Change a product", "parameters": PRODUCT_ID, "requestBody": body("ProductInput"), "responses": {**ok("Product"), "404": err("no such product")}},
        "delete": {"summary": "Delete a product (send Content-Type: application/json; the body may be {})", "parameters": PRODUCT_ID, "responses": {**ok({"type": "object"}), "404": err("no such product")}},
    },
    "/api/products/import": {
        "post": {
            "summary": "Import a catalog CSV (name, link, aliases, note_ids, reply); re-import updates by name",
            "requestBody": body({"type": "object", "required": ["csv"], "properties": {"csv": STR}}),
            "responses": ok({"type": "object", "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"}, "skipped": {"type": "array"}}}),
        }
    },
    "/api/export.csv": {
        "get": {
            "summary": "CSV export (UTF-8 BOM, RFC 4180, formula cells neutralised); requests only unless all=1",
            "parameters": [{"name": "all", "in": "query", "required": False, "schema": {"type": "boolean"}}, *FILTERS[:5]],
            "responses": ok(STR, media="text/csv"),
        }
    },
    "/api/insights": {"get": {"summary": "Demand insights for the dashboard (requests per product/note over time, hour of day)", "parameters": INSIGHTS_PARAMS, "responses": ok("Insights")}},
    "/api/insights.csv": {"get": {"summary": "The insights aggregates as CSV (UTF-8 BOM, formulas neutralised)", "parameters": INSIGHTS_PARAMS, "responses": ok(STR, media="text/csv")}},
    "/api/inbox": {
        "get": {
            "summary": "The dashboard's triage list, paged by key (after = the last row's cursor) so rows that leave a view "
            "while you work never make a page skip others; per-status counts under the same filters",
            "parameters": [
                {"name": "mode", "in": "query", "required": False, "schema": {"enum": ["requests", "comments"], "default": "requests"}},
                {"name": "view", "in": "query", "required": False, "schema": {"enum": list(VIEWS), "default": "new"},
                 "description": "waiting = new and older than waiting_hours, oldest first; the others newest first"},
                *FILTERS[:3], *FILTERS[4:8],
                {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
                {"name": "after", "in": "query", "required": False, "schema": STR, "description": "a previous answer's next (or an item's cursor): start after that row"},
                {"name": "waiting_hours", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 24}},
                {"name": "claimed", "in": "query", "required": False, "schema": {"type": "boolean", "default": False},
                 "description": "view=new leaves out comments another operator holds (a claim) unless claimed=1; other views show them"},
            ],
            "responses": ok("Inbox"),
        }
    },
    "/api/setup": {"get": {"summary": "First-run checklist facts: paired, products, notes, comments captured", "responses": ok("Setup")}},
    "/api/products/compliance": {"get": {"summary": "Each product's reply as it would be sent on Xiaohongshu, with compliance warnings", "responses": ok(LIST("ProductCompliance"))}},
    "/api/replies/refresh": {
        "post": {
            "summary": "After a product's template or link changed: re-render pending suggested replies still equal to what the previous version produced",
            "requestBody": body({"type": "object", "required": ["product", "previous"], "properties": {"product": STR, "previous": ref("ProductInput")}}),
            "responses": {**ok({"type": "object", "properties": {"refreshed": {"type": "integer"}, "kept": {"type": "integer"}}}), "404": err("no product of that name")},
        }
    },
    "/api/replies/preview": {
        "post": {
            "summary": "Preview a reply template for a product, with compliance warnings",
            "requestBody": body({"type": "object", "additionalProperties": False, "properties": {"template": STR, "product": {"oneOf": [STR, {"type": "object", "properties": {"name": STR, "link": STR}}]}, "nickname": STR, "platform": PLATFORM, "text": STR}}),
            "responses": {**ok({"type": "object", "properties": {"text": STR, "compliance": STRS}}), "404": err("no product of that name")},
        }
    },
}

COMMENT_PROPS = {
    "platform": STR, "id": STR, "note_id": STR, "note_title": NULLSTR, "parent_id": NULLSTR, "author": NULLSTR,
    "author_id": NULLSTR, "text": STR, "created_at": NULLSTR, "like_count": {"type": ["integer", "null"]},
    "ip_location": NULLSTR, "is_author": {"type": "boolean"}, "captured_at": STR, "is_request": {"type": "boolean"},
    "model_is_request": {"type": "boolean"}, "score": {"type": "number"}, "products": STRS, "suggested_reply": STR,
    "compliance": STRS, "model_version": NULLSTR, "status": STATUS,
    "status_by": {"type": ["string", "null"], "description": "who set the status: the helper's operator (serve --operator), "
                  "else dashboard / extension; thread when the creator's reply in the thread marked it"},
    "status_at": NULLSTR, "correction": CORRECTION,
    "correction_by": {"type": ["string", "null"], "description": "who set the correction (as status_by)"}, "correction_at": NULLSTR,
    "account": {"type": ["string", "null"], "description": "the creator account (its note's author id); null while not known"},
    "claimed_by": {"type": ["string", "null"], "description": "the operator answering this buyer now (a claim, team mode); null when no one "
                   "holds it or the claim lapsed"},
    "claimed_until": {"type": ["string", "null"], "description": "when that claim lapses (UTC, Z) unless renewed; null with claimed_by"},
}
SCHEMAS = {
    "Error": {"type": "object", "properties": {"error": STR, "status": {"type": "integer"}, "reason": {
        "enum": list(REASONS), "description": "why a 401/403 refused (absent on other errors): token (none or a wrong one) and origin "
        "(not the paired extension's) mean pair again; role: the helper operator's role may not do this (the pairing is fine: "
        "do not pair again, the role's owner can change it); host, cross-site, dashboard-only, not-extension, pairing-closed: "
        "the request itself is not allowed, pairing again does not help"}}},
    "Health": {"type": "object", "properties": {
        "app": {"const": "linktriage"}, "version": STR, "model_loaded": {"type": "boolean"},
        "paired": {"type": ["boolean", "null"], "description": "null while the database cannot be reached"},
        "database": {"type": "object", "description": "where the helper stores (the SQLite file, or a team's PostgreSQL) and "
                     "whether it can reach it; while it cannot, every other request answers 503 + Retry-After",
                     "properties": {"backend": {"enum": ["sqlite", "postgresql"]}, "ok": {"type": "boolean"}, "error": NULLSTR}}}},
    "PairingState": {"type": "object", "properties": {"paired": {"type": "boolean"}, "extension": {"type": ["object", "null"]}, "pairing_open": {"type": "boolean"}, "open_until": NULLSTR}},
    "CommentIn": {
        "type": "object", "required": ["id", "text"],
        "properties": {"id": STR, "note_id": STR, "parent_id": NULLSTR, "text": {"type": "string", "maxLength": 10000}, "author": NULLSTR,
                       "author_id": NULLSTR, "created_at": {"type": ["string", "integer", "null"], "description": "ISO-8601 or epoch ms"},
                       "like_count": {"type": ["integer", "string", "null"]}, "ip_location": NULLSTR, "is_author": {"type": "boolean"},
                       "reply_to_id": {"type": ["string", "null"], "description": "the comment this reply answers (parent_id is its thread)"}},
    },
    "CommentBatch": {
        "type": "object", "required": ["comments"],
        "properties": {"platform": {"type": "string", "default": "xhs"},
                       "note": {"type": "object", "properties": {
                           "id": STR, "title": STR, "author_id": STR, "author_name": STR,
                           "url": {"type": "string", "description": "a link that opens the note (with its xsec_token)"},
                           "comment_count": {"type": "integer", "description": "the note's own comment count, as its page shows it"},
                           "unexpanded_threads": {"type": "integer", "description": "threads whose replies the page has not loaded yet"}}},
                       "comments": {"type": "array", "maxItems": MAX_BATCH, "items": ref("CommentIn")}},
    },
    "Verdict": {"type": "object", "properties": {"id": STR, "is_request": {"type": "boolean"}, "score": {"type": "number"}, "products": STRS, "suggested_reply": STR, "compliance": STRS, "status": STR}},
    "IngestResult": {
        "type": "object",
        "properties": {"stored": {"type": "integer"}, "duplicates": {"type": "integer"}, "results": {"type": "array", "items": ref("Verdict")},
                       "skipped": {"type": "array", "items": {"type": "object", "properties": {"index": {"type": "integer"}, "id": {}, "reason": STR}}},
                       "thread_replied": {"type": "array", "items": STR, "description": "comments the creator's replies in this batch answered (now replied)"}},
    },
    "Comment": {"type": "object", "properties": COMMENT_PROPS},
    "Coverage": {"type": "object", "properties": {"platform": STR, "note_id": STR, "title": NULLSTR, "url": NULLSTR, "captured": {"type": "integer"},
                                                   "comment_count": {"type": ["integer", "null"]}, "missing": {"type": ["integer", "null"]},
                                                   "unexpanded_threads": {"type": ["integer", "null"]}, "seen_at": NULLSTR}},
    "Note": {"type": "object", "properties": {"platform": STR, "note_id": STR, "title": NULLSTR, "author_id": NULLSTR, "author_name": NULLSTR, "comments": {"type": "integer"}, "requests": {"type": "integer"}, "unanswered": {"type": "integer"}, "last_captured": NULLSTR}},
    "ProductInput": {"type": "object", "required": ["name"], "properties": {"name": STR, "link": STR, "aliases": STRS, "note_ids": STRS, "reply": NULLSTR,
                                                                           "account": {"type": ["string", "null"], "description": "the account it belongs to; null (default): shared by all accounts"}}},
    "Insights": {"type": "object", "properties": {"tz_offset": {"type": "integer"}, "days": STRS, "total": {"type": "integer"}, "unanswered": {"type": "integer"}, "hours": {"type": "array", "items": {"type": "integer"}}, "products": {"type": "array"}, "notes": {"type": "array"}}},
    "Product": {"type": "object", "properties": {"id": {"type": "integer"}, "name": STR, "link": STR, "aliases": STRS, "note_ids": STRS, "reply": NULLSTR,
                                                "account": {"type": ["string", "null"], "description": "null: shared by all accounts"}}},
    "Account": {"type": "object", "properties": {"id": STR, "name": NULLSTR, "notes": {"type": "integer"}, "comments": {"type": "integer"},
                                                "requests": {"type": "integer"}, "unanswered": {"type": "integer"}}},
    "InboxItem": {
        "type": "object",
        "properties": {
            **COMMENT_PROPS,
            "cursor": STR,
            "note_url": NULLSTR,
            "parent": {"type": ["object", "null"], "properties": {"id": STR, "author": NULLSTR, "text": STR}},
            "same_buyer": {"type": "array", "items": {"type": "object", "properties": {"id": STR, "text": STR, "created_at": NULLSTR}}},
        },
    },
    "Inbox": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref("InboxItem")},
            "view": STR,
            "counts": {"type": "object", "properties": {k: {"type": "integer"} for k in ("all", *STATUSES, "waiting")}},
            "total": {"type": "integer"},
            "limit": {"type": "integer"},
            "next": NULLSTR,
            "waiting_hours": {"type": "integer"},
            "me": {"type": "string", "description": "who this helper claims as (its operator; without one \"local\"): "
                   "a row whose claimed_by is someone else is another operator's"},
        },
    },
    "Setup": {
        "type": "object",
        "properties": {"helper": {"type": "boolean"}, "paired": {"type": "boolean"}, "extension_last_seen": NULLSTR, "pairing_open": {"type": "boolean"},
                       "products": {"type": "integer"}, "notes": {"type": "integer"}, "comments_captured": {"type": "boolean"}, "last_captured": NULLSTR},
    },
    "ProductCompliance": {"type": "object", "properties": {"id": {"type": "integer"}, "name": STR, "reply": STR, "compliance": STRS}},
}

# Learning from corrections (issue 11): helper/api/model.py and helper/api/teach.py.
MODEL_INFO = {"type": ["object", "null"], "properties": {"version": STR, "trained_at": NULLSTR, "corrections": {"type": "integer"}, "base_version": NULLSTR, "kind": {"enum": ["base", "learned", "trained"]},
                                                        "model_id": {**NULLSTR, "description": "unique per training; in a team every helper serves the same one for an account"},
                                                        "trained_by": {**NULLSTR, "description": "the operator whose helper trained it"}}}
SCHEMAS["ModelState"] = {
    "type": "object",
    "properties": {
        "state": {"enum": ["idle", "waiting", "learning"]}, "auto": {"type": "boolean"},
        "pending": {"type": "integer", "description": "corrections since the last retrain started"},
        "learning_from": {"type": ["integer", "null"]}, "next_in_s": {"type": ["number", "null"]},
        "retrain_after": {"type": "integer"}, "idle_seconds": {"type": "number"},
        "model": MODEL_INFO, "own_model": {"type": "boolean"}, "previous": MODEL_INFO, "can_rollback": {"type": "boolean"},
        "held": {"type": "boolean", "description": "rolled back: no automatic retrain until the corrections change"},
        "last_run": {"type": ["object", "null"]}, "error": NULLSTR,
        "account": {**NULLSTR, "description": "whose model this is (null: the shared model, for comments without an account and accounts without corrections)"},
        "team": {"type": "boolean", "description": "the models of accounts are shared through the team database"},
        "accounts": {"type": "array", "description": "without ?account: each account with a model of its own (trained from its corrections)",
                     "items": {"type": "object", "properties": {"account": STR, "state": STR, "pending": {"type": "integer"}, "model": MODEL_INFO,
                                                                "own_model": {"type": "boolean"}, "previous": MODEL_INFO, "can_rollback": {"type": "boolean"},
                                                                "held": {"type": "boolean"}, "runs": {"type": "integer"}}}},
    },
}
MODEL_ACCOUNT = {"name": "account", "in": "query", "required": False, "schema": STR,
                 "description": "one creator account's model (its corrections train it; the body's `account` says the same on POST); absent: the overview"}
MODEL_BODY = body({"type": "object", "properties": {"account": STR}})
PATHS.update({
    "/api/model": {"get": {"summary": "The model in use, the one before it, and the automatic retrain's state: the overview (the model trained last, "
                                      "the counters of all, accounts[]) or one account's (?account=)",
                           "parameters": [MODEL_ACCOUNT], "responses": ok("ModelState")}},
    "/api/model/retrain": {"post": {**DASHBOARD_ONLY, "summary": "Learn from the corrections now: one account's model, or every model with corrections "
                                                                 "(202; GET /api/model tells when the new model is in use). In a team one helper at a time "
                                                                 "trains an account (an advisory lock); the others use its model",
                                    "parameters": [MODEL_ACCOUNT], "requestBody": MODEL_BODY,
                                    "responses": {"202": {"description": "started", "content": {"application/json": {"schema": ref("ModelState")}}}, **REFUSALS}}},
    "/api/model/rollback": {"post": {**DASHBOARD_ONLY, "summary": "Use the previous model again (again: forward): one account's, or the one the overview is about; "
                                                                  "stored verdicts follow; no automatic retrain until the corrections change. In a team every helper goes back",
                                     "parameters": [MODEL_ACCOUNT], "requestBody": MODEL_BODY,
                                     "responses": {**ok("ModelState"), "404": err("no previous model"), "409": err("a retrain is running")}}},
    "/api/teach/next": {
        "get": {
            "summary": "The teach queue: uncorrected new comments nearest the model's line, spread across notes, with note title and thread "
            "(none another operator holds); "
            "answer with PATCH /api/comments/{id} {correction: missed|not_request}",
            "parameters": [
                {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}},
                {"name": "exclude", "in": "query", "required": False, "schema": STR, "description": "comma-separated comment ids to leave out (skipped ones)"},
                {"name": "platform", "in": "query", "required": False, "schema": STR},
                ACCOUNT,
            ],
            "responses": ok({"type": "object", "properties": {"items": {"type": "array", "items": ref("Comment")}, "answered": {"type": "integer"}, "line": {"type": "number"}}}),
        }
    },
})

# Team mode (issue 14): reply fills, the activity log, operators and roles (helper/roles.py enforces them).
ROLE_REFUSED = {"description": "the helper's operator has a role that may not do this", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"error": STR, "status": {"type": "integer"}, "reason": {"const": "role"},
                                     "role": {"enum": ["viewer", "agent", "owner"]},
                                     "needed": {"enum": ["viewer", "agent", "owner"]}}}}}}
SCHEMAS["AuditEvent"] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "newest first; a page's `next` is the `before` of the following page"},
        "at": {"type": "string", "description": "UTC, Z"}, "operator": STR,
        "action": {"enum": ["status", "correction", "claim", "release", "reply_fill", "export", "role"]},
        "account": NULLSTR, "platform": NULLSTR, "comment_id": NULLSTR, "note_id": NULLSTR,
        "text": {"type": ["string", "null"], "description": "the comment's text, at most 120 characters (null: no comment)"},
        "detail": {"type": "object", "description": "status/correction: from, to (label: true = a request); export: what "
                   "(comments | insights), filters, all, rows (null while it runs; complete false if it stopped early), via "
                   "\"cli\"; role: name, from, to; claim/reply_fill: until, renewed. A status the creator's own reply in the thread "
                   "set (operator \"thread\"): from new, to replied, reply (her comment's id), seen_by (the operator whose helper "
                   "stored it, if any)"},
    },
}
SCHEMAS["Operator"] = {"type": "object", "properties": {"name": STR, "role": {"enum": ["owner", "agent", "viewer"]}, "created": STR}}
PATHS["/api/comments/{comment_id}/claim"]["post"]["description"] += (
    " The platform is ?platform=, else the body's optional \"platform\", else xhs (the same for DELETE and .../fill).")
PATHS.update({
    "/api/comments/{comment_id}/fill": {
        "parameters": PATHS["/api/comments/{comment_id}/claim"]["parameters"],
        "post": {
            "summary": "The extension (or the dashboard) filled this request's reply: claim it for this helper's operator, as POST "
            ".../claim does, and record a reply fill in the activity log",
            "description": "Body: {} or {\"platform\": \"xhs\"} (optional; ?platform= wins). 200: the comment, exactly as a "
                           "successful claim answers (claimed_by = this operator); 409: another operator holds it (claimed_by, "
                           "claimed_until, as the claim endpoint); 404: no such comment; 403: a viewer's helper. Needs the agent role.",
            "requestBody": body({"type": "object", "properties": {"platform": PLATFORM}}),
            "responses": {**ok("Comment"), "403": ROLE_REFUSED, "404": err("no such comment"), "409": CLAIMED},
        },
    },
    "/api/audit": {
        "get": {
            "summary": "The activity log, newest first: status changes, corrections, claims and releases, reply fills, exports "
            "(dashboard, insights CSV, CLI) and role changes, with who, when, the account and the comment's text",
            "parameters": [
                {"name": "operator", "in": "query", "required": False, "schema": STR, "description": "only this operator's events"},
                {"name": "action", "in": "query", "required": False, "schema": {"enum": ["status", "correction", "claim", "release",
                                                                                         "reply_fill", "export", "role"]}},
                {**ACCOUNT, "description": "only events of this creator account (its comments, its exports)"},
                {"name": "before", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
                 "description": "keyset paging: the previous page's `next`"},
                {"name": "after", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
                 "description": "only events newer than this id (the newest shown: what came since), newest first; "
                 "with `before`, the rest of them when a page did not hold them all"},
                {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
            ],
            "responses": ok({"type": "object", "properties": {
                "items": {"type": "array", "items": ref("AuditEvent")},
                "next": {"type": ["integer", "null"], "description": "`before` for the next page; null on the last"},
                "operators": {**STRS, "description": "first page only: everyone with an event"},
                "actions": {**STRS, "description": "first page only: the actions there are"}}}),
        }
    },
    "/api/operators": {
        "get": {
            "summary": "The operators of this database and their roles, and who this helper runs as (me; name null: a lone "
            "creator's helper, the owner of its data)",
            "responses": ok({"type": "object", "properties": {
                "me": {"type": "object", "properties": {"name": NULLSTR, "role": {"enum": ["owner", "agent", "viewer"]}}},
                "items": {"type": "array", "items": ref("Operator")}, "roles": STRS}}),
        }
    },
    "/api/operators/{name}": {
        "put": {
            **DASHBOARD_ONLY,
            "summary": "Set an operator's role (owners only, from the dashboard; recorded in the activity log)",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": STR}],
            "requestBody": body({"type": "object", "required": ["role"], "properties": {"role": {"enum": ["owner", "agent", "viewer"]}}}),
            "responses": {**ok("Operator"), "403": ROLE_REFUSED, "404": err("no such operator"),
                          "409": err("that would demote the last owner")},
        }
    },
})
REFUSALS["403"]["description"] = (  # the one object every operation's 403 shares
    "Host not allowed, foreign Origin, not allowed for this caller, or (team mode) not allowed for the helper operator's role: "
    "{error, status, reason: \"role\", role, needed} (reason tells it from a refused token or origin, which are the only 401/403 "
    "answers that call for pairing again). viewer reads; agent also triages, claims, fills and exports comments; owner also manages "
    "products, templates, the model, pairing and roles")

# Live updates (issue 14): helper/api/events.py.
PATHS["/api/events"] = {"get": {
    **DASHBOARD_ONLY,
    "summary": "Live stream of changes in the store (Server-Sent Events), whoever made them: any operator's helper, the CLI",
    "description": "text/event-stream; send the token in X-LinkTriage-Token (read it with fetch: EventSource cannot send "
                   "headers; a token never goes in the URL). Events: `hello` {live, backend} first; `change` {tables, ids, "
                   "accounts, n} (null lists: could be anything, e.g. on SQLite or a large burst; a burst within 0.1 s is one "
                   "event); `resync` {reason}: changes may have been missed, read again; `status` {live}: the helper lost or "
                   "regained the database. A `: ping` comment every 15 s. PostgreSQL: LISTEN/NOTIFY (schema 10's triggers); "
                   "SQLite: PRAGMA data_version every 0.5 s.",
    "responses": {**ok({"type": "string"}, "the stream (it stays open)", media="text/event-stream"),
                  "503": err("every live stream slot (4) is taken, or the database is unavailable (Retry-After)")},
}}

SPEC = {
    "openapi": "3.1.0",
    "info": {
        "title": "LinkTriage helper",
        "version": __version__,
        "description": "Local helper on 127.0.0.1 only (Host allowlist). POST/PUT/PATCH/DELETE need Content-Type: "
        "application/json. Every response carries X-LinkTriage-Version.",
    },
    "servers": [{"url": f"http://127.0.0.1:{DEFAULT_PORT}"}],
    "security": [{"extensionToken": []}, {"dashboardToken": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "extensionToken": {"type": "http", "scheme": "bearer", "description": "token from POST /api/pair"},
            "dashboardToken": {"type": "apiKey", "in": "header", "name": "X-LinkTriage-Token", "description": "embedded in the dashboard page"},
        },
    },
}


@bp.get("/api/openapi.json")
@public
def openapi():
    return SPEC
