"""fluxparams.format against libflux's formatter, case by case: tests/cases/format/<group>/<name>.

Each ``<name>.flux`` has ``<name>.formatted``: libflux v0.193's output byte for byte, written by
scripts/oracle_format_expect.py (``--check`` verifies it against the oracle). The formatter must
print exactly that, and print it again when given its own output. A ``<name>.json`` sidecar
marks the two other kinds of case (its shape is in the script's docstring):

* ``{"oracle": "error: ..."}``: libflux refuses the script; format must raise FluxSyntaxError
  with a position inside the text, and write nothing;
* ``{"deviation": "...", "oracle": "..."}``: libflux's output is another program (its
  parentheses are rebuilt from precedence), loses a comment, or is not a fixed point of libflux
  itself (``"oracle_second_pass"`` then holds what libflux makes of it); ``.formatted`` is ours:
  it parses to the same program as the input, keeps every comment and is a fixed point.

The cases need nothing from ../shared; the oracle is only needed to rewrite them.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest
from conftest import CASES, REPO, SHARED

import fluxparams
from fluxparams import FluxSyntaxError

FORMAT_CASES = CASES / "format"
SCRIPTS = REPO / "scripts"


def read(path: Path) -> str:
    # bytes: a CR in a case must reach the formatter as written
    return path.read_bytes().decode("utf-8")


def all_cases() -> List[Path]:
    return sorted(p for p in FORMAT_CASES.rglob("*.flux") if p.parent.name != "corpus")


def case_id(path: Path) -> str:
    return path.relative_to(FORMAT_CASES).with_suffix("").as_posix()


def sidecar(path: Path) -> dict:
    js = path.with_suffix(".json")
    return json.loads(read(js)) if js.exists() else {}


CASE_LIST = all_cases()
FORMATTED = [p for p in CASE_LIST if p.with_suffix(".formatted").exists()]
REFUSED = [p for p in CASE_LIST if "oracle" in sidecar(p) and "deviation" not in sidecar(p)]
DEVIATIONS = [p for p in CASE_LIST if "deviation" in sidecar(p)]


@pytest.mark.parametrize("path", FORMATTED, ids=case_id)
def test_format_matches_libflux(path: Path) -> None:
    expected = read(path.with_suffix(".formatted"))
    assert fluxparams.format(read(path)) == expected


@pytest.mark.parametrize("path", FORMATTED, ids=case_id)
def test_formatted_output_is_a_fixed_point(path: Path) -> None:
    expected = read(path.with_suffix(".formatted"))
    assert fluxparams.format(expected) == expected


@pytest.mark.parametrize("path", REFUSED, ids=case_id)
def test_script_libflux_refuses_is_a_positioned_syntax_error(path: Path) -> None:
    source = read(path)
    with pytest.raises(FluxSyntaxError) as caught:
        fluxparams.format(source)
    err = caught.value
    lines = source.split("\n")
    assert 1 <= err.lineno <= len(lines), err
    assert 1 <= err.offset <= len(lines[err.lineno - 1].encode("utf-8")) + 1, err
    assert err.msg
    # the same error parse reports: one parser, one message, whoever asks
    with pytest.raises(FluxSyntaxError) as parsed:
        fluxparams.parse(source)
    assert (err.msg, err.lineno, err.offset) == (parsed.value.msg, parsed.value.lineno, parsed.value.offset)


@pytest.mark.parametrize("path", DEVIATIONS, ids=case_id)
def test_deviation_keeps_the_meaning_libflux_loses(path: Path) -> None:
    sys.path.insert(0, str(SCRIPTS))
    try:
        from format_corpus import comments, same_meaning
    finally:
        sys.path.remove(str(SCRIPTS))
    source = read(path)
    ours = read(path.with_suffix(".formatted"))
    side = sidecar(path)
    theirs = side["oracle"]
    assert same_meaning(source, ours)
    assert fluxparams.format(source) == ours
    assert fluxparams.format(ours) == ours
    assert comments(ours) == comments(source)
    # the three reasons to differ: libflux prints another program, drops a comment, or its own
    # output is not a fixed point of libflux (then ours is what its second pass prints)
    if same_meaning(source, theirs) and comments(theirs) == comments(source):
        assert side.get("oracle_second_pass", theirs) != theirs, "libflux is right now: drop the sidecar"
        assert ours == side["oracle_second_pass"]
    assert side["deviation"].strip()


def test_case_files_are_complete() -> None:
    """Every case is exactly one of the three kinds; no stray expected file."""
    assert len(CASE_LIST) >= 100
    for path in CASE_LIST:
        side = sidecar(path)
        has_output = path.with_suffix(".formatted").exists()
        if "deviation" in side:
            assert has_output and "oracle" in side and side["deviation"].strip(), path
        elif side:
            assert set(side) == {"oracle"} and side["oracle"].startswith("error: ") and not has_output, path
        else:
            assert has_output, path
    for extra in list(FORMAT_CASES.rglob("*.formatted")) + list(FORMAT_CASES.rglob("*.json")):
        assert extra.with_suffix(".flux").exists(), extra


def test_every_group_is_covered() -> None:
    groups = {p.parent.name for p in CASE_LIST}
    assert {"literals", "expressions", "statements", "layout", "comments", "blank_lines",
            "deviations", "errors"} <= groups


def test_a_refused_script_is_not_printed() -> None:
    """format raises before producing anything: nothing half-formatted escapes."""
    with pytest.raises(FluxSyntaxError):
        fluxparams.format('x = 1\ny = f(a: 1,\nz = "unclosed\n')


def run_expect_script(*args: str) -> "subprocess.CompletedProcess[str]":
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (SHARED / "oracle" / "format.js").exists():
        pytest.skip("../shared/oracle is absent")
    done = subprocess.run([sys.executable, str(SCRIPTS / "oracle_format_expect.py"), *args],
                          capture_output=True, text=True, timeout=300)
    if "Cannot find module" in done.stderr:
        pytest.skip("the oracle's node modules are not installed (npm ci in ../shared/oracle)")
    return done


def test_committed_cases_match_the_oracle() -> None:
    """scripts/oracle_format_expect.py --check: the committed outputs are libflux's."""
    done = run_expect_script("cases", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_expect_script_finds_and_repairs_stale_data(tmp_path: Path) -> None:
    """--check names an edited output, a missing one, a wrong verdict and a meaning change, and
    writes nothing; a write repairs what it can and leaves the meaning change to a human."""
    work = tmp_path / "format"
    for name in ("literals/integers", "layout/calls_five_args_missing", "errors/unclosed_paren",
                 "deviations/negate_sum"):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FORMAT_CASES / "literals/integers.flux", work / "literals/integers.flux")
    (work / "literals/integers.formatted").write_text("a = 1\n", encoding="utf-8")  # edited
    (work / "layout/calls_five_args_missing.flux").write_text("f(a:1,b:2,c:3,d:4,e:5)\n", encoding="utf-8")
    shutil.copy(FORMAT_CASES / "errors/unclosed_paren.flux", work / "errors/unclosed_paren.flux")
    (work / "errors/unclosed_paren.formatted").write_text("x = (1)\n", encoding="utf-8")  # wrong verdict
    shutil.copy(FORMAT_CASES / "deviations/negate_sum.flux", work / "deviations/negate_sum.flux")
    before = sorted(p.name for p in work.rglob("*"))
    done = run_expect_script("cases", "--check", "--cases", str(work))
    assert done.returncode == 1
    for name in ("literals/integers", "layout/calls_five_args_missing", "errors/unclosed_paren",
                 "deviations/negate_sum"):
        assert name in done.stdout, (name, done.stdout)
    assert sorted(p.name for p in work.rglob("*")) == before  # --check wrote nothing
    done = run_expect_script("cases", "--cases", str(work))
    assert done.returncode == 1 and "add a deviation sidecar" in done.stdout  # -(1 + 2)
    assert read(work / "literals/integers.formatted") == read(FORMAT_CASES / "literals/integers.formatted")
    assert read(work / "layout/calls_five_args_missing.formatted").startswith("f(\n    a: 1,\n")
    assert not (work / "errors/unclosed_paren.formatted").exists()
    assert json.loads(read(work / "errors/unclosed_paren.json"))["oracle"].startswith("error: ")
    assert not (work / "deviations/negate_sum.formatted").exists()
    done = run_expect_script("cases", "--check", "--cases", str(work))
    assert done.stdout.strip().splitlines() == ["deviations/negate_sum.flux: libflux's output "
                                                "'d = -1 + 2\\n' is another program: add a deviation sidecar"]
