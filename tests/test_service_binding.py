"""Invocation params: JSON -> Flux conversion, the ``extern`` binding, the InfluxDB call.

The invoke tests run against a stand-in InfluxDB (a real HTTP server on loopback) that records the
request body: ``query`` must be the stored script byte for byte and ``extern`` exactly the
expected ``option params = {...}`` syntax tree, every string a JSON string equal to the one sent,
whatever quotes, backslashes, ``${`` or Flux code it contains. The extern is also turned into Flux
(service_support.extern_tree + fluxparams.unparse) and parsed back, to show the Flux values it
denotes; with ../shared and node present, libflux itself reads both forms.
"""
from __future__ import annotations

import json
import math
import shutil
import subprocess
import warnings
from decimal import Decimal

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from service_support import extern_tree
from standin_influx import DEFAULT_CSV, StandinInflux

import fluxparams
from fluxparams import tree
from fluxparams.service import binding
from fluxparams.service.app import create_app
from fluxparams.service.invoke import InfluxConfig
from fluxparams.service.stores import open_store
from fluxparams.unparse import unparse

ADVERSARIAL = [
    'say "hi"',
    "back\\slash\\",
    "trailing backslash \\",
    "${x}",
    "\\${x}",
    "$${x}}",
    "$",
    '") |> drop(columns: ["x"]) //',
    '" + string(v: 1) + "',
    "line1\nline2\r\n\ttab",
    "\x00\x01\x1f\x7f",
    "unicode: µs ü 日本 🚀 \u2028",
    "",
    "// not a comment",
    '"}\noption params = {bucket: "evil"}\n//',
]


# -- conversion rules --------------------------------------------------------------------------

def V(kind, data):
    return binding.Value(kind, data)


@pytest.mark.parametrize("flux_type, value, expected", [
    ("string", "x", V("string", "x")),
    ("int", 5, V("int", 5)),
    ("int", -(2 ** 63), V("int", -(2 ** 63))),
    ("uint", 2 ** 64 - 1, V("uint", 2 ** 64 - 1)),
    ("uint", 0, V("uint", 0)),
    ("float", 5, V("float", 5.0)),
    ("float", Decimal("2.5"), V("float", 2.5)),
    ("float", Decimal("1e300"), V("float", 1e300)),
    ("bool", True, V("bool", True)),
    ("duration", "1h30m", V("duration", "1h30m")),
    ("duration", "-5m", V("duration", "-5m")),
    ("duration", "05µs", V("duration", "5us")),
    ("duration", "1mo2w", V("duration", "1mo2w")),
    ("time", "2026-11-26T10:00:00Z", V("time", "2026-11-26T10:00:00Z")),
    ("time", "2026-11-26T10:00:00.123456789+05:30", V("time", "2026-11-26T10:00:00.123456789+05:30")),
    ("time", "2024-02-29", V("time", "2024-02-29")),
    ("any", "2026-11-26T10:00:00Z", V("string", "2026-11-26T10:00:00Z")),
    ("any", 3, V("int", 3)),
    ("any", Decimal("3.0"), V("float", 3.0)),
    ("any", False, V("bool", False)),
    ("any", [1, 2], V("array", (V("int", 1), V("int", 2)))),
    ("any", [[], [1]], V("array", (V("array", ()), V("array", (V("int", 1),))))),
    ("any", {"a b": "x", "if": 1}, V("record", (("a b", V("string", "x")), ("if", V("int", 1))))),
])
def test_convert_accepts(flux_type, value, expected):
    assert binding.convert_one(flux_type, value) == expected


@pytest.mark.parametrize("flux_type, value", [
    ("string", 1), ("string", None), ("string", ["a"]), ("string", "\ud800"),
    ("int", Decimal("1.0")), ("int", Decimal("1e3")), ("int", "1"), ("int", True),
    ("int", 2 ** 63),
    ("uint", -1), ("uint", 2 ** 64), ("uint", Decimal("1.5")),
    ("float", "1.5"), ("float", True), ("float", 2 ** 53 + 1), ("float", Decimal("1e400")),
    ("bool", "true"), ("bool", 0),
    ("duration", "1x"), ("duration", "h"), ("duration", 3600), ("duration", "1h "),
    ("duration", "- 1h"),
    ("time", "2026-11-26T10:00:00"), ("time", "2026-02-30"), ("time", "2026-11-26 10:00:00Z"),
    ("time", "2026-11-26T24:00:00Z"), ("time", 0), ("time", "2026-11-26t10:00:00z"),
    ("any", None), ("any", [1, "a"]), ("any", [1, 1.5]), ("any", {"": 1}), ("any", [None]),
    ("any", 2 ** 63),
])
def test_convert_refuses(flux_type, value):
    with pytest.raises(binding.ParamError):
        binding.convert_one(flux_type, value)


def test_convert_reports_every_problem_by_name():
    problems, values = binding.convert({"a": "string", "b": "int", "c": "bool"},
                                       {"a": "ok", "b": "nope", "d": 1, "e": None})
    assert values == {"a": V("string", "ok"), "d": V("int", 1)}
    text = "\n".join(problems)
    assert 'missing param "c"' in text and 'param "b"' in text and 'param "e"' in text
    assert len(problems) == 3


def test_convert_binds_params_the_script_does_not_use_by_their_json_type():
    # Cloud binds the whole params object: an extra key is allowed and typed like ``any``.
    payload = {"used": "x", "s": "1h", "i": -3, "u": 2 ** 63 - 1, "f": 1.5, "b": False,
               "arr": [[1], []], "rec": {"a b": [1.0, 2.0]}, "weird \"${k}\"": "v"}
    problems, values = binding.convert({"used": "string"}, payload)
    assert problems == []
    assert values == {name: binding.convert_one("any", v) for name, v in payload.items()}
    assert values["s"] == V("string", "1h")  # strings are never reinterpreted


@pytest.mark.parametrize("payload, fragment", [
    ({"": 1}, "param names must not be empty"),
    ({"x": None}, "null"),
    ({"x": [1, "a"]}, "same type"),
    ({"x": 2 ** 63}, "out of the int range"),
    ({"a\ud800": 1}, "lone surrogate"),
    ({"x": {"k": "\udc00"}}, "lone surrogate"),
])
def test_convert_refuses_extra_params_flux_cannot_hold(payload, fragment):
    problems, values = binding.convert({}, payload)
    assert len(problems) == 1 and fragment in problems[0], problems
    problems[0].encode("utf-8")  # the message itself stays valid UTF-8
    assert values == {}


# -- the extern syntax tree, node by node (expected shapes written out by hand) ------------------

def S(value):
    return {"type": "StringLiteral", "value": value}


def I(name):  # noqa: E743 - reads like the node type it builds
    return {"type": "Identifier", "name": name}


def prop(key, value):
    return {"type": "Property", "key": key, "value": value}


def option_file(*properties):
    return {"type": "File", "package": None, "imports": [], "body": [{
        "type": "OptionStatement",
        "assignment": {"type": "VariableAssignment", "id": I("params"),
                       "init": {"type": "ObjectExpression", "properties": list(properties)}}}]}


@pytest.mark.parametrize("value, node", [
    (V("string", 'a"b${c}'), S('a"b${c}')),
    (V("int", 5), {"type": "IntegerLiteral", "value": "5"}),
    (V("int", -42), {"type": "IntegerLiteral", "value": "-42"}),
    (V("int", -(2 ** 63)), {"type": "IntegerLiteral", "value": "-9223372036854775808"}),
    (V("int", 2 ** 63 - 1), {"type": "IntegerLiteral", "value": "9223372036854775807"}),
    (V("uint", 2 ** 64 - 1), {"type": "UnsignedIntegerLiteral", "value": "18446744073709551615"}),
    (V("uint", 0), {"type": "UnsignedIntegerLiteral", "value": "0"}),
    (V("float", 1.5), {"type": "FloatLiteral", "value": 1.5}),
    (V("float", -2.25), {"type": "FloatLiteral", "value": -2.25}),
    (V("float", 1e300), {"type": "FloatLiteral", "value": 1e300}),
    (V("bool", True), {"type": "BooleanLiteral", "value": True}),
    (V("bool", False), {"type": "BooleanLiteral", "value": False}),
    (V("duration", "1h30m"), {"type": "DurationLiteral",
                              "values": [{"magnitude": 1, "unit": "h"},
                                         {"magnitude": 30, "unit": "m"}]}),
    (V("duration", "-1mo2us"), {"type": "DurationLiteral",
                                "values": [{"magnitude": -1, "unit": "mo"},
                                           {"magnitude": -2, "unit": "us"}]}),
    (V("time", "2026-11-26T10:00:00.5-01:00"),
     {"type": "DateTimeLiteral", "value": "2026-11-26T10:00:00.5-01:00"}),
    (V("time", "2024-02-29"), {"type": "DateTimeLiteral", "value": "2024-02-29T00:00:00Z"}),
    (V("array", ()), {"type": "ArrayExpression", "elements": []}),
    (V("array", (V("int", 1), V("int", -2))),
     {"type": "ArrayExpression", "elements": [{"type": "IntegerLiteral", "value": "1"},
                                              {"type": "IntegerLiteral", "value": "-2"}]}),
    (V("record", (("x", V("string", "v")), ("a b", V("bool", True)), ("if", V("int", 1)),
                  ("ü", V("record", ())))),
     {"type": "ObjectExpression", "properties": [
         prop(I("x"), S("v")), prop(S("a b"), {"type": "BooleanLiteral", "value": True}),
         prop(S("if"), {"type": "IntegerLiteral", "value": "1"}),
         prop(S("ü"), {"type": "ObjectExpression", "properties": []})]}),
])
def test_literal_nodes(value, node):
    assert binding.literal_node(value) == node
    # What goes on the wire decodes to the same tree.
    assert json.loads(json.dumps(binding.literal_node(value))) == node


def test_negative_zero_keeps_its_sign_on_the_wire():
    node = json.loads(json.dumps(binding.literal_node(V("float", -0.0))))
    assert node["type"] == "FloatLiteral" and math.copysign(1, node["value"]) == -1


def test_extern_file_is_one_option_statement_with_params_sorted():
    values = {"b": V("int", 1), "a": V("string", "x"), "weird key": V("bool", False)}
    assert binding.extern_file(values) == option_file(
        prop(I("a"), S("x")), prop(I("b"), {"type": "IntegerLiteral", "value": "1"}),
        prop(S("weird key"), {"type": "BooleanLiteral", "value": False}))


def test_adversarial_strings_are_plain_json_strings():
    values = {f"s{i}": V("string", text) for i, text in enumerate(ADVERSARIAL)}
    wire = json.loads(json.dumps(binding.extern_file(values)))
    props = wire["body"][0]["assignment"]["init"]["properties"]
    assert {p["key"]["name"]: p["value"] for p in props} == \
        {name: S(v.data) for name, v in values.items()}


# -- the extern as Flux: unparse, parse back, read the values ------------------------------------

def option_record(file: tree.File) -> tree.ObjectExpression:
    """The ``option params = {...}`` record of a parsed file (there must be exactly one)."""
    options = [s for s in file.body if isinstance(s, tree.OptionStatement)]
    assert len(options) == 1
    assignment = options[0].assignment
    assert isinstance(assignment, tree.VariableAssignment) and assignment.id.name == "params"
    assert isinstance(assignment.init, tree.ObjectExpression) and assignment.init.with_ is None
    return assignment.init


def literal_value(node):
    """The Python value of a parsed literal, as the test understands Flux (not via binding.py)."""
    if isinstance(node, tree.StringLiteral):
        return node.value
    if isinstance(node, (tree.IntegerLiteral, tree.FloatLiteral)):
        return node.value
    if isinstance(node, tree.UnaryExpression) and node.operator == "-":
        inner = literal_value(node.argument)
        return ("-", inner) if isinstance(inner, tuple) else -inner
    if isinstance(node, tree.Identifier) and node.name in ("true", "false"):
        return node.name == "true"
    if isinstance(node, tree.DurationLiteral):
        return ("duration", node.values)
    if isinstance(node, tree.DateTimeLiteral):
        return ("time", node.value)
    if isinstance(node, tree.ArrayExpression):
        return [literal_value(e) for e in node.elements]
    if isinstance(node, tree.ObjectExpression):
        assert node.with_ is None
        return {prop_key(p): literal_value(p.value) for p in node.properties}
    if (isinstance(node, tree.CallExpression) and isinstance(node.callee, tree.Identifier)
            and node.callee.name in ("uint", "int")):
        (p,) = node.arguments.properties
        assert prop_key(p) == "v" and isinstance(p.value, tree.StringLiteral)
        return (node.callee.name, int(p.value.value))
    raise AssertionError(f"not a literal: {node!r}")


def prop_key(p: tree.Property) -> str:
    return p.key.name if isinstance(p.key, tree.Identifier) else p.key.value


def extern_as_flux(extern) -> str:
    """The extern as Flux source; checks that the source parses back to the very same tree."""
    file = extern_tree(extern)
    source = unparse(file)
    assert fluxparams.parse(source) == file
    return source


def extern_values(extern) -> dict:
    record = option_record(fluxparams.parse(extern_as_flux(extern)))
    return {prop_key(p): literal_value(p.value) for p in record.properties}


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_adversarial_strings_denote_themselves(text):
    assert extern_values(binding.extern_file({"s": V("string", text)})) == {"s": text}


@pytest.mark.parametrize("f", [0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, 1e16, 123456789.125,
                               0.1, 2.0 ** 60])
def test_floats_denote_themselves(f):
    (got,) = extern_values(binding.extern_file({"f": V("float", f)})).values()
    assert got == f and math.copysign(1, got) == math.copysign(1, f)


def test_odd_values_denote_themselves():
    values = {
        "min": V("int", -(2 ** 63)), "max": V("int", 2 ** 63 - 1), "neg": V("int", -7),
        "u": V("uint", 2 ** 64 - 1), "d": V("duration", "-1h30m"),
        "t": V("time", "2026-11-26T10:00:00.5-01:00"), "day": V("time", "2026-11-26"),
        "b": V("bool", False), "weird key \"${x}\"": V("string", "v"), "import": V("int", 1),
        "rec": V("record", (("x", V("array", (V("float", 1.0), V("float", -2.0)))),)),
    }
    assert extern_values(binding.extern_file(values)) == {
        "min": ("int", -(2 ** 63)), "max": 2 ** 63 - 1, "neg": -7, "u": ("uint", 2 ** 64 - 1),
        "d": ("-", ("duration", ((1, "h"), (30, "m")))),
        "t": ("time", "2026-11-26T10:00:00.5-01:00"), "day": ("time", "2026-11-26T00:00:00Z"),
        "b": False, "weird key \"${x}\"": "v", "import": 1, "rec": {"x": [1.0, -2.0]},
    }


# -- libflux reads it (needs ../shared/oracle and node) --------------------------------------------

LIBFLUX_VALUES = dict(
    {f"s{i}": V("string", s) for i, s in enumerate(ADVERSARIAL)},
    f=V("float", 5e-324), nf=V("float", -0.0), u=V("uint", 2 ** 64 - 1), d=V("duration", "-1h"),
    t=V("time", "2026-11-26T10:00:00Z"), day=V("time", "2026-11-26"), i=V("int", -(2 ** 63)),
    # the parser's date-time rule: second 60 (at any minute) and fractions of any length
    t60=binding.convert_one("time", "2020-06-30T12:00:60Z"),
    tfrac=binding.convert_one("time", "2021-03-04T10:11:60.1234567891234+01:00"),
    b=V("bool", True), rec=V("record", (("a b", V("array", (V("int", 1),))),)))


def _node():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    return node


def test_libflux_parses_the_extern_as_flux_with_a_script():
    from conftest import shared_path

    oracle = shared_path("oracle", "oracle.js")
    shared_path("oracle", "node_modules")  # `npm ci` not run there: no libflux to ask
    node = _node()
    lines = []
    for i, (name, value) in enumerate(sorted(LIBFLUX_VALUES.items())):
        option = extern_as_flux(binding.extern_file({name: value})).rstrip("\n")
        # In source the option must follow the script's imports (InfluxDB puts extern first).
        script = f'import "strings"\n{option}\nx = params.{name}'
        lines.append(json.dumps({"id": str(i), "script": script}))
    done = subprocess.run([node, str(oracle), "--parse-only", "--jsonl", "/dev/stdin"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=120)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(results) == len(LIBFLUX_VALUES), done.stderr
    bad = [(r["id"], r.get("parse_errors")) for r in results if r.get("parse_ok") is not True]
    assert bad == []


DECODE_JS = r"""
const lib = require(process.argv[1]);
const out = [];
for (const line of require('fs').readFileSync(0, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  try { lib.format_from_js_file(JSON.parse(line)); out.push('ok'); }
  catch (e) { out.push(String(e)); }
}
process.stdout.write(JSON.stringify(out));
"""


def test_libflux_decodes_the_extern_json():
    # format_from_js_file deserializes a JSON File with libflux's own serde AST types, the
    # decoding an extern goes through: an unknown shape is an error, not a guess.
    from conftest import shared_path

    lib = shared_path("oracle", "node_modules", "@influxdata", "flux-lsp-node")
    node = _node()
    externs = [binding.extern_file({name: value}) for name, value in sorted(LIBFLUX_VALUES.items())]
    externs.append(binding.extern_file(LIBFLUX_VALUES))
    bad_shape = option_file(prop(I("x"), {"type": "IntegerLiteral", "value": 5}))
    done = subprocess.run([node, "-e", DECODE_JS, str(lib)], capture_output=True, text=True,
                          input="\n".join(json.dumps(e) for e in externs + [bad_shape]) + "\n",
                          timeout=120)
    results = json.loads(done.stdout)
    assert results[:-1] == ["ok"] * len(externs), done.stderr
    assert results[-1] != "ok"  # the check can fail: an integer value must be a string


# -- invoke through the app against a stand-in InfluxDB ----------------------------------------

@pytest.fixture
def influx():
    with StandinInflux() as s:
        yield s


@pytest.fixture
def setup(store_db, influx):
    store = open_store(store_db)
    token, _ = store.create_token("acme")
    app = create_app(store, influx=InfluxConfig(influx.url, "influx-secret", "my-org"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, {"Authorization": f"Token {token}"}
    store.close()


def make_script(client, headers, script, name="s"):
    r = client.post("/api/v2/scripts", headers=headers, json={
        "name": name, "description": "", "language": "flux", "script": script})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_invoke_sends_the_script_unchanged_and_adversarial_strings_as_json(setup, influx):
    client, headers = setup
    names = [f"p{i}" for i in range(len(ADVERSARIAL))]
    script = "\n".join(f"x{i} = from(bucket: params.{n})" for i, n in enumerate(names)) + \
        '\ny = from(bucket: "b") |> range(start: -1h) |> filter(fn: (r) => r.host == params.host)'
    sid = make_script(client, headers, script)
    sent = dict(zip(names, ADVERSARIAL))
    sent["host"] = '"; drop'
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": sent})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.text == DEFAULT_CSV

    req = influx.last
    assert req.path == "/api/v2/query" and req.query == {"org": ["my-org"]}
    assert req.headers["authorization"] == "Token influx-secret"
    assert req.headers["content-type"] == "application/json"
    assert set(req.body) == {"query", "extern", "type", "dialect"}
    assert req.body["type"] == "flux"
    assert req.body["dialect"]["header"] is True and req.body["dialect"]["annotations"] == []
    assert req.body["query"] == script
    assert req.body["extern"] == option_file(*(prop(I(n), S(sent[n])) for n in sorted(sent)))
    assert extern_values(req.body["extern"]) == sent


TYPED_SCRIPT = """import "strings"
from(bucket: params.bucket)
  |> range(start: params.start)
  |> aggregateWindow(every: params.every, fn: mean)
  |> limit(n: params.n)
  |> filter(fn: (r) => r.host == params.host)
x = params.f + 1.0
y = not params.flag
w = uint(v: 1) + params.u
ts = [params.t, now()]
"""

# One JSON value per inferred type, the extern node it must become and the Flux value that node
# denotes (all written out by hand).
SAMPLES = {
    "string": ('a"b${c}', S('a"b${c}'), 'a"b${c}'),
    "int": (-42, {"type": "IntegerLiteral", "value": "-42"}, -42),
    "uint": (2 ** 64 - 1, {"type": "UnsignedIntegerLiteral", "value": "18446744073709551615"},
             ("uint", 2 ** 64 - 1)),
    "float": (7, {"type": "FloatLiteral", "value": 7.0}, 7.0),
    "bool": (True, {"type": "BooleanLiteral", "value": True}, True),
    "duration": ("1h30m", {"type": "DurationLiteral", "values": [
        {"magnitude": 1, "unit": "h"}, {"magnitude": 30, "unit": "m"}]},
        ("duration", ((1, "h"), (30, "m")))),
    "time": ("2026-11-26T10:00:00Z", {"type": "DateTimeLiteral", "value": "2026-11-26T10:00:00Z"},
             ("time", "2026-11-26T10:00:00Z")),
    "any": ("-1h", S("-1h"), "-1h"),
}


def test_invoke_converts_each_inferred_type(setup, influx):
    client, headers = setup
    sid = make_script(client, headers, TYPED_SCRIPT)
    types = client.get(f"/api/v2/scripts/{sid}/params", headers=headers).json()["params"]
    assert types == fluxparams.analyze(TYPED_SCRIPT).params
    assert set(types) == {"bucket", "start", "every", "n", "host", "f", "flag", "u", "t"}
    assert set(types.values()) == set(SAMPLES)  # every type is exercised
    sent = {name: SAMPLES[t][0] for name, t in types.items()}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": sent})
    assert r.status_code == 200, r.text
    body = influx.last.body
    assert body["query"] == TYPED_SCRIPT
    assert body["extern"] == option_file(*(prop(I(n), SAMPLES[types[n]][1]) for n in sorted(types)))
    assert extern_values(body["extern"]) == {n: SAMPLES[t][2] for n, t in types.items()}


def test_invoke_without_params_sends_no_extern(setup, influx):
    client, headers = setup
    script = 'from(bucket: "b")\n  |> range(start: -1h)'
    sid = make_script(client, headers, script)
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers)
    assert r.status_code == 200, r.text
    assert influx.last.body["query"] == script and "extern" not in influx.last.body


def test_invoke_refuses_before_calling_influx(setup, influx):
    client, headers = setup
    sid = make_script(client, headers, TYPED_SCRIPT)
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers,
                    json={"params": {"bucket": 1, "n": "5", "every": "soon"}})
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert influx.requests == []


def test_invoke_passes_influx_errors_on(setup, influx):
    client, headers = setup
    sid = make_script(client, headers, "from(bucket: params.b)\n  |> rangx(start: -1h)")
    influx.status = 404
    influx.error = {"code": "not found",
                    "message": 'failed to initialize execute state: could not find bucket "x"'}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": {"b": "x"}})
    assert r.status_code == 404
    assert r.json() == {"code": "not found", "message": "InfluxDB: " + influx.error["message"]}

    influx.status = 400
    influx.error = {"code": "invalid", "message": "error @2:6-2:11: undefined identifier rangx"}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": {"b": "x"}})
    assert r.status_code == 400
    # The query is the script itself, so InfluxDB's positions are the script's: passed on as is.
    assert r.json() == {"code": "invalid",
                        "message": "InfluxDB: error @2:6-2:11: undefined identifier rangx"}

    influx.status = 500
    influx.error = {"code": "weird", "message": "meltdown"}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": {"b": "x"}})
    assert r.status_code == 500 and r.json()["code"] == "internal error"


def test_invoke_with_influx_down_is_503(store_db):
    from service_support import free_port

    store = open_store(store_db)
    token, _ = store.create_token("acme")
    influx = InfluxConfig(f"http://127.0.0.1:{free_port()}", None, "o", timeout=5)
    with TestClient(create_app(store, influx=influx), raise_server_exceptions=False) as client:
        headers = {"Authorization": f"Token {token}"}
        sid = make_script(client, headers, "x = 1")
        r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers)
        assert r.status_code == 503 and r.json()["code"] == "unavailable"
    store.close()
