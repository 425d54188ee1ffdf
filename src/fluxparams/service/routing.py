"""One route per path, with the API's error handling around every handler.

Both the scripts API (app.py) and the web page (web.py) build their routes here, so every answer
of the server has the same error shape: an :class:`~.errors.ApiError` becomes its JSON error body,
an unreachable database a 503 the client may retry, and anything unexpected is logged and answered
500 without a traceback.
"""
from __future__ import annotations

import logging
from typing import Awaitable, Callable, Dict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response
from starlette.types import Receive, Scope, Send

from .errors import ApiError, error_response
from .store import StoreUnavailable

log = logging.getLogger("fluxparams.service")

Handler = Callable[[Request], Awaitable[Response]]


def api_route(path: str, handlers: Dict[str, Handler]) -> Route:
    """A route for ``path`` answering the methods of ``handlers`` (405 with ``Allow`` otherwise)."""
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
        except StoreUnavailable as e:
            # The database is down or unreachable: the client may retry; the failed call
            # committed nothing it reports.
            log.error("%s %s: %s", request.method, request.url.path, e)
            return error_response(503, "unavailable", f"the script database is unavailable, "
                                                      f"retry later: {e}",
                                  headers={"Retry-After": "1"})
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            return error_response(500, "internal error", "internal error (logged by the server)")

    class Dispatch:
        # A class instance, not a function: Route then leaves method checks to us, so every
        # method (even an unknown one) gets our 405 with the error shape and an exact Allow.
        app = staticmethod(request_response(endpoint))

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await self.app(scope, receive, send)

    return Route(path, Dispatch())
