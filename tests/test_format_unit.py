"""Unit tests of the formatter's parts: the layout engine, the comment scan, the paren rule.

The byte-for-byte expectations of whole scripts are libflux's (tests/test_format_cases.py);
here only properties that need no oracle: the layout engine's choices on tiny documents,
where the comment scan finds comments, and that formatting never changes a program.
"""
from __future__ import annotations

import glob
import os
from typing import Any

import pytest

import fluxparams
from fluxparams import layout as L
from fluxparams import tree as t
from fluxparams.syntax.lexer import comment_map

CASES = os.path.join(os.path.dirname(__file__), "cases", "format")


def test_group_flat_when_it_fits_and_broken_when_not() -> None:
    doc = L.group(L.cat("a", L.nest(L.cat(L.line(), "b"), 4)))
    assert L.render(doc, 10) == "a b"
    assert L.render(doc, 2) == "a\n    b"


def test_group_fit_counts_the_text_up_to_the_next_break() -> None:
    # the group itself fits in 5 columns, but the text glued after it does not
    doc = L.cat(L.group(L.cat("a", L.line(), "b")), "cdef")
    assert L.render(doc, 5) == "a\nbcdef"
    assert L.render(doc, 7) == "a bcdef"


def test_union_takes_the_left_layout_unless_it_overflows_or_fails() -> None:
    assert L.render(L.union("short", "other"), 10) == "short"
    assert L.render(L.union("much too long", "other"), 5) == "other"
    broken = L.cat("x", L.flat_alt(L.FAIL, None))  # fails when laid out broken
    assert L.render(L.union(broken, "y"), 10) == "y"


def test_width_counts_grapheme_clusters() -> None:
    doc = L.group(L.cat("é" * 4, L.line(), "x"))
    assert L.render(doc, 6) == "éééé x"
    combining = L.group(L.cat("e\u0301" * 4, L.line(), "x"))
    assert L.render(combining, 6) == "e\u0301" * 4 + " x"


def test_comment_map_skips_strings_regexes_and_interpolations() -> None:
    src = 'x = "a // not" // one\ny = /a\\/\\/b/ // two\nz = "${ // three\n1}"\n'
    found = comment_map(src)
    assert found[src.index("y")] == ("// one\n",)
    assert found[src.index("z")] == ("// two\n",)
    assert found[src.index("1}")] == ("// three\n",)
    assert len(found) == 3


def test_comment_map_end_of_file_without_line_feed() -> None:
    assert comment_map("x = 1 // end") == {12: ("// end\n",)}


def test_a_comment_left_unplaced_is_an_error_not_a_loss() -> None:
    # the guard behind format(): a comment the document does not hold is refused, at its place
    from fluxparams.fmtsource import SourcePrinter

    printer = SourcePrinter("x = 1\n  // lost\ny = 2\n")
    with pytest.raises(fluxparams.FluxSyntaxError) as info:
        printer.check_all_placed()
    assert (info.value.lineno, info.value.offset) == (2, 3)
    printer.comments_at(printer.after(6))  # the comment's token: "y"
    printer.check_all_placed()


@pytest.mark.parametrize("src", [
    'x = "${a // c\n}"', "@a // c\n(b // d\n)\nx = 1", 'x = ["a" // c\n: 1]',
    "x = [ // c\n:]", "builtin f : (a: [ // c\nint], ?b: stream[{A with c // d\n: int}]) "
    "=> int where A: // e\nNumeric + // f\nComparable",
    "testcase t // c\nextends \"x\" { a = 1 }", "x = . // c\nlabel",
])
def test_comments_libflux_drops_are_kept(src: str) -> None:
    out = fluxparams.format(src)
    assert out.count("//") == src.count("//")
    assert _strip(fluxparams.parse(out)) == _strip(fluxparams.parse(src))
    assert fluxparams.format(out) == out


def test_a_layout_search_that_would_not_end_is_refused_with_a_position() -> None:
    # libflux's layout search is exponential in nested alternatives (it takes minutes here)
    src = "x = " + "{a: " * 30 + "1" + "}" * 30
    with pytest.raises(fluxparams.FluxSyntaxError) as info:
        fluxparams.format(src)
    assert "too deeply nested" in str(info.value)
    assert (info.value.lineno, info.value.offset) == (1, src.index("1") + 1)


def test_syntax_error_has_a_position() -> None:
    with pytest.raises(fluxparams.FluxSyntaxError) as info:
        fluxparams.format("x = 1\ny = (\n")
    assert info.value.lineno >= 2


def _strip(node: Any) -> Any:
    """A tree with every ParenExpression replaced by its content (positions are ignored by ==)."""
    if isinstance(node, tuple):
        return tuple(_strip(x) for x in node)
    if isinstance(node, t.ParenExpression):
        return _strip(node.expression)
    if isinstance(node, t.DateTimeLiteral):
        return "datetime"  # printed in RFC 3339 form, the written text differs
    if isinstance(node, t.Node):
        return node._replace(**{f: _strip(getattr(node, f)) for f in type(node)._node_fields})
    return node


@pytest.mark.parametrize("src", [
    "d = -(1 + 2)", "d = -(a * b)", "d = -(a ^ 2)", "d = -(t |> f())", "x = a * -(b + c)",
    "x = ((r) => r) == 1", "x = -((r) => r) + 1", "x = a * ((r) => r) + 1",
    "x = not (a and b)", "x = (a or b) and c", "x = 2 ^ (3 ^ 2)", "x = (a |> f()).b",
    "x = (if a then b else c) + 1", "x = -(-a)", "x = ((r) => r)(r: 1)",
])
def test_formatting_keeps_the_meaning(src: str) -> None:
    out = fluxparams.format(src)
    assert _strip(fluxparams.parse(out)) == _strip(fluxparams.parse(src))
    assert fluxparams.format(out) == out


def test_every_case_input_keeps_its_meaning() -> None:
    files = sorted(glob.glob(os.path.join(CASES, "**", "*.flux"), recursive=True))
    if not files:
        pytest.skip("no format cases")
    checked = 0
    for path in files:
        with open(path, encoding="utf-8", newline="") as f:
            src = f.read()
        try:
            before = fluxparams.parse(src)
        except fluxparams.FluxSyntaxError:
            continue
        out = fluxparams.format(src)
        if "<INVALID_OP>" in out:
            continue  # libflux's own unparsable output for a juxtaposition in an attribute
        assert _strip(fluxparams.parse(out)) == _strip(before), path
        checked += 1
    assert checked > 100
