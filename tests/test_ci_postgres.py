"""``.ci/postgres.sh``: finds a running PostgreSQL, or starts a private trust-auth cluster."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from service_support import free_port

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"


def run(env, timeout=120):
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env})


def test_a_running_server_is_left_alone(postgres_server):
    url = urllib.parse.urlsplit(postgres_server)
    if url.hostname != "127.0.0.1":
        pytest.skip(f"the script serves 127.0.0.1; {os.environ.get('FLUXPARAMS_TEST_POSTGRES')} "
                    f"is elsewhere")
    started = time.monotonic()
    done = run({"PGPORT": str(url.port or 5432)})
    assert done.returncode == 0, done.stderr
    assert "already answers" in done.stdout and time.monotonic() - started < 10


def _initdb_available():
    if shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        if os.geteuid() != 0:
            return True
        import pwd

        try:
            pwd.getpwnam("postgres")
            return shutil.which("runuser") is not None
        except KeyError:
            return False
    return False


@pytest.mark.slow
@pytest.mark.skipif(not _initdb_available(), reason="no initdb here (the script would apt-get it)")
def test_a_private_cluster_starts_and_a_second_run_finds_it():
    import psycopg

    port = free_port()
    data = tempfile.mkdtemp(prefix="fluxparams-ci-pg-")  # not under pytest's 0700 root dir
    env = {"PGPORT": str(port), "FLUXPARAMS_PGDATA": data}
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    pg_ctl = shutil.which("pg_ctl") or str(sorted(Path("/usr/lib/postgresql").glob(
        "*/bin/pg_ctl"))[-1])
    try:
        done = run(env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "initdb" in done.stdout and "ready" in done.stdout
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres") as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)  # trust: no password
        again = run(env)
        assert again.returncode == 0 and "already answers" in again.stdout
        subprocess.run([*owner, pg_ctl, "-D", data, "stop", "-m", "fast"], check=True,
                       capture_output=True, timeout=60)
        restarted = run(env)  # the cluster it made, started again without a new initdb
        assert restarted.returncode == 0 and "initdb" not in restarted.stdout
    finally:
        subprocess.run([*owner, pg_ctl, "-D", data, "stop", "-m", "immediate"],
                       capture_output=True, timeout=60)
        shutil.rmtree(data, ignore_errors=True)
