"""Where things are: byte columns, token and node locations, and the per-parse context.

The lexer counts characters; libflux counts UTF-8 bytes. :class:`Source`
converts (only texts with non-ASCII characters need it), and :func:`parsing`
installs, for the duration of one parse in one thread, the source and the
depth measurements the tree builder keeps (:mod:`.limits`).
"""
from __future__ import annotations

import bisect
import re
import threading
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .. import tree as t
from .errors import FluxSyntaxError

__all__ = ["Source", "context", "error_at", "loc_of", "parsing", "span", "span_all", "tok_loc"]

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Source:
    """The text being parsed, with what converting its character columns to byte columns needs."""

    __slots__ = ("text", "positions", "extra")

    def __init__(self, text: str) -> None:
        self.text = text
        # offsets of the non-ASCII characters and, for each, the extra bytes up to and including it
        self.positions: Optional[List[int]] = None
        self.extra: List[int] = []
        if not text.isascii():
            positions, extra, total = [], [], 0
            for m in _NON_ASCII.finditer(text):
                total += len(m.group().encode("utf-8", "surrogatepass")) - 1
                positions.append(m.start())
                extra.append(total)
            self.positions, self.extra = positions, extra

    def _extra_before(self, pos: int) -> int:
        assert self.positions is not None
        k = bisect.bisect_left(self.positions, pos)
        return self.extra[k - 1] if k else 0

    def byte_column(self, pos: int, column: int) -> int:
        """Byte column of the character at offset ``pos`` whose character column is ``column``."""
        if self.positions is None:
            return column
        line_start = pos - column + 1
        return column + self._extra_before(pos) - self._extra_before(line_start)

    def end_of_input(self) -> Tuple[int, int]:
        """(line, byte column) just after the last character."""
        text = self.text
        line = text.count("\n") + 1
        start = text.rfind("\n") + 1
        return line, len(text[start:].encode("utf-8", "surrogatepass")) + 1


class _Context(threading.local):
    source: Optional[Source] = None
    # id(node) -> (height, parser frames): see limits.measure. The pairs are
    # shared tuples and the nodes are kept alive by ``measured_nodes`` (so no
    # id is reused during the parse): a deep script has a node per two bytes.
    measures: Dict[int, Tuple[int, int]] = {}
    measured_nodes: List[object] = []


context = _Context()

# How many parses of non-ASCII text are running (in any thread). While there
# are none, which is nearly always, a token's character columns are its byte
# columns and tok_loc need not look up the thread's source.
_non_ascii_parses = 0
_non_ascii_lock = threading.Lock()


class parsing:  # noqa: N801 - used as a function: ``with parsing(text):``
    """Context manager: the per-thread context of one parse of ``text``."""

    __slots__ = ("source", "saved", "non_ascii")

    def __init__(self, text: str) -> None:
        self.source = Source(text)
        self.non_ascii = self.source.positions is not None
        self.saved: Tuple[Optional[Source], Dict[int, Tuple[int, int]], List[object]] = (None, {}, [])

    def __enter__(self) -> Source:
        global _non_ascii_parses
        if self.non_ascii:
            with _non_ascii_lock:
                _non_ascii_parses += 1
        self.saved = context.source, context.measures, context.measured_nodes
        context.source = self.source
        context.measures = {}
        context.measured_nodes = []
        return self.source

    def __exit__(self, *exc: object) -> None:
        global _non_ascii_parses
        context.source, context.measures, context.measured_nodes = self.saved
        if self.non_ascii:
            with _non_ascii_lock:
                _non_ascii_parses -= 1


# Loc(...) goes through a Python-level __new__; this builds the same tuple directly.
_Loc = t.Loc
_new_loc = tuple.__new__


def tok_loc(tok: Any) -> t.Loc:
    """The location of a token (a :class:`~.lexer.Token`), in byte columns."""
    if not _non_ascii_parses:
        return _new_loc(_Loc, (tok.line, tok.column, tok.end_line, tok.end_column))
    src = context.source
    if src is None or src.positions is None:
        return _new_loc(_Loc, (tok.line, tok.column, tok.end_line, tok.end_column))
    end_byte = src.byte_column(tok.end_pos, tok.end_column)
    return _Loc(tok.line, src.byte_column(tok.start_pos, tok.column), tok.end_line, end_byte)


def loc_of(x: Any) -> t.Loc:
    """The location of a node (or anything with a ``loc``) or of a token."""
    loc: Optional[t.Loc] = getattr(x, "loc", None)
    if loc is not None:
        return loc
    return tok_loc(x)


def span(first: Any, last: Any) -> t.Loc:
    """From the start of ``first`` to the end of ``last`` (nodes or tokens)."""
    a = getattr(first, "loc", None) or tok_loc(first)
    b = getattr(last, "loc", None) or tok_loc(last)
    return _new_loc(_Loc, (a[0], a[1], b[2], b[3]))


def span_all(children: Sequence[Any]) -> t.Loc:
    """The span of the items of ``children`` that are not None."""
    present = [c for c in children if c is not None]
    return span(present[0], present[-1])


def error_at(msg: str, where: Any) -> FluxSyntaxError:
    """A :class:`FluxSyntaxError` covering ``where`` (a node or a token)."""
    loc = loc_of(where)
    return FluxSyntaxError(msg, loc.line, loc.column, loc.end_line, loc.end_column)

