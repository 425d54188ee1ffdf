"""``fluxparams token create|list|revoke``, the tokens schema migration, and revocation seen by a
running server from the very next request."""
from __future__ import annotations

import json
import re
import sqlite3
import sys

import httpx
import pytest
from service_support import LiveServer, cli_token, run_cli

from fluxparams.service import store as store_module
from fluxparams.service.store import SCHEMA_VERSION, Store
from fluxparams.service.stores import open_store

HEX16 = re.compile(r"[0-9a-f]{16}\Z")


def listed(db):
    done = run_cli("token", "list", "--json", "--db", str(db))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_list_shows_id_org_description_created_and_never_the_secret(store_db):
    db = store_db
    done = run_cli("token", "create", "--org", "acme", "--description", "CI bot", "--db", str(db))
    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip()
    cli_token(db, "globex")
    tokens = listed(db)
    assert [(t["org"], t["description"]) for t in tokens] == [("acme", "CI bot"), ("globex", "")]
    for t in tokens:
        assert set(t) == {"id", "org", "org_id", "description", "created_at"}
        assert HEX16.match(t["id"]) and HEX16.match(t["org_id"])
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z", t["created_at"])
    table = run_cli("token", "list", "--db", str(db))
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "ORG", "ORG", "ID", "CREATED", "DESCRIPTION"]
    assert tokens[0]["id"] in lines[1] and "CI bot" in lines[1] and "acme" in lines[1]
    for out in (table.stdout + table.stderr, json.dumps(tokens)):
        assert secret not in out
        assert store_module.hash_token(secret) not in out


def test_revoke_removes_exactly_that_token(store_db):
    db = store_db
    keep, gone = cli_token(db, "acme"), cli_token(db, "acme")
    ids = [t["id"] for t in listed(db)]
    done = run_cli("token", "revoke", ids[1], "--db", str(db))
    assert done.returncode == 0 and ids[1] in done.stderr
    assert [t["id"] for t in listed(db)] == ids[:1]
    s = open_store(db)
    try:
        assert s.org_for_token(gone) is None and s.org_for_token(keep) is not None
    finally:
        s.close()
    again = run_cli("token", "revoke", ids[1], "--db", str(db))
    assert again.returncode == 1 and "no token with id" in again.stderr
    assert "Traceback" not in again.stderr


def test_revoke_needs_an_id(tmp_path):
    done = run_cli("token", "revoke", "--db", str(tmp_path / "t.db"))
    assert done.returncode == 2 and "id" in done.stderr


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals")
def test_a_running_server_refuses_a_revoked_token_at_once(store_db):
    db = store_db
    token, other = cli_token(db, "acme"), cli_token(db, "acme")
    with LiveServer(db) as srv, httpx.Client(base_url=srv.url) as c:
        auth = {"Authorization": f"Token {token}"}
        assert c.get("/api/v2/scripts", headers=auth).status_code == 200
        token_id = listed(db)[0]["id"]
        assert run_cli("token", "revoke", token_id, "--db", str(db)).returncode == 0
        r = c.get("/api/v2/scripts", headers=auth)  # the same keep-alive connection
        assert r.status_code == 401 and r.json()["code"] == "unauthorized"
        assert r.headers["x-platform-error-code"] == "unauthorized"
        # the organization's other token still works
        assert c.get("/api/v2/scripts", headers={"Authorization": f"Token {other}"}
                     ).status_code == 200


# -- migration of a database made before token ids -----------------------------------------------

def test_a_version_1_database_is_migrated_and_its_tokens_keep_working(tmp_path):
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    for statement in store_module.MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO orgs VALUES ('00000000000000aa', 'acme', '2026-01-01T00:00:00Z')")
    conn.execute("INSERT INTO tokens VALUES (?, '00000000000000aa', '2026-01-02T00:00:00Z')",
                 (store_module.hash_token("old-secret"),))
    conn.execute("INSERT INTO tokens VALUES (?, '00000000000000aa', '2026-01-03T00:00:00Z')",
                 (store_module.hash_token("older-secret"),))
    conn.execute("INSERT INTO scripts (id, org_id, name, description, language, script,"
                 " created_at, updated_at) VALUES ('0123456789abcdef', '00000000000000aa', 'n',"
                 " '', 'flux', 'x = 1', 't', 't')")
    conn.commit()
    conn.close()

    s = Store(db)
    try:
        assert s.org_for_token("old-secret") == "00000000000000aa"
        tokens = s.list_tokens()
        assert [t["created_at"] for t in tokens] == ["2026-01-02T00:00:00Z",
                                                     "2026-01-03T00:00:00Z"]
        assert all(HEX16.match(t["id"]) for t in tokens)
        assert len({t["id"] for t in tokens}) == 2
        assert all(t["description"] == "" and t["org"] == "acme" for t in tokens)
        assert s.get_script("00000000000000aa", "0123456789abcdef")["script"] == "x = 1"
        assert s.revoke_token(tokens[0]["id"]) and s.org_for_token("old-secret") is None
        new, _ = s.create_token("acme", "after the migration")
        assert s.org_for_token(new) == "00000000000000aa"
    finally:
        s.close()
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        with pytest.raises(sqlite3.IntegrityError):  # ids stay unique
            check.execute("INSERT INTO tokens (hash, id, org_id, created_at) VALUES"
                          " ('h', ?, '00000000000000aa', 't')", (tokens[1]["id"],))


def test_token_create_refuses_a_lone_surrogate(store_db):
    s = open_store(store_db)
    try:
        with pytest.raises(store_module.StoreError, match="lone surrogate"):
            s.create_token("acme", "bad \ud800")
    finally:
        s.close()
