"""The Flux standard library's types, parsed lazily from data/stdlib_types.json.

Only the values a script touches are parsed (``syntax.parse_type_expression``)
and converted to a :class:`types.Scheme`; the result is cached per process.
The prelude (names usable without an import) is universe, influxdata/influxdb,
internal/boolean (``true``/``false``) and internal/location.
"""
from __future__ import annotations

import json
import os
import threading
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

from . import tree
from . import types as T

# a path string: pathlib costs ~4 ms of start-up (stdlib.DATA gives a Path, see __getattr__)
_DATA = os.path.join(os.path.dirname(os.path.realpath(__file__)), "data", "stdlib_types.json")

PRELUDE_PACKAGES = ("universe", "influxdata/influxdb", "internal/boolean", "internal/location")

_lock = threading.Lock()


class TypeExpressionError(ValueError):
    """A type expression that names an unknown basic type or kind."""


@lru_cache(maxsize=1)
def packages() -> Dict[str, Dict[str, str]]:
    """Package path -> value name -> type text."""
    with open(_DATA, encoding="utf-8") as fh:
        return json.load(fh)["packages"]


def package_paths() -> List[str]:
    return sorted(packages())


@lru_cache(maxsize=1)
def prelude() -> Dict[str, Tuple[str, str]]:
    """Name -> (package, name) for every value usable without an import (later packages win)."""
    names: Dict[str, Tuple[str, str]] = {}
    for pkg in PRELUDE_PACKAGES:
        for name in packages().get(pkg, {}):
            names[name] = (pkg, name)
    return names


_cache: Dict[Tuple[str, str], T.Scheme] = {}


def value_scheme(package: str, name: str) -> Optional[T.Scheme]:
    """The type of ``package.name`` (None if there is no such value)."""
    key = (package, name)
    s = _cache.get(key)
    if s is not None:
        return s
    text = packages().get(package, {}).get(name)
    if text is None:
        return None
    from .syntax import parse_type_expression

    s = scheme_from_tree(parse_type_expression(text))
    with _lock:
        _cache[key] = s
    return s


def package_record(package: str) -> T.Scheme:
    """The whole package as one closed record (used when a package itself is a value)."""
    # libflux links a package's members in descending name order
    names = sorted(packages().get(package, {}), reverse=True)
    return T.record_scheme((name, value_scheme(package, name)) for name in names)


# ---------------------------------------------------------------------------
# tree.TypeExpression -> types.Scheme
# ---------------------------------------------------------------------------

def scheme_from_tree(texpr: tree.TypeExpression) -> T.Scheme:
    """Convert a parsed type expression (``builtin`` statement or stdlib signature)."""
    kinds: Dict[str, List[str]] = {}
    for c in texpr.constraints:
        for k in c.kinds:
            if k not in T.KINDS:
                raise TypeExpressionError(f"{k} is not a valid kind")
            lst = kinds.setdefault(c.tvar, [])
            if k not in lst:
                lst.append(k)
    conv = _Converter(kinds)
    expr = conv.convert(texpr.monotype)
    return T.Scheme(conv.bounds, expr)


class _Converter:
    def __init__(self, kinds: Dict[str, List[str]]) -> None:
        self.kinds = kinds
        self.vars: Dict[str, T.Bound] = {}
        self.bounds: List[T.Bound] = []

    def var(self, name: str) -> T.Bound:
        b = self.vars.get(name)
        if b is None:
            k = self.kinds.get(name)
            b = T.Bound(len(self.bounds), list(k) if k else None)
            self.vars[name] = b
            self.bounds.append(b)
        return b

    def convert(self, m) -> T.Type:
        tm = type(m)
        if tm is tree.NamedType:
            t = T.BASICS.get(m.name)
            if t is None:
                raise TypeExpressionError(f"invalid named type {m.name}")
            return t
        if tm is tree.TvarType:
            return self.var(m.name)
        if tm is tree.ArrayType:
            return T.Collection("array", self.convert(m.element))
        if tm is tree.StreamType:
            return T.Collection("stream", self.convert(m.element))
        if tm is tree.VectorType:
            return T.Collection("vector", self.convert(m.element))
        if tm is tree.DictType:
            return T.Dict_(self.convert(m.key), self.convert(m.value))
        if tm is tree.DynamicType:
            return T.DYNAMIC
        if tm is tree.LabelType:
            return T.Label(m.value)
        if tm is tree.RecordType:
            tail: T.Type = T.EMPTY if m.tvar is None else self.var(m.tvar)
            fields = [(p.name, self.convert(p.monotype)) for p in m.properties]
            # libflux's conversion links the written properties last to first (the hover
            # text of an inferred stream shows `{A with _stop: time, _start: time, _time: time}`
            # for range's `{A with _time: time, _start: time, _stop: time}`)
            fields.reverse()
            return T.record(fields, tail)
        if tm is tree.FunctionType:
            req: Dict[str, T.Type] = {}
            opt: Dict[str, Tuple[T.Type, Optional[T.Type]]] = {}
            pipe = None
            for p in m.parameters:
                typ = self.convert(p.monotype)
                if p.kind == "required":
                    req[p.name] = typ
                elif p.kind == "optional":
                    default = T.Label(p.default.value) if p.default is not None else None
                    opt[p.name] = (typ, default)
                else:
                    pipe = (p.name if p.name else "<-", typ)
            return T.Function(req, opt, pipe, self.convert(m.result))
        raise TypeExpressionError(f"unsupported type node {tm.__name__}")


def all_values() -> Iterable[Tuple[str, str, str]]:
    for pkg, values in packages().items():
        for name, text in values.items():
            yield pkg, name, text


def __getattr__(name: str):
    if name == "DATA":  # the shipped data file, as a Path
        from pathlib import Path
        return Path(_DATA)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
