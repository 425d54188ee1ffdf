"""Scripts, organizations and tokens in PostgreSQL (``--db postgresql://...``).

The same behaviour as the SQLite :class:`~fluxparams.service.store.Store`: the same methods,
rows, exceptions and orderings, so the service answers alike on either. Several servers
(replicas) may share one database:

* The schema is versioned in ``fluxparams_schema``; a server migrates it on start inside one
  transaction holding an advisory lock, so replicas starting together migrate once.
* Names are unique per organization by a UNIQUE constraint (on a SHA-256 of the name, so a name
  of any length fits in the index); the insert that loses a race gets the unique violation and
  the caller :class:`Conflict`, never a second row.
* Every write is one statement or one transaction, committed before the call returns; the
  connections run in autocommit so a read is one round trip.
* Free text the API stores (name, description, script) is ``bytea`` holding UTF-8: PostgreSQL's
  ``text`` cannot hold U+0000, which JSON and SQLite can.

Connections come from a psycopg_pool ``ConnectionPool`` (``pool_size`` connections at most; a
request waits ``timeout`` seconds for one). A database that cannot be reached raises
:class:`StoreUnavailable` (the service answers 503); after a failure the pool checks its idle
connections, so the requests after the database returns get fresh ones.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import urllib.parse
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, TypeVar

from .store import (
    SCRIPT_KEYS,
    Conflict,
    NotFound,
    ScriptRow,
    StoreError,
    StoreUnavailable,
    check_token_fields,
    hash_token,
    new_id,
    now_rfc3339,
)

try:
    import psycopg
    import psycopg_pool
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - the extra is not installed
    psycopg = None  # type: ignore[assignment]

DEFAULT_POOL_SIZE = 10
DEFAULT_TIMEOUT = 5.0
# psycopg_pool retries a failed connection with a doubling delay for reconnect_timeout (default
# 5 min), so after a long outage its next attempt could be minutes away. Giving up a retry chain
# early lets the next request start a fresh one at once.
RECONNECT_TIMEOUT = 3.0
# pg_advisory_xact_lock key: "fluxpar" in ASCII, so it reads as ours in pg_locks.
MIGRATION_LOCK = 0x666C7578706172

MIGRATIONS: Sequence[Sequence[str]] = (
    (
        """CREATE TABLE orgs (
            id text PRIMARY KEY,
            name text NOT NULL UNIQUE,
            created_at text NOT NULL)""",
        """CREATE TABLE tokens (
            hash text PRIMARY KEY,
            id text NOT NULL UNIQUE,
            org_id text NOT NULL REFERENCES orgs(id),
            description text NOT NULL DEFAULT '',
            created_at text NOT NULL)""",
        """CREATE TABLE scripts (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            org_id text NOT NULL REFERENCES orgs(id),
            name bytea NOT NULL,
            name_key bytea NOT NULL,
            description bytea NOT NULL,
            language text NOT NULL,
            script bytea NOT NULL,
            version bigint NOT NULL DEFAULT 1,
            created_at text NOT NULL,
            updated_at text NOT NULL,
            CONSTRAINT scripts_name_unique UNIQUE (org_id, name_key))""",
        "CREATE INDEX scripts_by_org ON scripts (org_id, seq)",
    ),
    (
        # 2: the encoded /params answer (ASCII-only JSON, so text holds it), written with the
        # script; NULL for rows written before.
        "ALTER TABLE scripts ADD COLUMN params_body text",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)

T = TypeVar("T")

_COLUMNS = ("s.id, s.org_id, s.name, s.description, s.language, s.script, s.version,"
            " s.created_at, s.updated_at, s.params_body")


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _name_key(name: str) -> bytes:
    return hashlib.sha256(_utf8(name)).digest()


def _row(row: Sequence[Any]) -> ScriptRow:
    script = dict(zip(SCRIPT_KEYS, row))
    for key in ("name", "description", "script"):
        script[key] = bytes(script[key]).decode("utf-8")
    return script


def redact(url: str) -> str:
    """The URL without its password, in the user part or as ``?password=`` (for messages)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is not None:
        user, host = parts.netloc.rsplit("@", 1)
        parts = parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}")
    if "password" in parts.query.lower():
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        parts = parts._replace(query=urllib.parse.urlencode(
            [(k, "***" if k.lower() == "password" else v) for k, v in query]))
    return urllib.parse.urlunsplit(parts)


def _unavailable(error: BaseException) -> bool:
    return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError,
                              psycopg_pool.PoolTimeout, psycopg_pool.PoolClosed))


class PostgresStore:
    reads_inline = False  # every read is a network round trip: the app uses the thread pool

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        if psycopg is None:
            raise StoreError("PostgreSQL needs the postgres extra: "
                             "pip install 'fluxparams[postgres]'")
        if pool_size < 1 or not timeout > 0:
            raise StoreError("the pool size and the timeout must be positive")
        self.url = url
        self.location = redact(url)
        self.timeout = timeout
        self._kwargs = self._connect_kwargs(url, timeout)
        self.pool_size = pool_size
        self._checking = threading.Lock()
        self._opening = threading.Lock()
        self._pool: Optional[psycopg_pool.ConnectionPool[Any]] = None
        self._migrate()
        self._open_pool()

    @staticmethod
    def _connect_kwargs(url: str, timeout: float) -> Dict[str, Any]:
        """Connection settings, unless the URL sets them: autocommit (a read is one round trip),
        the timeout for connecting, and TCP settings that notice a dead peer within about the
        timeout instead of the kernel's minutes."""
        try:
            given = psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError as e:
            raise StoreError(f"{redact(url)}: not a PostgreSQL URL: {e}") from None
        millis = max(1, round(timeout * 1000))
        defaults: Dict[str, Any] = {
            "connect_timeout": max(2, round(timeout)),  # libpq: whole seconds, at least 2
            "keepalives": 1, "keepalives_idle": max(1, round(timeout)),
            "keepalives_interval": 1, "keepalives_count": 3,
            "application_name": "fluxparams",
        }
        if psycopg.pq.version() >= 120000:
            defaults["tcp_user_timeout"] = millis
        kwargs = {k: v for k, v in defaults.items() if k not in given}
        kwargs["autocommit"] = True
        return kwargs

    # -- connections -------------------------------------------------------------------------

    def _open_pool(self) -> psycopg_pool.ConnectionPool[Any]:
        # Like the SQLite store, a closed store opens again when used (the app closes the store
        # at shutdown; a test may hand the same store to a second app).
        with self._opening:
            if self._pool is None:
                self._pool = psycopg_pool.ConnectionPool(
                    self.url, min_size=1, max_size=self.pool_size, timeout=self.timeout,
                    kwargs=self._kwargs, open=False, name="fluxparams",
                    reconnect_timeout=RECONNECT_TIMEOUT)
                self._pool.open(wait=False)
            return self._pool

    @property
    def pool(self) -> psycopg_pool.ConnectionPool[Any]:
        pool = self._pool
        return pool if pool is not None else self._open_pool()

    def close(self) -> None:
        with self._opening:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def _fail(self, error: BaseException) -> StoreError:
        if not _unavailable(error):
            return StoreError(f"database {self.location}: {error}")
        # Connections that saw the database go away are dead; check the idle ones now, so the
        # requests after it returns do not each find one more dead connection.
        pool = self._pool  # not self.pool: a store closed meanwhile stays closed
        if pool is not None and self._checking.acquire(blocking=False):
            try:
                pool.check()
            except Exception:  # noqa: BLE001 - best effort; the next request retries anyway
                pass
            finally:
                self._checking.release()
        if isinstance(error, psycopg_pool.PoolTimeout):
            message = f"no connection within {self.timeout:g} s ({error})"
        else:
            message = str(error).strip() or type(error).__name__
        return StoreUnavailable(f"database {self.location}: {message}")

    def _read(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, *args)`` on a pooled connection; a read, so it is retried once when the
        connection it got turns out dead."""
        for attempt in (1, 2):
            try:
                with self.pool.connection() as conn:
                    return fn(conn, *args)
            except psycopg_pool.PoolTimeout as e:  # waited the whole timeout: not again
                raise self._fail(e) from e
            except psycopg.Error as e:
                failure = self._fail(e)
            if attempt == 2 or not isinstance(failure, StoreUnavailable):
                raise failure
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, fn: Callable[..., T], *args: Any, one_statement: bool = False) -> T:
        """``fn(conn, *args)`` in one transaction, committed before this returns. Never retried:
        a failure after COMMIT was sent cannot tell whether it committed, and the caller's 503
        acknowledges nothing. ``one_statement``: fn runs a single statement, which autocommit
        makes its own transaction, one round trip instead of three."""
        try:
            with self.pool.connection() as conn:
                if one_statement:
                    return fn(conn, *args)
                with conn.transaction():
                    return fn(conn, *args)
        except psycopg.Error as e:
            raise self._fail(e) from e

    def _migrate(self) -> None:
        try:
            conn = psycopg.connect(self.url, **self._kwargs)
        except psycopg.Error as e:
            raise StoreUnavailable(f"cannot connect to {self.location}: "
                                   f"{str(e).strip()}") from e
        try:
            with conn, conn.transaction():
                # Held until COMMIT: a second replica starting now waits here, then finds the
                # schema current.
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                conn.execute("CREATE TABLE IF NOT EXISTS fluxparams_schema (version integer NOT NULL)")
                row = conn.execute("SELECT version FROM fluxparams_schema").fetchone()
                version = row[0] if row else 0
                if row is None:
                    conn.execute("INSERT INTO fluxparams_schema (version) VALUES (0)")
                if version > SCHEMA_VERSION:
                    raise StoreError(f"{self.location}: database schema version {version} is "
                                     f"newer than this fluxparams understands ({SCHEMA_VERSION})")
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[target - 1]:
                        conn.execute(statement)
                    conn.execute("UPDATE fluxparams_schema SET version = %s", (target,))
        except psycopg.Error as e:
            kind = StoreUnavailable if _unavailable(e) else StoreError
            raise kind(f"cannot migrate {self.location}: {str(e).strip()}") from e
        finally:
            conn.close()

    # -- organizations and tokens ------------------------------------------------------------

    def check(self) -> None:
        """Raise when the database cannot be read (the service's /health)."""
        self._read(lambda c: c.execute("SELECT version FROM fluxparams_schema").fetchone())

    def create_token(self, org_name: str, description: str = "") -> Tuple[str, str]:
        """A new token for ``org_name`` (created if needed); returns (token, org_id). Only the
        token's sha256 is stored."""
        check_token_fields(org_name, description)
        token = secrets.token_urlsafe(32)

        def txn(conn: Any) -> str:
            # ON CONFLICT waits for a concurrent creator of the same org, then the SELECT (a new
            # snapshot under READ COMMITTED) sees its row.
            conn.execute("INSERT INTO orgs (id, name, created_at) VALUES (%s, %s, %s)"
                         " ON CONFLICT (name) DO NOTHING", (new_id(), org_name, now_rfc3339()))
            org_id = conn.execute("SELECT id FROM orgs WHERE name = %s",
                                  (org_name,)).fetchone()[0]
            conn.execute("INSERT INTO tokens (hash, id, org_id, description, created_at)"
                         " VALUES (%s, %s, %s, %s, %s)",
                         (hash_token(token), new_id(), org_id, description, now_rfc3339()))
            return str(org_id)

        return token, self._write(txn)

    def list_tokens(self) -> List[Dict[str, str]]:
        """Every token: id, org (name), org_id, description, created_at; never the secret."""
        rows = self._read(lambda c: c.execute(
            "SELECT t.id, o.name, t.org_id, t.description, t.created_at FROM tokens t"
            ' JOIN orgs o ON o.id = t.org_id ORDER BY t.created_at COLLATE "C", t.id COLLATE "C"'
        ).fetchall())
        keys = ("id", "org", "org_id", "description", "created_at")
        return [dict(zip(keys, row)) for row in rows]

    def revoke_token(self, token_id: str) -> bool:
        """Delete the token with this id; False when there is none. Every request looks its
        token up in the database, so every replica refuses it from the next request."""
        return bool(self._write(lambda c: c.execute("DELETE FROM tokens WHERE id = %s",
                                                    (token_id,)).rowcount > 0, one_statement=True))

    def org_for_token(self, token: str) -> Optional[str]:
        row = self._read(lambda c: c.execute("SELECT org_id FROM tokens WHERE hash = %s",
                                             (hash_token(token),)).fetchone())
        return str(row[0]) if row else None

    def script_for_token(self, token: str,
                         script_id: str) -> Tuple[Optional[str], Optional[ScriptRow]]:
        """(org_id, row) in one statement: org_id None when the token is unknown (or revoked),
        row None when that organization has no such script."""
        row = self._read(lambda c: c.execute(
            f"SELECT t.org_id, {_COLUMNS} FROM tokens t LEFT JOIN scripts s"
            " ON s.org_id = t.org_id AND s.id = %s WHERE t.hash = %s",
            (script_id, hash_token(token))).fetchone())
        if row is None:
            return None, None
        return str(row[0]), (_row(row[1:]) if row[1] is not None else None)

    # -- scripts -----------------------------------------------------------------------------

    def create_script(self, org_id: str, name: str, description: str, language: str,
                      script: str, params_body: Optional[str] = None) -> ScriptRow:
        """``params_body``: the script's encoded GET /params answer, stored with it."""
        stamp = now_rfc3339()

        def insert(conn: Any, script_id: str) -> None:
            # The UNIQUE constraint decides a race between replicas: exactly one insert wins.
            conn.execute(
                "INSERT INTO scripts (id, org_id, name, name_key, description, language,"
                " script, version, created_at, updated_at, params_body)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s, %s, %s)",
                (script_id, org_id, _utf8(name), _name_key(name), _utf8(description),
                 language, _utf8(script), stamp, stamp, params_body))

        for _attempt in range(5):
            script_id = new_id()
            try:
                self._write(insert, script_id, one_statement=True)
            except StoreError as e:
                cause = e.__cause__
                if isinstance(cause, pg_errors.UniqueViolation):
                    if cause.diag.constraint_name == "scripts_name_unique":
                        raise Conflict(name) from None
                    continue  # a 64-bit id collision: astronomically rare, but cheap to handle
                raise
            return {"id": script_id, "org_id": org_id, "name": name,
                    "description": description, "language": language, "script": script,
                    "version": 1, "created_at": stamp, "updated_at": stamp,
                    "params_body": params_body}
        raise StoreError("could not allocate a script id")  # pragma: no cover

    def get_script(self, org_id: str, script_id: str) -> Optional[ScriptRow]:
        row = self._read(lambda c: c.execute(
            f"SELECT {_COLUMNS} FROM scripts s WHERE s.id = %s AND s.org_id = %s",
            (script_id, org_id)).fetchone())
        return _row(row) if row else None

    def list_scripts(self, org_id: str, offset: int, limit: int,
                     name: Optional[str] = None) -> List[ScriptRow]:
        sql = f"SELECT {_COLUMNS} FROM scripts s WHERE s.org_id = %s"
        args: List[Any] = [org_id]
        if name is not None:
            sql += " AND s.name_key = %s AND s.name = %s"
            args += [_name_key(name), _utf8(name)]
        sql += " ORDER BY s.seq LIMIT %s OFFSET %s"
        args += [limit, offset]
        rows = self._read(lambda c: c.execute(sql, args).fetchall())
        return [_row(r) for r in rows]

    def update_script(self, org_id: str, script_id: str, changes: Dict[str, str],
                      params_body: Optional[str] = None) -> ScriptRow:
        """Apply ``changes`` (description and/or script); an empty dict changes nothing. One
        UPDATE: the row lock orders concurrent updates, so each version has one content (and
        its params_body: replaced with the script, kept by a description-only change)."""
        assert set(changes) <= {"description", "script"}
        if not changes:
            current = self.get_script(org_id, script_id)
            if current is None:
                raise NotFound(script_id)
            return current
        description = changes.get("description")
        script = changes.get("script")
        row = self._write(lambda c: c.execute(
            "UPDATE scripts s SET description = coalesce(%s, s.description),"
            " script = coalesce(%s, s.script), version = s.version + 1, updated_at = %s,"
            " params_body = CASE WHEN %s THEN %s ELSE s.params_body END"
            f" WHERE s.id = %s AND s.org_id = %s RETURNING {_COLUMNS}",
            (None if description is None else _utf8(description),
             None if script is None else _utf8(script), now_rfc3339(), script is not None,
             params_body, script_id, org_id)).fetchone(), one_statement=True)
        if row is None:
            raise NotFound(script_id)
        return _row(row)

    def delete_script(self, org_id: str, script_id: str) -> bool:
        return bool(self._write(lambda c: c.execute(
            "DELETE FROM scripts WHERE id = %s AND org_id = %s",
            (script_id, org_id)).rowcount > 0, one_statement=True))
