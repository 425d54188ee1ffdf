"""``fluxparams serve``: a self-hosted InfluxDB invokable-scripts API (/api/v2/scripts).

``create_app(db, influx=..., max_body=..., max_script=..., analysis_workers=...,
analysis_timeout=...)`` returns the ASGI app; ``command.main(argv)`` is the
``serve`` / ``token create|list|revoke`` command line. Needs the ``serve`` extra (starlette, uvicorn).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette


def create_app(*args: Any, **kwargs: Any) -> Starlette:
    # Imported on use, so ``import fluxparams.service`` works without starlette installed.
    from .app import create_app as build

    return build(*args, **kwargs)


__all__ = ["create_app"]
