"""FP2xx: params mistakes that type-check but fail when the script is invoked.

``lint`` runs after inference. It trusts the inference engine's references to
decide which ``params.x`` expressions really read invoke params (a script may
shadow ``params``), so it never re-implements scoping.
"""
from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

from . import tree
from .diagnostics import (
    DashboardVariable,
    Diagnostic,
    ParamNotJsonCarriable,
    RawParamInRange,
    UndefinedIdentifier,
)

# An invoke's JSON body carries strings, numbers and booleans only; these
# types need a conversion inside the script.
_CONVERSIONS = {
    "duration": ("duration", "string"),
    "time": ("time", "string"),
    "uint": ("uint", "int"),
}

_RANGE_BOUNDS = ("start", "stop")


class ParamRead(Protocol):
    """What the lints need of a params reference (:class:`fluxparams.api.Reference`)."""

    @property
    def name(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...


def lint(file: tree.File, params: Dict[str, str], references: Sequence[ParamRead]) -> List[Diagnostic]:
    found: List[Diagnostic] = []
    found.extend(_not_json_carriable(params, references))
    found.extend(_raw_params_in_range(file, references))
    found.sort(key=lambda d: d.sort_key())
    return found


def _not_json_carriable(params: Dict[str, str], references: Sequence[ParamRead]) -> Iterator[Diagnostic]:
    first: Dict[str, ParamRead] = {}
    for ref in references:
        known = first.get(ref.name)
        if known is None or (ref.line, ref.column) < (known.line, known.column):
            first[ref.name] = ref
    for name in sorted(params):
        conversion = _CONVERSIONS.get(params[name])
        use = first.get(name)
        if conversion is None or use is None:
            continue
        function, json_type = conversion
        yield ParamNotJsonCarriable(
            _loc_of(use), name, params[name], f"{function}(v: params.{name})", json_type)


def _raw_params_in_range(file: tree.File, references: Sequence[ParamRead]) -> Iterator[Diagnostic]:
    # A params member counts only where inference saw an invoke-param read.
    reads = {(ref.name, ref.line, ref.column) for ref in references}
    if not reads:  # no invoke-param read: nothing to find, and no tree walk to pay for
        return
    for node in _calls(file):
        if not _is_range(node.callee) or node.arguments is None:
            continue
        for prop in node.arguments.properties:
            bound = _key_name(prop.key)
            if bound not in _RANGE_BOUNDS or prop.value is None:
                continue
            value: tree.Node = prop.value
            while isinstance(value, tree.ParenExpression):
                value = value.expression
            if not isinstance(value, tree.MemberExpression):
                continue
            name = _params_member(value)
            if name is not None and (name, value.loc.line, value.loc.column) in reads:
                yield RawParamInRange(value.loc, name, bound)


def dashboard_variables(file: tree.File, diagnostics: Sequence[Diagnostic]) -> List[Diagnostic]:
    """libflux's ``undefined identifier v`` at a ``v.X`` read becomes FP107 over ``v.X``.

    Inference decided ``v`` is undefined there (so a script's own ``v`` is never
    touched); libflux's error stays attached to the finding.
    """
    if not any(_is_undefined_v(d) for d in diagnostics):
        return list(diagnostics)
    members: Dict[Tuple[int, int], tree.MemberExpression] = {}
    for node in tree.walk(file):
        if (type(node) is tree.MemberExpression and isinstance(node.object, tree.Identifier)
                and node.object.name == "v"):
            members[(node.object.loc.line, node.object.loc.column)] = node
    result: List[Diagnostic] = []
    for d in diagnostics:
        member = members.get((d.line, d.column)) if _is_undefined_v(d) else None
        if member is None:
            result.append(d)
            continue
        variable = DashboardVariable(member.loc, _key_name(member.property))
        variable.libflux = d.libflux
        result.append(variable)
    return result


def _is_undefined_v(d: Diagnostic) -> bool:
    return isinstance(d, UndefinedIdentifier) and d.name == "v"


class Fix:
    """One rewrite of ``v.X`` as ``params.X``: where it was, and where ``params`` now starts."""

    __slots__ = ("finding", "line", "column")

    def __init__(self, finding: DashboardVariable, line: int, column: int) -> None:
        self.finding, self.line, self.column = finding, line, column


def fix_dashboard_variables(source: str, findings: Sequence[Diagnostic]) -> Tuple[str, List[Fix]]:
    """The source with the ``v`` of every FP107 finding replaced by ``params``.

    Positions are libflux's (1-based UTF-8 byte columns); a site whose text is not
    ``v`` (a stale finding) is left alone.
    """
    wanted = sorted((d for d in findings if isinstance(d, DashboardVariable)),
                    key=lambda d: (d.line, d.column))
    if not wanted:
        return source, []
    lines = source.encode("utf-8").split(b"\n")
    fixes: List[Fix] = []
    shift: Dict[int, int] = {}  # bytes added so far on each line
    for d in wanted:
        if not 1 <= d.line <= len(lines):
            continue
        text = lines[d.line - 1]
        at = d.column - 1 + shift.get(d.line, 0)
        if text[at:at + 1] != b"v":
            continue
        lines[d.line - 1] = text[:at] + b"params" + text[at + 1:]
        fixes.append(Fix(d, d.line, at + 1))
        shift[d.line] = shift.get(d.line, 0) + len("params") - 1
    return b"\n".join(lines).decode("utf-8"), fixes


def _is_range(callee: tree.Node) -> bool:
    return isinstance(callee, tree.Identifier) and callee.name == "range"


def _key_name(key: Union[tree.Identifier, tree.StringLiteral]) -> str:
    return key.name if isinstance(key, tree.Identifier) else key.value


def _params_member(node: tree.MemberExpression) -> Optional[str]:
    """``x`` for ``params.x`` or ``params["x"]``, else None."""
    if not (isinstance(node.object, tree.Identifier) and node.object.name == "params"):
        return None
    return _key_name(node.property)


def _calls(root: tree.Node) -> Iterator[tree.CallExpression]:
    """Every call expression under ``root``, in source (pre-)order."""
    call = tree.CallExpression
    for node in tree.walk(root):
        if type(node) is call:
            yield node


def _loc_of(ref: ParamRead) -> tree.Loc:
    return tree.Loc(ref.line, ref.column, ref.end_line, ref.end_column)


__all__: Tuple[str, ...] = ("Fix", "ParamRead", "dashboard_variables", "fix_dashboard_variables",
                            "lint")
