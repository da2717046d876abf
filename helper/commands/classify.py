"""`linktriage classify`: JSONL comments on stdin → one JSONL verdict per line on stdout, in order.

    echo '{"id": "c1", "text": "地毯哪里买", "author": "小鹿"}' | linktriage classify --catalog products.csv

It streams: lines are read and answered in chunks (one batched model call per chunk, output flushed
per chunk), so 100k lines run in flat memory and a pipe sees results while input still arrives.
Chunks after the first are answered by worker processes (`--jobs`, one per CPU up to 4), forked once
the model is loaded so none loads it again; the parent reads, hands out chunks, and writes the answers
in input order. A short input never starts a worker (cold start stays one process).
A bad line never stops the run: it gets `{"line": n, "error": "..."}` in its place, and the exit
code becomes 1 so scripts notice. No database is involved.
"""

from __future__ import annotations

import json
import os
import sys
import threading

from helper.errors import UserError
from helper.validation import ItemError, load_json, normalise_decoded_text
from helper.vocab import PLATFORMS

MAX_LINE_BYTES = 1 << 20  # one comment per line; anything bigger is an error, not a memory spike
READ_BYTES = 1 << 20
# One encoder for the run: json.dumps(..., ensure_ascii=False) builds a new one for every line.
_encode = json.JSONEncoder(ensure_ascii=False).encode
_encode_str = json.encoder.encode_basestring  # what that encoder writes a str as (C)


def register(subparsers, common):
    sub = subparsers.add_parser(
        "classify",
        parents=[common],
        help="flag link requests in JSONL comments (stdin → stdout)",
        description=(
            'Read JSONL comments from stdin ({"id", "text"}, optional "note_id", "author", "is_author", '
            '"note_title", "note_desc", "note_sells" (true/false), "parent_text" (the comment replied to), '
            '"note_products" (names of the product cards on the note\'s page)) '
            'and write one JSONL line per input line, in order: {"id", "is_request", "score", "products", '
            '"suggested_reply"} plus "compliance" when the reply has warnings. A bad line gets '
            '{"line": N, "error": "..."}. Exit code 0 when every line was classified, 1 when some '
            "lines were bad, 2 for a usage or catalog error."
        ),
    )
    sub.add_argument("--catalog", metavar="FILE.csv", help="product catalog CSV (name, link, aliases, note_ids, reply)")
    sub.add_argument("--note-id", metavar="N", help="note id for lines that carry none")
    sub.add_argument("--platform", choices=PLATFORMS, default="xhs", help="where the replies go (default: xhs)")
    sub.add_argument("--batch-size", type=int, default=512, metavar="N", help="lines per model call (default: 512)")
    sub.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                     help=f"worker processes for long inputs (default here: {default_jobs()}, one per CPU up to "
                          f"{MAX_JOBS}; 1 answers everything in this process)")
    sub.set_defaults(func=run)


MAX_JOBS = 4
CHUNKS_IN_FLIGHT_PER_JOB = 4  # chunks read ahead of the writer: enough to keep workers busy, memory flat


def default_jobs() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


def run(args) -> int:
    if args.batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    products = []
    if args.catalog:
        from helper.nlp.products import CatalogError, load_catalog_csv

        try:
            products = load_catalog_csv(args.catalog)
        except CatalogError as exc:
            raise UserError(str(exc)) from None
    from helper.nlp import get_analyzer, use_data_dir

    if args.jobs < 1:
        raise UserError("--jobs must be at least 1")
    use_data_dir(args.data_dir)
    _state.update(analyzer=get_analyzer(), products=products, platform=args.platform, note_id=args.note_id,
                  data_dir=args.data_dir)
    if sys.stdin.isatty():
        print("reading JSONL comments from stdin (Ctrl-D to end)", file=sys.stderr)
    out = sys.stdout.buffer
    chunks = _read_chunks(sys.stdin.buffer, args.batch_size)
    had_errors = False
    first = next(chunks, None)
    if first is None:
        return 0
    # The first chunk here: it loads the model (forked workers then share it) and a short input ends
    # without any worker.
    answer, bad = _answer(first)
    out.write(answer)
    out.flush()
    had_errors |= bad
    for answer, bad in _answers(chunks, args.jobs):
        out.write(answer)
        out.flush()
        had_errors |= bad
    return 1 if had_errors else 0


# What the workers need, set before they fork (or by _init_worker where processes are spawned).
_state: dict = {}


def _answer(chunk: tuple[int, list[bytes | None]]) -> tuple[bytes, bool]:
    """The output lines for a chunk (its first line's number, its lines' bytes), and whether any
    line was bad."""
    first, raws = chunk
    default_note_id = _state["note_id"]
    parsed = [_parse(raw, default_note_id) for raw in raws]
    comments = [c for c in parsed if c.__class__ is dict]
    verdicts = iter(_state["analyzer"].analyze(comments, _state["products"], platform=_state["platform"]) if comments else ())
    lines, bad = [], False
    for n, comment in enumerate(parsed, start=first):
        if comment.__class__ is str:
            bad = True
            lines.append(_encode({"line": n, "error": comment}))
        else:
            lines.append(_verdict_line(next(verdicts)))
    lines.append("")
    return "\n".join(lines).encode("utf-8"), bad


def _verdict_line(verdict: dict) -> str:
    """`_encode` of the output row ({"id", "is_request", "score", "products", "suggested_reply"} and
    "compliance" when there is any), written out: the general encoder costs more than the model's
    tokens for these five fields (tests/test_classify_cli.py checks the two agree)."""
    comment_id = verdict["id"]
    products = verdict["products"]
    line = (
        f'{{"id": {_encode_str(comment_id) if comment_id.__class__ is str else _encode(comment_id)}, '
        f'"is_request": {"true" if verdict["is_request"] else "false"}, '
        f'"score": {float.__repr__(verdict["score"])}, '
        f'"products": {"[" + ", ".join(map(_encode_str, products)) + "]" if products else "[]"}, '
        f'"suggested_reply": {_encode_str(verdict["suggested_reply"])}'
    )
    if verdict["compliance"]:
        return f'{line}, "compliance": {_encode(verdict["compliance"])}}}'
    return line + "}"


def _answers(chunks, jobs: int):
    """The answers to the remaining chunks, in order: here, or by `jobs` worker processes."""
    if jobs == 1:
        yield from map(_answer, chunks)
        return
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork where there is one (Linux): workers share the loaded model. macOS and Windows spawn, and each
    # worker loads it (_init_worker). LINKTRIAGE_START_METHOD=spawn lets the tests take that path here.
    method = os.environ.get("LINKTRIAGE_START_METHOD") or ("fork" if "fork" in methods else "spawn")
    context = multiprocessing.get_context(method if method in methods else "spawn")
    # Pool.imap would read all of stdin ahead; a semaphore keeps a few chunks in flight.
    in_flight = threading.BoundedSemaphore(jobs * CHUNKS_IN_FLIGHT_PER_JOB)

    def throttled():
        for number, lines in chunks:
            in_flight.acquire()
            # One bytes object per chunk crosses the pipe, not 512 small ones to pickle and unpickle: the
            # parent's pickling competed with the workers for the two cores.
            overlong = tuple(i for i, line in enumerate(lines) if line is None) if None in lines else ()
            yield number, b"\n".join(line or b"" for line in lines) if overlong else b"\n".join(lines), overlong

    with context.Pool(jobs, initializer=_init_worker, initargs=(_portable_state(),)) as pool:
        for answer in pool.imap(_answer_packed, throttled()):
            in_flight.release()
            yield answer


def _answer_packed(packed: tuple[int, bytes, tuple[int, ...]]) -> tuple[bytes, bool]:
    """`_answer` for a chunk as the parent sends it: its lines joined by newlines (none holds one), and
    which of them were over-long."""
    number, joined, overlong = packed
    lines: list[bytes | None] = joined.split(b"\n")
    for i in overlong:
        lines[i] = None
    return _answer((number, lines))


def _portable_state() -> dict:
    return {k: v for k, v in _state.items() if k != "analyzer"}


def _init_worker(state: dict) -> None:
    if "analyzer" not in _state:  # spawned (no fork): the same model as the parent, loaded here
        from helper.nlp import get_analyzer, use_data_dir

        use_data_dir(state["data_dir"])
        _state.update(state, analyzer=get_analyzer())


def _read_chunks(stream, size: int):
    """(first line's number, up to `size` lines' bytes without their newline) for the whole stream; an
    over-long line is None (its bytes are skipped, never held). Reads big blocks and splits them in C:
    a Python call per line here is what the parent of the worker processes would spend its core on."""
    number, pending = 1, []
    carry, skipping = b"", False  # the start of a line not ended yet; inside an over-long line
    read = getattr(stream, "read1", stream.read)  # what has arrived (a pipe streams), at most READ_BYTES
    while block := read(READ_BYTES):
        if skipping:  # drop the rest of an over-long line, up to its newline
            cut = block.find(b"\n")
            if cut < 0:
                continue
            block, skipping = block[cut + 1:], False
        lines = (carry + block if carry else block).split(b"\n")
        carry = lines.pop()
        if len(carry) > MAX_LINE_BYTES:
            carry, skipping = b"", True
            lines.append(None)
        elif lines and max(map(len, lines)) > MAX_LINE_BYTES:
            lines = [None if len(line) > MAX_LINE_BYTES else line for line in lines]
        pending.extend(lines)
        start = 0
        while len(pending) - start >= size:
            yield number, pending[start:start + size]
            number, start = number + size, start + size
        del pending[:start]
    if carry:  # the last line had no newline
        pending.append(carry)
    for start in range(0, len(pending), size):
        yield number + start, pending[start:start + size]


def _parse(raw: bytes | None, default_note_id: str | None) -> dict | str:
    """The comment dict for the analyzer, or an error message for this line."""
    if raw is None:
        return f"line longer than {MAX_LINE_BYTES} bytes"
    try:
        text_line = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        return f"not UTF-8 (byte {exc.start})"
    if not text_line.strip():
        return "empty line"
    try:
        data = load_json(text_line)  # also: nesting too deep, lone surrogates (replaced)
    except ItemError as exc:
        return str(exc)
    if not isinstance(data, dict):
        return "expected a JSON object"
    if "text" not in data:
        return 'missing "text"'
    if not isinstance(data["text"], str):
        return '"text" must be a string'
    get = data.get
    note_id = get("note_id")
    if note_id in (None, ""):  # absent, null or empty: the --note-id default
        note_id = default_note_id
    author, sells, cards = get("author"), get("note_sells"), get("note_products")
    return {
        "id": get("id"),
        "text": normalise_decoded_text(data["text"]),  # load_json replaced lone surrogates
        "note_id": None if note_id is None else str(note_id),
        "author": author if isinstance(author, str) else None,
        "author_id": get("author_id"),
        "is_author": get("is_author") in (True, "true"),
        # The note and the thread, when the caller knows them (the model reads the note's title).
        "note_title": _optional_text(get("note_title")),
        "note_desc": _optional_text(get("note_desc")),
        "note_sells": sells if sells in (True, False) else None,
        "parent_text": _optional_text(get("parent_text")),
        # The product cards the note's page shows (names): a reply can name the one asked for.
        "note_products": cards if isinstance(cards, list) else None,
    }


def _optional_text(value) -> str | None:
    return value if value.__class__ is str and value.strip() else None
