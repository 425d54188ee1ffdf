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

The stages, each in its own module: terms (``typeterms``), the environment
(``typeenv``), unification (``unify``, with libflux's error text in
``typeerrors``), this walk, and the findings (``diagnostics``). A constraint is
stated with the nodes its two sides came from (:meth:`Inferencer.equal`,
:meth:`Inferencer.constrain`), so a failure is placed and worded from them.
Every finding leaves through :meth:`Inferencer.emit`, once, carrying the error
libflux reports for it (rendered when inference is over, with the final types);
``Result.errors`` is read from the findings.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, Union, cast

from . import diagnostics as D
from . import stdlib, tree
from . import typeterms as T
from .typeenv import Entry, Package, TypeEnvironment, did_you_mean
from .typeerrors import UnificationError
from .typeprint import format_type
from .typeterms import prune
from .unify import RecordIndex, Unifier, generalize, instantiate

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
    return cast(tree.Loc, node.loc)


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


class Inferencer(TypeEnvironment):
    """One file's inference: the environment (:class:`TypeEnvironment`), the walk over the
    tree, and the findings."""

    def __init__(self, free_name: str = "params", env: Optional[Dict[str, T.Scheme]] = None,
                 packages: Optional[Dict[str, Dict[str, T.Scheme]]] = None) -> None:
        super().__init__(Unifier(), env, packages)
        self.free_name = free_name
        self.records = RecordIndex()
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
            self.bind(name, Package(path, self.extra_packages[path]))
        elif path in stdlib.packages():
            self.bind(name, Package(path))
        else:
            self.emit(D.UnknownImport(imp.loc, path, self.import_hint(path)), f"invalid import path {path}")
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
            self.mismatch(stmt.loc, f'variable "{name}" reassigned')
        t = self.expr(init)
        self.bind(name, generalize(t, self.env_free()))

    # -- expressions ----------------------------------------------------------------

    def expr(self, node: Node) -> T.Type:
        return self._dispatch[type(node)](node)

    def _identifier(self, node: tree.Identifier) -> T.Type:
        entry = self.lookup(node.name)
        if entry is None:
            v = self.undefined_var(node.name)
            if node.name != self.free_name:
                self.emit(D.UndefinedIdentifier(node.loc, node.name,
                                                self.undefined_hint(node.name)),
                          f"undefined identifier {node.name}")
            return v
        if isinstance(entry, Package):
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
            if type(entry) is Package:
                return self._package_member(entry, label, obj)
        t = self.expr(obj)
        tp = prune(t)
        if tp is T.DYNAMIC:
            return tp
        found, end = self.records.find(tp, label) if type(tp) is T.Record else (None, tp)
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

    def _package_member(self, pkg: Package, label: str, obj: Node) -> T.Type:
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
            # the finding marks the misspelled name, for editors; libflux's error stays on the value
            args = node.arguments.properties if node.arguments is not None else ()
            at = next((p.key.loc for p in args if _key(p) == e.name), loc)
            self.emit(D.UnknownArgument(at, e.name, _describe_callee(node.callee),
                                        did_you_mean(e.name, names)), e, loc)
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
        scheme = generalize(func, self.env_free_for_defaults())
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
        return Result(free, self.refs, self.diags, bindings, self.rebound_loc)


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
