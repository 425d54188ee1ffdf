"""The lexer: libflux's scanner as a contextual lexer over the grammar's terminals.

The terminals (their regular expressions, their order, which are ignored and
which may span lines) come from the shipped parse table (:mod:`.table`), which
``scripts/build_parse_table.py`` writes from grammar/flux.lark.

In every parser state only the terminals that state accepts (plus white space
and comments) may match, tried in a fixed order (priority, then longest
possible match, then name), the first that matches winning: Lark's contextual
lexer, which the table was built for. Rather than one alternation per state,
one alternation of every terminal but TEXT is tried first: where its match is
a terminal the state accepts, that is the state's answer too (no terminal
before it in the order matches, accepted or not). Otherwise (a contextual word
such as ``with`` used as an identifier, a regex where ``/`` could also be a
division, string text, or an error) the state's own terminals are tried one
by one in that order.

This is the only lexing loop: valid and invalid scripts, files and type
expressions all go through :meth:`Scanner.next`.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

__all__ = ["KEYWORDS", "LexError", "Lexer", "Scanner", "Token", "comment_map"]

# The 13 reserved words. grammar/flux.lark spells each as a terminal and
# excludes them from IDENT; scripts/build_parse_table.py refuses to build a
# table when the grammar's list differs from this one.
KEYWORDS: FrozenSet[str] = frozenset(
    "and or not import package return option builtin testcase if then else exists".split())

_Match = Callable[[str, int], Optional["re.Match[str]"]]

# white space and comments (the ignored terminals WS and COMMENT), as one run; used only while the
# table's two ignored terminals are exactly these
_SKIPPED_TERMINALS = {"WS": "[ \t\n\r\\v\x0c]+", "COMMENT": "\\/\\/[^\n]*"}
_SKIP_FIRST = frozenset(" \t\n\r\v\f/")
_SKIP: _Match = re.compile(r"(?:[ \t\n\r\v\f]+|//[^\n]*)+").match


class Token(str):
    """A token: its text is the string; positions are 1-based, columns in characters."""

    __slots__ = ("type", "start_pos", "line", "column", "end_line", "end_column", "end_pos")

    type: str
    start_pos: int
    line: int
    column: int
    end_line: int
    end_column: int
    end_pos: int


def make_token(kind: str, value: str, pos: int, line: int, column: int) -> Token:
    """A token of ``value`` starting at offset ``pos`` (line and column of that offset)."""
    token = Token(value)
    token.type = kind
    token.start_pos = pos
    token.line = line
    token.column = column
    newlines = value.count("\n")
    token.end_line = line + newlines
    token.end_column = len(value) - value.rfind("\n") if newlines else column + len(value)
    token.end_pos = pos + len(value)
    return token


class LexError(Exception):
    """No terminal the parser state accepts matches at ``pos``.

    ``found`` is what the first terminal of the whole order matches there (as
    a token), or None when nothing does: the error message says what libflux's
    scanner would have seen.
    """

    def __init__(self, pos: int, line: int, column: int, found: Optional[Token]) -> None:
        super().__init__(f"no token at {line}:{column}")
        self.pos, self.line, self.column, self.found = pos, line, column, found


class Lexer:
    """The terminals of one parse table (shared by every parse, thread-safe)."""

    def __init__(self, terminals: Mapping[str, Any], states: Sequence[Mapping[str, int]]) -> None:
        self.order: List[str] = list(terminals["order"])
        self.patterns: Dict[str, str] = dict(terminals["patterns"])
        self.ignore: FrozenSet[str] = frozenset(terminals["ignore"])
        self.newline: FrozenSet[str] = frozenset(terminals["newline"])
        self.relex_order: List[str] = list(terminals["relex"])
        self.flags = int(terminals["flags"])
        self._states = states
        # per parser state, made on first use (a script reaches a fraction of the states): the
        # terminals it accepts (ignored ones too), and those in scanning order
        self.accepts: List[Optional[FrozenSet[str]]] = [None] * len(states)
        self.candidates: List[Tuple[str, ...]] = [()] * len(states)
        self.union: _Match = re.compile("|".join(
            f"(?P<{name}>{self.patterns[name]})" for name in self.order if name != "TEXT"),
            self.flags).match
        self._single: Dict[str, _Match] = {}
        self.skip_first: FrozenSet[str] = frozenset()  # no shortcut: every piece through the union
        if self.ignore == set(_SKIPPED_TERMINALS) and all(
                self.patterns.get(name) == pattern for name, pattern in _SKIPPED_TERMINALS.items()):
            self.skip_first = _SKIP_FIRST

    def state_accepts(self, state: int) -> FrozenSet[str]:
        """The terminals parser ``state`` accepts, white space and comments included."""
        accepts = self.accepts[state]
        if accepts is None:
            accepts = frozenset(self._states[state]) | self.ignore
            self.candidates[state] = tuple(n for n in self.order if n in accepts)
            self.accepts[state] = accepts
        return accepts

    def matcher(self, name: str) -> _Match:
        """The compiled pattern of one terminal (compiled on first use)."""
        match = self._single.get(name)
        if match is None:
            match = self._single[name] = re.compile(self.patterns[name], self.flags).match
        return match

    def first_match(self, names: Sequence[str], text: str, pos: int) -> Optional[Tuple[str, str]]:
        """(terminal, lexeme) of the first of ``names`` that matches at ``pos``."""
        for name in names:
            m = self.matcher(name)(text, pos)
            if m is not None:
                return name, m.group(0)
        return None

    def longest_match(self, text: str, pos: int) -> Optional[Tuple[str, str]]:
        """(terminal, lexeme) of the longest token at ``pos`` outside a string, as libflux's
        scanner would read it (first in grammar order on a tie), or None."""
        best: Optional[Tuple[str, str]] = None
        for name in self.relex_order:
            m = self.matcher(name)(text, pos)
            if m and m.end() > pos and (best is None or m.end() - pos > len(best[1])):
                best = (name, m.group())
        return best

    def scanner(self, text: str) -> "Scanner":
        return Scanner(self, text)


class Scanner:
    """The position of one parse in its text; :meth:`next` reads the next token."""

    __slots__ = ("lexer", "text", "pos", "line", "line_start", "union", "accepts", "candidates",
                 "ignore", "newline", "skip_first")

    def __init__(self, lexer: Lexer, text: str) -> None:
        self.lexer = lexer
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.union = lexer.union
        self.accepts = lexer.accepts
        self.candidates = lexer.candidates
        self.ignore = lexer.ignore
        self.newline = lexer.newline
        self.skip_first = lexer.skip_first

    def next(self, state: int) -> Optional[Token]:
        """The next token for parser ``state``, or None at the end of the text."""
        text = self.text
        pos = self.pos
        n = len(text)
        accepts = self.accepts[state]
        if accepts is None:
            accepts = self.lexer.state_accepts(state)
        skip_first = self.skip_first
        while pos < n:
            found: Optional[Tuple[Any, str]] = None
            if "TEXT" not in accepts:
                if text[pos] in skip_first:
                    # A run of white space and comments in one match: all of it ignored, and what
                    # the union would match there piece by piece (no terminal before WS and
                    # COMMENT in the order matches white space or "//"). Comment-heavy text (the
                    # stdlib's doc comments) lexes ~30% faster.
                    m = _SKIP(text, pos)
                    if m is not None:
                        end = m.end()
                        newlines = text.count("\n", pos, end)
                        if newlines:
                            self.line += newlines
                            self.line_start = text.rfind("\n", pos, end) + 1
                        pos = end
                        continue
                m = self.union(text, pos)
                if m is not None:
                    found = (m.lastgroup, m.group(0))
            if found is None or found[0] not in accepts:
                found = self.lexer.first_match(self.candidates[state], text, pos)
                if found is None:
                    self.pos = pos
                    raise self._error(pos)
            kind, value = found
            size = len(value)
            if kind in self.newline and "\n" in value:
                end_line = self.line + value.count("\n")
                end_start = pos + value.rfind("\n") + 1
            else:
                end_line, end_start = self.line, self.line_start
            if kind in self.ignore:
                pos += size
                self.line, self.line_start = end_line, end_start
                continue
            token = Token(value)
            token.type = kind
            token.start_pos = pos
            token.line = self.line
            token.column = pos - self.line_start + 1
            pos += size
            token.end_line = end_line
            token.end_column = pos - end_start + 1
            token.end_pos = pos
            self.pos = pos
            self.line, self.line_start = end_line, end_start
            return token
        self.pos = pos
        return None

    def _error(self, pos: int) -> LexError:
        column = pos - self.line_start + 1
        # as Lark's contextual lexer: what any terminal would have matched there
        found = self.lexer.first_match(self.lexer.order, self.text, pos)
        token = None
        if found is not None and found[0] not in self.ignore:
            token = make_token(found[0], found[1], pos, self.line, column)
        return LexError(pos, self.line, column, token)


# ---------------------------------------------------------------------------
# Comments, for the formatter. The parser drops them (parse and analyze never
# pay for them); the formatter asks for them with one scan of a text that
# parses, which only has to tell code from strings and regexes.
# ---------------------------------------------------------------------------

_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_SPACE = frozenset(" \t\n\r\v\f")


def comment_map(text: str) -> Dict[int, Tuple[str, ...]]:
    """For each token that comments precede, its offset -> those comments.

    Each comment's text runs from ``//`` to the end of its line, the line feed
    included (as libflux keeps it). Comments after the last token are under
    ``len(text)``. ``text`` must be a script that parses.
    """
    found: Dict[int, Tuple[str, ...]] = {}
    if "//" not in text:
        return found
    _Scan(text, found).code(0, False)
    return found


class _Scan:
    """The forward scan behind :func:`comment_map` (strings and regexes skipped)."""

    def __init__(self, text: str, found: Dict[int, Tuple[str, ...]]) -> None:
        self.text, self.found = text, found

    def code(self, i: int, in_interpolation: bool) -> int:
        text, n = self.text, len(self.text)
        pending: List[str] = []
        operand_before = False  # whether a "/" here would be a division
        depth = 0
        while i < n:
            c = text[i]
            if c in _SPACE:
                i += 1
                continue
            if c == "/" and text.startswith("//", i):
                j = text.find("\n", i)
                j = n if j < 0 else j + 1
                pending.append(text[i:j])
                i = j
                continue
            if pending:
                self.found[i] = tuple(pending)
                pending = []
            if c == '"':
                i = self.string(i + 1)
                operand_before = True
            elif c == "/" and not operand_before:
                i += 1
                while i < n and text[i] != "/":
                    i += 2 if text[i] == "\\" else 1
                i += 1
                operand_before = True
            elif c in _IDENT_START or c.isalnum() or ord(c) > 127:
                j = i + 1
                while j < n and (text[j].isalnum() or text[j] in "_." or ord(text[j]) > 127):
                    j += 1
                operand_before = text[i:j] not in KEYWORDS
                i = j
            else:
                if in_interpolation and c == "{":
                    depth += 1
                elif in_interpolation and c == "}":
                    if depth == 0:
                        return i + 1
                    depth -= 1
                operand_before = c in ")]}"
                i += 1
        if pending:
            if not pending[-1].endswith("\n"):
                # as if the file ended with a line feed: libflux's own second pass prints that
                pending[-1] += "\n"
            self.found[n] = tuple(pending)
        return n

    def string(self, i: int) -> int:
        text, n = self.text, len(self.text)
        while i < n:
            c = text[i]
            if c == "\\":
                i += 2
            elif c == '"':
                return i + 1
            elif c == "$" and text.startswith("${", i):
                i = self.code(i + 2, True)
            else:
                i += 1
        return n
