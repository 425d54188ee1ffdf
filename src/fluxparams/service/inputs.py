"""Checks on what a request carries before any endpoint reads it: the JSON body, its text
fields, and the URL's percent-encoded bytes. Each refusal is an :class:`~.errors.ApiError` 400."""
from __future__ import annotations

import json
import urllib.parse
from decimal import Decimal
from typing import Any, Dict, Optional

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ApiError, error_response


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiError(400, "invalid", f"malformed JSON: the body is not UTF-8 ({e.reason} at "
                                       f"byte {e.start})") from None
    try:
        # Decimal keeps a number's written form: int params accept only integers as written.
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise ApiError(400, "invalid", f"malformed JSON at line {e.lineno} column {e.colno}: "
                                       f"{e.msg}") from None
    except ValueError as e:  # NaN/Infinity, or an integer with too many digits
        raise ApiError(400, "invalid", f"malformed JSON: {e}") from None
    except RecursionError:
        raise ApiError(400, "invalid", "malformed JSON: nested too deeply") from None


def text_field(doc: Dict[str, Any], field: str) -> str:
    """``doc[field]`` when it is a string SQLite and JSON can carry; ApiError 400 otherwise."""
    value = doc[field]
    if not isinstance(value, str):
        raise ApiError(400, "invalid", f"field {field!r} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:  # JSON text may hold a lone surrogate (\ud800); UTF-8 cannot
        raise ApiError(400, "invalid", f"field {field!r} is not valid Unicode: lone surrogate "
                                       f"at character {e.start + 1}") from None
    return value


def utf8_problem(scope: Scope) -> Optional[str]:
    """What is wrong when the percent-decoded path or query string is not UTF-8, else None.

    Starlette would decode such bytes to U+FFFD, so ``?name=%ED%A0%80`` (a surrogate's bytes)
    would look for a script named "\ufffd\ufffd\ufffd"; the request is malformed instead.
    """
    for what, raw in (("path", scope.get("raw_path") or b""),
                      ("query string", scope.get("query_string") or b"")):
        if b"%" not in raw:  # undecoded bytes came as UTF-8 text from the server already
            continue
        try:
            urllib.parse.unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError as e:
            return (f"the request {what} is not valid UTF-8 once percent-decoded (byte "
                    f"{e.start + 1}: {e.reason}); lone surrogates cannot be encoded")
    return None


class RefuseMalformedUrls:
    """ASGI middleware: 400 ``invalid`` for a path or query string that is not UTF-8 text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = utf8_problem(scope)
            if problem is not None:
                await error_response(400, "invalid", problem)(scope, receive, send)
                return
        await self.app(scope, receive, send)
