"""Properties of the parser: robustness on any input, and tree -> source -> tree."""
from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import pytest
from conftest import CASES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fluxparams import tree as t
from fluxparams.syntax import (
    KEYWORDS,
    FluxSyntaxError,
    parse,
    parse_type_expression,
)
from fluxparams.unparse import (
    ADDITIVE,
    AND,
    COMPARISON,
    MULTIPLICATIVE,
    NOT,
    OR,
    PIPE,
    POSTFIX,
    POWER,
    UNARY,
    parenthesize,
    quote_string,
    unparse,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

GRAMMAR = Path(__file__).resolve().parents[1] / "grammar" / "flux.lark"


def parses_or_syntax_error(source: str) -> None:
    try:
        parse(source)
    except FluxSyntaxError as e:
        assert e.lineno >= 1 and e.offset >= 1 and isinstance(e.msg, str)


# ---------------------------------------------------------------------------
# (a) robustness: nothing but FluxSyntaxError, whatever the input
# ---------------------------------------------------------------------------

@cache
def _grammar_strategy():
    import lark
    from hypothesis.extra.lark import from_lark
    grammar = lark.Lark(GRAMMAR.read_text(encoding="utf-8"), parser="lalr",
                        start=["file", "type_expression"])
    return from_lark(grammar, start="file")


@FAST
@given(st.data())
def test_grammar_generated_text_parses_or_fails_cleanly(data):
    parses_or_syntax_error(data.draw(_grammar_strategy()))


def _valid_scripts():
    return [p.read_text(encoding="utf-8") for p in sorted((CASES / "parse").glob("ok_*.flux"))
            if p.stat().st_size < 2000 and p.stat().st_size > 0]


VALID = _valid_scripts()
MUTATION_CHARS = st.sampled_from(list('(){}[]"$\\/.,:=<>|-+*^%@!?#;\n\r\t\x00 µé日')
                                 + ["${", "//", "=>", "|>", "<-", "\ud800"])


@FAST
@given(st.sampled_from(VALID),
       st.lists(st.tuples(st.integers(0, 10 ** 6), st.sampled_from(["insert", "delete", "replace"]),
                          MUTATION_CHARS), min_size=1, max_size=4))
def test_mutated_scripts_parse_or_fail_cleanly(script, edits):
    for position, op, text in edits:
        i = position % (len(script) + 1)
        if op == "insert":
            script = script[:i] + text + script[i:]
        elif op == "delete":
            script = script[:i] + script[i + 1:]
        else:
            script = script[:i] + text + script[i + 1:]
    parses_or_syntax_error(script)


@FAST
@given(st.text(max_size=60))
def test_arbitrary_text_parses_or_fails_cleanly(text):
    parses_or_syntax_error(text)


# ---------------------------------------------------------------------------
# (b) round trip: tree -> unparse -> parse == tree (loc ignored)
# ---------------------------------------------------------------------------

NAMES = st.text(string.ascii_lowercase + "_", min_size=1, max_size=6).filter(
    lambda s: s not in KEYWORDS)
IDENT = NAMES.map(t.Identifier)
UNITS = st.sampled_from(["y", "mo", "w", "d", "h", "m", "s", "ms", "us", "ns"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)


def _datetime(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S") + "Z"


LEAVES = st.one_of(
    IDENT,
    st.integers(0, 2 ** 63 - 1).map(t.IntegerLiteral),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).filter(
        lambda f: str(f)[0] != "-").map(t.FloatLiteral),
    TEXT.map(t.StringLiteral),
    st.lists(st.tuples(st.integers(0, 10 ** 6), UNITS), min_size=1, max_size=3).map(
        lambda v: t.DurationLiteral(tuple(v))),
    st.datetimes(min_value=__import__("datetime").datetime(1000, 1, 1)).map(
        lambda d: t.DateTimeLiteral(_datetime(d))),
    st.from_regex(r"\A[a-z0-9 ]{1,4}(\.\*|\+|[0-9]{1,2}|\\d|/x)?\Z").map(t.RegexpLiteral),
    NAMES.map(t.LabelLiteral),
    st.just(t.PipeLiteral()),
)


def _not_int_member(obj):
    # "1.b" would lex as the float "1." then "b": such objects need parentheses
    return t.ParenExpression(obj) if isinstance(obj, t.IntegerLiteral) else obj


def _function_body(body):
    # "=> {" always opens a block: a body starting with a record needs parentheses
    leftmost = t.leftmost(body)
    return t.ParenExpression(body) if isinstance(leftmost, t.ObjectExpression) else body


def _properties(children, allow_shorthand=True):
    explicit = st.lists(st.tuples(st.one_of(IDENT, TEXT.map(t.StringLiteral)), children),
                        min_size=1, max_size=3).map(
        lambda ps: tuple(t.Property(k, v) for k, v in ps))
    if not allow_shorthand:
        return explicit
    shorthand = st.lists(IDENT, min_size=1, max_size=3).map(
        lambda ks: tuple(t.Property(k, None) for k in ks))
    return st.one_of(explicit, shorthand)


def _text_parts(children):
    def build(pieces):
        parts = []
        for text, expr in pieces:
            if text:
                parts.append(t.TextPart(text))
            parts.append(t.InterpolatedPart(expr))
        return t.StringExpression(tuple(parts))
    return st.lists(st.tuples(TEXT, children), min_size=1, max_size=3).map(build)


def _extend(children):
    binary_ops = st.sampled_from([("+", ADDITIVE), ("-", ADDITIVE), ("*", MULTIPLICATIVE),
                                  ("/", MULTIPLICATIVE), ("%", MULTIPLICATIVE), ("^", POWER),
                                  ("==", COMPARISON), ("!=", COMPARISON), ("<", COMPARISON),
                                  ("<=", COMPARISON), (">", COMPARISON), (">=", COMPARISON),
                                  ("=~", COMPARISON), ("!~", COMPARISON)])
    call = st.builds(
        lambda callee, props: t.CallExpression(
            parenthesize(_not_int_member(callee), POSTFIX),
            None if props is None else t.ObjectExpression(None, props)),
        children, st.none() | _properties(children))
    return st.one_of(
        st.builds(lambda op, left, right: t.BinaryExpression(op[0], parenthesize(left, op[1]),
                                                             parenthesize(right, op[1] + 1)),
                  binary_ops, children, children),
        st.builds(lambda op, left, right: t.LogicalExpression(
            op[0], parenthesize(left, op[1]), parenthesize(right, op[1] + 1)),
            st.sampled_from([("and", AND), ("or", OR)]), children, children),
        st.builds(lambda op, a: t.UnaryExpression(
            op, parenthesize(a, NOT if op in ("not", "exists") else UNARY)),
                  st.sampled_from(["-", "+", "not", "exists"]), children),
        st.builds(t.ConditionalExpression, children, children, children),
        st.builds(lambda o, p: t.MemberExpression(parenthesize(_not_int_member(o), POSTFIX), p),
                  children, st.one_of(IDENT, TEXT.map(t.StringLiteral))),
        st.builds(lambda a, i: t.IndexExpression(parenthesize(_not_int_member(a), POSTFIX), i),
                  children, st.one_of(IDENT, st.integers(0, 9).map(t.IntegerLiteral))),
        call,
        st.builds(lambda a, c: t.PipeExpression(parenthesize(a, PIPE), c), children, call),
        st.builds(t.ParenExpression, children),
        st.lists(children, max_size=3).map(lambda es: t.ArrayExpression(tuple(es))),
        st.lists(st.tuples(children, children), max_size=3).map(
            lambda items: t.DictExpression(tuple(t.DictItem(k, v) for k, v in items))),
        st.builds(t.ObjectExpression, st.none() | IDENT, st.just(()) | _properties(children)),
        st.builds(lambda ps, body: t.FunctionExpression(ps, _function_body(body)),
                  st.lists(st.tuples(IDENT, st.none() | children), max_size=3).map(
                      lambda ps: tuple(t.Property(k, v) for k, v in ps)), children),
        st.builds(lambda stmts, ret: t.FunctionExpression(
            (), t.Block(tuple(stmts) + (t.ReturnStatement(ret),))),
                  st.lists(st.builds(t.VariableAssignment, IDENT, children), max_size=2), children),
        _text_parts(children),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12)
FILES = st.builds(
    lambda imports, body: t.File(None, tuple(t.ImportDeclaration(a, t.StringLiteral(p)) for a, p in imports),
                                 tuple(t.VariableAssignment(k, v) for k, v in body)),
    st.lists(st.tuples(st.none() | IDENT, TEXT), max_size=2),
    st.lists(st.tuples(IDENT, EXPRESSIONS), min_size=1, max_size=3))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(FILES)
def test_round_trip(tree):
    source = unparse(tree)
    assert parse(source) == tree, source


@FAST
@given(TEXT)
def test_quote_string_round_trips(value):
    assert parse("x = " + quote_string(value)).body[0].init == t.StringLiteral(value)


def test_stdlib_signatures_round_trip():
    from conftest import load_shared_json
    for package in load_shared_json("flux", "stdlib_types.json").values():
        for signature in package.values():
            te = parse_type_expression(signature)
            assert parse_type_expression(unparse(te)) == te


def test_unparse_adds_the_parentheses_precedence_needs():
    a, b, c = t.Identifier("a"), t.Identifier("b"), t.Identifier("c")
    tree = t.BinaryExpression("*", t.BinaryExpression("+", a, b), c)
    assert unparse(tree) == "(a + b) * c"
    assert unparse(t.BinaryExpression("-", a, t.BinaryExpression("-", b, c))) == "a - (b - c)"
    assert unparse(t.BinaryExpression("^", t.BinaryExpression("^", a, b), c)) == "a ^ b ^ c"
    assert unparse(t.CallExpression(t.FunctionExpression((), a), None)) == "(() => a)()"
    assert unparse(t.MemberExpression(t.IntegerLiteral(1), t.Identifier("b"))) == "1 .b"
    with pytest.raises(ValueError):
        unparse(t.FloatLiteral(float("nan")))
