"""The invokable-scripts API as an ASGI app (Starlette).

``create_app(...)`` builds the app; ``fluxparams serve`` (command.py) runs it under uvicorn.
Routing, auth, body limits and error shapes live here; storage in store.py, parameter binding in
binding.py, the InfluxDB call in invoke.py.

Every error answer is ``{"code": ..., "message": ...}`` with one of the contract's codes; an
unexpected exception is logged and answered 500 ``internal error``, never with a traceback.
"""
from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple, Union

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, request_response

from . import auth, binding, invoke
from .store import Conflict, NotFound, Store

log = logging.getLogger("fluxparams.service")

DEFAULT_MAX_BODY = 1024 * 1024
PARAMS_CACHE_SIZE = 512
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
_ID = re.compile(r"[0-9a-f]{16}\Z")
_DIGITS = re.compile(r"[0-9]{1,18}\Z")  # at most 18 digits: always fits SQLite's int64
HERE = Path(__file__).resolve().parent
NO_BODY = object()  # an empty request body (JSON null is a body)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(status: int, code: str, message: str,
                   headers: Optional[Dict[str, str]] = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _not_found(script_id: str) -> ApiError:
    return ApiError(404, "not found", f"script {json.dumps(script_id)} not found")


class ParamsCache:
    """LRU of analyzed params, keyed by (script id, version): a PATCH bumps the version."""

    def __init__(self, size: int = PARAMS_CACHE_SIZE) -> None:
        self.size = size
        self._data: "OrderedDict[Tuple[str, int], Dict[str, str]]" = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def get(self, key: Tuple[str, int]) -> Optional[Dict[str, str]]:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Tuple[str, int], value: Dict[str, str]) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def forget(self, script_id: str) -> None:
        with self._lock:
            for key in [k for k in self._data if k[0] == script_id]:
                del self._data[key]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, "invalid", f"malformed JSON: the body is not UTF-8 ({e.reason} at "
                                       f"byte {e.start})")
    try:
        # Decimal keeps a number's written form: int params accept only integers as written.
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise ApiError(400, "invalid", f"malformed JSON at line {e.lineno} column {e.colno}: "
                                       f"{e.msg}")
    except ValueError as e:  # NaN/Infinity, or an integer with too many digits
        raise ApiError(400, "invalid", f"malformed JSON: {e}")
    except RecursionError:
        raise ApiError(400, "invalid", "malformed JSON: nested too deeply")


def _check_syntax(script: str) -> None:
    """Raise ApiError 400 when ``script`` is not valid Flux (the message has line:column)."""
    from .. import FluxSyntaxError, parse  # late: the parser is built alongside the service

    try:
        parse(script)
    except FluxSyntaxError as e:
        raise ApiError(400, "invalid", f"invalid Flux script: error @{e.lineno}:{e.offset}: "
                                       f"{getattr(e, 'msg', str(e))}")
    except RecursionError:
        raise ApiError(400, "invalid", "invalid Flux script: nested too deeply")


def _analyze(script: str) -> Dict[str, str]:
    from .. import analyze

    return dict(analyze(script).params)


Handler = Callable[[Request], Awaitable[Response]]


class Service:
    def __init__(self, store: Store, influx: Optional[invoke.InfluxConfig] = None,
                 max_body: int = DEFAULT_MAX_BODY, cache_size: int = PARAMS_CACHE_SIZE) -> None:
        self.store = store
        self.influx = influx
        self.max_body = max_body
        self.params_cache = ParamsCache(cache_size)

    # -- plumbing ----------------------------------------------------------------------------

    async def org(self, request: Request) -> str:
        try:
            token = auth.token_from_header(request.headers.get("authorization"))
        except auth.AuthError as e:
            raise ApiError(401, "unauthorized", str(e))
        org_id = await run_in_threadpool(self.store.org_for_token, token)
        if org_id is None:
            raise ApiError(401, "unauthorized", "unauthorized access: unknown token")
        return org_id

    async def body(self, request: Request) -> Any:
        """The JSON body, or NO_BODY when it is empty. Enforces the size limit while reading."""
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
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
                        f"request body is larger than the limit of {self.max_body} bytes")

    @staticmethod
    def _object(doc: Any, what: str = "request body") -> Dict[str, Any]:
        if not isinstance(doc, dict):
            raise ApiError(400, "invalid", f"the {what} must be a JSON object")
        return doc

    async def script_row(self, org_id: str, script_id: str) -> Dict[str, Any]:
        row = None
        if _ID.match(script_id):
            row = await run_in_threadpool(self.store.get_script, org_id, script_id)
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

    async def params_of(self, row: Dict[str, Any]) -> Dict[str, str]:
        key = (row["id"], row["version"])
        params = self.params_cache.get(key)
        if params is None:
            self.params_cache.misses += 1
            params = await run_in_threadpool(_analyze, row["script"])
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
            if not isinstance(doc[f], str):
                raise ApiError(400, "invalid", f"field {f!r} must be a string")
        if "orgID" in doc and doc["orgID"] != org_id:
            raise ApiError(400, "invalid", "organization not found: orgID does not match the "
                                           "token's organization")
        if doc["language"] != "flux":
            raise ApiError(422, "unprocessable entity",
                           f"language {doc['language']!r} is not supported: only \"flux\" "
                           f"scripts can be stored and invoked here")
        if not doc["name"].strip():
            raise ApiError(400, "invalid", "field 'name' must not be empty")
        await run_in_threadpool(_check_syntax, doc["script"])
        try:
            row = await run_in_threadpool(self.store.create_script, org_id, doc["name"],
                                          doc["description"], "flux", doc["script"])
        except Conflict:
            raise ApiError(422, "conflict", f"uniqueness violation: a script named "
                                            f"{json.dumps(doc['name'])} already exists")
        return JSONResponse(self.script_json(request, row), status_code=201)

    async def get_script(self, request: Request) -> Response:
        org_id = await self.org(request)
        row = await self.script_row(org_id, request.path_params["script_id"])
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
                if not isinstance(doc[f], str):
                    raise ApiError(400, "invalid", f"field {f!r} must be a string")
                changes[f] = doc[f]
        if not _ID.match(script_id):
            raise _not_found(script_id)
        if "script" in changes:
            await run_in_threadpool(_check_syntax, changes["script"])
        try:
            row = await run_in_threadpool(self.store.update_script, org_id, script_id, changes)
        except NotFound:
            raise _not_found(script_id)
        if changes:
            self.params_cache.forget(script_id)
        return JSONResponse(self.script_json(request, row))

    async def delete_script(self, request: Request) -> Response:
        org_id = await self.org(request)
        script_id = request.path_params["script_id"]
        if _ID.match(script_id):
            await run_in_threadpool(self.store.delete_script, org_id, script_id)
            self.params_cache.forget(script_id)
        return Response(status_code=204)

    async def script_params(self, request: Request) -> Response:
        org_id = await self.org(request)
        row = await self.script_row(org_id, request.path_params["script_id"])
        return JSONResponse({"params": await self.params_of(row)})

    async def invoke_script(self, request: Request) -> Response:
        org_id = await self.org(request)
        row = await self.script_row(org_id, request.path_params["script_id"])
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
            raise ApiError(e.status, e.code, e.message)
        return StreamingResponse(_threaded(stream), media_type="text/csv; charset=utf-8",
                                 background=BackgroundTask(stream.close))

    async def openapi_json(self, request: Request) -> Response:
        return _document_response("openapi.json", "application/json")

    async def openapi_yml(self, request: Request) -> Response:
        return _document_response("openapi.yml", "application/yaml")


def _threaded(stream: invoke.QueryStream):
    # A sync iterator: StreamingResponse runs each next() in the thread pool.
    return iter(stream)


def _document_response(name: str, media_type: str) -> Response:
    path = HERE / name
    try:
        content = path.read_bytes()
    except OSError:
        raise ApiError(500, "internal error", f"the OpenAPI document {name} is missing from the "
                                              f"package (run scripts/build_openapi.py)")
    return Response(content, media_type=media_type)


def _route(path: str, handlers: Dict[str, Handler]) -> Route:
    allow = ", ".join(handlers)

    async def endpoint(request: Request) -> Response:
        handler = handlers.get(request.method)
        try:
            if handler is None:
                raise ApiError(405, "method not allowed",
                               f"method {request.method} is not allowed on {request.url.path}",
                               headers={"Allow": allow})
            return await handler(request)
        except ApiError as e:
            return error_response(e.status, e.code, e.message, e.headers)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            return error_response(500, "internal error", "internal error (logged by the server)")

    class Dispatch:
        # A class instance, not a function: Route then leaves method checks to us, so every
        # method (even an unknown one) gets our 405 with the error shape and an exact Allow.
        app = staticmethod(request_response(endpoint))

        async def __call__(self, scope, receive, send) -> None:
            await self.app(scope, receive, send)

    return Route(path, Dispatch())


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(404, "not found", f"no such path: {request.url.path}")
    return error_response(exc.status_code, invoke.code_for_status(exc.status_code),
                          str(exc.detail), getattr(exc, "headers", None))


async def _any_exception(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal error", "internal error (logged by the server)")


def create_app(db: Union[str, Path, Store, None] = None,
               influx: Optional[invoke.InfluxConfig] = None,
               max_body: int = DEFAULT_MAX_BODY,
               cache_size: int = PARAMS_CACHE_SIZE) -> Starlette:
    """The ASGI app. ``db`` is a path (default ./fluxparams.db) or an open Store."""
    store = db if isinstance(db, Store) else Store(db if db is not None else "fluxparams.db")
    service = Service(store, influx=influx, max_body=max_body, cache_size=cache_size)
    routes = [
        _route("/api/v2/openapi.json", {"GET": service.openapi_json}),
        _route("/api/v2/openapi.yml", {"GET": service.openapi_yml}),
        _route("/api/v2/scripts", {"GET": service.list_scripts, "POST": service.create_script}),
        _route("/api/v2/scripts/{script_id}", {"GET": service.get_script,
                                               "PATCH": service.patch_script,
                                               "DELETE": service.delete_script}),
        _route("/api/v2/scripts/{script_id}/params", {"GET": service.script_params}),
        _route("/api/v2/scripts/{script_id}/invoke", {"POST": service.invoke_script}),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        store.close()

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_exception,
                                        Exception: _any_exception})
    app.state.service = service
    return app
