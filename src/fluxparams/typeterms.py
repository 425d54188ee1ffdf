"""Type terms, kinds and schemes, following libflux's ``semantic/types.rs``.

Terms are small immutable objects except :class:`Var`, a union-find node:
``Var.ref`` is ``None`` while the variable is free, and otherwise points at the
variable it was merged with or the type it was bound to. :func:`prune` follows
those links (compressing the path), so a substitution is never applied by
rebuilding terms.

Records are libflux's chains: ``Record(label, type, tail)`` ends in
:data:`EMPTY` or a variable. Labels may repeat (``{A with _value: float,
_value: float}`` is a valid stdlib type).

Unification lives in :mod:`fluxparams.unify`, printing in
:mod:`fluxparams.typeprint`, libflux's error text in :mod:`fluxparams.typeerrors`.
"""
from __future__ import annotations

import itertools
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple, Union

# ---------------------------------------------------------------------------
# Kinds: which basic types satisfy which (types.rs BuiltinType::constrain)
# ---------------------------------------------------------------------------

KINDS = (
    "Addable", "Basic", "Comparable", "Divisible", "Equatable", "Label", "Negatable",
    "Nullable", "Numeric", "Record", "Stringable", "Subtractable", "Timeable",
)

_NUMBER_KINDS = frozenset((
    "Addable", "Subtractable", "Divisible", "Numeric", "Comparable", "Equatable",
    "Nullable", "Basic", "Stringable", "Negatable",
))

BASIC_KINDS: Dict[str, FrozenSet[str]] = {
    "bool": frozenset(("Equatable", "Nullable", "Basic", "Stringable")),
    "int": _NUMBER_KINDS,
    "uint": _NUMBER_KINDS,
    "float": _NUMBER_KINDS,
    "string": frozenset(("Addable", "Comparable", "Equatable", "Nullable", "Basic", "Stringable")),
    "duration": frozenset(("Comparable", "Equatable", "Nullable", "Basic", "Negatable",
                           "Stringable", "Timeable")),
    "time": frozenset(("Comparable", "Equatable", "Nullable", "Basic", "Timeable", "Stringable")),
    "regexp": frozenset(("Basic",)),
    "bytes": frozenset(("Equatable", "Basic")),
    # experimental/dynamic (newer than the oracle's libflux); no kind is documented for it.
    "dynamic": frozenset(),
}

LABEL_KINDS = frozenset(("Addable", "Comparable", "Equatable", "Label", "Nullable", "Basic",
                         "Stringable"))


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------

class Type:
    __slots__ = ()


class Basic(Type):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BASICS: Dict[str, Basic] = {name: Basic(name) for name in BASIC_KINDS}
BOOL = BASICS["bool"]
INT = BASICS["int"]
UINT = BASICS["uint"]
FLOAT = BASICS["float"]
STRING = BASICS["string"]
DURATION = BASICS["duration"]
TIME = BASICS["time"]
REGEXP = BASICS["regexp"]
BYTES = BASICS["bytes"]
DYNAMIC = BASICS["dynamic"]


class ErrorType(Type):
    """libflux's ``MonoType::Error``: unifies with anything so one error is not reported twice."""
    __slots__ = ()

    def __repr__(self) -> str:
        return "<error>"


ERROR = ErrorType()


class Label(Type):
    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


class Var(Type):
    __slots__ = ("id", "ref", "kinds")

    def __init__(self, id: int, kinds: Optional[List[str]] = None) -> None:
        self.id = id
        self.ref: Optional[Type] = None
        self.kinds: Optional[List[str]] = kinds

    def __repr__(self) -> str:
        return f"t{self.id}"


class Bound(Type):
    """A quantified variable of a :class:`Scheme`; replaced by a fresh Var on instantiation."""
    __slots__ = ("index", "kinds")

    def __init__(self, index: int, kinds: Optional[List[str]] = None) -> None:
        self.index = index
        self.kinds = kinds


class Collection(Type):
    __slots__ = ("coll", "elem")

    def __init__(self, coll: str, elem: Type) -> None:
        self.coll = coll  # "array" | "stream" | "vector"
        self.elem = elem


def Array(elem: Type) -> Collection:
    return Collection("array", elem)


def Stream(elem: Type) -> Collection:
    return Collection("stream", elem)


class Dict_(Type):
    __slots__ = ("key", "val")

    def __init__(self, key: Type, val: Type) -> None:
        self.key = key
        self.val = val


class EmptyRecord(Type):
    __slots__ = ()


EMPTY = EmptyRecord()


class Record(Type):
    """One link of a record chain: ``{label: type | tail}``."""
    __slots__ = ("label", "type", "tail")

    def __init__(self, label: str, type: Type, tail: Type) -> None:
        self.label = label
        self.type = type
        self.tail = tail


def record(fields: Iterable[Tuple[str, Type]], tail: Type = EMPTY) -> Type:
    """Build a chain from ``[(label, type), ...]`` (first field at the head)."""
    result = tail
    for label, typ in reversed(list(fields)):
        result = Record(label, typ, result)
    return result


Optional_ = Tuple[Type, Optional[Type]]  # an optional parameter: (type, default)


class Function(Type):
    """``req``/``opt`` map names to types; ``opt`` values are ``(type, default)``.

    ``pipe`` is ``(name, type)`` or None; the name ``"<-"`` is the unnamed pipe
    parameter (``<-: T`` in a signature, or what a call with ``|>`` supplies).
    """
    __slots__ = ("req", "opt", "pipe", "ret")

    def __init__(self, req: Dict[str, Type], opt: Dict[str, Optional_],
                 pipe: Optional[Tuple[str, Type]], ret: Type) -> None:
        self.req = req
        self.opt = opt
        self.pipe = pipe
        self.ret = ret

    def parameter(self, name: str) -> Optional[Type]:
        t = self.req.get(name)
        if t is not None:
            return t
        o = self.opt.get(name)
        return o[0] if o is not None else None


class Scheme:
    """A polytype: ``expr`` with the quantified variables ``vars`` (Bound terms)."""
    __slots__ = ("vars", "expr")

    def __init__(self, vars: List[Bound], expr: Type) -> None:
        self.vars = vars
        self.expr = expr

    def __str__(self) -> str:
        from .typeprint import format_scheme  # printing sits above the terms

        return format_scheme(self)


def mono(t: Type) -> Scheme:
    return Scheme([], t)


def prune(t: Type) -> Type:
    """The representative of ``t``: follows Var links, compressing the path."""
    if type(t) is not Var or t.ref is None:
        return t
    root: Type = t.ref
    while type(root) is Var and root.ref is not None:
        root = root.ref
    # path compression
    cur: Type = t
    while type(cur) is Var and cur.ref is not None and cur.ref is not root:
        nxt = cur.ref
        cur.ref = root
        cur = nxt
    return root


def root_var(t: Type) -> Optional[Var]:
    """The last variable on ``t``'s chain (its identity even after it was bound)."""
    last = None
    while type(t) is Var:
        last = t
        if t.ref is None:
            break
        t = t.ref
    return last


VarKey = Union[int, Tuple[str, int]]  # a Var's id, or ("b", index) for a Bound


def var_key(t: Union[Var, Bound]) -> VarKey:
    return t.id if type(t) is Var else ("b", t.index)  # type: ignore[union-attr]


def kinds_of(t: Type) -> Optional[List[str]]:
    t = prune(t)
    if type(t) is Var or type(t) is Bound:
        return t.kinds
    return None


# ---------------------------------------------------------------------------
# Walks
# ---------------------------------------------------------------------------

def children(t: Type) -> List[Type]:
    """The types directly inside ``t`` (for walks where their order does not matter)."""
    if type(t) is Collection:
        return [t.elem]
    if type(t) is Record:
        return [t.type, t.tail]
    if type(t) is Dict_:
        return [t.key, t.val]
    if type(t) is Function:
        inner = list(t.req.values())
        inner.extend(o[0] for o in t.opt.values())
        if t.pipe is not None:
            inner.append(t.pipe[1])
        inner.append(t.ret)
        return inner
    return []


def record_fields(t: Type) -> Tuple[List[Tuple[str, Type]], Type]:
    """A record chain's ``(label, type)`` links from the head, and what it ends in."""
    out = []
    t = prune(t)
    while type(t) is Record:
        out.append((t.label, t.type))
        t = prune(t.tail)
    return out, t


def free_vars(t: Type, into: Dict[int, Var]) -> Dict[int, Var]:
    """Adds the free (unbound) variables of ``t`` to ``into`` in order of appearance."""
    stack = [t]
    while stack:
        t = prune(stack.pop())
        if type(t) is Var:
            if t.id not in into:
                into[t.id] = t
        elif type(t) is Collection:
            stack.append(t.elem)
        elif type(t) is Record:
            stack.append(t.tail)
            stack.append(t.type)
        elif type(t) is Dict_:
            stack.append(t.val)
            stack.append(t.key)
        elif type(t) is Function:
            stack.append(t.ret)
            for o in reversed(list(t.opt.values())):
                if o[1] is not None:
                    stack.append(o[1])
                stack.append(o[0])
            stack.extend(reversed(list(t.req.values())))
            if t.pipe is not None:
                stack.append(t.pipe[1])
    return into


Leaf = Callable[[Type], Type]


def rebuild(t: Type, leaf: Leaf) -> Type:
    """A copy of ``t``'s structure with each variable (Var or Bound) replaced by ``leaf(v)``.

    Generalisation (Var -> Bound) and instantiation (Bound -> fresh Var) are both this copy.
    """
    t = prune(t)
    if type(t) is Var or type(t) is Bound:
        return leaf(t)
    if type(t) is Collection:
        return Collection(t.coll, rebuild(t.elem, leaf))
    if type(t) is Record:
        # iterate the chain to keep recursion shallow on long records
        links = []
        cur: Type = t
        while type(cur) is Record:
            links.append((cur.label, rebuild(cur.type, leaf)))
            cur = prune(cur.tail)
        return record(links, rebuild(cur, leaf))
    if type(t) is Dict_:
        return Dict_(rebuild(t.key, leaf), rebuild(t.val, leaf))
    if type(t) is Function:
        return Function(
            {k: rebuild(v, leaf) for k, v in t.req.items()},
            {k: (rebuild(v, leaf), None if d is None else rebuild(d, leaf))
             for k, (v, d) in t.opt.items()},
            None if t.pipe is None else (t.pipe[0], rebuild(t.pipe[1], leaf)),
            rebuild(t.ret, leaf),
        )
    return t


def bound_to(targets: Sequence[Type]) -> Leaf:
    """The leaf for :func:`rebuild` that replaces Bound ``i`` by ``targets[i]``."""
    # a variable of the environment (not quantified) stays itself
    return lambda v: targets[v.index] if type(v) is Bound else v


def record_scheme(named: Iterable[Tuple[str, Scheme]]) -> Scheme:
    """One closed record scheme from named schemes (a package, an imported module's values).

    Each scheme's quantified variables are renumbered into the record's; fields are linked in
    the order given (libflux links a package's members in descending name order).
    """
    fields = []
    bounds: List[Bound] = []
    for name, s in named:
        renumbered: List[Type] = []
        for b in s.vars:
            nb = Bound(len(bounds), b.kinds)
            bounds.append(nb)
            renumbered.append(nb)
        fields.append((name, rebuild(s.expr, bound_to(renumbered)) if renumbered else s.expr))
    return Scheme(bounds, record(fields))


# ---------------------------------------------------------------------------
# Structural comparison up to variable renaming and record field order
# ---------------------------------------------------------------------------

def equivalent(a: Type, b: Type, kinds: bool = True) -> bool:
    """Whether ``a`` and ``b`` are the same type up to renaming variables (a bijection),
    the order of record fields (with repeated labels kept in order) and of kinds."""
    return _Equiv(kinds).eq(a, b)


class _Equiv:
    def __init__(self, kinds: bool = True) -> None:
        self.kinds = kinds
        self.ab: Dict[VarKey, VarKey] = {}
        self.ba: Dict[VarKey, VarKey] = {}

    def _vars(self, a: Union[Var, Bound], b: Union[Var, Bound]) -> bool:
        ka, kb = var_key(a), var_key(b)
        if ka in self.ab or kb in self.ba:
            return self.ab.get(ka) == kb and self.ba.get(kb) == ka
        if self.kinds and sorted(set(a.kinds or ())) != sorted(set(b.kinds or ())):
            return False
        self.ab[ka] = kb
        self.ba[kb] = ka
        return True

    def eq(self, a: Type, b: Type) -> bool:
        a = prune(a)
        b = prune(b)
        if isinstance(a, (Var, Bound)) and isinstance(b, (Var, Bound)):
            return self._vars(a, b)
        if type(a) is not type(b):
            return False
        if type(a) is Basic:
            return a is b
        if type(a) is Label and type(b) is Label:
            return a.value == b.value
        if type(a) is Collection and type(b) is Collection:
            return a.coll == b.coll and self.eq(a.elem, b.elem)
        if type(a) is Dict_ and type(b) is Dict_:
            return self.eq(a.key, b.key) and self.eq(a.val, b.val)
        if type(a) is EmptyRecord or type(a) is ErrorType:
            return True
        if type(a) is Record:
            return self._records(a, b)
        if type(a) is Function and type(b) is Function:
            return self._functions(a, b)
        return False

    def _records(self, a: Type, b: Type) -> bool:
        fa, taila = record_fields(a)
        fb, tailb = record_fields(b)
        if len(fa) != len(fb):
            return False
        # group by label, keeping the order of repeated labels
        ga: Dict[str, List[Type]] = {}
        gb: Dict[str, List[Type]] = {}
        for label, t in fa:
            ga.setdefault(label, []).append(t)
        for label, t in fb:
            gb.setdefault(label, []).append(t)
        if set(ga) != set(gb):
            return False
        for label in sorted(ga):
            la, lb = ga[label], gb[label]
            if len(la) != len(lb):
                return False
            if len(la) == 1:
                if not self.eq(la[0], lb[0]):
                    return False
                continue
            # a repeated label: its types in some order (libflux's tests disagree
            # with its own printer about that order)
            for perm in itertools.permutations(lb):
                saved = (dict(self.ab), dict(self.ba))
                if all(self.eq(x, y) for x, y in zip(la, perm)):
                    break
                self.ab, self.ba = saved
            else:
                return False
        return self.eq(taila, tailb)

    def _functions(self, a: Function, b: Function) -> bool:
        if set(a.req) != set(b.req) or set(a.opt) != set(b.opt):
            return False
        if a.pipe is None or b.pipe is None:
            if a.pipe is not b.pipe:
                return False
        elif a.pipe[0] != b.pipe[0] or not self.eq(a.pipe[1], b.pipe[1]):
            return False
        for k in sorted(a.req):
            if not self.eq(a.req[k], b.req[k]):
                return False
        for k in sorted(a.opt):
            if not self.eq(a.opt[k][0], b.opt[k][0]):
                return False
        return self.eq(a.ret, b.ret)


CLOUD_NAMES = frozenset(("bool", "int", "uint", "float", "string", "time", "duration"))


def cloud_name(t: Type) -> str:
    """The name InfluxDB Cloud's params endpoint gives a type: a basic name or ``any``."""
    t = prune(t)
    if type(t) is Basic and t.name in CLOUD_NAMES:
        return t.name
    return "any"
