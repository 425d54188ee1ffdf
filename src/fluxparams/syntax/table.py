"""The shipped LALR(1) parse table: a build artefact, loaded once per process.

``scripts/build_parse_table.py`` builds grammar/flux.lark with Lark (at build
time only) and writes what this package needs to parse without it to
``parse_table.marshal`` beside this module; ``--check`` fails when that file is
stale, and a test runs the check. marshal loads in well under a millisecond
and needs no compilation (a generated Python module would be compiled on a
first import, or on every import where bytecode cannot be written).

The table (a dict, :data:`FORMAT` 1):

``states``
    one dict per parser state: terminal or rule name -> action, an int: a
    state to shift to (or, for a rule name, to go to) when >= 0, else the
    rule ``-1 - action`` to reduce by.
``start``, ``end``
    start name (``file``, ``type_expression``) -> first state / accepting state.
``rules``
    per rule: (origin, number of symbols, children kept, trailing Nones,
    expand-single-child, builder callback name or None, tree name or None).
    "Children kept" lists (index, splice the child's children, Nones before)
    for the rules whose children are filtered (None: keep all).
``terminals``
    ``order`` (scanning order), ``patterns`` (regular expressions),
    ``ignore``, ``newline`` (may span lines), ``relex`` (grammar order, for
    error messages), ``flags`` (regex flags).
``keywords``, ``grammar_sha256``
    the grammar's reserved words and the digest of the grammar text it was built
    from.
"""
from __future__ import annotations

import functools
import marshal
import os
from typing import Any, Dict

__all__ = ["FORMAT", "TABLE_FILE", "TableError", "load"]

FORMAT = 1
TABLE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parse_table.marshal")


class TableError(RuntimeError):
    """The parse table is missing or not one this version can read (a broken install)."""


def check(data: object) -> Dict[str, Any]:
    """``data`` if it is a table of this :data:`FORMAT`, else :class:`TableError`."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TableError(f"{TABLE_FILE} is not a fluxparams parse table of format {FORMAT}: "
                         "reinstall fluxparams, or run scripts/build_parse_table.py in a checkout")
    for key in ("states", "start", "end", "rules", "terminals", "keywords"):
        if key not in data:
            raise TableError(f"{TABLE_FILE} has no {key!r}: rebuild it with scripts/build_parse_table.py")
    return data


@functools.cache
def load() -> Dict[str, Any]:
    """The table (read on the first call)."""
    try:
        with open(TABLE_FILE, "rb") as fh:
            payload = fh.read()
    except OSError as exc:
        raise TableError(f"cannot read the parse table {TABLE_FILE}: {exc.strerror}") from None
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        raise TableError(f"{TABLE_FILE} is damaged: reinstall fluxparams, or run "
                         "scripts/build_parse_table.py in a checkout") from None
    return check(data)
