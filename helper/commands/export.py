"""`linktriage export`: the flagged requests (or all comments) as a spreadsheet-safe CSV."""

from __future__ import annotations

import sys


def register(subparsers, common):
    p = subparsers.add_parser(
        "export",
        parents=[common],
        help="export link requests (or all comments) as CSV",
        description="Write a CSV (UTF-8 with BOM, RFC 4180, formula cells neutralised) of the flagged link "
        "requests, newest first; --all exports every captured comment.",
    )
    p.add_argument("--out", default="-", metavar="FILE", help="output file, or - for stdout (default)")
    p.add_argument("--all", action="store_true", help="every comment, not only requests")
    p.add_argument("--status", choices=["new", "replied", "ignored"], help="only this triage status")
    p.add_argument("--note-id", metavar="N", help="only this note")
    p.add_argument("--product", metavar="NAME", help="only requests about this product")
    p.add_argument("--since", metavar="DATE", help="created on/after DATE (ISO-8601, e.g. 2026-11-01)")
    p.set_defaults(func=run)


def run(args) -> int:
    import io
    import os
    import tempfile
    from pathlib import Path

    from helper.errors import UserError
    from helper.export_csv import write_export
    from helper.ingest import ItemError, parse_time
    from helper.store import Comment, open_for_cli

    try:
        since = parse_time(args.since)
    except ItemError:
        raise UserError(f"--since: {args.since!r} is not a date (use ISO-8601, e.g. 2026-11-01)") from None
    filters = {"status": args.status, "note_id": args.note_id, "product": args.product, "since": since}
    db = open_for_cli(args.data_dir)
    with db:
        query = Comment.filtered(filters, requests_only=not args.all)
        if args.out == "-":
            # UTF-8 and \r\n whatever the console's encoding; detach so stdout stays open.
            sys.stdout.flush()
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                count = write_export(stream, query)
                stream.flush()
            finally:
                stream.detach()
        else:
            out = Path(args.out)
            if not out.parent.is_dir():
                raise UserError(f"--out: the folder {out.parent} does not exist")
            # Write beside the target and rename, so a failure never leaves half a file.
            fd, tmp = tempfile.mkstemp(prefix=".linktriage-export-", suffix=".csv", dir=out.parent)
            try:
                with open(fd, "w", encoding="utf-8", newline="") as stream:
                    count = write_export(stream, query)
                os.replace(tmp, out)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    if args.out != "-":
        print(f"{count} row(s) written to {args.out}", file=sys.stderr)
    return 0
