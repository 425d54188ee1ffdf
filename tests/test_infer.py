"""Inference on whole scripts: libflux's rules, diagnostics with positions, the deviations."""
from __future__ import annotations

import pytest

from fluxparams import FluxSyntaxError, analyze, find_params, parse
from fluxparams.infer import infer
from fluxparams.typeprint import format_type


def codes(a):
    return [d.code for d in a.diagnostics]


def test_basic_answer_and_reference_spans():
    a = analyze('from(bucket: params.bucket)\n  |> range(start: -1h)\n  |> limit(n: params["n"])')
    assert a.params == {"bucket": "string", "n": "int"}
    assert a.to_dict() == {"params": {"bucket": "string", "n": "int"}}
    assert list(a.params) == sorted(a.params)
    spans = [(r.name, r.type, r.line, r.column, r.end_line, r.end_column) for r in a.references]
    assert spans == [("bucket", "string", 1, 14, 1, 27), ("n", "int", 3, 15, 3, 26)]
    assert find_params('x = params.a + params.b') == {"a", "b"}


@pytest.mark.parametrize("script,params", [
    ('a = params.i + 1\nb = params.f * 2.0\nc = params.s + "x"', {"f": "float", "i": "int", "s": "string"}),
    ('x = r._value > params.t', {"t": "any"}),                     # comparisons do not unify
    ('x = params.a == "s"', {"a": "any"}),
    ('x = if params.c then 1 else 2', {"c": "bool"}),
    ('x = params.s =~ /a/', {"s": "string"}),
    ('x = "${params.s}"', {"s": "any"}),                           # only Stringable
    ('x = -params.n', {"n": "any"}),                              # only Negatable
    ('x = exists params.e', {"e": "any"}),
    ('x = params.a[0] + 1', {"a": "any"}),
    ('x = [params.a, 1]', {"a": "int"}),
    ('x = ["k": params.v, "j": 2]', {"v": "int"}),
    ('x = not params.b', {"b": "bool"}),
    ('x = params.a and params.b or false', {"a": "bool", "b": "bool"}),
    ('p = params\nx = p.n + 1', {"n": "int"}),                   # aliases share the variable
    ('x = duration(v: params.d)', {"d": "any"}),
    ('x = range(tables: from(bucket: "b"), start: params.s)', {"s": "any"}),
    ('option task = {name: "t", every: params.every}', {"every": "any"}),
    ('x = {a: 1}\ny = {x with b: params.b}', {"b": "any"}),
])
def test_typing_rules(script, params):
    assert analyze(script).params == params


def test_flux_types_text():
    a = analyze('a = params.arr[0] + 1\nb = params.rec.field\nc = params.t')
    assert a.flux_types == {"arr": "[int]", "rec": "{A with field: B}", "t": "C"}


def test_first_use_wins_and_conflict_names_both_places():
    a = analyze('from(bucket: params.x) |> limit(n: params.x)')
    assert a.params == {"x": "string"}
    (d,) = a.diagnostics
    assert d.code == "FP101"
    assert (d.line, d.column, d.end_column) == (1, 36, 1 + len("from(bucket: params.x) |> limit(n: params.x"))
    assert d.message == "params.x is used as int here but as string at 1:14 (the first use wins)"


def test_conflict_in_arithmetic():
    a = analyze('a = params.x + 1\nb = params.x + "s"')
    assert a.params == {"x": "int"}
    (d,) = a.diagnostics
    assert (d.code, d.line, d.column) == ("FP101", 2, 5)
    assert "at 1:5" in d.message


def test_record_properties_are_inferred_last_to_first():
    # libflux infers record literal properties from the last one back
    a = analyze('x = {a: params.x + 1, b: params.x + "s"}')
    assert a.params == {"x": "string"}
    assert codes(a) == ["FP101"]


def test_inference_continues_after_errors():
    a = analyze('a = 1 + "s"\nb = params.n + 1\nc = nope\nd = params.m + 1.0')
    assert a.params == {"m": "float", "n": "int"}
    assert codes(a) == ["FP102", "FP103"]
    assert a.diagnostics[0].message == "expected int but found string"
    assert (a.diagnostics[0].line, a.diagnostics[0].column) == (1, 9)


def test_undefined_identifier_with_hint():
    a = analyze('x = fliter')
    (d,) = a.diagnostics
    assert (d.code, d.line, d.column, d.end_line, d.end_column) == ("FP103", 1, 5, 1, 11)
    assert d.message == "undefined identifier fliter; did you mean filter?"
    assert analyze('x = params.a').diagnostics == ()   # params itself is never undefined


def test_unknown_and_missing_arguments():
    a = analyze('from(bucket: "b") |> range(strat: -1h)')
    found = {d.code: d for d in a.diagnostics}
    assert found["FP104"].message == "unexpected argument strat in call to range; did you mean start?"
    # the finding marks the misspelled name; libflux's own error stays on the value
    assert found["FP104"].loc == (1, 28, 1, 33)
    assert str(found["FP104"].libflux) == (
        "1:35-1:38: found unexpected argument strat (Expected one of `start` or `stop`)")
    assert found["FP105"].message == "missing required argument start in call to range"
    assert found["FP105"].column == 22


def test_params_in_a_generalized_function_body_is_not_generalized():
    a = analyze('f = (x) => params.a\ny = f(x: 1) + 1\nz = f(x: "s") + "s"')
    # both calls return the one params.a: the first fixes it, the second conflicts
    assert a.params == {"a": "int"}
    assert codes(a) == ["FP102"]
    # while x itself is generalized
    b = analyze('f = (x) => x\ny = f(x: params.i) + 1\nz = f(x: params.s) + "s"')
    assert b.params == {"i": "int", "s": "string"}
    assert b.diagnostics == ()


def test_function_defaults_and_pipes():
    a = analyze('f = (tables=<-, n=10) => tables |> limit(n)\nx = from(bucket: params.b) |> f(n: params.n)')
    assert a.params == {"b": "string", "n": "int"}
    r = infer(parse('f = (x=1) => x + x'))
    assert str(r.bindings["f"]) == "(?x: A) => A where A: Addable"


def test_testcase_and_builtin_statements():
    a = analyze('builtin foo : (x: int) => string\ntestcase t {\n y = foo(x: params.x)\n}')
    assert a.params == {"x": "int"}
    r = infer(parse('testcase t { x = 1 }\ny = x'))
    assert [m for _, m in r.errors] == ["undefined identifier x"]


def test_option_member_assignment():
    a = analyze('import "influxdata/influxdb/v1"\noption v1.databases = params.db')
    assert "db" in a.params


def test_free_variable_name_is_a_parameter():
    r = infer(parse('x = v.a + 1\ny = params.b'), free_name="v")
    assert format_type(r.free_type) == "{A with a: int}"
    assert [m for _, m in r.errors] == ["undefined identifier params"]


# -- deliberate deviations from libflux ---------------------------------------------------------

def test_function_parameter_named_params_shadows_only_inside():
    a = analyze('f = (params) => params.y\nfrom(bucket: params.b) |> range(start: -1h)')
    assert a.params == {"b": "string"}
    assert [r.line for r in a.references] == [2]


@pytest.mark.parametrize("script", [
    'params = {a: 1}\nx = params.a',
    'import params "strings"\nx = params.toUpper(v: "a")',
    'option params = {a: 1}\nx = params.a',
    'builtin params : {a: int}\nx = params.a',
])
def test_script_binding_params_gets_no_params(script):
    a = analyze(script)
    assert a.params == {}
    assert a.references == ()
    assert "FP203" in codes(a)
    d = [d for d in a.diagnostics if d.code == "FP203"][0]
    assert (d.line, d.column) == (1, 1)


def test_local_params_binding_is_not_a_rebinding():
    a = analyze('f = () => {\n params = 1\n return params\n}\nx = params.a + 1')
    assert a.params == {"a": "int"}
    assert "FP203" not in codes(a)


# -- robustness -----------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [
    lambda n: "x = params.a" + " + 1" * n,
    lambda n: "x = " + "(" * n + "params.a" + ")" * n,
    lambda n: "x = " + "f(x: " * n + "params.a" + ")" * n,
    lambda n: "x = " + "(a) => " * n + "params.a",
    lambda n: "x = " + "[" * n + "params.a" + "]" * n,
    lambda n: "x = " + "{a: " * n + "params.a" + "}" * n,
    lambda n: "x = params" + ".a" * n,
    lambda n: "x = " + "-" * n + "params.a",
])
def test_deepest_accepted_script_does_not_overflow(shape):
    def accepted(n):
        try:
            parse(shape(n))
            return True
        except FluxSyntaxError:
            return False

    # the parser accepts up to some depth (libflux's limits); binary-search it
    lo, hi = 1, 400
    assert accepted(lo) and not accepted(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if accepted(mid) else (lo, mid)
    analyze(shape(lo))  # must not raise RecursionError


def test_undefined_package_name_suggests_its_import():
    from fluxparams import analyze
    found = [d for d in analyze('x = strings.toUpper(v: params.s)\n').diagnostics if d.code == "FP103"]
    assert len(found) == 1
    assert found[0].message == 'undefined identifier strings; did you mean to import "strings"?'
    assert (found[0].line, found[0].column) == (1, 5)
    # a plain misspelling still gets the nearest name in scope
    [typo] = [d for d in analyze('x = fron(bucket: "b")\n').diagnostics if d.code == "FP103"]
    assert typo.message == "undefined identifier fron; did you mean from?"
