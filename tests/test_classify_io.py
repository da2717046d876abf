"""`linktriage classify`'s own input and output code: the block reader and the written-out verdict line.

Both replace general library calls for speed (a readline per line, json's encoder per row), so each is
checked against what it replaces, on the cases where they could differ."""

import io
import json

import pytest

from helper.commands import classify


class Trickle(io.RawIOBase):
    """A stream that hands out at most `step` bytes per read, like a pipe that is slower than us."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step, self.at = data, step, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        piece = self.data[self.at:self.at + min(self.step, len(buffer))]
        buffer[:len(piece)] = piece
        self.at += len(piece)
        return len(piece)


def readline_reference(data: bytes, limit: int) -> list[bytes | None]:
    """What the reader must yield, line by line: readline's split at b"\\n", a line over `limit` bytes
    (newline not counted) as None."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return [None if len(line) > limit else line for line in lines]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a\n",
        b"a",  # no newline at the end
        b"a\nb\nc",
        b"\n\n\n",
        b"x" * 10 + b"\n",  # exactly the limit
        b"x" * 11 + b"\n",  # one over
        b"x" * 11,  # over, at the end, no newline
        b"short\n" + b"y" * 40 + b"\nafter\n",  # over the limit across several blocks
        b"y" * 40,
        b"a\r\nb\r\n",  # CRLF: the \r stays (JSON ignores it)
        b"\xef\xbb\xbf{}\n{}\n",
        b"1\n" + b"z" * 12 + b"\n" + b"2\n" + b"w" * 25 + b"\n3",
    ],
)
@pytest.mark.parametrize("step", [1, 3, 7, 64])
@pytest.mark.parametrize("size", [1, 2, 5])
def test_reader_yields_readlines_lines_numbered(monkeypatch, data, step, size):
    monkeypatch.setattr(classify, "MAX_LINE_BYTES", 10)
    monkeypatch.setattr(classify, "READ_BYTES", 8)
    stream = io.BufferedReader(Trickle(data, step), buffer_size=8)
    chunks = list(classify._read_chunks(stream, size))
    expected = readline_reference(data, 10)
    assert [line for _, lines in chunks for line in lines] == expected
    assert all(0 < len(lines) <= size for _, lines in chunks)
    assert [n for n, _ in chunks] == list(range(1, len(expected) + 1, size))


def test_reader_drops_a_line_of_many_blocks_and_goes_on(monkeypatch):
    monkeypatch.setattr(classify, "MAX_LINE_BYTES", 10)
    monkeypatch.setattr(classify, "READ_BYTES", 8)
    data = b"first\n" + b"q" * 10_000 + b"\nok\n"
    chunks = list(classify._read_chunks(io.BufferedReader(Trickle(data, 5), buffer_size=8), 4))
    assert chunks == [(1, [b"first", None, b"ok"])]


@pytest.mark.parametrize(
    "verdict",
    [
        {"id": "c1", "is_request": True, "score": 0.9731, "products": ["羊毛地毯"], "suggested_reply": "@小鹿 在商品卡哦～", "compliance": []},
        {"id": 7, "is_request": False, "score": 0.0, "products": [], "suggested_reply": "", "compliance": []},
        {"id": None, "is_request": False, "score": 1.0, "products": [], "suggested_reply": "", "compliance": []},
        {"id": 12.5, "is_request": True, "score": 0.5, "products": ["a", "b \"c\""], "suggested_reply": "x", "compliance": []},
        {"id": ["odd", {"k": 1}], "is_request": True, "score": 0.0001, "products": [], "suggested_reply": "", "compliance": []},
        {"id": "q\"uote\\back\nline\ttab\x01\u2028\U0001f525", "is_request": True, "score": 0.5,
         "products": ["\x7f</script>"], "suggested_reply": "=HYPERLINK(\"x\")", "compliance": []},
        {"id": "c", "is_request": True, "score": 0.61, "products": [], "suggested_reply": "加v看主页",
         "compliance": [{"code": "off_platform_contact", "message": "微信/WeChat"}]},
        {"id": "1" * 60, "is_request": False, "score": 0.1234, "products": [], "suggested_reply": "", "compliance": []},
    ],
)
def test_verdict_line_is_what_the_json_encoder_writes(verdict):
    row = {k: verdict[k] for k in ("id", "is_request", "score", "products", "suggested_reply")}
    if verdict["compliance"]:
        row["compliance"] = verdict["compliance"]
    assert classify._verdict_line(verdict) == json.dumps(row, ensure_ascii=False)
