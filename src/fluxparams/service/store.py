"""Scripts, organizations and tokens in one SQLite file.

Durability and concurrency come from SQLite itself: WAL journal, ``synchronous=FULL`` (a write that
returned has reached the disk, so it survives SIGKILL and power loss), ``busy_timeout`` so that
concurrent writers queue instead of failing, and one ``BEGIN IMMEDIATE`` transaction per write so a
writer takes the lock before it reads what it is about to change.

A :class:`Store` hands each thread its own connection (sqlite3 connections must not be shared
between threads while in use); the web app calls it from starlette's thread pool.

The schema is versioned with ``PRAGMA user_version``: ``MIGRATIONS[i]`` takes a database from
version ``i`` to ``i + 1``; opening a database runs the missing ones, each in its own transaction.
"""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar, Union

BUSY_TIMEOUT_MS = 10_000

MIGRATIONS: Sequence[Sequence[str]] = (
    (
        """CREATE TABLE orgs (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE tokens (
            hash TEXT PRIMARY KEY,
            org_id TEXT NOT NULL REFERENCES orgs(id),
            created_at TEXT NOT NULL)""",
        # seq gives a stable listing order; id is what clients see.
        """CREATE TABLE scripts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            org_id TEXT NOT NULL REFERENCES orgs(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            language TEXT NOT NULL,
            script TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (org_id, name))""",
        "CREATE INDEX scripts_by_org ON scripts (org_id, seq)",
    ),
    (
        # 2: tokens get a public id (to list and revoke them by) and a description. Tokens made
        # before this get a fresh random id; the secret's hash stays the lookup key.
        "ALTER TABLE tokens ADD COLUMN id TEXT",
        "ALTER TABLE tokens ADD COLUMN description TEXT NOT NULL DEFAULT ''",
        "UPDATE tokens SET id = lower(hex(randomblob(8))) WHERE id IS NULL",
        "CREATE UNIQUE INDEX tokens_by_id ON tokens (id)",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")


class StoreError(Exception):
    pass


class Conflict(StoreError):
    """A script with that name already exists in the organization."""


class NotFound(StoreError):
    pass


def now_rfc3339() -> str:
    # The contract's examples: UTC, microseconds, "Z".
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return secrets.token_hex(8)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


ScriptRow = Dict[str, Any]

_SCRIPT_COLUMNS = "id, org_id, name, description, language, script, version, created_at, updated_at"


def _row_to_script(row: Sequence[Any]) -> ScriptRow:
    keys = ("id", "org_id", "name", "description", "language", "script", "version",
            "created_at", "updated_at")
    return dict(zip(keys, row))


class Store:
    def __init__(self, path: Union[str, Path]) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._all: List[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate(self._conn())

    # -- connections -------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves. check_same_thread=False only so
            # close() may close every thread's connection at shutdown; each is used by one thread.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch to WAL journal mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:  # pragma: no cover - closing is best effort
                pass
        self._local = threading.local()

    def _write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, *args)`` inside one BEGIN IMMEDIATE transaction."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn, *args)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: database schema version {version} is newer than this "
                             f"fluxparams understands ({SCHEMA_VERSION})")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            def step(c: sqlite3.Connection, target: int = target) -> None:
                # Re-check under the write lock: another process may have migrated meanwhile.
                if c.execute("PRAGMA user_version").fetchone()[0] >= target:
                    return
                for statement in MIGRATIONS[target - 1]:
                    c.execute(statement)
                c.execute(f"PRAGMA user_version = {target}")
            self._write(step)

    # -- organizations and tokens ------------------------------------------------------------

    def check(self) -> None:
        """Raise when the database cannot be read (the service's /health)."""
        self._conn().execute("SELECT count(*) FROM orgs").fetchone()

    def create_token(self, org_name: str, description: str = "") -> Tuple[str, str]:
        """A new token for ``org_name`` (created if needed); returns (token, org_id).

        Only the token's sha256 is stored: the database never holds a usable secret.
        """
        if not org_name or not org_name.strip():
            raise StoreError("the organization name must not be empty")
        for what, text in (("organization name", org_name), ("description", description)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise StoreError(f"the {what} is not valid Unicode (lone surrogate)") from None
        token = secrets.token_urlsafe(32)

        def txn(conn: sqlite3.Connection) -> str:
            row = conn.execute("SELECT id FROM orgs WHERE name = ?", (org_name,)).fetchone()
            if row is None:
                org_id = new_id()
                conn.execute("INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)",
                             (org_id, org_name, now_rfc3339()))
            else:
                org_id = row[0]
            while True:
                token_id = new_id()
                if not conn.execute("SELECT 1 FROM tokens WHERE id = ?", (token_id,)).fetchone():
                    break
            conn.execute("INSERT INTO tokens (hash, id, org_id, description, created_at)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (hash_token(token), token_id, org_id, description, now_rfc3339()))
            return str(org_id)

        return token, self._write(txn)

    def list_tokens(self) -> List[Dict[str, str]]:
        """Every token: id, org (name), org_id, description, created_at; never the secret."""
        rows = self._conn().execute(
            "SELECT t.id, o.name, t.org_id, t.description, t.created_at FROM tokens t"
            " JOIN orgs o ON o.id = t.org_id ORDER BY t.created_at, t.id").fetchall()
        keys = ("id", "org", "org_id", "description", "created_at")
        return [dict(zip(keys, row)) for row in rows]

    def revoke_token(self, token_id: str) -> bool:
        """Delete the token with this id; False when there is none. Takes effect at once: every
        request looks its token up in the database."""
        def txn(conn: sqlite3.Connection) -> bool:
            return conn.execute("DELETE FROM tokens WHERE id = ?", (token_id,)).rowcount > 0

        return self._write(txn)

    def org_for_token(self, token: str) -> Optional[str]:
        row = self._conn().execute("SELECT org_id FROM tokens WHERE hash = ?",
                                   (hash_token(token),)).fetchone()
        return row[0] if row else None

    # -- scripts -----------------------------------------------------------------------------

    def create_script(self, org_id: str, name: str, description: str, language: str,
                      script: str) -> ScriptRow:
        stamp = now_rfc3339()

        def txn(conn: sqlite3.Connection) -> ScriptRow:
            if conn.execute("SELECT 1 FROM scripts WHERE org_id = ? AND name = ?",
                            (org_id, name)).fetchone():
                raise Conflict(name)
            for _attempt in range(5):
                script_id = new_id()
                if conn.execute("SELECT 1 FROM scripts WHERE id = ?", (script_id,)).fetchone():
                    continue  # a 64-bit id collision: astronomically rare, but cheap to handle
                conn.execute(
                    "INSERT INTO scripts (id, org_id, name, description, language, script,"
                    " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (script_id, org_id, name, description, language, script, stamp, stamp))
                break
            else:  # pragma: no cover
                raise StoreError("could not allocate a script id")
            return _row_to_script((script_id, org_id, name, description, language, script, 1,
                                   stamp, stamp))

        return self._write(txn)

    def get_script(self, org_id: str, script_id: str) -> Optional[ScriptRow]:
        row = self._conn().execute(
            f"SELECT {_SCRIPT_COLUMNS} FROM scripts WHERE id = ? AND org_id = ?",
            (script_id, org_id)).fetchone()
        return _row_to_script(row) if row else None

    def list_scripts(self, org_id: str, offset: int, limit: int,
                     name: Optional[str] = None) -> List[ScriptRow]:
        sql = f"SELECT {_SCRIPT_COLUMNS} FROM scripts WHERE org_id = ?"
        args: List[Any] = [org_id]
        if name is not None:
            sql += " AND name = ?"
            args.append(name)
        sql += " ORDER BY seq LIMIT ? OFFSET ?"
        args += [limit, offset]
        return [_row_to_script(r) for r in self._conn().execute(sql, args)]

    def update_script(self, org_id: str, script_id: str,
                      changes: Dict[str, str]) -> ScriptRow:
        """Apply ``changes`` (description and/or script); an empty dict changes nothing."""
        assert set(changes) <= {"description", "script"}

        def txn(conn: sqlite3.Connection) -> ScriptRow:
            row = conn.execute(
                f"SELECT {_SCRIPT_COLUMNS} FROM scripts WHERE id = ? AND org_id = ?",
                (script_id, org_id)).fetchone()
            if row is None:
                raise NotFound(script_id)
            current = _row_to_script(row)
            if not changes:
                return current
            current.update(changes)
            current["version"] += 1
            current["updated_at"] = now_rfc3339()
            conn.execute(
                "UPDATE scripts SET description = ?, script = ?, version = ?, updated_at = ?"
                " WHERE id = ?",
                (current["description"], current["script"], current["version"],
                 current["updated_at"], script_id))
            return current

        return self._write(txn)

    def delete_script(self, org_id: str, script_id: str) -> bool:
        def txn(conn: sqlite3.Connection) -> bool:
            cur = conn.execute("DELETE FROM scripts WHERE id = ? AND org_id = ?",
                               (script_id, org_id))
            return cur.rowcount > 0

        return self._write(txn)
