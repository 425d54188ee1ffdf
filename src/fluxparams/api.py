"""The library surface: ``analyze(script)`` and ``find_params(script)``.

``analyze`` parses the script (a syntax error raises FluxSyntaxError), infers
its types as libflux does, and reports what InfluxDB Cloud's
``GET /api/v2/scripts/{id}/params`` answers (every ``params.X`` with its
type, bool/int/uint/float/string/time/duration or ``any``), plus the
references, the libflux type texts and the diagnostics (FP1xx from inference,
FP2xx from the lints).
"""
from __future__ import annotations

from typing import Dict, Set, Tuple, Type

from . import diagnostics as D
from .infer import infer
from .lints import dashboard_variables, lint
from .syntax import PAUSE_GC_ABOVE, gc_paused, parse
from .typeprint import Names, format_type
from .typeterms import cloud_name

__all__ = ["Analysis", "Reference", "analyze", "find_params"]


class Reference:
    """One ``params.X`` / ``params["X"]`` site (the span of the whole member expression).

    Immutable, compared and hashed by value. (Written out rather than a
    dataclass: importing dataclasses pulls in inspect, ~10 ms of start-up.)
    """

    __slots__ = ("name", "type", "line", "column", "end_line", "end_column")
    name: str
    type: str  # the Cloud type name: bool/int/uint/float/string/time/duration or any
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(self, name: str, type: str, line: int, column: int,
                 end_line: int, end_column: int) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "name", name)
        setattr_(self, "type", type)
        setattr_(self, "line", line)
        setattr_(self, "column", column)
        setattr_(self, "end_line", end_line)
        setattr_(self, "end_column", end_column)

    def _key(self) -> Tuple[str, str, int, int, int, int]:
        return (self.name, self.type, self.line, self.column, self.end_line, self.end_column)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._key() == other._key()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Reference is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: Reference is immutable")

    def __reduce__(self) -> Tuple[Type[Reference], Tuple[str, str, int, int, int, int]]:
        return (Reference, self._key())

    def __repr__(self) -> str:
        return (f"Reference(name={self.name!r}, type={self.type!r}, line={self.line!r}, "
                f"column={self.column!r}, end_line={self.end_line!r}, end_column={self.end_column!r})")


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


def analyze(script: str) -> Analysis:
    """Analyze a Flux script; raises FluxSyntaxError when it does not parse."""
    if not isinstance(script, str):
        raise TypeError(expected_script_text("analyze", script))
    # the parse pauses the GC for big texts; inference and lints need it as much
    if len(script) > PAUSE_GC_ABOVE:
        with gc_paused:
            return _analyze(script)
    return _analyze(script)


def _analyze(script: str) -> Analysis:
    file = parse(script)
    result = infer(file, "params")

    params: Dict[str, str] = {}
    flux_types: Dict[str, str] = {}
    diagnostics = list(result.diagnostics)
    if result.rebound_loc is not None:
        diagnostics.append(D.ParamsRebound(result.rebound_loc))
        references: Tuple[Reference, ...] = ()
    else:
        fields = result.fields()
        names: Names = {}
        for name, t in fields:
            flux_types[name] = format_type(t, names)
        params = {name: cloud_name(t) for name, t in sorted(fields)}
        flux_types = {k: flux_types[k] for k in sorted(flux_types)}
        references = tuple(
            Reference(r.name, cloud_name(r.type), r.loc.line, r.loc.column,
                      r.loc.end_line, r.loc.end_column)
            for r in sorted(result.references, key=lambda r: (r.loc.line, r.loc.column))
        )

    diagnostics = dashboard_variables(file, diagnostics)
    diagnostics.extend(lint(file, params, references))
    diagnostics.sort(key=lambda d: d.sort_key())
    return Analysis(params, flux_types, references, tuple(diagnostics))


def expected_script_text(function: str, got: object) -> str:
    """The message for a script that is not text (bytes, None, a file object...)."""
    kind = type(got).__name__
    if isinstance(got, (bytes, bytearray)):
        return (f"{function}() expects the script's source text as a str, got {kind}; "
                "decode it first (Flux source is UTF-8: data.decode('utf-8'))")
    return f"{function}() expects the script's source text as a str, got {kind}"


def find_params(script: str) -> Set[str]:
    """The names of the params a script uses."""
    if not isinstance(script, str):
        raise TypeError(expected_script_text("find_params", script))
    return set(analyze(script).params)
