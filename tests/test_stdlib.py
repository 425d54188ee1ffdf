"""The shipped stdlib types: built from the stdlib source, provenance, lazy parsing, the prelude, imports."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED

from fluxparams import analyze, stdlib, stdlib_source
from fluxparams import typeterms as T
from fluxparams.syntax import parse_type_expression
from fluxparams.typeprint import format_scheme

SOURCE = SHARED / "flux" / "stdlib-v0.193.0"
VALUES = 677

# Flux-defined values the documentation table does not list (importers see underscore names)
FLUX_DEFINED = {
    "universe": ["_fillEmpty", "_highestOrLowest", "_sortLimit"],
    "experimental/dynamic": ["_isNotDistinct"],
    "date/boundaries": ["_day_finder", "_day_formatter", "_week_formatter"],
    "experimental/date/boundaries": ["_day_finder", "_day_formatter", "_week_formatter"],
    "experimental/geo": ["_detectLevel"],
    "experimental/http/requests": ["_do"],
    "influxdata/influxdb/monitor": ["_stateChanges"],
    "influxdata/influxdb/sample": ["_setInfo", "_sets"],
    "influxdata/influxdb/schema": ["_from"],
    "contrib/jsternberg/influxdb": ["_from"],
    "pagerduty": ["_sendEvent"],
    "sampledata": ["_bool", "_numeric", "_string"],
}


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_stdlib", REPO / "scripts" / "build_stdlib.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _needs_source() -> None:
    if not SOURCE.is_dir():
        pytest.skip(f"{SOURCE} is absent (../shared is not beside this checkout)")


def _scheme(text: str) -> T.Scheme:
    return stdlib.scheme_from_tree(parse_type_expression(text))


# ---------------------------------------------------------------------------
# The shipped file is the build's output
# ---------------------------------------------------------------------------

def test_shipped_file_is_what_the_script_builds():
    _needs_source()
    build = _load_build_script()
    assert stdlib.DATA.read_text(encoding="utf-8") == build.build(SHARED)


@pytest.mark.slow  # a subprocess and two builds
def test_check_mode_exits_0_when_current_and_1_when_stale(tmp_path, monkeypatch):
    _needs_source()
    script = REPO / "scripts" / "build_stdlib.py"
    done = subprocess.run([sys.executable, str(script), "--check", "--shared", str(SHARED)],
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    build = _load_build_script()
    stale = tmp_path / "stdlib_types.json"
    stale.write_text(stdlib.DATA.read_text(encoding="utf-8").replace('"_fillEmpty"', '"_fillEmptyX"'),
                     encoding="utf-8")
    monkeypatch.setattr(build, "TARGET", stale)
    assert build.main(["--check", "--shared", str(SHARED)]) == 1
    assert build.main(["--shared", str(SHARED), "--quiet"]) == 0  # rewrites the stale copy
    assert stale.read_text(encoding="utf-8") == stdlib.DATA.read_text(encoding="utf-8")


def test_build_without_source_is_a_clear_error(tmp_path, capsys):
    build = _load_build_script()
    assert build.main(["--check", "--shared", str(tmp_path)]) == 2
    assert "no stdlib source at" in capsys.readouterr().err


def test_shipped_file_has_provenance():
    doc = json.loads(stdlib.DATA.read_text(encoding="utf-8"))
    prov = doc["provenance"]
    assert prov["source"] == "flux/stdlib-v0.193.0"
    assert len(prov["sha256"]) == 64
    assert prov["flux_version"] == "v0.193.0"
    assert prov["packages"] == len(doc["packages"]) == 89
    assert prov["values"] == sum(len(v) for v in doc["packages"].values()) == VALUES


def test_flux_defined_values_are_shipped():
    for package, names in FLUX_DEFINED.items():
        for name in names:
            assert name in stdlib.packages()[package], (package, name)
    assert str(stdlib.value_scheme("universe", "_fillEmpty")) == \
        "(<-tables: stream[A], createEmpty: bool) => stream[A] where A: Record"
    assert str(stdlib.value_scheme("experimental/dynamic", "_isNotDistinct")) == "(a: A, b: B) => bool"
    assert "_fillEmpty" in stdlib.prelude()


def test_underscore_members_type_params():
    a = analyze('from(bucket: "b") |> range(start: -1h) |> _fillEmpty(createEmpty: params.c)')
    assert a.params == {"c": "bool"}
    assert list(a.diagnostics) == []
    a = analyze('import "experimental/dynamic"\nx = dynamic._isNotDistinct(a: params.a, b: 1)')
    assert a.params == {"a": "any"}
    assert list(a.diagnostics) == []


def test_cross_check_with_the_documented_table_finds_only_explained_differences(capsys):
    _needs_source()
    docs_path = SHARED / "flux" / "stdlib_types.json"
    if not docs_path.exists():
        pytest.skip(f"{docs_path} is absent")
    build = _load_build_script()
    built = stdlib.packages()
    docs = json.loads(docs_path.read_text(encoding="utf-8"))
    found = build.cross_check(built, docs, {})
    by_category: dict = {}
    for category, package, name, _why in found:
        by_category.setdefault(category, []).append((package, name))
    assert sorted(by_category) == ["documentation simplification", "missing from the docs table"]
    assert sorted(by_category["missing from the docs table"]) == sorted(
        (p, n) for p, names in FLUX_DEFINED.items() for n in names)
    # a simplification is the documented type with its record fields in another order
    for package, name in by_category["documentation simplification"]:
        assert T.equivalent(_scheme(built[package][name]).expr, _scheme(docs[package][name]).expr)
    build.report(built, SHARED)
    out = capsys.readouterr().out
    assert "[missing from the docs table] universe._fillEmpty:" in out
    assert "real inference difference" not in out


def test_builtin_values_have_the_type_their_declaration_states():
    _needs_source()
    from fluxparams.syntax import parse

    checked = 0
    for package, path in stdlib_source.discover(str(SOURCE)).items():
        file = parse(Path(path).read_text(encoding="utf-8"))
        for st in file.body:
            if type(st).__name__ == "BuiltinStatement":
                declared = stdlib_source.storage_text(stdlib.scheme_from_tree(st.type))
                assert stdlib.packages()[package][st.id.name] == declared, (package, st.id.name)
                checked += 1
    assert checked == 370


def test_every_value_has_libfluxs_type():
    """Each value's type as libflux prints it (tests/cases/stdlib/values.json, from the oracle)."""
    from test_analyze_cases import normalise_types

    expected = json.loads((REPO / "tests" / "cases" / "stdlib" / "values.json").read_text(encoding="utf-8"))
    # libflux's hover writes a vector type `v[A]`; fluxparams writes `vector[A]`
    known = {"universe._vectorizedFloat": "(v: vector[A]) => vector[float]"}
    probe = expected["probe"]
    keys = [f"{pkg}.{name}" for pkg, name, _ in stdlib.all_values()]
    assert sorted(keys) == sorted(expected["values"])
    wrong = []
    for pkg, name, _ in stdlib.all_values():
        key = f"{pkg}.{name}"
        a = analyze(probe.replace("PACKAGE", pkg).replace("NAME", name))
        want = known.get(key, expected["values"][key])
        errors = [d.message for d in a.diagnostics if d.severity == "error"]
        if errors or normalise_types(dict(a.flux_types)) != normalise_types({"a": want}):
            wrong.append((key, want, a.flux_types.get("a"), errors))
    assert wrong == []


@pytest.mark.slow  # one oracle run over every value
def test_committed_libflux_types_are_what_the_oracle_says_now():
    if shutil.which("node") is None:
        pytest.skip("node is absent: no libflux to ask")
    shared_path = SHARED / "oracle" / "node_modules" / "@influxdata" / "flux-lsp-node"
    if not shared_path.is_dir():
        pytest.skip(f"{shared_path} is absent: no libflux to ask")
    script = REPO / "scripts" / "oracle_stdlib_values.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")


# ---------------------------------------------------------------------------
# The stored text
# ---------------------------------------------------------------------------

def test_every_stored_text_reads_back_to_itself():
    """Parsing a stored type and writing it again gives the same text: record order included."""
    count = 0
    for pkg, name, text in stdlib.all_values():
        scheme = _scheme(text)
        assert stdlib_source.storage_text(scheme) == text, (pkg, name)
        # libflux's format reads back to an equivalent type too
        again = _scheme(format_scheme(scheme))
        assert T.equivalent(scheme.expr, again.expr), (pkg, name, text)
        count += 1
    assert count == VALUES


def test_storage_text_keeps_the_inferred_record_order():
    a = analyze('r = {b: 1, a: "x"}\nx = [params.r, r]')
    assert a.flux_types["r"] == "{b: int, a: string}"
    from fluxparams.infer import infer
    from fluxparams.syntax import parse

    scheme = infer(parse('r = {b: 1, a: "x"}\nf = (x, y=1) => ({x with z: y})'), "params").bindings
    # written last field first: the type-expression conversion links written fields last to first
    assert stdlib_source.storage_text(scheme["r"]) == "{a: string, b: int}"
    assert stdlib_source.storage_text(scheme["r"], sort_records=True) == "{a: string, b: int}"
    assert stdlib_source.storage_text(scheme["f"]) == "(x: A, ?y: B) => {A with z: B}"
    back = _scheme(stdlib_source.storage_text(scheme["r"])).expr
    assert isinstance(back, T.Record) and back.label == "b"


# ---------------------------------------------------------------------------
# Building a stdlib from source (a small one, so no ../shared is needed)
# ---------------------------------------------------------------------------

def _write(root: Path, files: dict) -> str:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return str(root)


def test_build_table_infers_in_dependency_order_with_the_prelude_first(tmp_path):
    root = _write(tmp_path, {
        "universe/universe.flux": 'package universe\nimport "helper"\n'
                                  'builtin identity : (x: A) => A\ntwice = (v) => helper.add(a: v, b: v)\n',
        "helper/helper.flux": 'package helper\nadd = (a, b) => a + b\n_hidden = "h"\n',
        "helper/helper_test.flux": 'package helper_test\nthis does not parse\n',
        "app/app.flux": 'package app\nimport "helper"\n'
                        'option level = 3\nuse = (n) => identity(x: twice(v: n)) + level\n'
                        'testcase t { x = undefinedName }\n',
    })
    files = {p: stdlib_source.parse_package(f) for p, f in stdlib_source.discover(root).items()}
    assert sorted(files) == ["app", "helper", "universe"]
    assert stdlib_source.build_order(files) == ["helper", "universe", "app"]
    table = stdlib_source.build_table(root)
    assert table == {
        "app": {"level": "int", "use": "(n: int) => int"},
        "helper": {"_hidden": "string", "add": "(a: A, b: A) => A where A: Addable"},
        "universe": {"identity": "(x: A) => A", "twice": "(v: A) => A where A: Addable"},
    }
    # the shipped table was not in use while building, and is back afterwards
    assert "identity" not in stdlib.packages()["universe"]


def test_a_prelude_dependency_does_not_see_the_prelude(tmp_path):
    root = _write(tmp_path, {
        "universe/universe.flux": 'package universe\nimport "early"\nbuiltin one : int\n',
        "early/early.flux": 'package early\nx = one\n',
    })
    with pytest.raises(stdlib_source.StdlibSourceError, match=r"early: 2:5: undefined identifier one"):
        stdlib_source.build_table(root)


def test_import_cycles_and_missing_imports_are_errors(tmp_path):
    root = _write(tmp_path / "cycle", {
        "a/a.flux": 'package a\nimport "b"\nx = 1\n',
        "b/b.flux": 'package b\nimport "a"\ny = 1\n',
    })
    with pytest.raises(stdlib_source.StdlibSourceError, match="import cycle: a -> b -> a"):
        stdlib_source.build_table(root)
    root = _write(tmp_path / "missing", {"a/a.flux": 'package a\nimport "nowhere"\nx = 1\n'})
    with pytest.raises(stdlib_source.StdlibSourceError, match="a imports nowhere"):
        stdlib_source.build_table(root)


def test_syntax_and_type_errors_in_a_package_name_the_place(tmp_path):
    root = _write(tmp_path / "syntax", {"a/a.flux": 'package a\nx = (\n'})
    with pytest.raises(stdlib_source.StdlibSourceError, match=r"a\.flux:\d+:\d+: "):
        stdlib_source.build_table(root)
    root = _write(tmp_path / "types", {"a/a.flux": 'package a\nx = 1 + "s"\n'})
    with pytest.raises(stdlib_source.StdlibSourceError, match=r"^a: 2:\d+: "):
        stdlib_source.build_table(root)
    with pytest.raises(stdlib_source.StdlibSourceError, match="no .flux package"):
        stdlib_source.build_table(str(tmp_path / "empty"))


def test_using_replaces_and_restores_the_table():
    shipped = stdlib.packages()
    before = stdlib.value_scheme("strings", "toUpper")
    with stdlib.using({"universe": {"only": "int"}}):
        assert stdlib.packages() == {"universe": {"only": "int"}}
        assert stdlib.prelude() == {"only": ("universe", "only")}
        assert stdlib.value_scheme("strings", "toUpper") is None
        assert analyze("x = only + params.n").params == {"n": "int"}
    assert stdlib.packages() is shipped
    assert stdlib.value_scheme("strings", "toUpper") is before
    assert "only" not in stdlib.prelude()


# ---------------------------------------------------------------------------
# Reading the table
# ---------------------------------------------------------------------------

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


def test_no_name_is_in_two_prelude_packages():
    # libflux lets a later prelude package win (its bootstrap order is stdlib_source.PRELUDE_ORDER,
    # not stdlib.PRELUDE_PACKAGES); with no name in two of them the order cannot matter
    assert sorted(stdlib_source.PRELUDE_ORDER) == sorted(stdlib.PRELUDE_PACKAGES)
    names = [name for pkg in stdlib.PRELUDE_PACKAGES for name in stdlib.packages()[pkg]]
    assert len(names) == len(set(names)) == len(stdlib.prelude())


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
