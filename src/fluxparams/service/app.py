"""The invokable-scripts API as an ASGI app (Starlette).

``create_app(...)`` builds the app; ``fluxparams serve`` (command.py) runs it under uvicorn.
Routing, auth and limits live here; the error shape in errors.py, checks of the body and URL in
inputs.py, storage in store.py, parameter binding in binding.py, the InfluxDB call in invoke.py,
the analysis in worker processes (pool.py, analysis.py).

What one request may cost is bounded: the body (``max_body``), the script (``max_script``
bytes, 413 above), and the analysis, which runs in a worker process with a time budget (422 when
the script overruns it, 503 when every worker stays busy; the server keeps answering meanwhile).
A script is analyzed once, when it is written: a broken one answers 400 from that one parse, a
valid one's ``/params`` answer is stored in its database row, so every replica answers
``/params`` and invoke from the row without analyzing (rows written before schema version 3 are
analyzed once per process and cached).

Every error answer is ``{"code": ..., "message": ...}`` with one of the contract's codes, repeated
in the ``X-Platform-Error-Code`` header; an unexpected exception is logged and answered 500
``internal error``, never with a traceback. ``/ping`` and ``/health`` answer as InfluxDB's do, for
the official clients, which probe them first.
"""
from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, Optional, Tuple, Union

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from .. import __version__
from . import auth, binding, invoke, web
from .analysis import Reply
from .errors import ApiError, error_response
from .inputs import RefuseMalformedUrls, parse_json, text_field
from .pool import (
    DEFAULT_BUDGET,
    DEFAULT_WORKERS,
    AnalysisPool,
    Busy,
    Job,
    OverBudget,
    WorkerLost,
    WorkerStartError,
)
from .routing import api_route
from .store import Conflict, NotFound, ScriptStore
from .stores import open_store

log = logging.getLogger("fluxparams.service")

DEFAULT_MAX_BODY = 1024 * 1024
# The largest Flux file InfluxData ships (stdlib universe.flux, mostly doc comments) is 141 KiB;
# scripts people store are a few KiB. 256 KiB leaves room and bounds the analysis.
DEFAULT_MAX_SCRIPT = 256 * 1024
PARAMS_CACHE_SIZE = 512
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
_ID = re.compile(r"[0-9a-f]{16}\Z")
_DIGITS = re.compile(r"[0-9]{1,18}\Z")  # at most 18 digits: always fits SQLite's int64
HERE = Path(__file__).resolve().parent
NO_BODY = object()  # an empty request body (JSON null is a body)

# The official Python client warns (CloudOnlyWarning) before every scripts call unless the build
# it reads from /ping contains "cloud": this server offers the Cloud-only scripts API, so it says
# Cloud. Otherwise only its bucket-schema calls read the value, and the JS client never does
# (docs/service.md).
BUILD = "Cloud"
VERSION = f"fluxparams-{__version__}"
PROBE_HEADERS = {"X-Influxdb-Build": BUILD, "X-Influxdb-Version": VERSION}


def params_body(params: Dict[str, str]) -> str:
    """The ``GET /params`` answer body as stored in the script's row: compact JSON, ASCII-only
    (escaped) so any column type holds it, including U+0000."""
    return json.dumps({"params": params}, ensure_ascii=True, allow_nan=False,
                      separators=(",", ":"))


def _not_found(script_id: str) -> ApiError:
    return ApiError(404, "not found", f"script {json.dumps(script_id)} not found")


class ParamsCache:
    """LRU of analyzed params, keyed by (script id, version), for rows that have no stored
    ``params_body`` (written before schema version 3).

    The key is read from the database on every request, never remembered: a PATCH through any
    replica bumps the version, so no replica can answer with stale params (it analyzes the new
    version once instead). Each entry keeps its ``/params`` body already encoded, because
    encoding it again would be a noticeable part of a cached answer's cost.
    """

    def __init__(self, size: int = PARAMS_CACHE_SIZE) -> None:
        self.size = size
        self._data: "OrderedDict[Tuple[str, int], Tuple[Dict[str, str], bytes]]" = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def entry(self, key: Tuple[str, int]) -> Optional[Tuple[Dict[str, str], bytes]]:
        """(params, encoded ``{"params": ...}`` body), or None."""
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def get(self, key: Tuple[str, int]) -> Optional[Dict[str, str]]:
        value = self.entry(key)
        return value[0] if value is not None else None

    def put(self, key: Tuple[str, int], value: Dict[str, str]) -> None:
        body = params_body(value).encode("ascii")
        with self._lock:
            self._data[key] = (value, body)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def forget(self, script_id: str) -> None:
        with self._lock:
            for key in [k for k in self._data if k[0] == script_id]:
                del self._data[key]


def _kib(n: int) -> str:
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} bytes"


class Service:
    def __init__(self, store: ScriptStore, influx: Optional[invoke.InfluxConfig] = None,
                 max_body: int = DEFAULT_MAX_BODY, cache_size: int = PARAMS_CACHE_SIZE,
                 max_script: int = DEFAULT_MAX_SCRIPT,
                 pool: Optional[AnalysisPool] = None) -> None:
        self.store = store
        self.influx = influx
        self.max_body = max_body
        self.max_script = max_script
        self.pool = pool if pool is not None else AnalysisPool()
        self.params_cache = ParamsCache(cache_size)

    # -- plumbing ----------------------------------------------------------------------------

    async def org(self, request: Request) -> str:
        try:
            token = auth.token_from_header(request.headers.get("authorization"))
        except auth.AuthError as e:
            raise ApiError(401, "unauthorized", str(e)) from None
        org_id = await run_in_threadpool(self.store.org_for_token, token)
        if org_id is None:
            raise ApiError(401, "unauthorized", "unauthorized access: unknown token")
        return org_id

    async def body(self, request: Request) -> Any:
        """The JSON body, or NO_BODY when it is empty. Enforces the size limit while reading."""
        length = request.headers.get("content-length")
        if length is not None and length.isascii() and length.isdigit() and int(length) > self.max_body:
            raise self._too_large()
        data = bytearray()
        async for chunk in request.stream():
            data += chunk
            if len(data) > self.max_body:
                raise self._too_large()
        if not data:
            return NO_BODY
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/json":
            raise ApiError(415, "unsupported media type",
                           f"expected Content-Type: application/json, got {media or 'none'}")
        return parse_json(bytes(data))

    def _too_large(self) -> ApiError:
        return ApiError(413, "request too large",
                        f"request body is larger than the limit of {self.max_body} bytes "
                        f"(fluxparams serve --max-body, env FLUXPARAMS_MAX_BODY)")

    @staticmethod
    def _object(doc: Any, what: str = "request body") -> Dict[str, Any]:
        if not isinstance(doc, dict):
            raise ApiError(400, "invalid", f"the {what} must be a JSON object")
        return doc

    async def authorized_script(self, request: Request) -> Dict[str, Any]:
        """The script of the request's path, with its token checked, in one database statement
        (401 before 404).

        A SQLite store is read right here on the event loop: a WAL reader never waits for
        writers, and a point lookup costs less than the hop to a thread and back (that hop was
        most of a cached answer's cost). It could wait for SQLite's lock only in rare states
        (WAL recovery after a crash, a TRUNCATE checkpoint someone runs by hand). PostgreSQL
        (``reads_inline`` False: a network round trip) is read from the thread pool.
        """
        try:
            token = auth.token_from_header(request.headers.get("authorization"))
        except auth.AuthError as e:
            raise ApiError(401, "unauthorized", str(e)) from None
        script_id = request.path_params["script_id"]
        if self.store.reads_inline:
            org_id, row = self.store.script_for_token(token, script_id)
        else:
            org_id, row = await run_in_threadpool(self.store.script_for_token, token, script_id)
        if org_id is None:
            raise ApiError(401, "unauthorized", "unauthorized access: unknown token")
        if row is None:
            raise _not_found(script_id)
        return row

    @staticmethod
    def script_json(request: Request, row: Dict[str, Any]) -> Dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        return {
            "id": row["id"],
            "orgID": row["org_id"],
            "name": row["name"],
            "description": row["description"],
            "language": row["language"],
            "script": row["script"],
            "url": f"{base}/api/v2/scripts/{row['id']}/invoke",
            "createdAt": row["created_at"],
            "updatedAt": row["updated_at"],
        }

    def check_script_size(self, script: str) -> None:
        # len() first: a script is at least as many bytes as characters and at most 4 times more
        size = len(script)
        if size * 4 > self.max_script:
            size = len(script.encode("utf-8"))
        if size > self.max_script:
            raise ApiError(413, "request too large",
                           f"the script is {size} bytes, larger than this server's limit of "
                           f"{self.max_script} bytes ({_kib(self.max_script)}) for a script "
                           f"(fluxparams serve --max-script-bytes, env "
                           f"FLUXPARAMS_MAX_SCRIPT_BYTES)")

    async def run_job(self, job: Job) -> Reply:
        """A worker's reply to ``job`` within the budget; ApiError when none can be had."""
        budget = self.pool.budget
        try:
            return await self.pool.analyze(job)
        except Busy:
            raise ApiError(503, "unavailable",
                           f"every analysis worker ({self.pool.size}) stayed busy for "
                           f"{self.pool.wait:g} s; retry later",
                           headers={"Retry-After": str(max(1, round(budget)))}) from None
        except OverBudget:
            raise ApiError(422, "unprocessable entity",
                           f"the analysis of this script did not finish within this server's "
                           f"budget of {budget:g} s (fluxparams serve --analysis-timeout, env "
                           f"FLUXPARAMS_ANALYSIS_TIMEOUT): the script is too costly to analyze"
                           ) from None
        except WorkerLost as e:
            log.error("analysis worker lost: %s", e)
            raise ApiError(422, "unprocessable entity",
                           f"the analysis of this script failed: {e}") from None
        except WorkerStartError as e:
            log.error("analysis worker: %s", e)
            raise ApiError(503, "unavailable", f"no analysis worker is available: {e}",
                           headers={"Retry-After": "1"}) from None

    async def analyze(self, script: str, stored: bool) -> Dict[str, str]:
        """The script's params, from a worker process within the budget; ApiError otherwise.

        ``stored``: the script is already in the database (``/params``, invoke), so a syntax
        error is the stored script's state (422), not a bad request (400).
        """
        kind, value = await self.run_job(script)
        if kind == "params" and isinstance(value, dict):
            return value
        if kind == "syntax":
            if stored:
                raise ApiError(422, "unprocessable entity",
                               f"the stored script does not parse: {value}")
            raise ApiError(400, "invalid", f"invalid Flux script: {value}")
        log.error("analysis failed:\n%s", value)
        raise ApiError(500, "internal error", "internal error (logged by the server)")

    async def params_of(self, row: Dict[str, Any]) -> Dict[str, str]:
        stored = row.get("params_body")
        if stored is not None:
            params: Dict[str, str] = json.loads(stored)["params"]
            return params
        # A legacy row: a hit never leaves this process, the cache is checked before any
        # worker is asked.
        key = (row["id"], row["version"])
        cached = self.params_cache.get(key)
        if cached is not None:
            return cached
        self.params_cache.misses += 1
        params = await self.analyze(row["script"], stored=True)
        self.params_cache.put(key, params)
        return params

    # -- endpoints ---------------------------------------------------------------------------

    async def list_scripts(self, request: Request) -> Response:
        org_id = await self.org(request)
        q = request.query_params

        def number(name: str, default: int, maximum: Optional[int] = None) -> int:
            raw = q.get(name)
            if raw is None:
                return default
            if not _DIGITS.match(raw) or (maximum is not None and int(raw) > maximum):
                bound = f"0..{maximum}" if maximum is not None else "a non-negative integer"
                raise ApiError(400, "invalid", f"query parameter {name!r} must be {bound}, "
                                               f"got {raw!r}")
            return int(raw)

        offset = number("offset", 0)
        limit = number("limit", DEFAULT_LIMIT, MAX_LIMIT)
        rows = await run_in_threadpool(self.store.list_scripts, org_id, offset, limit,
                                       q.get("name"))
        return JSONResponse({"scripts": [self.script_json(request, r) for r in rows]})

    async def create_script(self, request: Request) -> Response:
        org_id = await self.org(request)
        doc = await self.body(request)
        if doc is NO_BODY:
            raise ApiError(400, "invalid", "request body required: "
                                           "{name, description, language, script}")
        doc = self._object(doc)
        missing = [f for f in ("name", "description", "language", "script") if f not in doc]
        if missing:
            raise ApiError(400, "invalid", "missing required field(s): " + ", ".join(missing))
        for f in ("name", "description", "language", "script"):
            text_field(doc, f)
        if "orgID" in doc and doc["orgID"] != org_id:
            raise ApiError(400, "invalid", "organization not found: orgID does not match the "
                                           "token's organization")
        if doc["language"] != "flux":
            raise ApiError(422, "unprocessable entity",
                           f"language {doc['language']!r} is not supported: only \"flux\" "
                           f"scripts can be stored and invoked here")
        if not doc["name"].strip():
            raise ApiError(400, "invalid", "field 'name' must not be empty")
        self.check_script_size(doc["script"])
        # The one parse: a syntax error is the answer, and the params go into the row, for
        # /params and invoke on every replica.
        params = await self.analyze(doc["script"], stored=False)
        try:
            row = await run_in_threadpool(self.store.create_script, org_id, doc["name"],
                                          doc["description"], "flux", doc["script"],
                                          params_body(params))
        except Conflict:
            raise ApiError(422, "conflict", f"uniqueness violation: a script named "
                                            f"{json.dumps(doc['name'])} already exists") from None
        return JSONResponse(self.script_json(request, row), status_code=201)

    async def get_script(self, request: Request) -> Response:
        row = await self.authorized_script(request)
        return JSONResponse(self.script_json(request, row))

    async def patch_script(self, request: Request) -> Response:
        org_id = await self.org(request)
        script_id = request.path_params["script_id"]
        doc = await self.body(request)
        # An empty body is the empty update, like "{}": nothing changes and the answer is 200.
        # (The contract marks the body required; the served document relaxes that.)
        doc = {} if doc is NO_BODY else self._object(doc)
        changes: Dict[str, str] = {}
        for f in ("description", "script"):
            if f in doc:
                changes[f] = text_field(doc, f)
        if not _ID.match(script_id):
            raise _not_found(script_id)
        params = None
        if "script" in changes:
            self.check_script_size(changes["script"])
            params = await self.analyze(changes["script"], stored=False)
        try:
            row = await run_in_threadpool(self.store.update_script, org_id, script_id, changes,
                                          None if params is None else params_body(params))
        except NotFound:
            raise _not_found(script_id) from None
        if changes:
            carried = None
            if row.get("params_body") is None:
                # A legacy row (no stored params; a new script always stores them) whose
                # script is unchanged: its cached params carry over to the new version.
                carried = self.params_cache.get((row["id"], row["version"] - 1))
            self.params_cache.forget(script_id)
            if carried is not None:
                self.params_cache.put((row["id"], row["version"]), carried)
        return JSONResponse(self.script_json(request, row))

    async def delete_script(self, request: Request) -> Response:
        org_id = await self.org(request)
        script_id = request.path_params["script_id"]
        if _ID.match(script_id):
            await run_in_threadpool(self.store.delete_script, org_id, script_id)
            self.params_cache.forget(script_id)
        return Response(status_code=204)

    async def script_params(self, request: Request) -> Response:
        # The hot path: one statement, and the row's stored answer is the body, as it is.
        row = await self.authorized_script(request)
        stored = row.get("params_body")
        if stored is not None:
            return Response(stored.encode("utf-8"), media_type="application/json")
        entry = self.params_cache.entry((row["id"], row["version"]))
        if entry is not None:
            return Response(entry[1], media_type="application/json")
        return JSONResponse({"params": await self.params_of(row)})

    async def invoke_script(self, request: Request) -> Response:
        row = await self.authorized_script(request)
        doc = await self.body(request)
        # The body is optional in the contract; an absent body or "params" means no params.
        doc = {} if doc is NO_BODY else self._object(doc)
        payload = self._object(doc.get("params", {}), "'params' field")
        types = await self.params_of(row)
        problems, values = binding.convert(types, payload)
        if problems:
            raise ApiError(400, "invalid", "invalid parameters provided: " + "; ".join(problems))
        if self.influx is None:
            raise ApiError(501, "not implemented",
                           "no InfluxDB is configured to run scripts: start fluxparams serve "
                           "with --influx-url, --influx-token and --influx-org (the parameters "
                           "were valid)")
        # The script goes as it is stored; the params travel as literals in ``extern``, so
        # InfluxDB's error positions need no mapping.
        extern = binding.extern_file(values) if values else None
        try:
            stream = await run_in_threadpool(invoke.start_query, self.influx, row["script"],
                                             extern)
        except invoke.UpstreamError as e:
            raise ApiError(e.status, e.code, e.message) from None
        return StreamingResponse(_threaded(stream), media_type="text/csv; charset=utf-8",
                                 background=BackgroundTask(stream.close))

    async def ping(self, request: Request) -> Response:
        return Response(status_code=204, headers=PROBE_HEADERS)

    async def health(self, request: Request) -> Response:
        # InfluxDB's HealthCheck shape; "fail" (503) when the database cannot be read.
        doc: Dict[str, Any] = {"name": "fluxparams", "message": "ready for script requests",
                               "status": "pass", "checks": [], "version": VERSION,
                               "commit": "unknown"}
        try:
            await run_in_threadpool(self.store.check)
        except Exception as e:
            log.error("health check failed: %s", e)
            doc.update(status="fail", message=f"the script database cannot be read: {e}")
            return JSONResponse(doc, status_code=503, headers=PROBE_HEADERS)
        return JSONResponse(doc, headers=PROBE_HEADERS)

    async def openapi_json(self, request: Request) -> Response:
        return _document_response("openapi.json", "application/json")

    async def openapi_yml(self, request: Request) -> Response:
        return _document_response("openapi.yml", "application/yaml")


def _threaded(stream: invoke.QueryStream) -> Iterator[bytes]:
    # A sync iterator: StreamingResponse runs each next() in the thread pool.
    return iter(stream)


def _document_response(name: str, media_type: str) -> Response:
    path = HERE / name
    try:
        content = path.read_bytes()
    except OSError:
        raise ApiError(500, "internal error", f"the OpenAPI document {name} is missing from the "
                                              f"package (run scripts/build_openapi.py)") from None
    return Response(content, media_type=media_type)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(404, "not found", f"no such path: {request.url.path}")
    return error_response(exc.status_code, invoke.code_for_status(exc.status_code),
                          str(exc.detail), getattr(exc, "headers", None))


async def _any_exception(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal error", "internal error (logged by the server)")


def create_app(db: Union[str, Path, ScriptStore, None] = None,
               influx: Optional[invoke.InfluxConfig] = None,
               max_body: int = DEFAULT_MAX_BODY,
               cache_size: int = PARAMS_CACHE_SIZE,
               max_script: int = DEFAULT_MAX_SCRIPT,
               analysis_workers: int = DEFAULT_WORKERS,
               analysis_timeout: float = DEFAULT_BUDGET) -> Starlette:
    """The ASGI app. ``db`` is a SQLite path (default ./fluxparams.db), a ``postgresql://``
    URL, or an open store (stores.open_store).

    ``max_script``: the largest script in UTF-8 bytes; ``analysis_workers`` processes analyze
    scripts, each analysis stopped after ``analysis_timeout`` seconds. The workers start with
    the app's lifespan and stop with it.
    """
    if max_script < 1:
        raise ValueError("max_script must be positive")
    store = (open_store(db if db is not None else "fluxparams.db")
             if db is None or isinstance(db, (str, Path)) else db)
    service = Service(store, influx=influx, max_body=max_body, cache_size=cache_size,
                      max_script=max_script, pool=AnalysisPool(analysis_workers, analysis_timeout))
    routes = [
        # First, because Starlette tries routes in order and this is the hot path (no two of
        # these paths overlap, so the order changes nothing else).
        api_route("/api/v2/scripts/{script_id}/params", {"GET": service.script_params}),
        api_route("/ping", {"GET": service.ping, "HEAD": service.ping}),
        api_route("/health", {"GET": service.health}),
        api_route("/api/v2/openapi.json", {"GET": service.openapi_json}),
        api_route("/api/v2/openapi.yml", {"GET": service.openapi_yml}),
        api_route("/api/v2/scripts", {"GET": service.list_scripts, "POST": service.create_script}),
        api_route("/api/v2/scripts/{script_id}", {"GET": service.get_script,
                                               "PATCH": service.patch_script,
                                               "DELETE": service.delete_script}),
        api_route("/api/v2/scripts/{script_id}/invoke", {"POST": service.invoke_script}),
        *web.routes(service),  # the page at / and its live diagnostics (web.py)
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        running = service.pool
        await running.start()
        try:
            yield
        finally:
            await run_in_threadpool(running.close)
            store.close()

    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(RefuseMalformedUrls)],
                    exception_handlers={HTTPException: _http_exception,
                                        Exception: _any_exception})
    app.state.service = service
    return app
