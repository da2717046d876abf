"""`linktriage export`: the flagged requests (or all comments) as a spreadsheet-safe CSV."""

from __future__ import annotations

import sys

from helper.vocab import STATUSES


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
    p.add_argument("--status", choices=STATUSES, help="only this triage status")
    p.add_argument("--note-id", metavar="N", help="only this note")
    p.add_argument("--account", metavar="ID", help="only this creator account's comments (its notes' author id; team mode)")
    p.add_argument("--product", metavar="NAME", help="only requests about this product")
    p.add_argument("--since", metavar="DATE", help="created on/after DATE (ISO-8601, e.g. 2026-11-01)")
    p.set_defaults(func=run)


def run(args) -> int:
    import io
    import os
    import tempfile
    from pathlib import Path

    from helper.config import resolve_data_dir
    from helper.errors import UserError
    from helper.export_csv import write_export
    from helper.progress import Progress
    from helper.store import AuditEvent, open_for_cli
    from helper.store.team import cli_operator
    from helper.validation import ItemError, parse_time

    try:
        since = parse_time(args.since, "--since")
    except ItemError as exc:
        raise UserError(f"{exc} (use ISO-8601, e.g. 2026-11-01)") from None
    filters = {"status": args.status, "note_id": args.note_id, "product": args.product, "since": since,
               "account": args.account}
    out = None if args.out == "-" else Path(args.out)
    if out is not None:
        # Checked before any work, so a typo costs nothing and never leaves a temporary file behind.
        if out.is_dir():
            raise UserError(f"--out: {out} is a folder; give a file name")
        if not out.parent.is_dir():
            raise UserError(f"--out: the folder {out.parent} does not exist")
        if not os.access(out.parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
            raise UserError(f"--out: cannot write {out} (permission denied)")
    db = open_for_cli(args.data_dir, args.database)
    progress = Progress("export", unit="rows")
    # A connection, not a transaction: each page is its own short read (see Comment.in_pages).
    with db.connection_context():
        # The activity log has it before the first row is written; the row count once the file is done.
        event = AuditEvent.record("export", cli_operator(resolve_data_dir(args.data_dir)), account=args.account,
                                  what="comments", via="cli", all=args.all,
                                  filters={k: (v.isoformat() + "Z" if hasattr(v, "isoformat") else v)
                                           for k, v in filters.items() if v})
        if out is None:
            # UTF-8 and \r\n whatever the console's encoding; detach so stdout stays open.
            sys.stdout.flush()
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                count = write_export(stream, filters, not args.all, progress.advance)
                stream.flush()
            finally:
                stream.detach()
        else:
            # Write beside the target and rename, so a failure never leaves half a file.
            try:
                fd, tmp = tempfile.mkstemp(prefix=".linktriage-export-", suffix=".csv", dir=out.parent)
            except OSError as exc:
                raise UserError(f"--out: cannot write in {out.parent} ({exc.strerror})") from None
            try:
                with open(fd, "w", encoding="utf-8", newline="") as stream:
                    count = write_export(stream, filters, not args.all, progress.advance)
                os.replace(tmp, out)
            except OSError as exc:
                Path(tmp).unlink(missing_ok=True)
                raise UserError(f"--out: cannot write {out} ({exc.strerror or exc})") from None
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        event.finish_export(count)
    progress.finish()
    if out is not None:
        print(f"{count} row(s) written to {args.out}", file=sys.stderr)
    return 0
