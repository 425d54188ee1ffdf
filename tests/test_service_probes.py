"""What clients probe before anything else (/ping, /health), the error header on every error
status the service gives, and strings JSON can carry but UTF-8 cannot (lone surrogates)."""
from __future__ import annotations

import json
import sqlite3
import warnings

import pytest
from service_support import free_port
from standin_influx import StandinInflux

import fluxparams
from fluxparams.service.app import create_app
from fluxparams.service.invoke import InfluxConfig
from fluxparams.service.store import Store
from fluxparams.service.stores import open_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def store(store_db):
    s = open_store(store_db)
    yield s
    s.close()


@pytest.fixture
def influx():
    with StandinInflux() as s:
        yield s


@pytest.fixture
def client(store, influx):
    app = create_app(store, influx=InfluxConfig(influx.url, "t", "o"), max_body=4096)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def headers(store):
    return {"Authorization": f"Token {store.create_token('acme')[0]}"}


# -- /ping and /health ---------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_ping_is_204_with_the_build_and_version_without_auth(client, method):
    r = client.request(method, "/ping")
    assert r.status_code == 204 and r.content == b""
    # "Cloud": the official Python client warns CloudOnlyWarning for scripts calls otherwise.
    assert r.headers["x-influxdb-build"] == "Cloud"
    assert r.headers["x-influxdb-version"] == f"fluxparams-{fluxparams.__version__}"


def test_health_has_influxdbs_healthcheck_shape(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == {"name": "fluxparams", "message": "ready for script requests",
                        "status": "pass", "checks": [],
                        "version": f"fluxparams-{fluxparams.__version__}", "commit": "unknown"}


def test_health_fails_when_the_database_cannot_be_read(tmp_path):
    store = Store(tmp_path / "gone.db")
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        assert c.get("/health").status_code == 200
        with sqlite3.connect(tmp_path / "gone.db") as other:  # someone breaks the file
            other.executescript("DROP TABLE scripts; DROP TABLE tokens; DROP TABLE orgs;")
        r = c.get("/health")
    assert r.status_code == 503
    assert r.json()["status"] == "fail" and "cannot be read" in r.json()["message"]
    store.close()


def test_probes_refuse_other_methods_with_the_error_header(client):
    r = client.post("/ping")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert r.headers["x-platform-error-code"] == r.json()["code"] == "method not allowed"


def test_the_served_document_describes_the_probes(client):
    doc = client.get("/api/v2/openapi.json").json()
    assert doc["paths"]["/ping"]["servers"] == [{"url": "/"}]
    assert set(doc["paths"]["/ping"]) == {"servers", "get", "head"}
    assert "200" in doc["paths"]["/health"]["get"]["responses"]
    for name, response in doc["components"]["responses"].items():
        assert "X-Platform-Error-Code" in response.get("headers", {}), name


# -- X-Platform-Error-Code on every error status ------------------------------------------------

def make(client, headers, script="from(bucket: params.b) |> range(start: -1h)", name="s"):
    r = client.post("/api/v2/scripts", headers=headers, json={
        "name": name, "description": "", "language": "flux", "script": script})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_every_error_status_carries_its_code_in_the_header(client, headers, influx, store,
                                                           monkeypatch):
    sid = make(client, headers)
    invoke = f"/api/v2/scripts/{sid}/invoke"
    seen = {}

    def record(r):
        assert r.status_code >= 400, r.text
        body = r.json()
        assert set(body) == {"code", "message"}
        assert r.headers["x-platform-error-code"] == body["code"], (r.status_code, r.headers)
        seen[r.status_code] = body["code"]

    record(client.post("/api/v2/scripts", headers=headers, json={"name": 1}))             # 400
    record(client.get("/api/v2/scripts"))                                                    # 401
    record(client.get("/api/v2/scripts/0123456789abcdef", headers=headers))                 # 404
    record(client.get("/no/such/path"))                                                      # 404
    record(client.put("/api/v2/scripts", headers=headers))                                  # 405
    record(client.post("/api/v2/scripts", headers=headers, json={"name": "x" * 5000}))      # 413
    record(client.post("/api/v2/scripts", headers=headers, content=b"{}"))                  # 415
    record(client.post("/api/v2/scripts", headers=headers, json={                           # 422
        "name": "q", "description": "", "language": "sql", "script": "SELECT 1"}))
    for status, code in ((403, "forbidden"), (429, "too many requests"), (500, "weird")):
        influx.status, influx.error = status, {"code": code, "message": "upstream"}
        record(client.post(invoke, headers=headers, json={"params": {"b": "x"}}))
    influx.status = 200

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(store, "list_scripts", boom)
    record(client.get("/api/v2/scripts", headers=headers))                                  # 500
    monkeypatch.undo()

    with TestClient(create_app(store), raise_server_exceptions=False) as no_influx:
        record(no_influx.post(invoke, headers=headers, json={"params": {"b": "x"}}))        # 501
    down = InfluxConfig(f"http://127.0.0.1:{free_port()}", None, "o", timeout=5)
    with TestClient(create_app(store, influx=down), raise_server_exceptions=False) as c:
        record(c.post(invoke, headers=headers, json={"params": {"b": "x"}}))                # 503

    assert seen == {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not found",
                    405: "method not allowed", 413: "request too large",
                    415: "unsupported media type", 422: "unprocessable entity",
                    429: "too many requests", 500: "internal error", 501: "not implemented",
                    503: "unavailable"}


# -- lone surrogates: 400, never 500 ------------------------------------------------------------

LONE = ["a\ud800", "\udc00", "x\udfffy"]


def post_raw(client, headers, url, doc, method="POST"):
    # json.dumps escapes the surrogate as \ud800: valid JSON text that decodes to a lone one.
    return client.request(method, url, headers={**headers, "Content-Type": "application/json"},
                          content=json.dumps(doc).encode("ascii"))


@pytest.mark.parametrize("text", LONE)
@pytest.mark.parametrize("field", ["name", "description", "language", "script"])
def test_a_lone_surrogate_in_any_field_is_400(client, headers, field, text):
    doc = {"name": "n", "description": "d", "language": "flux", "script": "x = 1", field: text}
    r = post_raw(client, headers, "/api/v2/scripts", doc)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "invalid" and "lone surrogate" in r.json()["message"]
    assert f"'{field}'" in r.json()["message"]
    assert client.get("/api/v2/scripts", headers=headers).json() == {"scripts": []}


@pytest.mark.parametrize("field", ["description", "script"])
def test_a_lone_surrogate_in_a_patch_is_400(client, headers, field):
    sid = make(client, headers, "x = 1")
    r = post_raw(client, headers, f"/api/v2/scripts/{sid}", {field: "a\ud800"}, method="PATCH")
    assert r.status_code == 400 and "lone surrogate" in r.json()["message"], r.text


def test_lone_surrogates_in_params_are_400_with_valid_utf8(client, headers):
    sid = make(client, headers, "x = params.a")
    for params in ({"a": "\ud800"}, {"a": 1, "\ud800": 1}, {"a": {"\udc00": 1}}):
        r = post_raw(client, headers, f"/api/v2/scripts/{sid}/invoke", {"params": params})
        assert r.status_code == 400, r.text
        r.content.decode("utf-8")  # the message quoting the name is still UTF-8
        assert "lone surrogate" in r.json()["message"]


def test_a_lone_surrogate_in_the_name_query_is_400(client, headers):
    # Starlette would decode the surrogate's bytes to U+FFFD and find a script named so.
    make(client, headers, "x = 1", name="\ufffd\ufffd\ufffd")
    for query in ("name=%ED%A0%80", "name=a%FF", "limit=1&name=%C3", "name=ok&x=%ED%A0%80"):
        r = client.get(f"/api/v2/scripts?{query}", headers=headers)
        assert r.status_code == 400, (query, r.text)
        assert r.json()["code"] == "invalid" and r.headers["x-platform-error-code"] == "invalid"
        assert "query string is not valid UTF-8" in r.json()["message"]
    r = client.get("/api/v2/scripts?name=%EF%BF%BD%EF%BF%BD%EF%BF%BD", headers=headers)
    assert [s["name"] for s in r.json()["scripts"]] == ["\ufffd\ufffd\ufffd"]
    assert client.get("/api/v2/scripts?name=%C3%BC", headers=headers).json() == {"scripts": []}


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("PATCH", ""), ("DELETE", ""),
                                            ("GET", "/params"), ("POST", "/invoke")])
def test_a_lone_surrogate_in_a_script_id_is_400(client, headers, method, suffix):
    r = client.request(method, f"/api/v2/scripts/%ED%A0%80{suffix}", headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "invalid" and "path is not valid UTF-8" in r.json()["message"]
    # well-formed UTF-8 that is not an id stays an unknown script
    r = client.request(method, f"/api/v2/scripts/%C3%BC{suffix}", headers=headers)
    assert r.status_code == (204 if method == "DELETE" else 404), r.text


def test_a_malformed_path_outside_the_api_is_400_too(client):
    r = client.get("/no/such/%FF")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert client.get("/no/such/%C3%BC").status_code == 404


def test_a_lone_surrogate_in_org_id_is_400(client, headers):
    doc = {"name": "n", "description": "d", "language": "flux", "script": "x = 1",
           "orgID": "\ud800"}
    r = post_raw(client, headers, "/api/v2/scripts", doc)
    assert r.status_code == 400 and r.json()["code"] == "invalid", r.text


def test_a_token_of_raw_bytes_is_401(client):
    r = client.get("/api/v2/scripts", headers={"Authorization": b"Token \xed\xa0\x80\xff"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized", r.text
