"""FP2xx: params mistakes that type-check but fail when the script is invoked.

``lint`` runs after inference. It trusts the inference engine's references to
decide which ``params.x`` expressions really read invoke params (a script may
shadow ``params``), so it never re-implements scoping.
"""
from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Protocol, Sequence, Tuple, Union

from . import tree
from .diagnostics import Diagnostic, ParamNotJsonCarriable, RawParamInRange

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


__all__: Tuple[str, ...] = ("ParamRead", "lint")
