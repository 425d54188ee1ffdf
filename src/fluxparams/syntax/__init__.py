"""Flux source -> :mod:`fluxparams.tree`, accepting exactly what libflux accepts.

The pipeline, one module each:

* :mod:`.lexer` -- the tokens, as libflux's scanner reads them (one lexing loop);
* :mod:`.table` -- the LALR(1) table, built from grammar/flux.lark by
  ``scripts/build_parse_table.py`` and shipped in the package (Lark is not
  needed at run time);
* :mod:`.lalr` -- the driver: table + lexer + builder, and where it stops on an error;
* :mod:`.builder` -- a tree node per reduction, with the checks libflux makes
  after scanning: :mod:`.literals` (integers, durations, date-times, escapes,
  regexes) and :mod:`.limits` (nesting depth);
* :mod:`.messages` -- syntax error messages from the driver's state;
* :mod:`.positions`, :mod:`.errors` -- byte columns and :class:`FluxSyntaxError`;
* :mod:`.parser` -- the entry points :func:`parse` and :func:`parse_type_expression`.

Columns are counted in UTF-8 bytes, 1-based, end exclusive, as libflux counts
them (``x = "日本語" y`` puts ``y`` at column 19). See docs/design-parser.md.
"""
from __future__ import annotations

from .errors import FluxSyntaxError
from .lexer import KEYWORDS
from .limits import AST_DEPTH_LIMIT, INVALID_OPERATOR, PARSER_DEPTH_LIMIT
from .parser import PAUSE_GC_ABOVE, gc_paused, parse, parse_type_expression

__all__ = [
    "AST_DEPTH_LIMIT", "INVALID_OPERATOR", "KEYWORDS", "PARSER_DEPTH_LIMIT", "PAUSE_GC_ABOVE",
    "FluxSyntaxError", "gc_paused", "parse", "parse_type_expression",
]
