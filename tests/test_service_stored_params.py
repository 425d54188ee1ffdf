"""The /params answer is stored in the script's row (schema 3 on SQLite, 2 on PostgreSQL): any
app on the database answers it without analyzing, never stale after an update through another
app, and rows from the previous schema keep working (analyzed once, then cached)."""
from __future__ import annotations

import json
import sqlite3
import warnings
from typing import Any, Dict, Iterator, Tuple

import pytest

with warnings.catch_warnings():  # starlette 1.x would like httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import fluxparams  # noqa: E402
from fluxparams.service import store as sqlite_store  # noqa: E402
from fluxparams.service.app import create_app  # noqa: E402
from fluxparams.service.store import hash_token  # noqa: E402
from fluxparams.service.stores import is_postgres, open_store  # noqa: E402

ORG = "00000000000000aa"
SID = "0123456789abcdef"
TOKEN = "legacy-secret"
OLD = "from(bucket: params.bucket)\n  |> range(start: -1h)\n  |> limit(n: params.n)\n"
# A non-ASCII name: the stored body escapes it, and clients decode the same params.
NEW = "from(bucket: params.bé)\n  |> range(start: params.start)\n"


def auth(token: str) -> Dict[str, str]:
    return {"Authorization": f"Token {token}"}


def expected(script: str) -> Dict[str, Any]:
    return fluxparams.analyze(script).to_dict()


def stored_body(db: str, script_id: str) -> Any:
    store = open_store(db)
    try:
        row = store.get_script(ORG, script_id)
        return None if row is None else row["params_body"]
    finally:
        store.close()


def make_previous_schema(db: str) -> None:
    """A database as the schema before stored params left it: one org, token and script."""
    if is_postgres(db):
        import psycopg

        from fluxparams.service import store_postgres

        assert store_postgres.SCHEMA_VERSION == 2
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("CREATE TABLE fluxparams_schema (version integer NOT NULL)")
            conn.execute("INSERT INTO fluxparams_schema (version) VALUES (1)")
            for statement in store_postgres.MIGRATIONS[0]:
                conn.execute(statement)
            conn.execute("INSERT INTO orgs VALUES (%s, 'acme', 't')", (ORG,))
            conn.execute("INSERT INTO tokens (hash, id, org_id, description, created_at)"
                         " VALUES (%s, 'aaaaaaaaaaaaaaaa', %s, '', 't')", (hash_token(TOKEN), ORG))
            conn.execute(
                "INSERT INTO scripts (id, org_id, name, name_key, description, language, script,"
                " version, created_at, updated_at) VALUES (%s, %s, %s, sha256(%s), %s, 'flux',"
                " %s, 4, 'c', 'u')", (SID, ORG, b"old", b"old", b"words", OLD.encode()))
        return
    assert sqlite_store.SCHEMA_VERSION == 3
    conn = sqlite3.connect(db)
    for migration in sqlite_store.MIGRATIONS[:2]:
        for statement in migration:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO orgs VALUES (?, 'acme', 't')", (ORG,))
    conn.execute("INSERT INTO tokens (hash, org_id, created_at, id, description)"
                 " VALUES (?, ?, 't', 'aaaaaaaaaaaaaaaa', '')", (hash_token(TOKEN), ORG))
    conn.execute("INSERT INTO scripts (id, org_id, name, description, language, script, version,"
                 " created_at, updated_at) VALUES (?, ?, 'old', 'words', 'flux', ?, 4, 'c', 'u')",
                 (SID, ORG, OLD))
    conn.commit()
    conn.close()


def schema_version(db: str) -> int:
    if is_postgres(db):
        import psycopg

        with psycopg.connect(db) as conn:
            return int(conn.execute("SELECT version FROM fluxparams_schema").fetchone()[0])
    with sqlite3.connect(db) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_a_previous_schema_row_is_kept_and_its_params_analyzed_once(store_db):
    make_previous_schema(store_db)
    app = create_app(store_db)
    service = app.state.service
    with TestClient(app, raise_server_exceptions=False) as client:
        got = client.get(f"/api/v2/scripts/{SID}", headers=auth(TOKEN))
        assert got.status_code == 200
        assert {k: got.json()[k] for k in ("name", "description", "script", "createdAt",
                                           "updatedAt")} == {
            "name": "old", "description": "words", "script": OLD, "createdAt": "c",
            "updatedAt": "u"}
        url = f"/api/v2/scripts/{SID}/params"
        for _ in range(3):
            r = client.get(url, headers=auth(TOKEN))
            assert r.status_code == 200 and r.json() == expected(OLD)
        assert service.pool.jobs == 1 and service.params_cache.misses == 1
        assert stored_body(store_db, SID) is None  # a legacy row stays as it was

        # A description-only change keeps the cached analysis; a new script stores its params.
        r = client.patch(f"/api/v2/scripts/{SID}", headers=auth(TOKEN), json={"description": "x"})
        assert r.status_code == 200
        assert client.get(url, headers=auth(TOKEN)).json() == expected(OLD)
        assert service.pool.jobs == 1
        r = client.patch(f"/api/v2/scripts/{SID}", headers=auth(TOKEN), json={"script": NEW})
        assert r.status_code == 200 and service.pool.jobs == 2
        assert client.get(url, headers=auth(TOKEN)).json() == expected(NEW)
        assert service.pool.jobs == 2 and service.params_cache.misses == 1
    assert schema_version(store_db) == (2 if is_postgres(store_db) else 3)
    assert json.loads(stored_body(store_db, SID)) == expected(NEW)


@pytest.fixture
def two_apps(store_db: str) -> Iterator[Tuple[TestClient, TestClient, str]]:
    """Two apps (replicas in one process: own store, analysis pool and cache) on one
    database, and a token."""
    setup = open_store(store_db)
    try:
        token, _ = setup.create_token("acme")
    finally:
        setup.close()
    with TestClient(create_app(store_db), raise_server_exceptions=False) as one, \
            TestClient(create_app(store_db), raise_server_exceptions=False) as two:
        yield one, two, token


def test_the_other_app_answers_stored_params_without_analysis(two_apps):
    one, two, token = two_apps
    other = two.app.state.service
    r = one.post("/api/v2/scripts", headers=auth(token),
                 json={"name": "s", "description": "d", "language": "flux", "script": OLD})
    assert r.status_code == 201
    sid = r.json()["id"]
    url = f"/api/v2/scripts/{sid}/params"

    first = two.get(url, headers=auth(token))
    assert first.status_code == 200 and first.json() == expected(OLD)
    assert first.headers["content-type"] == "application/json"
    # The body is the stored one, as it is; invoke reads the same params (400 names them).
    assert first.content == other.store.get_script(r.json()["orgID"], sid)["params_body"].encode()
    bad = two.post(f"/api/v2/scripts/{sid}/invoke", headers=auth(token),
                   json={"params": {"bucket": 1, "n": 2}})
    assert bad.status_code == 400 and "bucket" in bad.json()["message"]
    assert other.pool.jobs == 0 and other.params_cache.misses == 0

    # A new script through app one: app two answers it at its next request, still unanalyzed.
    assert one.patch(f"/api/v2/scripts/{sid}", headers=auth(token),
                     json={"script": NEW}).status_code == 200
    r = two.get(url, headers=auth(token))
    assert r.status_code == 200 and r.json() == expected(NEW)
    assert r.content.isascii() and "bé" in r.json()["params"]
    assert one.patch(f"/api/v2/scripts/{sid}", headers=auth(token),
                     json={"description": "only words"}).status_code == 200
    assert two.get(url, headers=auth(token)).json() == expected(NEW)
    ok = two.post(f"/api/v2/scripts/{sid}/invoke", headers=auth(token),
                  json={"params": {"bé": "b", "start": "x"}})
    assert ok.status_code == 501  # valid params; no InfluxDB configured
    assert other.pool.jobs == 0 and other.params_cache.misses == 0
    assert one.app.state.service.pool.jobs == 2  # the create and the script change

