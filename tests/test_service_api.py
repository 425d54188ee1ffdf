"""The scripts API through the ASGI app: every endpoint, status code, auth and error shape."""
from __future__ import annotations

import json
import re
import warnings

import pytest

with warnings.catch_warnings():  # starlette 1.x would like httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from service_support import dump_database  # noqa: E402

import fluxparams  # noqa: E402
from fluxparams.service.app import create_app  # noqa: E402
from fluxparams.service.stores import open_store  # noqa: E402

HEX16 = re.compile(r"[0-9a-f]{16}\Z")
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\Z")
SCRIPT = "from(bucket: params.bucket) |> range(start: -7d) |> limit(n: params.n)"


@pytest.fixture
def store(store_db):
    s = open_store(store_db)
    yield s
    s.close()


@pytest.fixture
def tokens(store):
    a, org_a = store.create_token("acme")
    b, org_b = store.create_token("globex")
    return {"a": a, "b": b, "org_a": org_a, "org_b": org_b}


@pytest.fixture
def client(store):
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c


def hdr(token, scheme="Token"):
    return {"Authorization": f"{scheme} {token}"}


def create(client, token, name="s1", script=SCRIPT, description="d"):
    r = client.post("/api/v2/scripts", headers=hdr(token),
                    json={"name": name, "description": description, "language": "flux",
                          "script": script})
    assert r.status_code == 201, r.text
    return r.json()


def assert_error(r, status, code):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == code
    assert r.headers["x-platform-error-code"] == code  # the contract's header, on every error
    assert body["message"]
    assert "Traceback" not in r.text
    return body["message"]


# -- create / get ----------------------------------------------------------------------------

def test_create_answers_the_script(client, tokens):
    s = create(client, tokens["a"])
    assert HEX16.match(s["id"]) and s["orgID"] == tokens["org_a"]
    assert (s["name"], s["description"], s["language"], s["script"]) == ("s1", "d", "flux", SCRIPT)
    assert s["url"] == f"http://testserver/api/v2/scripts/{s['id']}/invoke"
    assert RFC3339.match(s["createdAt"]) and s["createdAt"] == s["updatedAt"]
    r = client.get(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]))
    assert r.status_code == 200 and r.json() == s


def test_get_unknown_or_malformed_id_is_404(client, tokens):
    for sid in ("0123456789abcdef", "nope", "0123456789ABCDEF"):
        msg = assert_error(client.get(f"/api/v2/scripts/{sid}", headers=hdr(tokens["a"])),
                           404, "not found")
        assert sid in msg


@pytest.mark.parametrize("body, missing", [
    ({"description": "d", "language": "flux", "script": "x = 1"}, "name"),
    ({"name": "n", "language": "flux", "script": "x = 1"}, "description"),
    ({"name": "n", "description": "d", "script": "x = 1"}, "language"),
    ({"name": "n", "description": "d", "language": "flux"}, "script"),
])
def test_create_requires_every_field(client, tokens, body, missing):
    msg = assert_error(client.post("/api/v2/scripts", headers=hdr(tokens["a"]), json=body),
                       400, "invalid")
    assert missing in msg


@pytest.mark.parametrize("body", [
    {"name": 1, "description": "d", "language": "flux", "script": "x = 1"},
    {"name": "n", "description": None, "language": "flux", "script": "x = 1"},
    {"name": "n", "description": "d", "language": "flux", "script": ["x"]},
    {"name": "  ", "description": "d", "language": "flux", "script": "x = 1"},
    [],
    "text",
])
def test_create_rejects_bad_fields(client, tokens, body):
    assert_error(client.post("/api/v2/scripts", headers=hdr(tokens["a"]), json=body), 400,
                 "invalid")


def test_create_other_language_is_422(client, tokens):
    for language in ("sql", "influxql", "python"):
        msg = assert_error(client.post("/api/v2/scripts", headers=hdr(tokens["a"]), json={
            "name": "n", "description": "d", "language": language, "script": "SELECT 1"}),
            422, "unprocessable entity")
        assert language in msg and "flux" in msg


def test_create_orgid_must_match_token(client, tokens):
    body = {"name": "n", "description": "d", "language": "flux", "script": "x = 1"}
    assert_error(client.post("/api/v2/scripts", headers=hdr(tokens["a"]),
                             json={**body, "orgID": tokens["org_b"]}), 400, "invalid")
    r = client.post("/api/v2/scripts", headers=hdr(tokens["a"]),
                    json={**body, "orgID": tokens["org_a"]})
    assert r.status_code == 201


def test_create_unparsable_script_is_400_with_position(client, tokens):
    bad = "from(bucket: \"b\")\n  |> range(start: -1h\n  |> limit(n: 1)"
    with pytest.raises(fluxparams.FluxSyntaxError) as info:
        fluxparams.parse(bad)
    msg = assert_error(client.post("/api/v2/scripts", headers=hdr(tokens["a"]), json={
        "name": "n", "description": "d", "language": "flux", "script": bad}), 400, "invalid")
    assert f"{info.value.lineno}:{info.value.offset}" in msg
    assert client.get("/api/v2/scripts", headers=hdr(tokens["a"])).json() == {"scripts": []}


def test_duplicate_name_is_422_conflict_per_org(client, tokens):
    create(client, tokens["a"], name="same")
    r = client.post("/api/v2/scripts", headers=hdr(tokens["a"]), json={
        "name": "same", "description": "other", "language": "flux", "script": "x = 2"})
    assert_error(r, 422, "conflict")
    create(client, tokens["b"], name="same")  # another organization may use the name


# -- list --------------------------------------------------------------------------------------

def test_list_paginates_in_creation_order_and_filters_by_name(client, tokens):
    ids = [create(client, tokens["a"], name=f"s{i}")["id"] for i in range(7)]
    create(client, tokens["b"], name="s0")

    def listed(query=""):
        r = client.get("/api/v2/scripts" + query, headers=hdr(tokens["a"]))
        assert r.status_code == 200, r.text
        return [s["id"] for s in r.json()["scripts"]]

    assert listed() == ids
    assert listed("?limit=3") == ids[:3]
    assert listed("?limit=3&offset=3") == ids[3:6]
    assert listed("?offset=6&limit=3") == ids[6:]
    assert listed("?offset=7") == []
    assert listed("?limit=0") == []
    assert listed("?limit=500") == ids
    assert listed("?name=s4") == [ids[4]]
    assert listed("?name=nothing") == []


def test_list_default_limit_is_100(client, tokens, store):
    for i in range(103):
        store.create_script(tokens["org_a"], f"n{i}", "", "flux", "x = 1")
    r = client.get("/api/v2/scripts", headers=hdr(tokens["a"]))
    assert len(r.json()["scripts"]) == 100


@pytest.mark.parametrize("query", ["limit=501", "limit=-1", "limit=abc", "limit=1.5",
                                   "offset=-1", "offset=x", "limit=", "offset=99999999999999999999"])
def test_list_rejects_bad_pagination(client, tokens, query):
    msg = assert_error(client.get("/api/v2/scripts?" + query, headers=hdr(tokens["a"])),
                       400, "invalid")
    assert query.split("=")[0] in msg


# -- patch / delete ----------------------------------------------------------------------------

def test_patch_changes_description_and_script(client, tokens):
    s = create(client, tokens["a"])
    r = client.patch(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]),
                     json={"description": "new", "script": "from(bucket: params.other)"})
    assert r.status_code == 200, r.text
    p = r.json()
    assert (p["description"], p["script"], p["name"]) == ("new", "from(bucket: params.other)",
                                                          "s1")
    assert p["createdAt"] == s["createdAt"] and p["updatedAt"] > s["updatedAt"]
    assert client.get(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"])).json() == p


def test_patch_empty_body_changes_nothing(client, tokens):
    s = create(client, tokens["a"])
    for body in ({}, {"name": "ignored", "language": "sql"}):
        r = client.patch(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]), json=body)
        assert r.status_code == 200, r.text
        assert r.json() == s
    # No body at all is the empty update too (the "empty body").
    r = client.patch(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]))
    assert r.status_code == 200, r.text
    assert r.json() == s
    assert client.get(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"])).json() == s


def test_patch_validates_like_create(client, tokens):
    s = create(client, tokens["a"])
    url = f"/api/v2/scripts/{s['id']}"
    msg = assert_error(client.patch(url, headers=hdr(tokens["a"]),
                                    json={"script": "from(bucket: \"b\""}), 400, "invalid")
    assert re.search(r"\d+:\d+", msg)
    assert_error(client.patch(url, headers=hdr(tokens["a"]), json={"description": 5}), 400,
                 "invalid")
    assert_error(client.patch(url, headers=hdr(tokens["a"]), json=["x"]), 400, "invalid")
    assert client.get(url, headers=hdr(tokens["a"])).json() == s


def test_patch_unknown_is_404(client, tokens):
    assert_error(client.patch("/api/v2/scripts/0123456789abcdef", headers=hdr(tokens["a"]),
                              json={"description": "x"}), 404, "not found")


def test_delete_is_204_also_for_unknown(client, tokens):
    s = create(client, tokens["a"])
    url = f"/api/v2/scripts/{s['id']}"
    r = client.delete(url, headers=hdr(tokens["a"]))
    assert r.status_code == 204 and r.content == b""
    assert_error(client.get(url, headers=hdr(tokens["a"])), 404, "not found")
    assert client.delete(url, headers=hdr(tokens["a"])).status_code == 204
    assert client.delete("/api/v2/scripts/whatever", headers=hdr(tokens["a"])).status_code == 204
    create(client, tokens["a"])  # the name is free again


# -- params ------------------------------------------------------------------------------------

def test_params_is_the_analysis_made_at_write_and_cached_per_version(client, tokens):
    # Every analysis is one job for a worker process; a cached /params never reaches a worker.
    pool = client.app.state.service.pool
    s = create(client, tokens["a"])
    assert pool.jobs == 1  # the create's one parse + inference
    url = f"/api/v2/scripts/{s['id']}/params"
    first = client.get(url, headers=hdr(tokens["a"]))
    assert first.status_code == 200
    assert first.json() == fluxparams.analyze(SCRIPT).to_dict()
    assert client.get(url, headers=hdr(tokens["a"])).json() == first.json()
    assert pool.jobs == 1  # the first /params after the write is a cache hit

    new = "from(bucket: params.b2) |> range(start: -1h) |> limit(n: params.k + 1)"
    client.patch(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]), json={"script": new})
    assert pool.jobs == 2
    second = client.get(url, headers=hdr(tokens["a"]))
    assert second.json() == fluxparams.analyze(new).to_dict() != first.json()
    client.get(url, headers=hdr(tokens["a"]))
    assert pool.jobs == 2

    client.patch(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]), json={})
    client.get(url, headers=hdr(tokens["a"]))
    assert pool.jobs == 2  # an empty PATCH changes nothing, so the cache stays

    r = client.patch(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"]),
                     json={"description": "only the words"})
    assert r.status_code == 200
    assert client.get(url, headers=hdr(tokens["a"])).json() == second.json()
    assert pool.jobs == 2  # a new version with the same script keeps its params

    # The params are stored in the row: a restarted server (empty cache) answers them as they
    # are, without analyzing.
    client.app.state.service.params_cache.forget(s["id"])
    assert client.get(url, headers=hdr(tokens["a"])).json() == second.json()
    assert pool.jobs == 2 and client.app.state.service.params_cache.misses == 0


def test_a_broken_script_is_parsed_once(client, tokens):
    pool = client.app.state.service.pool
    r = client.post("/api/v2/scripts", headers=hdr(tokens["a"]),
                    json={"name": "b", "description": "", "language": "flux",
                          "script": "x = 1\ny = (\n"})
    msg = assert_error(r, 400, "invalid")
    with pytest.raises(fluxparams.FluxSyntaxError) as e:
        fluxparams.parse("x = 1\ny = (\n")
    assert msg == f"invalid Flux script: error @{e.value.lineno}:{e.value.offset}: {e.value.msg}"
    assert pool.jobs == 1


def test_params_unknown_is_404(client, tokens):
    assert_error(client.get("/api/v2/scripts/0123456789abcdef/params", headers=hdr(tokens["a"])),
                 404, "not found")


# -- invoke without InfluxDB -------------------------------------------------------------------

def test_invoke_validates_then_answers_501_without_influx(client, tokens):
    s = create(client, tokens["a"])
    url = f"/api/v2/scripts/{s['id']}/invoke"
    types = fluxparams.analyze(SCRIPT).params
    assert types == {"bucket": "string", "n": "int"}
    msg = assert_error(client.post(url, headers=hdr(tokens["a"]),
                                   json={"params": {"bucket": 5, "x": None}}), 400, "invalid")
    assert '"bucket"' in msg and "expected string" in msg      # wrong type
    assert 'missing param "n"' in msg                            # missing
    assert 'param "x"' in msg and "null" in msg                  # extra, but not a Flux value
    assert_error(client.post(url, headers=hdr(tokens["a"]),
                             json={"params": {"bucket": "b", "n": 1.5}}), 400, "invalid")
    for params in ([], None, "x"):
        assert_error(client.post(url, headers=hdr(tokens["a"]), json={"params": params}), 400,
                     "invalid")
    assert_error(client.post(url, headers=hdr(tokens["a"]), json={"params": {"bucket": "b"}}),
                 400, "invalid")
    assert_error(client.post(url, headers=hdr(tokens["a"]),
                             json={"params": {"bucket": "b", "n": 10}}), 501, "not implemented")
    # a param the script does not use is bound like ``any`` (Cloud binds the whole object)
    assert_error(client.post(url, headers=hdr(tokens["a"]),
                             json={"params": {"bucket": "b", "n": 10, "extra": [1, 2]}}),
                 501, "not implemented")


def test_invoke_unknown_is_404(client, tokens):
    assert_error(client.post("/api/v2/scripts/0123456789abcdef/invoke", headers=hdr(tokens["a"]),
                             json={"params": {}}), 404, "not found")


def test_invoke_script_without_params_accepts_no_body(client, tokens):
    s = create(client, tokens["a"], script="x = 1")
    r = client.post(f"/api/v2/scripts/{s['id']}/invoke", headers=hdr(tokens["a"]))
    assert_error(r, 501, "not implemented")


# -- auth and organizations --------------------------------------------------------------------

ENDPOINTS = [
    ("GET", "/api/v2/scripts"),
    ("POST", "/api/v2/scripts"),
    ("GET", "/api/v2/scripts/{id}"),
    ("PATCH", "/api/v2/scripts/{id}"),
    ("DELETE", "/api/v2/scripts/{id}"),
    ("GET", "/api/v2/scripts/{id}/params"),
    ("POST", "/api/v2/scripts/{id}/invoke"),
]


@pytest.mark.parametrize("method, path", ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "", "Token", "Token ", "Basic dXNlcjpwdw==",
                                           "Token a b", "Bearer", "Token not-a-known-token",
                                           "Bearer not-a-known-token"])
def test_every_endpoint_requires_a_known_token(client, tokens, method, path, authorization):
    s = create(client, tokens["a"])
    headers = {} if authorization is None else {"Authorization": authorization}
    body = {"name": "x", "description": "", "language": "flux", "script": "x = 1"}
    r = client.request(method, path.format(id=s["id"]), headers=headers,
                       json=body if method in ("POST", "PATCH") else None)
    assert_error(r, 401, "unauthorized")
    assert client.get(f"/api/v2/scripts/{s['id']}", headers=hdr(tokens["a"])).json() == s


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token", "BEARER"])
def test_token_and_bearer_schemes(client, tokens, scheme):
    r = client.get("/api/v2/scripts", headers=hdr(tokens["a"], scheme))
    assert r.status_code == 200


def test_organizations_are_isolated(client, tokens):
    s = create(client, tokens["a"])
    b = hdr(tokens["b"])
    url = f"/api/v2/scripts/{s['id']}"
    assert_error(client.get(url, headers=b), 404, "not found")
    assert_error(client.patch(url, headers=b, json={"description": "x"}), 404, "not found")
    assert_error(client.get(url + "/params", headers=b), 404, "not found")
    assert_error(client.post(url + "/invoke", headers=b, json={"params": {}}), 404, "not found")
    assert client.get("/api/v2/scripts", headers=b).json() == {"scripts": []}
    assert client.delete(url, headers=b).status_code == 204
    assert client.get(url, headers=hdr(tokens["a"])).json() == s


def test_two_tokens_of_one_org_share_scripts(client, tokens, store):
    other, org = store.create_token("acme")
    assert org == tokens["org_a"]
    s = create(client, tokens["a"])
    assert client.get(f"/api/v2/scripts/{s['id']}", headers=hdr(other)).json() == s


def test_only_a_hash_of_the_token_is_stored(tokens, store, store_db):
    dump = dump_database(store_db)
    assert "acme" in dump  # the dump holds the rows
    assert tokens["a"] not in dump and tokens["b"] not in dump


# -- protocol errors ---------------------------------------------------------------------------

def test_unknown_path_is_404(client, tokens):
    for path in ("/api/v2", "/api/v2/fluxparams", "/api/v2/scriptz", "/api/v2/scripts/a/b/c"):
        assert_error(client.get(path, headers=hdr(tokens["a"])), 404, "not found")


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/api/v2/scripts", "GET, POST"),
    ("DELETE", "/api/v2/scripts", "GET, POST"),
    ("POST", "/api/v2/scripts/0123456789abcdef", "GET, PATCH, DELETE"),
    ("GET", "/api/v2/scripts/0123456789abcdef/invoke", "POST"),
    ("POST", "/api/v2/scripts/0123456789abcdef/params", "GET"),
    ("HEAD", "/api/v2/scripts/0123456789abcdef/params", "GET"),
])
def test_wrong_method_is_405_with_allow(client, tokens, method, path, allow):
    r = client.request(method, path, headers=hdr(tokens["a"]))
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    if method != "HEAD":
        assert_error(r, 405, "method not allowed")


def test_json_null_body_is_not_an_empty_body(client, tokens):
    s = create(client, tokens["a"], script="x = 1")
    h = {**hdr(tokens["a"]), "Content-Type": "application/json"}
    for method, path in (("POST", "/api/v2/scripts"), ("PATCH", f"/api/v2/scripts/{s['id']}"),
                         ("POST", f"/api/v2/scripts/{s['id']}/invoke")):
        assert_error(client.request(method, path, headers=h, content=b"null"), 400, "invalid")


def test_malformed_json_is_400(client, tokens):
    h = {**hdr(tokens["a"]), "Content-Type": "application/json"}
    for raw in (b"{", b'{"name": }', b"\xff\xfe", b'{"a": NaN}', b"[" * 100000):
        assert_error(client.post("/api/v2/scripts", headers=h, content=raw), 400, "invalid")


@pytest.mark.parametrize("ctype", [None, "text/plain", "application/x-www-form-urlencoded",
                                   "application/jsonx"])
def test_wrong_content_type_is_415(client, tokens, ctype):
    s = create(client, tokens["a"])
    h = hdr(tokens["a"])
    if ctype:
        h["Content-Type"] = ctype
    body = json.dumps({"name": "n", "description": "d", "language": "flux", "script": "x=1"})
    for method, path in (("POST", "/api/v2/scripts"), ("PATCH", f"/api/v2/scripts/{s['id']}"),
                         ("POST", f"/api/v2/scripts/{s['id']}/invoke")):
        assert_error(client.request(method, path, headers=h, content=body), 415,
                     "unsupported media type")


def test_body_over_the_limit_is_413(store_db):
    store = open_store(store_db)
    token, _ = store.create_token("acme")
    with TestClient(create_app(store, max_body=200), raise_server_exceptions=False) as c:
        small = {"name": "n", "description": "d", "language": "flux", "script": "x = 1"}
        assert c.post("/api/v2/scripts", headers=hdr(token), json=small).status_code == 201
        big = {**small, "name": "m", "description": "x" * 300}
        assert_error(c.post("/api/v2/scripts", headers=hdr(token), json=big), 413,
                     "request too large")

        def chunks():  # no Content-Length: the limit must hold while reading
            for _ in range(100):
                yield b" " * 50

        r = c.post("/api/v2/scripts", headers={**hdr(token), "Content-Type": "application/json"},
                   content=chunks())
        assert_error(r, 413, "request too large")
    store.close()


def test_unexpected_exception_is_500_without_traceback(client, tokens, store, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(store, "list_scripts", boom)
    r = client.get("/api/v2/scripts", headers=hdr(tokens["a"]))
    msg = assert_error(r, 500, "internal error")
    assert "secret internal detail" not in r.text and "secret" not in msg
    assert "secret internal detail" in caplog.text  # but logged


# -- the OpenAPI document ----------------------------------------------------------------------

def test_openapi_document_is_served_without_auth(client):
    from fluxparams.service import app as app_module

    r = client.get("/api/v2/openapi.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc == json.loads((app_module.HERE / "openapi.json").read_text(encoding="utf-8"))
    assert "/scripts/{scriptID}/invoke" in doc["paths"]
    y = client.get("/api/v2/openapi.yml")
    assert y.status_code == 200 and "yaml" in y.headers["content-type"]
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(y.text) == doc
