"""The SQLite store: pragmas, schema versioning, constraints, transactions."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from fluxparams.service import store as store_module
from fluxparams.service.store import Conflict, NotFound, Store, StoreError


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
