"""The shipped stdlib types: provenance, lazy parsing, the prelude, imports."""
from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import REPO, SHARED

from fluxparams import analyze, stdlib
from fluxparams import types as T
from fluxparams.syntax import parse_type_expression


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_stdlib", REPO / "scripts" / "build_stdlib.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_file_is_what_the_script_builds():
    if not (SHARED / "flux" / "stdlib_types.json").exists():
        pytest.skip("../shared is absent")
    build = _load_build_script()
    assert stdlib.DATA.read_text(encoding="utf-8") == build.build(SHARED)


def test_shipped_file_has_provenance():
    doc = json.loads(stdlib.DATA.read_text(encoding="utf-8"))
    prov = doc["provenance"]
    assert len(prov["sha256"]) == 64
    assert prov["flux_version"].startswith("v")
    assert prov["values"] == sum(len(v) for v in doc["packages"].values()) == 656


def test_every_stdlib_type_parses_converts_and_prints_back():
    count = 0
    for pkg, name, text in stdlib.all_values():
        scheme = stdlib.scheme_from_tree(parse_type_expression(text))
        # printing and parsing again gives the same type
        again = stdlib.scheme_from_tree(parse_type_expression(T.format_scheme(scheme)))
        assert T.equivalent(scheme.expr, again.expr), (pkg, name, text)
        count += 1
    assert count == 656


def test_values_are_parsed_lazily_and_cached(monkeypatch):
    calls = []
    import fluxparams.syntax as syntax
    real = syntax.parse_type_expression
    monkeypatch.setattr(syntax, "parse_type_expression", lambda text: calls.append(text) or real(text))
    monkeypatch.setattr(stdlib, "_cache", {})
    first = stdlib.value_scheme("strings", "toUpper")
    assert len(calls) == 1
    assert stdlib.value_scheme("strings", "toUpper") is first
    assert len(calls) == 1
    analyze('import "strings"\nx = strings.toLower(v: params.s)')
    assert len(calls) == 2  # only strings.toLower was added
    assert stdlib.value_scheme("strings", "noSuchThing") is None


def test_prelude():
    prelude = stdlib.prelude()
    assert prelude["true"] == ("internal/boolean", "true")
    assert prelude["from"] == ("influxdata/influxdb", "from")
    assert "range" in prelude and "location" in prelude
    assert str(stdlib.value_scheme(*prelude["true"])) == "bool"


def test_import_brings_the_package_under_its_last_segment_or_alias():
    a = analyze('import "influxdata/influxdb/v1"\nimport s "strings"\n'
                'x = s.toUpper(v: params.u)\ny = v1.databases')
    assert a.params == {"u": "string"}
    assert [d.code for d in a.diagnostics] == []


def test_unknown_import_is_a_diagnostic_with_a_hint():
    a = analyze('import "strngs"\nx = strngs.toUpper(v: params.u)')
    codes = [d.code for d in a.diagnostics]
    assert codes == ["FP106"]
    d = a.diagnostics[0]
    assert d.message == 'unknown import "strngs"; did you mean "strings"?'
    assert (d.line, d.column) == (1, 1)
    # inference goes on; the unknown package's members are of unknown type
    assert a.params == {"u": "any"}


def test_unknown_package_member():
    a = analyze('import "strings"\nx = strings.nope(v: params.s)')
    assert [d.message for d in a.diagnostics] == ["record is missing label nope"]
