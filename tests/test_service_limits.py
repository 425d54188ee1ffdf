"""What one request may cost: the script size limit (413), the analysis time budget (422) in a
worker process that is killed and replaced, a busy pool (503), one parse per script, and a server
that keeps answering while an analysis runs (a real ``fluxparams serve`` process)."""
from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import httpx
import pytest
from service_support import LiveServer, cli_token, run_cli

import fluxparams
import fluxparams.api
from fluxparams.service import analysis, command, pool
from fluxparams.service.app import DEFAULT_MAX_SCRIPT, create_app
from fluxparams.service.stores import open_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

# Seconds of analysis at any speed this project has had (~100-300 KiB/s for statements); every
# budget below is a fraction of a second, so the script always overruns it.
COSTLY = "x = 1\n" * 500_000
NORMAL = "from(bucket: params.bucket) |> range(start: -1h) |> limit(n: params.n)"


def hdr(token):
    return {"Authorization": f"Token {token}"}


def doc(script, name="s"):
    return {"name": name, "description": "", "language": "flux", "script": script}


@pytest.fixture
def store(store_db):
    s = open_store(store_db)
    yield s
    s.close()


@pytest.fixture
def token(store):
    return store.create_token("acme")[0]


def assert_error(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and r.headers["x-platform-error-code"] == code
    return r.json()["message"]


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_gone(pids, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(gone(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if not gone(p)]


# -- the script size limit ---------------------------------------------------------------------

def test_the_defaults_agree_between_the_command_and_the_app():
    assert command.DEFAULT_MAX_SCRIPT == DEFAULT_MAX_SCRIPT == 256 * 1024
    assert command.DEFAULT_ANALYSIS_TIMEOUT == pool.DEFAULT_BUDGET
    assert command.DEFAULT_ANALYSIS_WORKERS == pool.DEFAULT_WORKERS
    args = command._parser().parse_args(["serve"])
    assert (args.max_script_bytes, args.analysis_timeout, args.analysis_workers) == (
        DEFAULT_MAX_SCRIPT, pool.DEFAULT_BUDGET, pool.DEFAULT_WORKERS)


def test_the_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("FLUXPARAMS_MAX_SCRIPT_BYTES", "1000")
    monkeypatch.setenv("FLUXPARAMS_ANALYSIS_TIMEOUT", "0.5")
    monkeypatch.setenv("FLUXPARAMS_ANALYSIS_WORKERS", "3")
    monkeypatch.setenv("FLUXPARAMS_MAX_BODY", "5000")
    args = command._parser().parse_args(["serve"])
    assert (args.max_script_bytes, args.analysis_timeout, args.analysis_workers,
            args.max_body) == (1000, 0.5, 3, 5000)
    args = command._parser().parse_args(["serve", "--max-script-bytes", "7"])
    assert args.max_script_bytes == 7  # a flag wins over the environment


@pytest.mark.parametrize("argv, env", [
    (["--max-script-bytes", "0"], {}), (["--analysis-timeout", "-1"], {}),
    (["--analysis-timeout", "nan"], {}), (["--analysis-workers", "two"], {}),
    ([], {"FLUXPARAMS_ANALYSIS_TIMEOUT": "soon"}), ([], {"FLUXPARAMS_MAX_SCRIPT_BYTES": "-5"}),
])
def test_bad_limits_are_refused_before_the_server_starts(tmp_path, argv, env):
    done = run_cli("serve", "--db", str(tmp_path / "x.db"), *argv, env=env, timeout=30)
    assert done.returncode == 2, done.stderr
    assert "expected a positive" in done.stderr


def test_a_script_over_the_limit_is_413_with_the_limit(store, token):
    with TestClient(create_app(store, max_script=1000), raise_server_exceptions=False) as c:
        exact = "x = 1\n" + "/" * 993 + "\n"
        assert len(exact.encode()) == 1000
        r = c.post("/api/v2/scripts", headers=hdr(token), json=doc(exact, "exact"))
        assert r.status_code == 201, r.text
        sid = r.json()["id"]

        over = exact + " "
        msg = assert_error(c.post("/api/v2/scripts", headers=hdr(token), json=doc(over)), 413,
                           "request too large")
        assert "1001 bytes" in msg and "limit of 1000 bytes" in msg
        assert "--max-script-bytes" in msg and "FLUXPARAMS_MAX_SCRIPT_BYTES" in msg
        # bytes, not characters: both are 502 characters, the second is 1001 bytes
        fits, too_big = "///" + "ü" * 498 + "\n", "//" + "ü" * 499 + "\n"
        assert len(fits) == len(too_big) and len(fits.encode()) == 1000
        assert c.post("/api/v2/scripts", headers=hdr(token),
                      json=doc(fits, "u")).status_code == 201
        assert_error(c.post("/api/v2/scripts", headers=hdr(token), json=doc(too_big, "v")),
                     413, "request too large")

        # PATCH is held to the same limit and changes nothing
        msg = assert_error(c.patch(f"/api/v2/scripts/{sid}", headers=hdr(token),
                                   json={"script": over, "description": "new"}),
                           413, "request too large")
        assert "limit of 1000 bytes" in msg
        row = c.get(f"/api/v2/scripts/{sid}", headers=hdr(token)).json()
        assert row["script"] == exact and row["description"] == ""
        assert c.app.state.service.pool.jobs == 2  # over-limit scripts never reach a worker


# -- the analysis budget, in process ------------------------------------------------------------

def test_the_worker_parses_a_broken_script_once(monkeypatch):
    real = fluxparams.api.parse
    calls = []

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(fluxparams.api, "parse", counting)
    broken = "x = 1\n" * 1000 + "y = (\n"
    kind, message = analysis.run(broken)
    with pytest.raises(fluxparams.FluxSyntaxError) as e:
        real(broken)
    assert (kind, message) == ("syntax", f"error @{e.value.lineno}:{e.value.offset}: "
                                         f"{e.value.msg}")
    assert calls == [broken]
    calls.clear()
    assert analysis.run(NORMAL) == ("params", {"bucket": "string", "n": "int"})
    assert calls == [NORMAL]


def test_an_analysis_over_budget_kills_its_worker_and_the_slot_recovers():
    async def scenario():
        p = pool.AnalysisPool(1, budget=0.5)
        try:
            await p.start()
            [first] = p.pids()
            started = time.monotonic()
            with pytest.raises(pool.OverBudget):
                await p.analyze(COSTLY)
            elapsed = time.monotonic() - started
            assert 0.5 <= elapsed < 3.0, elapsed
            assert wait_gone([first]) == []
            assert p.killed == 1
            assert await p.analyze(NORMAL) == ("params", {"bucket": "string", "n": "int"})
            assert p.pids() != [first]
        finally:
            p.close()

    asyncio.run(scenario())


def test_a_busy_pool_says_so_after_its_wait():
    async def scenario():
        p = pool.AnalysisPool(1, budget=2.0, wait=0.2)
        try:
            await p.start()
            costly = asyncio.ensure_future(p.analyze(COSTLY))
            await asyncio.sleep(0.05)  # the costly script holds the only worker
            started = time.monotonic()
            with pytest.raises(pool.Busy):
                await p.analyze(NORMAL)
            assert time.monotonic() - started < 1.5
            with pytest.raises(pool.OverBudget):
                await costly
        finally:
            p.close()

    asyncio.run(scenario())


def test_a_worker_that_dies_mid_analysis_is_reported_and_replaced():
    async def scenario():
        p = pool.AnalysisPool(1, budget=10.0)
        try:
            await p.start()
            [pid] = p.pids()
            loop = asyncio.get_running_loop()
            loop.call_later(0.3, os.kill, pid, signal.SIGKILL)
            with pytest.raises(pool.WorkerLost, match="exit code -9"):
                await p.analyze(COSTLY)
            assert await p.analyze("x = params.a + 1") == ("params", {"a": "int"})
        finally:
            p.close()

    asyncio.run(scenario())


def test_a_stored_script_over_budget_is_422_on_params_and_invoke(store, token):
    org = store.org_for_token(token)
    # Stored behind the API's back, as under an older, larger budget.
    row = store.create_script(org, "old", "", "flux", COSTLY)
    app = create_app(store, analysis_workers=1, analysis_timeout=0.5)
    with TestClient(app, raise_server_exceptions=False) as c:
        for method, suffix in (("GET", "/params"), ("POST", "/invoke")):
            started = time.monotonic()
            r = c.request(method, f"/api/v2/scripts/{row['id']}{suffix}", headers=hdr(token))
            elapsed = time.monotonic() - started
            msg = assert_error(r, 422, "unprocessable entity")
            assert "budget of 0.5 s" in msg and "--analysis-timeout" in msg, msg
            assert elapsed < 3.0, elapsed
        # the worker was replaced: a normal script is analyzed as before
        r = c.post("/api/v2/scripts", headers=hdr(token), json=doc(NORMAL))
        assert r.status_code == 201, r.text
        pids = c.app.state.service.pool.pids()
        assert pids
    # the app's lifespan ends its workers
    assert wait_gone(pids) == []


def test_a_busy_pool_is_503_with_retry_after(store, token):
    app = create_app(store, max_body=8_000_000, max_script=8_000_000)
    service = app.state.service
    service.pool = pool.AnalysisPool(1, budget=2.0, wait=0.2)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            costly = asyncio.ensure_future(client.post("/api/v2/scripts", headers=hdr(token),
                                                       json=doc(COSTLY, "costly")))
            await asyncio.sleep(0.3)
            busy = await client.post("/api/v2/scripts", headers=hdr(token), json=doc(NORMAL))
            return busy, await costly

    try:
        busy, costly = asyncio.run(scenario())
    finally:
        service.pool.close()
    msg = assert_error(busy, 503, "unavailable")
    assert "busy" in msg and busy.headers["retry-after"] == "2"
    assert_error(costly, 422, "unprocessable entity")


def test_a_stored_script_that_no_longer_parses_is_422_on_params(store, token):
    org = store.org_for_token(token)
    row = store.create_script(org, "broken", "", "flux", "x = (")
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        msg = assert_error(c.get(f"/api/v2/scripts/{row['id']}/params", headers=hdr(token)),
                           422, "unprocessable entity")
        assert msg.startswith("the stored script does not parse: error @1:5:"), msg


# -- a real server keeps answering while an analysis runs --------------------------------------

def descendants(pid):
    """Process ids below ``pid`` (Linux /proc), e.g. the fork server and the workers."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_live_server_answers_others_while_a_costly_analysis_runs(tmp_path):
    db = tmp_path / "live.db"
    token = cli_token(db, "acme")
    budget = 3.0
    # The budget and script limit from the environment, the body limit from a flag.
    env = {"FLUXPARAMS_ANALYSIS_TIMEOUT": str(budget), "FLUXPARAMS_MAX_SCRIPT_BYTES": "8000000"}
    with LiveServer(db, "--max-body", "9000000", env=env) as srv:
        api = srv.url + "/api/v2/scripts"
        r = httpx.post(api, headers=hdr(token), json=doc(NORMAL, "normal"))
        assert r.status_code == 201, r.text
        params_url = f"{api}/{r.json()['id']}/params"
        workers = descendants(srv.proc.pid)
        assert len(workers) >= 3  # the fork server and two workers (and the resource tracker)

        result = {}

        def costly():
            started = time.monotonic()
            result["response"] = httpx.post(api, headers=hdr(token),
                                            json=doc(COSTLY, "costly"), timeout=60)
            result["elapsed"] = time.monotonic() - started

        thread = threading.Thread(target=costly)
        thread.start()
        time.sleep(0.3)  # the costly script is being analyzed now
        slowest = 0.0
        for _ in range(3):
            for method, url, body in (("GET", srv.url + "/ping", None),
                                      ("GET", api, None),
                                      ("GET", params_url, None)):
                started = time.monotonic()
                r = httpx.request(method, url, headers=hdr(token), json=body, timeout=10)
                slowest = max(slowest, time.monotonic() - started)
                assert r.status_code in (200, 204), r.text
        # the second worker analyzes a normal script meanwhile
        started = time.monotonic()
        r = httpx.post(api, headers=hdr(token), json=doc(NORMAL, "meanwhile"), timeout=10)
        slowest = max(slowest, time.monotonic() - started)
        assert r.status_code == 201, r.text
        assert "response" not in result  # all of that happened during the costly analysis
        assert slowest < 0.5, slowest
        thread.join(30)

        response = result["response"]
        msg = assert_error(response, 422, "unprocessable entity")
        assert f"budget of {budget:g} s" in msg
        assert budget <= result["elapsed"] < budget + 2.0, result["elapsed"]
        assert httpx.get(api, params={"name": "costly"}, headers=hdr(token)).json() == {
            "scripts": []}

        # the killed worker's slot works again
        r = httpx.post(api, headers=hdr(token), json=doc(NORMAL, "after"), timeout=10)
        assert r.status_code == 201, r.text
        running = descendants(srv.proc.pid)
        srv.stop()
    # a clean shutdown ends every process the server started
    assert wait_gone(running) == []
