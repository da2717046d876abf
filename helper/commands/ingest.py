"""`linktriage ingest FILE`: import comments from a JSONL or CSV file (idempotent by platform + id)."""

from __future__ import annotations

import sys

# Rows per write transaction: small enough that the helper, receiving comments at the same time,
# never waits more than a few milliseconds for the lock; large enough to keep the model batched.
CHUNK = 200


def register(subparsers, common):
    p = subparsers.add_parser(
        "ingest",
        parents=[common],
        help="import comments from a JSONL or CSV file",
        description="Import comments (fields: id, note_id, text, optional author, author_id, note_title, "
        "parent_id, created_at as ISO-8601 or epoch ms, platform) from JSONL or CSV, flag the link "
        "requests, and store them. Comments already stored are left as they are.",
    )
    p.add_argument("file", metavar="FILE", help="a .jsonl or .csv file (format sniffed otherwise)")
    p.add_argument("--platform", default="xhs", help="platform for lines that do not say (default xhs)")
    p.set_defaults(func=run)


def run(args) -> int:
    from helper.comments_io import read_comment_file
    from helper.errors import UserError
    from helper.ingest import ingest
    from helper.validation import ItemError, clean_platform
    from helper.progress import Progress
    from helper.store import open_for_cli, retry_when_locked

    try:
        platform = clean_platform(args.platform)
    except ItemError as exc:
        raise UserError(f"--platform: {exc}") from None
    items, problems = read_comment_file(args.file)
    from helper.nlp import use_data_dir

    use_data_dir(args.data_dir)
    from helper.account_models import AccountModels
    from helper.config import resolve_data_dir

    models = AccountModels(resolve_data_dir(args.data_dir))  # each account's own model where it has one
    db = open_for_cli(args.data_dir, args.database)
    stored = duplicates = requests = 0
    skipped = [(line, reason) for line, reason in problems]
    progress = Progress(f"ingest {args.file}", total=len(items), unit="lines")
    # A connection, not one transaction for the file: each chunk commits on its own (ingest()
    # opens a short IMMEDIATE transaction for its writes), so the helper can write in between.
    with db.connection_context():
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            result = retry_when_locked(lambda: ingest([item for _, item in chunk], platform=platform, models=models))
            stored += result.stored
            duplicates += result.duplicates
            requests += sum(1 for r in result.results if r["is_request"])
            skipped += [(chunk[s["index"]][0], s["reason"]) for s in result.skipped]
            progress.advance(len(chunk))
    progress.finish()
    for line, reason in sorted(skipped):
        print(f"{args.file}:{line}: skipped: {reason}", file=sys.stderr)
    print(
        f"{stored} new comment(s) stored, {duplicates} already known, {len(skipped)} skipped; "
        f"{requests} link request(s) among them"
    )
    return 0
