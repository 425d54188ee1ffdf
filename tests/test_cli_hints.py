"""Where findings point and what they suggest, through the real command line (issue 13, points 4-5).

Each test runs the installed ``fluxparams`` entry point in a fresh directory (no pyproject.toml configures it)
with the script on standard input, as an editor integration or a pre-commit hook would.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

# the console script installed next to the interpreter running the tests
FLUXPARAMS = Path(sys.executable).parent / ("fluxparams.exe" if sys.platform == "win32" else "fluxparams")


def run(tmp_path: Path, args: List[str], source: str) -> Tuple[int, str, str]:
    done = subprocess.run([str(FLUXPARAMS), *args, "-"], input=source.encode("utf-8"),
                          capture_output=True, cwd=tmp_path, timeout=120)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_unknown_argument_marks_the_argument_name_in_json(tmp_path):
    code, out, _ = run(tmp_path, ["check", "--format", "json"], 'top(n: 1, column: "x")\n')
    assert code == 1
    (fp104,) = [f for f in json.loads(out) if f["code"] == "FP104"]
    # `column` spans bytes 11-17; libflux's own error sits on the value "x" (1:19-1:22)
    assert (fp104["line"], fp104["column"], fp104["end_line"], fp104["end_column"]) == (1, 11, 1, 17)
    assert fp104["message"] == "unexpected argument column in call to top; did you mean columns?"


def test_unknown_argument_marks_the_name_on_its_own_line(tmp_path):
    source = 'from(bucket: "b")\n    |> range(start: -1h,\n        stpo:\n            now())\n'
    code, out, _ = run(tmp_path, ["check"], source)
    assert code == 1
    assert out.splitlines() == [
        "<stdin>:3:9: FP104 unexpected argument stpo in call to range; did you mean stop?"]


def test_unknown_argument_annotation_for_github(tmp_path):
    code, out, _ = run(tmp_path, ["check", "--format", "github"], 'from(bucket: "b", bukket: "c")\n')
    assert code == 1
    assert out.splitlines() == [
        "::error file=<stdin>,line=1,col=19,endLine=1,endColumn=25,title=FP104::"
        "unexpected argument bukket in call to from; did you mean bucket?"]


@pytest.mark.parametrize("source, head, hint", [
    ('from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => r.a == "x" && r.b == "y")\n',
     "<stdin>:1:72: FP001 invalid character '&'", 'hint: Flux writes the logical operator "&&" as "and"'),
    ('from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => r.host = "a")\n',
     '<stdin>:1:68: FP001 expected ")" to close "(" at 1:49, found "="',
     'hint: to compare, write "=="; "=" only assigns a variable'),
    ('import "strings"\n\nx = strings.toUpper(params.s)\n',
     '<stdin>:3:27: FP001 expected ")" to close "(" at 3:20, found "."',
     "hint: Flux arguments are named: strings.toUpper(<name>: params.s), with the parameter's name"),
    ('from(bucket: "b") |> range(start: -1h stop: now())\n',
     '<stdin>:1:43: FP001 expected ")" to close "(" at 1:27, found ":"', 'hint: missing "," before stop?'),
    ('\ufefffrom(bucket: "b") |> range(start: -1h)\n', "<stdin>:1:1: FP001 invalid character '\\ufeff'",
     "hint: the file starts with a UTF-8 byte order mark (BOM), which libflux rejects"),
])
def test_analyze_prints_the_hint_after_the_caret(tmp_path, source, head, hint):
    code, out, err = run(tmp_path, ["analyze"], source)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == head
    assert lines[-1].strip().startswith(hint)
    assert "^" in lines[-2]


def test_check_keeps_the_parser_message_exact(tmp_path):
    # the hint is a separate part: the FP001 message stays the parser's (tests pin libflux's text)
    code, out, _ = run(tmp_path, ["check", "--format", "json"], "x = a && b\n")
    assert code == 1
    (finding,) = json.loads(out)
    assert (finding["code"], finding["message"], finding["column"]) == ("FP001", "invalid character '&'", 7)


HINTED = "x = a && b\n"
HINT = 'Flux writes the logical operator "&&" as "and"'


def test_check_text_appends_the_hint_on_the_finding_line(tmp_path):
    code, out, _ = run(tmp_path, ["check"], HINTED)
    assert code == 1
    (line,) = out.splitlines()
    assert line.startswith("<stdin>:1:7: FP001 invalid character '&' (hint: " + HINT)


def test_check_json_carries_the_hint_apart_from_the_message(tmp_path):
    _, out, _ = run(tmp_path, ["check", "--format", "json"], HINTED)
    (finding,) = json.loads(out)
    assert finding["message"] == "invalid character '&'" and finding["hint"].startswith(HINT)
    # no hint, no key: the other findings keep their shape
    _, out, _ = run(tmp_path, ["check", "--format", "json"], "x = (\n")
    (finding,) = json.loads(out)
    assert "hint" not in finding


def test_check_github_puts_the_hint_on_the_annotation_s_second_line(tmp_path):
    _, out, _ = run(tmp_path, ["check", "--format", "github"], HINTED)
    (line,) = out.splitlines()
    assert line.endswith("::invalid character '&'%0Ahint: " + HINT + ": a and b")
