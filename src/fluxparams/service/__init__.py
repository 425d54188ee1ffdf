"""``fluxparams serve``: a self-hosted InfluxDB invokable-scripts API (/api/v2/scripts).

``create_app(db, influx=..., max_body=...)`` returns the ASGI app; ``command.main(argv)`` is the
``serve`` / ``token create`` command line. Needs the ``serve`` extra (starlette, uvicorn).
"""
from __future__ import annotations


def create_app(*args, **kwargs):
    # Imported on use, so ``import fluxparams.service`` works without starlette installed.
    from .app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["create_app"]
