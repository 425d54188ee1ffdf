"""The Flux standard library's types, parsed lazily from data/stdlib_types.json.

The table (package -> value -> type-expression text) is built from the stdlib's
Flux source by scripts/build_stdlib.py (see :mod:`fluxparams.stdlib_source`).
Only the values a script touches are parsed (``syntax.parse_type_expression``)
and converted to a :class:`typeterms.Scheme`; the result is cached per process.
The prelude (names usable without an import) is universe, influxdata/influxdb,
internal/boolean (``true``/``false``) and internal/location; no name is in two
of them.
"""
from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from . import tree
from . import typeterms as T

# a path string: pathlib costs ~4 ms of start-up (stdlib.DATA gives a Path, see __getattr__)
_DATA = os.path.join(os.path.dirname(os.path.realpath(__file__)), "data", "stdlib_types.json")

PRELUDE_PACKAGES = ("universe", "influxdata/influxdb", "internal/boolean", "internal/location")

_lock = threading.Lock()


class TypeExpressionError(ValueError):
    """A type expression that names an unknown basic type or kind."""


@lru_cache(maxsize=1)
def _shipped() -> Dict[str, Dict[str, str]]:
    with open(_DATA, encoding="utf-8") as fh:
        table: Dict[str, Dict[str, str]] = json.load(fh)["packages"]
    return table


# the table in use instead of the shipped one (set by ``using`` while the stdlib is built)
_replacement: Optional[Dict[str, Dict[str, str]]] = None


def packages() -> Dict[str, Dict[str, str]]:
    """Package path -> value name -> type text."""
    if _replacement is not None:
        return _replacement
    return _shipped()


@contextmanager
def using(table: Dict[str, Dict[str, str]]) -> Iterator[None]:
    """Use ``table`` as the whole stdlib (prelude included) inside the ``with`` block.

    The stdlib build infers each package against the packages built before it, and nothing
    else; not thread-safe, and not meant for use while other threads analyse.
    """
    global _replacement
    with _lock:
        saved, saved_cache = _replacement, dict(_cache)
        _replacement = table
        _cache.clear()
        prelude.cache_clear()
    try:
        yield
    finally:
        with _lock:
            _replacement = saved
            _cache.clear()
            _cache.update(saved_cache)
            prelude.cache_clear()


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
    members: List[Tuple[str, T.Scheme]] = []
    for name in sorted(packages().get(package, {}), reverse=True):
        scheme = value_scheme(package, name)
        if scheme is not None:
            members.append((name, scheme))
    return T.record_scheme(members)


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

    def convert(self, m: tree.MonoType) -> T.Type:
        if isinstance(m, tree.NamedType):
            t = T.BASICS.get(m.name)
            if t is None:
                raise TypeExpressionError(f"invalid named type {m.name}")
            return t
        if isinstance(m, tree.TvarType):
            return self.var(m.name)
        if isinstance(m, tree.ArrayType):
            return T.Collection("array", self.convert(m.element))
        if isinstance(m, tree.StreamType):
            return T.Collection("stream", self.convert(m.element))
        if isinstance(m, tree.VectorType):
            return T.Collection("vector", self.convert(m.element))
        if isinstance(m, tree.DictType):
            return T.Dict_(self.convert(m.key), self.convert(m.value))
        if isinstance(m, tree.DynamicType):
            return T.DYNAMIC
        if isinstance(m, tree.LabelType):
            return T.Label(m.value)
        if isinstance(m, tree.RecordType):
            tail: T.Type = T.EMPTY if m.tvar is None else self.var(m.tvar)
            fields = [(p.name, self.convert(p.monotype)) for p in m.properties]
            # libflux's conversion links the written properties last to first (the hover
            # text of an inferred stream shows `{A with _stop: time, _start: time, _time: time}`
            # for range's `{A with _time: time, _start: time, _stop: time}`)
            fields.reverse()
            return T.record(fields, tail)
        if isinstance(m, tree.FunctionType):
            req: Dict[str, T.Type] = {}
            opt: Dict[str, Tuple[T.Type, Optional[T.Type]]] = {}
            pipe = None
            for p in m.parameters:
                typ = self.convert(p.monotype)
                if p.kind == "pipe" or p.name is None:
                    pipe = (p.name if p.name else "<-", typ)
                elif p.kind == "required":
                    req[p.name] = typ
                else:
                    default = T.Label(p.default.value) if p.default is not None else None
                    opt[p.name] = (typ, default)
            return T.Function(req, opt, pipe, self.convert(m.result))
        raise TypeExpressionError(f"unsupported type node {type(m).__name__}")


def all_values() -> Iterable[Tuple[str, str, str]]:
    for pkg, values in packages().items():
        for name, text in values.items():
            yield pkg, name, text


def __getattr__(name: str) -> object:
    if name == "DATA":  # the shipped data file, as a Path
        from pathlib import Path
        return Path(_DATA)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
