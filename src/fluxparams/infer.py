"""Type inference for a Flux file: libflux's algorithm (``semantic/nodes.rs``), node for node.

Hindley–Milner with let-polymorphism: a variable assignment generalises the
type of its value over the variables not free in the environment, and every
use of a name instantiates its scheme afresh. Function parameters are
monomorphic inside their body. An undefined identifier (``params`` above all)
gets ONE type variable shared by every use in the file, and that variable
counts as free in the environment, so it is never generalised — not even
inside a function body that is.

Inference walks the tree in libflux's order (statements in order; for a call:
callee, arguments in source order, then the piped value, then one unification
of the callee's type with the call's), unifying as it goes. Each failed
constraint becomes a diagnostic at the node it came from, and inference goes
on: the first use of a param decides its type, a later conflicting use is an
error (FP101, naming both places).
"""
from __future__ import annotations

import difflib
import sys
from collections import ChainMap
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Set, Tuple, Union

from . import diagnostics as D
from . import stdlib, tree
from . import typeterms as T
from .typeerrors import UnificationError
from .typeprint import format_type
from .typeterms import prune
from .unify import Unifier, generalize, instantiate

# The parser bounds nesting depth (libflux rejects more than ~180 levels); a few
# frames per level must fit.
if sys.getrecursionlimit() < 20000:
    sys.setrecursionlimit(20000)

Node = Any  # a syntax tree node (tree.Expression and the rest); dispatched on its class
Side = Tuple[T.Type, Optional[Node]]  # one side of a constraint: its type and the node it came from

_ARITH_KIND = {"+": "Addable", "-": "Subtractable", "*": "Divisible", "/": "Divisible",
               "%": "Divisible", "^": "Divisible"}


class Ref:
    """One ``params.X`` / ``params["X"]`` site."""
    __slots__ = ("name", "loc", "type")

    def __init__(self, name: str, loc: tree.Loc, typ: T.Type) -> None:
        self.name = name
        self.loc = loc
        self.type = typ


class Result:
    """What inference found: the free variable's type, its references, diagnostics and bindings."""

    def __init__(self, free_type: T.Type, references: List[Ref], diagnostics: List[D.Diagnostic],
                 bindings: Dict[str, T.Scheme], rebound_loc: Optional[tree.Loc]) -> None:
        self.free_type = free_type
        self.references = references
        self.diagnostics = diagnostics
        self.bindings = bindings
        self.rebound = rebound_loc is not None
        self.rebound_loc = rebound_loc  # where the script binds the free name itself

    @property
    def errors(self) -> List[Tuple[tree.Loc, str]]:
        """(position, message) of every error libflux reports, in order (each diagnostic that
        stands for one carries it)."""
        return [(d.libflux.loc, d.libflux.message) for d in self.diagnostics if d.libflux is not None]

    def fields(self) -> List[Tuple[str, T.Type]]:
        """The free variable's record fields (first occurrence of each label), in record order."""
        out: List[Tuple[str, T.Type]] = []
        seen: Set[str] = set()
        t = prune(self.free_type)
        while type(t) is T.Record:
            if t.label not in seen:
                seen.add(t.label)
                out.append((t.label, t.type))
            t = prune(t.tail)
        return out


class _Package:
    __slots__ = ("path", "values")

    def __init__(self, path: str, values: Optional[Dict[str, T.Scheme]] = None) -> None:
        self.path = path
        self.values = values  # None: the stdlib package of that path


def _strip(node: Node) -> Node:
    while type(node) is tree.ParenExpression:
        node = node.expression
    return node


def _eloc(node: Node) -> tree.Loc:
    """Where libflux locates an expression: parentheses are not nodes there, and a pipe is
    the call it feeds."""
    node = _strip(node)
    if type(node) is tree.PipeExpression:
        return node.call.loc
    loc: tree.Loc = node.loc
    return loc


def _hint(name: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(candidates), n=1)
    return f"; did you mean {match[0]}?" if match else ""


def _undefined_hint(name: str, candidates: Iterable[str]) -> str:
    # `regexp.compile(...)` without `import "regexp"` is the usual slip: name the import
    # rather than the nearest spelling in scope.
    paths = sorted(p for p in stdlib.packages() if p.rsplit("/", 1)[-1] == name)
    if paths:
        return "; did you mean to " + " or ".join(f'import "{p}"' for p in paths[:3]) + "?"
    return _hint(name, candidates)


def _name_of(key: Union[tree.Identifier, tree.StringLiteral]) -> str:
    """The name of a property key or member property (``a`` or ``"a"``)."""
    return key.name if isinstance(key, tree.Identifier) else key.value


def _describe_callee(node: Node) -> str:
    node = _strip(node)
    if type(node) is tree.Identifier:
        return node.name
    if type(node) is tree.MemberExpression:
        obj = _strip(node.object)
        prop = _name_of(node.property)
        if type(obj) is tree.Identifier:
            return f"{obj.name}.{prop}"
        return prop
    return "function"


Entry = Union[T.Scheme, "_Package"]  # what a name is bound to


class Inferencer:
    """One file's inference: the environment, the unifier and the findings."""

    def __init__(self, free_name: str = "params", env: Optional[Dict[str, T.Scheme]] = None,
                 packages: Optional[Dict[str, Dict[str, T.Scheme]]] = None) -> None:
        self.u = Unifier()
        self.free_name = free_name
        self.base: Dict[str, Entry] = dict(env or {})
        self.extra_packages = packages or {}
        self.scopes: List[Dict[str, Entry]] = [self.base, {}]
        self.monos: List[T.Type] = []
        self.undefined: Dict[str, T.Var] = {}
        # the free variables the undefined identifiers' types reach, kept current from the
        # unifier's log of bindings (recomputing them per statement is quadratic in a script
        # that reads many params)
        self.undefined_free: Dict[int, T.Var] = {}
        # the same for the enclosing function parameters, valid while ``monos`` is ``mono_stack``
        self.mono_free: Dict[int, T.Var] = {}
        self.mono_stack: List[T.Type] = []
        self.u.bound_log = []
        # record chain head -> (head, first type of each label seen, where the walk stopped):
        # a record read field by field is walked once, not once per field
        self.record_index: Dict[int, Tuple[T.Record, Dict[str, T.Type], T.Type]] = {}
        self.refs: List[Ref] = []
        self.field_objs: Dict[str, T.Type] = {}
        self.diags: List[D.Diagnostic] = []
        # libflux's error behind each finding that has one: its text, or the unification
        # error whose text is rendered when inference is over (with the final types)
        self.pending: List[Tuple[D.Diagnostic, tree.Loc, Union[str, UnificationError]]] = []
        self.rebound = False
        self.rebound_loc: Optional[tree.Loc] = None
        self._dispatch: Dict[type, Callable[[Any], T.Type]] = {
            tree.Identifier: self._identifier,
            tree.IntegerLiteral: lambda n: T.INT,
            tree.FloatLiteral: lambda n: T.FLOAT,
            tree.StringLiteral: lambda n: T.STRING,
            tree.DurationLiteral: lambda n: T.DURATION,
            tree.DateTimeLiteral: lambda n: T.TIME,
            tree.RegexpLiteral: lambda n: T.REGEXP,
            tree.LabelLiteral: self._label,
            tree.PipeLiteral: lambda n: self.u.fresh(),
            tree.StringExpression: self._string_expression,
            tree.ParenExpression: lambda n: self.expr(n.expression),
            tree.ArrayExpression: self._array,
            tree.DictExpression: self._dict,
            tree.ObjectExpression: self._object,
            tree.FunctionExpression: self._function,
            tree.CallExpression: self._call,
            tree.PipeExpression: lambda n: self._call(n.call, n.argument),
            tree.MemberExpression: self._member,
            tree.IndexExpression: self._index,
            tree.BinaryExpression: self._binary,
            tree.LogicalExpression: self._logical,
            tree.UnaryExpression: self._unary,
            tree.ConditionalExpression: self._conditional,
        }

    # -- environment -----------------------------------------------------------

    def lookup(self, name: str) -> Optional[Entry]:
        for scope in reversed(self.scopes):
            entry = scope.get(name)
            if entry is not None:
                return entry
        where = stdlib.prelude().get(name)
        if where is not None:
            return stdlib.value_scheme(*where)
        return None

    def names_in_scope(self) -> Set[str]:
        names = set(stdlib.prelude())
        for scope in self.scopes:
            names.update(scope)
        return names

    def env_free(self) -> Mapping[int, T.Var]:
        # Free variables of the environment: what the enclosing function parameters and
        # the undefined identifiers reach (every other binding is a closed scheme or
        # only reaches those).
        monos, stack = self.monos, self.mono_stack
        current = len(monos) == len(stack) and all(a is b for a, b in zip(monos, stack))
        if not current:  # entered or left a function since the last call
            self.mono_free = {}
            for t in monos:
                T.free_vars(t, self.mono_free)
            self.mono_stack = list(monos)
        mono_free, undefined_free = self.mono_free, self.undefined_free
        log = self.u.bound_log
        if log:
            # a reachable variable bound since the last call now stands for what it is bound to
            for v in log:
                if v.id in undefined_free:
                    del undefined_free[v.id]
                    T.free_vars(v, undefined_free)
                if current and v.id in mono_free:
                    del mono_free[v.id]
                    T.free_vars(v, mono_free)
            log.clear()
        return ChainMap(mono_free, undefined_free)  # not merged: that would copy every param's variable

    def bind(self, name: str, scheme: Entry) -> None:
        self.scopes[-1][name] = scheme

    # -- reporting ---------------------------------------------------------------

    def _field_of(self, t: T.Type) -> Optional[str]:
        if type(t) is not T.Var:
            return None
        for name, obj in self.field_objs.items():
            if obj is t:
                return name
        return None

    def _param_ref(self, node: Optional[Node]) -> Optional[str]:
        node = _strip(node) if node is not None else None
        if type(node) is tree.MemberExpression:
            obj = _strip(node.object)
            if type(obj) is tree.Identifier and obj.name == self.free_name and self.lookup(obj.name) is None:
                return _name_of(node.property)
        return None

    def emit(self, diag: D.Diagnostic, libflux: Union[str, UnificationError, None] = None,
             loc: Optional[tree.Loc] = None) -> None:
        """The one way a finding leaves inference. ``libflux`` is the error libflux reports for
        it (at ``loc``, by default the finding's own position), None if libflux reports none."""
        self.diags.append(diag)
        if libflux is not None:
            self.pending.append((diag, loc if loc is not None else diag.loc, libflux))

    def mismatch(self, loc: tree.Loc, message: str) -> None:
        """An error libflux reports as it is (FP102)."""
        self.emit(D.TypeMismatch(loc, message), message)

    def report(self, err: UnificationError, loc: tree.Loc, sides: Tuple[Side, ...] = ()) -> None:
        """Turn a unification error into a diagnostic; ``sides`` are (type, node) pairs of the constraint."""
        if len(sides) == 2 and sides[1][1] is not None and sides[1][1].loc == loc:
            # the side libflux points at speaks first
            sides = (sides[1], sides[0])
        for i, (t, node) in enumerate(sides):
            field = self._param_ref(node) or self._field_of(t)
            if field is None or field not in self.field_objs:
                continue
            site = _eloc(node) if self._param_ref(node) == field else loc
            first = self._first_site(field, site)
            if first is None:
                break
            other = sides[1 - i][0] if len(sides) == 2 else None
            inner = err.innermost()
            if inner.tag == "kind":
                here = inner.kind
            elif other is not None:
                here = format_type(other)
            else:
                here = format_type(inner.expected) if inner.expected is not None else "another type"
            self.emit(D.ConflictingParam(site, field, here, format_type(self.field_objs[field]),
                                         first.line, first.column), err, loc)
            return
        self.emit(D.TypeMismatch(loc, ""), err)

    def _first_site(self, field: str, site: tree.Loc) -> Optional[tree.Loc]:
        best: Optional[tree.Loc] = None
        for r in self.refs:
            if r.name == field and r.loc != site:
                if best is None or (r.loc.line, r.loc.column) < (best.line, best.column):
                    best = r.loc
        return best

    def equal(self, exp: T.Type, act: T.Type, loc: tree.Loc,
              exp_node: Optional[Node] = None, act_node: Optional[Node] = None) -> T.Type:
        errs: List[UnificationError] = []
        self.u.unify(exp, act, errs)
        if not errs:
            return exp
        for e in errs:
            self.report(e, loc, ((exp, exp_node), (act, act_node)))
        return T.ERROR

    def constrain(self, kind: str, t: T.Type, loc: tree.Loc, node: Optional[Node] = None) -> None:
        err = self.u.constrain(t, kind)
        if err is not None:
            self.report(err, loc, ((t, node),))

    # -- statements -----------------------------------------------------------------

    def infer_file(self, file: tree.File) -> None:
        for imp in file.imports:
            self._import(imp)
        for st in file.body:
            self.statement(st, top=True)

    def _import(self, imp: tree.ImportDeclaration) -> None:
        path = imp.path.value
        name = imp.alias.name if imp.alias is not None else path.rsplit("/", 1)[-1]
        if name == self.free_name:
            self._rebind(imp.loc)
        if path in self.extra_packages:
            self.bind(name, _Package(path, self.extra_packages[path]))
        elif path in stdlib.packages():
            self.bind(name, _Package(path))
        else:
            known = list(stdlib.packages()) + list(self.extra_packages)
            match = difflib.get_close_matches(path, known, n=1)
            hint = f'; did you mean "{match[0]}"?' if match else ""
            self.emit(D.UnknownImport(imp.loc, path, hint), f"invalid import path {path}")
            # as libflux: the name is bound to the error type, which unifies with anything
            self.bind(name, T.mono(T.ERROR))

    def statement(self, st: Node, top: bool = False) -> None:
        ts = type(st)
        if ts is tree.VariableAssignment:
            if top and st.id.name == self.free_name:
                self._rebind(st.loc)
            self.assign(st.id.name, st.init, st)
        elif ts is tree.ExpressionStatement:
            self.expr(st.expression)
        elif ts is tree.OptionStatement:
            a = st.assignment
            if type(a) is tree.VariableAssignment:
                if top and a.id.name == self.free_name:
                    self._rebind(st.loc)
                self.assign(a.id.name, a.init)
            else:
                init_t = self.expr(a.init)
                member_t = self._member(a.member)
                self.equal(member_t, init_t, _eloc(a.init), a.member, a.init)
        elif ts is tree.BuiltinStatement:
            if top and st.id.name == self.free_name:
                self._rebind(st.loc)
            try:
                scheme = stdlib.scheme_from_tree(st.type)
            except stdlib.TypeExpressionError as exc:
                self.mismatch(st.loc, str(exc))
                scheme = T.mono(T.ERROR)
            self.bind(st.id.name, scheme)
        elif ts is tree.TestCaseStatement:
            self.scopes.append({})
            for inner in st.block.body:
                self.statement(inner)
            self.scopes.pop()
        elif ts is tree.ReturnStatement:
            self.expr(st.argument)
            if top:
                self.mismatch(st.loc, "return not valid in file block")

    def _rebind(self, loc: tree.Loc) -> None:
        if not self.rebound:
            self.rebound = True
            self.rebound_loc = loc

    def assign(self, name: str, init: Node, stmt: Optional[Node] = None) -> None:
        if stmt is not None and name in self.scopes[-1] and type(self.scopes[-1][name]) is T.Scheme:
            # semantic/check.rs: a variable cannot be reassigned in the same block
            message = f'variable "{name}" reassigned'
            self.mismatch(stmt.loc, message)
        t = self.expr(init)
        self.bind(name, generalize(t, self.env_free()))

    # -- expressions ----------------------------------------------------------------

    def expr(self, node: Node) -> T.Type:
        return self._dispatch[type(node)](node)

    def _identifier(self, node: tree.Identifier) -> T.Type:
        entry = self.lookup(node.name)
        if entry is None:
            v = self.undefined.get(node.name)
            if v is None:
                v = self.undefined[node.name] = self.u.fresh()
                self.undefined_free[v.id] = v
            if node.name != self.free_name:
                self.emit(D.UndefinedIdentifier(node.loc, node.name,
                                                _undefined_hint(node.name, self.names_in_scope())),
                          f"undefined identifier {node.name}")
            return v
        if isinstance(entry, _Package):
            if entry.values is None:
                return instantiate(stdlib.package_record(entry.path), self.u)
            return instantiate(_record_of(entry.values), self.u)
        return instantiate(entry, self.u)

    def _member(self, node: tree.MemberExpression) -> T.Type:
        label = _name_of(node.property)
        obj = _strip(node.object)
        entry = None
        if type(obj) is tree.Identifier:
            entry = self.lookup(obj.name)
            if type(entry) is _Package:
                return self._package_member(entry, label, obj)
        t = self.expr(obj)
        tp = prune(t)
        if tp is T.DYNAMIC:
            return tp
        found, end = self._find_label(tp, label) if type(tp) is T.Record else (None, tp)
        if found is not None:
            typ = found
        elif type(end) is T.Var:
            # An open record without the label: unifying {label: typ | r} with it binds its
            # tail to {label: typ | r'} (libflux's row rewriting, which copies the whole chain
            # on the way); bind the tail directly, so reading n fields costs O(n), not O(n²).
            typ = self.u.fresh()
            ext = T.Record(label, typ, self.u.fresh())
            errs: List[UnificationError] = []
            self.u.unify(ext, end, errs)
            for e in errs:
                self.report(e, _eloc(obj), ((ext, None), (t, obj)))
        else:
            typ = self.u.fresh()
            self.equal(T.Record(label, typ, self.u.fresh()), t, _eloc(obj), None, obj)
        if entry is None and type(obj) is tree.Identifier and obj.name == self.free_name:
            self.refs.append(Ref(label, node.loc, typ))
            if label not in self.field_objs:
                self.field_objs[label] = typ
        return typ

    def _find_label(self, head: T.Record, label: str) -> Tuple[Optional[T.Type], T.Type]:
        """The type of ``label``'s first link in the chain from ``head`` (None if absent), and
        what the chain ends in; each link is visited once over all calls for one head."""
        entry = self.record_index.get(id(head))
        if entry is None or entry[0] is not head:
            labels: Dict[str, T.Type] = {}
            cur: T.Type = head
        else:
            _, labels, cur = entry
            found = labels.get(label)
            if found is not None:
                return found, cur
        cur = prune(cur)
        while type(cur) is T.Record:
            labels.setdefault(cur.label, cur.type)
            cur = prune(cur.tail)
        self.record_index[id(head)] = (head, labels, cur)
        return labels.get(label), cur

    def _package_member(self, pkg: _Package, label: str, obj: Node) -> T.Type:
        if pkg.values is None:
            scheme = stdlib.value_scheme(pkg.path, label)
        else:
            scheme = pkg.values.get(label)
        if scheme is None:
            message = f"record is missing label {label}"
            self.mismatch(_eloc(obj), message)
            return self.u.fresh()
        return instantiate(scheme, self.u)

    def _call(self, node: tree.CallExpression, pipe_node: Optional[Node] = None) -> T.Type:
        ret = self.u.fresh()
        callee_t = self.expr(node.callee)
        props = node.arguments.properties if node.arguments is not None else ()
        values = []
        for p in props:
            value = p.value if p.value is not None else p.key  # shorthand `f(a)`: the key is an Identifier
            values.append((_key(p), value, self.expr(value)))
        req: Dict[str, T.Type] = {}
        locs: Dict[str, tree.Loc] = {}
        nodes: Dict[str, Node] = {}
        for name, value, t in values:
            req[name] = t
            locs[name] = _eloc(value)
            nodes[name] = value
        pipe: Optional[Tuple[str, T.Type]] = None
        if pipe_node is not None:
            pt = self.expr(pipe_node)
            pipe = ("<-", pt)
            locs["<-"] = node.loc
            nodes["<-"] = pipe_node
        act = T.Function(req, {}, pipe, ret)
        ct = prune(callee_t)
        if type(ct) is T.Function:
            errs: List[UnificationError] = []
            self.u.unify_functions(ct, act, errs, locs, node.loc)
            for e in errs:
                self._report_call(e, node, ct, act, nodes)
        else:
            self.equal(ct, act, node.loc, node.callee, None)
        return ret

    def _report_call(self, e: UnificationError, node: tree.CallExpression, f: T.Function, g: T.Function,
                     nodes: Dict[str, Node]) -> None:
        loc = e.loc if e.loc is not None else node.loc
        if e.tag == "extra_argument":
            names = set(f.req) | set(f.opt)
            if f.pipe is not None and f.pipe[0] != "<-":
                names.add(f.pipe[0])
            self.emit(D.UnknownArgument(loc, e.name, _describe_callee(node.callee),
                                        _hint(e.name, names)), e)
            return
        if e.tag == "missing_argument":
            self.emit(D.MissingArgument(loc, e.name, _describe_callee(node.callee)), e)
            return
        if e.tag == "argument":
            name = e.name
            act_node = nodes.get(name)
            if act_node is None and f.pipe is not None and name == f.pipe[0]:
                act_node = nodes.get("<-")
            exp_t = f.parameter(name)
            if exp_t is None and f.pipe is not None and f.pipe[0] == name:
                exp_t = f.pipe[1]
            act_t = g.req.get(name)
            if act_t is None and g.pipe is not None:
                act_t = g.pipe[1]
            if act_t is not None and exp_t is not None:
                self.report(e, loc, ((act_t, act_node), (exp_t, None)))
                return
        self.report(e, loc)

    def _function(self, node: tree.FunctionExpression) -> T.Type:
        scope: Dict[str, Entry] = {}
        self.scopes.append(scope)
        mark = len(self.monos)
        req: Dict[str, T.Type] = {}
        opt: Dict[str, Tuple[T.Type, Optional[T.Type]]] = {}
        pipe = None
        has_default = False
        for p in node.params:
            name = _key(p)
            v = self.u.fresh()
            scope[name] = T.mono(v)
            self.monos.append(v)
            if p.value is None:
                req[name] = v
            elif type(p.value) is tree.PipeLiteral:
                pipe = (name, v)
            else:
                opt[name] = (v, None)
                has_default = True
        ret = self._body(node.body)
        self.scopes.pop()
        del self.monos[mark:]
        func = T.Function(req, opt, pipe, ret)
        if has_default:
            self._defaults(node, func)
        return func

    def _defaults(self, node: tree.FunctionExpression, func: T.Function) -> None:
        # nodes.rs infer_default_params: the defaults are checked against a generalised
        # copy of the function, so they do not fix the parameter types themselves.
        scheme = generalize(func, self._env_free_for_defaults())
        req: Dict[str, T.Type] = {}
        opt: Dict[str, Tuple[T.Type, Optional[T.Type]]] = {}
        pipe = None
        for p in node.params:
            name = _key(p)
            if p.value is None:
                req[name] = self.u.fresh()
            elif type(p.value) is tree.PipeLiteral:
                pipe = (name, self.u.fresh())
            else:
                opt[name] = (self.expr(p.value), None)
        default_func = T.Function(req, opt, pipe, self.u.fresh())
        exp = instantiate(scheme, self.u)
        errs: List[UnificationError] = []
        self.u.unify(exp, default_func, errs)
        for e in errs:
            self.report(e, node.loc)

    def _env_free_for_defaults(self) -> Dict[int, T.Var]:
        # libflux's temporary_generalize looks at the environment only, not at the
        # undefined identifiers.
        fv: Dict[int, T.Var] = {}
        for t in self.monos:
            T.free_vars(t, fv)
        return fv

    def _body(self, body: Node) -> T.Type:
        if type(body) is not tree.Block:
            return self.expr(body)
        self.scopes.append({})
        try:
            for st in body.body:
                if type(st) is tree.ReturnStatement:
                    return self.expr(st.argument)
                self.statement(st)
            message = "missing return statement in block"
            self.mismatch(body.loc, message)
            return self.u.fresh()
        finally:
            self.scopes.pop()

    def _label(self, node: tree.LabelLiteral) -> T.Type:
        message = "Labels are currently experimental. (See the labelPolymorphism feature)"
        self.mismatch(node.loc, message)
        return T.Label(node.value)

    def _string_expression(self, node: tree.StringExpression) -> T.Type:
        for part in node.parts:
            if type(part) is tree.InterpolatedPart:
                t = self.expr(part.expression)
                self.constrain("Stringable", t, _eloc(part.expression), part.expression)
        return T.STRING

    def _array(self, node: tree.ArrayExpression) -> T.Type:
        elt = None
        prev = None
        for el in node.elements:
            t = self.expr(el)
            if elt is None:
                elt = t
            else:
                elt = self.equal(elt, t, _eloc(el), prev, el)
            prev = el
        return T.Collection("array", elt if elt is not None else self.u.fresh())

    def _dict(self, node: tree.DictExpression) -> T.Type:
        key = self.u.fresh()
        val = self.u.fresh()
        for item in node.items:
            kt = self.expr(item.key)
            vt = self.expr(item.value)
            self.equal(key, kt, _eloc(item.key), None, item.key)
            self.equal(val, vt, _eloc(item.value), None, item.value)
        self.constrain("Comparable", key, node.loc)
        return T.Dict_(key, val)

    def _object(self, node: tree.ObjectExpression) -> T.Type:
        r: T.Type = self.expr(node.with_) if node.with_ is not None else T.EMPTY
        # nodes.rs infers the properties from last to first
        for p in reversed(node.properties):
            value = p.value if p.value is not None else p.key  # shorthand `{a}`: the key is an Identifier
            r = T.Record(_key(p), self.expr(value), r)
        return r

    def _index(self, node: tree.IndexExpression) -> T.Type:
        at = self.expr(node.array)
        it = self.expr(node.index)
        self.equal(T.INT, it, _eloc(node.index), None, node.index)
        if type(at) is T.Collection and at.coll == "array":
            return at.elem
        typ = self.u.fresh()
        self.equal(T.Collection("array", typ), at, _eloc(node.array), None, node.array)
        return typ

    def _binary(self, node: tree.BinaryExpression) -> T.Type:
        lt = self.expr(node.left)
        rt = self.expr(node.right)
        op = node.operator
        kind = _ARITH_KIND.get(op)
        if kind is not None:
            typ = self.equal(lt, rt, _eloc(node.right), node.left, node.right)
            self.constrain(kind, lt, node.loc, node.left)
            return typ
        if op in ("<", ">"):
            self.constrain("Comparable", lt, _eloc(node.left), node.left)
            self.constrain("Comparable", rt, _eloc(node.right), node.right)
        elif op in ("==", "!="):
            self.constrain("Equatable", lt, _eloc(node.left), node.left)
            self.constrain("Equatable", rt, _eloc(node.right), node.right)
        elif op in ("<=", ">="):
            self.constrain("Equatable", lt, _eloc(node.left), node.left)
            self.constrain("Comparable", lt, _eloc(node.left), node.left)
            self.constrain("Equatable", rt, _eloc(node.right), node.right)
            self.constrain("Comparable", rt, _eloc(node.right), node.right)
        elif op in ("=~", "!~"):
            self.equal(T.STRING, lt, _eloc(node.left), None, node.left)
            self.equal(T.REGEXP, rt, _eloc(node.right), None, node.right)
        else:
            message = f"invalid binary operator {op}"
            self.mismatch(node.loc, message)
            return self.u.fresh()
        return T.BOOL

    def _logical(self, node: tree.LogicalExpression) -> T.Type:
        lt = self.expr(node.left)
        rt = self.expr(node.right)
        self.equal(T.BOOL, lt, _eloc(node.left), None, node.left)
        self.equal(T.BOOL, rt, _eloc(node.right), None, node.right)
        return T.BOOL

    def _unary(self, node: tree.UnaryExpression) -> T.Type:
        t = self.expr(node.argument)
        op = node.operator
        if op == "not":
            self.equal(T.BOOL, t, _eloc(node.argument), None, node.argument)
            return T.BOOL
        if op == "exists":
            return T.BOOL
        self.constrain("Negatable", t, _eloc(node.argument), node.argument)
        return t

    def _conditional(self, node: tree.ConditionalExpression) -> T.Type:
        tt = self.expr(node.test)
        self.equal(T.BOOL, tt, _eloc(node.test), None, node.test)
        ct = self.expr(node.consequent)
        at = self.expr(node.alternate)
        return self.equal(ct, at, _eloc(node.alternate), node.consequent, node.alternate)

    # -- results --------------------------------------------------------------------

    def result(self) -> Result:
        free = self.undefined.get(self.free_name)
        if free is None:
            free = self.u.fresh()
        bindings = {k: v for k, v in self.scopes[1].items() if isinstance(v, T.Scheme)}
        for diag, loc, libflux in self.pending:
            message = libflux if isinstance(libflux, str) else libflux.message
            diag.libflux = D.LibfluxError(loc, message)
            if isinstance(diag, D.TypeMismatch) and not diag.text:
                diag.text = message
        self.pending.clear()
        res = Result(free, self.refs, self.diags, bindings, self.rebound_loc)
        return res


def _key(p: tree.Property) -> str:
    return _name_of(p.key)


def _record_of(values: Dict[str, T.Scheme]) -> T.Scheme:
    return T.record_scheme((name, values[name]) for name in sorted(values, reverse=True))


def infer(file: tree.File, free_name: str = "params", env: Optional[Dict[str, T.Scheme]] = None,
          packages: Optional[Dict[str, Dict[str, T.Scheme]]] = None) -> Result:
    """Infer ``file``; ``free_name`` is the undefined identifier whose type is wanted."""
    inf = Inferencer(free_name, env, packages)
    inf.infer_file(file)
    return inf.result()
