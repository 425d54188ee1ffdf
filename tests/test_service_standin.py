"""libflux itself accepts what invoke sends: the extern of every param type compiles with the script.

The stand-in InfluxDB (standin_influx.py) has libflux (../shared/oracle) compile each query with
its extern; these tests skip cleanly when the oracle is not usable.
"""
from __future__ import annotations

import warnings

import pytest
from standin_influx import StandinInflux, flux_with_extern, oracle_usable, shared_compiler

import fluxparams
from fluxparams.service import binding
from fluxparams.service.app import create_app
from fluxparams.service.binding import Value as V
from fluxparams.service.invoke import InfluxConfig
from fluxparams.service.stores import open_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

needs_oracle = pytest.mark.skipif(not oracle_usable(),
                                  reason="../shared/oracle with node and node_modules is absent")

# Every use pins its param's type, so a wrongly typed literal is a libflux type error.
SCRIPT = """import "strings"
import "array"

from(bucket: params.bucket)
  |> range(start: -1h)
  |> aggregateWindow(every: params.every, fn: mean)
  |> limit(n: params.n)
  |> filter(fn: (r) => r.host == params.host and contains(value: r.host, set: params.hosts))
x = params.f + 1.0
y = not params.flag
w = uint(v: 1) + params.u
ts = [params.t, now()]
z = params.rec.a + 1
label = strings.toUpper(v: params.rec.name)
"""

PARAMS = {
    "bucket": 'air "sensor" ${x}', "every": "-1h30m", "n": -9223372036854775808,
    "host": "h1", "hosts": ["h1", "h2"], "f": 5e-324, "flag": True,
    "u": 18446744073709551615, "t": "2026-11-26T10:00:00.5-01:00",
    "rec": {"a": 7, "name": "n", "nested": {"deep": [[1.5], []]}},
    # params the script does not use, bound by their JSON type
    "extra string": "s", "extra_int": 1, "extra_float": -0.0, "extra_bool": False,
    "extra_array": [{"k": "v"}], "extra_record": {"a b": [1, 2], "import": "kw"},
}


@pytest.fixture
def served(store_db):
    with StandinInflux(compile_check=True) as influx:
        store = open_store(store_db)
        token, _ = store.create_token("acme")
        app = create_app(store, influx=InfluxConfig(influx.url, "t", "o"))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client, {"Authorization": f"Token {token}"}, influx
        store.close()


def test_the_script_uses_every_type():
    types = fluxparams.analyze(SCRIPT).params
    assert set(types.values()) == {"string", "int", "uint", "float", "bool", "duration", "time",
                                   "any"}
    assert types["hosts"] == types["rec"] == "any"  # bound as an array and a record


@needs_oracle
def test_every_param_type_and_extra_params_compile_with_the_script(served):
    client, headers, influx = served
    r = client.post("/api/v2/scripts", headers=headers, json={
        "name": "typed", "description": "", "language": "flux", "script": SCRIPT})
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v2/scripts/{r.json()['id']}/invoke", headers=headers,
                    json={"params": PARAMS})
    assert r.status_code == 200, r.text
    compiled = influx.last.compiled
    assert compiled is not None and compiled.ok, compiled
    assert compiled.source.startswith('import "strings"\nimport "array"\noption params = {')


@needs_oracle
@pytest.mark.parametrize("name, value", [
    ("n", V("string", "5")), ("n", V("uint", 5)), ("n", V("float", 5.0)),
    ("every", V("string", "1h")), ("t", V("string", "2026-11-26T10:00:00Z")),
    ("u", V("int", 1)), ("flag", V("int", 1)), ("hosts", V("int", 1)),
    ("rec", V("record", (("a", V("string", "7")), ("name", V("string", "n"))))),
])
def test_the_check_fails_on_a_wrongly_typed_literal(name, value):
    # The same extern with one literal of the wrong type: libflux must refuse it, or the check
    # above would prove nothing.
    good = binding.convert(fluxparams.analyze(SCRIPT).params, PARAMS)[1]
    compiler = shared_compiler()
    assert compiler.check(SCRIPT, binding.extern_file(good)).ok
    bad = compiler.check(SCRIPT, binding.extern_file({**good, name: value}))
    assert not bad.ok and bad.errors


@needs_oracle
def test_a_refused_query_is_answered_400_like_influxdb(served):
    client, headers, influx = served
    r = client.post("/api/v2/scripts", headers=headers, json={
        "name": "typo", "description": "", "language": "flux",
        "script": "from(bucket: params.b)\n  |> rangx(start: -1h)"})
    r = client.post(f"/api/v2/scripts/{r.json()['id']}/invoke", headers=headers,
                    json={"params": {"b": "x"}})
    assert r.status_code == 400 and "undefined identifier rangx" in r.json()["message"]
    assert influx.last.compiled is not None and not influx.last.compiled.ok


@pytest.mark.parametrize("query, expected", [
    ("x = params.a", "option params = {a: 1}\nx = params.a"),
    ('import "strings"\nx = params.a', 'import "strings"\noption params = {a: 1}\nx = params.a'),
    ('package p\nx = params.a', 'package p\noption params = {a: 1}\nx = params.a'),
    ('import "a" import "b"  x = params.a',
     'import "a" import "b"\noption params = {a: 1}\n  x = params.a'),
])
def test_the_extern_goes_after_the_imports(query, expected):
    extern = binding.extern_file({"a": V("int", 1)})
    assert flux_with_extern(query, extern) == expected
    assert flux_with_extern(query, None) == query
