"""Helpers for the service tests: tokens, a real ``fluxparams serve``, and reading an ``extern``.

``extern_tree`` turns the JSON syntax tree the service sends as ``extern`` into a
:mod:`fluxparams.tree` File, written as the Flux source would denote the same values: a negative
number or duration is a unary minus on a literal, a bool is the identifier ``true``/``false``, a
uint (Flux source has no uint literal) is ``uint(v: "N")`` and -2^63 is ``int(v: "...")``. It
reads the JSON on its own terms (not through binding.py), so ``unparse`` of it, parsed back, shows
which Flux values the extern denotes.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import httpx

from fluxparams import tree

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: Optional[Dict[str, str]] = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m fluxparams.service ARGS`` (the same main() that ``fluxparams`` dispatches to)."""
    return subprocess.run([sys.executable, "-m", "fluxparams.service", *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def cli_token(db: Union[Path, str], org: str) -> str:
    done = run_cli("token", "create", "--org", org, "--db", str(db))
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``fluxparams serve`` in a subprocess on a free loopback port; ``stop()`` tears it down.

    ``db`` is what ``--db`` takes: a SQLite path or a postgresql:// URL. The server's output goes
    to ``log``: beside a SQLite file, else in ``log_dir`` (default: a new temporary directory).
    """

    def __init__(self, db: Union[Path, str], *extra: str, env: Optional[Dict[str, str]] = None,
                 log_dir: Optional[Path] = None) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if isinstance(db, Path) and log_dir is None:
            self.log = db.with_suffix(".serve.log")
        else:
            folder = log_dir or Path(tempfile.mkdtemp(prefix="fluxparams-serve-"))
            self.log = folder / f"serve-{self.port}.log"
        self._log_file = open(self.log, "wb")
        argv: List[str] = [sys.executable, "-m", "fluxparams.service", "serve",
                           "--host", "127.0.0.1", "--port", str(self.port), "--db", str(db),
                           "--log-level", "warning", *extra]
        self.proc = subprocess.Popen(argv, stdout=self._log_file, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fluxparams serve exited with {self.proc.returncode}:\n"
                                   + self.log.read_text(errors="replace"))
            try:
                # /ping, as the official clients probe it first
                if httpx.get(self.url + "/ping", timeout=1).status_code == 204:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("fluxparams serve did not become ready:\n"
                           + self.log.read_text(errors="replace"))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log_file.close()

    def __enter__(self) -> "LiveServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# -- the extern as Flux ----------------------------------------------------------------------------

_DIGITS = re.compile(r"-?[0-9]+\Z")


def _negated(node: Any) -> tree.UnaryExpression:
    return tree.UnaryExpression("-", node)


def _conversion(fn: str, digits: str) -> tree.CallExpression:
    return tree.CallExpression(tree.Identifier(fn), tree.ObjectExpression(
        None, (tree.Property(tree.Identifier("v"), tree.StringLiteral(digits)),)))


def extern_tree(node: Dict[str, Any]) -> Any:
    """The :mod:`fluxparams.tree` node for a node of the extern JSON (literals, records, arrays)."""
    kind = node["type"]
    if kind == "File":
        assert node["package"] is None and node["imports"] in ([], None)
        return tree.File(None, (), tuple(extern_tree(s) for s in node["body"]))
    if kind == "OptionStatement":
        return tree.OptionStatement(extern_tree(node["assignment"]))
    if kind == "VariableAssignment":
        return tree.VariableAssignment(extern_tree(node["id"]), extern_tree(node["init"]))
    if kind == "Identifier":
        assert isinstance(node["name"], str)
        return tree.Identifier(node["name"])
    if kind == "StringLiteral":
        assert isinstance(node["value"], str)
        return tree.StringLiteral(node["value"])
    if kind == "IntegerLiteral":
        assert _DIGITS.match(node["value"]), node
        n = int(node["value"])
        assert -(2 ** 63) <= n < 2 ** 63
        if n == -(2 ** 63):
            return _conversion("int", node["value"])
        return _negated(tree.IntegerLiteral(-n)) if n < 0 else tree.IntegerLiteral(n)
    if kind == "UnsignedIntegerLiteral":
        assert _DIGITS.match(node["value"]) and not node["value"].startswith("-"), node
        assert int(node["value"]) < 2 ** 64
        return _conversion("uint", node["value"])
    if kind == "FloatLiteral":
        f = node["value"]
        assert isinstance(f, float), node
        if f < 0 or (f == 0 and str(f).startswith("-")):
            return _negated(tree.FloatLiteral(-f))
        return tree.FloatLiteral(f)
    if kind == "BooleanLiteral":
        assert isinstance(node["value"], bool)
        return tree.Identifier("true" if node["value"] else "false")
    if kind == "DurationLiteral":
        parts = [(d["magnitude"], d["unit"]) for d in node["values"]]
        assert parts and all(isinstance(m, int) for m, _ in parts)
        signs = {m < 0 for m, _ in parts}
        assert len(signs) == 1, "all magnitudes of a duration have one sign"
        lit = tree.DurationLiteral(tuple((abs(m), u) for m, u in parts))
        return _negated(lit) if signs.pop() else lit
    if kind == "DateTimeLiteral":
        return tree.DateTimeLiteral(node["value"])
    if kind == "ArrayExpression":
        return tree.ArrayExpression(tuple(extern_tree(e) for e in node["elements"]))
    if kind == "ObjectExpression":
        assert "with" not in node
        return tree.ObjectExpression(None, tuple(extern_tree(p) for p in node["properties"]))
    if kind == "Property":
        assert node["key"]["type"] in ("Identifier", "StringLiteral")
        return tree.Property(extern_tree(node["key"]), extern_tree(node["value"]))
    raise AssertionError(f"not a node the extern may hold: {node!r}")


# -- the database's whole content, on either store ---------------------------------------------------

def dump_database(db: str) -> str:
    """Every row of every table as text (a SQLite file or a postgresql:// URL): tests look for
    what must never be stored."""
    if not db.startswith("postgresql://"):
        import sqlite3

        with sqlite3.connect(db) as conn:
            return "\n".join(conn.iterdump())
    import psycopg
    from psycopg import sql

    lines: List[str] = []
    with psycopg.connect(db, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema()")]
        for table in tables:
            query = sql.SQL("SELECT row_to_json(t)::text FROM {} t").format(sql.Identifier(table))
            lines += [r[0] for r in conn.execute(query)]
    return "\n".join(lines)


def stored_scripts(db: str) -> Dict[str, Any]:
    """id -> (name, description) of every stored script, read straight from the database."""
    if not db.startswith("postgresql://"):
        import sqlite3

        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return {r[0]: (r[1], r[2]) for r in
                    conn.execute("SELECT id, name, description FROM scripts")}
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        # bytea: the PostgreSQL store keeps free text as UTF-8 bytes (store_postgres.py)
        return {r[0]: (bytes(r[1]).decode(), bytes(r[2]).decode()) for r in
                conn.execute("SELECT id, name, description FROM scripts")}
