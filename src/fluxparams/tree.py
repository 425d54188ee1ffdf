"""The Flux syntax tree: the project's own node classes.

Every node is a frozen dataclass whose last field is ``loc``: a :class:`Loc`
with 1-based ``line``/``column`` and an *exclusive* ``end_line``/``end_column``
(the same convention libflux prints, ``1:14-1:20`` for ``params``).

``loc`` is left out of equality, so two trees compare equal when they have the
same shape and values wherever they came from; the round-trip property
(tree -> source -> tree) relies on it.

The classes mirror libflux's AST (``flux-core/src/ast/mod.rs``) closely enough
that a reader of either can find their way in the other, minus the parts that
only the formatter needs (comments) and minus error-recovery nodes: a script
that libflux would salvage with ``BadStatement`` is a syntax error here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Optional, Tuple, Union


class Loc(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}-{self.end_line}:{self.end_column}"


NOWHERE = Loc(0, 0, 0, 0)


def _loc():
    return field(default=NOWHERE, compare=False, repr=False)


# ---------------------------------------------------------------------------
# Expressions
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Identifier:
    name: str
    loc: Loc = _loc()


@dataclass(frozen=True)
class IntegerLiteral:
    value: int
    loc: Loc = _loc()


@dataclass(frozen=True)
class FloatLiteral:
    value: float
    loc: Loc = _loc()


@dataclass(frozen=True)
class StringLiteral:
    value: str  # unescaped
    loc: Loc = _loc()


@dataclass(frozen=True)
class DurationLiteral:
    # (magnitude, unit) pairs in source order; unit is one of
    # y mo w d h m s ms us ns ("µs" is normalised to "us" as libflux does).
    values: Tuple[Tuple[int, str], ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class DateTimeLiteral:
    value: str  # the literal as written; validated as RFC 3339 by the parser
    loc: Loc = _loc()


@dataclass(frozen=True)
class RegexpLiteral:
    value: str  # the pattern with "\/" unescaped
    loc: Loc = _loc()


@dataclass(frozen=True)
class PipeLiteral:
    """``<-`` as a parameter default: ``(tables=<-) => ...``."""
    loc: Loc = _loc()


@dataclass(frozen=True)
class LabelLiteral:
    value: str
    loc: Loc = _loc()


@dataclass(frozen=True)
class TextPart:
    value: str  # unescaped
    loc: Loc = _loc()


@dataclass(frozen=True)
class InterpolatedPart:
    expression: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class StringExpression:
    parts: Tuple[Union[TextPart, InterpolatedPart], ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class ParenExpression:
    expression: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class ArrayExpression:
    elements: Tuple["Expression", ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class DictItem:
    key: "Expression"
    value: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class DictExpression:
    items: Tuple[DictItem, ...]  # () for the empty dictionary [:]
    loc: Loc = _loc()


@dataclass(frozen=True)
class Property:
    """A record property, call argument or function parameter.

    ``value`` is None for the shorthand forms ``{a}`` / ``f(a)`` and for a
    parameter without a default.
    """
    key: Union[Identifier, StringLiteral]
    value: Optional["Expression"]
    loc: Loc = _loc()


@dataclass(frozen=True)
class ObjectExpression:
    with_: Optional[Identifier]  # the source of {r with ...}
    properties: Tuple[Property, ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class Block:
    body: Tuple["Statement", ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class FunctionExpression:
    params: Tuple[Property, ...]  # key = parameter name, value = default
    body: Union["Expression", Block]
    loc: Loc = _loc()


@dataclass(frozen=True)
class CallExpression:
    callee: "Expression"
    # Flux wraps all arguments in a single record; None for ``f()``.
    arguments: Optional[ObjectExpression]
    loc: Loc = _loc()


@dataclass(frozen=True)
class PipeExpression:
    argument: "Expression"
    call: CallExpression
    loc: Loc = _loc()


@dataclass(frozen=True)
class MemberExpression:
    """``a.b`` (property is an Identifier) or ``a["b"]`` (a StringLiteral)."""
    object: "Expression"
    property: Union[Identifier, StringLiteral]
    loc: Loc = _loc()


@dataclass(frozen=True)
class IndexExpression:
    array: "Expression"
    index: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class BinaryExpression:
    # one of: + - * / % ^ == != < <= > >= =~ !~
    operator: str
    left: "Expression"
    right: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class LogicalExpression:
    operator: str  # "and" | "or"
    left: "Expression"
    right: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class UnaryExpression:
    operator: str  # "-" | "+" | "not" | "exists"
    argument: "Expression"
    loc: Loc = _loc()


@dataclass(frozen=True)
class ConditionalExpression:
    test: "Expression"
    consequent: "Expression"
    alternate: "Expression"
    loc: Loc = _loc()


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

@dataclass(frozen=True)
class NamedType:
    name: str  # bool int uint float string duration time regexp bytes (checked later)
    loc: Loc = _loc()


@dataclass(frozen=True)
class TvarType:
    name: str  # any one-letter identifier, as libflux's parser decides
    loc: Loc = _loc()


@dataclass(frozen=True)
class ArrayType:
    element: "MonoType"
    loc: Loc = _loc()


@dataclass(frozen=True)
class StreamType:
    element: "MonoType"
    loc: Loc = _loc()


@dataclass(frozen=True)
class VectorType:
    element: "MonoType"
    loc: Loc = _loc()


@dataclass(frozen=True)
class DictType:
    key: "MonoType"
    value: "MonoType"
    loc: Loc = _loc()


@dataclass(frozen=True)
class DynamicType:
    loc: Loc = _loc()


@dataclass(frozen=True)
class LabelType:
    value: str
    loc: Loc = _loc()


@dataclass(frozen=True)
class PropertyType:
    name: str  # an identifier or the value of a string literal
    monotype: "MonoType"
    loc: Loc = _loc()


@dataclass(frozen=True)
class RecordType:
    tvar: Optional[str]  # the row variable of {A with ...}
    properties: Tuple[PropertyType, ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class ParameterType:
    kind: str  # "required" | "optional" | "pipe"
    name: Optional[str]  # None only for the unnamed pipe "<-: T"
    monotype: "MonoType"
    default: Optional[LabelLiteral] = None
    loc: Loc = _loc()


@dataclass(frozen=True)
class FunctionType:
    parameters: Tuple[ParameterType, ...]
    result: "MonoType"
    loc: Loc = _loc()


MonoType = Union[
    NamedType, TvarType, ArrayType, StreamType, VectorType, DictType,
    DynamicType, LabelType, RecordType, FunctionType,
]


@dataclass(frozen=True)
class TypeConstraint:
    tvar: str
    kinds: Tuple[str, ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class TypeExpression:
    monotype: MonoType
    constraints: Tuple[TypeConstraint, ...]
    loc: Loc = _loc()


# ---------------------------------------------------------------------------
# Statements and files
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Attribute:
    """``@name`` or ``@name(args)``; args are primary expressions."""
    name: str
    params: Tuple[Expression, ...]
    loc: Loc = _loc()


@dataclass(frozen=True)
class VariableAssignment:
    id: Identifier
    init: Expression
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class MemberAssignment:
    """The target of ``option pkg.name = ...``."""
    member: MemberExpression
    init: Expression
    loc: Loc = _loc()


@dataclass(frozen=True)
class OptionStatement:
    assignment: Union[VariableAssignment, MemberAssignment]
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class BuiltinStatement:
    id: Identifier
    type: TypeExpression
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class TestCaseStatement:
    id: Identifier
    extends: Optional[StringLiteral]
    block: Block
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class ReturnStatement:
    argument: Expression
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class ExpressionStatement:
    expression: Expression
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


Statement = Union[
    VariableAssignment, OptionStatement, BuiltinStatement, TestCaseStatement,
    ReturnStatement, ExpressionStatement,
]


@dataclass(frozen=True)
class PackageClause:
    name: Identifier
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class ImportDeclaration:
    alias: Optional[Identifier]
    path: StringLiteral
    attributes: Tuple[Attribute, ...] = ()
    loc: Loc = _loc()


@dataclass(frozen=True)
class File:
    package: Optional[PackageClause]
    imports: Tuple[ImportDeclaration, ...]
    body: Tuple[Statement, ...]
    loc: Loc = _loc()
