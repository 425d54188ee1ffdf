"""Tree -> Flux source.

``unparse(node)`` prints any :mod:`fluxparams.tree` node (a file, statement,
expression or type) as Flux that :func:`fluxparams.syntax.parse` reads back.
Parentheses are added only where precedence needs them; a tree that already
holds the ``ParenExpression`` nodes it needs (every tree the parser builds)
prints without additions, so ``parse(unparse(tree)) == tree``.

``quote_string(s)`` is the Flux string literal for any Python string: use it
whenever a value must be written into a script.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any, List, Tuple

from . import tree as t
from .syntax import KEYWORDS

__all__ = ["unparse", "quote_string", "quote_regex", "precedence", "parenthesize"]

# Binding strength, loosest first (grammar_summary §3.1).
CONDITIONAL, OR, AND, NOT, COMPARISON, ADDITIVE, MULTIPLICATIVE, POWER, PIPE, UNARY, \
    POSTFIX, PRIMARY = range(1, 13)
# A function literal swallows everything to its right: it sits lowest of all
# unless it is the whole expression of its slot.
FUNCTION = 0

_BINARY_PRECEDENCE = {
    "==": COMPARISON, "!=": COMPARISON, "<": COMPARISON, "<=": COMPARISON, ">": COMPARISON,
    ">=": COMPARISON, "=~": COMPARISON, "!~": COMPARISON,
    "+": ADDITIVE, "-": ADDITIVE, "*": MULTIPLICATIVE, "/": MULTIPLICATIVE, "%": MULTIPLICATIVE,
    "^": POWER,
}
_INVALID = "<INVALID_OP>"
_IDENT = re.compile(r"[^\W\d](?:[^\W\d]|[0-9])*\Z")


def precedence(node: t.Node) -> int:
    """How tightly ``node`` binds when printed without parentheses."""
    if isinstance(node, t.ConditionalExpression):
        return CONDITIONAL
    if isinstance(node, t.LogicalExpression):
        return OR if node.operator == "or" else AND
    if isinstance(node, t.UnaryExpression):
        return NOT if node.operator in ("not", "exists") else UNARY
    if isinstance(node, t.BinaryExpression):
        return _BINARY_PRECEDENCE.get(node.operator, FUNCTION)
    if isinstance(node, t.PipeExpression):
        return PIPE
    if isinstance(node, (t.MemberExpression, t.IndexExpression, t.CallExpression)):
        return POSTFIX
    if isinstance(node, t.FunctionExpression):
        return FUNCTION
    return PRIMARY


def parenthesize(node: t.Node, minimum: int) -> t.Node:
    """``node`` wrapped in a ParenExpression when it binds looser than ``minimum``."""
    if precedence(node) < minimum:
        return t.ParenExpression(node)
    return node


def is_identifier(name: str) -> bool:
    """Whether ``name`` can be written as a bare identifier (not a keyword)."""
    return bool(_IDENT.match(name)) and name not in KEYWORDS


def quote_string(value: str) -> str:
    """A Flux string literal whose value is exactly ``value``.

    ``\\`` ``"`` newline, CR and tab are escaped; ``$`` is written ``\\x24``
    wherever a raw ``$`` could start an interpolation or swallow the next
    escape (Flux reads ``$`` plus any character but ``{`` as plain text).
    """
    return '"' + _escape_text(value) + '"'


_TEXT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_text(value: str) -> str:
    out: List[str] = []
    n = len(value)
    for i, ch in enumerate(value):
        if ch == "$":
            nxt = value[i + 1] if i + 1 < n else ""
            if nxt and (nxt in _TEXT_ESCAPES or nxt in "{$"):
                out.append("\\x24")
            else:
                out.append("$")
        else:
            out.append(_TEXT_ESCAPES.get(ch, ch))
    return "".join(out)


def quote_regex(pattern: str) -> str:
    """A Flux regex literal for ``pattern`` (``/`` escaped; ``\\x`` protected)."""
    if not pattern:
        raise ValueError("a Flux regex literal cannot be empty")
    out: List[str] = []
    n = len(pattern)
    for i, ch in enumerate(pattern):
        nxt = pattern[i + 1] if i + 1 < n else ""
        if ch == "/":
            out.append("\\/")
        elif ch == "\\" and (nxt in ("x", "/", "") ):
            out.append("\\x5c")   # libflux would decode "\x.." and "\/" itself
        else:
            out.append(ch)
    return "/" + "".join(out) + "/"


def _float(value: float) -> str:
    if not math.isfinite(value) or value < 0 or (value == 0 and math.copysign(1, value) < 0):
        raise ValueError(f"{value!r} cannot be written as a Flux float literal")
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(value), "f")
        if "." not in text:
            text += ".0"
    return text


class _Printer:
    def __init__(self, indent: str = "    ") -> None:
        self.indent = indent

    # ---- expressions -----------------------------------------------------

    def expr(self, node: t.Node, minimum: int = 0) -> str:
        text = self._expr(node)
        if precedence(node) < minimum:
            return "(" + text + ")"
        return text

    def _expr(self, node: t.Node) -> str:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise TypeError(f"cannot unparse {type(node).__name__}")
        return str(method(node))

    def _Identifier(self, node: Any) -> str:
        return str(node.name)

    def _IntegerLiteral(self, node: Any) -> str:
        if node.value < 0:
            raise ValueError("negative integers are written with unary minus in Flux")
        return str(node.value)

    def _FloatLiteral(self, node: Any) -> str:
        return _float(node.value)

    def _StringLiteral(self, node: Any) -> str:
        return quote_string(node.value)

    def _DurationLiteral(self, node: Any) -> str:
        if not node.values:
            raise ValueError("a duration needs at least one magnitude and unit")
        return "".join(f"{m}{u}" for m, u in node.values)

    def _DateTimeLiteral(self, node: Any) -> str:
        return str(node.value)

    def _RegexpLiteral(self, node: Any) -> str:
        return quote_regex(node.value)

    def _PipeLiteral(self, node: Any) -> str:
        return "<-"

    def _LabelLiteral(self, node: Any) -> str:
        return "." + (node.value if is_identifier(node.value) else quote_string(node.value))

    def _StringExpression(self, node: Any) -> str:
        parts = []
        for part in node.parts:
            if isinstance(part, t.TextPart):
                parts.append(_escape_text(part.value))
            else:
                parts.append("${" + self.expr(part.expression) + "}")
        # a raw "$" ending one text part would join the "${" that follows
        text = ""
        for piece in parts:
            if text.endswith("$") and not text.endswith("\\x24") and piece.startswith("${"):
                text = text[:-1] + "\\x24"
            text += piece
        return '"' + text + '"'

    def _ParenExpression(self, node: Any) -> str:
        return "(" + self.expr(node.expression) + ")"

    def _ArrayExpression(self, node: Any) -> str:
        return "[" + ", ".join(self.expr(e) for e in node.elements) + "]"

    def _DictExpression(self, node: Any) -> str:
        if not node.items:
            return "[:]"
        return "[" + ", ".join(f"{self.expr(i.key)}: {self.expr(i.value)}" for i in node.items) + "]"

    def _key(self, key: Any) -> str:
        if isinstance(key, t.Identifier):
            return key.name
        return quote_string(key.value)

    def _property(self, prop: Any) -> str:
        if prop.value is None:
            return self._key(prop.key)
        return f"{self._key(prop.key)}: {self.expr(prop.value)}"

    def _ObjectExpression(self, node: Any) -> str:
        props = ", ".join(self._property(p) for p in node.properties)
        if node.with_ is not None:
            source = str(node.with_.name)
            return "{" + source + " with " + props + "}" if props else "{" + source + " with}"
        return "{" + props + "}"

    def _FunctionExpression(self, node: Any) -> str:
        params = []
        for p in node.params:
            name = self._key(p.key)
            params.append(name if p.value is None else f"{name}={self.expr(p.value)}")
        head = "(" + ", ".join(params) + ") => "
        body = node.body
        if isinstance(body, t.Block):
            return head + self._block(body)
        text = self.expr(body)
        if text.startswith("{"):     # "=> {" always opens a block in Flux
            text = "(" + text + ")"
        return head + text

    def _CallExpression(self, node: Any) -> str:
        args = "" if node.arguments is None else ", ".join(
            self._property(p) for p in node.arguments.properties)
        return f"{self.expr(node.callee, POSTFIX)}({args})"

    def _PipeExpression(self, node: Any) -> str:
        return f"{self.expr(node.argument, PIPE)} |> {self.expr(node.call, UNARY)}"

    def _MemberExpression(self, node: Any) -> str:
        obj = self.expr(node.object, POSTFIX)
        if isinstance(node.object, t.IntegerLiteral):
            obj += " "      # "1.b" would lex as the float "1." and "b"
        if isinstance(node.property, t.Identifier) and is_identifier(node.property.name):
            return f"{obj}.{node.property.name}"
        name = node.property.name if isinstance(node.property, t.Identifier) else node.property.value
        return f"{obj}[{quote_string(name)}]"

    def _IndexExpression(self, node: Any) -> str:
        return f"{self.expr(node.array, POSTFIX)}[{self.expr(node.index)}]"

    def _BinaryExpression(self, node: Any) -> str:
        if node.operator == _INVALID:
            return f"{self.expr(node.left)} {self.expr(node.right, PRIMARY)}"
        prec = _BINARY_PRECEDENCE[node.operator]
        return f"{self.expr(node.left, prec)} {node.operator} {self.expr(node.right, prec + 1)}"

    def _LogicalExpression(self, node: Any) -> str:
        prec = OR if node.operator == "or" else AND
        return f"{self.expr(node.left, prec)} {node.operator} {self.expr(node.right, prec + 1)}"

    def _UnaryExpression(self, node: Any) -> str:
        if node.operator in ("not", "exists"):
            return f"{node.operator} {self.expr(node.argument, NOT)}"
        arg = self.expr(node.argument, UNARY)
        return str(node.operator + arg)

    def _ConditionalExpression(self, node: Any) -> str:
        return (f"if {self.expr(node.test)} then {self.expr(node.consequent)} "
                f"else {self.expr(node.alternate)}")

    # ---- types -------------------------------------------------------------

    def _TypeExpression(self, node: Any) -> str:
        text = self._expr(node.monotype)
        if node.constraints:
            text += " where " + ", ".join(
                f"{c.tvar}: {' + '.join(c.kinds)}" for c in node.constraints)
        return text

    def _NamedType(self, node: Any) -> str:
        return str(node.name)

    def _TvarType(self, node: Any) -> str:
        return str(node.name)

    def _ArrayType(self, node: Any) -> str:
        return "[" + self._expr(node.element) + "]"

    def _StreamType(self, node: Any) -> str:
        return "stream[" + self._expr(node.element) + "]"

    def _VectorType(self, node: Any) -> str:
        return "vector[" + self._expr(node.element) + "]"

    def _DictType(self, node: Any) -> str:
        return "[" + self._expr(node.key) + ": " + self._expr(node.value) + "]"

    def _DynamicType(self, node: Any) -> str:
        return "dynamic"

    def _LabelType(self, node: Any) -> str:
        return "." + (node.value if is_identifier(node.value) else quote_string(node.value))

    def _RecordType(self, node: Any) -> str:
        props = ", ".join(
            f"{p.name if is_identifier(p.name) else quote_string(p.name)}: {self._expr(p.monotype)}"
            for p in node.properties)
        if node.tvar is not None:
            return str("{" + node.tvar + " with " + props + "}")
        return "{" + props + "}"

    def _FunctionType(self, node: Any) -> str:
        params = []
        for p in node.parameters:
            mono = self._expr(p.monotype)
            if p.kind == "pipe":
                params.append(f"<-{p.name or ''}: {mono}")
            elif p.kind == "optional":
                default = "" if p.default is None else " = " + self._LabelLiteral(p.default)
                params.append(f"?{p.name}: {mono}{default}")
            else:
                params.append(f"{p.name}: {mono}")
        return "(" + ", ".join(params) + ") => " + self._expr(node.result)

    # ---- statements --------------------------------------------------------

    def _attributes(self, attrs: Tuple[t.Attribute, ...], prefix: str) -> str:
        out = ""
        for a in attrs:
            params = "(" + ", ".join(self.expr(p, PRIMARY) for p in a.params) + ")" if a.params else ""
            out += f"{prefix}@{a.name}{params}\n"
        return out

    def stmt(self, node: t.Node, prefix: str = "") -> str:
        attrs = self._attributes(getattr(node, "attributes", ()), prefix)
        return attrs + prefix + self._statement(node, prefix)

    def _statement(self, node: Any, prefix: str) -> str:
        if isinstance(node, t.VariableAssignment):
            return f"{node.id.name} = {self.expr(node.init)}"
        if isinstance(node, t.OptionStatement):
            a = node.assignment
            if isinstance(a, t.MemberAssignment):
                return f"option {self.expr(a.member)} = {self.expr(a.init)}"
            return f"option {a.id.name} = {self.expr(a.init)}"
        if isinstance(node, t.BuiltinStatement):
            return f"builtin {node.id.name} : {self._TypeExpression(node.type)}"
        if isinstance(node, t.TestCaseStatement):
            ext = "" if node.extends is None else f" extends {quote_string(node.extends.value)}"
            return f"testcase {node.id.name}{ext} {self._block(node.block, prefix)}"
        if isinstance(node, t.ReturnStatement):
            return f"return {self.expr(node.argument)}"
        if isinstance(node, t.ExpressionStatement):
            return self.expr(node.expression)
        raise TypeError(f"cannot unparse {type(node).__name__}")

    def _block(self, block: t.Block, prefix: str = "") -> str:
        if not block.body:
            return "{}"
        inner = prefix + self.indent
        return "{\n" + "\n".join(self.stmt(s, inner) for s in block.body) + "\n" + prefix + "}"

    def file(self, node: t.File) -> str:
        chunks = []
        if node.package is not None:
            chunks.append(self._attributes(node.package.attributes, "") + f"package {node.package.name.name}")
        for imp in node.imports:
            alias = "" if imp.alias is None else imp.alias.name + " "
            path = quote_string(imp.path.value)
            chunks.append(self._attributes(imp.attributes, "") + f"import {alias}{path}")
        for s in node.body:
            chunks.append(self.stmt(s))
        return "\n".join(chunks) + ("\n" if chunks else "")


_STATEMENTS = (t.VariableAssignment, t.OptionStatement, t.BuiltinStatement, t.TestCaseStatement,
               t.ReturnStatement, t.ExpressionStatement)


def unparse(node: t.Node) -> str:
    """Flux source for a file, statement, block, expression or type node."""
    printer = _Printer()
    if isinstance(node, t.File):
        return printer.file(node)
    if isinstance(node, _STATEMENTS):
        return printer.stmt(node)
    if isinstance(node, t.Block):
        return printer._block(node)
    return printer.expr(node)
