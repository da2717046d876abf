"""Taking in a batch of comments: validate each, store the new ones with the analyzer's verdict.

Shared by `POST /api/comments` and `linktriage ingest`. A bad item never fails the batch: it goes
into `skipped` with a reason. Re-sent comments are not re-stored or re-analysed; their stored
verdict comes back instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from helper.store import Comment, Note, Product, utcnow

MAX_BATCH = 500
MAX_TEXT_CHARS = 10_000
MAX_ID_CHARS = 200
DEFAULT_PLATFORM = "xhs"


class ItemError(ValueError):
    """One comment we cannot take; the message is the reason reported back."""


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    results: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "results": self.results,
            "skipped": self.skipped,
        }


def parse_time(value) -> datetime | None:
    """ISO-8601 (naive = UTC) or epoch milliseconds -> naive UTC datetime; None for empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ItemError("created_at must be ISO-8601 or epoch milliseconds")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if isinstance(value, (int, float)):
        try:
            moment = datetime.fromtimestamp(value / 1000, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise ItemError("created_at is out of range") from None
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ItemError(f"created_at is not ISO-8601 or epoch milliseconds: {value[:40]!r}") from None
    else:
        raise ItemError("created_at must be ISO-8601 or epoch milliseconds")
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _id(value, name: str, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise ItemError(f"{name} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ItemError(f"{name} must be a string")
    text = str(value).strip()
    if not text and required:
        raise ItemError(f"{name} is missing")
    if len(text) > MAX_ID_CHARS:
        raise ItemError(f"{name} is longer than {MAX_ID_CHARS} characters")
    return text or None


def _text(value, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError(f"{name} must be a string")
    return value


def _like_count(value) -> int | None:
    # The site sends counts as strings ("12"); "1万+" and the like are not worth rejecting a comment over.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def clean_comment(raw, platform: str, default_note_id: str | None) -> dict:
    """One incoming comment -> a Comment row (without verdict). Unknown fields are ignored."""
    if not isinstance(raw, dict):
        raise ItemError("comment must be a JSON object")
    text = raw.get("text")
    if not isinstance(text, str):
        raise ItemError("text is missing" if text is None else "text must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise ItemError(f"text is longer than {MAX_TEXT_CHARS} characters")
    row = {
        "platform": platform,
        "comment_id": _id(raw.get("id"), "id", required=True),
        "note_id": _id(raw.get("note_id") or default_note_id, "note_id", required=True),
        "parent_id": _id(raw.get("parent_id"), "parent_id", required=False),
        "author": _text(raw.get("author"), "author"),
        "author_id": _id(raw.get("author_id"), "author_id", required=False),
        "text": text,
        "created_at": parse_time(raw.get("created_at")),
        "like_count": _like_count(raw.get("like_count")),
        "ip_location": _text(raw.get("ip_location"), "ip_location"),
        "is_author": _flag(raw.get("is_author")),
    }
    return row


def clean_platform(value) -> str:
    if value is None or value == "":
        return DEFAULT_PLATFORM
    if not isinstance(value, str) or not value.isascii() or not value.strip() or len(value) > 40:
        raise ItemError("platform must be a short name such as 'xhs'")
    return value.strip().lower()


def ingest(items: list, platform: str = DEFAULT_PLATFORM, note: dict | None = None, analyzer=None) -> IngestResult:
    """Store the new comments among `items` (dicts as in POST /api/comments) and return the verdicts.

    `note` is the batch's note ({"id", "title", "author_id", "author_name"}); items may also carry
    `note_title` (the ingest file format). Runs `analyzer` (default: helper.nlp.get_analyzer()) on new
    comments only, once per platform in the batch. Needs a bound, connected database.

    Reads first, then the model (no lock held), then one write transaction for the notes and the
    comments: the dashboard's writes never wait for the model.
    """
    note = note if isinstance(note, dict) else {}
    default_note_id = note.get("id") if isinstance(note.get("id"), (str, int)) else None
    result = IngestResult()
    accepted: list[dict] = []  # in input order; may repeat an id (later copies are duplicates)
    note_facts: dict[tuple[str, str], dict] = {}
    for index, raw in enumerate(items):
        try:
            own_platform = isinstance(raw, dict) and raw.get("platform") not in (None, "")
            row = clean_comment(raw, clean_platform(raw["platform"]) if own_platform else platform, default_note_id)
        except ItemError as exc:
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            result.skipped.append({"index": index, "id": raw_id if isinstance(raw_id, (str, int)) else None, "reason": str(exc)})
            continue
        accepted.append(row)
        facts = note_facts.setdefault((row["platform"], row["note_id"]), {})
        if isinstance(raw.get("note_title"), str) and raw["note_title"]:
            facts.setdefault("title", raw["note_title"])
    _add_batch_note(note_facts, note, default_note_id, platform)

    stored_notes = _stored_notes(note_facts)
    verdicts = _stored_verdicts(accepted)  # (platform, id) -> verdict, for comments already stored
    new_rows = _new_rows(accepted, verdicts)
    if new_rows:
        _mark_authors(new_rows, note_facts, stored_notes)
        _analyze(new_rows, analyzer)
    # A note is written only when it is new or the batch tells something new about it.
    news = {key: facts for key, facts in note_facts.items() if _tells_news(facts, stored_notes.get(key))}
    if news or new_rows:
        with Comment._meta.database.atomic("IMMEDIATE"):
            for (plat, note_id), facts in news.items():
                Note.remember(plat, note_id, **facts)
            result.stored = Comment.insert_new(new_rows)
            if result.stored == len(new_rows):
                verdicts.update(((r["platform"], r["comment_id"]), Comment.new_verdict(r)) for r in new_rows)
            else:
                # Another request stored some of them since we looked: theirs is the verdict that counts.
                verdicts.update(_stored_verdicts(new_rows))

    stored_now = {(r["platform"], r["comment_id"]) for r in new_rows}
    reported = set()
    for row in accepted:
        key = (row["platform"], row["comment_id"])
        if key not in stored_now or key in reported:
            result.duplicates += 1
        reported.add(key)
        verdict = verdicts.get(key)
        if verdict is not None:
            result.results.append(verdict)
    return result


def _add_batch_note(note_facts: dict, note: dict, default_note_id, platform: str) -> None:
    """The batch's `note` facts win over titles the items carry (the ingest file format)."""
    if default_note_id is None:
        return
    facts = note_facts.setdefault((platform, str(default_note_id)), {})
    for field_name, api_name in (("title", "title"), ("author_id", "author_id"), ("author_name", "author_name")):
        value = note.get(api_name)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            facts[field_name] = str(value)


def _stored_verdicts(rows: list[dict]) -> dict[tuple[str, str], dict]:
    by_platform: dict[str, list[str]] = {}
    for row in rows:
        by_platform.setdefault(row["platform"], []).append(row["comment_id"])
    found = {}
    for plat, ids in by_platform.items():
        for cid, verdict in Comment.stored_verdicts(plat, ids).items():
            found[(plat, cid)] = verdict
    return found


def _new_rows(accepted: list[dict], known: dict) -> list[dict]:
    """Rows whose (platform, id) is neither stored (`known`) nor earlier in this batch."""
    seen: set = set()
    new_rows = []
    for row in accepted:
        key = (row["platform"], row["comment_id"])
        if key in known or key in seen:
            continue
        seen.add(key)
        new_rows.append(row)
    return new_rows


def _stored_notes(note_facts: dict) -> dict[tuple[str, str], dict]:
    by_platform: dict[str, list[str]] = {}
    for plat, note_id in note_facts:
        by_platform.setdefault(plat, []).append(note_id)
    found = {}
    for plat, note_ids in by_platform.items():
        for note_id, facts in Note.stored_facts(plat, note_ids).items():
            found[(plat, note_id)] = facts
    return found


def _tells_news(facts: dict, stored: dict | None) -> bool:
    """Would Note.remember change anything? (It ignores empty facts and keeps the stored ones.)"""
    return stored is None or any(value and stored.get(name) != value for name, value in facts.items())


def _mark_authors(rows: list[dict], note_facts: dict, stored_notes: dict) -> None:
    """A comment by the note's own author is never a request; tell the analyzer who that is.

    The author is the one this batch names for the note, else the one stored earlier.
    """
    authors = {key: facts["author_id"] for key, facts in stored_notes.items() if facts.get("author_id")}
    for key, facts in note_facts.items():
        if facts.get("author_id"):
            authors[key] = facts["author_id"]
    for row in rows:
        author = authors.get((row["platform"], row["note_id"]))
        if author and row["author_id"] == author:
            row["is_author"] = True


def _analyze(rows: list[dict], analyzer=None) -> None:
    if analyzer is None:
        from helper.nlp import get_analyzer

        analyzer = get_analyzer()
    by_platform: dict[str, list[dict]] = {}
    for row in rows:
        by_platform.setdefault(row["platform"], []).append(row)
    catalog = Product.catalog()
    now = utcnow()
    for plat, plat_rows in by_platform.items():
        payload = [
            {
                "id": r["comment_id"],
                "text": r["text"],
                "note_id": r["note_id"],
                "author": r["author"],
                "author_id": r["author_id"],
                "is_author": r["is_author"],
            }
            for r in plat_rows
        ]
        verdicts = analyzer.analyze(payload, catalog, platform=plat)
        for row, verdict in zip(plat_rows, verdicts):
            row.update(
                is_request=bool(verdict.get("is_request")) and not row["is_author"],
                score=float(verdict.get("score") or 0.0),
                products=list(verdict.get("products") or []),
                suggested_reply=verdict.get("suggested_reply") or "",
                compliance=list(verdict.get("compliance") or []),
                model_version=str(getattr(analyzer, "model_version", "") or "") or None,
                captured_at=now,
            )
