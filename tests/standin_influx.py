"""A stand-in for InfluxDB's ``POST /api/v2/query``: a real HTTP server on loopback, in a thread.

It records every request (path, query string, headers, JSON body) and answers with whatever the
test set: CSV in several chunks (so streaming is exercised) or an error status with a JSON body.

When ../shared/oracle is usable (node, oracle.js and its node_modules), the stand-in also does what
InfluxDB would do first: it has libflux compile the query together with its ``extern``. The extern
is written as Flux source (``option params = {...}``, by service_support.extern_tree, which reads
the JSON on its own terms) and put ahead of the script's statements (after its imports: in one
file an option cannot precede them), as InfluxDB runs the extern before the script; the oracle
must report no parse error and no semantic error. A query libflux refuses is answered 400
``invalid`` with libflux's messages, as InfluxDB answers a script that does not compile, and
``Recorded.compiled`` keeps the verdict. Without the oracle ``compiled`` is None.

    with StandinInflux() as influx:
        influx.url          # http://127.0.0.1:PORT
        influx.requests     # [Recorded(...)]
"""
from __future__ import annotations

import atexit
import importlib.util
import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, urlsplit

from service_support import extern_tree

import fluxparams
from fluxparams.unparse import unparse

ORACLE_DIR = Path(__file__).resolve().parents[2] / "shared" / "oracle"


def oracle_usable() -> bool:
    return (shutil.which("node") is not None and (ORACLE_DIR / "oracle.js").is_file()
            and (ORACLE_DIR / "flux_oracle.py").is_file()
            and (ORACLE_DIR / "node_modules" / "@influxdata" / "flux-lsp-node").is_dir())


def flux_with_extern(query: str, extern: Optional[Dict[str, Any]]) -> str:
    """The query as one Flux file: the extern's statements right after the query's imports."""
    if extern is None:
        return query
    option = unparse(extern_tree(extern)).rstrip("\n")
    file = fluxparams.parse(query)
    last = file.imports[-1] if file.imports else file.package
    if last is None:
        return option + "\n" + query
    lines = query.split("\n")
    line, column = last.loc.end_line, last.loc.end_column
    head = "\n".join(lines[:line - 1] + [lines[line - 1][:column - 1]])
    rest = lines[line - 1][column - 1:]
    tail = "\n".join(([rest] if rest.strip() else []) + lines[line:])
    return head + "\n" + option + "\n" + tail


class CompileCheck:
    """libflux's verdict on one query + extern: ``errors`` empty means it compiles."""

    def __init__(self, source: str, errors: List[str]) -> None:
        self.source = source
        self.errors = errors

    @property
    def ok(self) -> bool:
        return not self.errors

    def __repr__(self) -> str:
        return f"CompileCheck(errors={self.errors!r}, source={self.source!r})"


class Compiler:
    """One long-lived oracle process (``oracle.js --serve``), shared by the handler threads."""

    def __init__(self) -> None:
        spec = importlib.util.spec_from_file_location("flux_oracle", ORACLE_DIR / "flux_oracle.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self._oracle = module.FluxOracle(per_site=False)
        self._lock = threading.Lock()

    def check(self, query: str, extern: Optional[Dict[str, Any]]) -> CompileCheck:
        source = flux_with_extern(query, extern)
        with self._lock:
            result = self._oracle.analyze(source)
        if result.get("parse_ok") is not True:
            errors = list(result.get("parse_errors") or []) or ["libflux crashed or gave up"]
        else:
            errors = list(result["raw"].get("diagnostics") or [])
        return CompileCheck(source, errors)

    def close(self) -> None:
        self._oracle.close()


_shared: Optional[Compiler] = None
_shared_lock = threading.Lock()


def shared_compiler() -> Compiler:
    """One oracle process for the whole test run (started on first use, closed at exit): node
    and the WASM take a few hundred milliseconds to start."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Compiler()
            atexit.register(_shared.close)
        return _shared

DEFAULT_CSV = (
    ",result,table,_start,_stop,_time,_value,_field,_measurement,host\r\n"
    ",_result,0,2019-10-30T01:28:02.52716421Z,2022-07-26T01:28:02.52716421Z,"
    "2020-01-01T00:00:00Z,72.01,used_percent,mem,host2\r\n\r\n"
)


class Recorded:
    def __init__(self, method: str, path: str, query: Dict[str, List[str]],
                 headers: Dict[str, str], body: Any) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.compiled: Optional[CompileCheck] = None


class StandinInflux:
    def __init__(self, compile_check: Optional[bool] = None) -> None:
        """``compile_check``: have libflux compile each query (default: when the oracle is
        usable; True without it is an error)."""
        if compile_check is None:
            compile_check = oracle_usable()
        self.compile_check = compile_check
        self.requests: List[Recorded] = []
        self.status = 200
        self.csv = DEFAULT_CSV
        self.error: Optional[Dict[str, Any]] = None
        self.chunks = 3
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = raw
                parts = urlsplit(self.path)
                recorded = Recorded("POST", parts.path, parse_qs(parts.query),
                                    {k.lower(): v for k, v in self.headers.items()}, body)
                standin.requests.append(recorded)
                if parts.path != "/api/v2/query":
                    self._json(404, {"code": "not found", "message": "path not found"})
                    return
                if standin.compile_check and isinstance(body, dict):
                    recorded.compiled = shared_compiler().check(body.get("query", ""),
                                                                body.get("extern"))
                if standin.status != 200:  # an error the test set wins over the verdict
                    self._json(standin.status, standin.error or {"code": "internal error",
                                                                 "message": "boom"})
                elif recorded.compiled is not None and not recorded.compiled.ok:
                    self._json(400, {"code": "invalid", "message": "compilation failed: "
                                     + "; ".join(recorded.compiled.errors)})
                else:
                    self._csv(standin.csv.encode("utf-8"))

            def _json(self, status: int, doc: Dict[str, Any]) -> None:
                data = json.dumps(doc).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _csv(self, data: bytes) -> None:
                # Chunked transfer, as InfluxDB streams query results.
                self.send_response(200)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                step = max(1, len(data) // standin.chunks + 1)
                for i in range(0, len(data), step):
                    piece = data[i:i + step]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "StandinInflux":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)

    @property
    def last(self) -> Recorded:
        assert self.requests, "the stand-in InfluxDB received no request"
        return self.requests[-1]
