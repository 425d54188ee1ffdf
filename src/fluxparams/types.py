"""Type terms, kinds and unification, following libflux's ``semantic/types.rs``.

Terms are small immutable objects except :class:`Var`, a union-find node:
``Var.ref`` is ``None`` while the variable is free, and otherwise points at the
variable it was merged with or the type it was bound to. :func:`prune` follows
those links (compressing the path), so a substitution is never applied by
rebuilding terms.

Records are libflux's chains: ``Record(label, type, tail)`` ends in
:data:`EMPTY` or a variable. Labels may repeat (``{A with _value: float,
_value: float}`` is a valid stdlib type), and unification walks the chains
head by head exactly as libflux's five record rules say.

:class:`Unifier` collects :class:`TypeError_` values instead of raising:
libflux keeps inferring after an error, and so must we.
"""
from __future__ import annotations

import itertools
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

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

BASIC_KINDS: Dict[str, frozenset] = {
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

_LABEL_KINDS = frozenset(("Addable", "Comparable", "Equatable", "Label", "Nullable", "Basic",
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


def record(fields, tail: Type = EMPTY) -> Type:
    """Build a chain from ``[(label, type), ...]`` (first field at the head)."""
    result = tail
    for label, typ in reversed(list(fields)):
        result = Record(label, typ, result)
    return result


class Function(Type):
    """``req``/``opt`` map names to types; ``opt`` values are ``(type, default)``.

    ``pipe`` is ``(name, type)`` or None; the name ``"<-"`` is the unnamed pipe
    parameter (``<-: T`` in a signature, or what a call with ``|>`` supplies).
    """
    __slots__ = ("req", "opt", "pipe", "ret")

    def __init__(self, req: Dict[str, Type], opt: Dict[str, Tuple[Type, Optional[Type]]],
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
        return format_scheme(self)


def mono(t: Type) -> Scheme:
    return Scheme([], t)


def prune(t: Type) -> Type:
    """The representative of ``t``: follows Var links, compressing the path."""
    if type(t) is not Var or t.ref is None:
        return t
    root = t.ref
    while type(root) is Var and root.ref is not None:
        root = root.ref
    # path compression
    while type(t) is Var and t.ref is not None and t.ref is not root:
        nxt = t.ref
        t.ref = root
        t = nxt
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


# ---------------------------------------------------------------------------
# Errors (types.rs Error, same message text)
# ---------------------------------------------------------------------------

_TYPE_INFO = {"array": " (array)", "vector": " (vector)", "stream": ""}


def _type_info(t: Type) -> str:
    t = prune(t)
    if type(t) is Function:
        return " (function)"
    if type(t) is Dict_:
        return " (dictionary)"
    if type(t) in (Record, EmptyRecord):
        return " (record)"
    if type(t) is Collection:
        return _TYPE_INFO[t.coll]
    if t is DYNAMIC:
        return " (dynamic)"
    return ""


class TypeError_:
    """One unification failure; ``message`` renders it as libflux does (lazily, final types)."""
    __slots__ = ("tag", "exp", "act", "name", "cause", "loc")

    def __init__(self, tag: str, exp=None, act=None, name: Optional[str] = None,
                 cause: Optional["TypeError_"] = None, loc=None) -> None:
        self.tag = tag
        self.exp = exp
        self.act = act
        self.name = name
        self.cause = cause
        self.loc = loc  # set when a nested unification knows better (argument position)

    def innermost(self) -> "TypeError_":
        e = self
        while e.cause is not None:
            e = e.cause
        return e

    @property
    def message(self) -> str:
        tag = self.tag
        if tag == "unify":
            return self._expected_found()
        if tag == "kind":
            names = {}
            _name_for_message(self.act, names)
            return f"{format_type(self.act, names, True)}{_type_info(self.act)} is not {self.exp}"
        if tag == "occurs":
            return f"recursive types not supported {format_type(self.exp, {})} != {format_type(self.act, {})}"
        if tag == "missing_label":
            return f"record is missing label {self.name}"
        if tag == "extra_label":
            return f"found unexpected label {self.name}"
        if tag == "label":
            return f"{self._expected_found()} for label {self.name} caused by {self.cause.message}"
        if tag == "missing_argument":
            return f"missing required argument {self.name}"
        if tag == "extra_argument":
            hint = ""
            expected = self.exp or []
            if len(expected) == 1:
                hint = f" (Expected `{expected[0]}`)"
            elif expected:
                listed = ", ".join(f"`{e}`" for e in expected[:-1])
                hint = f" (Expected one of {listed} or `{expected[-1]}`)"
            return f"found unexpected argument {self.name}{hint}"
        if tag == "argument":
            return f"{self.cause.message} (argument {self.name})"
        if tag == "return":
            return f"{self._expected_found()} for return type caused by {self.cause.message}"
        if tag == "missing_pipe":
            return "missing pipe argument"
        if tag == "multiple_pipe":
            return f"expected pipe argument {self.exp} but found {self.act}"
        return tag

    def _expected_found(self) -> str:
        # both sides share one naming of variables, as libflux's messages do
        names: Dict = {}
        _name_for_message(self.exp, names)
        _name_for_message(self.act, names)
        exp = format_type(self.exp, names, True)
        act = format_type(self.act, names, True)
        return f"expected {exp}{_type_info(self.exp)} but found {act}{_type_info(self.act)}"

    def __repr__(self) -> str:
        return f"<TypeError {self.message}>"


# ---------------------------------------------------------------------------
# Unification
# ---------------------------------------------------------------------------

class Unifier:
    """Fresh variables and the unification algorithm (expected type first, as in libflux)."""

    def __init__(self) -> None:
        self.next_id = 0

    def fresh(self, kinds: Optional[List[str]] = None) -> Var:
        v = Var(self.next_id, kinds)
        self.next_id += 1
        return v

    # -- kinds ---------------------------------------------------------------

    def constrain(self, t: Type, kind: str) -> Optional[TypeError_]:
        """Require ``t`` to satisfy ``kind``; returns the error or None."""
        t = prune(t)
        tt = type(t)
        if tt is Var:
            if t.kinds is None:
                t.kinds = [kind]
            elif kind not in t.kinds:
                t.kinds.append(kind)
            return None
        if tt is Basic:
            return None if kind in BASIC_KINDS[t.name] else TypeError_("kind", kind, t)
        if tt is ErrorType or tt is Bound:
            return None
        if tt is Label:
            return None if kind in _LABEL_KINDS else TypeError_("kind", kind, t)
        if tt is Collection:
            if t.coll == "vector":
                return self.constrain(t.elem, kind)
            if kind == "Equatable":
                return self.constrain(t.elem, kind)
            return TypeError_("kind", kind, t)
        if tt is Record or tt is EmptyRecord:
            if kind == "Record":
                return None
            if kind == "Equatable":
                cur = t
                while type(cur) is Record:
                    err = self.constrain(cur.type, kind)
                    if err is not None:
                        return err
                    cur = prune(cur.tail)
                if type(cur) is not EmptyRecord:
                    return self.constrain(cur, kind)
                return None
            return TypeError_("kind", kind, t)
        return TypeError_("kind", kind, t)

    # -- variables -------------------------------------------------------------

    def _union(self, a: Var, b: Var) -> None:
        a.ref = b
        if a.kinds:
            if b.kinds is None:
                b.kinds = list(a.kinds)
            else:
                for k in a.kinds:
                    if k not in b.kinds:
                        b.kinds.append(k)
        a.kinds = None

    def _bind(self, v: Var, t: Type, errors: list) -> None:
        if occurs(v, t):
            errors.append(TypeError_("occurs", v, t))
            return
        v.ref = t
        kinds = v.kinds
        v.kinds = None
        if kinds:
            for k in kinds:
                err = self.constrain(t, k)
                if err is not None:
                    errors.append(err)
                    break

    # -- the algorithm -------------------------------------------------------

    def unify(self, exp: Type, act: Type, errors: list) -> None:
        exp = prune(exp)
        act = prune(act)
        if exp is act:
            return
        te = type(exp)
        ta = type(act)
        shown_exp, shown_act = exp, act
        # libflux v0.193 (the oracle) unifies a label only with itself or a variable;
        # later versions read it as a string.
        if te is Label and ta is Label and exp.value == act.value:
            return
        if te is ErrorType or ta is ErrorType:
            return
        if te is Var:
            if ta is Var:
                self._union(exp, act)
            else:
                self._bind(exp, act, errors)
            return
        if ta is Var:
            self._bind(act, exp, errors)
            return
        if te is Basic and ta is Basic:
            if exp is not act:
                errors.append(TypeError_("unify", shown_exp, shown_act))
            return
        if te is Collection and ta is Collection:
            if exp.coll != act.coll:
                errors.append(TypeError_("unify", exp, act))
            self.unify(exp.elem, act.elem, errors)
            return
        if te is Dict_ and ta is Dict_:
            self.unify(exp.key, act.key, errors)
            self.unify(exp.val, act.val, errors)
            return
        if (te is Record or te is EmptyRecord) and (ta is Record or ta is EmptyRecord):
            self._unify_records(exp, act, errors)
            return
        if te is Function and ta is Function:
            self.unify_functions(exp, act, errors)
            return
        errors.append(TypeError_("unify", shown_exp, shown_act))

    def _unify_records(self, exp: Type, act: Type, errors: list) -> None:
        # The five rules of types.rs Record::unify; loops instead of recursing along the chain.
        while True:
            te = type(exp)
            ta = type(act)
            if te is EmptyRecord and ta is EmptyRecord:
                return
            if te is Record and ta is Record:
                l = prune(exp.tail)
                r = prune(act.tail)
                a, b = exp.label, act.label
                if type(l) is Var and l is r:
                    if a == b:
                        sub: list = []
                        self.unify(exp.type, act.type, sub)
                        for e in sub:
                            errors.append(TypeError_("label", exp.type, act.type, a, e))
                    else:
                        errors.append(TypeError_("unify", exp, act))
                    return
                if a == b:
                    self.unify(exp.type, act.type, errors)
                    exp, act = l, r
                    # continue with the tails (types.rs: l.unify(r))
                    if type(exp) in (Record, EmptyRecord) and type(act) in (Record, EmptyRecord):
                        continue
                    self.unify(exp, act, errors)
                    return
                v = self.fresh()
                self.unify(l, Record(b, act.type, v), errors)
                self.unify(Record(a, exp.type, v), r, errors)
                return
            if te is Record and ta is EmptyRecord:
                errors.append(TypeError_("missing_label", name=exp.label))
                return
            if te is EmptyRecord and ta is Record:
                errors.append(TypeError_("extra_label", name=act.label))
                return
            errors.append(TypeError_("unify", exp, act))
            return

    def unify_functions(self, f: Function, g: Function, errors: list, arg_locs=None,
                        call_loc=None) -> None:
        """types.rs Function::unify: ``f`` is expected (the callee), ``g`` actual (the call).

        ``arg_locs`` maps g's parameter names to source positions (a call's arguments);
        errors about one argument carry that position in ``.loc``.
        """
        arg_locs = arg_locs or {}
        freq = f.req
        greq = g.req
        if f.pipe is not None and g.pipe is not None:
            fk, fv = f.pipe
            gk, gv = g.pipe
            if fk != "<-" and gk != "<-" and fk != gk:
                errors.append(TypeError_("multiple_pipe", fk, gk, loc=arg_locs.get(gk)))
            else:
                freq = dict(freq)
                freq[fk] = fv
                greq = dict(greq)
                greq[fk] = gv
                if gk in arg_locs:
                    arg_locs = dict(arg_locs)
                    arg_locs[fk] = arg_locs[gk]
        elif f.pipe is not None:
            fk, fv = f.pipe
            if fk == "<-":
                errors.append(TypeError_("missing_pipe", loc=call_loc))
            else:
                freq = dict(freq)
                freq[fk] = fv
        elif g.pipe is not None:
            gk, gv = g.pipe
            if gk == "<-":
                errors.append(TypeError_("missing_pipe", loc=arg_locs.get(gk)))
            else:
                greq = dict(greq)
                greq[gk] = gv
        extra = [name for name in sorted(greq) if name not in freq and name not in f.opt]
        if extra:
            # libflux suggests the parameters the call did not supply
            unused = ([n for n in sorted(freq) if n not in greq and n not in g.opt]
                      + [n for n in sorted(f.opt) if n not in greq and n not in g.opt])
            for name in extra:
                errors.append(TypeError_("extra_argument", unused, name=name, loc=arg_locs.get(name)))
        for name in sorted(freq):
            act = greq.get(name)
            if act is None:
                o = g.opt.get(name)
                act = o[0] if o is not None else None
            if act is not None:
                self._merge_argument(freq[name], act, name, errors, arg_locs.get(name))
            else:
                errors.append(TypeError_("missing_argument", name=name, loc=call_loc))
        for name in sorted(f.opt):
            typ, default = f.opt[name]
            act = greq.get(name)
            if act is None:
                o = g.opt.get(name)
                act = o[0] if o is not None else None
            if act is not None:
                self._merge_argument(typ, act, name, errors, arg_locs.get(name))
            elif default is not None:
                self._merge_argument(typ, default, name, errors, None)
        sub: list = []
        self.unify(f.ret, g.ret, sub)
        for e in sub:
            errors.append(TypeError_("return", f.ret, g.ret, cause=e, loc=call_loc))

    def _merge_argument(self, exp: Type, act: Type, name: str, errors: list, loc) -> None:
        sub: list = []
        self.unify(exp, act, sub)
        for e in sub:
            errors.append(TypeError_("argument", name=name, cause=e, loc=loc if loc is not None else e.loc))


def _children(t: Type) -> List[Type]:
    """The types directly inside ``t`` (for walks where their order does not matter)."""
    tt = type(t)
    if tt is Collection:
        return [t.elem]
    if tt is Record:
        return [t.type, t.tail]
    if tt is Dict_:
        return [t.key, t.val]
    if tt is Function:
        inner = list(t.req.values())
        inner.extend(o[0] for o in t.opt.values())
        if t.pipe is not None:
            inner.append(t.pipe[1])
        inner.append(t.ret)
        return inner
    return []


def occurs(v: Var, t: Type) -> bool:
    """Does ``v`` occur in ``t``? (Iterative: types can be as deep as the script.)"""
    stack = [t]
    while stack:
        t = prune(stack.pop())
        if t is v:
            return True
        stack.extend(_children(t))
    return False


def free_vars(t: Type, into: Dict[int, Var]) -> Dict[int, Var]:
    """Adds the free (unbound) variables of ``t`` to ``into`` in order of appearance."""
    stack = [t]
    while stack:
        t = prune(stack.pop())
        tt = type(t)
        if tt is Var:
            if t.id not in into:
                into[t.id] = t
        elif tt is Collection:
            stack.append(t.elem)
        elif tt is Record:
            stack.append(t.tail)
            stack.append(t.type)
        elif tt is Dict_:
            stack.append(t.val)
            stack.append(t.key)
        elif tt is Function:
            stack.append(t.ret)
            for o in reversed(list(t.opt.values())):
                if o[1] is not None:
                    stack.append(o[1])
                stack.append(o[0])
            stack.extend(reversed(list(t.req.values())))
            if t.pipe is not None:
                stack.append(t.pipe[1])
    return into


# ---------------------------------------------------------------------------
# Generalisation and instantiation
# ---------------------------------------------------------------------------

def generalize(t: Type, env_free: Dict[int, Var]) -> Scheme:
    """Quantify the variables of ``t`` that are not free in the environment.

    The scheme gets its own copy of the term (quantified variables become Bound),
    so a later binding of the original variables cannot change it.
    """
    fv = free_vars(t, {})
    mapping: Dict[int, Bound] = {}
    bounds: List[Bound] = []
    for vid, v in fv.items():
        if vid not in env_free:
            b = Bound(len(bounds), list(v.kinds) if v.kinds else None)
            mapping[vid] = b
            bounds.append(b)
    if not bounds:
        return Scheme([], t)
    return Scheme(bounds, _rebuild(t, lambda v: mapping.get(v.id, v) if type(v) is Var else v))


def _rebuild(t: Type, leaf: Callable[[Type], Type]) -> Type:
    """A copy of ``t``'s structure with each variable (Var or Bound) replaced by ``leaf(v)``.

    Generalisation (Var -> Bound) and instantiation (Bound -> fresh Var) are both this copy.
    """
    t = prune(t)
    tt = type(t)
    if tt is Var or tt is Bound:
        return leaf(t)
    if tt is Collection:
        return Collection(t.coll, _rebuild(t.elem, leaf))
    if tt is Record:
        # iterate the chain to keep recursion shallow on long records
        links = []
        cur: Type = t
        while type(cur) is Record:
            links.append((cur.label, _rebuild(cur.type, leaf)))
            cur = prune(cur.tail)
        return record(links, _rebuild(cur, leaf))
    if tt is Dict_:
        return Dict_(_rebuild(t.key, leaf), _rebuild(t.val, leaf))
    if tt is Function:
        return Function(
            {k: _rebuild(v, leaf) for k, v in t.req.items()},
            {k: (_rebuild(v, leaf), None if d is None else _rebuild(d, leaf))
             for k, (v, d) in t.opt.items()},
            None if t.pipe is None else (t.pipe[0], _rebuild(t.pipe[1], leaf)),
            _rebuild(t.ret, leaf),
        )
    return t


def instantiate(s: Scheme, unifier: Unifier) -> Type:
    if not s.vars:
        return s.expr
    fresh = [unifier.fresh(list(b.kinds) if b.kinds else None) for b in s.vars]
    return _rebuild(s.expr, _bound_to(fresh))


def _bound_to(targets: Sequence[Type]) -> Callable[[Type], Type]:
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
        renumbered = []
        for b in s.vars:
            nb = Bound(len(bounds), b.kinds)
            bounds.append(nb)
            renumbered.append(nb)
        fields.append((name, _rebuild(s.expr, _bound_to(renumbered)) if renumbered else s.expr))
    return Scheme(bounds, record(fields))


# ---------------------------------------------------------------------------
# Printing in libflux's format
# ---------------------------------------------------------------------------

def _letter(n: int) -> str:
    return chr(ord("A") + n) if n < 26 else f"t{n}"


def format_type(t: Type, names: Optional[Dict[int, str]] = None, reverse_records: bool = False) -> str:
    """libflux's text for ``t``; variables get A, B, C… in order of appearance.

    ``names`` (variable key -> letter) can be shared between calls so that
    several types printed together use one naming.
    """
    if names is None:
        names = {}
    out: List[str] = []
    _fmt(t, names, out, reverse_records)
    return "".join(out)


def _var_name(key, names: Dict) -> str:
    name = names.get(key)
    if name is None:
        name = _letter(len(names))
        names[key] = name
    return name


def _name_for_message(t: Type, names: Dict) -> None:
    """Name variables in the order libflux's error messages do: a record's tail before its
    fields, the fields in ascending label order."""
    t = prune(t)
    tt = type(t)
    if tt is Var:
        _var_name(t.id, names)
    elif tt is Bound:
        _var_name(("b", t.index), names)
    elif tt is Collection:
        _name_for_message(t.elem, names)
    elif tt is Dict_:
        _name_for_message(t.key, names)
        _name_for_message(t.val, names)
    elif tt is Record:
        links = []
        cur: Type = t
        while type(cur) is Record:
            links.append(cur)
            cur = prune(cur.tail)
        if type(cur) is not EmptyRecord:
            _name_for_message(cur, names)
        for f in sorted(links, key=lambda f: f.label):
            _name_for_message(f.type, names)
    elif tt is Function:
        if t.pipe is not None:
            _name_for_message(t.pipe[1], names)
        for k in sorted(t.req):
            _name_for_message(t.req[k], names)
        for k in sorted(t.opt):
            _name_for_message(t.opt[k][0], names)
        _name_for_message(t.ret, names)


def _fmt(t: Type, names: Dict, out: List[str], rev: bool = False) -> None:
    out.append(_text(t, names, rev))


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def _text(t: Type, names: Dict, msg: bool) -> str:
    """One type's text; ``msg`` selects the layout of libflux's error messages: record fields
    in descending label order, and records or parameter lists of more than four entries (and
    what holds them) spread over lines."""
    t = prune(t)
    tt = type(t)
    if tt is Basic:
        return t.name
    if tt is Var:
        return _var_name(t.id, names)
    if tt is Bound:
        return _var_name(("b", t.index), names)
    if tt is Collection:
        prefix = {"array": "[", "stream": "stream[", "vector": "vector["}[t.coll]
        return prefix + _text(t.elem, names, msg) + "]"
    if tt is Dict_:
        return "[" + _text(t.key, names, msg) + ": " + _text(t.val, names, msg) + "]"
    if tt is EmptyRecord:
        return "{}"
    if tt is Record:
        links = []
        cur: Type = t
        while type(cur) is Record:
            links.append(cur)
            cur = prune(cur.tail)
        if msg:
            links.sort(key=lambda f: f.label)
            links.reverse()
        tail = None if type(cur) is EmptyRecord else _text(cur, names, msg)
        parts = [f"{f.label}: {_text(f.type, names, msg)}" for f in links]
        if msg and (len(parts) > 4 or any("\n" in p for p in parts)):
            lines = ["{"]
            if tail is not None:
                lines.append(f"    {tail} with")
            lines.extend(f"    {_indent(p)}," for p in parts)
            return "\n".join(lines) + "\n}"
        body = ", ".join(parts)
        return "{" + (f"{tail} with " if tail is not None else "") + body + "}"
    if tt is Function:
        parts = []
        if t.pipe is not None:
            head = "<-: " if t.pipe[0] == "<-" else f"<-{t.pipe[0]}: "
            parts.append(head + _text(t.pipe[1], names, msg))
        for k in sorted(t.req):
            parts.append(f"{k}: " + _text(t.req[k], names, msg))
        for k in sorted(t.opt):
            typ, default = t.opt[k]
            text = f"?{k}: " + _text(typ, names, msg)
            if default is not None and type(prune(default)) is Label:
                text += f" = .{prune(default).value}"
            parts.append(text)
        if msg and (len(parts) > 4 or any("\n" in p for p in parts)):
            args = "(\n" + "".join(f"    {_indent(p)},\n" for p in parts) + ")"
        else:
            args = "(" + ", ".join(parts) + ")"
        return args + " => " + _text(t.ret, names, msg)
    if tt is Label:
        return f".{t.value}"
    if tt is ErrorType:
        return "<error>"
    return "?"  # pragma: no cover - every term class is handled above


def _kinds_of(t: Type):
    t = prune(t)
    if type(t) is Var or type(t) is Bound:
        return t.kinds
    return None


def format_with_constraints(types: List[Type], names: Optional[Dict] = None) -> Tuple[List[str], str]:
    """Print several types with one naming; returns the texts and the ``where`` clause."""
    if names is None:
        names = {}
    texts = [format_type(t, names) for t in types]
    # kinds of the named variables
    found: Dict = {}
    for t in types:
        _collect_kinds(t, found)
    cons = []
    for key, kinds in found.items():
        if kinds and key in names:
            cons.append((names[key], " + ".join(sorted(set(kinds)))))
    cons.sort(key=lambda c: (len(c[0]), c[0]))
    where = ", ".join(f"{n}: {k}" for n, k in cons)
    return texts, where


def _collect_kinds(t: Type, found: Dict) -> None:
    stack = [t]
    while stack:
        t = prune(stack.pop())
        tt = type(t)
        if tt is Var:
            found[t.id] = t.kinds
        elif tt is Bound:
            found[("b", t.index)] = t.kinds
        else:
            stack.extend(_children(t))


def format_scheme(s) -> str:
    """``(?x: A) => A where A: Addable`` for a Scheme or a plain type."""
    t = s.expr if isinstance(s, Scheme) else s
    texts, where = format_with_constraints([t])
    return texts[0] + (f" where {where}" if where else "")


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
        self.ab: Dict = {}
        self.ba: Dict = {}

    def _key(self, t):
        return t.id if type(t) is Var else ("b", t.index)

    def _vars(self, a, b) -> bool:
        ka, kb = self._key(a), self._key(b)
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
        ta, tb = type(a), type(b)
        if ta in (Var, Bound) and tb in (Var, Bound):
            return self._vars(a, b)
        if ta is not tb:
            return False
        if ta is Basic:
            return a is b
        if ta is Label:
            return a.value == b.value
        if ta is Collection:
            return a.coll == b.coll and self.eq(a.elem, b.elem)
        if ta is Dict_:
            return self.eq(a.key, b.key) and self.eq(a.val, b.val)
        if ta is EmptyRecord or ta is ErrorType:
            return True
        if ta is Record:
            fa, taila = _fields(a)
            fb, tailb = _fields(b)
            if len(fa) != len(fb):
                return False
            # group by label, keeping the order of repeated labels
            ga: Dict[str, list] = {}
            gb: Dict[str, list] = {}
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
        if ta is Function:
            if set(a.req) != set(b.req) or set(a.opt) != set(b.opt):
                return False
            if (a.pipe is None) != (b.pipe is None):
                return False
            if a.pipe is not None:
                if a.pipe[0] != b.pipe[0] or not self.eq(a.pipe[1], b.pipe[1]):
                    return False
            for k in sorted(a.req):
                if not self.eq(a.req[k], b.req[k]):
                    return False
            for k in sorted(a.opt):
                if not self.eq(a.opt[k][0], b.opt[k][0]):
                    return False
            return self.eq(a.ret, b.ret)
        return False


def _fields(t: Type):
    out = []
    t = prune(t)
    while type(t) is Record:
        out.append((t.label, t.type))
        t = prune(t.tail)
    return out, t


CLOUD_NAMES = frozenset(("bool", "int", "uint", "float", "string", "time", "duration"))


def cloud_name(t: Type) -> str:
    """The name InfluxDB Cloud's params endpoint gives a type: a basic name or ``any``."""
    t = prune(t)
    if type(t) is Basic and t.name in CLOUD_NAMES:
        return t.name
    return "any"
