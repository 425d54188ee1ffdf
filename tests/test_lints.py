"""FP2xx lints: on hand-built trees (the lint contract) and on parsed scripts."""
from __future__ import annotations

from collections import namedtuple

import pytest

from fluxparams import tree as t
from fluxparams.lints import lint

Ref = namedtuple("Ref", "name type line column end_line end_column")
L = t.Loc


def params_member(name, line, col, bracket=False):
    """``params.name`` (or ``params["name"]``) starting at line:col."""
    obj = t.Identifier("params", L(line, col, line, col + 6))
    if bracket:
        prop = t.StringLiteral(name, L(line, col + 7, line, col + 9 + len(name)))
        end = col + 10 + len(name)
    else:
        prop = t.Identifier(name, L(line, col + 7, line, col + 7 + len(name)))
        end = col + 7 + len(name)
    return t.MemberExpression(obj, prop, L(line, col, line, end))


def ref_for(member, type_="any"):
    name = member.property.name if isinstance(member.property, t.Identifier) else member.property.value
    return Ref(name, type_, *member.loc)


def call(callee, **args):
    props = tuple(t.Property(t.Identifier(k), v) for k, v in args.items())
    return t.CallExpression(t.Identifier(callee), t.ObjectExpression(None, props) if props else None)


def script(*expressions):
    return t.File(None, (), tuple(t.ExpressionStatement(e) for e in expressions))


def codes(found):
    return [d.code for d in found]


# -- FP202 ---------------------------------------------------------------------

@pytest.mark.parametrize("bound", ["start", "stop"])
def test_raw_param_in_piped_range_is_flagged_at_the_member(bound):
    member = params_member("since", 2, 20)
    piped = t.PipeExpression(call("from", bucket=t.StringLiteral("b")), call("range", **{bound: member}))
    found = lint(script(piped), {"since": "any"}, (ref_for(member),))
    assert codes(found) == ["FP202"]
    d = found[0]
    assert (d.line, d.column, d.end_line, d.end_column) == (2, 20, 2, 32)
    assert d.severity == "warning"
    assert f"range({bound}:)" in d.message and "duration(v: params.since)" in d.message


def test_raw_param_in_direct_range_call_and_bracket_form():
    member = params_member("since", 1, 30, bracket=True)
    found = lint(script(call("range", tables=t.Identifier("x"), start=member)), {"since": "any"},
                 (ref_for(member),))
    assert codes(found) == ["FP202"]
    assert "params.since" in found[0].message


def test_parenthesised_param_is_still_raw():
    member = params_member("since", 1, 20)
    found = lint(script(call("range", start=t.ParenExpression(member))), {"since": "any"},
                 (ref_for(member),))
    assert codes(found) == ["FP202"]


@pytest.mark.parametrize("wrap", [
    lambda m: call("duration", v=m),
    lambda m: call("time", v=m),
    lambda m: t.UnaryExpression("-", m),
    lambda m: t.BinaryExpression("+", m, t.IntegerLiteral(1)),
])
def test_wrapped_param_in_range_is_fine(wrap):
    member = params_member("since", 1, 30)
    found = lint(script(call("range", start=wrap(member))), {"since": "any"}, (ref_for(member),))
    assert found == []


def test_param_in_other_arguments_or_other_functions_is_fine():
    m1, m2 = params_member("bucket", 1, 10), params_member("n", 2, 10)
    found = lint(script(call("from", bucket=m1), call("limit", start=m2)),
                 {"bucket": "string", "n": "any"}, (ref_for(m1, "string"), ref_for(m2)))
    assert found == []


def test_shadowed_params_is_not_an_invoke_param():
    # Inference reports no reference when ``params`` is a local binding; nor does the lint.
    member = params_member("since", 1, 30)
    assert lint(script(call("range", start=member)), {}, ()) == []


def test_range_inside_a_function_body_is_found():
    member = params_member("since", 3, 15)
    fn = t.FunctionExpression((t.Property(t.Identifier("tables"), t.PipeLiteral()),),
                              t.Block((t.ReturnStatement(call("range", stop=member)),)))
    found = lint(t.File(None, (), (t.VariableAssignment(t.Identifier("f"), fn),)), {"since": "any"},
                 (ref_for(member),))
    assert codes(found) == ["FP202"] and found[0].argument == "stop"


# -- FP201 ---------------------------------------------------------------------

@pytest.mark.parametrize("type_,conversion,json_type", [
    ("duration", "duration(v: params.x)", "string"),
    ("time", "time(v: params.x)", "string"),
    ("uint", "uint(v: params.x)", "int"),
])
def test_param_of_a_type_json_cannot_carry(type_, conversion, json_type):
    first, second = params_member("x", 2, 5), params_member("x", 1, 9)
    found = lint(script(first, second), {"x": type_}, (ref_for(second, type_), ref_for(first, type_)))
    assert codes(found) == ["FP201"], "one finding per param"
    d = found[0]
    assert (d.line, d.column) == (1, 9), "at the first reference"
    assert d.severity == "warning"
    assert conversion in d.message and f"take a {json_type} param" in d.message


@pytest.mark.parametrize("type_", ["any", "bool", "int", "float", "string"])
def test_json_carriable_types_are_fine(type_):
    member = params_member("x", 1, 1)
    assert lint(script(member), {"x": type_}, (ref_for(member, type_),)) == []


def test_findings_are_sorted_by_position():
    a, b = params_member("b", 1, 1), params_member("a", 2, 1)
    found = lint(script(a, b), {"a": "uint", "b": "time"}, (ref_for(a, "time"), ref_for(b, "uint")))
    assert [(d.line, d.name) for d in found] == [(1, "b"), (2, "a")]


def test_deeply_nested_tree_does_not_hit_the_recursion_limit():
    member = params_member("since", 1, 1)
    expr = call("range", start=member)
    for _ in range(5000):
        expr = t.ParenExpression(t.UnaryExpression("not", expr))
    assert codes(lint(script(expr), {"since": "any"}, (ref_for(member),))) == ["FP202"]


# -- on parsed scripts, with the references inference finds ----------------------------------

def lint_script(source):
    from fluxparams import analyze, parse

    analysis = analyze(source)
    return lint(parse(source), analysis.params, analysis.references)


def test_parsed_piped_range_with_dot_and_bracket_params():
    source = 'from(bucket: "b")\n  |> range(start: params.start, stop: params["stop"])\n'
    found = lint_script(source)
    assert [(d.code, d.line, d.column, d.end_column, d.argument) for d in found] == [
        ("FP202", 2, 19, 31, "start"), ("FP202", 2, 39, 53, "stop")]


def test_parsed_wrapped_params_in_range_are_fine():
    source = ('from(bucket: "b")\n  |> range(start: duration(v: params.start), stop: time(v: params.stop))\n'
              '  |> range(start: -params.ago)\n')
    assert lint_script(source) == []


def test_parsed_params_of_a_function_parameter_are_not_invoke_params():
    source = 'f = (params) => from(bucket: "b") |> range(start: params.start)\nx = params.n + 1\n'
    assert lint_script(source) == []


def test_parsed_rebound_params_gets_no_fp2xx():
    source = 'params = {start: -1h}\nfrom(bucket: "b") |> range(start: params.start)\n'
    assert lint_script(source) == []


def test_parsed_time_and_duration_params_once_each_at_the_first_use():
    source = ('x = [params.t, now()]\ny = params.t\n'
              'from(bucket: "b") |> range(start: -1h) |> aggregateWindow(every: params.d, fn: mean)\n')
    found = lint_script(source)
    assert [(d.code, d.line, d.column, d.name, d.type) for d in found] == [
        ("FP201", 1, 6, "t", "time"), ("FP201", 3, 66, "d", "duration")]
