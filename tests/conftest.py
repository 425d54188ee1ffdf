"""Test configuration shared by every suite.

``../shared`` (beside the clone) holds libflux's test vectors and the oracle. CI always has it; a
checkout without it still runs every test that does not need it, and skips the rest cleanly.
"""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import shutil
import tempfile
import urllib.parse
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CASES = Path(__file__).resolve().parent / "cases"

# `fluxparams check` keeps a result cache in the user's cache directory; the tests (in process and
# in the commands they start, which inherit the environment) use a private one, removed at exit.
# Tests of the cache itself point FLUXPARAMS_CACHE_DIR elsewhere as they need.
_TEST_CACHE = tempfile.mkdtemp(prefix="fluxparams-test-cache-")
os.environ["FLUXPARAMS_CACHE_DIR"] = _TEST_CACHE
atexit.register(shutil.rmtree, _TEST_CACHE, ignore_errors=True)


# Tests that take a second or more (pytest --durations) in modules whose other tests are fast are
# named here, so those modules need no edit; a test may also carry ``@pytest.mark.slow`` itself, as
# whole slow modules do (``pytestmark``). The default command runs every test; ``-m "not slow"`` is
# the fast loop. tests/test_docs.py checks that every name here is still a test.
SLOW_TESTS = frozenset({
    "test_analyze_properties.py::test_never_raises_anything_but_a_syntax_error",
    "test_analyze_properties.py::test_renaming_a_local_variable_does_not_matter",
    "test_analyze_properties.py::test_whitespace_and_comments_do_not_matter",
    "test_hostile_input.py::test_control_characters_anywhere",
    "test_hostile_input.py::test_mutated_corpus_scripts",
    "test_parse_properties.py::test_grammar_generated_text_parses_or_fails_cleanly",
    "test_parse_properties.py::test_round_trip",
    "test_perf_invariants.py::test_driver_matches_larks_own_parser",
    "test_service_live.py::test_concurrent_clients_lose_and_duplicate_nothing",
    "test_service_live.py::test_end_to_end_session",
    "test_service_live.py::test_invoke_without_influx_is_501",
    "test_service_live.py::test_schemathesis_finds_no_failure",
    "test_service_live.py::test_sigkilled_server_keeps_every_acknowledged_write",
    "test_service_live.py::test_sigkilled_writer_keeps_every_acknowledged_write",
    "test_syntax.py::test_parse_table_check_fails_when_stale",
})


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: "list[pytest.Item]") -> None:
    for item in items:
        name = f"{item.path.name}::{item.originalname if isinstance(item, pytest.Function) else item.name}"
        if name in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


def shared_path(*parts: str) -> Path:
    """The path of a file in ../shared, or skip the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


def load_shared_json(*parts: str):
    return json.loads(shared_path(*parts).read_text(encoding="utf-8"))


# -- stores: every service test runs on SQLite and on a real PostgreSQL ------------------------------

POSTGRES_ENV = "FLUXPARAMS_TEST_POSTGRES"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _no_postgres(reason: str) -> None:
    # CI must test PostgreSQL for real: a missing server fails there, it never skips silently.
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: PostgreSQL is required; .ci/postgres.sh starts one)",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of a PostgreSQL server (env FLUXPARAMS_TEST_POSTGRES) whose role may create
    databases; skips (fails when CI=true) when none answers."""
    url = os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)
    try:
        import psycopg
    except ImportError:
        _no_postgres("psycopg is not installed (pip install -e '.[test]')")
    try:
        psycopg.connect(url, connect_timeout=3, autocommit=True).close()
    except psycopg.Error as e:
        _no_postgres(f"no PostgreSQL answers at {url} ({str(e).strip()}); set {POSTGRES_ENV} "
                     f"or run .ci/postgres.sh")
    return url


def _with_path(url: str, database: str, query: str = "") -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database, query=query))


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[str]:
    """One database for this test session (CREATE DATABASE costs a second or more on a busy
    machine: it copies and syncs a template), dropped at the end."""
    import psycopg
    from psycopg import sql

    name = "fluxparams_test_" + secrets.token_hex(6)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_path(postgres_server, name)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            # FORCE: a server process a test left behind may still hold connections
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))


@pytest.fixture
def postgres_db(postgres_database: str) -> Iterator[str]:
    """A fresh, empty place to store in: a postgresql:// URL whose search_path is a new schema
    of the session's database (so every table the store creates lands there), dropped after the
    test."""
    with fresh_schema(postgres_database) as url:
        yield url


@contextlib.contextmanager
def fresh_schema(postgres_database: str) -> Iterator[str]:
    """A new schema of ``postgres_database`` as a postgresql:// URL, dropped on leaving."""
    import psycopg
    from psycopg import sql

    schema = "t_" + secrets.token_hex(6)
    with psycopg.connect(postgres_database, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    parts = urllib.parse.urlsplit(postgres_database)
    query = urllib.parse.urlencode({"options": f"-csearch_path={schema}"})
    try:
        yield _with_path(postgres_database, parts.path.lstrip("/"), query)
    finally:
        with psycopg.connect(postgres_database, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '20s'")
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", "postgres"])
def store_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """What ``--db`` takes, once per store: a SQLite file's path, or a fresh PostgreSQL
    database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "fluxparams.db")
    return str(request.getfixturevalue("postgres_db"))
