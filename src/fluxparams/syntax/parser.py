"""The entry points: :func:`parse` and :func:`parse_type_expression`.

One :class:`~.lalr.Parser` per process (made on the first parse from the
shipped table) parses every text, valid or not, file or type expression, in
every thread.
"""
from __future__ import annotations

import functools
import gc
import re
import threading
from typing import Any

from .. import tree as t
from . import table
from .builder import Builder
from .errors import FluxSyntaxError
from .lalr import Parser
from .positions import parsing

__all__ = ["PAUSE_GC_ABOVE", "gc_paused", "parse", "parse_type_expression", "parser"]

# Texts longer than this are parsed (and analyzed, see api.py) with the cyclic
# GC paused. A big tree keeps hundreds of thousands of objects alive, and every
# collection that reaches the old generation rescans all of them: that made a
# 100x script cost ~180x the time of one copy. Short texts are left alone so
# that a busy multi-threaded service does not keep the GC off between them.
PAUSE_GC_ABOVE = 20_000

# libflux's scanner loses a token it is still reading when the input ends: a
# last "|", "!" or "@" (the start of "|>", "!=", "@name") is never reported,
# so "x = a |" parses.
_DROPPED_AT_END = ("|", "!", "@")

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


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


@functools.cache
def parser() -> Parser:
    """The process's parser (built from the shipped table on the first call)."""
    return Parser(table.load(), Builder())


def _run(text: str, start: str) -> Any:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    bad = None if text.isascii() else _LONE_SURROGATE.search(text)
    if bad is not None:
        head = text[:bad.start()]
        line = head.count("\n") + 1
        col_text = head[head.rfind("\n") + 1:]
        column = len(col_text.encode("utf-8", "surrogatepass")) + 1
        raise FluxSyntaxError("invalid character: lone surrogate (source must be valid UTF-8)",
                              line, column, line, column + 3)
    if start == "file" and text.endswith(_DROPPED_AT_END):
        text = text[:-1]
    the_parser = parser()
    if len(text) > PAUSE_GC_ABOVE:
        with gc_paused, parsing(text) as src:
            return the_parser.parse(src, start)
    with parsing(text) as src:
        return the_parser.parse(src, start)


def parse(source: str) -> t.File:
    """Parse a Flux file; raise :class:`FluxSyntaxError` where libflux reports an error."""
    result: t.File = _run(source, "file")
    return result


def parse_type_expression(text: str) -> t.TypeExpression:
    """Parse a type expression such as a stdlib signature (``(v: A) => A where A: Numeric``)."""
    result: t.TypeExpression = _run(text, "type_expression")
    return result
