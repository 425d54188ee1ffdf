"""Two real ``fluxparams serve`` replicas on one database (docs/deployment.md).

Each test starts two server processes on the same database: one SQLite file (two processes on one
machine, through WAL) and one PostgreSQL database (what several machines would share). Clients
spread over both; the tests check what a load balancer in front of them must be able to rely on:
nothing acknowledged is lost, nothing unacknowledged appears, a name is taken once across
replicas, ``/params`` is never stale after an update through the other replica, a replica killed
with SIGKILL loses nothing it acknowledged, and a revoked token stops working on every replica at
its next request.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import httpx
import pytest
from service_support import REPO, LiveServer, cli_token, free_port, run_cli

# Two live servers per test: the slow set (-m "not slow" leaves them out of the fast loop).
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals"), pytest.mark.slow]

CLIENTS = 16
OPS = 100
SHARED_NAMES = [f"shared-{i}" for i in range(12)]


def auth(token: str) -> Dict[str, str]:
    return {"Authorization": f"Token {token}"}


def flux(k: int) -> str:
    """A script whose params tell which version of it a replica analyzed."""
    return f"from(bucket: params.b{k})\n  |> range(start: -1h)\n  |> limit(n: params.n)\n"


def params_of(k: int) -> Dict[str, Any]:
    return {"params": {f"b{k}": "string", "n": "int"}}


class Replicas:
    """Two ``fluxparams serve`` processes on one database."""

    def __init__(self, db: str, log_dir: Path) -> None:
        self.servers: List[LiveServer] = []
        failures: List[BaseException] = []
        lock = threading.Lock()

        def start() -> None:  # both at once, as a deployment would (concurrent migrations too)
            try:
                server = LiveServer(db, log_dir=log_dir)
            except BaseException as e:
                failures.append(e)
                return
            with lock:
                self.servers.append(server)

        starters = [threading.Thread(target=start) for _ in range(2)]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        if failures:
            self.stop()
            raise failures[0]

    @property
    def urls(self) -> List[str]:
        return [s.url for s in self.servers]

    def stop(self) -> None:
        for s in self.servers:
            s.stop()

    def __enter__(self) -> "Replicas":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def every_script(url: str, token: str) -> Dict[str, Dict[str, Any]]:
    found: Dict[str, Dict[str, Any]] = {}
    offset = 0
    while True:
        r = httpx.get(f"{url}/api/v2/scripts", params={"limit": 500, "offset": offset},
                      headers=auth(token), timeout=30)
        assert r.status_code == 200, r.text
        page = r.json()["scripts"]
        for s in page:
            assert s["id"] not in found, "a script listed twice"
            found[s["id"]] = s
        if len(page) < 500:
            return found
        offset += 500


def run_threads(target: Any, count: int) -> None:
    errors: List[str] = []

    def guarded(n: int) -> None:
        try:
            target(n)
        except BaseException as e:  # surfaced below: a thread cannot fail the test itself
            errors.append(f"client {n}: {e!r}")

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert errors == []


def test_mixed_load_through_two_replicas(store_db, tmp_path):
    token = cli_token(store_db, "acme")
    with Replicas(store_db, tmp_path) as replicas:
        urls = replicas.urls
        models: List[Dict[str, Tuple[str, int]]] = [{} for _ in range(CLIENTS)]
        wins: List[List[Tuple[str, str]]] = [[] for _ in range(CLIENTS)]
        problems: List[Tuple[Any, ...]] = []
        statuses: List[Dict[int, int]] = [{} for _ in range(CLIENTS)]  # one per client: no race

        def client(n: int) -> None:
            rng = random.Random(n)
            mine = models[n]  # id -> (description, k) last acknowledged
            clients = [httpx.Client(base_url=u + "/api/v2", headers=auth(token), timeout=60)
                       for u in urls]
            home, other = clients[n % 2], clients[1 - n % 2]

            def call(c: httpx.Client, method: str, path: str, **kw: Any) -> httpx.Response:
                r = c.request(method, path, **kw)
                statuses[n][r.status_code] = statuses[n].get(r.status_code, 0) + 1
                return r

            def expect(ok: bool, *what: Any) -> None:
                if not ok:
                    problems.append((n, *what))

            try:
                for i in range(OPS):
                    op = rng.random()
                    any_replica = rng.choice(clients)
                    if op < 0.25 or not mine:
                        k = rng.randrange(1000)
                        r = call(home, "POST", "/scripts", json={
                            "name": f"c{n}-{i}", "description": "v0", "language": "flux",
                            "script": flux(k)})
                        expect(r.status_code == 201, "create", r.status_code, r.text)
                        if r.status_code == 201:
                            mine[r.json()["id"]] = ("v0", k)
                    elif op < 0.35:
                        name = rng.choice(SHARED_NAMES)
                        r = call(any_replica, "POST", "/scripts", json={
                            "name": name, "description": "", "language": "flux",
                            "script": flux(0)})
                        if r.status_code == 201:
                            wins[n].append((name, r.json()["id"]))
                        else:
                            expect(r.status_code == 422 and r.json()["code"] == "conflict",
                                   "shared", r.status_code, r.text)
                    elif op < 0.55:
                        # update through one replica, read the params through the other at once
                        sid = rng.choice(sorted(mine))
                        k, desc = rng.randrange(1000), f"v{i}"
                        r = call(home, "PATCH", f"/scripts/{sid}",
                                 json={"description": desc, "script": flux(k)})
                        expect(r.status_code == 200, "patch", r.status_code, r.text)
                        if r.status_code == 200:
                            mine[sid] = (desc, k)
                            p = call(other, "GET", f"/scripts/{sid}/params")
                            expect(p.status_code == 200 and p.json() == params_of(k),
                                   "stale params", k, p.status_code, p.text)
                    elif op < 0.70:
                        sid = rng.choice(sorted(mine))
                        r = call(any_replica, "GET", f"/scripts/{sid}")
                        desc, k = mine[sid]
                        expect(r.status_code == 200 and r.json()["description"] == desc
                               and r.json()["script"] == flux(k), "get", r.status_code, r.text)
                    elif op < 0.80:
                        sid = rng.choice(sorted(mine))
                        r = call(any_replica, "GET", f"/scripts/{sid}/params")
                        expect(r.status_code == 200 and r.json() == params_of(mine[sid][1]),
                               "params", r.status_code, r.text)
                    elif op < 0.90:
                        sid = rng.choice(sorted(mine))
                        r = call(home, "DELETE", f"/scripts/{sid}")
                        expect(r.status_code == 204, "delete", r.status_code, r.text)
                        del mine[sid]
                        g = call(other, "GET", f"/scripts/{sid}/params")
                        expect(g.status_code == 404, "deleted, still served", g.status_code)
                    else:
                        name = f"c{n}-{rng.randrange(i + 1)}"
                        r = call(any_replica, "GET", "/scripts", params={"name": name})
                        ok = r.status_code == 200 and len(r.json()["scripts"]) <= 1
                        if ok and r.json()["scripts"]:
                            ok = r.json()["scripts"][0]["id"] in mine
                        expect(ok, "list", name, r.status_code, r.text)
            finally:
                for c in clients:
                    c.close()

        run_threads(client, CLIENTS)
        assert problems == []
        seen = [code for mine in statuses for code, count in mine.items() for _ in range(count)]
        assert not [code for code in seen if code >= 500], statuses
        assert len(seen) >= CLIENTS * OPS

        won = [w for ws in wins for w in ws]
        assert len({name for name, _ in won}) == len(won), "a shared name was created twice"
        expected = {sid for mine in models for sid in mine} | {sid for _, sid in won}
        for url in urls:  # both replicas see the same, complete, duplicate-free state
            stored = every_script(url, token)
            assert set(stored) == expected, "lost or phantom scripts"
            names = [s["name"] for s in stored.values()]
            assert len(names) == len(set(names))
            for mine in models:
                for sid, (desc, k) in mine.items():
                    assert (stored[sid]["description"], stored[sid]["script"]) == (desc, flux(k))


def test_a_name_created_through_both_replicas_at_once_is_created_once(store_db, tmp_path):
    token = cli_token(store_db, "acme")
    rounds = 15
    with Replicas(store_db, tmp_path) as replicas:
        barrier = threading.Barrier(2)
        answers: List[List[int]] = [[], []]

        def racer(n: int) -> None:
            with httpx.Client(base_url=replicas.urls[n] + "/api/v2", headers=auth(token),
                              timeout=60) as c:
                c.get("/scripts")  # connected before the race starts
                for i in range(rounds):
                    barrier.wait(30)
                    r = c.post("/scripts", json={"name": f"race-{i}", "description": f"{n}",
                                                 "language": "flux", "script": flux(i)})
                    assert r.status_code in (201, 422), r.text
                    if r.status_code == 422:
                        assert r.json()["code"] == "conflict", r.text
                    answers[n].append(r.status_code)

        run_threads(racer, 2)
        for i in range(rounds):
            assert sorted([answers[0][i], answers[1][i]]) == [201, 422], i
        stored = every_script(replicas.urls[0], token)
        assert sorted(s["name"] for s in stored.values()) == sorted(f"race-{i}" for i in range(rounds))


def test_sigkilled_replica_loses_nothing_it_acknowledged(store_db, tmp_path):
    token = cli_token(store_db, "acme")
    with Replicas(store_db, tmp_path) as replicas:
        victim, survivor = replicas.servers
        acked: Dict[str, Tuple[str, int]] = {}     # id -> last acknowledged (description, k)
        attempted: Dict[str, Tuple[str, int]] = {}  # id -> the write in flight at the kill
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n: int) -> None:
            rng = random.Random(n)
            with httpx.Client(base_url=victim.url + "/api/v2", headers=auth(token),
                              timeout=30) as c:
                mine: List[str] = []
                i = 0
                while not stop.is_set():
                    i += 1
                    k = rng.randrange(1000)
                    try:
                        if mine and rng.random() < 0.4:
                            sid = rng.choice(mine)
                            with lock:
                                attempted[sid] = (f"p{n}-{i}", k)
                            r = c.patch(f"/scripts/{sid}",
                                        json={"description": f"p{n}-{i}", "script": flux(k)})
                            assert r.status_code == 200, r.text
                        else:
                            r = c.post("/scripts", json={"name": f"k{n}-{i}", "description": "v0",
                                                         "language": "flux", "script": flux(k)})
                            assert r.status_code == 201, r.text
                            sid = r.json()["id"]
                            mine.append(sid)
                    except httpx.HTTPError:
                        return  # the replica is gone
                    with lock:
                        acked[sid] = (r.json()["description"], k)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        try:
            deadline = time.monotonic() + 60
            while len(acked) < 60 and time.monotonic() < deadline:
                time.sleep(0.01)
            victim.proc.send_signal(signal.SIGKILL)
            victim.proc.wait(10)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert len(acked) >= 60
        assert victim.proc.returncode == -signal.SIGKILL

        stored = every_script(survivor.url, token)
        for sid, (desc, k) in acked.items():
            assert sid in stored, "an acknowledged write was lost"
            seen = (stored[sid]["description"], stored[sid]["script"])
            # the last acknowledged write, or one in flight at the kill that committed unanswered
            allowed = [(desc, k)] + ([attempted[sid]] if sid in attempted else [])
            matches = [k for desc, k in allowed if (desc, flux(k)) == seen]
            assert matches, (sid, seen, allowed)
            k = matches[0]
            r = httpx.get(f"{survivor.url}/api/v2/scripts/{sid}/params", headers=auth(token))
            assert r.status_code == 200 and r.json() == params_of(k)
        # at most one create per writer was in flight, unanswered, when the replica died
        assert len(set(stored) - set(acked)) <= len(threads)
        r = httpx.post(f"{survivor.url}/api/v2/scripts", headers=auth(token), json={
            "name": "after", "description": "", "language": "flux", "script": flux(1)})
        assert r.status_code == 201, r.text


def test_a_revoked_token_stops_working_on_every_replica(store_db, tmp_path):
    token = cli_token(store_db, "acme")
    done = run_cli("token", "create", "--org", "acme", "--description", "to revoke",
                   "--db", store_db)
    assert done.returncode == 0, done.stderr
    doomed = done.stdout.strip()
    listed = run_cli("token", "list", "--json", "--db", store_db)
    assert listed.returncode == 0, listed.stderr
    [doomed_id] = [t["id"] for t in json.loads(listed.stdout) if t["description"] == "to revoke"]
    with Replicas(store_db, tmp_path) as replicas:
        r = httpx.post(f"{replicas.urls[0]}/api/v2/scripts", headers=auth(token), json={
            "name": "s", "description": "", "language": "flux", "script": flux(3)})
        assert r.status_code == 201, r.text
        paths = ["/api/v2/scripts", f"/api/v2/scripts/{r.json()['id']}",
                 f"/api/v2/scripts/{r.json()['id']}/params"]
        for url in replicas.urls:
            for path in paths:
                assert httpx.get(url + path, headers=auth(doomed)).status_code == 200
        revoked = run_cli("token", "revoke", doomed_id, "--db", store_db)
        assert revoked.returncode == 0, revoked.stderr
        for url in replicas.urls:
            for path in paths:
                r = httpx.get(url + path, headers=auth(doomed))
                assert r.status_code == 401, (url, path, r.text)
                assert r.json()["code"] == "unauthorized"
                assert httpx.get(url + path, headers=auth(token)).status_code == 200


# -- the example in docs/deployment.md -----------------------------------------------------------

EXAMPLE = REPO / "examples" / "two-replicas.sh"


def test_the_two_replicas_example_runs(tmp_path):
    db = tmp_path / "example.db"
    token = cli_token(db, "acme")
    ports = [free_port() for _ in range(2)]
    env = {**os.environ, "FLUXPARAMS_DB": str(db), "PORTS": " ".join(map(str, ports)),
           "FLUXPARAMS": f"{sys.executable} -m fluxparams.service"}
    proc = subprocess.Popen(["sh", str(EXAMPLE)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "the example's replicas did not start"
                time.sleep(0.1)
        r = httpx.post(urls[0] + "/api/v2/scripts", headers=auth(token), json={
            "name": "example", "description": "", "language": "flux", "script": flux(7)})
        assert r.status_code == 201, r.text
        p = httpx.get(f"{urls[1]}/api/v2/scripts/{r.json()['id']}/params", headers=auth(token))
        assert p.status_code == 200 and p.json() == params_of(7)
        # Ctrl-C (or SIGTERM) of the script stops both replicas
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        for url in urls:
            with pytest.raises(httpx.HTTPError):
                httpx.get(url + "/ping", timeout=2)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        if proc.stdout:
            proc.stdout.close()

