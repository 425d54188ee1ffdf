"""The web page at ``/`` of ``fluxparams serve``, and its one endpoint of its own.

The page (``web/``: ``index.html``, ES modules, a stylesheet and an icon) is static: it ships in
the package as it is written, needs no build step and loads nothing from elsewhere. Everything it
does goes through the public scripts API with the token the person pastes, plus
``POST /api/v2/fluxparams/diagnostics``: the findings of ``fluxparams check`` for a script being
edited, from the same analyzer, run in the same worker processes and budget as every analysis.

Every asset is answered with a Content-Security-Policy that allows scripts, styles and requests
from this origin only: no inline script, no inline handler, no eval, no other host.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .errors import ApiError
from .routing import api_route

if TYPE_CHECKING:  # app imports this module
    from .app import Service

log = logging.getLogger("fluxparams.service")

ASSETS = Path(__file__).resolve().parent / "web"
DIAGNOSTICS_PATH = "/api/v2/fluxparams/diagnostics"

# What each file may be served as; nothing else under web/ is reachable.
MEDIA_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "api.js": "text/javascript; charset=utf-8",
    "editor.js": "text/javascript; charset=utf-8",
    "results.js": "text/javascript; charset=utf-8",
    "validate.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # The page is small and changes with the package: always revalidate, never serve stale code.
    "Cache-Control": "no-cache",
}


def asset_response(name: str) -> Response:
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        raise ApiError(404, "not found", f"no such page asset: {json.dumps(name)}")
    try:
        content = (ASSETS / name).read_bytes()
    except OSError:
        raise ApiError(500, "internal error", f"the page asset {name} is missing from the "
                                              f"package") from None
    return Response(content, media_type=media_type, headers=dict(SECURITY_HEADERS))


def findings_from_reply(kind: str, value: Any) -> Dict[str, Any]:
    """The endpoint's body from a worker's reply, or ApiError."""
    if kind == "diagnostics" and isinstance(value, str):
        doc = json.loads(value)
        if isinstance(doc, dict):
            return doc
    log.error("diagnostics failed:\n%s", value)
    raise ApiError(500, "internal error", "internal error (logged by the server)")


class WebPage:
    """The page's routes, bound to the service (its auth, body limits and analysis pool)."""

    def __init__(self, service: "Service") -> None:
        self.service = service

    async def index(self, request: Request) -> Response:
        return asset_response("index.html")

    async def favicon(self, request: Request) -> Response:
        return asset_response("favicon.svg")

    async def asset(self, request: Request) -> Response:
        return asset_response(request.path_params["name"])

    async def diagnostics(self, request: Request) -> Response:
        service = self.service
        await service.org(request)
        doc = await service.body(request)
        if not isinstance(doc, dict):
            raise ApiError(400, "invalid", "the request body must be a JSON object: "
                                           "{\"script\": \"...\"}")
        if "script" not in doc:
            raise ApiError(400, "invalid", "missing required field(s): script")
        script = doc["script"]
        if not isinstance(script, str):
            raise ApiError(400, "invalid", "field 'script' must be a string")
        try:
            script.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ApiError(400, "invalid", f"field 'script' is not valid Unicode: lone surrogate "
                                           f"at character {e.start + 1}") from None
        service.check_script_size(script)
        kind, value = await service.run_job(("diagnostics", script))
        body = json.dumps(findings_from_reply(kind, value), ensure_ascii=False)
        return Response(body.encode("utf-8"), media_type="application/json")


def routes(service: "Service") -> List[Route]:
    """The page's routes, to add to the app's."""
    page = WebPage(service)
    return [
        api_route("/", {"GET": page.index, "HEAD": page.index}),
        api_route("/favicon.ico", {"GET": page.favicon, "HEAD": page.favicon}),
        api_route("/web/{name}", {"GET": page.asset, "HEAD": page.asset}),
        api_route(DIAGNOSTICS_PATH, {"POST": page.diagnostics}),
    ]
