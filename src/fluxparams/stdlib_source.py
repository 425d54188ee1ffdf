"""The standard library's types derived from its Flux source, as libflux's bootstrap does.

Every package of the stdlib is one ``.flux`` file (tests, ``*_test.flux``, are left out). A
package's values are its top-level bindings: a ``builtin`` statement gives the type its type
expression states; every other binding (variable or ``option``) gets the type our inference
finds for its Flux code. ``testcase`` blocks are not part of a package.

Packages are inferred in libflux's order (``semantic/bootstrap.rs``): first the prelude packages
``internal/boolean``, ``internal/location``, ``universe`` and ``influxdata/influxdb``, each after
the packages it imports, each seeing the prelude packages finished before it; then every other
package, after its imports, seeing the whole prelude. While a package is inferred the stdlib
table in use is exactly what is built so far (:func:`stdlib.using`), so nothing comes from the
shipped table, and every dependency is read back from the text that will be shipped.

The shipped form of a type is its text (:func:`storage_text`), written so that parsing it
gives back the same term: record fields are written in the reverse of the chain's order (the
type-expression conversion links the written fields last to first, as libflux's does) and type
variables are named A, B, … in order of appearance.
"""
from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple, cast

from . import stdlib, tree
from . import typeterms as T

#: libflux's prelude, in the order its bootstrap infers it (later packages see earlier ones)
PRELUDE_ORDER = ("internal/boolean", "internal/location", "universe", "influxdata/influxdb")

# not an identifier: no stdlib name is taken for the free variable of the inference
_NO_FREE_NAME = " "


class StdlibSourceError(Exception):
    """A stdlib package that cannot be read, ordered or typed."""


def discover(root: str) -> Dict[str, str]:
    """Package path -> the path of its one ``.flux`` file (tests left out)."""
    found: Dict[str, str] = {}
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        sources = sorted(f for f in files if f.endswith(".flux") and not f.endswith("_test.flux"))
        if not sources:
            continue
        package = os.path.relpath(directory, root).replace(os.sep, "/")
        if len(sources) > 1:
            raise StdlibSourceError(f"package {package} has {len(sources)} files; one is expected")
        found[package] = os.path.join(directory, sources[0])
    return found


def parse_package(path: str) -> tree.File:
    """The package file's tree without its ``testcase`` blocks."""
    from .syntax import FluxSyntaxError, parse

    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    try:
        file = parse(source)
    except FluxSyntaxError as exc:
        raise StdlibSourceError(f"{path}:{exc.lineno}:{exc.offset}: {exc.msg}") from exc
    body = tuple(st for st in file.body if type(st) is not tree.TestCaseStatement)
    # node constructors are made when tree is imported, out of a type checker's sight
    make_file: Any = tree.File
    return cast(tree.File, make_file(file.package, file.imports, body, loc=file.loc))


def imports_of(file: tree.File) -> List[str]:
    return [imp.path.value for imp in file.imports]


def build_order(files: Dict[str, tree.File]) -> List[str]:
    """Every package after the packages it imports, the prelude first (libflux's order)."""
    order: List[str] = []
    done: Set[str] = set()

    def visit(package: str, chain: Tuple[str, ...]) -> None:
        if package in done:
            return
        if package in chain:
            cycle = " -> ".join(chain[chain.index(package):] + (package,))
            raise StdlibSourceError(f"import cycle: {cycle}")
        if package not in files:
            raise StdlibSourceError(f"{chain[-1]} imports {package}, which is not in the stdlib source")
        for dep in imports_of(files[package]):
            visit(dep, chain + (package,))
        done.add(package)
        order.append(package)

    for package in PRELUDE_ORDER:
        if package in files:
            visit(package, ())
    for package in sorted(files):
        visit(package, ())
    return order


def infer_package(file: tree.File, table: Dict[str, Dict[str, str]],
                  package: str) -> Dict[str, T.Scheme]:
    """The top-level values of ``file``, inferred with ``table`` as the whole stdlib."""
    from . import infer

    with stdlib.using(table):
        result = infer.infer(file, _NO_FREE_NAME)
    if result.diagnostics:
        d = result.diagnostics[0]
        raise StdlibSourceError(f"{package}: {d.line}:{d.column}: {d.message}"
                                + (f" (and {len(result.diagnostics) - 1} more)"
                                   if len(result.diagnostics) > 1 else ""))
    return result.bindings


def build_table(root: str) -> Dict[str, Dict[str, str]]:
    """Package path -> value name -> type text for every package under ``root``."""
    paths = discover(root)
    if not paths:
        raise StdlibSourceError(f"no .flux package under {root}")
    files = {package: parse_package(path) for package, path in paths.items()}
    table: Dict[str, Dict[str, str]] = {}
    for package in build_order(files):
        values = infer_package(files[package], table, package)
        table[package] = {name: storage_text(values[name]) for name in sorted(values)}
    return {package: table[package] for package in sorted(table)}


# ---------------------------------------------------------------------------
# The shipped text of a type
# ---------------------------------------------------------------------------

def storage_text(scheme: T.Scheme, sort_records: bool = False) -> str:
    """``scheme`` as a type expression that parses back to the same term (see the module doc).

    With ``sort_records`` record fields are written in label order instead (stable for a
    repeated label): the text then names the type up to the order of its record fields, as
    documentation writes it; it is for comparing, not for storing.
    """
    printer = _Printer(sort_records)
    body = printer.text(scheme.expr)
    kinds = [(name, " + ".join(sorted(set(k)))) for name, k in printer.kinds if k]
    return body + (" where " + ", ".join(f"{n}: {k}" for n, k in kinds) if kinds else "")


class _Printer:
    def __init__(self, sort_records: bool) -> None:
        self.sort_records = sort_records
        self.names: Dict[object, str] = {}
        self.kinds: List[Tuple[str, Sequence[str]]] = []

    def var(self, key: object, kinds: Optional[Sequence[str]]) -> str:
        name = self.names.get(key)
        if name is None:
            if len(self.names) >= 26:
                raise StdlibSourceError("a type with more than 26 variables has no type-expression text")
            name = chr(ord("A") + len(self.names))
            self.names[key] = name
            self.kinds.append((name, kinds or ()))
        return name

    def text(self, t: T.Type) -> str:
        t = T.prune(t)
        tt = type(t)
        if isinstance(t, T.Basic):
            return t.name
        if isinstance(t, T.Bound):
            return self.var(("bound", t.index), t.kinds)
        if isinstance(t, T.Var):
            # a stdlib value closed over nothing: a free variable is quantified like a bound one
            return self.var(("var", t.id), t.kinds)
        if isinstance(t, T.Collection):
            return {"array": "[", "stream": "stream[", "vector": "vector["}[t.coll] + self.text(t.elem) + "]"
        if isinstance(t, T.Dict_):
            return "[" + self.text(t.key) + ": " + self.text(t.val) + "]"
        if t is T.EMPTY:
            return "{}"
        if isinstance(t, T.Record):
            links = list(_links(t))
            tail = T.prune(links[-1].tail)
            head = "" if tail is T.EMPTY else self.text(tail) + " with "
            written = sorted(links, key=lambda f: f.label) if self.sort_records else reversed(links)
            fields = [f"{f.label}: {self.text(f.type)}" for f in written]
            return "{" + head + ", ".join(fields) + "}"
        if isinstance(t, T.Function):
            parts = []
            if t.pipe is not None:
                label = "" if t.pipe[0] == "<-" else t.pipe[0]
                parts.append(f"<-{label}: {self.text(t.pipe[1])}")
            for name in sorted(t.req):
                parts.append(f"{name}: {self.text(t.req[name])}")
            for name in sorted(t.opt):
                typ, default = t.opt[name]
                part = f"?{name}: {self.text(typ)}"
                if default is not None:
                    value = T.prune(default)
                    if not isinstance(value, T.Label):
                        raise StdlibSourceError(f"default of {name} is not a label")
                    part += f" = .{value.value}"
                parts.append(part)
            return "(" + ", ".join(parts) + ") => " + self.text(t.ret)
        if isinstance(t, T.Label):
            return f".{t.value}"
        raise StdlibSourceError(f"a {tt.__name__} has no type-expression text")


def _links(t: T.Type) -> Iterator[T.Record]:
    cur = T.prune(t)
    while isinstance(cur, T.Record):
        yield cur
        cur = T.prune(cur.tail)
