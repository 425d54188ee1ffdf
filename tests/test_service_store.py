"""The stores: SQLite's pragmas, schema versioning, constraints, transactions, and the same
behaviour on PostgreSQL (racing replicas, migrations, an outage through a proxy)."""
from __future__ import annotations

import sqlite3
import threading
import time
import urllib.parse
import warnings

import httpx
import pytest
from service_support import LiveServer, cli_token, free_port, run_cli, stored_scripts
from tcp_proxy import TcpProxy

from fluxparams.service import store as store_module
from fluxparams.service.store import Conflict, NotFound, Store, StoreError, StoreUnavailable
from fluxparams.service.stores import open_store


@pytest.fixture
def st(tmp_path):
    s = Store(tmp_path / "s.db")
    yield s
    s.close()


def test_connections_use_wal_full_sync_and_busy_timeout(st):
    seen = []

    def probe():
        conn = st._conn()
        seen.append((conn.execute("PRAGMA journal_mode").fetchone()[0],
                     conn.execute("PRAGMA synchronous").fetchone()[0],
                     conn.execute("PRAGMA busy_timeout").fetchone()[0]))

    probe()
    t = threading.Thread(target=probe)
    t.start()
    t.join()
    assert seen == [("wal", 2, store_module.BUSY_TIMEOUT_MS)] * 2  # 2 == FULL
    assert len(st._all) == 2  # one connection per thread


def test_schema_is_versioned_and_migrated(tmp_path, st):
    with sqlite3.connect(st.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(store_module.MIGRATIONS)
    fresh = tmp_path / "old.db"
    sqlite3.connect(fresh).close()  # version 0: an empty database gets every migration
    Store(fresh).close()
    with sqlite3.connect(fresh) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_names_are_unique_per_org_in_the_schema_itself(st):
    _, org = st.create_token("acme")
    st.create_script(org, "n", "", "flux", "x = 1")
    with pytest.raises(Conflict):
        st.create_script(org, "n", "", "flux", "x = 2")
    conn = st._conn()
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO scripts (id, org_id, name, description, language, script,"
                     " created_at, updated_at) VALUES ('ffffffffffffffff', ?, 'n', '', 'flux',"
                     " '', '', '')", (org,))


def test_failed_write_rolls_back(st):
    _, org = st.create_token("acme")
    row = st.create_script(org, "n", "d", "flux", "x = 1")

    def failing(conn):
        conn.execute("UPDATE scripts SET description = 'changed'")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        st._write(failing)
    assert st.get_script(org, row["id"])["description"] == "d"


def test_update_bumps_version_only_when_something_changes(st):
    _, org = st.create_token("acme")
    row = st.create_script(org, "n", "d", "flux", "x = 1")
    assert st.update_script(org, row["id"], {}) == row
    new = st.update_script(org, row["id"], {"script": "x = 2"})
    assert new["version"] == row["version"] + 1 and new["script"] == "x = 2"
    with pytest.raises(NotFound):
        st.update_script(org, "0000000000000000", {"script": "x"})


def test_tokens(st):
    token, org = st.create_token("acme")
    token2, org2 = st.create_token("acme")
    assert org == org2 and token != token2
    assert st.org_for_token(token) == org and st.org_for_token("x" + token) is None
    with pytest.raises(StoreError):
        st.create_token("  ")


# -- both stores: the same behaviour -------------------------------------------------------------

@pytest.fixture
def any_store(store_db):
    s = open_store(store_db)
    yield s
    s.close()


def test_the_same_rows_and_errors_on_both_stores(any_store):
    st = any_store
    token, org = st.create_token("acme", "ci")
    _, other = st.create_token("globex")
    body = '{"params":{"a\\u0000\\u00e9":"string"}}'  # ASCII JSON, as the app stores it
    row = st.create_script(org, "n", "d", "flux", "x = 1", body)
    assert set(row) == {"id", "org_id", "name", "description", "language", "script", "version",
                        "created_at", "updated_at", "params_body"}
    assert row["version"] == 1 and row["created_at"] == row["updated_at"]
    assert row["params_body"] == body
    assert st.get_script(org, row["id"]) == row
    assert st.get_script(other, row["id"]) is None
    with pytest.raises(Conflict):
        st.create_script(org, "n", "", "flux", "x = 2")
    assert st.create_script(other, "n", "", "flux", "x = 2")["org_id"] == other
    assert st.list_scripts(org, 0, 10) == [row] and st.list_scripts(org, 0, 10, "n") == [row]
    assert st.list_scripts(org, 0, 10, "N") == [] and st.list_scripts(org, 1, 10) == []
    assert st.update_script(org, row["id"], {}) == row
    # A description-only change keeps the stored params; a new script replaces them.
    worded = st.update_script(org, row["id"], {"description": "e"}, None)
    assert worded["version"] == 2 and worded["params_body"] == body
    assert st.get_script(org, row["id"]) == worded
    new = st.update_script(org, row["id"], {"script": "x = 2"}, '{"params":{}}')
    assert new["version"] == 3 and new["script"] == "x = 2" and new["description"] == "e"
    assert new["params_body"] == '{"params":{}}' and st.get_script(org, row["id"]) == new
    with pytest.raises(NotFound):
        st.update_script(other, row["id"], {"script": "x"})
    with pytest.raises(NotFound):
        st.update_script(org, "0000000000000000", {})
    assert st.script_for_token(token, row["id"]) == (org, new)
    assert st.script_for_token(token, "0000000000000000") == (org, None)
    assert st.script_for_token("x" + token, row["id"]) == (None, None)
    assert st.delete_script(org, row["id"]) and not st.delete_script(org, row["id"])
    tokens = st.list_tokens()
    assert [(t["org"], t["description"]) for t in tokens] == [("acme", "ci"), ("globex", "")]
    assert st.revoke_token(tokens[0]["id"]) and not st.revoke_token(tokens[0]["id"])
    assert st.org_for_token(token) is None
    with pytest.raises(StoreError, match="must not be empty"):
        st.create_token(" ")
    st.check()


@pytest.mark.parametrize("text", ["nul \x00 inside", "\U0001f600 émoji", "x" * 100_000,
                                  "'; DROP TABLE scripts; --"])
def test_any_text_round_trips_and_long_names_stay_unique(any_store, text):
    _, org = any_store.create_token("acme")
    row = any_store.create_script(org, text, text, "flux", text)
    assert any_store.get_script(org, row["id"]) == row
    assert (row["name"], row["description"], row["script"]) == (text, text, text)
    assert any_store.list_scripts(org, 0, 10, text) == [row]
    with pytest.raises(Conflict):
        any_store.create_script(org, text, "", "flux", "x = 1")
    assert any_store.create_script(org, text + "!", "", "flux", "x = 1")["name"] == text + "!"


def test_failed_write_rolls_back_on_both(any_store):
    _, org = any_store.create_token("acme")
    row = any_store.create_script(org, "n", "d", "flux", "x = 1")

    def failing(conn):
        conn.execute("UPDATE scripts SET description = 'changed'")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        any_store._write(failing)
    assert any_store.get_script(org, row["id"])["description"] == "d"


def test_racing_creators_of_one_name_yield_exactly_one_script(store_db):
    # Separate stores (as separate replicas have), all creating the same names at once.
    stores = [open_store(store_db) for _ in range(4)]
    _, org = stores[0].create_token("acme")
    outcomes = []
    barrier = threading.Barrier(len(stores))

    def racer(st):
        barrier.wait()
        for k in range(10):
            try:
                outcomes.append(("won", st.create_script(org, f"name-{k}", "", "flux", "x")["id"]))
            except Conflict:
                outcomes.append(("lost", None))

    threads = [threading.Thread(target=racer, args=(st,)) for st in stores]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(o for o, _ in outcomes) == ["lost"] * 30 + ["won"] * 10
        assert sorted(r["id"] for r in stores[1].list_scripts(org, 0, 100)) == sorted(
            i for o, i in outcomes if o == "won")
    finally:
        for st in stores:
            st.close()


def test_concurrent_updates_each_get_their_own_version(store_db):
    stores = [open_store(store_db) for _ in range(4)]
    _, org = stores[0].create_token("acme")
    sid = stores[0].create_script(org, "n", "", "flux", "x = 0")["id"]
    seen = []

    def updater(st, n):
        for k in range(10):
            row = st.update_script(org, sid, {"script": f"x = {n}{k}"})
            seen.append((row["version"], row["script"]))

    threads = [threading.Thread(target=updater, args=(st, n)) for n, st in enumerate(stores)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        # every version was answered once, with the content it holds: (id, version) names the
        # content, which is what the /params cache keys on
        assert sorted(v for v, _ in seen) == list(range(2, 42))
        final = stores[1].get_script(org, sid)
        assert final["version"] == 41 and (41, final["script"]) in seen
    finally:
        for st in stores:
            st.close()


# -- PostgreSQL only -------------------------------------------------------------------------------

def test_replicas_starting_together_migrate_once(postgres_db):
    import psycopg

    from fluxparams.service.store_postgres import SCHEMA_VERSION as PG_SCHEMA_VERSION

    opened, errors = [], []
    barrier = threading.Barrier(6)

    def start():
        barrier.wait()
        try:
            opened.append(open_store(postgres_db))
        except Exception as e:  # surfaced below
            errors.append(repr(e))

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == [] and len(opened) == 6
        with psycopg.connect(postgres_db) as conn:
            assert conn.execute("SELECT version FROM fluxparams_schema").fetchall() == [
                (PG_SCHEMA_VERSION,)]
        _, org = opened[0].create_token("acme")
        assert opened[5].create_script(org, "n", "", "flux", "x")["version"] == 1
    finally:
        for st in opened:
            st.close()


def test_a_newer_postgres_schema_is_refused(postgres_db):
    import psycopg

    open_store(postgres_db).close()
    with psycopg.connect(postgres_db) as conn:
        conn.execute("UPDATE fluxparams_schema SET version = version + 1")
    with pytest.raises(StoreError, match="newer"):
        open_store(postgres_db)


def test_an_unreachable_postgres_is_a_clear_error_fast():
    url = f"postgresql://postgres:s3cret@127.0.0.1:{free_port()}/x"
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as caught:
        open_store(url, timeout=2)
    assert time.monotonic() - started < 10
    assert "s3cret" not in str(caught.value) and "127.0.0.1" in str(caught.value)
    done = run_cli("token", "list", "--db", url, "--db-timeout", "2")
    assert done.returncode == 2 and "cannot open database" in done.stderr
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr


def test_messages_never_show_a_password():
    from fluxparams.service.store_postgres import redact

    assert redact("postgresql://u:pw@h:5/d?sslmode=require") == "postgresql://u:***@h:5/d?sslmode=require"
    assert redact("postgresql://u@h/d?password=pw&sslmode=disable") == (
        "postgresql://u@h/d?password=%2A%2A%2A&sslmode=disable")
    assert redact("postgresql://h/d") == "postgresql://h/d"


def test_the_db_options_come_from_flags_or_the_environment(monkeypatch):
    from fluxparams.service import command

    monkeypatch.setenv("FLUXPARAMS_DB", "postgresql://h/db")
    monkeypatch.setenv("FLUXPARAMS_DB_POOL_SIZE", "3")
    monkeypatch.setenv("FLUXPARAMS_DB_TIMEOUT", "1.5")
    args = command._parser().parse_args(["serve"])
    assert (args.db, args.db_pool_size, args.db_timeout) == ("postgresql://h/db", 3, 1.5)
    args = command._parser().parse_args(["token", "list", "--db", "x.db", "--db-pool-size", "2"])
    assert (args.db, args.db_pool_size) == ("x.db", 2)
    done = run_cli("serve", "--db-pool-size", "0", timeout=30)
    assert done.returncode == 2 and "--db-pool-size" in done.stderr


def _via(url, port):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}"))


@pytest.mark.slow
def test_a_database_outage_is_503_then_recovers(postgres_db):
    target = urllib.parse.urlsplit(postgres_db)
    proxy = TcpProxy((target.hostname, target.port or 5432))
    token = cli_token(postgres_db, "acme")  # straight to the database
    h = {"Authorization": f"Token {token}"}
    body = {"name": "before", "description": "", "language": "flux",
            "script": "x = params.n + 1"}
    try:
        with LiveServer(_via(postgres_db, proxy.port), "--db-timeout", "0.5") as srv, \
                httpx.Client(base_url=srv.url, timeout=30) as c:
            r = c.post("/api/v2/scripts", headers=h, json=body)
            assert r.status_code == 201, r.text
            sid = r.json()["id"]
            assert c.get(f"/api/v2/scripts/{sid}/params", headers=h).status_code == 200

            proxy.cut()
            requests = [("GET", "/api/v2/scripts", None),
                        ("GET", f"/api/v2/scripts/{sid}", None),
                        ("GET", f"/api/v2/scripts/{sid}/params", None),
                        ("POST", "/api/v2/scripts", {**body, "name": "during"}),
                        ("PATCH", f"/api/v2/scripts/{sid}", {"description": "during"}),
                        ("DELETE", f"/api/v2/scripts/{sid}", None)]
            for method, path, doc in requests * 2:  # the second round: no stale connection left
                started = time.monotonic()
                r = c.request(method, path, headers=h, json=doc)
                assert time.monotonic() - started < 8
                assert r.status_code == 503, (method, path, r.text)
                assert r.json()["code"] == "unavailable" == r.headers["x-platform-error-code"]
                assert "database" in r.json()["message"] and r.headers["retry-after"] == "1"
            health = c.get("/health")
            assert health.status_code == 503 and health.json()["status"] == "fail"
            assert c.get("/ping").status_code == 204  # the server itself is fine

            proxy.restore()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if c.get("/health").status_code == 200:
                    break
                time.sleep(0.2)
            for method, path, doc in requests[:3]:
                assert c.request(method, path, headers=h, json=doc).status_code == 200
            r = c.post("/api/v2/scripts", headers=h, json={**body, "name": "after"})
            assert r.status_code == 201, r.text
        assert "Traceback" not in srv.log.read_text()
    finally:
        proxy.close()
    # what was refused did not happen: no "during" script, the description unchanged
    rows = stored_scripts(postgres_db)
    assert sorted(name for name, _ in rows.values()) == ["after", "before"]
    assert rows[sid] == ("before", "")


def test_sqlite_errors_are_503_too(tmp_path):
    with warnings.catch_warnings():  # starlette 1.x would like httpx2; httpx works
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from fluxparams.service.app import create_app

    db = tmp_path / "broken.db"
    st = Store(db)
    token, _ = st.create_token("acme")
    with TestClient(create_app(st), raise_server_exceptions=False) as c:
        h = {"Authorization": f"Token {token}"}
        assert c.get("/api/v2/scripts", headers=h).status_code == 200
        with sqlite3.connect(db) as other:  # someone breaks the file
            other.executescript("DROP TABLE scripts; DROP TABLE tokens; DROP TABLE orgs;")
        r = c.get("/api/v2/scripts", headers=h)
        assert r.status_code == 503 and r.json()["code"] == "unavailable", r.text
        assert "no such table" in r.json()["message"]
    with pytest.raises(StoreUnavailable):
        st.org_for_token(token)


def test_sqlite_writers_in_one_process_queue_on_a_lock(tmp_path):
    a, b = Store(tmp_path / "w.db"), Store(str(tmp_path / "." / "w.db"))
    try:
        assert a._write_lock is b._write_lock  # one lock per file, however it is named
        _, org = a.create_token("acme")
        latencies = []

        def writer(n):
            st = a if n % 2 else b
            for k in range(20):
                started = time.monotonic()
                st.create_script(org, f"{n}-{k}", "", "flux", "x = 1")
                latencies.append(time.monotonic() - started)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert len(latencies) == 320 and len(a.list_scripts(org, 0, 500)) == 320
    finally:
        a.close()
        b.close()
