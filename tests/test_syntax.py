"""fluxparams.syntax: tree shapes, positions, precedence, errors, limits, the shipped parse table."""
from __future__ import annotations

import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from fluxparams import syntax
from fluxparams import tree as t
from fluxparams.syntax import FluxSyntaxError, parse, parse_type_expression


def expr(source: str):
    """The expression of a one-statement script ``x = <source>``."""
    return parse("x = " + source).body[0].init


def err(source: str) -> FluxSyntaxError:
    with pytest.raises(FluxSyntaxError) as info:
        parse(source)
    return info.value


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------

def test_file_parts():
    f = parse('package foo\nimport "strings"\nimport s "strings"\nx = 1\n')
    assert f.package == t.PackageClause(t.Identifier("foo"))
    assert f.imports == (t.ImportDeclaration(None, t.StringLiteral("strings")),
                         t.ImportDeclaration(t.Identifier("s"), t.StringLiteral("strings")))
    assert f.body == (t.VariableAssignment(t.Identifier("x"), t.IntegerLiteral(1)),)


def test_empty_file():
    f = parse("")
    assert f == t.File(None, (), ())


def test_pipeline_with_params():
    f = parse('from(bucket: params.b) |> range(start: -1h) |> filter(fn: (r) => r.x == params.v)')
    pipe = f.body[0].expression
    assert isinstance(pipe, t.PipeExpression)
    assert pipe.call.callee == t.Identifier("filter")
    inner = pipe.argument
    assert inner.call.arguments.properties[0].value == t.UnaryExpression(
        "-", t.DurationLiteral(((1, "h"),)))
    source = inner.argument
    assert source.arguments.properties == (
        t.Property(t.Identifier("bucket"),
                   t.MemberExpression(t.Identifier("params"), t.Identifier("b"))),)


def test_member_with_string_is_member_and_other_index_is_index():
    assert expr('r["a b"]') == t.MemberExpression(t.Identifier("r"), t.StringLiteral("a b"))
    assert expr("a[0]") == t.IndexExpression(t.Identifier("a"), t.IntegerLiteral(0))
    assert isinstance(expr('a[("k")]'), t.IndexExpression)


def test_calls_wrap_arguments_in_one_record():
    assert expr("f()") == t.CallExpression(t.Identifier("f"), None)
    assert expr("f(a, b)").arguments == t.ObjectExpression(
        None, (t.Property(t.Identifier("a"), None), t.Property(t.Identifier("b"), None)))


def test_records():
    assert expr("{}") == t.ObjectExpression(None, ())
    assert expr("{r with a: 1,}") == t.ObjectExpression(
        t.Identifier("r"), (t.Property(t.Identifier("a"), t.IntegerLiteral(1)),))
    assert expr('{"a b": 1}').properties[0].key == t.StringLiteral("a b")


def test_arrays_and_dicts():
    assert expr("[]") == t.ArrayExpression(())
    assert expr("[:]") == t.DictExpression(())
    assert expr("[1, 2,]") == t.ArrayExpression((t.IntegerLiteral(1), t.IntegerLiteral(2)))
    assert expr('["a": 1]') == t.DictExpression(
        (t.DictItem(t.StringLiteral("a"), t.IntegerLiteral(1)),))


def test_functions():
    f = expr("(a, b=1, tables=<-) => a")
    assert f.params == (t.Property(t.Identifier("a"), None),
                        t.Property(t.Identifier("b"), t.IntegerLiteral(1)),
                        t.Property(t.Identifier("tables"), t.PipeLiteral()))
    assert f.body == t.Identifier("a")
    block = expr("(r) => {\n y = r\n return y\n}").body
    assert block == t.Block((t.VariableAssignment(t.Identifier("y"), t.Identifier("r")),
                             t.ReturnStatement(t.Identifier("y"))))
    assert expr("(r) => {}").body == t.Block(())
    assert expr("(r) => {r}").body == t.Block((t.ExpressionStatement(t.Identifier("r")),))
    assert isinstance(expr("(r) => ({r with a: 1})").body, t.ParenExpression)


def test_function_body_is_maximal():
    f = expr("(r) => r + 1 |> g()")
    assert isinstance(f, t.FunctionExpression)
    assert isinstance(f.body, t.BinaryExpression)


def test_literals():
    assert expr("1.5") == t.FloatLiteral(1.5)
    assert expr(".5") == t.FloatLiteral(0.5)
    assert expr("1h30m") == t.DurationLiteral(((1, "h"), (30, "m")))
    assert expr("1µs1mo") == t.DurationLiteral(((1, "us"), (1, "mo")))
    assert expr("2018-01-01T00:00:00Z") == t.DateTimeLiteral("2018-01-01T00:00:00Z")
    assert expr(r"/a\/b/") == t.RegexpLiteral("a/b")
    assert expr(".a") == t.LabelLiteral("a")
    assert expr('."a b"') == t.LabelLiteral("a b")
    assert expr("<-") == t.PipeLiteral()


def test_strings_and_escapes():
    assert expr(r'"a\n\t\"\\\${x}"') == t.StringLiteral('a\n\t"\\${x}')
    assert expr(r'"\xc3\xa9"') == t.StringLiteral("é")
    assert expr('"$$"') == t.StringLiteral("$$")
    assert expr('"$${x}"') == t.StringLiteral("$${x}")
    assert expr('"a$"') == t.StringLiteral("a$")


def test_interpolation_with_nested_quotes_and_braces():
    s = expr('"a ${r["host"]} ${ {b: "}"}.b } c"')
    assert isinstance(s, t.StringExpression)
    assert [type(p).__name__ for p in s.parts] == [
        "TextPart", "InterpolatedPart", "TextPart", "InterpolatedPart", "TextPart"]
    assert s.parts[1].expression == t.MemberExpression(t.Identifier("r"), t.StringLiteral("host"))
    assert s.parts[3].expression.object.properties[0].value == t.StringLiteral("}")


def test_statements():
    f = parse('option a = 1\noption p.q = 2\nreturn 3\nbuiltin b : int\n'
              'testcase t extends "x" { y = 1 }\n')
    opt, member, ret, builtin, case = f.body
    assert opt.assignment == t.VariableAssignment(t.Identifier("a"), t.IntegerLiteral(1))
    assert member.assignment.member == t.MemberExpression(t.Identifier("p"), t.Identifier("q"))
    assert ret == t.ReturnStatement(t.IntegerLiteral(3))
    assert builtin.type == t.TypeExpression(t.NamedType("int"), ())
    assert case.extends == t.StringLiteral("x")
    assert case.block.body[0] == t.VariableAssignment(t.Identifier("y"), t.IntegerLiteral(1))


def test_attributes_attach_to_what_follows():
    f = parse('@edition("2022.1")\npackage main\n@a\n@b(1, "x")\nx = 1\n')
    assert f.package.attributes == (t.Attribute("edition", (t.StringLiteral("2022.1"),)),)
    assert f.body[0].attributes == (t.Attribute("a", ()),
                                    t.Attribute("b", (t.IntegerLiteral(1), t.StringLiteral("x"))))


def test_side_by_side_expressions_in_parentheses():
    assert expr("(a b)") == t.ParenExpression(
        t.BinaryExpression(syntax.INVALID_OPERATOR, t.Identifier("a"), t.Identifier("b")))


def test_statements_need_no_separator():
    assert len(parse("a = 1 b = 2 c = a").body) == 3


def test_regex_only_where_an_operand_is_expected():
    assert expr("a / b / c") == t.BinaryExpression(
        "/", t.BinaryExpression("/", t.Identifier("a"), t.Identifier("b")), t.Identifier("c"))
    assert expr("s =~ /a/ and t !~ /b/").left.right == t.RegexpLiteral("a")


def test_contextual_words_are_identifiers():
    f = parse("with = 1\nwhere = 2\nstream = 3\nx = r.with")
    assert [s.id.name for s in f.body] == ["with", "where", "stream", "x"]


def test_type_expressions():
    te = parse_type_expression(
        "(<-tables: stream[{A with _time: time}], ?n: int = .x, <-: B, fn: (r: A) => [K: V]) "
        "=> vector[dynamic] where A: Record, K: Comparable + Equatable")
    fn = te.monotype
    assert [p.kind for p in fn.parameters] == ["pipe", "optional", "pipe", "required"]
    assert fn.parameters[0].monotype == t.StreamType(
        t.RecordType("A", (t.PropertyType("_time", t.NamedType("time")),)))
    assert fn.parameters[1].default == t.LabelLiteral("x")
    assert fn.parameters[2].name is None
    assert fn.parameters[3].monotype.result == t.DictType(t.TvarType("K"), t.TvarType("V"))
    assert fn.result == t.VectorType(t.DynamicType())
    assert te.constraints == (t.TypeConstraint("A", ("Record",)),
                              t.TypeConstraint("K", ("Comparable", "Equatable")))
    assert parse_type_expression("{}") == t.TypeExpression(t.RecordType(None, ()), ())


def test_every_stdlib_signature_parses():
    from conftest import load_shared_json
    types = load_shared_json("flux", "stdlib_types.json")
    count = 0
    for package in types.values():
        for signature in package.values():
            assert isinstance(parse_type_expression(signature), t.TypeExpression)
            count += 1
    assert count == 656


# ---------------------------------------------------------------------------
# Precedence (grammar_summary §3.1)
# ---------------------------------------------------------------------------

def B(op, left, right):
    return t.BinaryExpression(op, left, right)


a, b, c = t.Identifier("a"), t.Identifier("b"), t.Identifier("c")
one, two, three = t.IntegerLiteral(1), t.IntegerLiteral(2), t.IntegerLiteral(3)


@pytest.mark.parametrize("source, expected", [
    ("not -1 == a", t.UnaryExpression("not", B("==", t.UnaryExpression("-", one), a))),
    ("a or b and c", t.LogicalExpression("or", a, t.LogicalExpression("and", b, c))),
    ("a and b or c", t.LogicalExpression("or", t.LogicalExpression("and", a, b), c)),
    ("3 * 1 ^ 2", B("*", three, B("^", one, two))),
    ("2 ^ 3 ^ 1", B("^", B("^", two, three), one)),
    ("1 - 2 - 3", B("-", B("-", one, two), three)),
    ("1 + 2 * 3", B("+", one, B("*", two, three))),
    ("1 < 2 == a", B("==", B("<", one, two), a)),
    ("-a |> f()", t.PipeExpression(t.UnaryExpression("-", a), t.CallExpression(t.Identifier("f"), None))),
    ("a |> f() * 2", B("*", t.PipeExpression(a, t.CallExpression(t.Identifier("f"), None)), two)),
    ("not a and b", t.LogicalExpression("and", t.UnaryExpression("not", a), b)),
    ("exists a or b", t.LogicalExpression("or", t.UnaryExpression("exists", a), b)),
    ("if a then b else c |> f()",
     t.ConditionalExpression(a, b, t.PipeExpression(c, t.CallExpression(t.Identifier("f"), None)))),
    ("- a.b", t.UnaryExpression("-", t.MemberExpression(a, t.Identifier("b")))),
])
def test_precedence(source, expected):
    assert expr(source) == expected


# ---------------------------------------------------------------------------
# Positions: 1-based, end exclusive, UTF-8 byte columns as libflux
# ---------------------------------------------------------------------------

def test_positions():
    f = parse("x = from(bucket: params.b)\n  |> y()")
    stmt = f.body[0]
    assert stmt.loc == t.Loc(1, 1, 2, 9)
    call = stmt.init.argument
    member = call.arguments.properties[0].value
    assert member.loc == t.Loc(1, 18, 1, 26)
    assert member.object.loc == t.Loc(1, 18, 1, 24)
    assert call.loc == t.Loc(1, 5, 1, 27)
    assert f.loc == t.Loc(1, 1, 2, 9)


def test_columns_are_utf8_bytes():
    f = parse('x = "日本語" + params.a')
    plus = f.body[0].init
    assert plus.left.loc == t.Loc(1, 5, 1, 16)
    assert plus.right.loc == t.Loc(1, 19, 1, 27)


def test_multiline_token_positions():
    s = parse('x = "a\nbc" y = 1').body
    assert s[0].init.loc == t.Loc(1, 5, 2, 4)
    assert s[1].id.loc == t.Loc(2, 5, 2, 6)


def test_crlf_positions():
    f = parse("x = 1\r\ny = 2\r\n")
    assert f.body[1].id.loc == t.Loc(2, 1, 2, 2)


def test_statement_loc_excludes_attributes():
    assert parse("@a\nx = 1").body[0].loc == t.Loc(2, 1, 2, 6)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

def test_error_is_a_syntax_error_with_position():
    e = err("x = f(a: 1")
    assert isinstance(e, SyntaxError)
    assert e.msg == 'unexpected end of input: expected ")" to close "(" at 1:6'
    assert (e.lineno, e.offset) == (1, 6)
    assert e.__cause__ is None and e.__suppress_context__


@pytest.mark.parametrize("source, message, line, column", [
    ("x = ", "unexpected end of input, expected an expression", 1, 5),
    ("f(a: )", "expected an expression, found \")\"", 1, 6),
    ("x = (1 + 2", 'expected ")" to close "(" at 1:5', 1, 5),
    ('x = 1\ny = "abc\nz = 2\n', "expected '\"' to close the string at 2:5", 2, 5),
    ("x = [1 2]", 'expected "]" to close "[" at 1:5, found "2"', 1, 8),
    ("x = 1;", "invalid character ';'", 1, 6),
    ("and = 1", '"and" is a keyword and cannot be used as an identifier', 1, 1),
    ("x = 01", 'invalid integer literal "01": nonzero value cannot start with 0', 1, 5),
    ("x = 9223372036854775808", "value out of range", 1, 5),
    ("x = 2020-01-01T00:00:00", "missing time offset", 1, 5),
    ('x = "\\q"', "invalid escape sequence", 1, 6),
    ('x = "\\xff"', "invalid UTF-8", 1, 6),
    ("x = /(/", "regex parse error", 1, 5),
    ("x = {a, b: 1}", "cannot mix implicit and explicit properties", 1, 6),
    ("f(a, b: 1)", "cannot mix implicit and explicit properties", 1, 3),
    ('x = {"a"}', "string literal key a must have a value", 1, 6),
    ("x = a |> b", "pipe destination must be a function call", 1, 10),
    ("x = 1\n@a\n", "attributes not associated with anything", 2, 1),
    ("f(1)", 'expected ")" to close "(" at 1:2, found "1"', 1, 3),
    ("x = {f() with a: 1}", 'found "("', 1, 7),
    ("f = (r) => {a: 1}", 'a function body starting with "{" is a block', 1, 12),
    ("x = 1 + if a then b else c", "put it in parentheses", 1, 9),
    (".a", "cannot start with a label", 1, 1),
    ('x = "日本語" y = 01', "invalid integer literal", 1, 21),
])
def test_error_messages(source, message, line, column):
    e = err(source)
    assert message in e.msg
    assert (e.lineno, e.offset) == (line, column)


def test_messages_never_name_lark_terminals():
    for source in ["x = (", "x = [1,", "f(a: 1", "x = {", "if", "x = 1 +", "option", "a |>",
                   "builtin x : ", "(a, b)", "x = r.", "import", "x = \"${"]:
        msg = err(source).msg
        for name in ("LPAR", "RPAR", "IDENT", "RBRACE", "$END", "__ANON", "Token(", "QUOTE"):
            assert name not in msg, (source, msg)


def test_render_shows_line_and_caret():
    source = "x = 1\ny = f(a: )\n"
    text = err(source).render(source)
    assert text.splitlines() == [
        '2:10: error: expected an expression, found ")"',
        "    y = f(a: )",
        "             ^",
    ]


def test_render_counts_characters_for_the_caret():
    source = 'x = "日本語" y = 01'
    lines = err(source).render(source).splitlines()
    assert lines[2].index("^") - 4 == source.index("01")


@pytest.mark.parametrize("source, message, hint", [
    ('x = f(fn: (r) => r.a == "x" && r.b == "y")', "invalid character '&'", '"&&" as "and"'),
    ("x = a || b", "invalid character '|'", '"||" as "or"'),
    ("x = a | b", "invalid character '|'", '"|>"'),
    ("x = !a", "invalid character '!'", '"not"'),
    ('x = f(fn: (r) => r.host = "a")', 'expected ")" to close "(" at 1:6, found "="', 'write "=="'),
    ("if a = 1 then 1 else 2", 'expected "then", found "="', 'write "=="'),
    ('import "strings"\nx = strings.toUpper(params.s)', 'expected ")" to close "(" at 2:20, found "."',
     "Flux arguments are named: strings.toUpper(<name>: params.s)"),
    ("f(-1h)", 'expected ")" to close "(" at 1:2, found "-"', "Flux arguments are named: f(<name>: -1h)"),
    ("f(a = 1)", 'expected ")" to close "(" at 1:2, found "="', 'written with ":": a: value'),
    ("x = range(start: -1h stop: now())", 'expected ")" to close "(" at 1:10, found ":"',
     'missing "," before stop?'),
    ('x = {a: 1 "b": 2}', 'expected "}" to close "{" at 1:5, found ":"', 'missing "," before "b"?'),
    ("\ufeffx = 1", "invalid character '\\ufeff'", "byte order mark (BOM), which libflux rejects"),
    ("x = 1\n\ufeffy = 2", "invalid character '\\ufeff'", "U+FEFF (a byte order mark)"),
])
def test_hint_is_separate_from_the_message(source, message, hint):
    e = err(source)
    assert e.msg == message and str(e).endswith(message)   # the parser's view stays as it was
    assert hint in e.hint
    assert e.render(source).splitlines()[-1] == f"    hint: {e.hint}"
    assert pickle.loads(pickle.dumps(e)).hint == e.hint


@pytest.mark.parametrize("source", ["x = f(a: )", "x = (1", "x = 1 +", 'f("s")', "x = [a b: 1]"])
def test_no_hint_without_a_likely_mistake(source):
    assert err(source).hint == ""


def test_type_expression_errors():
    with pytest.raises(FluxSyntaxError):
        parse_type_expression("(a: int")
    with pytest.raises(FluxSyntaxError):
        parse_type_expression("foo[int]")


@pytest.mark.parametrize("source", [
    "x = 1\x00", "x = \ud800", '"\udfff"', "\r\n\r", "x = \"a\r\nb", "\t\v\f", "é", "@", "$", "\\",
    "`", "x = 1e", "x = 1..", "0x10", "a ? b : c",
])
def test_odd_input_gives_syntax_error_or_tree(source):
    try:
        assert isinstance(parse(source), t.File)
    except FluxSyntaxError as e:
        assert e.lineno >= 1 and e.offset >= 1


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        parse(b"x = 1")


# ---------------------------------------------------------------------------
# Nesting limits (libflux: 80 parser frames, AST depth 180)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("ok, bad", [
    ("x = " + "(" * 78 + "1" + ")" * 78, "x = " + "(" * 79 + "1" + ")" * 79),
    ("x = " + "(" * 79 + "a" + ")" * 79, "x = " + "(" * 80 + "a" + ")" * 80),
    ("x = " + " + ".join(["1"] * 178), "x = " + " + ".join(["1"] * 179)),
    ("x = a" + " |> f()" * 176, "x = a" + " |> f()" * 177),
    ("x = " + "-" * 177 + "1", "x = " + "-" * 178 + "1"),
    ("x = " + "f(a: " * 59 + "1" + ")" * 59, "x = " + "f(a: " * 60 + "1" + ")" * 60),
    ("x = " + "() => { return " * 39 + "1" + "}" * 39, "x = " + "() => { return " * 40 + "1" + "}" * 40),
    ("a + " + "(" * 79 + "1" + ")" * 79, "a + " + "(" * 80 + "1" + ")" * 80),
    ("x = " + "[" * 78 + "1" + "]" * 78, "x = " + "[" * 79 + "1" + "]" * 79),
])
def test_depth_boundaries_match_libflux(ok, bad):
    parse(ok)
    e = err(bad)
    assert "nested too deep" in e.msg


@pytest.mark.parametrize("make", [
    lambda n: "x = " + "(" * n + "1" + ")" * n,
    lambda n: "x = " + "-" * n + "1",
    lambda n: "x = " + " + ".join(["1"] * n),
    lambda n: "x = " + "[" * n + "]" * n,
    lambda n: "x = " + "{a: " * n + "1" + "}" * n,
    lambda n: "x = " + "f(a: " * n + "1" + ")" * n,
    lambda n: "x = " + "(r) => " * n + "1",
    lambda n: "x = a" + " |> f()" * n,
    lambda n: "x = a" + ".b" * n,
    lambda n: "x = " + '"${' * n + "1" + '}"' * n,
    lambda n: "x = " + "not " * n + "a",
    lambda n: "x = " + "if a then b else " * n + "c",
    lambda n: "f = () => {\n" * n + "}" * n,
    lambda n: "builtin x : " + "[" * n + "int" + "]" * n,
])
def test_deep_nesting_fails_cleanly(make):
    with pytest.raises(FluxSyntaxError) as info:
        parse(make(1000))
    assert "nested too deep" in info.value.msg


def test_deep_type_expression_fails_cleanly():
    with pytest.raises(FluxSyntaxError):
        parse_type_expression("[" * 1000 + "int" + "]" * 1000)


# ---------------------------------------------------------------------------
# The parser factory and the shipped table
# ---------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def test_parser_is_built_once():
    from fluxparams.syntax import parser
    assert parser.parser() is parser.parser()


def test_shipped_parse_table_is_current():
    # the table is a build artefact of grammar/flux.lark: rebuild it with the script
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "build_parse_table.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_parse_table_check_fails_when_stale(tmp_path, monkeypatch):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_parse_table
    finally:
        sys.path.remove(str(REPO / "scripts"))
    stale = tmp_path / "parse_table.marshal"
    data = marshal.loads((REPO / "src" / "fluxparams" / "syntax" / "parse_table.marshal").read_bytes())
    data["states"] = data["states"][:-1]
    stale.write_bytes(marshal.dumps(data))
    monkeypatch.setattr(build_parse_table, "OUT", stale)
    monkeypatch.setattr(build_parse_table, "REPO", tmp_path)
    assert build_parse_table.main(["--check"]) == 1
    assert build_parse_table.main([]) == 0
    assert build_parse_table.main(["--check"]) == 0


@pytest.mark.parametrize("payload", [b"", b"not marshal data", marshal.dumps({"format": 0})])
def test_a_broken_table_is_a_clear_error(tmp_path, monkeypatch, payload):
    from fluxparams.syntax import table
    broken = tmp_path / "parse_table.marshal"
    broken.write_bytes(payload)
    monkeypatch.setattr(table, "TABLE_FILE", str(broken))
    load = table.load.__wrapped__
    with pytest.raises(table.TableError) as info:
        load()
    assert str(broken) in str(info.value)


def test_one_keyword_list():
    from fluxparams import unparse
    from fluxparams.syntax import table
    assert sorted(syntax.KEYWORDS) == table.load()["keywords"]
    for word in syntax.KEYWORDS:
        assert not unparse.is_identifier(word)
        with pytest.raises(FluxSyntaxError):
            parse(f"{word} = 1")  # never an identifier


def test_no_per_user_cache_is_written(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), HOME=str(tmp_path))
    code = ("import fluxparams; fluxparams.parse('x = 1')\n"
            "try: fluxparams.parse('x = (')\nexcept SyntaxError: pass")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------
# Literal rules, shared with the service's parameter binding
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, ok", [
    # second 60 at any minute, as libflux (chrono) accepts it; see ok_datetime_leap_second.flux
    ("2020-12-31T23:59:60Z", True), ("2021-03-04T10:11:60.5+01:00", True),
    ("2020-12-31T23:59:61Z", False), ("2020-12-31T23:59:59", False), ("2020-12-31T23:59:59.Z", False),
    ("2020-02-29", True), ("2021-02-29", False), ("2020-01-01T24:00:00Z", False),
    ("2020-01-01T00:00:00+24:00", False), ("2020-01-01", True), ("20-01-01", False),
])
def test_valid_datetime(text, ok):
    from fluxparams.syntax import literals
    assert literals.valid_datetime(text) is ok


def test_integer_and_duration_literals_of_any_length():
    from fluxparams.syntax import literals
    assert literals.parse_integer(str(2 ** 63 - 1)) == 2 ** 63 - 1
    for text in (str(2 ** 63), "1" * 4301, "9" * 100_000):
        with pytest.raises(literals.LiteralError, match="value out of range"):
            literals.parse_integer(text)
    with pytest.raises(literals.LiteralError, match="cannot start with 0"):
        literals.parse_integer("0" * 5000)
    assert literals.parse_duration("0" * 5000 + "h" + "0" * 4999 + "1µs") == ((0, "h"), (1, "us"))
    with pytest.raises(literals.LiteralError, match="value out of range"):
        literals.parse_duration("1h" + "1" * 5000 + "m")
    with pytest.raises(literals.LiteralError):
        literals.parse_duration("1x")
    # where the parser meets them: a clean syntax error at the literal
    for source, column in (("x = " + "1" * 100_000, 5), ("x = a[" + "1" * 5000 + "]", 7),
                           ('x = "${' + "1" * 5000 + '}"', 8), ("x = " + "1" * 5000 + "h", 5)):
        assert err(source).offset == column


# ---------------------------------------------------------------------------
# Lexer patterns written for Python's re (no backtrack frame per character)
# ---------------------------------------------------------------------------

_KW = r"(?!(?:and|or|not|import|package|return|option|builtin|testcase|if|then|else|exists)(?!\w))"
# the patterns before they were rewritten: one group repeat per character (memory), and for
# REGEX exponential backtracking on backslashes; the rewrites must match exactly the same text
_FORMER_PATTERNS = {
    "IDENT": (_KW + r"[^\W\d](?:[^\W\d]|[0-9])*", "ab1_\u0661\u00e9 9.x"),
    "ATTRIBUTE": (r"@[^\W\d](?:[^\W\d]|[0-9])*", "@a1_\u0661\u00e9 "),
    "TEXT": (r'(?:[^"\\$]|\\[nrt"\\]|\\\$\{|\\x[0-9a-fA-F]{2}|\$[^{"]|\$(?="))+', 'a\\$"{nx0\n'),
    "REGEX": (r"\/(?:\\[\/\\]|[^\/])+\/", "/\\a\n"),
}


@pytest.mark.parametrize("name", sorted(_FORMER_PATTERNS))
def test_lexer_patterns_match_what_the_former_patterns_matched(name):
    import random
    import re

    from fluxparams.syntax.parser import parser

    former, alphabet = _FORMER_PATTERNS[name]
    old = re.compile(former).match
    new = parser().lexer.matcher(name)
    rng = random.Random(11)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        a, b = old(text), new(text, 0)
        assert (a and a.group()) == (b and b.group()), (name, text)


def test_an_unclosed_regex_of_backslashes_fails_at_once():
    # the former REGEX pattern backtracked exponentially here (56 backslashes: 0.2 s, 80: hours)
    short = err("x = /\\\\")
    long = err("x = /" + "\\" * 5_000)
    assert (long.msg, long.lineno, long.offset) == (short.msg, short.lineno, short.offset)
    assert parse("x = /" + "\\\\" * 5_000 + "/").body[0].init.value == "\\\\" * 5_000


def test_long_identifiers_and_strings():
    name = "a" + "b1" * 500_000
    assert parse(name + " = 1\n").body[0].id.name == name
    assert expr('"' + "a" * 1_000_000 + '"').value == "a" * 1_000_000
