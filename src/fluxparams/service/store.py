"""Scripts, organizations and tokens in one SQLite file; what every store shares.

Durability and concurrency come from SQLite itself: WAL journal, ``synchronous=FULL`` (a write that
returned has reached the disk, so it survives SIGKILL and power loss), ``busy_timeout`` so that
concurrent writers queue instead of failing, and one ``BEGIN IMMEDIATE`` transaction per write so a
writer takes the lock before it reads what it is about to change.

A :class:`Store` hands each thread its own connection (sqlite3 connections must not be shared
between threads while in use); the web app calls it from starlette's thread pool.

Writers inside one process queue on a lock (one per database file) before ``BEGIN IMMEDIATE``:
threads polling SQLite's busy handler wake up late (its sleeps grow to 100 ms), which made POST
p99 812 ms under 16 writers; a lock hands over at once. ``busy_timeout`` still covers writers in
other processes (the token commands, a second server).

The schema is versioned with ``PRAGMA user_version``: ``MIGRATIONS[i]`` takes a database from
version ``i`` to ``i + 1``; opening a database runs the missing ones, each in its own transaction.
"""
from __future__ import annotations

import functools
import hashlib
import os
import secrets
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Optional,
    Protocol,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    cast,
)

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
    (
        # 3: the encoded /params answer, written with the script, so any replica answers it
        # without analyzing. NULL for rows written before (the app analyzes those on demand).
        "ALTER TABLE scripts ADD COLUMN params_body TEXT",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class StoreError(Exception):
    pass


class Conflict(StoreError):
    """A script with that name already exists in the organization."""


class NotFound(StoreError):
    pass


class StoreUnavailable(StoreError):
    """The database cannot be reached or used right now (down, unreachable, disk error): the
    service answers 503, and the failed call acknowledged nothing."""


def now_rfc3339() -> str:
    # The contract's examples: UTC, microseconds, "Z".
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return secrets.token_hex(8)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


ScriptRow = Dict[str, Any]

_SCRIPT_COLUMNS = ("id, org_id, name, description, language, script, version, created_at,"
                   " updated_at, params_body")


# params_body: the script's GET /params answer body, encoded ASCII-only JSON; None when the row
# was written before schema 3 (or by a caller that passed none).
SCRIPT_KEYS = ("id", "org_id", "name", "description", "language", "script", "version",
               "created_at", "updated_at", "params_body")


def _row_to_script(row: Sequence[Any]) -> ScriptRow:
    return dict(zip(SCRIPT_KEYS, row))


class ScriptStore(Protocol):
    """What the service needs from a store; :class:`Store` (SQLite) and
    ``store_postgres.PostgresStore`` provide it with the same behaviour and exceptions."""

    location: str  # for messages: a file path, or a URL without its password
    # True when a point read never waits long (no network), so the app may run
    # script_for_token on the event loop instead of hopping to the thread pool.
    reads_inline: bool

    def close(self) -> None: ...
    def check(self) -> None: ...
    def create_token(self, org_name: str, description: str = "") -> Tuple[str, str]: ...
    def list_tokens(self) -> List[Dict[str, str]]: ...
    def revoke_token(self, token_id: str) -> bool: ...
    def org_for_token(self, token: str) -> Optional[str]: ...
    def script_for_token(self, token: str,
                         script_id: str) -> Tuple[Optional[str], Optional[ScriptRow]]: ...
    def create_script(self, org_id: str, name: str, description: str, language: str,
                      script: str, params_body: Optional[str] = None) -> ScriptRow: ...
    def get_script(self, org_id: str, script_id: str) -> Optional[ScriptRow]: ...
    def list_scripts(self, org_id: str, offset: int, limit: int,
                     name: Optional[str] = None) -> List[ScriptRow]: ...
    def update_script(self, org_id: str, script_id: str, changes: Dict[str, str],
                      params_body: Optional[str] = None) -> ScriptRow: ...
    def delete_script(self, org_id: str, script_id: str) -> bool: ...


def check_token_fields(org_name: str, description: str) -> None:
    if not org_name or not org_name.strip():
        raise StoreError("the organization name must not be empty")
    for what, text in (("organization name", org_name), ("description", description)):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise StoreError(f"the {what} is not valid Unicode (lone surrogate)") from None


_WRITE_LOCKS: Dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: str) -> threading.Lock:
    # One lock per file, shared by every Store on it in this process.
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(os.path.realpath(path), threading.Lock())


def _guarded(method: F) -> F:
    """Turn sqlite3's errors other than constraint violations into StoreUnavailable (disk full,
    I/O error, unreadable file, busy beyond the timeout)."""
    @functools.wraps(method)
    def wrapper(self: "Store", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as e:
            raise StoreUnavailable(f"{self.path}: {e}") from e
    return cast(F, wrapper)


class Store:
    # A WAL reader does not wait for writers; a point lookup is cheaper than a thread hop.
    reads_inline = True

    def __init__(self, path: Union[str, Path]) -> None:
        self.path = str(path)
        self.location = os.path.abspath(self.path)
        self._local = threading.local()
        self._all: List[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = _write_lock(self.path)
        try:
            self._migrate(self._conn())
        except sqlite3.DatabaseError as e:
            self.close()
            raise StoreUnavailable(f"{self.path}: {e}") from e

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
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn, *args)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # a failed COMMIT (disk full) leaves it open too
                    conn.execute("ROLLBACK")
                raise
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

    @_guarded
    def check(self) -> None:
        """Raise when the database cannot be read (the service's /health)."""
        self._conn().execute("SELECT count(*) FROM orgs").fetchone()

    @_guarded
    def create_token(self, org_name: str, description: str = "") -> Tuple[str, str]:
        """A new token for ``org_name`` (created if needed); returns (token, org_id).

        Only the token's sha256 is stored: the database never holds a usable secret.
        """
        check_token_fields(org_name, description)
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

    @_guarded
    def list_tokens(self) -> List[Dict[str, str]]:
        """Every token: id, org (name), org_id, description, created_at; never the secret."""
        rows = self._conn().execute(
            "SELECT t.id, o.name, t.org_id, t.description, t.created_at FROM tokens t"
            " JOIN orgs o ON o.id = t.org_id ORDER BY t.created_at, t.id").fetchall()
        keys = ("id", "org", "org_id", "description", "created_at")
        return [dict(zip(keys, row)) for row in rows]

    @_guarded
    def revoke_token(self, token_id: str) -> bool:
        """Delete the token with this id; False when there is none. Takes effect at once: every
        request looks its token up in the database."""
        def txn(conn: sqlite3.Connection) -> bool:
            return conn.execute("DELETE FROM tokens WHERE id = ?", (token_id,)).rowcount > 0

        return self._write(txn)

    @_guarded
    def org_for_token(self, token: str) -> Optional[str]:
        row = self._conn().execute("SELECT org_id FROM tokens WHERE hash = ?",
                                   (hash_token(token),)).fetchone()
        return row[0] if row else None

    @_guarded
    def script_for_token(self, token: str,
                         script_id: str) -> Tuple[Optional[str], Optional[ScriptRow]]:
        """(org_id, row) in one statement: org_id None when the token is unknown (or revoked),
        row None when that organization has no such script."""
        row = self._conn().execute(
            "SELECT t.org_id, s.id, s.org_id, s.name, s.description, s.language, s.script,"
            " s.version, s.created_at, s.updated_at, s.params_body FROM tokens t"
            " LEFT JOIN scripts s ON s.org_id = t.org_id AND s.id = ? WHERE t.hash = ?",
            (script_id, hash_token(token))).fetchone()
        if row is None:
            return None, None
        return row[0], (_row_to_script(row[1:]) if row[1] is not None else None)

    # -- scripts -----------------------------------------------------------------------------

    @_guarded
    def create_script(self, org_id: str, name: str, description: str, language: str,
                      script: str, params_body: Optional[str] = None) -> ScriptRow:
        """``params_body``: the script's encoded GET /params answer, stored with it."""
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
                    " version, created_at, updated_at, params_body)"
                    " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                    (script_id, org_id, name, description, language, script, stamp, stamp,
                     params_body))
                break
            else:  # pragma: no cover
                raise StoreError("could not allocate a script id")
            return _row_to_script((script_id, org_id, name, description, language, script, 1,
                                   stamp, stamp, params_body))

        return self._write(txn)

    @_guarded
    def get_script(self, org_id: str, script_id: str) -> Optional[ScriptRow]:
        row = self._conn().execute(
            f"SELECT {_SCRIPT_COLUMNS} FROM scripts WHERE id = ? AND org_id = ?",
            (script_id, org_id)).fetchone()
        return _row_to_script(row) if row else None

    @_guarded
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

    @_guarded
    def update_script(self, org_id: str, script_id: str, changes: Dict[str, str],
                      params_body: Optional[str] = None) -> ScriptRow:
        """Apply ``changes`` (description and/or script); an empty dict changes nothing.
        ``params_body`` is the new script's encoded /params answer, stored when the script
        changes; a description-only change keeps the stored one."""
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
            if "script" in changes:
                current["params_body"] = params_body
            current["version"] += 1
            current["updated_at"] = now_rfc3339()
            conn.execute(
                "UPDATE scripts SET description = ?, script = ?, version = ?, updated_at = ?,"
                " params_body = ? WHERE id = ?",
                (current["description"], current["script"], current["version"],
                 current["updated_at"], current["params_body"], script_id))
            return current

        return self._write(txn)

    @_guarded
    def delete_script(self, org_id: str, script_id: str) -> bool:
        def txn(conn: sqlite3.Connection) -> bool:
            cur = conn.execute("DELETE FROM scripts WHERE id = ? AND org_id = ?",
                               (script_id, org_id))
            return cur.rowcount > 0

        return self._write(txn)
