"""The generated analyze cases (tests/cases/analyze/gen*) are exactly what scripts/gen_cases.py writes."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "gen_cases.py"
CASES = REPO / "tests" / "cases" / "analyze"
SIGNATURES = REPO.parent / "shared" / "flux" / "stdlib_types.json"

# The generator reads the stdlib's documented signatures from ../shared, as the oracle suites do.
pytestmark = pytest.mark.skipif(not SIGNATURES.is_file(), reason="../shared/flux/stdlib_types.json is absent")


def _load():
    spec = importlib.util.spec_from_file_location("gen_cases", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_passes_on_the_committed_cases():
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "162 generated cases are current" in done.stdout


def test_every_generated_case_has_an_oracle_expectation():
    gen = _load()
    for name in gen.generate():
        assert (CASES / name).with_suffix(".json").is_file(), name


def test_check_reports_an_edited_a_missing_and_an_extra_case(tmp_path):
    gen = _load()
    for path in CASES.glob("gen*_*.flux"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "genop_001_add-int.flux").write_text("x = params.v + 3\n", encoding="utf-8")
    (tmp_path / "genmath_020_y0.flux").unlink()
    (tmp_path / "genstr_099_extra.flux").write_text("x = 1\n", encoding="utf-8")
    assert gen.check(tmp_path) == [
        "missing: genmath_020_y0.flux",
        "not generated (stale): genstr_099_extra.flux",
        "differs: genop_001_add-int.flux",
    ]
    assert gen.main(["--check", "--out", str(tmp_path)]) == 1
    # Writing repairs the directory: the edited case comes back and loses its stale expectation.
    assert gen.main(["--out", str(tmp_path)]) == 0
    assert gen.check(tmp_path) == []


def test_a_missing_signature_table_is_a_clear_error(tmp_path, capsys):
    gen = _load()
    assert gen.main(["--check", "--stdlib", str(tmp_path / "nope.json")]) == 2
    assert "nope.json: no such file" in capsys.readouterr().err


def test_signature_splitting_keeps_nested_types_whole():
    gen = _load()
    assert gen.parameters("(<-tables: stream[A], fn: (r: A, x: {a: int}) => bool, ?n: int) => A") == [
        ("<-", "tables", "stream[A]"),
        ("", "fn", "(r: A, x: {a: int}) => bool"),
        ("?", "n", "int"),
    ]
    assert gen.parameters("float") is None
