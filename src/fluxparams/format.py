"""``format(source)``: libflux v0.193's formatter output, from our own syntax tree.

The layout rules are libflux's (``flux-core/src/formatter/mod.rs``): the same
document is built (groups, hanging affixes, four-item lists, blank lines
between statements) and :mod:`.layout` renders it as Rust's ``pretty`` would,
100 columns wide with a 4-space indent. Literals come from the source text.

Comments are not in the tree (parsing and analysis never pay for them). One
forward scan of the source (:func:`fluxparams.syntax.lexer.comment_map`)
records, for each token that follows comments, the comments before it; every
token's offset is known from the node positions (an unnamed token such as ``)``
or ``=`` is the first one after the end of the node before it), and each
token's comments are printed where libflux prints that token's comments
(:mod:`.fmtsource` holds positions, comments, leaves and type expressions).

Where libflux's output would differ from the program or lose a comment, the
output differs from libflux's (docs/format.md lists each case): a parenthesis
the program needs is always printed (libflux rebuilds them from a precedence
table with a few levels wrong, so ``-(1 + 2)`` would come out as ``-1 + 2``),
and a comment libflux's parser drops is kept before its token.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Sequence, Tuple

from . import layout as L
from .fmtsource import SourcePrinter
from .layout import HARDLINE, Doc, cat, group, nest
from .tree import leftmost

if TYPE_CHECKING:  # pragma: no cover
    from . import tree as t

__all__ = ["Formatter", "format"]

WIDTH = 100
# Steps the layout may take (plus 10 per byte) before a script is refused as too deeply nested
LAYOUT_BUDGET = 50_000
INDENT = L.INDENT
MULTILINE = L.MULTILINE

# libflux's operator precedences (its formatter's table; smaller binds tighter)
_PRECEDENCE = {
    "^": 4, "*": 5, "/": 5, "%": 5, "+": 6, "-": 6,
    "<=": 7, "<": 7, ">=": 7, ">": 7, "==": 7, "!=": 7, "=~": 7, "!~": 7,
    "not": 8, "exists": 8, "and": 9, "or": 10,
}


# the expressions libflux lays out "hanging" after a prefix such as "x ="
_HANGING = frozenset(("ArrayExpression", "ObjectExpression", "StringExpression",
                      "FunctionExpression", "StringLiteral", "IndexExpression"))


def _escape(s: str) -> str:
    if '"' not in s and "\\" not in s:
        return s
    return s.replace("\\", "\\\\").replace('"', '\\"')


def _strip_parens(node: Any, has_comments: Any) -> Any:
    while type(node).__name__ == "ParenExpression" and not has_comments(node):
        node = node.expression
    return node


class Formatter(SourcePrinter):
    """Builds libflux's document for one parsed file."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        # whether the expression being formatted ends where its enclosing expression ends (a
        # function there may go without parentheses: nothing follows for its body to take in)
        self.edge = True
        # set when libflux's output may format differently a second time (see format())
        self.unsettled = False

    # ---- files and statements ---------------------------------------------------------

    def file(self, f: "t.File") -> Doc:
        doc: Doc = None
        if f.package is not None:
            doc = cat(self.attributes(f.package.attributes),
                      self.comments_at(self.keyword(f.package)),
                      "package ", self.identifier(f.package.name), HARDLINE)
            if f.imports or f.body:
                doc = cat(doc, HARDLINE, HARDLINE)
        imports = [cat(self.attributes(i.attributes), self.comments_at(self.keyword(i)), "import ",
                       None if i.alias is None else cat(self.identifier(i.alias), " "),
                       self.string_literal(i.path)) for i in f.imports]
        doc = cat(doc, L.intersperse(imports, HARDLINE))
        if f.imports and f.body:
            doc = cat(doc, HARDLINE, HARDLINE)
        doc = cat(doc, self.statements(f.body))
        doc = cat(doc, self.comments_at(len(self.text)), HARDLINE)
        return doc

    def statements(self, body: Sequence[Any]) -> Doc:
        docs: List[Doc] = []
        prev_kind = ""
        prev_end = -1
        for i, stmt in enumerate(body):
            kind = type(stmt).__name__
            extra: Doc = None
            if i and (stmt.loc.line - prev_end > 1 or kind != prev_kind
                      or self.starts_with_comment(stmt) or stmt.attributes):
                extra = HARDLINE
            prev_end = stmt.loc.end_line
            prev_kind = kind
            docs.append(cat(extra, self.statement(stmt)))
        return L.intersperse(docs, HARDLINE)

    def starts_with_comment(self, node: Any) -> bool:
        kind = type(node).__name__
        if kind == "ExpressionStatement":
            node = node.expression
        elif kind == "VariableAssignment":
            node = node.id
        elif kind == "MemberAssignment":
            node = node.member
        return self.has(self.start(leftmost(node)))

    def statement(self, s: Any) -> Doc:
        kind = type(s).__name__
        if kind == "ExpressionStatement":
            body = self.expression(s.expression)
        elif kind == "VariableAssignment":
            body = self.variable_assignment(s)
        elif kind == "OptionStatement":
            body = cat(self.comments_at(self.start(s)), "option ", self.assignment(s.assignment))
        elif kind == "ReturnStatement":
            h = self.hang_expression(s.argument)
            h.add_prefix(L.line())
            h.affixes.append(L.Affixes(cat(self.comments_at(self.start(s)), "return"), None, True))
            body = h.format()
        elif kind == "TestCaseStatement":
            body = self.testcase(s)
        else:
            body = self.builtin(s)
        return cat(self.attributes(s.attributes), group(body))

    def assignment(self, a: Any) -> Doc:
        """The assignment of an option statement (its name's comments inside the prefix)."""
        target = a.id if type(a).__name__ == "VariableAssignment" else a.member
        h = self.hang_expression(a.init)
        h.add_prefix(L.line())
        h.affixes.append(L.Affixes(cat(self.plain_expression(target),
                                       self.append_comments(self.after(self.end(target))), " ="),
                                   None, True))
        return h.format()

    def variable_assignment(self, a: Any) -> Doc:
        comment = self.comments_at(self.start(a.id))
        prefix = cat(a.id.name, self.append_comments(self.after(self.end(a.id))), " =")
        h = self.hang_expression(a.init)
        h.add_prefix(L.line())
        h.affixes.append(L.Affixes(prefix, None, True))
        return cat(comment, h.format())

    def testcase(self, s: Any) -> Doc:
        comment = self.comments_at(self.start(s))
        extends: Doc = None
        if s.extends is not None:
            extends = cat(L.line(), self.comments_at(self.after(self.end(s.id))), "extends",
                          L.line(), self.string_literal(s.extends))
        prefix = cat("testcase", L.line(), self.identifier(s.id), extends, L.line())
        h = self.hang_block(s.block)
        h.affixes.append(L.Affixes(prefix, None, True))
        return cat(comment, h.format())

    def builtin(self, s: Any) -> Doc:
        colon = self.after(self.end(s.id))
        return cat(self.comments_at(self.start(s)),
                   group(nest(cat(group(cat("builtin", L.line(), self.identifier(s.id))),
                                  L.line() if self.has(colon) else " ",
                                  self.comments_at(colon), ": ",
                                  self.type_expression(s.type)), INDENT)))

    def attributes(self, attrs: Sequence[Any]) -> Doc:
        doc: Doc = None
        for a in attrs:
            d = cat(self.comments_at(self.start(a)), "@", a.name)
            lparen = self.after(self.start(a) + 1 + len(a.name))
            if lparen < len(self.text) and self.text[lparen] == "(" and lparen < self.end(a):
                # libflux drops the comments before an attribute's parentheses: kept here, as
                # around a call's
                items = [cat(self.expression(p), self.comma_comments(p, False))
                         for p in a.params]
                first, body, last = L.item_list("(", ")", self.comments_at(self.end(a) - 1),
                                                items)
                if a.params or self.has(lparen) or self.has(self.end(a) - 1):
                    d = cat(d, self.append_comments(lparen),
                            L.Hang([L.Affixes(first, last)], body).format())
            doc = cat(doc, group(d), HARDLINE)
        return doc

    def hang_block(self, b: Any) -> L.Hang:
        return L.Hang([L.Affixes(cat(self.comments_at(self.start(b)), "{"), cat(HARDLINE, "}"))],
                     cat(HARDLINE, self.statements(b.body), self.comments_at(self.end(b) - 1)))

    def comma_comments(self, node: Any, append: bool) -> Doc:
        """The comments before the comma after ``node``, if a comma follows it."""
        pos = self.after(self.end(node))
        if pos < len(self.text) and self.text[pos] == ",":
            return self.append_comments(pos) if append else self.comments_at(pos)
        return None

    # ---- expressions ------------------------------------------------------------------

    def hang_expression(self, e: Any) -> L.Hang:
        kind = type(e).__name__
        if kind == "ParenExpression" and type(_strip_parens(e, self.paren_has_comments)).__name__ \
                in _HANGING:
            # printed without its parentheses, but laid out as if it had them (not hanging)
            self.unsettled = True
        if kind == "ArrayExpression":
            items = [cat(self.expression(x), self.comma_comments(x, False)) for x in e.elements]
            first, body, last = L.item_list("[", "]", self.comments_at(self.end(e) - 1), items)
            return L.Hang([L.Affixes(first, last),
                          L.Affixes(self.comments_at(self.start(e)), None, True)], body)
        if kind == "ObjectExpression":
            first, body, last = self.record(e, True)
            return L.Hang([L.Affixes(first, last, True)], body)
        if kind == "StringExpression":
            parts: List[Doc] = []
            for p in e.parts:
                if type(p).__name__ == "TextPart":
                    parts.append(L.intersperse(
                        [_escape(s) for s in p.value.split("\n")],
                        L.Nesting(lambda ind: nest(HARDLINE, -ind))))
                else:
                    close = self.after(self.end(p.expression))
                    parts.append(cat("${", self.expression(p.expression), self.comments_at(close),
                                     "}"))
            # (libflux's parser drops a comment before such a string: kept here)
            return L.Hang([L.Affixes(cat(self.comments_at(self.start(e)), '"'), '"', True)],
                         cat(*parts))
        if kind == "FunctionExpression":
            return self.hang_function(e)
        if kind == "StringLiteral":
            return L.Hang([], self.string_literal(e))
        if kind == "IndexExpression":
            lbrack = self.after(self.end(e.array))
            return L.Hang([L.Affixes(cat(self.child(e, e.array, False, False),
                                       self.comments_at(lbrack), "["),
                                   cat(self.comments_at(self.end(e) - 1), "]"), True)],
                         self.expression(e.index))
        return L.Hang([], group(self.plain_expression(e)))

    def expression(self, e: Any, edge: bool = True) -> Doc:
        saved, self.edge = self.edge, edge
        kind = type(e).__name__
        if kind in _HANGING:
            doc = group(self.hang_expression(e).format())
        else:
            doc = group(self.plain_expression(e))
        self.edge = saved
        return doc

    def plain_expression(self, e: Any) -> Doc:
        kind = type(e).__name__
        method = getattr(self, "x_" + kind)
        doc: Doc = method(e)
        return doc

    def x_DictExpression(self, e: Any) -> Doc:
        line = L.breaks(e.loc.line != e.loc.end_line)[0]
        # (libflux drops the comments before a dictionary's ":": kept here, as a property's)
        if not e.items:
            inner: Doc = self.at(self.after(self.start(e) + 1), ":")
        else:
            inner = L.comma_list([cat(self.expression(i.key),
                                      self.append_comments(self.after(self.end(i.key))), ":", " ",
                                      self.expression(i.value), self.comma_comments(i, False))
                                  for i in e.items], line)
        return cat(self.comments_at(self.start(e)), "[",
                   nest(cat(L.line_(), inner, self.comments_at(self.end(e) - 1)), INDENT),
                   L.line_(), "]")

    def x_ParenExpression(self, e: Any) -> Doc:
        if self.paren_has_comments(e):
            return cat(self.comments_at(self.start(e)), "(", self.expression(e.expression),
                       self.append_comments(self.end(e) - 1), ")")
        return self.expression(e.expression)

    def x_UnaryExpression(self, e: Any) -> Doc:
        return cat(self.comments_at(self.start(e)), e.operator,
                   None if e.operator in ("-", "+") else " ",
                   self.child(e, e.argument, False, self.edge))

    def binary(self, e: Any) -> Doc:
        left = self.child(e, e.left, False, False)
        parent, op, rhs = e, e.operator, e.right
        doc: Doc = None
        while True:
            # (a juxtaposition has no operator token: its right operand keeps its comments)
            op_pos = -1 if op == "<INVALID_OP>" else self.after(self.end(parent.left))
            op_doc = group(cat(L.line(), self.comments_at(op_pos), op, L.line()))
            if type(rhs).__name__ == "BinaryExpression":
                doc = cat(doc, op_doc, self.child(rhs, rhs.left, False, False))
                parent, op, rhs = rhs, rhs.operator, rhs.right
            else:
                doc = cat(doc, op_doc, self.child(parent, rhs, True, self.edge))
                break
        return group(cat(left, nest(doc, INDENT)))

    x_BinaryExpression = x_LogicalExpression = binary

    def x_PipeExpression(self, pipe: Any) -> Doc:
        line = L.breaks(pipe.loc.line != pipe.loc.end_line)[0]
        arguments: List[Doc] = []
        operators: List[Doc] = []
        while True:
            arguments.append(group(self.child(pipe, pipe.call, True, self.edge)))
            operators.append(cat(self.comments_at(self.after(self.end(pipe.argument))), "|> "))
            if type(pipe.argument).__name__ == "PipeExpression":
                pipe = pipe.argument
            else:
                arguments.append(group(self.child(pipe, pipe.argument, False, False)))
                break
        arguments.reverse()
        operators.reverse()
        doc: Doc = line
        for i, (operator, arg) in enumerate(zip(operators, arguments[1:])):
            doc = cat(doc, group(cat(operator, arg)))
            if i + 2 < len(arguments):
                doc = cat(doc, line)
        return group(cat(arguments[0], nest(doc, INDENT)))

    def x_CallExpression(self, e: Any) -> Doc:
        lparen = self.after(self.end(e.callee))
        rparen = self.end(e) - 1
        head = cat(self.child(e, e.callee, False, False), self.append_comments(lparen))
        if e.arguments is not None:
            first, body, last = self.record(e.arguments, False)
            args = cat("(", L.hang([L.Affixes(first, last, True)], body), self.comments_at(rparen),
                       ")")
        else:
            first, body, last = L.item_list("(", ")", self.comments_at(rparen), [])
            args = L.hang([L.Affixes(first, last, True)], body)
        return group(cat(head, args))

    def x_ConditionalExpression(self, e: Any) -> Doc:
        line = L.breaks(e.loc.line != e.loc.end_line)[0]
        then = self.after(self.end(e.test))
        els = self.after(self.end(e.consequent))
        doc = cat(group(cat("if ", nest(self.expression(e.test), INDENT), self.comments_at(then),
                            L.line() if not self.has(then) else None, "then")),
                  nest(cat(line, self.expression(e.consequent)), INDENT),
                  line, self.comments_at(els))
        alternate = e.alternate
        while type(alternate).__name__ == "ConditionalExpression":
            n = alternate
            then = self.after(self.end(n.test))
            els = self.after(self.end(n.consequent))
            doc = cat(doc, self.comments_at(self.start(n)), "else if ",
                      nest(self.expression(n.test), INDENT), self.comments_at(then), " then",
                      nest(cat(line, self.expression(n.consequent)), INDENT),
                      line, self.comments_at(els))
            alternate = n.alternate
        doc = cat(doc, "else", nest(cat(line, self.expression(alternate)), INDENT))
        return cat(self.comments_at(self.start(e)), group(doc))

    def member(self, e: Any) -> Doc:
        obj = self.child(e, e.object, False, False)
        lbrack = self.after(self.end(e.object))
        if type(e.property).__name__ == "Identifier":
            return cat(obj, self.append_comments(lbrack), ".", self.identifier(e.property))
        return cat(obj, self.comments_at(lbrack), "[", self.string_literal(e.property),
                   self.append_comments(self.end(e) - 1), "]")

    x_MemberExpression = member

    def x_ArrayExpression(self, e: Any) -> Doc:
        return self.hang_expression(e).format()

    x_ObjectExpression = x_ArrayExpression
    x_StringExpression = x_ArrayExpression
    x_FunctionExpression = x_ArrayExpression
    x_IndexExpression = x_ArrayExpression

    def record(self, e: Any, braces: bool) -> Tuple[Doc, Doc, Doc]:
        line, line_ = L.breaks(len(e.properties) > MULTILINE)
        first = cat(self.comments_at(self.start(e)) if braces else None, "{" if braces else None)
        if e.with_ is not None:
            with_pos = self.after(self.end(e.with_))
            head = group(cat(self.identifier(e.with_), self.comments_at(with_pos),
                             None if self.has(with_pos) else " ", "with", line))
        else:
            head = line_
        props = [cat(self.property(p), self.comma_comments(p, True)) for p in e.properties]
        body = cat(head, L.comma_list(props, line),
                   self.append_comments(self.end(e) - 1) if braces else None)
        return first, body, cat(line_, "}" if braces else None)

    def property(self, p: Any) -> Doc:
        key = self.property_key(p.key)
        if p.value is None:
            return key
        prefix = cat(key, self.append_comments(self.after(self.end(p.key))), ":")
        h = self.hang_expression(p.value)
        h.add_prefix(L.line())
        h.affixes.append(L.Affixes(prefix, None, True))
        return h.format()

    def property_key(self, key: Any) -> Doc:
        return self.token(key, key.name if type(key).__name__ == "Identifier"
                          else self.source(key))

    def hang_function(self, e: Any) -> L.Hang:
        line, line_ = L.breaks(len(e.params) > MULTILINE)
        lparen_comments = self.comments_at(self.start(e))
        params: List[Doc] = []
        pos = self.after(self.start(e) + 1)
        for p in e.params:
            key = self.property_key(p.key)
            if p.value is not None:
                hp = self.hang_expression(p.value)
                hp.affixes.append(L.Affixes(
                    cat(key, self.comments_at(self.after(self.end(p.key))), "="), None, True))
                key = hp.format()
            params.append(cat(key, self.comma_comments(p, False)))
            pos = self.after(self.end(p))
            if self.text[pos] == ",":
                pos = self.after(pos + 1)
        arrow = self.after(pos + 1)
        args = group(cat("(", nest(cat(line_, L.comma_list(params, line)), INDENT), line_,
                         self.comments_at(pos), ")",
                         L.softline() if not self.has(arrow) else None,
                         self.append_comments(arrow), "=>"))
        body = e.body
        if type(body).__name__ == "Block":
            h = self.hang_block(body)
            h.add_prefix(L.line())
            h.affixes.append(L.Affixes(args, None, True))
            h.affixes.append(L.Affixes(lparen_comments, None, True))
            return h
        body = _strip_parens(body, self.paren_has_comments)
        if type(body).__name__ == "ObjectExpression" or self.starts_with_record(body):
            inner = group(cat("(", self.expression(body), ")"))
        else:
            inner = self.expression(body)
        return L.Hang([L.Affixes(args, None), L.Affixes(lparen_comments, None, True)],
                     cat(L.line(), inner))

    def starts_with_record(self, e: Any) -> bool:
        """Whether ``e`` would be printed starting with a record's "{" (a function body that
        does is read back as a block: libflux prints ``=> {a: 1} or b``, we keep the
        parentheses)."""
        # leftmost() stops at parentheses; those without comments are not printed, so look
        # through them and go on down the chain.
        while True:
            e = leftmost(_strip_parens(e, self.paren_has_comments))
            inner = _strip_parens(e, self.paren_has_comments)
            if inner is e:
                return type(e).__name__ == "ObjectExpression"
            e = inner

    # ---- parentheses --------------------------------------------------------------------

    def child(self, parent: Any, child: Any, is_right: bool, rightmost: bool) -> Doc:
        """An operand: in parentheses where libflux puts them, or where the meaning needs."""
        inner = _strip_parens(child, self.paren_has_comments)
        pvp = _libflux_precedence(parent)
        pvc = _libflux_precedence(inner)
        wanted = pvc != 0 and pvp != 0 and ((not is_right and pvc > pvp)
                                            or (is_right and pvc >= pvp))
        if not wanted:
            wanted = _needed(parent, inner, is_right, rightmost)
        if wanted and not (inner is child and type(child).__name__ == "ParenExpression"):
            return cat("(", self.expression(child), ")")
        return self.expression(child, rightmost)

def _libflux_precedence(node: Any) -> int:
    kind = type(node).__name__
    if kind in ("BinaryExpression", "LogicalExpression", "UnaryExpression"):
        return _PRECEDENCE.get(node.operator, 0) if node.operator not in ("-", "+") or \
            kind != "UnaryExpression" else 6
    return {"FunctionExpression": 3, "PipeExpression": 2, "CallExpression": 1,
            "MemberExpression": 1, "IndexExpression": 1, "ConditionalExpression": 11,
            }.get(kind, 0)


def _needed(parent: Any, child: Any, is_right: bool, rightmost: bool) -> bool:
    """Whether ``child`` needs parentheses to be read back as ``parent``'s operand (the
    grammar's binding strengths, as :mod:`.unparse` prints them)."""
    from . import unparse as u

    kind = type(parent).__name__
    if kind in ("BinaryExpression", "LogicalExpression"):
        if kind == "LogicalExpression":
            least = u.OR if parent.operator == "or" else u.AND
        elif parent.operator in _PRECEDENCE:
            least = u.precedence(parent)
        else:
            return False  # libflux's "<INVALID_OP>" juxtaposition: printed as it prints it
        least += is_right
    elif kind == "UnaryExpression":
        least = u.UNARY if parent.operator in ("-", "+") else u.NOT
    elif kind == "PipeExpression":
        least = u.UNARY if is_right else u.PIPE
    else:  # the object of a call, member or index
        least = u.POSTFIX
    if type(child).__name__ == "FunctionExpression" and (
            rightmost or type(child.body).__name__ == "Block"):
        return False  # nothing follows for its body to take in
    return u.precedence(child) < least


def format(source: str) -> str:  # noqa: A001 - the public name the issue asks for
    """The script as libflux v0.193's formatter prints it (meaning kept; see module doc).

    Raises :class:`~fluxparams.FluxSyntaxError` when ``source`` does not parse.
    """
    from .syntax import FluxSyntaxError, parse

    text, unsettled = _format_tree(source, parse(source))
    # libflux is not idempotent where it leaves out a parenthesis around a value that would
    # otherwise hang after "x =" (a long "option v = ({...})" prints "option v =" and the record
    # on the next lines, which formats again as "option v = {"): what it settles on, its output
    # formatted again, is what we return, so that format(format(s)) == format(s).
    for _ in range(3):
        if not unsettled or text == source:
            break
        try:
            again, unsettled = _format_tree(text, parse(text))
        except FluxSyntaxError:
            break  # our parser refuses libflux's output (see docs/format.md): keep the first
        source, text = text, again
    return text


def _format_tree(source: str, tree: "t.File") -> Tuple[str, bool]:
    from .syntax.parser import PAUSE_GC_ABOVE, gc_paused

    # as parse does for a long text: a document has a few objects per byte of the script, and
    # collections that rescan them all while they are built cost more than the building
    if len(source) > PAUSE_GC_ABOVE:
        with gc_paused:
            return _build(source, tree)
    return _build(source, tree)


def _build(source: str, tree: "t.File") -> Tuple[str, bool]:
    formatter = Formatter(source)
    try:
        doc = group(formatter.file(tree))
        formatter.check_all_placed()
        # real scripts take well under one step per byte (the stdlib: 0.05)
        text = L.render(doc, WIDTH, LAYOUT_BUDGET + 10 * len(source))
    except (L.TooComplex, RecursionError):
        raise _too_complex(tree) from None
    return "\n".join(part.rstrip() for part in text.split("\n")), formatter.unsettled


def _too_complex(tree: "t.File") -> Exception:
    """The error for a script whose layout search blew up: at its most deeply nested node."""
    from .syntax import FluxSyntaxError
    from .tree import Node, child_fields

    deepest, depth = tree, 0
    stack: List[Tuple[Any, int]] = [(tree, 0)]
    while stack:
        node, d = stack.pop()
        if d > depth:
            deepest, depth = node, d
        for name in child_fields(type(node)):
            value = getattr(node, name)
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Node):
                    stack.append((item, d + 1))
    loc = deepest.loc
    return FluxSyntaxError("too deeply nested to format (the layout search would not end): "
                           "split the expression", loc.line, loc.column, loc.end_line,
                           loc.end_column)
