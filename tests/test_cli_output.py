"""What ``fluxparams check`` prints for people (issue 13, points 3 and 7), through the real command.

The positions and texts of the findings are libflux's (from the oracle, flux v0.193.0):
``x = {a: 1, b: 2, c: 3, d: 4, e: 5} + 1`` gives
``1:38-1:39: expected {<record over 7 lines>} (record) but found int`` and
``1:5-1:39: {<the same record>} (record) is not Addable``; ``x = "日本" + 1`` gives
``1:16-1:17: expected string but found int`` (byte columns).
"""
from __future__ import annotations

import json
import subprocess
import sys
from typing import List

RECORD_SUM = "x = {a: 1, b: 2, c: 3, d: 4, e: 5} + 1\n"
RECORD = "{e: int, d: int, c: int, b: int, a: int} (record)"
WIDE = 'x = "日本" + 1\n'


def check(source: str, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", *flags, "-"],
                          input=source.encode("utf-8"), capture_output=True, timeout=120)


def lines(result: subprocess.CompletedProcess) -> List[str]:
    return result.stdout.decode("utf-8").splitlines()


def test_text_joins_a_multiline_type_and_reports_one_mistake_once():
    result = check(RECORD_SUM)
    assert result.returncode == 1, result.stderr
    assert lines(result) == [
        f"<stdin>:1:5: FP102 {RECORD} is not Addable "
        f"(also at 1:38: expected {RECORD} but found int)"]
    assert b"\\n" not in result.stdout


def test_json_keeps_both_of_libfluxs_reports_verbatim():
    result = check(RECORD_SUM, "--format", "json")
    found = json.loads(result.stdout)
    assert [(f["line"], f["column"], f["end_column"]) for f in found] == [(1, 5, 39), (1, 38, 39)]
    assert found[0]["message"].startswith("{\n    e: int,\n")
    assert found[0]["message"].endswith("} (record) is not Addable")


def test_github_reports_the_mistake_once_keeping_the_lines():
    result = check(RECORD_SUM, "--format", "github")
    (line,) = lines(result)
    assert line.startswith("::error file=<stdin>,line=1,col=5,endLine=1,endColumn=39,title=FP102::{%0A")
    assert "(also at 1:38: expected {%0A" in line


def test_separate_mistakes_are_not_folded():
    result = check('a = 1 + "x"\nb = 2 + "y"\n')
    assert [row.split(": ", 1)[0] for row in lines(result)] == ["<stdin>:1:9", "<stdin>:2:9"]


def test_text_and_github_count_characters_json_counts_bytes():
    text = check(WIDE)
    assert lines(text) == ["<stdin>:1:12: FP102 expected string but found int"]
    github = check(WIDE, "--format", "github")
    assert lines(github) == ["::error file=<stdin>,line=1,col=12,endLine=1,endColumn=13,"
                             "title=FP102::expected string but found int"]
    (finding,) = json.loads(check(WIDE, "--format", "json").stdout)
    assert (finding["column"], finding["end_column"]) == (16, 17)


def test_character_column_of_invalid_utf8():
    # FP001 at the bad byte: byte column 8 ("é" is two bytes), character column 7
    source = 'x = "é'.encode() + b'\xff"\n'
    result = subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", "-"],
                            input=source, capture_output=True, timeout=120)
    assert lines(result)[0].startswith("<stdin>:1:7: FP001 invalid UTF-8: byte 0xff")
    as_json = subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", "--format",
                              "json", "-"], input=source, capture_output=True, timeout=120)
    assert json.loads(as_json.stdout)[0]["column"] == 8
