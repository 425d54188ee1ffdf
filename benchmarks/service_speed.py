#!/usr/bin/env python3
"""The service's speed beside a bare Starlette app (issue 12, target 4).

    .venv/bin/python benchmarks/service_speed.py               # ~1 minute, prints a markdown table
    .venv/bin/python benchmarks/service_speed.py --quick       # a few seconds (smoke test)

Two measurements, each under the same uvicorn configuration as ``fluxparams serve`` (log level
warning, no Server header, lifespan on), one server process, on loopback:

* **GET /params, requests/s**: ``fluxparams serve``'s ``GET /api/v2/scripts/{id}/params`` (token
  check, script lookup, cached params) beside a bare Starlette app whose one route returns a
  cached dict as JSON, the least any server can do for that request. Same load generator for both
  (``wrk`` when installed, else a raw-socket asyncio client in its own process), 16 keep-alive
  connections; the two servers alternate over several rounds and the medians are compared.
* **POST /scripts latency under 16 concurrent writers**: 16 connections each create scripts one
  after another (each one parsed and analyzed, then written with ``synchronous=FULL``); p50 and
  p99 of the client-side latency.

Each uvicorn flavour importable here is measured: plain ``uvicorn`` (h11, asyncio) always, and
``uvicorn[standard]`` (httptools, uvloop) when both are installed. ``run()`` returns the figures
(benchmarks/run.py calls it), ``markdown()`` formats them. Nothing asserts on timings.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
if (REPO / "src" / "fluxparams").is_dir():  # measure the checkout, not some other installed copy
    sys.path.insert(0, str(REPO / "src"))

CONNECTIONS = 16
WRITERS = 16
PARAMS = {"bucket": "string", "n": "int", "name": "string"}
SCRIPT = ("from(bucket: params.bucket)\n  |> range(start: -1h)\n"
          "  |> filter(fn: (r) => r._measurement == \"cpu\")\n"
          "  |> limit(n: params.n)\n  |> yield(name: params.name)\n")

FLAVOURS = {  # name -> (uvicorn http implementation, event loop)
    "uvicorn (h11, asyncio)": ("h11", "asyncio"),
    "uvicorn[standard] (httptools, uvloop)": ("httptools", "uvloop"),
}


# ------------------------------------------------------------------------------ the servers

def bare_app() -> Any:
    """The baseline: Starlette returning a cached dict as JSON on the same path."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    cached = {"params": dict(PARAMS)}

    async def params(request: Request) -> Response:
        return JSONResponse(cached)

    return Starlette(routes=[Route("/api/v2/scripts/{script_id}/params", params)])


def serve(kind: str, port: int, db: str, http: str, loop: str) -> None:
    """Run one server in this process (the benchmark starts it as a subprocess)."""
    import uvicorn

    app: Any
    if kind == "bare":
        app = bare_app()
    else:
        from fluxparams.service.app import create_app
        app = create_app(db)
    # The configuration fluxparams.service.command uses, with the flavour made explicit.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="on", server_header=False, http=http, loop=loop)
    uvicorn.Server(config).run()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far; 0 where /proc is absent."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, kind: str, db: str, flavour: Tuple[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: nobody reads the server's log while it runs, and a full pipe
        # would stop it.
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE), "--serve", kind, "--port", str(self.port), "--db", db,
             "--http", flavour[0], "--loop", flavour[1]],
            stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"{kind} server exited: "
                                   + self.log.read().decode(errors="replace"))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{kind} server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# ------------------------------------------------------------------------------ the clients

async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    raw: bytes) -> Tuple[int, bytes]:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    match = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    body = await reader.readexactly(int(match.group(1))) if match else b""
    return status, body


def _request(method: str, path: str, token: str, body: Optional[bytes] = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: Token {token}"]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def _get_load(port: int, path: str, token: str, seconds: float,
                    connections: int) -> Dict[str, float]:
    raw = _request("GET", path, token)
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "errors": 0}

    async def one() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                status, _ = await _exchange(reader, writer, raw)
                counts["ok" if status == 200 else "errors"] += 1
        finally:
            writer.close()

    start = time.monotonic()
    await asyncio.gather(*(one() for _ in range(connections)))
    elapsed = time.monotonic() - start
    return {"rps": counts["ok"] / elapsed, "errors": counts["errors"],
            "requests": counts["ok"] + counts["errors"]}


async def _post_load(port: int, token: str, per_writer: int, writers: int) -> Dict[str, Any]:
    latencies: List[float] = []
    statuses: Dict[int, int] = {}

    async def one(w: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for i in range(per_writer):
                # distinct scripts, so nothing could be answered from a cache
                doc = {"name": f"w{w}-{i}-{os.getpid()}", "description": "", "language": "flux",
                       "script": SCRIPT + f"  |> tail(n: {w * 1000 + i})\n"}
                raw = _request("POST", "/api/v2/scripts", token, json.dumps(doc).encode())
                t0 = time.perf_counter()
                status, _ = await _exchange(reader, writer, raw)
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(one(w) for w in range(writers)))
    return {"latencies_ms": latencies, "statuses": statuses}


def app_cost(db: str, token: str, path: str, batches: int = 15,
             batch: int = 200) -> Dict[str, float]:
    """Each app's own cost per GET, called in this process with no server or network: the
    least time per request over ``batches`` alternating batches (the least disturbed by other
    load). The difference is what fluxparams adds to any server's per-request cost."""
    from fluxparams.service.app import create_app

    app = create_app(db)
    service = app.state.service
    # The cache as a write through this process leaves it (no analysis worker is started here).
    _, row = service.store.script_for_token(token, path.split("/")[4])
    if row is None:
        raise RuntimeError(f"no script at {path}")
    service.params_cache.put((row["id"], row["version"]), dict(PARAMS))
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Token {token}".encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 50000)}
    statuses: List[int] = []

    async def receive() -> Dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def measure_all() -> Dict[str, float]:
        best = {"bare": math.inf, "fluxparams": math.inf}
        for _ in range(batches):
            for kind, target in (("bare", bare), ("fluxparams", app)):
                start = time.perf_counter()
                for _ in range(batch):
                    await target(dict(scope), receive, send)
                best[kind] = min(best[kind], (time.perf_counter() - start) / batch * 1e6)
        return best

    bare = bare_app()
    try:
        best = asyncio.run(measure_all())
    finally:
        service.pool.close()
        service.store.close()
    if set(statuses) != {200}:
        raise RuntimeError(f"in-process GET answered {sorted(set(statuses))}")
    return best


def wrk_rps(url: str, token: str, seconds: float, connections: int) -> Dict[str, float]:
    wrk = shutil.which("wrk")
    assert wrk is not None
    done = subprocess.run([wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                           "-H", f"Authorization: Token {token}", url],
                          capture_output=True, text=True, check=True)
    rps = re.search(r"Requests/sec:\s*([0-9.]+)", done.stdout)
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", done.stdout)
    total = re.search(r"(\d+) requests in", done.stdout)
    if rps is None or total is None:
        raise RuntimeError("cannot read wrk's output:\n" + done.stdout)
    return {"rps": float(rps.group(1)), "errors": float(bad.group(1)) if bad else 0.0,
            "requests": float(total.group(1))}


def client_rps(port: int, path: str, token: str, seconds: float,
               connections: int) -> Dict[str, float]:
    """The Python load generator, in its own process so it does not share the server's GIL."""
    done = subprocess.run([sys.executable, str(HERE), "--get-load", path, "--port", str(port),
                           "--token", token, "--seconds", str(seconds),
                           "--connections", str(connections)],
                          capture_output=True, text=True, check=True)
    result: Dict[str, float] = json.loads(done.stdout)
    return result


def generator_name() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        return "raw-socket asyncio client (Python, own process; wrk is not installed)"
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True)
    version = re.search(r"wrk (?:debian/)?([0-9][0-9.]*)", out.stdout + out.stderr)
    return f"wrk {version.group(1) if version else '?'} (1 thread, {CONNECTIONS} connections)"


# ------------------------------------------------------------------------------ the run

def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def flavours() -> Dict[str, Tuple[str, str]]:
    available = {}
    for name, (http, loop) in FLAVOURS.items():
        try:
            if http == "httptools":
                import httptools  # noqa: F401
            if loop == "uvloop":
                import uvloop  # noqa: F401
        except ImportError:
            continue
        available[name] = (http, loop)
    return available


def _setup(db: str) -> str:
    """A token, made with the ``token create`` command (whatever store module is behind it)."""
    done = subprocess.run([sys.executable, "-m", "fluxparams.service", "token", "create",
                           "--org", "bench", "--db", db], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    return done.stdout.strip()


def measure(flavour: Tuple[str, str], seconds: float, rounds: int, per_writer: int,
            workdir: Path) -> Dict[str, Any]:
    db = str(workdir / f"bench-{flavour[0]}.db")
    token = _setup(db)
    use_wrk = shutil.which("wrk") is not None
    service = Server("fluxparams", db, flavour)
    bare = Server("bare", db, flavour)
    try:
        import httpx
        created = httpx.post(service.url + "/api/v2/scripts",
                             headers={"Authorization": f"Token {token}"},
                             json={"name": "bench", "description": "", "language": "flux",
                                   "script": SCRIPT}, timeout=30)
        created.raise_for_status()
        path = f"/api/v2/scripts/{created.json()['id']}/params"
        got = httpx.get(service.url + path, headers={"Authorization": f"Token {token}"})
        if got.json() != {"params": PARAMS}:
            raise RuntimeError(f"unexpected /params answer: {got.text}")

        def load(server: Server, secs: float) -> Dict[str, float]:
            before = cpu_seconds(server.proc.pid)
            if use_wrk:
                result = wrk_rps(server.url + path, token, secs, CONNECTIONS)
            else:
                result = client_rps(server.port, path, token, secs, CONNECTIONS)
            # The server's own CPU time per request: what throughput would be on an otherwise
            # idle core, and much less disturbed than requests/s by other load on the machine.
            result["cpu_us"] = ((cpu_seconds(server.proc.pid) - before) * 1e6
                                / max(1.0, result["requests"]))
            return result

        figures: Dict[str, List[float]] = {"bare": [], "fluxparams": []}
        cpu: Dict[str, List[float]] = {"bare": [], "fluxparams": []}
        errors = 0.0
        for server in (bare, service):  # warm-up: connections, caches, the JIT-less interpreter
            load(server, min(1.0, seconds))
        for i in range(rounds):
            order = (("bare", bare), ("fluxparams", service))
            for kind, server in order if i % 2 == 0 else order[::-1]:
                result = load(server, seconds)
                figures[kind].append(result["rps"])
                cpu[kind].append(result["cpu_us"])
                errors += result["errors"]
        bare.stop()
        posts = asyncio.run(_post_load(service.port, token, per_writer, WRITERS))
    finally:
        bare.stop()
        service.stop()
    in_process = app_cost(db, token, path, batches=3 if rounds == 1 else 15)
    lat = posts["latencies_ms"]
    # The machine's other load varies: each round's two figures are taken back to back, so the
    # ratio is the median of the rounds' ratios, not a ratio of medians.
    ratios = [f / b for f, b in zip(figures["fluxparams"], figures["bare"])]
    return {"bare_rps": statistics.median(figures["bare"]),
            "params_rps": statistics.median(figures["fluxparams"]),
            "ratio": statistics.median(ratios), "round_ratios": ratios,
            # the least over the rounds: the round least disturbed by other load
            "bare_cpu_us": min(cpu["bare"]), "params_cpu_us": min(cpu["fluxparams"]),
            "cpu_ratio": min(cpu["bare"]) / min(cpu["fluxparams"]),
            "bare_rounds": figures["bare"], "params_rounds": figures["fluxparams"],
            "get_errors": errors, "post_count": len(lat), "post_statuses": posts["statuses"],
            "post_p50_ms": pct(lat, 50), "post_p99_ms": pct(lat, 99), "post_max_ms": max(lat),
            "writers": WRITERS, "app_bare_us": in_process["bare"],
            "app_params_us": in_process["fluxparams"]}


def run(seconds: float = 2.0, quick: bool = False) -> Dict[str, Any]:
    """Every available flavour; ``quick``: ~1 s measurements, for a smoke test."""
    rounds, per_writer = (1, 5) if quick else (5, 25)
    if quick:
        seconds = 1.0
    rows = []
    with tempfile.TemporaryDirectory(prefix="fluxparams-service-speed-") as tmp:
        for name, flavour in flavours().items():
            row = measure(flavour, seconds, rounds, per_writer, Path(tmp))
            row["server"] = name
            rows.append(row)
    return {"rows": rows, "generator": generator_name(), "connections": CONNECTIONS,
            "seconds": seconds, "rounds": rounds}


def markdown(result: Dict[str, Any]) -> str:
    lines = [
        f"Service (one `fluxparams serve` process, SQLite; load generator: {result['generator']}; "
        f"{result['rounds']} rounds of {result['seconds']:g} s per server, alternating; "
        f"ratio: the median of the rounds' ratios; server CPU per request: the least over the "
        f"rounds):",
        "",
        "| server | bare Starlette GET req/s | fluxparams GET /params req/s | ratio "
        "(target ≥ 0.9) | server CPU per GET, bare / fluxparams (ratio) | app alone per GET, "
        "bare / fluxparams | POST p50 | POST p99 (16 writers, target ≤ 50 ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        bad = "" if not row["get_errors"] else f" ({row['get_errors']:.0f} non-200!)"
        others = {k: v for k, v in row["post_statuses"].items() if int(k) != 201}
        post_bad = f" ({others} non-201!)" if others else ""
        lines.append(f"| {row['server']} | {row['bare_rps']:.0f} | {row['params_rps']:.0f}{bad} | "
                     f"{row['ratio']:.2f}× | {row['bare_cpu_us']:.0f} µs / "
                     f"{row['params_cpu_us']:.0f} µs ({row['cpu_ratio']:.2f}×) | "
                     f"{row['app_bare_us']:.0f} µs / {row['app_params_us']:.0f} µs | "
                     f"{row['post_p50_ms']:.1f} ms | "
                     f"{row['post_p99_ms']:.1f} ms{post_bad} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=2.0, help="length of one GET measurement")
    p.add_argument("--quick", action="store_true", help="a few seconds in all (smoke test)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    # internal: the server and client subprocesses
    p.add_argument("--serve", choices=("bare", "fluxparams"), help=argparse.SUPPRESS)
    p.add_argument("--get-load", metavar="PATH", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    p.add_argument("--http", default="h11", help=argparse.SUPPRESS)
    p.add_argument("--loop", default="asyncio", help=argparse.SUPPRESS)
    p.add_argument("--token", help=argparse.SUPPRESS)
    p.add_argument("--connections", type=int, default=CONNECTIONS, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port, args.db, args.http, args.loop)
        return 0
    if args.get_load:
        print(json.dumps(asyncio.run(_get_load(args.port, args.get_load, args.token,
                                               args.seconds, args.connections))))
        return 0
    result = run(args.seconds, args.quick)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
