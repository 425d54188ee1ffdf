"""The error every endpoint answers with: ``{"code", "message"}`` and the code repeated in the
``X-Platform-Error-Code`` header, as InfluxDB answers."""
from __future__ import annotations

import json
from typing import Dict, Optional

from starlette.responses import Response

ERROR_CODE_HEADER = "X-Platform-Error-Code"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(status: int, code: str, message: str,
                   headers: Optional[Dict[str, str]] = None) -> Response:
    # InfluxDB repeats the code in a header, so a client can classify an error without the body.
    all_headers = {**(headers or {}), ERROR_CODE_HEADER: code}
    try:
        content = json.dumps({"code": code, "message": message}, ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a message quoting a lone surrogate: escape it, never a 500
        content = json.dumps({"code": code, "message": message}).encode()
    return Response(content, status_code=status, headers=all_headers,
                    media_type="application/json")
