"""The library surface: ``analyze(script)`` and ``find_params(script)``.

``analyze`` parses the script (a syntax error raises FluxSyntaxError), infers
its types as libflux does, and reports what InfluxDB Cloud's
``GET /api/v2/scripts/{id}/params`` answers (every ``params.X`` with its
type, bool/int/uint/float/string/time/duration or ``any``), plus the
references, the libflux type texts and the diagnostics (FP1xx from inference,
FP2xx from the lints).
"""
from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import Dict, Set, Tuple

from . import diagnostics as D
from . import types as T
from .infer import infer
from .syntax import parse

__all__ = ["Analysis", "Reference", "analyze", "find_params"]


@dataclass(frozen=True)
class Reference:
    """One ``params.X`` / ``params["X"]`` site (the span of the whole member expression)."""
    name: str
    type: str
    line: int
    column: int
    end_line: int
    end_column: int


class Analysis:
    """The answer for one script."""

    __slots__ = ("params", "flux_types", "references", "diagnostics")

    def __init__(self, params: Dict[str, str], flux_types: Dict[str, str],
                 references: Tuple[Reference, ...], diagnostics: Tuple[D.Diagnostic, ...]) -> None:
        self.params = params
        self.flux_types = flux_types
        self.references = references
        self.diagnostics = diagnostics

    def to_dict(self) -> Dict[str, Dict[str, str]]:
        """The body of Cloud's params endpoint: ``{"params": {name: type}}``."""
        return {"params": dict(self.params)}

    def __repr__(self) -> str:
        return f"Analysis(params={self.params!r}, diagnostics={list(self.diagnostics)!r})"


# Scripts longer than this are analyzed with the cyclic GC paused. A big tree
# keeps hundreds of thousands of objects alive, and every young-generation
# collection that escalates rescans all of them, which made analysis of a
# 100x script cost ~180x the time of one copy. Short scripts are left alone so
# that a busy multi-threaded service does not keep the GC off between them.
_PAUSE_GC_ABOVE = 20_000


class _GCPause:
    """Re-entrant, thread-safe pause of the cyclic GC.

    Nested or concurrent pauses share one counter: the GC is re-enabled when
    the last of them ends, and only if it was enabled when the first began
    (so a caller that disabled it itself keeps it disabled).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._reenable = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._reenable = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._reenable:
                self._reenable = False
                gc.enable()


gc_paused = _GCPause()


def analyze(script: str) -> Analysis:
    """Analyze a Flux script; raises FluxSyntaxError when it does not parse."""
    if len(script) > _PAUSE_GC_ABOVE:
        with gc_paused:
            return _analyze(script)
    return _analyze(script)


def _analyze(script: str) -> Analysis:
    file = parse(script)
    result = infer(file, "params")

    params: Dict[str, str] = {}
    flux_types: Dict[str, str] = {}
    diagnostics = list(result.diagnostics)
    if result.rebound:
        diagnostics.append(D.ParamsRebound(result.rebound_loc))
        references: Tuple[Reference, ...] = ()
    else:
        fields = result.fields()
        names: Dict = {}
        for name, t in fields:
            flux_types[name] = T.format_type(t, names)
        params = {name: T.cloud_name(t) for name, t in sorted(fields)}
        flux_types = {k: flux_types[k] for k in sorted(flux_types)}
        references = tuple(
            Reference(r.name, T.cloud_name(r.type), r.loc.line, r.loc.column,
                      r.loc.end_line, r.loc.end_column)
            for r in sorted(result.references, key=lambda r: (r.loc.line, r.loc.column))
        )

    try:
        from .lints import lint
    except ImportError:  # pragma: no cover - lints.py is another part of the project
        lint = None
    if lint is not None:
        diagnostics.extend(lint(file, params, references))
    diagnostics.sort(key=lambda d: d.sort_key())
    return Analysis(params, flux_types, references, tuple(diagnostics))


def find_params(script: str) -> Set[str]:
    """The names of the params a script uses."""
    return set(analyze(script).params)
