"""The official InfluxDB clients, unchanged, against a real ``fluxparams serve`` process.

Python: ``influxdb-client`` (a test dependency). JavaScript: ``@influxdata/influxdb-client`` and
``@influxdata/influxdb-client-apis`` from tests/clients (package.json + package-lock.json; run
``npm ci`` there), skipped when node or those node_modules are absent. The server runs on loopback
with the stand-in InfluxDB (which, with ../shared/oracle, has libflux compile every query). The
examples in docs/service.md are read out of the page and run as written.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import fresh_schema
from service_support import REPO, LiveServer, cli_token
from standin_influx import DEFAULT_CSV, StandinInflux

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="LiveServer uses POSIX signals")]

CLIENTS = Path(__file__).resolve().parent / "clients"
DOC = REPO / "docs" / "service.md"
SCRIPT = "from(bucket: params.bucket)\n  |> range(start: -1h)\n  |> limit(n: params.n)"
STANDIN_ROW = ("used_percent", "72.01", "host2")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def served(request, tmp_path_factory):
    """A real server with the stand-in InfluxDB behind it, once per store (module-scoped: the
    clients' cycles share it)."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            db = str(tmp_path_factory.mktemp("clients") / "clients.db")
        else:
            db = stack.enter_context(fresh_schema(request.getfixturevalue("postgres_database")))
        token = cli_token(db, "acme")
        influx = stack.enter_context(StandinInflux())
        srv = stack.enter_context(LiveServer(db, "--influx-url", influx.url, "--influx-org", "o"))
        yield srv.url, token, influx


def doc_example(language: str) -> str:
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text(encoding="utf-8"),
                        re.S | re.M)
    assert len(blocks) == 1, f"docs/service.md should hold one {language} example"
    return blocks[0]


def assert_compiled(influx, since: int) -> None:
    for request in influx.requests[since:]:
        assert request.compiled is None or request.compiled.ok, request.compiled


# -- Python ---------------------------------------------------------------------------------------

def test_python_client_full_cycle(served):
    pytest.importorskip("influxdb_client")
    from influxdb_client import InfluxDBClient
    from influxdb_client.client.flux_table import FluxRecord, FluxTable
    from influxdb_client.domain.script_create_request import ScriptCreateRequest
    from influxdb_client.domain.script_language import ScriptLanguage
    from influxdb_client.domain.script_update_request import ScriptUpdateRequest
    from influxdb_client.rest import ApiException
    from influxdb_client.service.invokable_scripts_service import InvokableScriptsService

    url, token, influx = served
    before = len(influx.requests)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # CloudOnlyWarning among others: the build says Cloud
        with InfluxDBClient(url=url, token=token, org="acme") as client:
            assert client.ping() is True
            assert client.build() == "Cloud"
            api = client.invokable_scripts_api()
            created = [api.create_script(ScriptCreateRequest(
                name=f"py-{i}", description=f"script {i}", language=ScriptLanguage.FLUX,
                script=SCRIPT)) for i in range(3)]
            assert [s.name for s in created] == ["py-0", "py-1", "py-2"]
            assert all(s.url == f"{url}/api/v2/scripts/{s.id}/invoke" for s in created)

            page = api.find_scripts(limit=2, offset=1)
            assert [s.id for s in page] == [s.id for s in created[1:3]]
            assert [s.id for s in api.find_scripts(limit=1)] == [created[0].id]

            sid = created[0].id
            updated = api.update_script(sid, ScriptUpdateRequest(description="changed"))
            assert updated.description == "changed" and updated.script == SCRIPT

            # The client's get_scripts_id_params fails on its own (no 'Params' model) ...
            service = InvokableScriptsService(client.api_client)
            with pytest.raises(AttributeError, match="Params"):
                service.get_scripts_id_params(sid)
            # ... the documented workaround reads the raw answer through the same ApiClient.
            raw = service.get_scripts_id_params(sid, _preload_content=False)
            assert json.loads(raw.data) == {"params": {"bucket": "string", "n": "int"}}
            raw = client.api_client.call_api(
                "/api/v2/scripts/{scriptID}/params", "GET", path_params={"scriptID": sid},
                header_params={"Accept": "application/json"}, auth_settings=[],
                _return_http_data_only=True, _preload_content=False)
            assert json.loads(raw.data)["params"] == {"bucket": "string", "n": "int"}

            params = {"bucket": 'air "sensor"', "n": 3, "extra": {"k": [1.5]}}
            tables = api.invoke_script(sid, params=params)
            assert all(isinstance(t, FluxTable) for t in tables) and len(tables) == 1
            rows = [(r.get_field(), r.get_value(), r["host"]) for r in tables[0].records]
            assert rows == [STANDIN_ROW]
            body = influx.last.body
            assert body["query"] == SCRIPT and "extern" in body

            csv_rows = list(api.invoke_script_csv(sid, params=params))
            assert csv_rows[0][:4] == ["", "result", "table", "_start"]
            assert csv_rows[1][-4:] == ["72.01", "used_percent", "mem", "host2"]

            stream = list(api.invoke_script_stream(sid, params=params))
            assert all(isinstance(r, FluxRecord) for r in stream)
            assert [(r.get_field(), r.get_value(), r["host"]) for r in stream] == [STANDIN_ROW]

            with pytest.raises(ApiException) as bad:
                api.invoke_script(sid, params={"bucket": 5, "n": 1})
            assert bad.value.status == 400
            assert bad.value.headers["X-Platform-Error-Code"] == "invalid"
            assert 'param "bucket": expected string' in json.loads(bad.value.body)["message"]

            for s in created:
                api.delete_script(s.id)
            assert api.find_scripts() == []
    assert_compiled(influx, before)


def test_python_example_in_the_docs_runs_as_written(served, tmp_path):
    pytest.importorskip("influxdb_client")
    url, token, influx = served
    before = len(influx.requests)
    example = tmp_path / "example.py"
    example.write_text(doc_example("python"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-W", "error::UserWarning", str(example)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FLUXPARAMS_URL": url, "FLUXPARAMS_TOKEN": token})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["{'params': {'bucket': 'string', 'n': 'int'}}",
                                        "used_percent 72.01"]
    assert influx.last.body["extern"]["body"][0]["assignment"]["init"]["properties"][0] == {
        "type": "Property", "key": {"type": "Identifier", "name": "bucket"},
        "value": {"type": "StringLiteral", "value": "air_sensor"}}
    assert_compiled(influx, before)


# -- JavaScript -----------------------------------------------------------------------------------

def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    for package in ("influxdb-client", "influxdb-client-apis"):
        if not (CLIENTS / "node_modules" / "@influxdata" / package).is_dir():
            pytest.skip(f"tests/clients/node_modules/@influxdata/{package} is absent "
                        f"(run: npm ci --prefix tests/clients)")
    return node


def test_js_client_versions_are_pinned():
    manifest = json.loads((CLIENTS / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((CLIENTS / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)  # exact, no range
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_js_client_full_cycle(served):
    node = node_or_skip()
    url, token, influx = served
    before = len(influx.requests)
    done = subprocess.run([node, str(CLIENTS / "cycle.js"), url, token], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ping"] == "ok"
    assert report["health"]["status"] == "pass" and report["health"]["name"] == "fluxparams"
    created = report["created"]
    assert [s["name"] for s in created] == ["first", "second", "third"]
    assert all(s["url"] == f"{url}/api/v2/scripts/{s['id']}/invoke" for s in created)
    assert [s["id"] for s in report["page"]["scripts"]] == [s["id"] for s in created[1:]]
    assert report["updated"]["description"] == "changed"
    assert report["got"] == report["updated"]
    assert report["params"] == {"params": {"bucket": "string"}}
    assert report["csv"] == DEFAULT_CSV
    assert [(r["_field"], r["_value"], r["host"]) for r in report["rows"]] == [STANDIN_ROW]
    assert report["badParams"]["status"] == 400 and report["badParams"]["code"] == "invalid"
    assert report["badParams"]["message"] == \
        'invalid parameters provided: missing param "bucket" (string)'
    assert report["afterDelete"] == {"scripts": []}
    assert_compiled(influx, before)


def test_js_example_in_the_docs_runs_as_written(served, tmp_path):
    node = node_or_skip()
    url, token, influx = served
    before = len(influx.requests)
    example = tmp_path / "example.js"
    example.write_text(doc_example("js"), encoding="utf-8")
    done = subprocess.run([node, str(example)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "FLUXPARAMS_URL": url, "FLUXPARAMS_TOKEN": token,
                               "NODE_PATH": str(CLIENTS / "node_modules")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ['{"params":{"bucket":"string","n":"int"}}',
                                        "used_percent 72.01"]
    assert_compiled(influx, before)
