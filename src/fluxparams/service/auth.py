"""``Authorization: Token <t>`` / ``Bearer <t>``: which organization a request acts for."""
from __future__ import annotations

from typing import Optional

SCHEMES = ("token", "bearer")
HINT = 'expected "Authorization: Token <token>" or "Authorization: Bearer <token>"'


class AuthError(Exception):
    pass


def token_from_header(header: Optional[str]) -> str:
    """The token in an Authorization header value, or AuthError saying what is wrong."""
    if header is None or not header.strip():
        raise AuthError(f"missing Authorization header; {HINT}")
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() not in SCHEMES:
        raise AuthError(f"malformed Authorization header; {HINT}")
    return parts[1]
