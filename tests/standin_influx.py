"""A stand-in for InfluxDB's ``POST /api/v2/query``: a real HTTP server on loopback, in a thread.

It records every request (path, query string, headers, JSON body) and answers with whatever the
test set: CSV in several chunks (so streaming is exercised) or an error status with a JSON body.

    with StandinInflux() as influx:
        influx.url          # http://127.0.0.1:PORT
        influx.requests     # [Recorded(...)]
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional
from urllib.parse import parse_qs, urlsplit

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


class StandinInflux:
    def __init__(self) -> None:
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
                standin.requests.append(Recorded("POST", parts.path, parse_qs(parts.query),
                                                 {k.lower(): v for k, v in self.headers.items()},
                                                 body))
                if parts.path != "/api/v2/query":
                    self._json(404, {"code": "not found", "message": "path not found"})
                elif standin.status != 200:
                    self._json(standin.status, standin.error or {"code": "internal error",
                                                                 "message": "boom"})
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
