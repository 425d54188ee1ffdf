"""The rules' documentation: docs/rules.md is generated from the rule classes, whose docstrings
are the documentation; every rule documents what, why, how to fix and an example that the
analyzer really reports with that rule's code."""
from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest

import fluxparams
from fluxparams import diagnostics as D
from fluxparams.tree import Loc

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_rules_doc.py"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_rules_doc", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_doc_is_current():
    assert _build_module().main(["--check"]) == 0, "docs/rules.md is stale: run scripts/build_rules_doc.py"


def test_check_fails_on_a_stale_doc(tmp_path, monkeypatch):
    module = _build_module()
    stale = tmp_path / "rules.md"
    stale.write_text(module.render().replace("FP203", "FP299"), encoding="utf-8")
    monkeypatch.setattr(module, "TARGET", stale)
    monkeypatch.setattr(module, "REPO", tmp_path)
    assert module.main(["--check"]) == 1


def test_every_rule_class_is_listed_once_with_a_unique_code():
    subclasses = set(D.Diagnostic.__subclasses__())
    assert subclasses == set(D.ALL)
    assert len({cls.code for cls in D.ALL}) == len(D.ALL)
    assert D.BY_CODE == {cls.code: cls for cls in D.ALL}


def _example(cls) -> str:
    doc = inspect.cleandoc(cls.__doc__)
    _, _, block = doc.partition("::\n\n")
    assert block, f"{cls.code}: no example block"
    return "\n".join(line[4:] for line in block.split("\n")) + "\n"


@pytest.mark.parametrize("cls", D.ALL, ids=[c.code for c in D.ALL])
def test_docstring_says_what_why_how_and_shows_an_example(cls):
    doc = inspect.cleandoc(cls.__doc__)
    for section in ("**What**", "**Why**", "**How to fix**", "**Example**"):
        assert section in doc, f"{cls.code} lacks {section}"


@pytest.mark.parametrize("cls", D.ALL, ids=[c.code for c in D.ALL])
def test_the_example_is_reported_with_its_code(cls):
    source = _example(cls)
    if cls is D.SyntaxErrorFinding:
        with pytest.raises(fluxparams.FluxSyntaxError):
            fluxparams.analyze(source)
        return
    codes = [d.code for d in fluxparams.analyze(source).diagnostics]
    assert cls.code in codes, f"{cls.code}'s example gives {codes}"


def test_fields_are_named_and_typed():
    d = D.ConflictingParam(Loc(2, 5, 2, 13), "n", "string", "int", 1, 5)
    assert d.fields() == {"name": "n", "here": "string", "first_type": "int",
                          "first_line": 1, "first_column": 5}
    assert d.message == "params.n is used as string here but as int at 1:5 (the first use wins)"
    assert d.to_dict()["code"] == "FP101" and d.libflux is None


def test_type_findings_carry_libflux_error():
    d, = fluxparams.analyze('x = 1 + "a"\n').diagnostics
    assert d.code == "FP102"
    assert str(d.libflux) == "1:9-1:12: expected int but found string"
    assert d.libflux.message == d.message
