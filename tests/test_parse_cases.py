"""Data-driven parser cases: tests/cases/parse/<name>.flux + <name>.json.

The ``.json`` holds libflux's verdict (``parse_ok``, from the oracle via
scripts/oracle_parse_expect.py) and, for errors, the position our parser must
report, written by hand: ``"error": {"line": L, "column": C}`` (optionally with
a ``"message"`` fragment).  Adding a case is
adding the two files.
"""
from __future__ import annotations

import json

import pytest
from conftest import CASES

from fluxparams.syntax import FluxSyntaxError, parse

PARSE_CASES = CASES / "parse"
FILES = sorted(PARSE_CASES.glob("*.flux"))


def test_there_are_cases():
    assert len(FILES) > 50


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_case(path):
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    with open(path, encoding="utf-8", newline="") as f:
        source = f.read()
    if expected["parse_ok"]:
        parse(source)
        return
    with pytest.raises(FluxSyntaxError) as info:
        parse(source)
    where = expected.get("error")
    assert where, 'an invalid case must say where the error is: "error": {"line": L, "column": C}'
    if where:
        assert (info.value.lineno, info.value.offset) == (where["line"], where["column"]), info.value.msg
        if "message" in where:
            assert where["message"] in info.value.msg
