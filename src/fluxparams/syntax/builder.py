"""The tree builder: one callback per grammar rule, called by the LALR driver on each reduction.

Each callback gets the rule's children (tokens, nodes already built, None for
a missing optional item) and returns the node. The checks libflux makes after
scanning are made here, so a script is either a tree or a
:class:`~fluxparams.syntax.FluxSyntaxError`: literal values (:mod:`.literals`),
mixed record properties, pipe destinations, what may start a statement or a
function body, and the nesting limits (:mod:`.limits`: every node a callback
returns is measured).
"""
from __future__ import annotations

from typing import Any, Callable, List, Tuple, TypeVar

from .. import tree as t
from .errors import FluxSyntaxError
from .limits import INVALID_OPERATOR, check_frames, check_statement, measure
from .literals import (
    LiteralError,
    check_regex,
    parse_duration,
    parse_integer,
    regex_pattern,
    unescape,
    valid_datetime,
)
from .positions import error_at, span, span_all, tok_loc

__all__ = ["Builder"]


def _text_value(tok: Any) -> str:
    """The value of a string's TEXT token; a bad escape is reported at its backslash."""
    raw = str(tok)
    try:
        return unescape(raw)
    except LiteralError as exc:
        if not exc.width:
            raise error_at(exc.message, tok) from None
        loc = tok_loc(tok)
        before = raw[:exc.offset]
        newline = before.rfind("\n")
        if newline < 0:
            line, column = loc.line, loc.column + len(before.encode("utf-8"))
        else:
            line = loc.line + before.count("\n")
            column = len(before[newline + 1:].encode("utf-8")) + 1
        raise FluxSyntaxError(exc.message, line, column, line, column + exc.width) from None


class _Attrs:
    """The attributes before a statement (or dangling at the end of a file)."""

    __slots__ = ("items", "loc")

    def __init__(self, items: Tuple[t.Attribute, ...], loc: t.Loc) -> None:
        self.items, self.loc = items, loc


class _Props:
    """A property list (a record's or a call's) before it becomes an ObjectExpression."""

    __slots__ = ("items", "loc")

    def __init__(self, items: Tuple[t.Property, ...], loc: t.Loc) -> None:
        self.items, self.loc = items, loc


class _ParenItem:
    """One item of "( ... )": an expression, or a parameter with its default."""

    __slots__ = ("expression", "default", "loc")

    def __init__(self, expression: Any, default: Any, loc: t.Loc) -> None:
        self.expression, self.default, self.loc = expression, default, loc


def _is_tok(x: object, *types: str) -> bool:
    return getattr(x, "type", None) in types and not hasattr(x, "loc")


def _is_juxtaposition(node: object) -> bool:
    return type(node) is t.BinaryExpression and node.operator == INVALID_OPERATOR


# callbacks that return something other than a fresh tree node (or, for
# statement, measure it themselves)
_UNMEASURED = frozenset(("file", "attributes", "attribute_params", "property_list",
                         "paren_item", "statement"))


B = TypeVar("B", bound=type)


def _measuring(cls: B) -> B:
    """Measure (and so depth-check) every tree node a callback returns."""
    for name, fn in list(vars(cls).items()):
        if name.startswith("_") or not callable(fn) or name in _UNMEASURED:
            continue

        def wrapped(self: object, children: List[Any], _fn: Callable[..., Any] = fn) -> Any:
            return measure(_fn(self, children))
        wrapped.__name__ = name
        setattr(cls, name, wrapped)
    return cls


@_measuring
class Builder:
    """Callbacks named after the grammar's rules; each gets its children list."""

    # ---- files and statements ---------------------------------------------

    def file(self, c: List[Any]) -> Any:
        package = c[0] if isinstance(c[0], t.PackageClause) else None
        imports = tuple(x for x in c if isinstance(x, t.ImportDeclaration))
        body = tuple(x for x in c if x is not None and not isinstance(
            x, (t.PackageClause, t.ImportDeclaration, _Attrs)))
        dangling = c[-1] if c and isinstance(c[-1], _Attrs) else None
        if dangling is not None:
            raise error_at("attributes not associated with anything", dangling)
        present = [x for x in c if x is not None]
        loc = span_all(present) if present else t.Loc(1, 1, 1, 1)
        for stmt in body:
            check_statement(stmt)
        return t.File(package, imports, body, loc=loc)

    def package_clause(self, c: List[Any]) -> Any:
        attrs, _, name = c
        return t.PackageClause(self._ident(name), self._attrs(attrs), loc=span_all(c))

    def import_declaration(self, c: List[Any]) -> Any:
        attrs, _, alias, path = c
        return t.ImportDeclaration(None if alias is None else self._ident(alias),
                                   self._plain_string(path), self._attrs(attrs), loc=span_all(c))

    def attributes(self, c: List[Any]) -> Any:
        return _Attrs(tuple(c), span_all(c))

    def attribute(self, c: List[Any]) -> Any:
        name = c[0]
        params: Tuple[Any, ...] = ()
        for x in c[1:]:
            if isinstance(x, tuple):
                params = x
        for param in params:
            check_frames(param)
        return t.Attribute(str(name)[1:], params, loc=span_all(c))

    def attribute_params(self, c: List[Any]) -> Any:
        return tuple(x for x in c if x is not None and not _is_tok(x, "COMMA"))

    def statement(self, c: List[Any]) -> Any:
        attrs, stmt = c
        if attrs is None:
            return stmt  # measured by its own callback
        return measure(stmt._replace(attributes=attrs.items))

    def variable_assignment(self, c: List[Any]) -> Any:
        name, _, init = c
        return t.VariableAssignment(self._ident(name), init, loc=span(name, init))

    def option_statement(self, c: List[Any]) -> Any:
        opt, name, dot, prop, _, init = c
        target: t.Node
        if dot is None:
            target = measure(t.VariableAssignment(self._ident(name), init, loc=span(name, init)))
        else:
            member = measure(t.MemberExpression(self._ident(name), self._ident(prop),
                                                 loc=span(name, prop)))
            target = measure(t.MemberAssignment(member, init, loc=span(name, init)))
        return t.OptionStatement(target, loc=span(opt, init))

    def builtin_statement(self, c: List[Any]) -> Any:
        kw, name, _, typ = c
        return t.BuiltinStatement(self._ident(name), typ, loc=span(kw, typ))

    def testcase_statement(self, c: List[Any]) -> Any:
        kw, name, _, extends, block = c
        return t.TestCaseStatement(self._ident(name),
                                   None if extends is None else self._plain_string(extends),
                                   block, loc=span(kw, block))

    def return_statement(self, c: List[Any]) -> Any:
        kw, arg = c
        return t.ReturnStatement(arg, loc=span(kw, arg))

    def expression_statement(self, c: List[Any]) -> Any:
        (expr,) = c
        first = t.leftmost(expr)
        if isinstance(first, t.LabelLiteral):
            raise FluxSyntaxError("invalid statement: a statement cannot start with a label "
                                  "literal", first.loc.line, first.loc.column,
                                  first.loc.line, first.loc.column + 1)
        return t.ExpressionStatement(expr, loc=expr.loc)

    def block(self, c: List[Any]) -> Any:
        body = tuple(x for x in c[1:-1])
        return t.Block(body, loc=span(c[0], c[-1]))

    # ---- operators ----------------------------------------------------------

    def conditional_expression(self, c: List[Any]) -> Any:
        kw, test, _, cons, _, alt = c
        return t.ConditionalExpression(test, cons, alt, loc=span(kw, alt))

    def logical_expression(self, c: List[Any]) -> Any:
        left, op, right = c
        return t.LogicalExpression(str(op), left, right, loc=span(left, right))

    def unary_expression(self, c: List[Any]) -> Any:
        op, arg = c
        return t.UnaryExpression(str(op), arg, loc=span(op, arg))

    def binary_expression(self, c: List[Any]) -> Any:
        left, op, right = c
        return t.BinaryExpression(str(op), left, right, loc=span(left, right))

    def attribute_juxtaposition(self, c: List[Any]) -> Any:
        return self.juxtaposition(c)

    def juxtaposition(self, c: List[Any]) -> Any:
        left, right = c
        return t.BinaryExpression(INVALID_OPERATOR, left, right, loc=span(left, right))

    def pipe_expression(self, c: List[Any]) -> Any:
        left, op, right = c
        if not isinstance(right, t.CallExpression):
            raise error_at("pipe destination must be a function call", right)
        return t.PipeExpression(left, right, loc=span(left, right))

    def member_expression(self, c: List[Any]) -> Any:
        obj, _, prop = c
        return t.MemberExpression(obj, self._ident(prop), loc=span(obj, prop))

    def index_expression(self, c: List[Any]) -> Any:
        obj, _, index, close = c
        if isinstance(index, t.StringLiteral):
            return t.MemberExpression(obj, index, loc=span(obj, close))
        return t.IndexExpression(obj, index, loc=span(obj, close))

    def call_expression(self, c: List[Any]) -> Any:
        callee, lpar, props, rpar = c
        args = None
        if props is not None:
            self._check_properties(props)
            args = measure(t.ObjectExpression(None, props.items, loc=props.loc))
        return t.CallExpression(callee, args, loc=span(callee, rpar))

    # ---- primaries ------------------------------------------------------------

    def identifier(self, c: List[Any]) -> Any:
        return self._ident(c[0])

    def integer_literal(self, c: List[Any]) -> t.IntegerLiteral:
        tok = c[0]
        try:
            value = parse_integer(str(tok))
        except LiteralError as exc:
            raise error_at(exc.message, tok) from None
        return t.IntegerLiteral(value, loc=tok_loc(tok))

    def float_literal(self, c: List[Any]) -> t.FloatLiteral:
        tok = c[0]
        return t.FloatLiteral(float(str(tok)), loc=tok_loc(tok))

    def duration_literal(self, c: List[Any]) -> t.DurationLiteral:
        tok = c[0]
        try:
            values = parse_duration(str(tok))
        except LiteralError as exc:
            raise error_at(exc.message, tok) from None
        return t.DurationLiteral(values, loc=tok_loc(tok))

    def datetime_literal(self, c: List[Any]) -> t.DateTimeLiteral:
        tok = c[0]
        if not valid_datetime(str(tok)):
            raise error_at("invalid date time literal, missing time offset", tok)
        return t.DateTimeLiteral(str(tok), loc=tok_loc(tok))

    def regexp_literal(self, c: List[Any]) -> t.RegexpLiteral:
        tok = c[0]
        try:
            pattern = regex_pattern(str(tok))
            check_regex(pattern)
        except LiteralError as exc:
            raise error_at(exc.message, tok) from None
        return t.RegexpLiteral(pattern, loc=tok_loc(tok))

    def pipe_literal(self, c: List[Any]) -> Any:
        return t.PipeLiteral(loc=tok_loc(c[0]))

    def label_literal(self, c: List[Any]) -> Any:
        dot, name = c
        if isinstance(name, (t.StringLiteral, t.StringExpression)):
            value = self._plain_string(name).value
        else:
            value = str(name)
        return t.LabelLiteral(value, loc=span(dot, name))

    def string(self, c: List[Any]) -> Any:
        loc = span(c[0], c[-1])
        parts: List[Any] = []
        for x in c[1:-1]:
            if isinstance(x, t.InterpolatedPart):
                parts.append(x)
            else:
                parts.append(t.TextPart(_text_value(x), loc=tok_loc(x)))
        if all(isinstance(p, t.TextPart) for p in parts):
            return t.StringLiteral("".join(p.value for p in parts), loc=loc)
        return t.StringExpression(tuple(parts), loc=loc)

    def interpolation(self, c: List[Any]) -> Any:
        start, expr, end = c
        return t.InterpolatedPart(expr, loc=span(start, end))

    def array_expression(self, c: List[Any]) -> Any:
        elements = tuple(x for x in c[1:-1] if x is not None and not _is_tok(x, "COMMA"))
        return t.ArrayExpression(elements, loc=span(c[0], c[-1]))

    def dict_expression(self, c: List[Any]) -> Any:
        items = tuple(x for x in c[1:-1] if isinstance(x, t.DictItem))
        return t.DictExpression(items, loc=span(c[0], c[-1]))

    def dict_item(self, c: List[Any]) -> Any:
        key, _, value = c
        return t.DictItem(key, value, loc=span(key, value))

    def record(self, c: List[Any]) -> Any:
        loc = span(c[0], c[-1])
        if len(c) == 2:
            return t.ObjectExpression(None, (), loc=loc)
        if len(c) == 5:
            _, source, _, props, _ = c
            items = ()
            if props is not None:
                self._check_properties(props)
                items = props.items
            return t.ObjectExpression(self._ident(source), items, loc=loc)
        props = c[1]
        self._check_properties(props)
        return t.ObjectExpression(None, props.items, loc=loc)

    def property_list(self, c: List[Any]) -> Any:
        items = tuple(x for x in c if isinstance(x, t.Property))
        return _Props(items, span_all(c))

    def property(self, c: List[Any]) -> Any:
        key, _, value = c
        if _is_tok(key, "IDENT"):
            key = self._ident(key)
        else:
            key = self._plain_string(key)
        return t.Property(key, value, loc=span_all(c))

    def paren_or_function(self, c: List[Any]) -> Any:
        lpar = c[0]
        if len(c) == 6 and c[2] is None and c[4] is None and type(c[1]) is _ParenItem:
            # "(expression)", the common case, without the scans below (deep
            # nesting is mostly this): [LPAR, item, no COMMA, RPAR, no ARROW, no body]
            item = c[1]
            if item.default is not None:
                raise error_at('expected "=>" after a parameter list', item)
            return t.ParenExpression(item.expression, loc=span(lpar, c[3]))
        items = [x for x in c if isinstance(x, _ParenItem)]
        arrow_at = next((i for i, x in enumerate(c) if _is_tok(x, "ARROW")), None)
        if arrow_at is None:
            rpar = next(x for x in c if _is_tok(x, "RPAR"))
            if not items:
                raise error_at('expected "=>" after "()"', rpar)
            bad = items[0].default is not None or len(items) > 1
            if bad:
                where = items[1] if len(items) > 1 else items[0]
                raise error_at('expected "=>" after a parameter list', where)
            return t.ParenExpression(items[0].expression, loc=span(lpar, rpar))
        body = c[arrow_at + 1]
        params = []
        for index, item in enumerate(items):
            names = [item.expression]
            if index:
                # "(a, b c=1)": parameters after the first need no commas between them
                while _is_juxtaposition(names[0]):
                    names[:1] = [names[0].left, names[0].right]
            for name in names:
                if not isinstance(name, t.Identifier):
                    raise error_at("function parameters must be identifiers", name)
            for name in names[:-1]:
                params.append(measure(t.Property(name, None, loc=name.loc)))
            last = names[-1]
            loc = item.loc if len(names) == 1 else t.Loc(last.loc[0], last.loc[1], item.loc[2], item.loc[3])
            params.append(measure(t.Property(last, item.default, loc=loc)))
        if not isinstance(body, t.Block) and isinstance(t.leftmost(body), t.ObjectExpression):
            first = t.leftmost(body)
            if first.loc[:2] == body.loc[:2]:
                raise FluxSyntaxError(
                    'a function body starting with "{" is a block: write the record in '
                    'parentheses, "=> ({...})"', first.loc.line, first.loc.column,
                    first.loc.line, first.loc.column + 1)
        return t.FunctionExpression(tuple(params), body, loc=span(lpar, body))

    def paren_item(self, c: List[Any]) -> Any:
        expr, _, default = c
        return _ParenItem(expr, default, span_all(c))

    # ---- type expressions ---------------------------------------------------

    def type_expression(self, c: List[Any]) -> Any:
        mono = c[0]
        constraints = tuple(x for x in c if isinstance(x, t.TypeConstraint))
        return t.TypeExpression(mono, constraints, loc=span_all(c))

    def type_constraint(self, c: List[Any]) -> Any:
        tvar = c[0]
        kinds = tuple(str(x) for x in c[2:] if _is_tok(x, "IDENT"))
        return t.TypeConstraint(str(tvar), kinds, loc=span_all(c))

    def named_type(self, c: List[Any]) -> Any:
        tok = c[0]
        name = str(tok)
        loc = tok_loc(tok)
        if len(name) == 1:
            return t.TvarType(name, loc=loc)
        if name == "dynamic":
            return t.DynamicType(loc=loc)
        return t.NamedType(name, loc=loc)

    def stream_type(self, c: List[Any]) -> Any:
        return t.StreamType(c[2], loc=span(c[0], c[-1]))

    def vector_type(self, c: List[Any]) -> Any:
        return t.VectorType(c[2], loc=span(c[0], c[-1]))

    def array_type(self, c: List[Any]) -> Any:
        return t.ArrayType(c[1], loc=span(c[0], c[-1]))

    def dict_type(self, c: List[Any]) -> Any:
        return t.DictType(c[1], c[3], loc=span(c[0], c[-1]))

    def label_type(self, c: List[Any]) -> Any:
        dot, name = c
        if _is_tok(name, "IDENT"):
            value = str(name)
        else:
            value = self._plain_string(name).value
        return t.LabelType(value, loc=span(dot, name))

    def record_type(self, c: List[Any]) -> Any:
        loc = span(c[0], c[-1])
        tvar = None
        if len(c) > 2 and _is_tok(c[1], "IDENT") and _is_tok(c[2], "WITH"):
            tvar = str(c[1])
        props = tuple(x for x in c if isinstance(x, t.PropertyType))
        return t.RecordType(tvar, props, loc=loc)

    def property_type(self, c: List[Any]) -> Any:
        key, _, mono = c
        name = str(key) if _is_tok(key, "IDENT") else self._plain_string(key).value
        return t.PropertyType(name, mono, loc=span(key, mono))

    def function_type(self, c: List[Any]) -> Any:
        params = tuple(x for x in c if isinstance(x, t.ParameterType))
        return t.FunctionType(params, c[-1], loc=span(c[0], c[-1]))

    def required_parameter(self, c: List[Any]) -> Any:
        name, _, mono = c
        return t.ParameterType("required", str(name), mono, loc=span(name, mono))

    def optional_parameter(self, c: List[Any]) -> Any:
        q, name, _, mono, assign, dot, label = c
        default = None
        if label is not None:
            default = t.LabelLiteral(str(label), loc=span(dot, label))
        return t.ParameterType("optional", str(name), mono, default, loc=span_all(c))

    def pipe_parameter(self, c: List[Any]) -> Any:
        arrow, name, _, mono = c
        return t.ParameterType("pipe", None if name is None else str(name), mono,
                               loc=span(arrow, mono))

    # ---- helpers ------------------------------------------------------------

    @staticmethod
    def _ident(tok: Any) -> t.Identifier:
        return t.Identifier(str(tok), loc=tok_loc(tok))

    @staticmethod
    def _attrs(attrs: Any) -> Tuple[t.Attribute, ...]:
        return () if attrs is None else attrs.items

    @staticmethod
    def _plain_string(node: Any) -> t.StringLiteral:
        if isinstance(node, t.StringLiteral):
            return node
        raise error_at("expected a string literal without interpolation", node)

    @staticmethod
    def _check_properties(props: _Props) -> None:
        items = props.items
        for p in items:
            if p.value is None and isinstance(p.key, t.StringLiteral):
                raise error_at(f"string literal key {p.key.value} must have a value", p)
        shorthand = [p.value is None for p in items]
        if any(shorthand) and not all(shorthand):
            raise error_at("cannot mix implicit and explicit properties", props)
