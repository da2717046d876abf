"""`linktriage ingest FILE`: import comments from a JSONL or CSV file (idempotent by platform + id)."""

from __future__ import annotations

import sys

from helper.ingest import MAX_BATCH


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
    from helper.ingest import ItemError, clean_platform, ingest
    from helper.errors import UserError
    from helper.store import open_for_cli

    try:
        platform = clean_platform(args.platform)
    except ItemError as exc:
        raise UserError(f"--platform: {exc}") from None
    items, problems = read_comment_file(args.file)
    from helper.nlp import use_data_dir

    use_data_dir(args.data_dir)
    db = open_for_cli(args.data_dir)
    stored = duplicates = requests = 0
    skipped = [(line, reason) for line, reason in problems]
    with db:
        for start in range(0, len(items), MAX_BATCH):
            chunk = items[start : start + MAX_BATCH]
            result = ingest([item for _, item in chunk], platform=platform)
            stored += result.stored
            duplicates += result.duplicates
            requests += sum(1 for r in result.results if r["is_request"])
            skipped += [(chunk[s["index"]][0], s["reason"]) for s in result.skipped]
    for line, reason in sorted(skipped):
        print(f"{args.file}:{line}: skipped: {reason}", file=sys.stderr)
    print(
        f"{stored} new comment(s) stored, {duplicates} already known, {len(skipped)} skipped; "
        f"{requests} link request(s) among them"
    )
    return 0
