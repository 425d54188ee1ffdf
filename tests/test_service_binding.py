"""Invocation params: JSON -> Flux conversion, literal binding without injection, the InfluxDB call.

The invoke tests run against a stand-in InfluxDB (a real HTTP server on loopback) and parse the
query it received with fluxparams.parse: the ``option params`` record must hold literals with
exactly the values sent, whatever quotes, backslashes, ``${`` or Flux code they contain.
"""
from __future__ import annotations

import json
import subprocess
import warnings
from decimal import Decimal

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import fluxparams
from fluxparams import tree
from fluxparams.service import binding
from fluxparams.service.app import create_app
from fluxparams.service.invoke import InfluxConfig
from fluxparams.service.store import Store
from standin_influx import DEFAULT_CSV, StandinInflux

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
                                       {"a": "ok", "b": "nope", "d": 1})
    assert values == {"a": V("string", "ok")}
    text = "\n".join(problems)
    assert 'missing param "c"' in text and 'param "b"' in text and 'unknown param "d"' in text
    assert len(problems) == 3


# -- printed literals parse back to the same values --------------------------------------------

def option_record(query: str) -> tree.ObjectExpression:
    """The ``option params = {...}`` record of a parsed query (there must be exactly one)."""
    options = [s for s in fluxparams.parse(query).body if isinstance(s, tree.OptionStatement)]
    assert len(options) == 1
    assignment = options[0].assignment
    assert isinstance(assignment, tree.VariableAssignment) and assignment.id.name == "params"
    assert isinstance(assignment.init, tree.ObjectExpression) and assignment.init.with_ is None
    return assignment.init


def literal_value(node):
    """The Python value of a literal node, as the test understands Flux (not via binding.py)."""
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
        (prop,) = node.arguments.properties
        assert prop_key(prop) == "v" and isinstance(prop.value, tree.StringLiteral)
        return (node.callee.name, int(prop.value.value))
    raise AssertionError(f"not a literal: {node!r}")


def prop_key(prop: tree.Property) -> str:
    return prop.key.name if isinstance(prop.key, tree.Identifier) else prop.key.value


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_string_literals_round_trip(text):
    source = binding.option_source({"s": V("string", text)})
    assert {prop_key(p): literal_value(p.value) for p in option_record(source).properties} == \
        {"s": text}


@pytest.mark.parametrize("f", [0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, 1e16, 123456789.125,
                               0.1, 2.0 ** 60])
def test_float_literals_have_no_exponent_and_keep_the_value(f):
    source = binding.option_source({"f": V("float", f)})
    assert "e" not in source.split("=", 1)[1]
    (prop,) = option_record(source).properties
    assert literal_value(prop.value) == f


def test_odd_values_round_trip():
    values = {
        "min": V("int", -(2 ** 63)), "max": V("int", 2 ** 63 - 1),
        "u": V("uint", 2 ** 64 - 1), "d": V("duration", "-1h30m"),
        "t": V("time", "2026-11-26T10:00:00.5-01:00"), "b": V("bool", False),
        "weird key \"${x}\"": V("string", "v"), "import": V("int", 1),
        "rec": V("record", (("x", V("array", (V("float", 1.0), V("float", -2.0)))),)),
    }
    record = option_record(binding.option_source(values))
    got = {prop_key(p): literal_value(p.value) for p in record.properties}
    assert got == {
        "min": ("int", -(2 ** 63)), "max": 2 ** 63 - 1, "u": ("uint", 2 ** 64 - 1),
        "d": ("-", ("duration", ((1, "h"), (30, "m")))),
        "t": ("time", "2026-11-26T10:00:00.5-01:00"), "b": False,
        "weird key \"${x}\"": "v", "import": 1, "rec": {"x": [1.0, -2.0]},
    }


# -- placing the option in the script ----------------------------------------------------------

def test_bind_puts_the_option_after_imports_and_maps_lines():
    script = 'import "strings"\nimport "array"   // comment\nfrom(bucket: params.b)\n'
    bound = binding.bind(script, {"b": V("string", "x")})
    lines = bound.query.split("\n")
    assert lines[:2] == script.split("\n")[:2]
    assert lines[2] == 'option params = {b: "x"}'
    assert "\n".join(lines[:2] + lines[3:]) == script
    assert bound.script_line(4) == 3 and bound.script_line(1) == 1 and bound.script_line(3) is None
    msg = binding.map_positions("error @4:14-4:20: undefined identifier", bound)
    assert msg == "error @3:14-3:20: undefined identifier"
    option_record(bound.query)


def test_bind_without_header_prepends_and_without_params_changes_nothing():
    script = "from(bucket: params.b)"
    bound = binding.bind(script, {"b": V("string", "x")})
    assert bound.query == 'option params = {b: "x"}\n' + script
    assert binding.map_positions("error @2:1-2:5: x", bound) == "error @1:1-1:5: x"
    assert binding.bind("x = 1", {}).query == "x = 1"


def test_bind_when_a_statement_follows_the_import_on_its_line():
    script = 'import "strings" x = params.a'
    bound = binding.bind(script, {"a": V("int", 1)})
    assert bound.query == 'import "strings"\noption params = {a: 1}\n x = params.a'
    assert isinstance(fluxparams.parse(bound.query).body[1], tree.VariableAssignment)


def test_libflux_parses_the_bound_queries():
    from conftest import shared_path

    oracle = shared_path("oracle", "oracle.js")
    values = {f"s{i}": V("string", s) for i, s in enumerate(ADVERSARIAL)}
    values.update({"f": V("float", 5e-324), "u": V("uint", 2 ** 64 - 1), "d": V("duration", "-1h"),
                   "t": V("time", "2026-11-26T10:00:00Z"), "i": V("int", -(2 ** 63))})
    lines = []
    for i, (name, value) in enumerate(sorted(values.items())):
        query = binding.bind(f'import "strings"\nx = params.{name}', {name: value},
                             check=False).query
        lines.append(json.dumps({"id": str(i), "script": query}))
    done = subprocess.run(["node", str(oracle), "--parse-only", "--jsonl", "/dev/stdin"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=120)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(results) == len(values), done.stderr
    bad = [(r["id"], r.get("parse_errors")) for r in results if r.get("parse_ok") is not True]
    assert bad == []


# -- invoke through the app against a stand-in InfluxDB ----------------------------------------

@pytest.fixture
def influx():
    with StandinInflux() as s:
        yield s


@pytest.fixture
def setup(tmp_path, influx):
    store = Store(tmp_path / "invoke.db")
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


def test_invoke_binds_adversarial_strings_as_literals(setup, influx):
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
    assert req.body["type"] == "flux"
    assert req.body["dialect"]["header"] is True and req.body["dialect"]["annotations"] == []
    query = req.body["query"]
    record = option_record(query)
    assert all(isinstance(p.value, tree.StringLiteral) for p in record.properties)
    assert {prop_key(p): p.value.value for p in record.properties} == sent
    # Apart from the option line, the query is the script, untouched.
    first, rest = query.split("\n", 1)
    assert first.startswith("option params = ") and rest == script
    assert len(fluxparams.parse(query).body) == len(fluxparams.parse(script).body) + 1


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

# One JSON value per inferred type, and the literal it must become (written out by hand).
SAMPLES = {
    "string": ('a"b${c}', 'a"b${c}'),
    "int": (-42, -42),
    "uint": (2 ** 64 - 1, ("uint", 2 ** 64 - 1)),
    "float": (7, 7.0),
    "bool": (True, True),
    "duration": ("1h30m", ("duration", ((1, "h"), (30, "m")))),
    "time": ("2026-11-26T10:00:00Z", ("time", "2026-11-26T10:00:00Z")),
    "any": ("-1h", "-1h"),
}


def test_invoke_converts_each_inferred_type(setup, influx):
    client, headers = setup
    sid = make_script(client, headers, TYPED_SCRIPT)
    types = client.get(f"/api/v2/scripts/{sid}/params", headers=headers).json()["params"]
    assert types == fluxparams.analyze(TYPED_SCRIPT).params
    assert set(types) == {"bucket", "start", "every", "n", "host", "f", "flag", "u", "t"}
    sent = {name: SAMPLES[t][0] for name, t in types.items()}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": sent})
    assert r.status_code == 200, r.text
    query = influx.last.body["query"]
    got = {prop_key(p): literal_value(p.value) for p in option_record(query).properties}
    assert got == {name: SAMPLES[t][1] for name, t in types.items()}
    lines = query.split("\n")
    assert lines[0] == 'import "strings"' and lines[1].startswith("option params = ")
    assert "\n".join(lines[:1] + lines[2:]) == TYPED_SCRIPT


def test_invoke_refuses_before_calling_influx(setup, influx):
    client, headers = setup
    sid = make_script(client, headers, TYPED_SCRIPT)
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers,
                    json={"params": {"bucket": 1, "n": "5", "every": "soon"}})
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert influx.requests == []


def test_invoke_maps_influx_errors(setup, influx):
    client, headers = setup
    sid = make_script(client, headers, "from(bucket: params.b)\n  |> range(start: -1h)")
    influx.status = 404
    influx.error = {"code": "not found",
                    "message": 'failed to initialize execute state: could not find bucket "x"'}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": {"b": "x"}})
    assert r.status_code == 404
    assert r.json() == {"code": "not found", "message": "InfluxDB: " + influx.error["message"]}

    influx.status = 400
    influx.error = {"code": "invalid", "message": "error @3:6-3:11: undefined identifier rangx"}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": {"b": "x"}})
    assert r.status_code == 400
    # Positions are the script's own lines, not the query's (which has the option line first).
    assert r.json() == {"code": "invalid",
                        "message": "InfluxDB: error @2:6-2:11: undefined identifier rangx"}

    influx.status = 500
    influx.error = {"code": "weird", "message": "meltdown"}
    r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers, json={"params": {"b": "x"}})
    assert r.status_code == 500 and r.json()["code"] == "internal error"


def test_invoke_with_influx_down_is_503(tmp_path):
    from service_support import free_port

    store = Store(tmp_path / "down.db")
    token, _ = store.create_token("acme")
    influx = InfluxConfig(f"http://127.0.0.1:{free_port()}", None, "o", timeout=5)
    with TestClient(create_app(store, influx=influx), raise_server_exceptions=False) as client:
        headers = {"Authorization": f"Token {token}"}
        sid = make_script(client, headers, "x = 1")
        r = client.post(f"/api/v2/scripts/{sid}/invoke", headers=headers)
        assert r.status_code == 503 and r.json()["code"] == "unavailable"
    store.close()
