"""The formatter's view of the source: token offsets, comments, literals and type expressions.

:class:`SourcePrinter` is the base of :class:`fluxparams.format.Formatter`. It
turns node positions (1-based lines, byte columns) into offsets, finds the
offset of an unnamed token (the first token after the node before it), and
prints the comments that precede a token (found by
:func:`fluxparams.syntax.lexer.comment_map`). Every comment printed is ticked
off; :meth:`SourcePrinter.check_all_placed` refuses to return a text that would
lose one.

It also prints the leaves of the tree as libflux does (literals from their
source text or value) and the type expressions of ``builtin`` statements, which
hold no expression. libflux's parser keeps no comment inside a type expression
except before a name; here every token's comments are kept, before the token.
"""
from __future__ import annotations

from typing import Any, Dict, List, Set, Tuple

from . import layout as L
from .layout import HARDLINE, INDENT, MULTILINE, Doc, cat, group, nest

__all__ = ["SourcePrinter", "rfc3339"]

_SPACE = frozenset(" \t\n\r\v\f")


class SourcePrinter:
    """Positions, comments, leaves and types of one source text."""

    def __init__(self, text: str) -> None:
        from .syntax.lexer import comment_map

        self.text = text
        self.comments: Dict[int, Tuple[str, ...]] = comment_map(text)
        self.placed: Set[int] = set()
        # offsets of line starts, for converting (line, byte column) positions
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.ascii = text.isascii()

    # ---- positions ------------------------------------------------------------------------

    def offset(self, line: int, column: int) -> int:
        start = self.line_starts[line - 1]
        if self.ascii:
            return start + column - 1
        end = self.text.find("\n", start)
        raw = self.text[start:len(self.text) if end < 0 else end].encode("utf-8", "surrogatepass")
        return start + len(raw[:column - 1].decode("utf-8", "surrogatepass"))

    def start(self, node: Any) -> int:
        loc = node.loc
        return self.offset(loc[0], loc[1])

    def end(self, node: Any) -> int:
        loc = node.loc
        return self.offset(loc[2], loc[3])

    def after(self, pos: int) -> int:
        """The offset of the first token at or after ``pos`` (``pos`` outside any token)."""
        text, n = self.text, len(self.text)
        while pos < n:
            c = text[pos]
            if c in _SPACE:
                pos += 1
            elif text.startswith("//", pos):
                j = text.find("\n", pos)
                pos = n if j < 0 else j + 1
            else:
                break
        return pos

    def keyword(self, node: Any) -> int:
        """The offset of a package clause's or import's keyword (its position includes its
        attributes)."""
        if node.attributes:
            return self.after(self.end(node.attributes[-1]))
        return self.start(node)

    # ---- comments -------------------------------------------------------------------------

    def has(self, pos: int) -> bool:
        return pos in self.comments

    def comments_at(self, pos: int) -> Doc:
        """libflux's format_comments: each comment's lines joined by hard breaks."""
        found = self.comments.get(pos)
        if not found:
            return None
        self.placed.add(pos)
        return cat(*[L.intersperse(list(c.split("\n")), HARDLINE) for c in found])

    def append_comments(self, pos: int) -> Doc:
        """libflux's format_append_comments: a break, then the comments, indented."""
        doc = self.comments_at(pos)
        if doc is None:
            return None
        return nest(cat(L.line(), doc), INDENT)

    def comma_comments(self, node: Any, append: bool) -> Doc:
        """The comments before the comma after ``node``, if a comma follows it."""
        pos = self.after(self.end(node))
        if pos < len(self.text) and self.text[pos] == ",":
            return self.append_comments(pos) if append else self.comments_at(pos)
        return None

    def paren_has_comments(self, node: Any) -> bool:
        return self.has(self.start(node)) or self.has(self.end(node) - 1)

    def check_all_placed(self) -> None:
        """Raise FluxSyntaxError at the first comment the document does not hold."""
        missing = sorted(set(self.comments) - self.placed)
        if not missing:
            return
        from .syntax import FluxSyntaxError

        pos = missing[0]
        comment = self.comments[pos][0]
        at = self.text.rfind(comment, 0, pos)
        line = self.text.count("\n", 0, at) + 1
        head = self.text[self.line_starts[line - 1]:at]
        column = len(head.encode("utf-8", "surrogatepass")) + 1
        raise FluxSyntaxError("the formatter cannot keep this comment in place; "
                              "move it before the next line", line, column)

    # ---- leaves ---------------------------------------------------------------------------

    def token(self, e: Any, text: str) -> Doc:
        return cat(self.comments_at(self.start(e)), text)

    def source(self, e: Any) -> str:
        return self.text[self.start(e):self.end(e)]

    def identifier(self, e: Any) -> Doc:
        return self.token(e, e.name)

    def string_literal(self, e: Any) -> Doc:
        return self.token(e, self.source(e))

    def x_IntegerLiteral(self, e: Any) -> Doc:
        return self.token(e, str(e.value))

    def x_DurationLiteral(self, e: Any) -> Doc:
        return self.token(e, "".join(f"{m}{u}" for m, u in e.values))

    def x_DateTimeLiteral(self, e: Any) -> Doc:
        return self.token(e, rfc3339(e.value))

    def x_RegexpLiteral(self, e: Any) -> Doc:
        return self.token(e, "/" + e.value.replace("/", "\\/") + "/")

    def x_PipeLiteral(self, e: Any) -> Doc:
        return self.token(e, "<-")

    def x_LabelLiteral(self, e: Any) -> Doc:
        name = self.after(self.start(e) + 1)
        return cat(self.comments_at(self.start(e)), ".", self.comments_at(name), e.value)

    x_Identifier = identifier
    x_StringLiteral = x_FloatLiteral = string_literal

    def property_key(self, key: Any) -> Doc:
        return self.token(key, key.name if type(key).__name__ == "Identifier"
                          else self.source(key))

    # ---- type expressions -----------------------------------------------------------------

    def at(self, pos: int, text: str) -> Doc:
        """The token ``text`` at ``pos`` with its comments."""
        return cat(self.comments_at(pos), text)

    def next_at(self, pos: int, text: str) -> Tuple[Doc, int]:
        """The token ``text`` that is the first after ``pos``, and the offset after it."""
        pos = self.after(pos)
        return self.at(pos, text), pos + len(text)

    def type_expression(self, n: Any) -> Doc:
        doc = self.monotype(n.monotype)
        if n.constraints:
            line = L.breaks(len(n.constraints) > MULTILINE)[0]
            where, _ = self.next_at(self.end(n.monotype), "where")
            cons: List[Doc] = []
            for i, c in enumerate(n.constraints):
                comma = self.comma_comments(c, False) if i + 1 < len(n.constraints) else None
                cons.append(cat(group(cat(self.comments_at(self.start(c)), c.tvar,
                                          self.kinds(c))), comma))
            doc = cat(doc, line, where, line, L.intersperse(cons, cat(",", line)))
        return doc

    def kinds(self, c: Any) -> Doc:
        """``: Numeric + Comparable``, each token after its comments."""
        colon, pos = self.next_at(self.start(c) + len(c.tvar), ":")
        docs: List[Doc] = []
        for i, kind in enumerate(c.kinds):
            if i:
                plus, pos = self.next_at(pos, "+")
                docs.append(cat(" ", plus, " "))
            name, pos = self.next_at(pos, kind)
            docs.append(name)
        return cat(colon, " ", *docs)

    def monotype(self, n: Any) -> Doc:
        kind = type(n).__name__
        start, last = self.start(n), self.end(n) - 1
        doc: Doc
        if kind in ("NamedType", "TvarType"):
            doc = self.token(n, n.name)
        elif kind in ("ArrayType", "StreamType", "VectorType"):
            head: Doc = self.at(start, "[")
            if kind != "ArrayType":
                word = "stream" if kind == "StreamType" else "vector"
                bracket, _ = self.next_at(start + len(word), "[")
                head = cat(self.at(start, word), bracket)
            doc = cat(head, self.monotype(n.element), self.at(last, "]"))
        elif kind == "DictType":
            colon, _ = self.next_at(self.end(n.key), ":")
            doc = cat(self.at(start, "["), self.monotype(n.key), colon, self.monotype(n.value),
                      self.at(last, "]"))
        elif kind == "DynamicType":
            doc = self.token(n, "dynamic")
        elif kind == "LabelType":
            doc = self.token(n, "." + n.value)
        elif kind == "RecordType":
            doc = self.record_type(n, start, last)
        else:  # FunctionType
            line, line_ = L.breaks(len(n.parameters) > MULTILINE)
            params = [cat(self.parameter_type(p), self.comma_comments(p, False))
                      for p in n.parameters]
            rparen = self.after(self.end(n.parameters[-1]) if n.parameters else start + 1)
            if self.text[rparen] == ",":
                rparen = self.after(rparen + 1)
            arrow, _ = self.next_at(rparen + 1, "=>")
            doc = cat(self.at(start, "("), nest(cat(line_, L.comma_list(params, line)), INDENT),
                      line_, self.at(rparen, ")"), " ", arrow, " ", self.monotype(n.result))
        return group(doc)

    def record_type(self, n: Any, start: int, last: int) -> Doc:
        line, line_ = L.breaks(len(n.properties) > MULTILINE)
        tvar: Doc = None
        if n.tvar is not None:
            tvar_pos = self.after(start + 1)
            with_, _ = self.next_at(tvar_pos + len(n.tvar), "with")
            tvar = cat(self.at(tvar_pos, n.tvar), L.line(), with_, L.line())
        props: List[Doc] = []
        for p in n.properties:
            key_pos = self.start(p)
            key = self.property_type_key(key_pos, p.name)
            colon, _ = self.next_at(key_pos + len(key), ":")
            props.append(cat(group(cat(self.at(key_pos, key), colon, " ",
                                       self.monotype(p.monotype))),
                             self.comma_comments(p, False)))
        return cat(self.at(start, "{"), nest(cat(line_, tvar, L.comma_list(props, line)), INDENT),
                   line_, self.at(last, "}"))

    def property_type_key(self, pos: int, name: str) -> str:
        """A record type's property name as written (an identifier or a string literal)."""
        if self.text[pos] != '"':
            return name
        end = pos + 1
        while self.text[end] != '"':
            end += 2 if self.text[end] == "\\" else 1
        return self.text[pos:end + 1]

    def parameter_type(self, p: Any) -> Doc:
        pos = self.start(p)
        if p.kind == "optional":
            head, pos = self.next_at(pos, "?")
        elif p.kind == "pipe":
            head, pos = self.next_at(pos, "<-")
        else:
            head = None
        if p.name is not None:
            name, pos = self.next_at(pos, p.name)
            head = cat(head, name)
        colon, _ = self.next_at(pos, ":")
        doc = cat(head, colon, " ", self.monotype(p.monotype))
        if p.default is not None:
            eq, _ = self.next_at(self.end(p.monotype), "=")
            doc = cat(doc, " ", eq, " ", self.token(p.default, "." + p.default.value))
        return doc


def rfc3339(value: str) -> str:
    """A date-time literal as libflux prints it (RFC 3339, fraction without trailing zeros)."""
    text = value.upper() if "t" in value or "z" in value else value
    date, _, rest = text.partition("T")
    if not rest:
        return date + "T00:00:00Z"
    clock = rest
    zone = ""
    if clock.endswith("Z"):
        clock, zone = clock[:-1], "Z"
    else:
        for sign in ("+", "-"):
            k = clock.rfind(sign)
            if k > 0:
                clock, zone = clock[:k], clock[k:]
                break
    hms, _, frac = clock.partition(".")
    frac = frac.rstrip("0")
    if zone in ("+00:00", "-00:00"):
        zone = "Z"
    return f"{date}T{hms}{'.' + frac if frac else ''}{zone}"
