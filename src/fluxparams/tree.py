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
frozen dataclasses with ``loc`` excluded from ``==``/``hash``/``repr`` (copy one
with ``node._replace(field=value)``) but are not built by ``dataclasses``:
generating six methods per class with ``exec`` cost more import time than
everything else in the package. Instead the
``__init__``/``__eq__``/``__hash__`` of all classes come from one source text
compiled once, at the end of this module.
"""
from __future__ import annotations

from types import FunctionType as _FunctionType
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    ClassVar,
    Dict,
    Iterator,
    List,
    NamedTuple,
    Optional,
    Tuple,
    Union,
)


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


_NODE_CLASSES: List[Any] = []


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


class Node(metaclass=_NodeMeta):
    """Base of every syntax tree node (see the module docstring)."""

    __slots__ = ("loc",)
    loc: Loc  # every node's position (declared for type checkers; set by __init__)
    _fields: ClassVar[Tuple[str, ...]] = ()
    _node_fields: ClassVar[Tuple[str, ...]] = ()
    _defaults: ClassVar[Dict[str, Any]] = {}

    if TYPE_CHECKING:
        # each class's __init__ is made at the end of this module: its fields
        # in order, then loc (default NOWHERE)
        def __init__(self, *fields: Any, **named: Any) -> None: ...

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenNodeError(f"cannot assign to field {name!r}: syntax tree nodes are immutable")

    def __delattr__(self, name: str) -> None:
        raise FrozenNodeError(f"cannot delete field {name!r}: syntax tree nodes are immutable")

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields[:-1])
        return f"{type(self).__qualname__}({inner})"

    def __reduce__(self) -> Tuple[type, Tuple[Any, ...]]:
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


# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------

_Setter = Callable[[Any, Any], None]
_Method = Callable[..., None]

# Each class gets an __init__, __eq__ and __hash__ made from a template for its
# number of fields, with the template's placeholder names (f0, f1, ...) renamed
# to the real field names in a copy of its code object. This gives the same
# functions (signature, keyword arguments, speed) as source generated per class,
# without compiling any source at import time, which cost ~10 ms for this module.
# __init__ stores through the slot descriptors' __set__ (closure cells), which
# bypasses the refusing __setattr__ and is twice as fast as object.__setattr__.

def _init0(sl: _Setter) -> _Method:
    def __init__(self: Any, loc: Any) -> None:
        sl(self, loc)
    return __init__


def _init1(s0: _Setter, sl: _Setter) -> _Method:
    def __init__(self: Any, f0: Any, loc: Any) -> None:
        s0(self, f0)
        sl(self, loc)
    return __init__


def _init2(s0: _Setter, s1: _Setter, sl: _Setter) -> _Method:
    def __init__(self: Any, f0: Any, f1: Any, loc: Any) -> None:
        s0(self, f0)
        s1(self, f1)
        sl(self, loc)
    return __init__


def _init3(s0: _Setter, s1: _Setter, s2: _Setter, sl: _Setter) -> _Method:
    def __init__(self: Any, f0: Any, f1: Any, f2: Any, loc: Any) -> None:
        s0(self, f0)
        s1(self, f1)
        s2(self, f2)
        sl(self, loc)
    return __init__


def _init4(s0: _Setter, s1: _Setter, s2: _Setter, s3: _Setter, sl: _Setter) -> _Method:
    def __init__(self: Any, f0: Any, f1: Any, f2: Any, f3: Any, loc: Any) -> None:
        s0(self, f0)
        s1(self, f1)
        s2(self, f2)
        s3(self, f3)
        sl(self, loc)
    return __init__


def _eq0(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return True
    return NotImplemented


def _eq1(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return (self.f0,) == (other.f0,)
    return NotImplemented


def _eq2(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return (self.f0, self.f1) == (other.f0, other.f1)
    return NotImplemented


def _eq3(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return (self.f0, self.f1, self.f2) == (other.f0, other.f1, other.f2)
    return NotImplemented


def _eq4(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return (self.f0, self.f1, self.f2, self.f3) == (other.f0, other.f1, other.f2, other.f3)
    return NotImplemented


def _hash0(self: Any) -> int:
    return hash(())


def _hash1(self: Any) -> int:
    return hash((self.f0,))


def _hash2(self: Any) -> int:
    return hash((self.f0, self.f1))


def _hash3(self: Any) -> int:
    return hash((self.f0, self.f1, self.f2))


def _hash4(self: Any) -> int:
    return hash((self.f0, self.f1, self.f2, self.f3))


_TEMPLATES: List[Tuple[Callable[..., _Method], Callable[..., Any], Callable[..., int]]] = [
    (_init0, _eq0, _hash0), (_init1, _eq1, _hash1), (_init2, _eq2, _hash2),
    (_init3, _eq3, _hash3), (_init4, _eq4, _hash4)]


def _renamed(fn: Any, cls: type, method: str, names: Dict[str, str]) -> Any:
    code = fn.__code__
    code = code.replace(co_name=method,
                        co_names=tuple(names.get(n, n) for n in code.co_names),
                        co_varnames=tuple(names.get(n, n) for n in code.co_varnames))
    new = _FunctionType(code, fn.__globals__, method, None, fn.__closure__)
    new.__qualname__ = f"{cls.__qualname__}.{method}"
    new.__module__ = __name__
    return new


def _add_methods(cls: Any) -> None:
    own = cls._fields[:-1]
    init, eq, hash_ = _TEMPLATES[len(own)]
    names = {f"f{i}": f for i, f in enumerate(own)}
    setters = [cls.__dict__[f].__set__ for f in own] + [Node.__dict__["loc"].__set__]
    init_fn = _renamed(init(*setters), cls, "__init__", names)
    first_default = next((i for i, f in enumerate(own) if f in cls._defaults), len(own))
    init_fn.__defaults__ = tuple(cls._defaults[f] for f in own[first_default:]) + (NOWHERE,)
    type.__setattr__(cls, "__init__", init_fn)
    type.__setattr__(cls, "__eq__", _renamed(eq, cls, "__eq__", names))
    type.__setattr__(cls, "__hash__", _renamed(hash_, cls, "__hash__", names))


# Names in annotations that stand for nodes: a field annotated with none of
# them (str, int, Tuple[str, ...], ...) never holds a node.
_NODE_NAMES = frozenset([c.__name__ for c in _NODE_CLASSES] + ["Expression", "Statement", "MonoType"])


def _holds_nodes(annotation: Any) -> bool:
    words = str(annotation)
    for ch in '[],."\'':
        words = words.replace(ch, " ")
    return any(w in _NODE_NAMES for w in words.split())


for _cls in _NODE_CLASSES:
    _add_methods(_cls)
    _annotations = _cls.__dict__.get("__annotations__", {})
    # the fields that can hold a node or a tuple of nodes, in order (for tree walks)
    _cls._node_fields = tuple(f for f in _cls._fields[:-1] if _holds_nodes(_annotations[f]))
del _cls, _annotations

NODE_CLASSES: Tuple[type, ...] = tuple(_NODE_CLASSES)
"""Every node class, in definition order."""


def child_fields(cls: type) -> Tuple[str, ...]:
    """The fields of node class ``cls`` that can hold a node or a tuple of nodes, in order."""
    fields: Tuple[str, ...] = getattr(cls, "_node_fields", ())
    return fields


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree under ``node``, ``node`` first.

    Depth-first pre-order: a node, then the nodes under each of its fields in
    field order (the elements of a tuple field in order), the way the source
    reads for everything the parser builds. Iterative, so any depth is safe.
    """
    stack: List[Any] = [node]
    while stack:
        item = stack.pop()
        if item is None:
            continue
        if type(item) is tuple:
            stack.extend(reversed(item))
            continue
        if isinstance(item, Node):
            yield item
            fields = type(item)._node_fields
            for name in reversed(fields):
                stack.append(getattr(item, name))


def leftmost(node: Node) -> Node:
    """The node a left-recursive chain starts with: the first operand of an
    operator, the callee of a call, the object of a member or index, the
    argument of a pipe, repeatedly (``a.b(c) + d`` -> ``a``). Iterative."""
    while True:
        if isinstance(node, (BinaryExpression, LogicalExpression)):
            node = node.left
        elif isinstance(node, CallExpression):
            node = node.callee
        elif isinstance(node, MemberExpression):
            node = node.object
        elif isinstance(node, IndexExpression):
            node = node.array
        elif isinstance(node, PipeExpression):
            node = node.argument
        else:
            return node
