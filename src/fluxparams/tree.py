"""The Flux syntax tree: the project's own node classes.

Every node is an immutable object whose last field is ``loc``: a :class:`Loc`
with 1-based ``line``/``column`` and an *exclusive* ``end_line``/``end_column``
(the same convention libflux prints, ``1:14-1:20`` for ``params``).

``loc`` is left out of equality, so two trees compare equal when they have the
same shape and values wherever they came from; the round-trip property
(tree -> source -> tree) relies on it.

The classes mirror libflux's AST (``flux-core/src/ast/mod.rs``) closely enough
that a reader of either can find their way in the other, minus the parts that
only the formatter needs (comments) and minus error-recovery nodes: a script
that libflux would salvage with ``BadStatement`` is a syntax error here.

A class lists its fields as annotations; ``loc`` is added last by
:class:`Node`. Each class has ``_fields`` (every field name in order, ``loc``
included) for code that walks the tree generically. The classes behave like
frozen dataclasses with ``loc`` excluded from ``==``/``hash``/``repr`` but are
not built by ``dataclasses``: generating six methods per class with ``exec``
cost more import time than everything else in the package. Instead the
``__init__``/``__eq__``/``__hash__`` of all classes come from one source text
compiled once, at the end of this module.
"""
from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union


class Loc(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}-{self.end_line}:{self.end_column}"


NOWHERE = Loc(0, 0, 0, 0)


class FrozenNodeError(AttributeError):
    """Raised on an attempt to set or delete a field of a node."""


_NODE_CLASSES: List[type] = []


class _NodeMeta(type):
    """Turns the annotations of a node class into ``__slots__`` and ``_fields``."""

    def __new__(mcs, name: str, bases: Tuple[type, ...], ns: Dict[str, Any]) -> type:
        if not bases:  # Node itself
            return super().__new__(mcs, name, bases, ns)
        if bases != (Node,):
            raise TypeError(f"{name}: node classes derive from Node directly")
        own = tuple(k for k in ns.get("__annotations__", {}) if k != "loc")
        # a class attribute named like a slot is not allowed: keep it as the default
        defaults = {k: ns.pop(k) for k in own if k in ns}
        ns["__slots__"] = own
        ns["_fields"] = own + ("loc",)
        ns["_defaults"] = defaults
        ns["__match_args__"] = own
        cls = super().__new__(mcs, name, bases, ns)
        _NODE_CLASSES.append(cls)
        return cls


class _DataclassFields:
    """``dataclasses.fields()``/``replace()``/``is_dataclass()`` on node classes, built on first use.

    For code written against the dataclass version of this module; new code
    uses ``_fields`` and ``_replace``. dataclasses is imported only here
    because it pulls in ``inspect``, a noticeable part of the start-up time.
    """

    def __get__(self, obj: Any, cls: type) -> Dict[str, Any]:
        if cls is Node:
            raise AttributeError("__dataclass_fields__")
        import dataclasses
        annotations = getattr(cls, "__annotations__", {})
        fields = {}
        for name in cls._fields:
            if name == "loc":
                f = dataclasses.field(default=NOWHERE, compare=False, repr=False)
            elif name in cls._defaults:
                f = dataclasses.field(default=cls._defaults[name])
            else:
                f = dataclasses.field()
            f.name = name
            f.type = annotations.get(name, "Loc")
            f._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            fields[name] = f
        type.__setattr__(cls, "__dataclass_fields__", fields)
        return fields


class Node(metaclass=_NodeMeta):
    """Base of every syntax tree node (see the module docstring)."""

    __slots__ = ("loc",)
    _fields: Tuple[str, ...] = ()
    _defaults: Dict[str, Any] = {}
    __dataclass_fields__ = _DataclassFields()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenNodeError(f"cannot assign to field {name!r}: syntax tree nodes are immutable")

    def __delattr__(self, name: str) -> None:
        raise FrozenNodeError(f"cannot delete field {name!r}: syntax tree nodes are immutable")

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields[:-1])
        return f"{type(self).__qualname__}({inner})"

    def __reduce__(self):
        # pickle/copy rebuild through __init__ (the default would setattr, which is refused)
        return (type(self), tuple(getattr(self, f) for f in self._fields))

    def _replace(self, **changes: Any) -> "Node":
        """A copy with some fields changed (as ``dataclasses.replace``)."""
        values = {f: getattr(self, f) for f in self._fields}
        for k in changes:
            if k not in values:
                raise TypeError(f"{type(self).__name__} has no field {k!r}")
        values.update(changes)
        return type(self)(**values)


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------

class Identifier(Node):
    name: str


class IntegerLiteral(Node):
    value: int


class FloatLiteral(Node):
    value: float


class StringLiteral(Node):
    value: str  # unescaped


class DurationLiteral(Node):
    # (magnitude, unit) pairs in source order; unit is one of
    # y mo w d h m s ms us ns ("µs" is normalised to "us" as libflux does).
    values: Tuple[Tuple[int, str], ...]


class DateTimeLiteral(Node):
    value: str  # the literal as written; validated as RFC 3339 by the parser


class RegexpLiteral(Node):
    value: str  # the pattern with "\/" unescaped


class PipeLiteral(Node):
    """``<-`` as a parameter default: ``(tables=<-) => ...``."""


class LabelLiteral(Node):
    value: str


class TextPart(Node):
    value: str  # unescaped


class InterpolatedPart(Node):
    expression: "Expression"


class StringExpression(Node):
    parts: Tuple[Union[TextPart, InterpolatedPart], ...]


class ParenExpression(Node):
    expression: "Expression"


class ArrayExpression(Node):
    elements: Tuple["Expression", ...]


class DictItem(Node):
    key: "Expression"
    value: "Expression"


class DictExpression(Node):
    items: Tuple[DictItem, ...]  # () for the empty dictionary [:]


class Property(Node):
    """A record property, call argument or function parameter.

    ``value`` is None for the shorthand forms ``{a}`` / ``f(a)`` and for a
    parameter without a default.
    """
    key: Union[Identifier, StringLiteral]
    value: Optional["Expression"]


class ObjectExpression(Node):
    with_: Optional[Identifier]  # the source of {r with ...}
    properties: Tuple[Property, ...]


class Block(Node):
    body: Tuple["Statement", ...]


class FunctionExpression(Node):
    params: Tuple[Property, ...]  # key = parameter name, value = default
    body: Union["Expression", Block]


class CallExpression(Node):
    callee: "Expression"
    # Flux wraps all arguments in a single record; None for ``f()``.
    arguments: Optional[ObjectExpression]


class PipeExpression(Node):
    argument: "Expression"
    call: CallExpression


class MemberExpression(Node):
    """``a.b`` (property is an Identifier) or ``a["b"]`` (a StringLiteral)."""
    object: "Expression"
    property: Union[Identifier, StringLiteral]


class IndexExpression(Node):
    array: "Expression"
    index: "Expression"


class BinaryExpression(Node):
    # one of: + - * / % ^ == != < <= > >= =~ !~
    operator: str
    left: "Expression"
    right: "Expression"


class LogicalExpression(Node):
    operator: str  # "and" | "or"
    left: "Expression"
    right: "Expression"


class UnaryExpression(Node):
    operator: str  # "-" | "+" | "not" | "exists"
    argument: "Expression"


class ConditionalExpression(Node):
    test: "Expression"
    consequent: "Expression"
    alternate: "Expression"


Expression = Union[
    Identifier, IntegerLiteral, FloatLiteral, StringLiteral, DurationLiteral,
    DateTimeLiteral, RegexpLiteral, PipeLiteral, LabelLiteral, StringExpression,
    ParenExpression, ArrayExpression, DictExpression, ObjectExpression,
    FunctionExpression, CallExpression, PipeExpression, MemberExpression,
    IndexExpression, BinaryExpression, LogicalExpression, UnaryExpression,
    ConditionalExpression,
]


# ---------------------------------------------------------------------------
# Type expressions (builtin statements and the stdlib signatures)
# ---------------------------------------------------------------------------

class NamedType(Node):
    name: str  # bool int uint float string duration time regexp bytes (checked later)


class TvarType(Node):
    name: str  # any one-letter identifier, as libflux's parser decides


class ArrayType(Node):
    element: "MonoType"


class StreamType(Node):
    element: "MonoType"


class VectorType(Node):
    element: "MonoType"


class DictType(Node):
    key: "MonoType"
    value: "MonoType"


class DynamicType(Node):
    pass


class LabelType(Node):
    value: str


class PropertyType(Node):
    name: str  # an identifier or the value of a string literal
    monotype: "MonoType"


class RecordType(Node):
    tvar: Optional[str]  # the row variable of {A with ...}
    properties: Tuple[PropertyType, ...]


class ParameterType(Node):
    kind: str  # "required" | "optional" | "pipe"
    name: Optional[str]  # None only for the unnamed pipe "<-: T"
    monotype: "MonoType"
    default: Optional[LabelLiteral] = None


class FunctionType(Node):
    parameters: Tuple[ParameterType, ...]
    result: "MonoType"


MonoType = Union[
    NamedType, TvarType, ArrayType, StreamType, VectorType, DictType,
    DynamicType, LabelType, RecordType, FunctionType,
]


class TypeConstraint(Node):
    tvar: str
    kinds: Tuple[str, ...]


class TypeExpression(Node):
    monotype: MonoType
    constraints: Tuple[TypeConstraint, ...]


# ---------------------------------------------------------------------------
# Statements and files
# ---------------------------------------------------------------------------

class Attribute(Node):
    """``@name`` or ``@name(args)``; args are primary expressions."""
    name: str
    params: Tuple[Expression, ...]


class VariableAssignment(Node):
    id: Identifier
    init: Expression
    attributes: Tuple[Attribute, ...] = ()


class MemberAssignment(Node):
    """The target of ``option pkg.name = ...``."""
    member: MemberExpression
    init: Expression


class OptionStatement(Node):
    assignment: Union[VariableAssignment, MemberAssignment]
    attributes: Tuple[Attribute, ...] = ()


class BuiltinStatement(Node):
    id: Identifier
    type: TypeExpression
    attributes: Tuple[Attribute, ...] = ()


class TestCaseStatement(Node):
    id: Identifier
    extends: Optional[StringLiteral]
    block: Block
    attributes: Tuple[Attribute, ...] = ()


class ReturnStatement(Node):
    argument: Expression
    attributes: Tuple[Attribute, ...] = ()


class ExpressionStatement(Node):
    expression: Expression
    attributes: Tuple[Attribute, ...] = ()


Statement = Union[
    VariableAssignment, OptionStatement, BuiltinStatement, TestCaseStatement,
    ReturnStatement, ExpressionStatement,
]


class PackageClause(Node):
    name: Identifier
    attributes: Tuple[Attribute, ...] = ()


class ImportDeclaration(Node):
    alias: Optional[Identifier]
    path: StringLiteral
    attributes: Tuple[Attribute, ...] = ()


class File(Node):
    package: Optional[PackageClause]
    imports: Tuple[ImportDeclaration, ...]
    body: Tuple[Statement, ...]


def _generate_methods() -> None:
    """Give every node class its ``__init__``, ``__eq__`` and ``__hash__``."""
    # Fields are stored through the slot descriptors' __set__, which bypasses
    # the refusing __setattr__ and is about twice as fast as object.__setattr__.
    ns: Dict[str, Any] = {"NOWHERE": NOWHERE, "NotImplemented": NotImplemented}
    lines: List[str] = []
    for cls in _NODE_CLASSES:
        c = cls.__name__
        own = cls._fields[:-1]
        params = []
        for f in own:
            if f in cls._defaults:
                ns[f"_d_{c}_{f}"] = cls._defaults[f]
                params.append(f"{f}=_d_{c}_{f}")
            else:
                params.append(f)
        params.append("loc=NOWHERE")
        lines.append(f"def _init_{c}(self, {', '.join(params)}):")
        for f in cls._fields:
            ns[f"_s_{c}_{f}"] = (cls if f != "loc" else Node).__dict__[f].__set__
            lines.append(f"    _s_{c}_{f}(self, {f})")
        key = "".join(f"self.{f}, " for f in own)
        other = "".join(f"other.{f}, " for f in own)
        lines.append(f"def _eq_{c}(self, other):")
        lines.append("    if other.__class__ is self.__class__:")
        lines.append(f"        return ({key}) == ({other})")
        lines.append("    return NotImplemented")
        lines.append(f"def _hash_{c}(self):")
        lines.append(f"    return hash(({key}))")
    exec(compile("\n".join(lines), f"<{__name__} methods>", "exec"), ns)
    for cls in _NODE_CLASSES:
        c = cls.__name__
        for method in ("init", "eq", "hash"):
            fn = ns[f"_{method}_{c}"]
            fn.__name__ = fn.__qualname__ = f"__{method}__"
            fn.__qualname__ = f"{c}.__{method}__"
            fn.__module__ = __name__
            type.__setattr__(cls, f"__{method}__", fn)


_generate_methods()
