"""The analysis a worker process runs for the service: one script in, one reply out.

The service never analyzes in its own process: parsing and inference are CPU-bound Python, and a
thread cannot be stopped, so a costly script would hold a server thread (and the GIL) for as long
as it takes. Instead :mod:`.pool` hands each script to a worker process running :func:`serve`
and kills that process when the analysis outlives its time budget.

One job does the whole analysis (parse, inference), so a script is parsed once per request: a
broken script's syntax error is the reply of that one parse, and a valid script's params come
from the same pass, ready to be cached.

Replies are plain tuples (cheap to pickle, no class to import on the other side):

* ``("params", {name: cloud type})`` -- the script parses;
* ``("syntax", "error @L:C: message")`` -- it does not (or nests deeper than Python can follow);
* ``("crash", traceback text)`` -- a bug in the analysis, for the server's log.

A ``("diagnostics", script)`` job (the web page's live check, service/web.py) is answered
``("diagnostics", JSON text)``: ``{"diagnostics": [...], "params": {...}}``, every finding as
``fluxparams check --format json`` gives it (a syntax error is one FP001 finding).
"""
from __future__ import annotations

import json
import signal
import traceback
from multiprocessing.connection import Connection
from typing import Any, Dict, List, Tuple, Union

from ..api import analyze
from ..diagnostics import SyntaxErrorFinding
from ..syntax import FluxSyntaxError
from ..tree import Loc

Reply = Tuple[str, Union[Dict[str, str], str]]

READY = "ready"


def run(script: str) -> Reply:
    """Analyze ``script``: its params, or its syntax error with the position."""
    try:
        params = dict(analyze(script).params)
    except FluxSyntaxError as e:
        return ("syntax", f"error @{e.lineno}:{e.offset}: {e.msg}")
    except RecursionError:
        return ("syntax", "nested too deeply")
    except Exception:
        return ("crash", traceback.format_exc())
    return ("params", params)


def diagnose(script: str) -> Reply:
    """Every finding for ``script`` and its params, as JSON text (see the module docstring)."""
    params: Dict[str, str] = {}
    try:
        analysis = analyze(script)
        findings: List[Dict[str, Any]] = [d.to_dict() for d in analysis.diagnostics]
        params = dict(analysis.params)
    except FluxSyntaxError as e:
        loc = Loc(e.lineno, e.offset, e.end_lineno, e.end_offset)
        findings = [SyntaxErrorFinding(loc, e.msg, e.hint).to_dict()]
    except RecursionError:
        findings = [SyntaxErrorFinding(Loc(1, 1, 1, 2), "nested too deeply").to_dict()]
    except Exception:
        return ("crash", traceback.format_exc())
    return ("diagnostics", json.dumps({"diagnostics": findings, "params": params}))


def serve(conn: Connection) -> None:
    """A worker's loop: a script in, a :data:`Reply` out, until the server closes the pipe.

    The worker says :data:`READY` first, after a warm-up analysis (the stdlib types load on the
    first one), so that start-up never counts against a request's budget.
    """
    # Ctrl-C reaches the whole process group; the server decides when workers end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    run("x = 1")
    conn.send(READY)
    while True:
        try:
            script = conn.recv()
        except (EOFError, OSError):  # the server is gone or closed the pipe: nothing to do
            return
        if (isinstance(script, tuple) and len(script) == 2 and script[0] == "diagnostics"
                and isinstance(script[1], str)):
            conn.send(diagnose(script[1]))
            continue
        if not isinstance(script, str):
            return
        conn.send(run(script))
