"""CSV: formula neutralisation, BOM, RFC 4180 quoting, strict reading with clear errors."""

from __future__ import annotations

import csv
import io

import pytest

from helper.csvio import BOM, CSVFormatError, neutralise, read_csv, write_csv


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("求链接 =1", "求链接 =1"),  # only the first character matters
        ("", ""),
        (None, ""),
        (True, "true"),
        (0.5, "0.5"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_write_csv_bom_quoting_and_crlf():
    out = io.StringIO(newline="")
    rows = [["a,b", 'say "hi"', "line1\nline2", "=cmd", "中文"], ["plain", "", "x", "y", "z"]]
    assert write_csv(out, ["c1", "c2", "c3", "c4", "c5"], rows) == 2
    text = out.getvalue()
    assert text.startswith(BOM + "c1,c2,c3,c4,c5\r\n")
    assert '"a,b","say ""hi""","line1\nline2",\'=cmd,中文\r\n' in text
    assert text.endswith("plain,,x,y,z\r\n")
    parsed = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert parsed[1] == ["a,b", 'say "hi"', "line1\nline2", "'=cmd", "中文"]


def test_read_csv_tolerates_bom_case_and_blank_lines():
    columns, rows = read_csv(BOM + "Name , LINK\r\n\r\n大衣,商品卡\r\n\"多行\n名字\",x\r\n", required=["name"])
    assert columns == ["name", "link"]
    assert rows == [(3, {"name": "大衣", "link": "商品卡"}), (5, {"name": "多行\n名字", "link": "x"})]


def test_read_csv_reports_too_many_cells_per_row():
    _, rows = read_csv("name,link\na,b,c\n", required=["name"])
    assert rows == [(2, {"__error__": "3 cells but 2 columns"})]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("link\nx\n", "missing column(s): name"),
        ('name\n"unclosed\n', "line"),
        ("name\nab\0c\n", "line"),
    ],
)
def test_read_csv_errors(text, message):
    with pytest.raises(CSVFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_csv(text, required=["name"])


@pytest.mark.parametrize(
    "make, max_bytes, reason",
    [
        (lambda d: d / "missing.csv", 100, "no such file"),
        (lambda d: d, 100, "no such file"),  # a directory
        (lambda d: _write(d / "big.csv", b"x" * 2_000_000), 1024 * 1024, "larger than 1 MB"),
        (lambda d: _write(d / "latin1.csv", "name\ncaf\xe9\n".encode("latin-1")), 100, "not UTF-8"),
    ],
)
def test_one_reader_for_user_files_says_what_is_wrong(tmp_path, make, max_bytes, reason):
    from helper.csvio import read_text_file

    with pytest.raises(CSVFormatError, match=reason):
        read_text_file(make(tmp_path), max_bytes)


def test_one_reader_reads_utf8_with_a_bom(tmp_path):
    from helper.csvio import read_text_file

    assert read_text_file(_write(tmp_path / "ok.csv", "\ufeffname\n地毯\n".encode("utf-8"))) == "name\n地毯\n"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
