"""Running a script on InfluxDB through ``POST /api/v2/query``.

We send the JSON form of the query request:
``{"query": <the script, unchanged>, "extern": <File>, "type": "flux", "dialect": ...}``.
``extern`` is a Flux syntax tree in JSON whose statements InfluxDB puts before the script's; here
it holds only ``option params = {...}`` built from literal nodes (see binding.py). It is left out
when there are no params. As the script text is untouched, InfluxDB's error positions are
already the script's own.

The dialect asks for the CSV shape the invoke contract shows: a header row, no annotation rows.

Only the standard library talks HTTP here (http.client): the service's dependencies stay
starlette + uvicorn. The calls block, so the app runs them in the thread pool.
"""
from __future__ import annotations

import http.client
import json
import socket
from typing import Any, Dict, Iterator, Optional, Tuple
from urllib.parse import urlencode, urlsplit

CHUNK = 64 * 1024
MAX_ERROR_BODY = 64 * 1024

DIALECT = {"header": True, "delimiter": ",", "annotations": [], "commentPrefix": "#",
           "dateTimeFormat": "RFC3339"}

# InfluxDB's error codes are the contract's; anything else is named after the status.
ERROR_CODES = frozenset((
    "internal error", "not implemented", "not found", "conflict", "invalid",
    "unprocessable entity", "empty value", "unavailable", "forbidden", "too many requests",
    "unauthorized", "method not allowed", "request too large", "unsupported media type"))
STATUS_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not found",
                405: "method not allowed", 409: "conflict", 413: "request too large",
                415: "unsupported media type", 422: "unprocessable entity",
                429: "too many requests", 501: "not implemented", 503: "unavailable"}


def code_for_status(status: int) -> str:
    return STATUS_CODES.get(status, "invalid" if 400 <= status < 500 else "internal error")


class InfluxConfig:
    def __init__(self, url: str, token: Optional[str] = None, org: Optional[str] = None,
                 timeout: float = 60.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--influx-url must be an http(s) URL, got {url!r}")
        self.url = url
        self.token = token
        self.org = org
        self.timeout = timeout


class UpstreamError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class QueryStream:
    """An open 2xx response: iterate to get the CSV body in chunks; always closed at the end."""

    def __init__(self, conn: http.client.HTTPConnection, resp: http.client.HTTPResponse) -> None:
        self._conn = conn
        self._resp = resp
        self.content_type = resp.getheader("Content-Type") or "text/csv; charset=utf-8"

    def __iter__(self) -> Iterator[bytes]:
        try:
            while True:
                chunk = self._resp.read1(CHUNK) if hasattr(self._resp, "read1") else \
                    self._resp.read(CHUNK)
                if not chunk:
                    break
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self._conn.close()


def _connection(config: InfluxConfig) -> Tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(config.url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname or "", parts.port, timeout=config.timeout)  # checked in InfluxConfig
    query = {"org": config.org} if config.org else {}
    path = parts.path.rstrip("/") + "/api/v2/query" + ("?" + urlencode(query) if query else "")
    return conn, path


def start_query(config: InfluxConfig, query: str,
                extern: Optional[Dict[str, Any]] = None) -> QueryStream:
    """Send the query (and ``extern``, if any); return the open stream or raise UpstreamError."""
    conn, path = _connection(config)
    request: Dict[str, Any] = {"query": query, "type": "flux", "dialect": DIALECT}
    if extern is not None:
        request["extern"] = extern
    body = json.dumps(request).encode("utf-8")
    headers: Dict[str, str] = {"Content-Type": "application/json", "Accept": "application/csv",
                               "Accept-Encoding": "identity"}
    if config.token:
        headers["Authorization"] = f"Token {config.token}"
    try:
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
    except (OSError, http.client.HTTPException, socket.timeout) as e:
        conn.close()
        raise UpstreamError(503, "unavailable", f"InfluxDB at {config.url} is unavailable: {e}") from None
    if 200 <= resp.status < 300:
        return QueryStream(conn, resp)
    try:
        raw = resp.read(MAX_ERROR_BODY)
    except (OSError, http.client.HTTPException):
        raw = b""
    finally:
        conn.close()
    status = resp.status if resp.status >= 400 else 502
    code, message = code_for_status(status), ""
    try:
        doc = json.loads(raw.decode("utf-8"))
        if isinstance(doc, dict):
            if doc.get("code") in ERROR_CODES:
                code = doc["code"]
            message = str(doc.get("message") or "")
    except (UnicodeDecodeError, ValueError):
        message = raw.decode("utf-8", "replace").strip()
    raise UpstreamError(status, code, "InfluxDB: " + (message or f"HTTP {resp.status}"))
