"""helper.validation over a wide table of hostile values: each function returns something safe to
store and send (UTF-8 encodable, in range) or raises ItemError — never anything else."""

from __future__ import annotations

import json
import math
import random
from datetime import datetime

import pytest

from helper import validation as v
from helper.validation import ItemError

NUMBERS = [0, 1, -1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), 2**64, 10**12, 10**12 + 1]
NUMBERS += [s * 10**k + d for k in range(10, 41) for s in (1, -1) for d in (-1, 0, 1)]
FLOATS = [0.0, -0.0, 0.5, 1e12, 1e16, 9.9e16, 1e17, 1e300, 1e308, -1e308, math.inf, -math.inf, math.nan]
STRINGS = [
    "", " ", "0", "-0", "+5", "12", " 12 ", "²", "١٢", "１２", "٣", "1万+", "12k", "1e5", "0x10", "NaN", "inf",
    "9" * 17, "9" * 18, "9" * 19, "9" * 40, "9" * 5000, "-" + "9" * 30, "\ud800", "a\udfffb", "\x00", "a\x00b",
    "\t", "x\ny", "e\u0301", "\u202e", "\ufeff", "＝1", "2026-11-24", "2026-11-24T08:00:00+08:00",
    "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59+14:00", "1969-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "2026-13-40", "2026-11-24T25:00", "z" * 100_000,
]
OTHERS = [None, True, False, [], [1], {}, {"a": 1}, b"bytes", object()]
VALUES = NUMBERS + FLOATS + STRINGS + OTHERS


def _fuzz_strings(count: int = 300) -> list[str]:
    rng = random.Random(12)
    pools = [(0, 0x7F), (0x80, 0x2FF), (0x300, 0x36F), (0x2000, 0x206F), (0x3000, 0x303F), (0x4E00, 0x4E80),
             (0xD800, 0xDFFF), (0xFF00, 0xFFEF), (0x1F600, 0x1F64F)]
    out = []
    for _ in range(count):
        out.append("".join(chr(rng.randint(*rng.choice(pools))) for _ in range(rng.randint(1, 12))))
    return out


def _encodable(value) -> None:
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # raises on a surrogate


CHECKS = {
    "parse_time": lambda x: v.parse_time(x),
    "clean_count": lambda x: v.clean_count(x),
    "clean_id": lambda x: v.clean_id(x, "id", required=True),
    "clean_text": lambda x: v.clean_text(x, "text", 1000),
    "clean_platform": lambda x: v.clean_platform(x),
    "fit_text": lambda x: v.fit_text(x, 50),
    "echo_id": lambda x: v.echo_id(x),
    "clean_flag": lambda x: v.clean_flag(x),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_only_item_errors_and_safe_results(name):
    check = CHECKS[name]
    for value in VALUES + _fuzz_strings():
        try:
            result = check(value)
        except ItemError:
            continue
        if isinstance(result, datetime):
            assert v.MIN_TIME <= result < v.MAX_TIME, (value, result)
        elif isinstance(result, int) and not isinstance(result, bool) and name == "clean_count":
            assert 0 <= result <= v.MAX_COUNT, (value, result)
        else:
            _encodable(result)
        if isinstance(result, str):
            assert "\x00" not in result and len(result) <= 100_000


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12), (" 7 ", 7), (3, 3), (3.0, 3), ("1万+", None), ("²", None), ("١٢", None), (None, None), (True, None),
    ],
)
def test_clean_count(value, expected):
    assert v.clean_count(value) == expected


@pytest.mark.parametrize("value", [-1, 10**12 + 1, 2**63, "99999999999999999999", 1e300])
def test_clean_count_out_of_range(value):
    with pytest.raises(ItemError, match="out of range"):
        v.clean_count(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-11-24T08:00:00+08:00", datetime(2026, 11, 24)),
        (1764000000000, datetime(2025, 11, 24, 16)),
        ("1764000000000", datetime(2025, 11, 24, 16)),
        (0, datetime(1970, 1, 1)),
        ("2099-12-31T23:59:59Z", datetime(2099, 12, 31, 23, 59, 59)),
    ],
)
def test_parse_time_in_range(value, expected):
    assert v.parse_time(value) == expected


@pytest.mark.parametrize(
    "value",
    [99999999999999999, "99999999999999999", -1, 9.9e16, math.nan, "9999-12-31T23:59:59-01:00",
     "0001-01-01T00:00:00+01:00", "2100-01-01T00:00:00Z", "²", "１２"],
)
def test_parse_time_refuses(value):
    with pytest.raises(ItemError):
        v.parse_time(value)


def test_text_is_normalised():
    assert v.clean_text("a\ud800\x00e\u0301", "t", 10) == "a\ufffdé"
    with pytest.raises(ItemError, match="longer than 3"):
        v.clean_text("abcd", "t", 3)


def test_ids_refuse_control_characters_and_broken_text():
    assert v.clean_id(" a/b ", "id") == "a/b" and v.clean_id(12, "id") == "12"
    for bad in ("a\tb", "a\x00b", "a\ud800", "i" * 201, ["x"], True, 10**300):
        with pytest.raises(ItemError):
            v.clean_id(bad, "id")


def test_load_json_deep_long_and_surrogates():
    with pytest.raises(ItemError, match="nested too deeply"):
        v.load_json("[" * 100_000 + "]" * 100_000)
    assert v.load_json('{"n": ' + "9" * 5000 + "}") == {"n": "9" * 5000}  # the field's check refuses it
    assert v.load_json('{"a\\ud800": ["\\udfff", "\\ud83d\\ude00"]}') == {"a\ufffd": ["\ufffd", "\U0001f600"]}
    with pytest.raises(ItemError, match="invalid JSON"):
        v.load_json(b'{"a": "\xff"}')
