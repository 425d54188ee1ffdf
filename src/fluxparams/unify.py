"""Unification, generalisation and instantiation (libflux's ``semantic/types.rs``).

The expected type comes first, as in libflux. Records unify by libflux's five
rules, walking the chains head by head. Failures are appended to an ``errors``
list as :class:`~fluxparams.typeerrors.UnificationError` values instead of being
raised: libflux keeps inferring after an error, and so must we.
"""
from __future__ import annotations

from typing import Container, Dict, List, Optional, Tuple

from .tree import Loc
from .typeerrors import UnificationError
from .typeterms import (
    BASIC_KINDS,
    EMPTY,
    LABEL_KINDS,
    Basic,
    Bound,
    Collection,
    Dict_,
    EmptyRecord,
    ErrorType,
    Function,
    Label,
    Record,
    Scheme,
    Type,
    Var,
    bound_to,
    children,
    free_vars,
    prune,
    rebuild,
    record,
)

Errors = List[UnificationError]


class Unifier:
    """Fresh variables and the unification algorithm (expected type first, as in libflux)."""

    # records with at least this many fields (both sides together) take the direct path of
    # :meth:`_unify_rows` when it applies; smaller ones always walk libflux's rules
    rows_direct_from = 16

    def __init__(self) -> None:
        self.next_id = 0
        self._walking = False  # inside libflux's record walk (see _unify_records)
        # when a list: every variable bound (to a type or to another variable) is appended,
        # so a caller can update what it derived from the variables incrementally
        self.bound_log: Optional[List[Var]] = None

    def fresh(self, kinds: Optional[List[str]] = None) -> Var:
        v = Var(self.next_id, kinds)
        self.next_id += 1
        return v

    # -- kinds ---------------------------------------------------------------

    def constrain(self, t: Type, kind: str) -> Optional[UnificationError]:
        """Require ``t`` to satisfy ``kind``; returns the error or None."""
        t = prune(t)
        if type(t) is Var:
            if t.kinds is None:
                t.kinds = [kind]
            elif kind not in t.kinds:
                t.kinds.append(kind)
            return None
        if type(t) is Basic:
            return None if kind in BASIC_KINDS[t.name] else UnificationError("kind", actual=t, kind=kind)
        if type(t) is ErrorType or type(t) is Bound:
            return None
        if type(t) is Label:
            return None if kind in LABEL_KINDS else UnificationError("kind", actual=t, kind=kind)
        if type(t) is Collection:
            if t.coll == "vector" or kind == "Equatable":
                return self.constrain(t.elem, kind)
            return UnificationError("kind", actual=t, kind=kind)
        if type(t) is Record or type(t) is EmptyRecord:
            if kind == "Record":
                return None
            if kind == "Equatable":
                cur: Type = t
                while type(cur) is Record:
                    err = self.constrain(cur.type, kind)
                    if err is not None:
                        return err
                    cur = prune(cur.tail)
                if type(cur) is not EmptyRecord:
                    return self.constrain(cur, kind)
                return None
        return UnificationError("kind", actual=t, kind=kind)

    # -- variables -------------------------------------------------------------

    def _union(self, a: Var, b: Var) -> None:
        a.ref = b
        if self.bound_log is not None:
            self.bound_log.append(a)
        if a.kinds:
            if b.kinds is None:
                b.kinds = list(a.kinds)
            else:
                for k in a.kinds:
                    if k not in b.kinds:
                        b.kinds.append(k)
        a.kinds = None

    def _bind(self, v: Var, t: Type, errors: Errors) -> None:
        if occurs(v, t):
            errors.append(UnificationError("occurs", v, t))
            return
        v.ref = t
        if self.bound_log is not None:
            self.bound_log.append(v)
        kinds = v.kinds
        v.kinds = None
        if kinds:
            for k in kinds:
                err = self.constrain(t, k)
                if err is not None:
                    errors.append(err)
                    break

    # -- the algorithm -------------------------------------------------------

    def unify(self, exp: Type, act: Type, errors: Errors) -> None:
        exp = prune(exp)
        act = prune(act)
        if exp is act:
            return
        # libflux v0.193 (the oracle) unifies a label only with itself or a variable;
        # later versions read it as a string.
        if type(exp) is Label and type(act) is Label and exp.value == act.value:
            return
        if type(exp) is ErrorType or type(act) is ErrorType:
            return
        if type(exp) is Var:
            if type(act) is Var:
                self._union(exp, act)
            else:
                self._bind(exp, act, errors)
            return
        if type(act) is Var:
            self._bind(act, exp, errors)
            return
        if type(exp) is Collection and type(act) is Collection:
            if exp.coll != act.coll:
                errors.append(UnificationError("unify", exp, act))
            self.unify(exp.elem, act.elem, errors)
            return
        if type(exp) is Dict_ and type(act) is Dict_:
            self.unify(exp.key, act.key, errors)
            self.unify(exp.val, act.val, errors)
            return
        if (type(exp) is Record or type(exp) is EmptyRecord) and (
                type(act) is Record or type(act) is EmptyRecord):
            self._unify_records(exp, act, errors)
            return
        if type(exp) is Function and type(act) is Function:
            self.unify_functions(exp, act, errors)
            return
        # two different basic types, or terms of different shapes
        errors.append(UnificationError("unify", exp, act))

    def _unify_records(self, exp: Type, act: Type, errors: Errors) -> None:
        if not self._walking:
            if self._unify_rows(exp, act, errors):
                return
            # not the direct path: the rewritten chains of libflux's walk below do not take it
            # either (each try would cost a pass over the chain)
            self._walking = True
            try:
                self._walk_records(exp, act, errors)
            finally:
                self._walking = False
            return
        self._walk_records(exp, act, errors)

    def _walk_records(self, exp: Type, act: Type, errors: Errors) -> None:
        # The five rules of types.rs Record::unify; loops instead of recursing along the chain.
        while True:
            if type(exp) is EmptyRecord and type(act) is EmptyRecord:
                return
            if type(exp) is Record and type(act) is Record:
                left = prune(exp.tail)
                right = prune(act.tail)
                a, b = exp.label, act.label
                if type(left) is Var and left is right:
                    if a == b:
                        sub: Errors = []
                        self.unify(exp.type, act.type, sub)
                        for e in sub:
                            errors.append(UnificationError("label", exp.type, act.type, name=a, cause=e))
                    else:
                        errors.append(UnificationError("unify", exp, act))
                    return
                if a == b:
                    self.unify(exp.type, act.type, errors)
                    exp, act = left, right
                    # continue with the tails (types.rs: l.unify(r))
                    if type(exp) in (Record, EmptyRecord) and type(act) in (Record, EmptyRecord):
                        continue
                    self.unify(exp, act, errors)
                    return
                v = self.fresh()
                self.unify(left, Record(b, act.type, v), errors)
                self.unify(Record(a, exp.type, v), right, errors)
                return
            if type(exp) is Record and type(act) is EmptyRecord:
                errors.append(UnificationError("missing_label", name=exp.label))
                return
            if type(exp) is EmptyRecord and type(act) is Record:
                errors.append(UnificationError("extra_label", name=act.label))
                return
            errors.append(UnificationError("unify", exp, act))  # pragma: no cover - records only
            return

    def _unify_rows(self, exp: Type, act: Type, errors: Errors) -> bool:
        """Two wide records in one pass, when the outcome of libflux's rules is known in advance.

        Rule 4 (different head labels) rewrites a whole chain to find one label, so libflux's
        walk costs O(n²) or more for two records of n fields in different orders. When no
        label repeats, the tails are distinct kind-free variables or ``{}`` that no field type
        reaches, and the labels allow it (a closed side has every label of the other), the
        walk can fail only inside field types, and it amounts to: unify the field types of each
        common label in the actual record's order, then extend the expected tail with the
        actual's other fields (in order) and the actual tail with the expected's other fields,
        both ending in one fresh variable. Returns False, having done nothing, otherwise.
        """
        exp_fields: Dict[str, Type] = {}
        act_fields: Dict[str, Type] = {}
        exp_tail = _collect_row(exp, exp_fields)
        act_tail = _collect_row(act, act_fields)
        if (exp_tail is None or act_tail is None or (exp_tail is act_tail and exp_tail is not EMPTY)
                or len(exp_fields) + len(act_fields) < self.rows_direct_from):
            return False
        # the open tails (None: the side is closed, ``{}``)
        ev = exp_tail if isinstance(exp_tail, Var) else None
        av = act_tail if isinstance(act_tail, Var) else None
        if ev is None and av is None:
            if exp_fields.keys() != act_fields.keys():
                return False
        elif av is None:
            if not exp_fields.keys() <= act_fields.keys():
                return False
        elif ev is None:
            if not act_fields.keys() <= exp_fields.keys():
                return False
        for tail in (ev, av):
            if tail is not None and (tail.kinds or any(
                    occurs(tail, t) for t in (*exp_fields.values(), *act_fields.values()))):
                return False
        for label, t in act_fields.items():
            e = exp_fields.get(label)
            if e is not None:
                self.unify(e, t, errors)
        only_act = [(label, t) for label, t in act_fields.items() if label not in exp_fields]
        only_exp = [(label, t) for label, t in exp_fields.items() if label not in act_fields]
        if ev is None:  # {}: the actual tail gets the expected's other fields
            if av is not None:
                self._bind(av, record(only_exp), errors)
        elif av is None:
            self._bind(ev, record(only_act), errors)
        elif not only_act and not only_exp:
            self.unify(ev, av, errors)
        elif not only_act:
            self._bind(av, record(only_exp, ev), errors)
        elif not only_exp:
            self._bind(ev, record(only_act, av), errors)
        else:
            rest = self.fresh()
            self._bind(ev, record(only_act, rest), errors)
            self._bind(av, record(only_exp, rest), errors)
        return True

    def unify_functions(self, f: Function, g: Function, errors: Errors,
                        arg_locs: Optional[Dict[str, Loc]] = None, call_loc: Optional[Loc] = None) -> None:
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
                errors.append(UnificationError("multiple_pipe", name=fk, found=gk, loc=arg_locs.get(gk)))
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
                errors.append(UnificationError("missing_pipe", loc=call_loc))
            else:
                freq = dict(freq)
                freq[fk] = fv
        elif g.pipe is not None:
            gk, gv = g.pipe
            if gk == "<-":
                errors.append(UnificationError("missing_pipe", loc=arg_locs.get(gk)))
            else:
                greq = dict(greq)
                greq[gk] = gv
        extra = [name for name in sorted(greq) if name not in freq and name not in f.opt]
        if extra:
            # libflux suggests the parameters the call did not supply
            unused = ([n for n in sorted(freq) if n not in greq and n not in g.opt]
                      + [n for n in sorted(f.opt) if n not in greq and n not in g.opt])
            for name in extra:
                errors.append(UnificationError("extra_argument", name=name, candidates=unused,
                                               loc=arg_locs.get(name)))
        for name in sorted(freq):
            act = _supplied(g, greq, name)
            if act is not None:
                self._merge_argument(freq[name], act, name, errors, arg_locs.get(name))
            else:
                errors.append(UnificationError("missing_argument", name=name, loc=call_loc))
        for name in sorted(f.opt):
            typ, default = f.opt[name]
            act = _supplied(g, greq, name)
            if act is not None:
                self._merge_argument(typ, act, name, errors, arg_locs.get(name))
            elif default is not None:
                self._merge_argument(typ, default, name, errors, None)
        sub: Errors = []
        self.unify(f.ret, g.ret, sub)
        for e in sub:
            errors.append(UnificationError("return", f.ret, g.ret, cause=e, loc=call_loc))

    def _merge_argument(self, exp: Type, act: Type, name: str, errors: Errors, loc: Optional[Loc]) -> None:
        sub: Errors = []
        self.unify(exp, act, sub)
        for e in sub:
            where = loc if loc is not None else e.loc
            errors.append(UnificationError("argument", name=name, cause=e, loc=where))


class RecordIndex:
    """Field lookups in record chains, each link visited once over all lookups in one chain.

    Reading n fields of one record by walking its chain each time is quadratic; the index
    remembers, per chain head, the first type of each label seen and where the walk stopped
    (chains only grow, when their tail variable is bound).
    """

    def __init__(self) -> None:
        self.heads: Dict[int, Tuple[Record, Dict[str, Type], Type]] = {}

    def find(self, head: Record, label: str) -> Tuple[Optional[Type], Type]:
        """The type of ``label``'s first link in the chain from ``head`` (None if absent),
        and what the chain ends in."""
        entry = self.heads.get(id(head))
        if entry is None or entry[0] is not head:
            labels: Dict[str, Type] = {}
            cur: Type = head
        else:
            _, labels, cur = entry
            found = labels.get(label)
            if found is not None:
                return found, cur
        cur = prune(cur)
        while type(cur) is Record:
            labels.setdefault(cur.label, cur.type)
            cur = prune(cur.tail)
        self.heads[id(head)] = (head, labels, cur)
        return labels.get(label), cur


def _collect_row(t: Type, into: Dict[str, Type]) -> Optional[Type]:
    """Fills ``into`` with a record chain's fields; returns its tail, or None if a label repeats
    or the chain ends in something other than ``{}`` or a variable."""
    t = prune(t)
    while type(t) is Record:
        if t.label in into:
            return None
        into[t.label] = t.type
        t = prune(t.tail)
    return t if type(t) is Var or type(t) is EmptyRecord else None


def _supplied(g: Function, greq: Dict[str, Type], name: str) -> Optional[Type]:
    act = greq.get(name)
    if act is None:
        o = g.opt.get(name)
        act = o[0] if o is not None else None
    return act


def occurs(v: Var, t: Type) -> bool:
    """Does ``v`` occur in ``t``? (Iterative: types can be as deep as the script.)"""
    stack = [t]
    while stack:
        t = prune(stack.pop())
        if t is v:
            return True
        stack.extend(children(t))
    return False


# ---------------------------------------------------------------------------
# Generalisation and instantiation
# ---------------------------------------------------------------------------

def generalize(t: Type, env_free: Container[int]) -> Scheme:
    """Quantify the variables of ``t`` that are not free in the environment (``env_free``
    holds the ids of the environment's free variables).

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
    return Scheme(bounds, rebuild(t, lambda v: mapping.get(v.id, v) if type(v) is Var else v))


def instantiate(s: Scheme, unifier: Unifier) -> Type:
    if not s.vars:
        return s.expr
    fresh: List[Type] = [unifier.fresh(list(b.kinds) if b.kinds else None) for b in s.vars]
    return rebuild(s.expr, bound_to(fresh))
