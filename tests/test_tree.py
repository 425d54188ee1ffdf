"""The syntax tree classes: value semantics, immutability and their declared shape."""
from __future__ import annotations

import copy
import inspect
import pickle

import pytest

from fluxparams import parse
from fluxparams import tree as t

HERE = t.Loc(1, 2, 1, 5)
THERE = t.Loc(7, 1, 9, 3)


def node_classes():
    return [c for c in vars(t).values()
            if isinstance(c, type) and issubclass(c, t.Node) and c is not t.Node]


def test_every_class_ends_with_loc_defaulting_to_nowhere():
    classes = node_classes()
    assert len(classes) >= 50
    for cls in classes:
        assert cls._fields[-1] == "loc", cls
        params = list(inspect.signature(cls).parameters.values())
        assert [p.name for p in params] == list(cls._fields), cls
        assert params[-1].default is t.NOWHERE, cls


def test_fields_in_declared_order():
    assert t.BinaryExpression._fields == ("operator", "left", "right", "loc")
    assert t.ObjectExpression._fields == ("with_", "properties", "loc")
    assert t.ParameterType._fields == ("kind", "name", "monotype", "default", "loc")
    assert t.File._fields == ("package", "imports", "body", "loc")
    assert t.PipeLiteral._fields == ("loc",)


def test_defaults():
    a = t.VariableAssignment(t.Identifier("a"), t.IntegerLiteral(1))
    assert a.attributes == () and a.loc == t.NOWHERE
    p = t.ParameterType("optional", "x", t.NamedType("int"))
    assert p.default is None
    with pytest.raises(TypeError):
        t.BinaryExpression("+", t.Identifier("a"))  # a required field missing


def test_keyword_construction():
    n = t.BinaryExpression(operator="+", left=t.Identifier("a"), right=t.IntegerLiteral(1), loc=HERE)
    assert (n.operator, n.left, n.right, n.loc) == ("+", t.Identifier("a"), t.IntegerLiteral(1), HERE)


def test_equality_ignores_loc():
    assert t.Identifier("x", HERE) == t.Identifier("x", THERE)
    assert hash(t.Identifier("x", HERE)) == hash(t.Identifier("x", THERE))
    deep1 = parse("f = (a) => a + 1\n")
    deep2 = parse("\n\nf   =(a)=>a+1")
    assert deep1 == deep2
    assert deep1.body[0].loc != deep2.body[0].loc


def test_equality_compares_values():
    assert t.Identifier("x") != t.Identifier("y")
    assert t.BinaryExpression("+", t.Identifier("a"), t.Identifier("b")) != \
        t.BinaryExpression("-", t.Identifier("a"), t.Identifier("b"))
    assert parse("a = 1") != parse("a = 2")


def test_different_classes_with_same_values_are_unequal():
    assert t.Identifier("x") != t.TvarType("x")
    assert t.StringLiteral("x") != t.TextPart("x")
    assert t.ArrayType(t.NamedType("int")) != t.StreamType(t.NamedType("int"))
    assert t.PipeLiteral() != t.DynamicType()
    assert t.Identifier("x") != "x" and t.Identifier("x") != ("x",)


def test_nodes_are_frozen():
    n = t.Identifier("x", HERE)
    for name, value in (("name", "y"), ("loc", THERE), ("other", 1)):
        with pytest.raises(AttributeError):
            setattr(n, name, value)
    with pytest.raises(AttributeError):
        del n.name
    assert n.name == "x" and n.loc == HERE


def test_hashable_and_usable_as_keys():
    file = parse("a = [1, 2]\nb = {x: 1}\n")
    seen = {file: 1, file.body[0]: 2, t.Identifier("a"): 3}
    assert seen[parse("a = [1,2]\nb = {x: 1}")] == 1
    assert seen[t.Identifier("a", THERE)] == 3


def test_repr_shows_fields_but_not_loc():
    n = t.BinaryExpression("+", t.Identifier("a", HERE), t.IntegerLiteral(1, HERE), HERE)
    assert repr(n) == ("BinaryExpression(operator='+', left=Identifier(name='a'), "
                       "right=IntegerLiteral(value=1))")
    assert repr(t.PipeLiteral(HERE)) == "PipeLiteral()"
    assert eval(repr(n), vars(t)) == n


def test_replace_keeps_other_fields():
    a = t.VariableAssignment(t.Identifier("a"), t.IntegerLiteral(1), loc=HERE)
    b = a._replace(attributes=(t.Attribute("x", ()),))
    assert b.attributes == (t.Attribute("x", ()),) and b.id == a.id and b.loc == HERE
    assert a.attributes == ()
    with pytest.raises(TypeError):
        a._replace(nope=1)


def test_pickle_and_copy_keep_loc():
    file = parse('import "strings"\nx = strings.trim(v: "a", cutset: "b") |> f()\n')
    for other in (pickle.loads(pickle.dumps(file)), copy.deepcopy(file), copy.copy(file)):
        assert other == file
        assert other.body[0].loc == file.body[0].loc
        assert other.body[0].init.loc == file.body[0].init.loc


def test_node_classes_derive_from_node_directly():
    with pytest.raises(TypeError):
        class Sub(t.Identifier):  # noqa: F841 - the class statement itself must fail
            pass


def test_walk_yields_every_node_in_preorder():
    file = parse('x = f(a: [1, -b], c: "s${d}")\n')
    names = [type(n).__name__ for n in t.walk(file)]
    assert names == ["File", "VariableAssignment", "Identifier", "CallExpression", "Identifier",
                     "ObjectExpression", "Property", "Identifier", "ArrayExpression", "IntegerLiteral",
                     "UnaryExpression", "Identifier", "Property", "Identifier", "StringExpression",
                     "TextPart", "InterpolatedPart", "Identifier"]
    # source order: every node starts at or after the one before it
    starts = [n.loc[:2] for n in t.walk(file)]
    assert starts == sorted(starts)


def test_walk_is_not_recursive():
    deep = t.Identifier("x")
    for _ in range(5000):  # far deeper than the interpreter's recursion limit
        deep = t.UnaryExpression("-", deep)
    assert sum(1 for _ in t.walk(deep)) == 5001


def test_leftmost_and_child_fields():
    expr = parse("x = a.b(c: 1)[0] + d |> e()\n").body[0].init
    assert t.leftmost(expr) == t.Identifier("a")
    assert t.child_fields(t.BinaryExpression) == ("left", "right")
    assert t.child_fields(t.Identifier) == ()
    assert t.Identifier in t.NODE_CLASSES and t.File in t.NODE_CLASSES
