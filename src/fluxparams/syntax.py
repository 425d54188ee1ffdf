"""Flux source -> :mod:`fluxparams.tree`, accepting exactly what libflux accepts.

One Lark LALR(1) parser (grammar/flux.lark, with _FluxLexer: the tokens of
Lark's contextual lexer, cheaper to start) builds the tree *during* the parse
through an inline transformer: no Lark tree exists, nothing recursive runs,
and every position comes from a token.  Once Lark has built its parser, its
table is kept as plain data and later processes parse valid scripts without
importing Lark at all (see "The fast path"); errors always come from Lark.

The checks libflux makes after scanning (integer range, date-times, escapes,
regexes, mixed record properties, pipe destinations, nesting depth, ...) are
made in the callbacks, so a script is either a tree or a :class:`FluxSyntaxError`.

Columns are counted in UTF-8 bytes, 1-based, end exclusive, as libflux counts
them (``x = "日本語" y`` puts ``y`` at column 19).  No Lark object or exception
leaves this module.
"""
from __future__ import annotations

import bisect
import functools
import gc
import os
import re
import stat
import sys
import threading
import warnings
from typing import List, Optional, Sequence, Tuple

from . import tree as t

__all__ = ["parse", "parse_type_expression", "FluxSyntaxError"]


class FluxSyntaxError(SyntaxError):
    """A script libflux would not accept.

    ``lineno``/``offset`` and ``end_lineno``/``end_offset`` are 1-based; the
    offsets are byte columns like every position in this project.
    """

    def __init__(self, msg: str, lineno: int = 1, offset: int = 1,
                 end_lineno: Optional[int] = None, end_offset: Optional[int] = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.lineno = lineno
        self.offset = offset
        self.end_lineno = lineno if end_lineno is None else end_lineno
        self.end_offset = offset + 1 if end_offset is None else end_offset
        self.text = None
        self.filename = None

    def __str__(self) -> str:
        return f"{self.lineno}:{self.offset}: {self.msg}"

    def __reduce__(self):
        return (type(self), (self.msg, self.lineno, self.offset, self.end_lineno, self.end_offset))

    def render(self, source: str) -> str:
        """The message, the offending source line and a caret under the error."""
        lines = source.splitlines() or [""]
        head = f"{self.lineno}:{self.offset}: error: {self.msg}"
        if not 1 <= self.lineno <= len(lines):
            return head
        line = lines[self.lineno - 1].expandtabs(1)
        column = _char_column(line, self.offset)
        width = 1
        if self.end_lineno == self.lineno and self.end_offset > self.offset:
            width = max(1, _char_column(line, self.end_offset) - column)
        return f"{head}\n    {line}\n    {' ' * (column - 1)}{'^' * width}"


def _char_column(line: str, byte_column: int) -> int:
    """The 1-based character column of a 1-based byte column in ``line``."""
    if line.isascii():
        return byte_column
    encoded = line.encode("utf-8", "surrogatepass")
    return len(encoded[:byte_column - 1].decode("utf-8", "ignore")) + 1


# ---------------------------------------------------------------------------
# Limits libflux imposes
# ---------------------------------------------------------------------------

# libflux's parser gives up past 80 levels of recursion and its AST check
# rejects trees deeper than 180 (see _Depth).  Bounded depth is what keeps every
# later recursive pass (inference, unparse) safe.
PARSER_DEPTH_LIMIT = 80
AST_DEPTH_LIMIT = 180

KEYWORDS = frozenset(
    "and or not import package return option builtin testcase if then else exists".split())

_I64_MAX = 2 ** 63 - 1

# The operator of "(a b)": expressions side by side inside parentheses, a
# property value or an index.  libflux's parser accepts them (no syntax error)
# and its type checker reports "invalid binary operator <INVALID_OP>".
INVALID_OPERATOR = "<INVALID_OP>"

# ---------------------------------------------------------------------------
# Per-parse context: byte columns
# ---------------------------------------------------------------------------

_NON_ASCII = r"[^\x00-\x7f]"


class _Source:
    """Converts Lark's character columns into libflux's byte columns."""

    __slots__ = ("text", "positions", "extra")

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: Optional[List[int]] = None
        self.extra: List[int] = []
        if not text.isascii():
            positions, extra, total = [], [], 0
            for m in _re(_NON_ASCII).finditer(text):
                ch = m.group()
                total += len(ch.encode("utf-8")) - 1
                positions.append(m.start())
                extra.append(total)
            self.positions, self.extra = positions, extra

    def _extra_before(self, pos: int) -> int:
        k = bisect.bisect_left(self.positions, pos)
        return self.extra[k - 1] if k else 0

    def byte_column(self, pos: int, column: int) -> int:
        """Byte column of the character at offset ``pos`` whose char column is ``column``."""
        if self.positions is None:
            return column
        line_start = pos - column + 1
        return column + self._extra_before(pos) - self._extra_before(line_start)

    def end_of_input(self) -> Tuple[int, int]:
        text = self.text
        line = text.count("\n") + 1
        start = text.rfind("\n") + 1
        return line, len(text[start:].encode("utf-8")) + 1


_context = threading.local()


@functools.cache
def _re(pattern: str):
    """Compiled on first use: most scripts need few of this module's patterns."""
    return re.compile(pattern)


# How many parses of non-ASCII text are running (in any thread). While there
# are none, which is nearly always, a token's character columns are its byte
# columns and _tok_loc need not look up the thread's source.
_non_ascii_parses = 0
_non_ascii_lock = threading.Lock()

# Loc(...) goes through a Python-level __new__; this builds the same tuple directly.
_Loc = t.Loc
_new_loc = tuple.__new__


def _tok_loc(tok) -> t.Loc:
    if not _non_ascii_parses:
        return _new_loc(_Loc, (tok.line, tok.column, tok.end_line, tok.end_column))
    src: _Source = _context.source
    if src.positions is None:
        return _new_loc(_Loc, (tok.line, tok.column, tok.end_line, tok.end_column))
    end_byte = src.byte_column(tok.end_pos, tok.end_column)
    return _Loc(tok.line, src.byte_column(tok.start_pos, tok.column), tok.end_line, end_byte)


def _loc_of(x) -> t.Loc:
    loc = getattr(x, "loc", None)
    if loc is not None:
        return loc
    return _tok_loc(x)


def _span(first, last) -> t.Loc:
    a = getattr(first, "loc", None) or _tok_loc(first)
    b = getattr(last, "loc", None) or _tok_loc(last)
    return _new_loc(_Loc, (a[0], a[1], b[2], b[3]))


def _span_all(children: Sequence) -> t.Loc:
    present = [c for c in children if c is not None]
    return _span(present[0], present[-1])


def _error_at(msg: str, where) -> "FluxSyntaxError":
    loc = _loc_of(where)
    return FluxSyntaxError(msg, loc.line, loc.column, loc.end_line, loc.end_column)


# ---------------------------------------------------------------------------
# Nesting limits, measured as libflux measures them
# ---------------------------------------------------------------------------
#
# libflux v0.193 (what the oracle runs) rejects a program in two ways:
#
# * its recursive-descent parser gives up when more than 80 frames of
#   parse_statement and parse_expression are active at once.  (This is the
#   model that reproduces every boundary we measured; v0.193's source is not
#   at hand.)  Every
#   statement is a frame; so is every full Expression it parses: a statement's
#   expression, a parenthesised expression (except when the first token inside
#   is an identifier: that path continues with parse_expression_suffix), array
#   elements, dictionary keys and values, property values (records, call
#   arguments, parameter defaults), an index, an interpolation, an expression
#   function body, and the three parts of if/then/else.  An expression statement
#   that starts with an identifier is parsed the same suffix way: no frame for
#   its expression.  Operators, unary prefixes, members and calls cost nothing.
# * ast::check walks the JSON AST and rejects nodes deeper than 180 (the File
#   is depth 1; dictionary items and attributes are not nodes of that walk, the
#   name of a named type or type variable is).
#
# Both were measured against the oracle for every construct, about 9,600 probes
# (the boundaries are kept in tests/cases/parse/*depth* and tests/test_syntax.py).  Each node's height and frame count are computed bottom-up as it is
# built, and a node that can no longer fit is refused at once, so the tree
# never grows deep enough to endanger any recursive pass.

_MAX_FRAMES = 80
_MAX_HEIGHT = 180

# fields whose expression is parsed by a parse_expression frame of its own
_FRAMED = {
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
_STATEMENT_FRAMES = (t.VariableAssignment, t.MemberAssignment, t.ReturnStatement,
                     t.ExpressionStatement, t.BuiltinStatement, t.TestCaseStatement)
# JSON nodes whose name is an Identifier node of its own (one level more)
_NAMED_LEAVES = (t.NamedType, t.TvarType, t.TypeConstraint)


def _starts_with_identifier(expr) -> bool:
    return isinstance(_leftmost(expr), t.Identifier)


# Per node class, what _measure looks at: (field, frame bump) for each field
# that can hold nodes (attributes are not counted); an empty plan is a leaf.
_PLANS = {
    cls: tuple((name, 1 if name in _FRAMED.get(cls, ()) else 0)
               for name in cls._node_fields if name != "attributes")
    for cls in t._NODE_CLASSES
}
# classes whose frame bump depends on the child (see _measure)
_BUMP_BY_CHILD = frozenset((t.ParenExpression, t.FunctionExpression, t.ExpressionStatement))
_NAMED_LEAF_SET = frozenset(_NAMED_LEAVES)
_STATEMENT_FRAME_SET = frozenset(_STATEMENT_FRAMES)


def _measure(node):
    """Record the height and parser frames of a freshly built node; refuse it when too deep."""
    cls = type(node)
    plan = _PLANS[cls]
    if not plan:
        # A leaf: (height 1, no frames) is what a missing entry means, so only
        # the leaves that count one level more need recording.
        if cls in _NAMED_LEAF_SET:
            _context.measures[id(node)] = (2, 0, node)
        return node
    info = _context.measures
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
    info[id(node)] = (height, frames, node)
    # A node this tall or with this many frames cannot fit anywhere below the
    # File (depth >= 2): refuse it now rather than build further.
    if height > _MAX_HEIGHT - 1 or frames > _MAX_FRAMES:
        raise _too_deep(node)
    return node


def _juxtaposed_frames(chain, info) -> int:
    """Frames of "(e1 e2 ...)": one parse_expression per element, side by side."""
    elements = []
    while isinstance(chain, t.BinaryExpression) and chain.operator == INVALID_OPERATOR:
        elements.append(chain.right)
        chain = chain.left
    frames = 0
    first = info.get(id(chain), (1, 0))[1] + (0 if _starts_with_identifier(chain) else 1)
    frames = max(frames, first)
    for element in elements:
        frames = max(frames, info.get(id(element), (1, 0))[1] + 1)
    return frames


def _too_deep(node) -> "FluxSyntaxError":
    return _error_at("program is nested too deep (libflux allows 80 nested expressions "
                     "and a syntax tree 180 levels deep)", node)


def _measured(node) -> Tuple[int, int]:
    got = _context.measures.get(id(node))
    return (1, 0) if got is None else (got[0], got[1])


# ---------------------------------------------------------------------------
# Grammar, cache directory and the parser factory
# ---------------------------------------------------------------------------

# pathlib and importlib.resources cost ~7 ms of start-up together and nothing
# else on the way to a first parse needs them: the parser factory works with
# plain path strings; the Path-returning helpers below are for callers that
# want Path objects.

_HERE = os.path.dirname(os.path.realpath(__file__))


def _grammar_file() -> str:
    """The installed copy (wheel) when there is one, else the repository's."""
    installed = os.path.join(_HERE, "grammar", "flux.lark")
    if os.path.isfile(installed):
        return installed
    repository = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "grammar", "flux.lark")
    if os.path.isfile(repository):
        return repository
    return str(_grammar_path())


def _grammar_path():
    """The grammar as a Path: the package resource when there is one, else the repository's."""
    from pathlib import Path
    try:
        from importlib.resources import files
        candidate = files("fluxparams") / "grammar" / "flux.lark"
        if candidate.is_file():
            return Path(str(candidate))
    except Exception:  # pragma: no cover - zipped installs, old importlib
        pass
    return Path(__file__).resolve().parents[2] / "grammar" / "flux.lark"


def _cache_dir():
    """:func:`_cache_directory` as a Path (or None)."""
    directory = _cache_directory()
    if directory is None:
        return None
    from pathlib import Path
    return Path(directory)


def _cache_directory() -> Optional[str]:
    """A private per-user cache directory, or None when none can be trusted.

    Lark's boolean cache option reads a pickle from a predictable name in the shared
    temp dir, which another local user can plant; an explicit path in a
    directory only we own and only we can write avoids that.
    """
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = base if base and os.path.isabs(base) else os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(root, "fluxparams")
    try:
        if not os.path.exists(path) and not os.path.islink(path):
            os.makedirs(root, exist_ok=True)
            os.mkdir(path, 0o700)
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return None
    if st.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return None
    if not os.access(path, os.W_OK | os.X_OK):
        return None
    return path


def _cache_file(grammar: str) -> Optional[str]:
    directory = _cache_directory()
    if directory is None:
        return None
    import hashlib

    import lark
    # the lexer is part of what the cache holds (Lark stores its options)
    digest = hashlib.sha256((grammar + "\0_FluxLexer").encode("utf-8")).hexdigest()[:16]
    name = "flux-%s-lark%s-py%d%d.cache" % (digest, lark.__version__, *sys.version_info[:2])
    target = os.path.join(directory, name)
    if os.path.islink(target):
        return None
    return target


# ---------------------------------------------------------------------------
# The lexer: Lark's contextual lexer, without its start-up cost
# ---------------------------------------------------------------------------
#
# Lark's contextual lexer gives every parser state its own scanner: one regex
# alternation of the terminals that state accepts (plus WS and COMMENT), tried
# in a fixed terminal order, the first alternative that matches winning.  It
# compiles one such alternation for each state the text reaches (about 30 for
# a short script, ~1 ms each), which was a tenth of the start-up time.
#
# _FluxLexer gives the same tokens with ONE alternation of every terminal but
# TEXT, in the same order.  Where its first match is a terminal the state
# accepts, that is the state scanner's answer too (no terminal before it in
# the order matches, accepted or not).  Otherwise (a contextual word such as
# "with" used as an identifier, a regex where "/" could also be a division,
# string text, or an error) the state's own terminals are tried one by one in
# that order.  Errors are raised exactly as Lark's contextual lexer raises them.

_LEXER_CLASS = None


def _lexer_class():
    """The lexer class, made on first use (lark is imported lazily)."""
    global _LEXER_CLASS
    if _LEXER_CLASS is not None:
        return _LEXER_CLASS
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken
    from lark.lexer import Lexer, Token

    class _FluxLexer(Lexer):
        __future_interface__ = 2

        def __init__(self, conf) -> None:
            terminals = sorted(conf.terminals, key=lambda x: (
                -x.priority, -x.pattern.max_width, -len(x.pattern.value), x.name))
            self.terminals_by_name = conf.terminals_by_name
            self.order = [term.name for term in terminals]
            self.patterns = {term.name: term.pattern.to_regexp() for term in terminals}
            self.ignore = frozenset(conf.ignore)
            self.newline_types = frozenset(
                term.name for term in terminals if _may_span_lines(self.patterns[term.name]))
            self.flags = conf.g_regex_flags
            self._union = None
            self._single = {}
            self._accepts = {}     # parser state -> accepted terminal names, ignored ones too
            self._candidates = {}  # parser state -> those names in the scanning order

        def _union_match(self):
            if self._union is None:
                alternatives = "|".join(f"(?P<{name}>{self.patterns[name]})"
                                        for name in self.order if name != "TEXT")
                self._union = re.compile(alternatives, self.flags).match
            return self._union

        def _state(self, parser_state, state):
            accepts = frozenset(parser_state.parse_conf.states[state]) | self.ignore
            self._accepts[state] = accepts
            self._candidates[state] = [n for n in self.order if n in accepts]
            return accepts

        def _first_match(self, names, text, pos, end):
            single = self._single
            for name in names:
                match = single.get(name)
                if match is None:
                    match = single[name] = re.compile(self.patterns[name], self.flags).match
                m = match(text, pos, end)
                if m is not None:
                    return name, m.group(0)
            return None

        def lex(self, lexer_state, parser_state):
            union = self._union_match()
            ignore, newline_types = self.ignore, self.newline_types
            accepts_by_state, candidates = self._accepts, self._candidates
            line_ctr = lexer_state.line_ctr
            source = lexer_state.text
            text, end = source.text, source.end
            while line_ctr.char_pos < end:
                pos = line_ctr.char_pos
                state = parser_state.position
                accepts = accepts_by_state.get(state)
                if accepts is None:
                    accepts = self._state(parser_state, state)
                if "TEXT" in accepts:
                    found = None
                else:
                    m = union(text, pos, end)
                    found = (m.lastgroup, m.group(0)) if m is not None else None
                if found is None or found[0] not in accepts:
                    found = self._first_match(candidates[state], text, pos, end)
                    if found is None:
                        self._fail(lexer_state, parser_state, accepts)
                kind, value = found
                if kind in ignore:
                    line_ctr.feed(value, kind in newline_types)
                    continue
                token = Token(kind, value, pos, line_ctr.line, line_ctr.column)
                line_ctr.feed(value, kind in newline_types)
                token.end_line = line_ctr.line
                token.end_column = line_ctr.column
                token.end_pos = line_ctr.char_pos
                lexer_state.last_token = token
                yield token

        def _fail(self, lexer_state, parser_state, accepts):
            """Raise what Lark's contextual lexer raises where no accepted terminal matches."""
            line_ctr = lexer_state.line_ctr
            source = lexer_state.text
            pos = line_ctr.char_pos
            allowed = {n for n in accepts if n in self.terminals_by_name} - self.ignore
            allowed = allowed or {"<END-OF-FILE>"}
            error = UnexpectedCharacters(
                source.text, pos, line_ctr.line, line_ctr.column, allowed=allowed,
                token_history=lexer_state.last_token and [lexer_state.last_token],
                state=parser_state, terminals_by_name=self.terminals_by_name)
            # as Lark: what any terminal would have matched there makes a nicer error
            found = self._first_match(self.order, source.text, pos, source.end)
            if found is None or found[0] in self.ignore:
                raise error
            kind, value = found
            token = Token(kind, value, pos, line_ctr.line, line_ctr.column)
            newlines = value.count("\n") if kind in self.newline_types else 0
            token.end_line = line_ctr.line + newlines
            token.end_column = (len(value) - value.rfind("\n") if newlines
                                else line_ctr.column + len(value))
            token.end_pos = pos + len(value)
            raise UnexpectedToken(token, allowed, state=parser_state,
                                  token_history=[lexer_state.last_token],
                                  terminals_by_name=self.terminals_by_name)

    # pickled by name in Lark's cache: it must be findable as a module global
    _FluxLexer.__module__ = __name__
    _FluxLexer.__qualname__ = "_FluxLexer"
    globals()["_FluxLexer"] = _LEXER_CLASS = _FluxLexer
    return _FluxLexer


def _may_span_lines(pattern: str) -> bool:
    """Whether a terminal's regex can match a newline (as Lark decides it)."""
    from lark.lexer import _regexp_has_newline
    return _regexp_has_newline(pattern)


def __getattr__(name: str):
    # Lark's cache names the lexer class; unpickling it must work before _parser() ran
    if name == "_FluxLexer":
        return _lexer_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# (the fast path's table depends on these: they are part of its file name)
_LARK_OPTIONS = dict(parser="lalr", start=["file", "type_expression"], maybe_placeholders=True)


@functools.cache
def _parser():
    import lark

    with open(_grammar_file(), encoding="utf-8") as fh:
        grammar = fh.read()
    options = dict(_LARK_OPTIONS, lexer=_lexer_class(), transformer=_Builder())
    cache = _cache_file(grammar)
    parser = None
    if cache is not None:
        try:
            parser = lark.Lark(grammar, cache=cache, **options)
        except OSError:
            pass
    if parser is None:
        parser = lark.Lark(grammar, **options)
    return parser


# ---------------------------------------------------------------------------
# The fast path: Lark's parse table without Lark
# ---------------------------------------------------------------------------
#
# Importing lark and loading its cached parser took ~40 ms, most of a cold
# `fluxparams check`. Once Lark has built the parser, its LALR table, its
# lexer's terminals and what its tree builder does for each rule (which
# children it drops, which `_rule`s it splices in, where `[optional]` items get
# None, which `?rule`s pass a single child through) are written as plain
# data (marshal, in the same private cache directory). Later processes parse
# with that data and a ~40-line LALR loop, calling the same _Builder callbacks
# in the same order, so the tree is the same object for object.
#
# (The table's file name comes from the grammar and _LARK_OPTIONS; a change
# in what _describe_table writes must bump _TABLE_FORMAT.)
# Only the successful parse is done this way: on any error the text is parsed
# again by Lark, so every syntax error is exactly Lark's (and the error path
# keeps all its machinery). tests/test_perf_invariants.py compares both paths.

_TABLE_FORMAT = 1


def _table_file(grammar: str) -> Optional[str]:
    directory = _cache_directory()
    if directory is None:
        return None
    import zlib
    source = grammar + repr(sorted(_LARK_OPTIONS.items()))
    key = "%08x-%d" % (zlib.crc32(source.encode("utf-8")), len(grammar))
    name = "flux-%s-table%d-py%d%d.marshal" % (key, _TABLE_FORMAT, *sys.version_info[:2])
    target = os.path.join(directory, name)
    if os.path.islink(target):
        return None
    return target


def _describe_table(parser) -> Optional[dict]:
    """Lark's parser as plain data, or None if it is built in a way the fast path does not know."""
    from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
    from lark.parsers.lalr_analysis import Shift
    from lark.tree import Tree

    lalr = parser.parser.parser.parser
    table = lalr.parse_table
    callbacks = lalr.callbacks
    index = {rule: i for i, rule in enumerate(parser.rules)}
    if any(rule not in index for rule in callbacks):
        return None  # a terminal callback: not used by this grammar
    rules = []
    for rule in parser.rules:
        chain = callbacks[rule]
        include = None
        append_none = 0
        if isinstance(chain, ChildFilterLALR):
            include = tuple((i, bool(e), n) for i, e, n in chain.to_include)
            append_none = chain.append_none
            chain = chain.node_builder
        elif isinstance(chain, ChildFilterLALR_NoPlaceholders):
            include = tuple((i, bool(e), 0) for i, e in chain.to_include)
            chain = chain.node_builder
        expand1 = isinstance(chain, ExpandSingleChild)
        if expand1:
            chain = chain.node_builder
        if isinstance(chain, functools.partial) and chain.func is Tree and len(chain.args) == 1:
            callback, tree_name = None, str(chain.args[0])
        elif getattr(chain, "__self__", None) is parser.options.transformer:
            callback, tree_name = str(chain.__name__), None
            if getattr(_Builder, callback, None) is None:
                return None
        else:
            return None
        # str(): a freshly built grammar names things with lark Tokens (marshal wants str)
        rules.append((str(rule.origin.name), len(rule.expansion), include, append_none, expand1,
                      callback, tree_name))
    states = {}
    for state, actions in table.states.items():
        states[int(state)] = {str(name): (0, int(arg)) if action is Shift else (1, index[arg])
                              for name, (action, arg) in actions.items()}
    lexer = parser.parser.lexer
    if not isinstance(lexer, _lexer_class()):
        return None
    return {
        "format": _TABLE_FORMAT,
        "states": states,
        "start": {str(k): int(v) for k, v in table.start_states.items()},
        "end": {str(k): int(v) for k, v in table.end_states.items()},
        "rules": rules,
        "order": [str(name) for name in lexer.order],
        "patterns": {str(k): str(v) for k, v in lexer.patterns.items()},
        "ignore": sorted(str(name) for name in lexer.ignore),
        "newline": sorted(str(name) for name in lexer.newline_types),
        "flags": int(lexer.flags),
    }


_TABLE_CHECKED: List[bool] = []


def _save_table() -> None:
    """Write the fast path's table from Lark's parser if it is not there yet (once per process)."""
    if _TABLE_CHECKED:
        return
    _TABLE_CHECKED.append(True)
    try:
        with open(_grammar_file(), encoding="utf-8") as fh:
            grammar = fh.read()
    except OSError:  # pragma: no cover - the parser could not have been built either
        return
    target = _table_file(grammar)
    if target is None or os.path.exists(target):
        return
    import marshal
    tmp = "%s.%d.tmp" % (target, os.getpid())
    try:
        data = _describe_table(_parser())
        if data is None:
            return
        payload = marshal.dumps(data)
        with open(tmp, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)  # atomic: a concurrent reader sees all or nothing
    except Exception:  # pragma: no cover - an optimisation: never let it break a parse
        try:
            os.remove(tmp)
        except OSError:
            pass


class _Token(str):
    """A token as the callbacks see it (the attributes of lark.Token that they use)."""

    __slots__ = ("type", "start_pos", "line", "column", "end_line", "end_column", "end_pos")


class _FastFail(Exception):
    """The fast path cannot parse this text: Lark will (and report the error)."""


class _FastParser:
    def __init__(self, data: dict) -> None:
        self.states = data["states"]
        self.start = data["start"]
        self.end = data["end"]
        self.order = data["order"]
        self.patterns = data["patterns"]
        self.ignore = frozenset(data["ignore"])
        self.newline = frozenset(data["newline"])
        self.flags = data["flags"]
        builder = _Builder()
        self.rules = []
        for origin, size, include, append_none, expand1, callback, tree_name in data["rules"]:
            fn = getattr(builder, callback) if callback is not None else functools.partial(_Tree, tree_name)
            self.rules.append((origin, size, include, append_none, expand1, fn))
        self._union = None
        self._single = {}
        self._accepts = {}
        self._candidates = {}

    def _accepts_of(self, state):
        accepts = frozenset(self.states[state]) | self.ignore
        self._candidates[state] = [n for n in self.order if n in accepts]
        self._accepts[state] = accepts
        return accepts

    def _first_match(self, names, text, pos):
        single = self._single
        for name in names:
            match = single.get(name)
            if match is None:
                match = single[name] = re.compile(self.patterns[name], self.flags).match
            m = match(text, pos)
            if m is not None:
                return name, m.group(0)
        return None

    def parse(self, text: str, start: str):
        # the same lexing as _FluxLexer, the same loop as Lark's ParserState.feed_token
        union = self._union
        if union is None:
            union = self._union = re.compile("|".join(
                f"(?P<{name}>{self.patterns[name]})" for name in self.order if name != "TEXT"),
                self.flags).match
        states, rules = self.states, self.rules
        accepts_by_state, candidates = self._accepts, self._candidates
        ignore, newline = self.ignore, self.newline
        end_state = self.end[start]
        state_stack = [self.start[start]]
        value_stack = []
        pos, line, line_start, n = 0, 1, 0, len(text)
        token = None
        while True:
            if pos < n:
                state = state_stack[-1]
                accepts = accepts_by_state.get(state)
                if accepts is None:
                    accepts = self._accepts_of(state)
                found = None
                if "TEXT" not in accepts:
                    m = union(text, pos)
                    if m is not None:
                        found = (m.lastgroup, m.group(0))
                if found is None or found[0] not in accepts:
                    found = self._first_match(candidates[state], text, pos)
                    if found is None:
                        raise _FastFail()
                kind, value = found
                size = len(value)
                if kind in newline and "\n" in value:
                    end_line = line + value.count("\n")
                    end_start = pos + value.rfind("\n") + 1
                else:
                    end_line, end_start = line, line_start
                if kind in ignore:
                    pos += size
                    line, line_start = end_line, end_start
                    continue
                token = _Token(value)
                token.type = kind
                token.start_pos = pos
                token.line = line
                token.column = pos - line_start + 1
                pos += size
                token.end_line = end_line
                token.end_column = pos - end_start + 1
                token.end_pos = pos
                line, line_start = end_line, end_start
                kind_key = kind
                is_end = False
            else:
                kind_key = "$END"
                is_end = True
            while True:
                action = states[state_stack[-1]].get(kind_key)
                if action is None:
                    raise _FastFail()
                if action[0] == 0:  # shift
                    if is_end:
                        raise _FastFail()
                    state_stack.append(action[1])
                    value_stack.append(token)
                    break
                origin, size, include, append_none, expand1, fn = rules[action[1]]
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if include is not None:
                    filtered = []
                    for i, expand, nones in include:
                        if nones:
                            filtered.extend([None] * nones)
                        if expand:
                            if filtered:
                                filtered.extend(children[i].children)
                            else:
                                # a left-recursive list (x*): take over the list built
                                # so far instead of copying it, or a long file's
                                # statements are copied once per statement (as Lark does)
                                filtered = children[i].children
                        else:
                            filtered.append(children[i])
                    if append_none:
                        filtered.extend([None] * append_none)
                    children = filtered
                if expand1 and len(children) == 1:
                    value = children[0]
                else:
                    value = fn(children)
                goto = states[state_stack[-1]][origin]
                state_stack.append(goto[1])
                value_stack.append(value)
                if is_end and goto[1] == end_state:
                    return value
            if is_end:  # pragma: no cover - the end token always reduces to the end state or fails
                raise _FastFail()


class _Tree:
    """What Lark builds for a ``_rule`` without a callback (its parent splices the children in)."""

    __slots__ = ("data", "children")

    def __init__(self, data, children) -> None:
        self.data, self.children = data, children


_FAST_LOCK = threading.Lock()
_FAST_STATE: List = []   # [] not tried yet; [None] unavailable; [parser] ready


def _fast_parser() -> Optional[_FastParser]:
    if _FAST_STATE:
        return _FAST_STATE[0]
    with _FAST_LOCK:
        if not _FAST_STATE:
            _FAST_STATE.append(_load_fast_parser())
    return _FAST_STATE[0]


def _load_fast_parser() -> Optional[_FastParser]:
    try:
        with open(_grammar_file(), encoding="utf-8") as fh:
            grammar = fh.read()
        target = _table_file(grammar)
        if target is None or not os.path.isfile(target):
            return None
        import marshal
        with open(target, "rb") as fh:
            data = marshal.loads(fh.read())
        if not isinstance(data, dict) or data.get("format") != _TABLE_FORMAT:
            return None
        return _FastParser(data)
    except Exception:  # unreadable or not ours: parse with Lark
        return None


# ---------------------------------------------------------------------------
# Literal decoding (libflux's strconv)
# ---------------------------------------------------------------------------

# "\$" alone is reachable only after a "$" that took the backslash as its
# partner ("$\$a"): libflux's unescaper reads it as "$". A backslash that ends a
# text part ("$\" before "${") is an error there too, hence ".?".
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$"}
_TEXT_PIECE = r'(?s)\\x([0-9a-fA-F]{2})|\\\$\{|\\(.?)|([^\\]+)'


_BAD_ESCAPE = "invalid escape sequence in string (only \\n \\r \\t \\\\ \\\" \\${ and \\xHH)"


def _escape_error(tok, raw: str, offset: int) -> "FluxSyntaxError":
    """The error for the bad escape at ``raw[offset]``, inside the text token ``tok``."""
    loc = _tok_loc(tok)
    before = raw[:offset]
    newline = before.rfind("\n")
    if newline < 0:
        line, column = loc.line, loc.column + len(before.encode("utf-8"))
    else:
        line = loc.line + before.count("\n")
        column = len(before[newline + 1:].encode("utf-8")) + 1
    return FluxSyntaxError(_BAD_ESCAPE, line, column, line, column + 2)


def _unescape(tok) -> str:
    """Decode a string's TEXT token; ``\\xHH`` bytes must form valid UTF-8."""
    raw = str(tok)
    if "\\" not in raw:
        return raw
    out = bytearray()
    for m in _re(_TEXT_PIECE).finditer(raw):
        hexbyte, esc, plain = m.group(1), m.group(2), m.group(3)
        if hexbyte is not None:
            out.append(int(hexbyte, 16))
        elif plain is not None:
            out += plain.encode("utf-8")
        elif esc is not None:
            if esc not in _ESCAPES:
                # "$" followed by "\" is one unit of string text for the
                # lexer (as for libflux's scanner), so this backslash was never
                # checked as an escape; libflux rejects it here too
                raise _escape_error(tok, raw, m.start())
            out += _ESCAPES[esc].encode("utf-8")
        else:
            out += b"${"
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise _error_at("invalid UTF-8 sequence in string escape", tok) from None


_DURATION_PART = r"(\d+)(mo|ms|us|µs|ns|y|w|d|h|m|s)"

_DATETIME = r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d*)?(Z|[+-](\d{2}):(\d{2}))?)?\Z"


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _valid_datetime(text: str) -> bool:
    """RFC 3339 as libflux (chrono) checks it; a date alone means midnight UTC."""
    m = _re(_DATETIME).match(text)
    if not m:
        return False
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        return False
    if m.group(4) is None:
        return True
    hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if m.group(8) is None:
        return False
    if m.group(7) == ".":
        return False
    if hour > 23 or minute > 59 or second > 60:
        return False
    if m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


def _regex_body(tok) -> str:
    r"""The pattern of a regex token, decoded as libflux does: ``\/`` -> ``/`` and
    ``\xHH`` -> that byte (the bytes must form UTF-8); other escapes stay."""
    body = str(tok)[1:-1]
    if "\\" not in body:
        return body
    out = bytearray()
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            nxt = body[i + 1]
            if nxt == "/":
                out += b"/"
                i += 2
                continue
            if nxt == "x":
                digits = body[i + 2:i + 4]
                if len(digits) != 2 or not all(d in "0123456789abcdefABCDEF" for d in digits):
                    raise _error_at("invalid byte value in regex (\\xHH needs two hex digits)", tok)
                out.append(int(digits, 16))
                i += 4
                continue
            out += (ch + nxt).encode("utf-8")
            i += 2
            continue
        out += ch.encode("utf-8")
        i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise _error_at("invalid UTF-8 sequence in regex", tok) from None


# Escapes Rust's regex crate (regex-syntax 0.6, in libflux v0.193) accepts.
_RE_META = set("\\.+*?()|[]{}^$#&-~")
_RE_CLASS_ESCAPES = set("dDsSwW")
_RE_ASSERT_ESCAPES = set("bBAz")
_RE_CHAR_ESCAPES = {"n": "\\n", "t": "\\t", "r": "\\r", "f": "\\f", "v": "\\v", "a": "\\a"}
_RE_FLAGS = r"\(\?([imsUx]*(?:-[imsUx]*)?)(\)|:)"
_RE_COUNT = r"\{(\d+)(,(\d*))?\}"
_RE_HEX = r"x([0-9a-fA-F]{2}|\{[0-9a-fA-F]{1,8}\})|u([0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,8}\})|U([0-9a-fA-F]{8})"
_RE_UNICODE_CLASS = r"[pP](\{[^}]*\}|[A-Za-z])"


class _RegexError(Exception):
    pass


def _translate_regex(pattern: str) -> str:
    r"""Rust regex syntax -> an equivalent-for-validation Python pattern.

    Walks the pattern once: escapes are checked against the Rust list (Python
    accepts more, e.g. ``\0``, ``\Z``, ``\%``), Rust-only spellings become
    something Python knows (``\pL``, ``[[:alpha:]]``, ``\z``, flags in the
    middle, ``(?U)``, stacked repetitions such as ``a**``), and Python-only
    constructs Rust refuses (look-around, ``(?#...)``, back-references, a
    ``{`` that is not a counted repetition) are errors.
    """
    out = []
    i, n = 0, len(pattern)
    in_class = 0
    last_quantifiable = False   # the previous item can take a repetition
    after_quantifier = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise _RegexError("incomplete escape sequence")
            nxt = pattern[i + 1]
            if nxt in _RE_META:
                out.append("\\" + nxt)
                i += 2
            elif nxt in _RE_CLASS_ESCAPES or nxt in _RE_CHAR_ESCAPES:
                out.append("\\" + nxt)
                i += 2
            elif nxt in _RE_ASSERT_ESCAPES and not in_class:
                out.append("\\Z" if nxt == "z" else "\\" + nxt)
                i += 2
                last_quantifiable, after_quantifier = False, True  # Rust lets anchors repeat
                continue
            else:
                m = _re(_RE_HEX).match(pattern, i + 1) or _re(_RE_UNICODE_CLASS).match(pattern, i + 1)
                if not m:
                    raise _RegexError(f"unrecognized escape sequence \\{nxt}")
                out.append("a")
                i = m.end()
            last_quantifiable, after_quantifier = True, False
            continue
        if in_class:
            if ch == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end < 0:
                    raise _RegexError("unclosed character class")
                out.append("a")
                i = end + 2
                continue
            if ch == "[":
                in_class += 1
                out.append("\\[")   # nested classes: validate the contents only
                i += 1
                continue
            if ch == "]" and not (out and out[-1] in ("[", "[^")):
                in_class -= 1
                out.append("]" if in_class == 0 else "\\]")
                i += 1
                if in_class == 0:
                    last_quantifiable, after_quantifier = True, False
                continue
            if pattern.startswith(("&&", "--", "~~"), i):
                i += 2
                continue
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = 1
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if ch == "(":
            if pattern.startswith("(?", i):
                m = _re(_RE_FLAGS).match(pattern, i)
                if m:
                    if m.group(2) == ")":
                        i = m.end()          # a flag group alone: nothing to check
                        continue
                    out.append("(?:")
                    i = m.end()
                    last_quantifiable, after_quantifier = False, False
                    continue
                if not pattern.startswith("(?P<", i):
                    raise _RegexError("unrecognized flag or group syntax")
                close = pattern.find(">", i)
                if close < 0:
                    raise _RegexError("unclosed group name")
                out.append(pattern[i:close + 1])
                i = close + 1
                last_quantifiable, after_quantifier = False, False
                continue
            out.append(ch)
            i += 1
            last_quantifiable, after_quantifier = False, False
            continue
        if ch in "*+?" or ch == "{":
            if ch == "{":
                m = _re(_RE_COUNT).match(pattern, i)
                if not m:
                    raise _RegexError("repetition quantifier expects a valid decimal")
                text = m.group(0)
                i = m.end()
            else:
                text = ch
                i += 1
            if after_quantifier:
                if ch == "?" and out and out[-1] != "?" and last_quantifiable is None:
                    out.append("?")
                continue            # Rust repeats a repetition; Python would refuse
            if not last_quantifiable:
                raise _RegexError("repetition operator missing expression")
            out.append(text)
            if i < n and pattern[i] == "?":
                out.append("?")
                i += 1
            last_quantifiable, after_quantifier = None, True
            continue
        if ch in "^$":
            out.append(ch)
            i += 1
            last_quantifiable, after_quantifier = False, True
            continue
        if ch in "|)":
            out.append(ch)
            i += 1
            last_quantifiable = ch == ")"
            after_quantifier = False
            continue
        out.append(re.escape(ch) if ch in "#&~- " else ch)
        i += 1
        last_quantifiable, after_quantifier = True, False
    if in_class:
        raise _RegexError("unclosed character class")
    return "".join(out)


def _check_regex(pattern: str, tok) -> None:
    r"""Reject what Rust's regex crate rejects (see _translate_regex), then let
    Python's ``re`` judge the shared syntax (groups, classes, ranges, counts)."""
    try:
        translated = _translate_regex(pattern)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(translated)
    except _RegexError as exc:
        raise _error_at(f"regex parse error: {exc}", tok) from None
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise _error_at(f"regex parse error: {exc}", tok) from None


# ---------------------------------------------------------------------------
# The inline transformer
# ---------------------------------------------------------------------------

class _Attrs:
    __slots__ = ("items", "loc")

    def __init__(self, items, loc):
        self.items, self.loc = items, loc


class _Props:
    __slots__ = ("items", "loc")

    def __init__(self, items, loc):
        self.items, self.loc = items, loc


class _ParenItem:
    __slots__ = ("expression", "default", "loc")

    def __init__(self, expression, default, loc):
        self.expression, self.default, self.loc = expression, default, loc


def _is_tok(x, *types) -> bool:
    return getattr(x, "type", None) in types and not hasattr(x, "loc")


def _is_juxtaposition(node) -> bool:
    return type(node) is t.BinaryExpression and node.operator == INVALID_OPERATOR


def _leftmost(node):
    """The node a left-recursive chain starts with (iterative: no recursion)."""
    while True:
        if isinstance(node, (t.BinaryExpression, t.LogicalExpression)):
            node = node.left
        elif isinstance(node, t.CallExpression):
            node = node.callee
        elif isinstance(node, t.MemberExpression):
            node = node.object
        elif isinstance(node, t.IndexExpression):
            node = node.array
        elif isinstance(node, t.PipeExpression):
            node = node.argument
        else:
            return node


# callbacks that return something other than a fresh tree node (or, for
# statement, measure it themselves)
_UNMEASURED = frozenset(("file", "attributes", "attribute_params", "property_list",
                         "paren_item", "statement"))


def _measuring(cls):
    """Measure (and so depth-check) every tree node a callback returns."""
    for name, fn in list(vars(cls).items()):
        if name.startswith("_") or not callable(fn) or name in _UNMEASURED:
            continue

        def wrapped(self, children, _fn=fn):
            return _measure(_fn(self, children))
        wrapped.__name__ = name
        setattr(cls, name, wrapped)
    return cls


@_measuring
class _Builder:
    """Callbacks named after the grammar's rules; each gets its children list."""

    # ---- files and statements ---------------------------------------------

    def file(self, c):
        package = c[0] if isinstance(c[0], t.PackageClause) else None
        imports = tuple(x for x in c if isinstance(x, t.ImportDeclaration))
        body = tuple(x for x in c if x is not None and not isinstance(
            x, (t.PackageClause, t.ImportDeclaration, _Attrs)))
        dangling = c[-1] if c and isinstance(c[-1], _Attrs) else None
        if dangling is not None:
            raise _error_at("attributes not associated with anything", dangling)
        present = [x for x in c if x is not None]
        loc = _span_all(present) if present else t.Loc(1, 1, 1, 1)
        for stmt in body:
            height, frames = _measured(stmt)
            if height + 1 > _MAX_HEIGHT or frames > _MAX_FRAMES:
                raise _too_deep(stmt)
        return t.File(package, imports, body, loc=loc)

    def package_clause(self, c):
        attrs, _, name = c
        return t.PackageClause(self._ident(name), self._attrs(attrs), loc=_span_all(c))

    def import_declaration(self, c):
        attrs, _, alias, path = c
        return t.ImportDeclaration(None if alias is None else self._ident(alias),
                                   self._plain_string(path), self._attrs(attrs), loc=_span_all(c))

    def attributes(self, c):
        return _Attrs(tuple(c), _span_all(c))

    def attribute(self, c):
        name = c[0]
        params: Tuple = ()
        for x in c[1:]:
            if isinstance(x, tuple):
                params = x
        for param in params:
            if _measured(param)[1] > _MAX_FRAMES:
                raise _too_deep(param)
        return t.Attribute(str(name)[1:], params, loc=_span_all(c))

    def attribute_params(self, c):
        return tuple(x for x in c if x is not None and not _is_tok(x, "COMMA"))

    def statement(self, c):
        attrs, stmt = c
        if attrs is None:
            return stmt  # measured by its own callback
        return _measure(stmt._replace(attributes=attrs.items))

    def variable_assignment(self, c):
        name, _, init = c
        return t.VariableAssignment(self._ident(name), init, loc=_span(name, init))

    def option_statement(self, c):
        opt, name, dot, prop, _, init = c
        if dot is None:
            target = _measure(t.VariableAssignment(self._ident(name), init, loc=_span(name, init)))
        else:
            member = _measure(t.MemberExpression(self._ident(name), self._ident(prop),
                                                 loc=_span(name, prop)))
            target = _measure(t.MemberAssignment(member, init, loc=_span(name, init)))
        return t.OptionStatement(target, loc=_span(opt, init))

    def builtin_statement(self, c):
        kw, name, _, typ = c
        return t.BuiltinStatement(self._ident(name), typ, loc=_span(kw, typ))

    def testcase_statement(self, c):
        kw, name, _, extends, block = c
        return t.TestCaseStatement(self._ident(name),
                                   None if extends is None else self._plain_string(extends),
                                   block, loc=_span(kw, block))

    def return_statement(self, c):
        kw, arg = c
        return t.ReturnStatement(arg, loc=_span(kw, arg))

    def expression_statement(self, c):
        (expr,) = c
        first = _leftmost(expr)
        if isinstance(first, t.LabelLiteral):
            raise FluxSyntaxError("invalid statement: a statement cannot start with a label "
                                  "literal", first.loc.line, first.loc.column,
                                  first.loc.line, first.loc.column + 1)
        return t.ExpressionStatement(expr, loc=expr.loc)

    def block(self, c):
        body = tuple(x for x in c[1:-1])
        return t.Block(body, loc=_span(c[0], c[-1]))

    # ---- operators ----------------------------------------------------------

    def conditional_expression(self, c):
        kw, test, _, cons, _, alt = c
        return t.ConditionalExpression(test, cons, alt, loc=_span(kw, alt))

    def logical_expression(self, c):
        left, op, right = c
        return t.LogicalExpression(str(op), left, right, loc=_span(left, right))

    def unary_expression(self, c):
        op, arg = c
        return t.UnaryExpression(str(op), arg, loc=_span(op, arg))

    def binary_expression(self, c):
        left, op, right = c
        return t.BinaryExpression(str(op), left, right, loc=_span(left, right))

    def attribute_juxtaposition(self, c):
        return self.juxtaposition(c)

    def juxtaposition(self, c):
        left, right = c
        return t.BinaryExpression(INVALID_OPERATOR, left, right, loc=_span(left, right))

    def pipe_expression(self, c):
        left, op, right = c
        if not isinstance(right, t.CallExpression):
            raise _error_at("pipe destination must be a function call", right)
        return t.PipeExpression(left, right, loc=_span(left, right))

    def member_expression(self, c):
        obj, _, prop = c
        return t.MemberExpression(obj, self._ident(prop), loc=_span(obj, prop))

    def index_expression(self, c):
        obj, _, index, close = c
        if isinstance(index, t.StringLiteral):
            return t.MemberExpression(obj, index, loc=_span(obj, close))
        return t.IndexExpression(obj, index, loc=_span(obj, close))

    def call_expression(self, c):
        callee, lpar, props, rpar = c
        args = None
        if props is not None:
            self._check_properties(props)
            args = _measure(t.ObjectExpression(None, props.items, loc=props.loc))
        return t.CallExpression(callee, args, loc=_span(callee, rpar))

    # ---- primaries ------------------------------------------------------------

    def identifier(self, c):
        return self._ident(c[0])

    def integer_literal(self, c):
        tok = c[0]
        text = str(tok)
        if len(text) > 1 and text[0] == "0":
            raise _error_at(f'invalid integer literal "{text}": nonzero value cannot start with 0', tok)
        value = int(text)
        if value > _I64_MAX:
            raise _error_at(f'invalid integer literal "{text}": value out of range', tok)
        return t.IntegerLiteral(value, loc=_tok_loc(tok))

    def float_literal(self, c):
        tok = c[0]
        return t.FloatLiteral(float(str(tok)), loc=_tok_loc(tok))

    def duration_literal(self, c):
        tok = c[0]
        values = []
        for m in _re(_DURATION_PART).finditer(str(tok)):
            magnitude = int(m.group(1))
            if magnitude > _I64_MAX:
                raise _error_at(f'invalid duration literal "{tok}": value out of range', tok)
            unit = m.group(2)
            values.append((magnitude, "us" if unit == "µs" else unit))
        return t.DurationLiteral(tuple(values), loc=_tok_loc(tok))

    def datetime_literal(self, c):
        tok = c[0]
        if not _valid_datetime(str(tok)):
            raise _error_at("invalid date time literal, missing time offset", tok)
        return t.DateTimeLiteral(str(tok), loc=_tok_loc(tok))

    def regexp_literal(self, c):
        tok = c[0]
        pattern = _regex_body(tok)
        _check_regex(pattern, tok)
        return t.RegexpLiteral(pattern, loc=_tok_loc(tok))

    def pipe_literal(self, c):
        return t.PipeLiteral(loc=_tok_loc(c[0]))

    def label_literal(self, c):
        dot, name = c
        if isinstance(name, (t.StringLiteral, t.StringExpression)):
            value = self._plain_string(name).value
        else:
            value = str(name)
        return t.LabelLiteral(value, loc=_span(dot, name))

    def string(self, c):
        loc = _span(c[0], c[-1])
        parts = []
        for x in c[1:-1]:
            if isinstance(x, t.InterpolatedPart):
                parts.append(x)
            else:
                parts.append(t.TextPart(_unescape(x), loc=_tok_loc(x)))
        if all(isinstance(p, t.TextPart) for p in parts):
            return t.StringLiteral("".join(p.value for p in parts), loc=loc)
        return t.StringExpression(tuple(parts), loc=loc)

    def interpolation(self, c):
        start, expr, end = c
        return t.InterpolatedPart(expr, loc=_span(start, end))

    def array_expression(self, c):
        elements = tuple(x for x in c[1:-1] if x is not None and not _is_tok(x, "COMMA"))
        return t.ArrayExpression(elements, loc=_span(c[0], c[-1]))

    def dict_expression(self, c):
        items = tuple(x for x in c[1:-1] if isinstance(x, t.DictItem))
        return t.DictExpression(items, loc=_span(c[0], c[-1]))

    def dict_item(self, c):
        key, _, value = c
        return t.DictItem(key, value, loc=_span(key, value))

    def record(self, c):
        loc = _span(c[0], c[-1])
        if len(c) == 2:
            return t.ObjectExpression(None, (), loc=loc)
        if len(c) == 5:
            _, source, _, props, _ = c
            items = ()
            if props is not None:
                self._check_properties(props)
                items = props.items
            return t.ObjectExpression(self._ident(source), items, loc=loc)
        props = c[1]
        self._check_properties(props)
        return t.ObjectExpression(None, props.items, loc=loc)

    def property_list(self, c):
        items = tuple(x for x in c if isinstance(x, t.Property))
        return _Props(items, _span_all(c))

    def property(self, c):
        key, _, value = c
        if _is_tok(key, "IDENT"):
            key = self._ident(key)
        else:
            key = self._plain_string(key)
        return t.Property(key, value, loc=_span_all(c))

    def paren_or_function(self, c):
        lpar = c[0]
        items = [x for x in c if isinstance(x, _ParenItem)]
        arrow_at = next((i for i, x in enumerate(c) if _is_tok(x, "ARROW")), None)
        if arrow_at is None:
            rpar = next(x for x in c if _is_tok(x, "RPAR"))
            if not items:
                raise _error_at('expected "=>" after "()"', rpar)
            bad = items[0].default is not None or len(items) > 1
            if bad:
                where = items[1] if len(items) > 1 else items[0]
                raise _error_at('expected "=>" after a parameter list', where)
            return t.ParenExpression(items[0].expression, loc=_span(lpar, rpar))
        body = c[arrow_at + 1]
        params = []
        for index, item in enumerate(items):
            names = [item.expression]
            if index:
                # "(a, b c=1)": parameters after the first need no commas between them
                while _is_juxtaposition(names[0]):
                    names[:1] = [names[0].left, names[0].right]
            for name in names:
                if not isinstance(name, t.Identifier):
                    raise _error_at("function parameters must be identifiers", name)
            for name in names[:-1]:
                params.append(_measure(t.Property(name, None, loc=name.loc)))
            last = names[-1]
            loc = item.loc if len(names) == 1 else t.Loc(*last.loc[:2], *item.loc[2:])
            params.append(_measure(t.Property(last, item.default, loc=loc)))
        if not isinstance(body, t.Block) and isinstance(_leftmost(body), t.ObjectExpression):
            first = _leftmost(body)
            if first.loc[:2] == body.loc[:2]:
                raise FluxSyntaxError(
                    'a function body starting with "{" is a block: write the record in '
                    'parentheses, "=> ({...})"', first.loc.line, first.loc.column,
                    first.loc.line, first.loc.column + 1)
        return t.FunctionExpression(tuple(params), body, loc=_span(lpar, body))

    def paren_item(self, c):
        expr, _, default = c
        return _ParenItem(expr, default, _span_all(c))

    # ---- type expressions ---------------------------------------------------

    def type_expression(self, c):
        mono = c[0]
        constraints = tuple(x for x in c if isinstance(x, t.TypeConstraint))
        return t.TypeExpression(mono, constraints, loc=_span_all(c))

    def type_constraint(self, c):
        tvar = c[0]
        kinds = tuple(str(x) for x in c[2:] if _is_tok(x, "IDENT"))
        return t.TypeConstraint(str(tvar), kinds, loc=_span_all(c))

    def named_type(self, c):
        tok = c[0]
        name = str(tok)
        loc = _tok_loc(tok)
        if len(name) == 1:
            return t.TvarType(name, loc=loc)
        if name == "dynamic":
            return t.DynamicType(loc=loc)
        return t.NamedType(name, loc=loc)

    def stream_type(self, c):
        return t.StreamType(c[2], loc=_span(c[0], c[-1]))

    def vector_type(self, c):
        return t.VectorType(c[2], loc=_span(c[0], c[-1]))

    def array_type(self, c):
        return t.ArrayType(c[1], loc=_span(c[0], c[-1]))

    def dict_type(self, c):
        return t.DictType(c[1], c[3], loc=_span(c[0], c[-1]))

    def label_type(self, c):
        dot, name = c
        if _is_tok(name, "IDENT"):
            value = str(name)
        else:
            value = self._plain_string(name).value
        return t.LabelType(value, loc=_span(dot, name))

    def record_type(self, c):
        loc = _span(c[0], c[-1])
        tvar = None
        if len(c) > 2 and _is_tok(c[1], "IDENT") and _is_tok(c[2], "WITH"):
            tvar = str(c[1])
        props = tuple(x for x in c if isinstance(x, t.PropertyType))
        return t.RecordType(tvar, props, loc=loc)

    def property_type(self, c):
        key, _, mono = c
        name = str(key) if _is_tok(key, "IDENT") else self._plain_string(key).value
        return t.PropertyType(name, mono, loc=_span(key, mono))

    def function_type(self, c):
        params = tuple(x for x in c if isinstance(x, t.ParameterType))
        return t.FunctionType(params, c[-1], loc=_span(c[0], c[-1]))

    def required_parameter(self, c):
        name, _, mono = c
        return t.ParameterType("required", str(name), mono, loc=_span(name, mono))

    def optional_parameter(self, c):
        q, name, _, mono, assign, dot, label = c
        default = None
        if label is not None:
            default = t.LabelLiteral(str(label), loc=_span(dot, label))
        return t.ParameterType("optional", str(name), mono, default, loc=_span_all(c))

    def pipe_parameter(self, c):
        arrow, name, _, mono = c
        return t.ParameterType("pipe", None if name is None else str(name), mono,
                               loc=_span(arrow, mono))

    # ---- helpers ------------------------------------------------------------

    @staticmethod
    def _ident(tok) -> t.Identifier:
        return t.Identifier(str(tok), loc=_tok_loc(tok))

    @staticmethod
    def _attrs(attrs) -> Tuple[t.Attribute, ...]:
        return () if attrs is None else attrs.items

    @staticmethod
    def _plain_string(node) -> t.StringLiteral:
        if isinstance(node, t.StringLiteral):
            return node
        raise _error_at("expected a string literal without interpolation", node)

    @staticmethod
    def _check_properties(props: _Props) -> None:
        items = props.items
        for p in items:
            if p.value is None and isinstance(p.key, t.StringLiteral):
                raise _error_at(f"string literal key {p.key.value} must have a value", p)
        shorthand = [p.value is None for p in items]
        if any(shorthand) and not all(shorthand):
            raise _error_at("cannot mix implicit and explicit properties", props)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

_HUMAN = {
    "LPAR": '"("', "RPAR": '")"', "LSQB": '"["', "RSQB": '"]"', "LBRACE": '"{"', "RBRACE": '"}"',
    "COMMA": '","', "COLON": '":"', "DOT": '"."', "QUESTION": '"?"', "ARROW": '"=>"',
    "PIPE_FORWARD": '"|>"', "PIPE_RECEIVE": '"<-"', "ASSIGN": '"="', "EQ": '"=="', "NEQ": '"!="',
    "LT": '"<"', "LTE": '"<="', "GT": '">"', "GTE": '">="', "REGEXEQ": '"=~"', "REGEXNEQ": '"!~"',
    "ADD": '"+"', "SUB": '"-"', "MUL": '"*"', "DIV": '"/"', "MOD": '"%"', "POW": '"^"',
    "QUOTE": "a string", "INTERP_START": '"${"', "TEXT": "string text",
    "IDENT": "an identifier", "ATTRIBUTE": "an attribute", "INT": "an integer",
    "FLOAT": "a float", "DURATION": "a duration", "DATETIME": "a date-time", "REGEX": "a regex",
    "WITH": '"with"', "WHERE": '"where"', "EXTENDS": '"extends"', "STREAM": '"stream"',
    "VECTOR": '"vector"', "$END": "end of input",
}
for _kw in KEYWORDS:
    _HUMAN[_kw.upper()] = f'"{_kw}"'

_OPERAND_STARTS = {"IDENT", "INT", "FLOAT", "QUOTE", "REGEX", "LPAR", "LSQB", "LBRACE"}
_CLOSERS = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE", "QUOTE": "QUOTE",
            "INTERP_START": "RBRACE"}
_BINARY = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "REGEXEQ", "REGEXNEQ", "ADD", "SUB", "MUL",
           "DIV", "MOD", "POW", "PIPE_FORWARD", "AND", "OR", "DOT", "LPAR", "LSQB"}


def _describe(names) -> str:
    names = set(names)
    parts = []
    if _OPERAND_STARTS <= names:
        parts.append("an expression")
        names -= _OPERAND_STARTS | {"DURATION", "DATETIME", "PIPE_RECEIVE", "ADD", "SUB", "NOT",
                                    "EXISTS", "IF", "DOT"}
    if len(names & _BINARY) > 3:
        parts.append("an operator")
        names -= _BINARY
    if "IDENT" in names and {"RETURN", "OPTION", "BUILTIN", "TESTCASE"} <= names:
        parts.append("a statement")
        names -= {"RETURN", "OPTION", "BUILTIN", "TESTCASE", "IDENT", "ATTRIBUTE"}
    parts.extend(sorted(_HUMAN.get(n, n) for n in names))
    if not parts:
        return "nothing"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _found(tok) -> str:
    if tok.type == "$END":
        return "end of input"
    if tok.type in KEYWORDS or tok.type.lower() in KEYWORDS:
        return f'keyword "{tok}"'
    if tok.type == "QUOTE":
        return "a string"
    text = str(tok)
    if len(text) > 20:
        text = text[:17] + "..."
    return f'"{text}"'


def _open_bracket(value_stack):
    """The innermost bracket (or string quote) still open on the parser stack."""
    openers = []
    for item in value_stack:
        kind = getattr(item, "type", None)
        if kind is None or hasattr(item, "loc"):
            continue
        if kind == "QUOTE":
            if openers and openers[-1].type == "QUOTE":
                openers.pop()
            else:
                openers.append(item)
        elif kind in _CLOSERS:
            openers.append(item)
        elif kind in ("RPAR", "RSQB", "RBRACE") and openers:
            openers.pop()
    return openers[-1] if openers else None


@functools.cache
def _token_patterns():
    """The terminals as libflux's scanner would try them outside strings."""
    parser = _parser()
    pats = []
    for term in parser.terminals:
        if term.name in ("TEXT", "WS", "COMMENT"):
            continue
        pats.append((term.name, re.compile(term.pattern.to_regexp())))
    return pats


def _relex(text: str, pos: int):
    """(terminal name, lexeme) of the longest token at ``pos``, or None for an illegal character."""
    best = None
    for name, pat in _token_patterns():
        m = pat.match(text, pos)
        if m and m.end() > pos and (best is None or m.end() - pos > len(best[1])):
            best = (name, m.group())
    return best


def _from_lark(exc, src: _Source) -> FluxSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        text = src.text
        pos = exc.pos_in_stream
        ch = text[pos] if 0 <= pos < len(text) else ""
        line = exc.line
        column = src.byte_column(pos, exc.column)
        allowed = set(exc.allowed or ())
        if "TEXT" in allowed and ch == "\\":
            msg = _BAD_ESCAPE
            width = 2
        elif ch == "/":
            msg = "unterminated regex literal"
            width = 1
        else:
            msg = f"invalid character {ch!r}" if ch else "unexpected end of input"
            width = max(1, len(ch.encode("utf-8", "surrogatepass")))
        return FluxSyntaxError(msg, line, column, line, column + width)

    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        if tok.type == "TEXT":
            # the contextual lexer's fallback lexed string text outside a string:
            # say what libflux's scanner would have seen there
            got = _relex(src.text, tok.start_pos)
            line = tok.line
            column = src.byte_column(tok.start_pos, tok.column)
            if got is None:
                ch = src.text[tok.start_pos]
                width = len(ch.encode("utf-8"))
                return FluxSyntaxError(f"invalid character {ch!r}", line, column, line, column + width)
            from lark import Token
            tok = Token(got[0], got[1], tok.start_pos, tok.line, tok.column, tok.line,
                        tok.column + len(got[1]), tok.start_pos + len(got[1]))
        try:
            accepted = exc.interactive_parser.accepts()
            stack = exc.interactive_parser.parser_state.value_stack
        except Exception:  # pragma: no cover - defensive: never let Lark leak
            accepted, stack = set(exc.expected or ()), []
        if tok.type == "$END":
            line, column = src.end_of_input()
            end_line, end_column = line, column
        else:
            loc = _tok_loc(tok)
            line, column, end_line, end_column = loc
        opener = _open_bracket(stack)
        closer = _CLOSERS.get(getattr(opener, "type", None))
        prefix = "unexpected end of input: " if tok.type == "$END" else ""
        if opener is not None and closer in accepted:
            oloc = _tok_loc(opener)
            what = "the string" if opener.type == "QUOTE" else _HUMAN[opener.type]
            closing = "'\"'" if closer == "QUOTE" else _HUMAN[closer]
            msg = f"expected {closing} to close {what} at {oloc.line}:{oloc.column}"
            others = accepted - {closer}
            if others and tok.type != "$END":
                msg = f"{msg}, found {_found(tok)}"
            if tok.type == "$END":
                # the end of input may be far away (a missing quote swallows the
                # rest of the file): point at what was never closed
                return FluxSyntaxError(prefix + msg, *oloc)
            return FluxSyntaxError(prefix + msg, line, column, end_line, end_column)
        if tok.type == "$END":
            return FluxSyntaxError(f"unexpected end of input, expected {_describe(accepted)}",
                                   line, column, end_line, end_column)
        word = str(tok)
        if word == "import" or word == "package":
            where = "at the top of the file" if word == "package" else "before the first statement"
            return FluxSyntaxError(f'"{word}" can only appear {where}', line, column,
                                   end_line, end_column)
        if word in ("if", "not", "exists") and _OPERAND_STARTS <= set(accepted):
            return FluxSyntaxError(f'"{word} ..." cannot be an operand here: put it in parentheses',
                                   line, column, end_line, end_column)
        if word in KEYWORDS and "IDENT" in accepted:
            return FluxSyntaxError(f'"{tok}" is a keyword and cannot be used as an identifier',
                                   line, column, end_line, end_column)
        return FluxSyntaxError(f"expected {_describe(accepted)}, found {_found(tok)}",
                               line, column, end_line, end_column)

    if isinstance(exc, UnexpectedEOF):  # pragma: no cover - LALR reports $END tokens instead
        line, column = src.end_of_input()
        return FluxSyntaxError("unexpected end of input", line, column, line, column)
    return FluxSyntaxError(str(exc))


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------

_BAD_CHARS = r"[\ud800-\udfff]"

# Texts longer than this are parsed (and analyzed, see api.py) with the cyclic
# GC paused. A big tree keeps hundreds of thousands of objects alive, and every
# collection that reaches the old generation rescans all of them: that made a
# 100x script cost ~180x the time of one copy. Short texts are left alone so
# that a busy multi-threaded service does not keep the GC off between them.
PAUSE_GC_ABOVE = 20_000


class _GCPause:
    """Re-entrant, thread-safe pause of the cyclic GC (a context manager).

    Nested or concurrent pauses share one counter: the GC is re-enabled when
    the last of them ends, and only if it was enabled when the first began
    (so a caller that disabled it itself keeps it disabled).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._reenable = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._reenable = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._reenable:
                self._reenable = False
                gc.enable()


gc_paused = _GCPause()


def _run(text: str, start: str):
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    bad = None if text.isascii() else re.search(_BAD_CHARS, text)
    if bad is not None:
        head = text[:bad.start()]
        line = head.count("\n") + 1
        col_text = head[head.rfind("\n") + 1:]
        column = len(col_text.encode("utf-8", "surrogatepass")) + 1
        raise FluxSyntaxError("invalid character: lone surrogate (source must be valid UTF-8)",
                              line, column, line, column + 3)
    if start == "file" and text.endswith(_DROPPED_AT_END):
        # libflux's scanner loses a token it is still reading when the input
        # ends: a last "|", "!" or "@" (the start of "|>", "!=", "@name") is
        # never reported, so "x = a |" parses.
        text = text[:-1]
    if len(text) > PAUSE_GC_ABOVE:
        with gc_paused:
            return _run_parser(text, start)
    return _run_parser(text, start)


_DROPPED_AT_END = ("|", "!", "@")


def _run_parser(text: str, start: str):
    global _non_ascii_parses
    src = _Source(text)
    non_ascii = src.positions is not None
    if non_ascii:
        with _non_ascii_lock:
            _non_ascii_parses += 1
    previous = getattr(_context, "source", None), getattr(_context, "measures", None)
    _context.source = src
    try:
        fast = _fast_parser()
        if fast is not None:
            _context.measures = {}
            try:
                return fast.parse(text, start)
            except (_FastFail, FluxSyntaxError):
                pass  # Lark parses it again and says what is wrong
        _context.measures = {}
        return _run_lark(text, start, src)
    finally:
        _context.source, _context.measures = previous
        if non_ascii:
            with _non_ascii_lock:
                _non_ascii_parses -= 1


def _run_lark(text: str, start: str, src: _Source):
    parser = _parser()
    from lark.exceptions import LarkError, UnexpectedInput

    _save_table()
    try:
        return parser.parse(text, start=start)
    except FluxSyntaxError:
        raise
    except UnexpectedInput as exc:
        raise _from_lark(exc, src) from None
    except LarkError as exc:  # pragma: no cover - defensive
        raise FluxSyntaxError(f"cannot parse: {exc.__class__.__name__}") from None


def parse(source: str) -> t.File:
    """Parse a Flux file; raise :class:`FluxSyntaxError` where libflux reports an error."""
    return _run(source, "file")


def parse_type_expression(text: str) -> t.TypeExpression:
    """Parse a type expression such as a stdlib signature (``(v: A) => A where A: Numeric``)."""
    return _run(text, "type_expression")
