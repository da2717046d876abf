"""The one validation layer for every value that enters: API bodies and queries, `ingest` files,
`classify` lines and the product catalog.

Whatever arrives is made safe to store, compare and print before anything else sees it:

- text: lone surrogates (JSON's "\\ud800" decodes to one, and SQLite's UTF-8 cannot take it) become
  U+FFFD, NUL is dropped (C code and spreadsheets cut the value there), then NFC, then a length cap;
- ids: the same normalisation, but no control characters at all (an id is a key, never free text);
- numbers: ASCII digits only (`int()` takes "٣" and `isdigit()` says yes to "²"), within a range
  SQLite's 64-bit integers and our columns can hold;
- dates: ISO-8601 or epoch milliseconds, within MIN_TIME..MAX_TIME, checked before and after the
  time-zone shift (9999-12-31T23:59:59-01:00 is a valid string whose UTC moment does not exist);
- JSON: nesting deep enough to hit Python's recursion limit is a clear error, not a RecursionError.

A value we cannot take raises ItemError; callers turn that into a skipped item with the reason (a
batch), a 400 (a query parameter) or one line on stderr (a CLI flag), never a 500 or a traceback.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import datetime, timedelta, timezone

MAX_TEXT_CHARS = 10_000  # a comment
MAX_ID_CHARS = 200
MAX_NAME_CHARS = 200  # author, author_id, note author name
MAX_LOCATION_CHARS = 100  # ip_location ("上海")
MAX_TITLE_CHARS = 1_000  # a note's title
MAX_REPLY_CHARS = 2_000  # a suggested reply the creator edits
MAX_COUNT = 10**12  # like counts: far above any real note, far below SQLite's 2**63
MAX_ISO_CHARS = 64
MIN_TIME = datetime(1970, 1, 1)
MAX_TIME = datetime(2100, 1, 1)

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_ASCII_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_PLATFORM = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}", re.ASCII)
_EPOCH_MS_DIGITS = 17  # 10**17 ms is year 3 million: longer digit strings are out of range, not slow
_EPOCH = datetime(1970, 1, 1)
_MIN_MS = int((MIN_TIME - _EPOCH).total_seconds() * 1000)
_MAX_MS = int((MAX_TIME - _EPOCH).total_seconds() * 1000)


class ItemError(ValueError):
    """One value we cannot take; the message is the reason reported back."""


# -- text ------------------------------------------------------------------------------------------
def normalise_text(value: str) -> str:
    """Lone surrogates -> U+FFFD, NUL dropped, NFC. Always safe to encode as UTF-8."""
    if _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    return normalise_decoded_text(value)


def normalise_decoded_text(value: str) -> str:
    """`normalise_text` for a string `load_json` returned, whose lone surrogates are already replaced
    (`linktriage classify` saves a scan of every comment)."""
    if "\0" in value:
        value = value.replace("\0", "")
    return unicodedata.normalize("NFC", value)


def clean_text(value, name: str, max_chars: int, required: bool = False) -> str | None:
    """A free-text field (comment text, author, title): normalised and capped; None stays None."""
    if value is None:
        if required:
            raise ItemError(f"{name} is missing")
        return None
    if not isinstance(value, str):
        raise ItemError(f"{name} must be a string")
    if len(value) > 4 * max_chars:  # don't normalise megabytes only to refuse them
        raise ItemError(f"{name} is longer than {max_chars} characters")
    text = normalise_text(value)
    if len(text) > max_chars:
        raise ItemError(f"{name} is longer than {max_chars} characters")
    return text


def fit_text(value, max_chars: int) -> str | None:
    """A descriptive fact we would rather shorten than refuse (a note title): normalised, cut to size.

    None for anything that is not text or is empty after cleaning.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = normalise_text(str(value)[: 4 * max_chars]).strip()
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text or None


def clean_id(value, name: str, required: bool = False) -> str | None:
    """An id (comment, note, author): a string or integer, no control characters, at most MAX_ID_CHARS."""
    if value is None or value == "":
        if required:
            raise ItemError(f"{name} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ItemError(f"{name} must be a string")
    if isinstance(value, int):
        if abs(value) >= 10**MAX_ID_CHARS:
            raise ItemError(f"{name} is longer than {MAX_ID_CHARS} characters")
        value = str(value)
    if len(value) > 4 * MAX_ID_CHARS:
        raise ItemError(f"{name} is longer than {MAX_ID_CHARS} characters")
    if _CONTROL.search(value) or _SURROGATE.search(value):
        raise ItemError(f"{name} contains control characters or broken text")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        if required:
            raise ItemError(f"{name} is missing")
        return None
    if len(text) > MAX_ID_CHARS:
        raise ItemError(f"{name} is longer than {MAX_ID_CHARS} characters")
    return text


def echo_id(value):
    """An item's id as it may be echoed back in an error report: JSON-safe, short, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 2**63 else None
    if isinstance(value, str):
        return normalise_text(value[:MAX_ID_CHARS])
    return None


def clean_platform(value, default: str = "xhs") -> str:
    """A platform name such as 'xhs': short, lower-case ASCII letters, digits, '_', '.', '-'."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        name = value.strip().lower()
        if _PLATFORM.fullmatch(name):
            return name
    raise ItemError("platform must be a short name such as 'xhs'")


# -- numbers ---------------------------------------------------------------------------------------
def ascii_int(value: str, max_digits: int = 18) -> int | None:
    """int(value) for plain ASCII digits (optional sign, surrounding spaces); None otherwise.

    `max_digits` keeps the result inside SQLite's 64-bit integers and int() away from huge strings.
    """
    text = value.strip()
    if not _ASCII_INT.fullmatch(text) or len(text.lstrip("+-")) > max_digits:
        return None
    return int(text)


def clean_count(value, name: str = "like_count") -> int | None:
    """A count the site shows (likes): 0..MAX_COUNT. Text that is not a number ("1万+") is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not _ASCII_INT.fullmatch(text):
            return None  # "1万+", "12k": the site's display forms are not worth refusing a comment over
        if len(text.lstrip("+-")) > 18:
            raise ItemError(f"{name} is out of range (0 to {MAX_COUNT})")
        value = int(text)
    if not isinstance(value, int):
        return None
    if not 0 <= value <= MAX_COUNT:
        raise ItemError(f"{name} is out of range (0 to {MAX_COUNT})")
    return value


def clean_flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    if isinstance(value, (bool, int)):
        return bool(value)
    return False


# -- dates -----------------------------------------------------------------------------------------
def parse_time(value, name: str = "created_at") -> datetime | None:
    """ISO-8601 (naive = UTC) or epoch milliseconds -> naive UTC datetime in MIN_TIME..MAX_TIME.

    None for empty; ItemError for anything else.
    """
    if value is None or value == "":
        return None
    what = f"{name} must be ISO-8601 or epoch milliseconds"
    if isinstance(value, bool):
        raise ItemError(what)
    if isinstance(value, str):
        text = value.strip()
        if _ASCII_INT.fullmatch(text):
            if len(text.lstrip("+-")) > _EPOCH_MS_DIGITS:
                raise ItemError(f"{name} is out of range ({MIN_TIME.year}-{MAX_TIME.year - 1})")
            value = int(text)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ItemError(what)
        if abs(value) >= 10**_EPOCH_MS_DIGITS:
            raise ItemError(f"{name} is out of range ({MIN_TIME.year}-{MAX_TIME.year - 1})")
        value = int(value)
    if isinstance(value, int):
        # Checked as milliseconds first: timedelta itself overflows long before 10**17 ms.
        if not _MIN_MS <= value < _MAX_MS:
            raise ItemError(f"{name} is out of range ({MIN_TIME.year}-{MAX_TIME.year - 1})")
        moment = _EPOCH + timedelta(milliseconds=value)
    elif isinstance(value, str):
        moment = _parse_iso(value, name)
    else:
        raise ItemError(what)
    if not MIN_TIME <= moment < MAX_TIME:
        raise ItemError(f"{name} is out of range ({MIN_TIME.year}-{MAX_TIME.year - 1})")
    return moment.replace(microsecond=0)


def _parse_iso(value: str, name: str) -> datetime:
    text = value.strip()
    if len(text) > MAX_ISO_CHARS or not text.isascii():
        raise ItemError(f"{name} is not ISO-8601 or epoch milliseconds: {value[:40]!r}")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ItemError(f"{name} is not ISO-8601 or epoch milliseconds: {value[:40]!r}") from None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError):  # the UTC moment of 9999-12-31T23:59:59-01:00 is year 10000
            raise ItemError(f"{name} is out of range ({MIN_TIME.year}-{MAX_TIME.year - 1})") from None
    return moment


# -- records: a comment and its note ---------------------------------------------------------------
def clean_comment(raw, platform: str, default_note_id: str | None) -> dict:
    """One incoming comment -> a Comment row (without verdict). Unknown fields are ignored.

    Every field goes through the cleaners above: a field we cannot take raises ItemError.
    """
    if not isinstance(raw, dict):
        raise ItemError("comment must be a JSON object")
    return {
        "platform": platform,
        "comment_id": clean_id(raw.get("id"), "id", required=True),
        "note_id": clean_id(raw.get("note_id") or default_note_id, "note_id", required=True),
        "parent_id": clean_id(raw.get("parent_id"), "parent_id"),
        "author": clean_text(raw.get("author"), "author", MAX_NAME_CHARS),
        "author_id": clean_id(raw.get("author_id"), "author_id"),
        "text": clean_text(raw.get("text"), "text", MAX_TEXT_CHARS, required=True),
        "created_at": parse_time(raw.get("created_at")),
        "like_count": clean_count(raw.get("like_count")),
        "ip_location": clean_text(raw.get("ip_location"), "ip_location", MAX_LOCATION_CHARS),
        "is_author": clean_flag(raw.get("is_author")),
    }


def clean_reply_to(raw: dict) -> str | None:
    """The comment a reply answers (`reply_to_id`), cleaned; a bad one is only a missing hint (None)."""
    try:
        return clean_id(raw.get("reply_to_id"), "reply_to_id")
    except ItemError:
        return None


def clean_note_facts(note: dict) -> dict:
    """What a batch's `note` tells about it ({"title", "author_id", "author_name"}, the ones given).

    Lenient: a fact we cannot take is left out, never a reason to refuse the note's comments.
    """
    title = fit_text(note.get("title"), MAX_TITLE_CHARS)
    author_name = fit_text(note.get("author_name"), MAX_NAME_CHARS)
    try:
        author_id = clean_id(note.get("author_id"), "note.author_id")
    except ItemError:
        author_id = None
    return {name: value for name, value in (("title", title), ("author_id", author_id), ("author_name", author_name)) if value}


def without_surrogates(value):
    """`value` (parsed JSON) with lone surrogates replaced in every string and key, at any depth.

    Only JSON's \\uD800-style escapes can produce them, so callers check the raw text first (cheap)
    and call this only then. Iterative: the depth json.loads allowed is not a recursion risk here.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if not isinstance(value, (dict, list)):
        return value
    root = [value]
    stack = [(root, 0)]
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = _SURROGATE.sub("\ufffd", item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            fixed = {(_SURROGATE.sub("\ufffd", k) if isinstance(k, str) else k): v for k, v in item.items()}
            item.clear()
            item.update(fixed)
            stack.extend((item, k) for k in item)
    return root[0]


def may_hold_surrogates(raw: str | bytes) -> bool:
    """Could this JSON text decode to a lone surrogate? (Only a \\uD8xx-\\uDFxx escape can make one.)"""
    if isinstance(raw, bytes):
        return b"\\u" in raw and _SURROGATE_ESCAPE_BYTES.search(raw) is not None
    # `in` first: most lines have no \u escape at all, and finding that out is a memchr, not a regex scan
    return "\\u" in raw and _SURROGATE_ESCAPE.search(raw) is not None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


# -- JSON ------------------------------------------------------------------------------------------
def _bounded_int(digits: str):
    """An integer literal; one too long for any field stays its digit string, so the field's own
    check refuses that item (one skipped comment), not Python's int() the whole body."""
    return int(digits) if len(digits) <= 40 else digits


# One decoder for every line: json.loads with parse_int builds a new JSONDecoder on each call.
_DECODER = json.JSONDecoder(parse_int=_bounded_int)
_BLANKS = json.decoder.WHITESPACE.match


def _decode(text: str | bytes):
    """json.loads(text, parse_int=_bounded_int), with the decoder made once."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    elif text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    # JSONDecoder.decode and raw_decode, written out: the C scanner from the first non-blank, then only
    # blanks after the value. The same results and errors without two Python calls per comment.
    try:
        value, end = _DECODER.scan_once(text, _BLANKS(text, 0).end())
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from None
    end = _BLANKS(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def load_json(text: str | bytes):
    """json.loads whose failures, including nesting deep enough for a RecursionError, are ItemError;
    lone surrogates in the result are replaced (they cannot be stored or sent back as UTF-8)."""
    try:
        value = _decode(text)
        return without_surrogates(value) if may_hold_surrogates(text) else value
    except RecursionError:
        raise ItemError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ItemError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except ValueError as exc:  # e.g. an integer literal with more than 4300 digits
        raise ItemError(f"invalid JSON: {str(exc)[:80]}") from None
