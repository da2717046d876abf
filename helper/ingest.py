"""Taking in a batch of comments: store the new ones with the analyzer's verdict.

Shared by `POST /api/comments` and `linktriage ingest`. Each item is validated by helper.validation
(`clean_comment`); this module stores. A bad item never fails the batch: it goes into `skipped` with
a reason. Re-sent comments are not re-stored or re-analysed; their stored verdict comes back instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helper.store import Comment, Note, Product, utcnow, write_transaction
from helper.validation import (
    MAX_TITLE_CHARS,
    ItemError,
    clean_comment,
    clean_id,
    clean_note_facts,
    clean_platform,
    clean_reply_to,
    echo_id,
    fit_text,
)

DEFAULT_PLATFORM = "xhs"


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    results: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    # The cleaned comments (Comment rows, input order, stored now or before) and, for the replies that
    # name it, the comment each answers: what helper/thread_replies.py reads, never the raw request items.
    accepted: list[dict] = field(default_factory=list)
    reply_to: dict[tuple[str, str], str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "results": self.results,
            "skipped": self.skipped,
        }


def ingest(items: list, platform: str = DEFAULT_PLATFORM, note: dict | None = None, analyzer=None,
           models=None) -> IngestResult:
    """Store the new comments among `items` (dicts as in POST /api/comments) and return the verdicts.

    `note` is the batch's note ({"id", "title", "author_id", "author_name"}); items may also carry
    `note_title` (the ingest file format). Runs `analyzer` (default: helper.nlp.get_analyzer()) on new
    comments only, once per platform and account in the batch; with `models`
    (helper.account_models.AccountModels) each account's comments are scored by that account's model
    (its own when its corrections trained one, else the shared one). Needs a bound, connected database.

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
            result.skipped.append({"index": index, "id": echo_id(raw_id), "reason": str(exc)})
            continue
        accepted.append(row)
        answered = clean_reply_to(raw)
        if answered:
            result.reply_to[(row["platform"], row["comment_id"])] = answered
        facts = note_facts.setdefault((row["platform"], row["note_id"]), {})
        title = fit_text(raw.get("note_title"), MAX_TITLE_CHARS)
        if title:
            facts.setdefault("title", title)
    _add_batch_note(note_facts, note, default_note_id, platform)

    result.accepted = accepted
    stored_notes = _stored_notes(note_facts)
    verdicts = _stored_verdicts(accepted)  # (platform, id) -> verdict, for comments already stored
    new_rows = _new_rows(accepted, verdicts)
    if new_rows:
        _mark_authors(new_rows, note_facts, stored_notes)
        _analyze(new_rows, analyzer, _note_titles(note_facts, stored_notes), _parent_texts(new_rows, accepted), models)
    # A note is written only when it is new or the batch tells something new about it.
    news = {key: facts for key, facts in note_facts.items() if _tells_news(facts, stored_notes.get(key))}
    if news or new_rows:
        with write_transaction(Comment._meta.database):
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
    try:
        note_id = clean_id(default_note_id, "note.id")
    except ItemError:
        return  # each item that relies on it is skipped with the reason
    if note_id is None:
        return
    note_facts.setdefault((platform, note_id), {}).update(clean_note_facts(note))


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
    """A comment by the note's own author is never a request; tell the analyzer who that is. Every
    new comment belongs to that author's account (`account`; None while the author is not known).

    The author is the one this batch names for the note, else the one stored earlier.
    """
    authors = {key: facts["author_id"] for key, facts in stored_notes.items() if facts.get("author_id")}
    for key, facts in note_facts.items():
        if facts.get("author_id"):
            authors[key] = facts["author_id"]
    for row in rows:
        author = authors.get((row["platform"], row["note_id"]))
        row["account"] = author or None
        if author and row["author_id"] == author:
            row["is_author"] = True


def _note_titles(note_facts: dict, stored_notes: dict) -> dict[tuple[str, str], str]:
    """(platform, note_id) -> title, from the batch or the database: the model reads the note."""
    titles = {key: facts["title"] for key, facts in stored_notes.items() if facts.get("title")}
    titles.update((key, facts["title"]) for key, facts in note_facts.items() if facts.get("title"))
    return titles


def _parent_texts(rows: list[dict], accepted: list[dict]) -> dict[tuple[str, str], str]:
    """(platform, comment_id) -> text of each parent the new replies answer, from the batch or the
    database: an echo reply ("同求") takes its parent's verdict (helper/nlp/threads.py)."""
    wanted = {(r["platform"], r["parent_id"]) for r in rows if r.get("parent_id")}
    if not wanted:
        return {}
    texts = {(r["platform"], r["comment_id"]): r["text"] for r in accepted if (r["platform"], r["comment_id"]) in wanted}
    missing = wanted - texts.keys()
    if missing:
        query = Comment.select(Comment.platform, Comment.comment_id, Comment.text).where(
            Comment.comment_id.in_([cid for _, cid in missing]))
        texts.update(((c.platform, c.comment_id), c.text) for c in query if (c.platform, c.comment_id) in missing)
    return texts


def _analyze(rows: list[dict], analyzer=None, titles: dict | None = None, parents: dict | None = None,
             models=None) -> None:
    if analyzer is None and models is None:
        from helper.nlp import get_analyzer

        analyzer = get_analyzer()
    # One analyzer call per platform and account: a comment is attributed with its account's products
    # and the shared ones (Product.catalog_for).
    groups: dict[tuple[str, str | None], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["platform"], row.get("account")), []).append(row)
    now = utcnow()
    for (plat, account), plat_rows in groups.items():
        catalog = Product.catalog_for(account)
        scorer = models.analyzer_for(account) if models is not None else analyzer
        payload = [
            {
                "id": r["comment_id"],
                "text": r["text"],
                "note_id": r["note_id"],
                "author": r["author"],
                "author_id": r["author_id"],
                "is_author": r["is_author"],
                "note_title": (titles or {}).get((r["platform"], r["note_id"])),
                "parent_text": (parents or {}).get((r["platform"], r.get("parent_id"))),
            }
            for r in plat_rows
        ]
        verdicts = scorer.analyze(payload, catalog, platform=plat)
        for row, verdict in zip(plat_rows, verdicts):
            row.update(
                is_request=bool(verdict.get("is_request")) and not row["is_author"],
                score=float(verdict.get("score") or 0.0),
                products=list(verdict.get("products") or []),
                suggested_reply=verdict.get("suggested_reply") or "",
                compliance=list(verdict.get("compliance") or []),
                model_version=str(getattr(scorer, "model_version", "") or "") or None,
                captured_at=now,
            )
