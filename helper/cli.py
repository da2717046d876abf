"""The `linktriage` command: a thin dispatcher over one module per subcommand.

Each module in `helper.commands` exposes `register(subparsers, common)`; it adds its parser
(with `parents=[common]` so every subcommand knows `--data-dir` and `--database`) and sets `func`, which returns an
exit code. Modules import heavy things (spaCy, Flask) inside their `run`, so `--help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from helper import __version__
from helper.errors import UserError

# Order here is the order `linktriage --help` lists them.
COMMANDS = ["serve", "ingest", "products", "export", "classify", "train", "corrections", "evaluate", "db", "operators"]


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line, or, when `argv` starts with a command's name, the part that parses it:
    importing every command module (corpus and training code for `train` and `evaluate`) cost
    `linktriage classify` ~40 ms of its cold start."""
    wanted = argv[0] if argv and argv[0] in COMMANDS else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the database lives (default: $LINKTRIAGE_DATA_DIR, else the platform's user data dir)",
    )
    common.add_argument(
        "--database",
        metavar="URL",
        help="a team's shared PostgreSQL database instead of the SQLite file in the data dir: "
        "postgresql://user[:password]@host:port/dbname, optionally ?max_connections=N&stale_timeout=S "
        "(the helper's pool: at most N connections, each reused up to S seconds) "
        "(default: $LINKTRIAGE_DATABASE_URL, else the file)",
    )
    parser = argparse.ArgumentParser(
        prog="linktriage",
        description="LinkTriage: find 求链接 / where-to-buy requests in comments and answer them fast.",
    )
    parser.add_argument("--version", action="version", version=f"linktriage {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        if wanted in (None, name):
            importlib.import_module(f"helper.commands.{name}").register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"linktriage {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `linktriage export - | head` closes the pipe early; that is not an error.
        return 0
    except OSError as exc:
        # The disk, a permission or a path the command did not check itself: still one clear line.
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"linktriage {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except Exception as exc:
        # A team database server lost in the middle of a command: one clear line too (exit 2).
        from helper.store.db import first_line, is_unreachable

        if not is_unreachable(exc):
            raise
        print(f"linktriage {args.command}: error: lost the database server: {first_line(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
