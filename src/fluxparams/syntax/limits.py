"""Nesting limits, measured as libflux measures them.

libflux v0.193 (what the oracle runs) rejects a program in two ways:

* its recursive-descent parser gives up when more than 80 frames of
  ``parse_statement`` and ``parse_expression`` are active at once. (This is
  the model that reproduces every boundary we measured.) Every statement is a
  frame; so is every full Expression it parses: a statement's expression, a
  parenthesised expression (except when the first token inside is an
  identifier: that path continues with ``parse_expression_suffix``), array
  elements, dictionary keys and values, property values (records, call
  arguments, parameter defaults), an index, an interpolation, an expression
  function body, and the three parts of if/then/else. An expression statement
  that starts with an identifier is parsed the same suffix way: no frame for
  its expression. Operators, unary prefixes, members and calls cost nothing.
* ``ast::check`` walks the JSON AST and rejects nodes deeper than 180 (the
  File is depth 1; dictionary items and attributes are not nodes of that walk,
  the name of a named type or type variable is).

Both were measured against the oracle for every construct, about 9,600 probes
(the boundaries are kept in tests/cases/parse/*depth* and tests/test_syntax.py).
Each node's height and frame count are computed bottom-up by :func:`measure` as
the tree builder makes it, and a node that can no longer fit is refused at
once, so the tree never grows deep enough to endanger any recursive pass
(inference, unparse).
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Tuple, Type, TypeVar

from .. import tree as t
from .errors import FluxSyntaxError
from .positions import context, error_at

__all__ = ["AST_DEPTH_LIMIT", "INVALID_OPERATOR", "PARSER_DEPTH_LIMIT", "check_statement", "measure",
           "measured", "too_deep"]

PARSER_DEPTH_LIMIT = 80
AST_DEPTH_LIMIT = 180

# The operator of "(a b)": expressions side by side inside parentheses, a
# property value or an index. libflux's parser accepts them (no syntax error)
# and its type checker reports "invalid binary operator <INVALID_OP>".
INVALID_OPERATOR = "<INVALID_OP>"

# fields whose expression is parsed by a parse_expression frame of its own
_FRAMED: Dict[type, Tuple[str, ...]] = {
    t.ArrayExpression: ("elements",),
    t.DictItem: ("key", "value"),
    t.Property: ("value",),
    t.IndexExpression: ("index",),
    t.InterpolatedPart: ("expression",),
    t.ConditionalExpression: ("test", "consequent", "alternate"),
    t.VariableAssignment: ("init",),
    t.MemberAssignment: ("init",),
    t.ReturnStatement: ("argument",),
}
# statements that are a parse_statement frame themselves (an option's frame is
# its inner assignment's)
_STATEMENT_FRAME_SET: FrozenSet[type] = frozenset((
    t.VariableAssignment, t.MemberAssignment, t.ReturnStatement, t.ExpressionStatement,
    t.BuiltinStatement, t.TestCaseStatement))
# JSON nodes whose name is an Identifier node of its own (one level more)
_NAMED_LEAF_SET: FrozenSet[type] = frozenset((t.NamedType, t.TvarType, t.TypeConstraint))
# classes whose frame bump depends on the child (see measure)
_BUMP_BY_CHILD: FrozenSet[type] = frozenset((t.ParenExpression, t.FunctionExpression,
                                             t.ExpressionStatement))

# Per node class, what measure looks at: (field, frame bump) for each field
# that can hold nodes (attributes are not counted); an empty plan is a leaf.
_PLANS: Dict[type, Tuple[Tuple[str, int], ...]] = {
    cls: tuple((name, 1 if name in _FRAMED.get(cls, ()) else 0)
               for name in t.child_fields(cls) if name != "attributes")
    for cls in t.NODE_CLASSES
}

N = TypeVar("N", bound=t.Node)

# One shared tuple per (height, frames): a measure entry then costs no tuple of
# its own (heights stop at 180 and frames at 80, so this stays small).
_PAIRS: Dict[Tuple[int, int], Tuple[int, int]] = {}


def _pair(height: int, frames: int) -> Tuple[int, int]:
    return _PAIRS.setdefault((height, frames), (height, frames))


def _starts_with_identifier(expr: t.Node) -> bool:
    return isinstance(t.leftmost(expr), t.Identifier)


def measure(node: N) -> N:
    """Record the height and parser frames of a freshly built node; refuse it when too deep."""
    cls: Type[t.Node] = type(node)
    plan = _PLANS[cls]
    if not plan:
        # A leaf: (height 1, no frames) is what a missing entry means, so only
        # the leaves that count one level more need recording.
        if cls in _NAMED_LEAF_SET:
            context.measures[id(node)] = _pair(2, 0)
            context.measured_nodes.append(node)
        return node
    info = context.measures
    get = info.get
    height = 1
    frames = 0
    by_child = cls in _BUMP_BY_CHILD
    for name, bump in plan:
        value = getattr(node, name)
        if by_child:
            if cls is t.ParenExpression:
                bump = 0 if _starts_with_identifier(value) else 1
                if type(value) is t.BinaryExpression and value.operator == INVALID_OPERATOR:
                    frames = max(frames, _juxtaposed_frames(value, info))
            elif cls is t.FunctionExpression:
                if name == "body":
                    bump = 0 if type(value) is t.Block else 1
            else:  # ExpressionStatement
                bump = 0 if _starts_with_identifier(value) else 1
        for child in (value if type(value) is tuple else (value,)):
            if child is None:
                continue
            got = get(id(child))
            if got is None:
                ch, cf = 1, 0
            else:
                ch, cf = got[0], got[1]
            if ch >= height:
                height = ch + 1
            if cf + bump > frames:
                frames = cf + bump
    if cls is t.DictItem:  # not a node in libflux's JSON: transparent
        height -= 1
    if cls in _STATEMENT_FRAME_SET:
        frames += 1
    info[id(node)] = _PAIRS.get((height, frames)) or _pair(height, frames)
    context.measured_nodes.append(node)
    if isinstance(node, t.ParenExpression):
        # Nothing reads the measure of a parenthesised expression's inner
        # expression once the parentheses are measured (the builder never
        # takes it out again): dropping it keeps the table small on deep
        # nesting, where it was a third of the parse's memory.
        info.pop(id(node.expression), None)
    # A node this tall or with this many frames cannot fit anywhere below the
    # File (depth >= 2): refuse it now rather than build further.
    if height > AST_DEPTH_LIMIT - 1 or frames > PARSER_DEPTH_LIMIT:
        raise too_deep(node)
    return node


def _juxtaposed_frames(chain: t.Node, info: Dict[int, Tuple[int, int]]) -> int:
    """Frames of "(e1 e2 ...)": one parse_expression per element, side by side."""
    elements = []
    while isinstance(chain, t.BinaryExpression) and chain.operator == INVALID_OPERATOR:
        elements.append(chain.right)
        chain = chain.left
    got = info.get(id(chain))
    frames = (0 if got is None else got[1]) + (0 if _starts_with_identifier(chain) else 1)
    for element in elements:
        got = info.get(id(element))
        frames = max(frames, (0 if got is None else got[1]) + 1)
    return frames


def too_deep(node: object) -> FluxSyntaxError:
    """The error for a node nested deeper than libflux allows."""
    return error_at("program is nested too deep (libflux allows 80 nested expressions "
                    "and a syntax tree 180 levels deep)", node)


def measured(node: object) -> Tuple[int, int]:
    """(height, parser frames) of a node built in this parse."""
    got = context.measures.get(id(node))
    return (1, 0) if got is None else (got[0], got[1])


def check_statement(stmt: object) -> None:
    """Refuse a top-level statement that does not fit below the File."""
    height, frames = measured(stmt)
    if height + 1 > AST_DEPTH_LIMIT or frames > PARSER_DEPTH_LIMIT:
        raise too_deep(stmt)


def check_frames(node: object) -> None:
    """Refuse an attribute parameter parsed with too many frames."""
    if measured(node)[1] > PARSER_DEPTH_LIMIT:
        raise too_deep(node)
