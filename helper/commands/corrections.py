"""`linktriage corrections export|import`: the creator's corrections as JSONL, theirs to keep and move.

Corrections are what makes the model the creator's (helper/retraining.py learns them on top of the
base model). Export writes one JSON object a line: the comment as `linktriage ingest` reads it
(`platform`, `id`, `note_id`, `note_title`, `text`, `parent_id`, `author`, `author_id`, `created_at`)
plus `correction` (`missed` = is a request, `not_request`) and `label` (the truth, for other tools).

Import sets each line's correction on the stored comment; a comment not stored yet (another data
dir, a new computer) is ingested first, so its correction counts too. Lines are checked like ingest's;
a bad line is reported and skipped. A running helper learns the imported corrections within its next
check (about 30 s); otherwise on its next start.
"""

from __future__ import annotations

import json
import sys

from helper.errors import UserError

FIELDS = ("platform", "id", "note_id", "note_title", "text", "parent_id", "author", "author_id", "created_at")
CHUNK = 200


def register(subparsers, common):
    p = subparsers.add_parser(
        "corrections", parents=[common], help="export or import your corrections (JSONL)",
        description="Your corrections (comments you marked 'not a request' or 'missed request') as JSONL: "
                    "export them to keep or move them, import them into another data dir.",
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    export = sub.add_parser("export", parents=[common], help="write every correction as JSONL")
    export.add_argument("--out", metavar="FILE", default="-", help="file to write (default: stdout)")
    export.set_defaults(func=run_export)
    load = sub.add_parser("import", parents=[common], help="set the corrections of a JSONL file")
    load.add_argument("file", metavar="FILE", help="a JSONL file written by `corrections export`")
    load.set_defaults(func=run_import)


def exported_rows():
    """Every correction with its comment and note title, oldest correction row first (bound db)."""
    import peewee as pw

    from helper.store import Comment, Note, isoformat_utc

    query = (
        Comment.select(Comment, Note.title.alias("note_title"))
        .join(Note, pw.JOIN.LEFT_OUTER, on=(Note.platform == Comment.platform) & (Note.note_id == Comment.note_id))
        .where(Comment.correction.is_null(False))
        .order_by(Comment.id)
        .objects()
    )
    for c in query:
        yield {
            "platform": c.platform, "id": c.comment_id, "note_id": c.note_id, "note_title": c.note_title,
            "text": c.text, "parent_id": c.parent_id, "author": c.author, "author_id": c.author_id,
            "created_at": isoformat_utc(c.created_at), "correction": c.correction, "label": c.correction == "missed",
        }


def run_export(args) -> int:
    from helper.store import open_for_cli

    db = open_for_cli(args.data_dir, args.database)
    out = sys.stdout if args.out == "-" else None
    count = 0
    try:
        handle = out or open(args.out, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    try:
        with db.connection_context():
            for row in exported_rows():
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if out is None:
            handle.close()
    print(f"{count} correction(s) exported" + ("" if out else f" to {args.out}"), file=sys.stderr)
    return 0


def _correction_of(item: dict) -> str:
    """The line's correction: `correction`, else the truth in `label` (a file from another tool)."""
    from helper.vocab import CORRECTIONS
    from helper.validation import ItemError

    value = item.get("correction")
    if value in CORRECTIONS:
        return value
    if value is None and isinstance(item.get("label"), bool):
        return "missed" if item["label"] else "not_request"
    raise ItemError(f"correction must be one of {', '.join(CORRECTIONS)} (or give a boolean label)")


def run_import(args) -> int:
    from helper.comments_io import read_comment_file
    from helper.ingest import ingest
    from helper.nlp import use_data_dir
    from helper.config import resolve_data_dir
    from helper.store import AuditEvent, Comment, open_for_cli, retry_when_locked, write_transaction
    from helper.store.team import cli_operator
    from helper.validation import ItemError, clean_id, clean_platform

    items, problems = read_comment_file(args.file)
    skipped = list(problems)
    wanted = []  # (line, platform, id, correction, item)
    for line, item in items:
        try:
            platform = clean_platform(item.get("platform"))
            comment_id = clean_id(item.get("id"), "id", required=True)
            wanted.append((line, platform, comment_id, _correction_of(item), item))
        except ItemError as exc:
            skipped.append((line, str(exc)))
    use_data_dir(args.data_dir)  # comments new to this data dir are classified by its model
    db = open_for_cli(args.data_dir, args.database)
    operator = cli_operator(resolve_data_dir(args.data_dir))
    set_count = unchanged = ingested = 0
    with db.connection_context():
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            by_platform: dict[str, list] = {}
            for entry in chunk:
                by_platform.setdefault(entry[1], []).append(entry)
            for platform, entries in by_platform.items():
                stored = {c.comment_id: c for c in Comment.select().where(
                    (Comment.platform == platform) & Comment.comment_id.in_([e[2] for e in entries]))}
                missing = [e for e in entries if e[2] not in stored]
                if missing:
                    fresh = [{k: e[4].get(k) for k in FIELDS if e[4].get(k) is not None} for e in missing]
                    result = retry_when_locked(lambda: ingest(fresh, platform=platform))
                    ingested += result.stored
                    skipped += [(missing[s["index"]][0], s["reason"]) for s in result.skipped]
                    stored.update({c.comment_id: c for c in Comment.select().where(
                        (Comment.platform == platform) & Comment.comment_id.in_([e[2] for e in missing]))})

                def write():
                    changed = same = 0
                    with write_transaction(db):
                        for _, _, comment_id, correction, _ in entries:
                            comment = stored.get(comment_id)
                            if comment is None:
                                continue  # skipped by ingest, reported above
                            if comment.correction == correction:
                                same += 1
                                continue
                            changed += Comment.update(correction=correction).where(Comment.id == comment.id).execute()
                            # In the activity log with the change (one transaction), as the data dir's operator.
                            AuditEvent.record("correction", operator, comment, **{"from": comment.correction, "to": correction},
                                              label=correction == "missed", via="cli")
                    return changed, same

                changed, same = retry_when_locked(write)
                set_count += changed
                unchanged += same
    for line, reason in sorted(skipped):
        print(f"{args.file}:{line}: skipped: {reason}", file=sys.stderr)
    print(f"{set_count} correction(s) set, {unchanged} already so, {ingested} comment(s) new to this data dir, "
          f"{len(skipped)} skipped; a running helper learns them within a minute")
    return 0
