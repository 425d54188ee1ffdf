"""A Wadler/Oppen-style document printer with the semantics of Rust's ``pretty`` 0.11.

libflux's formatter describes its output as a document (text, line breaks that
may be flattened, groups, nesting, alternatives) and lets the ``pretty`` crate
choose the layout. Byte-identical output needs the same choices, so this module
follows that crate's rendering rules: a group is laid out flat when it fits in
the rest of the line up to the first possible break after it; an alternative
(``union``) takes its left side when that side renders without overflowing and
without reaching a ``fail``; widths are counted in UTF-8 bytes.

A document is ``None`` (nothing), a ``str``, a ``list`` (concatenation) or one
of the node classes below. Build documents with :func:`cat`, :func:`group`,
:func:`nest` and friends, which drop empty parts the way ``pretty`` does: the
formatter tests for "nothing" in a few places, as libflux does.
"""
from __future__ import annotations

import unicodedata
from typing import Callable, List, Sequence, Tuple, Union

__all__ = ["FAIL", "FAIL_ON_MULTI_LINE", "HARDLINE", "INDENT", "MULTILINE", "Affixes", "Doc",
           "TooComplex",
           "FlatAlt", "Group", "Hang", "Nest", "Nesting", "Union2", "cat", "comma_list",
           "flat_alt", "group", "hang", "intersperse", "is_nil", "item_list", "line", "line_",
           "nest", "render", "softline", "union", "breaks"]


class Group:
    __slots__ = ("doc",)

    def __init__(self, doc: "Doc") -> None:
        self.doc = doc


class Nest:
    __slots__ = ("indent", "doc")

    def __init__(self, indent: int, doc: "Doc") -> None:
        self.indent, self.doc = indent, doc


class FlatAlt:
    """``brk`` when laid out broken, ``flat`` when flat."""

    __slots__ = ("brk", "flat")

    def __init__(self, brk: "Doc", flat: "Doc") -> None:
        self.brk, self.flat = brk, flat


class Union2:
    """``left`` if it renders within the width without a ``fail``, else ``right``."""

    __slots__ = ("left", "right")

    def __init__(self, left: "Doc", right: "Doc") -> None:
        self.left, self.right = left, right


class Nesting:
    """A document made from the current indentation."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[int], "Doc"]) -> None:
        self.make = make


class _Hardline:
    __slots__ = ()


class _Fail:
    __slots__ = ()


HARDLINE = _Hardline()
FAIL = _Fail()

Doc = Union[None, str, List["Doc"], Group, Nest, FlatAlt, Union2, Nesting, _Hardline, _Fail]


def is_nil(doc: Doc) -> bool:
    return doc is None


def cat(*docs: Doc) -> Doc:
    """The concatenation of ``docs`` (None when every part is None)."""
    if docs and None not in docs:  # the common case, without a filtering pass
        return docs[0] if len(docs) == 1 else list(docs)
    parts: List[Doc] = [d for d in docs if d is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return parts


def intersperse(docs: List[Doc], sep: Doc) -> Doc:
    out: List[Doc] = []
    for i, d in enumerate(docs):
        if i:
            out.append(sep)
        out.append(d)
    return cat(*out)


def group(doc: Doc) -> Doc:
    if doc is None or isinstance(doc, (str, Group)):
        return doc
    return Group(doc)


def nest(doc: Doc, indent: int) -> Doc:
    if doc is None or indent == 0:
        return doc
    return Nest(indent, doc)


def flat_alt(brk: Doc, flat: Doc) -> Doc:
    return FlatAlt(brk, flat)


def union(left: Doc, right: Doc) -> Doc:
    return Union2(left, right)


def line() -> Doc:
    """A break, or a space when flat."""
    return FlatAlt(HARDLINE, " ")


def line_() -> Doc:
    """A break, or nothing when flat."""
    return FlatAlt(HARDLINE, None)


def softline() -> Doc:
    return Group(line())


_BREAK, _FLAT = 0, 1
_Cmd = Tuple[int, int, Doc]


class _Failed(Exception):
    pass


class TooComplex(Exception):
    """The layout took more steps than its budget: like libflux's, the search for the best
    layout is exponential in the nesting of alternatives (records in records...), and a
    pathological script would otherwise run for hours."""


def _extends(ch: str, prev: str) -> bool:
    """Whether ``ch`` continues the grapheme cluster that ``prev`` is in (an approximation of
    Unicode's extended grapheme clusters: marks, joiners, selectors, modifiers)."""
    code = ord(ch)
    if code == 0x200D or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:
        return True
    if prev == "\u200d" or (prev == "\r" and ch == "\n"):
        return True
    return unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _width(text: str) -> int:
    """The width ``pretty`` gives a text: its length, in grapheme clusters when not ASCII."""
    if text.isascii():
        return len(text)
    count = 0
    prev = ""
    for ch in text:
        if not prev or not _extends(ch, prev):
            count += 1
        prev = ch
    return count


class _Renderer:
    def __init__(self, width: int, budget: int) -> None:
        self.width = width
        self.pos = 0
        self.bcmds: List[_Cmd] = []
        self.budget = budget

    def fitting(self, nxt: Doc, pos: int, ind: int) -> bool:
        """Whether ``nxt`` laid out flat, then the rest up to its first break, fits."""
        bidx = len(self.bcmds)
        fcmds: List[Doc] = [nxt]
        mode = _FLAT
        width = self.width
        self.budget -= 1
        if self.budget < 0:
            raise TooComplex()
        while True:
            if fcmds:
                doc = fcmds.pop()
            elif bidx == 0:
                return True
            else:
                bidx -= 1
                mode = _BREAK
                doc = self.bcmds[bidx][2]
            while True:
                if doc is None:
                    break
                kind = type(doc)
                if kind is str:
                    pos += _width(doc)  # type: ignore[arg-type]
                    if pos > width:
                        return False
                    break
                if kind is list:
                    items: List[Doc] = doc  # type: ignore[assignment]
                    fcmds.extend(reversed(items[1:]))
                    doc = items[0]
                elif kind is FlatAlt:
                    doc = doc.brk if mode == _BREAK else doc.flat  # type: ignore[union-attr]
                elif kind is Group or kind is Nest:
                    doc = doc.doc  # type: ignore[union-attr]
                elif kind is Union2:
                    doc = doc.right  # type: ignore[union-attr]
                elif kind is Nesting:
                    doc = doc.make(ind)  # type: ignore[union-attr]
                elif doc is HARDLINE:
                    return mode == _BREAK
                else:  # FAIL
                    return False

    def best(self, top: int, out: List[str]) -> bool:
        fits = True
        bcmds = self.bcmds
        width = self.width
        while len(bcmds) > top:
            ind, mode, doc = bcmds.pop()
            while True:
                if doc is None:
                    break
                kind = type(doc)
                if kind is str:
                    text: str = doc  # type: ignore[assignment]
                    out.append(text)
                    self.pos += _width(text)
                    fits = fits and self.pos <= width
                    break
                if kind is list:
                    items: List[Doc] = doc  # type: ignore[assignment]
                    for d in reversed(items[1:]):
                        bcmds.append((ind, mode, d))
                    doc = items[0]
                elif kind is FlatAlt:
                    doc = doc.brk if mode == _BREAK else doc.flat  # type: ignore[union-attr]
                elif kind is Group:
                    inner = doc.doc  # type: ignore[union-attr]
                    if mode == _BREAK and self.fitting(inner, self.pos, ind):
                        mode = _FLAT
                    doc = inner
                elif kind is Nest:
                    ind = max(0, ind + doc.indent)  # type: ignore[union-attr]
                    doc = doc.doc  # type: ignore[union-attr]
                elif kind is Union2:
                    self.budget -= 1
                    if self.budget < 0:
                        raise TooComplex()
                    pos = self.pos
                    mark = len(bcmds)
                    bcmds.append((ind, mode, doc.left))  # type: ignore[union-attr]
                    buffer: List[str] = []
                    try:
                        ok = self.best(mark, buffer)
                    except _Failed:
                        ok = False
                    if ok:
                        out.extend(buffer)
                        break
                    self.pos = pos
                    del bcmds[mark:]
                    doc = doc.right  # type: ignore[union-attr]
                elif kind is Nesting:
                    doc = doc.make(ind)  # type: ignore[union-attr]
                elif doc is HARDLINE:
                    out.append("\n" + " " * ind)
                    self.pos = ind
                    break
                else:  # FAIL
                    raise _Failed()
        return fits


def render(doc: Doc, width: int, budget: int = 1 << 62) -> str:
    """The layout ``pretty`` would choose for ``doc`` at ``width`` columns.

    Raises ValueError when the document fails outside any alternative (the
    formatter never builds such a document), and :class:`TooComplex` when
    choosing took more than ``budget`` steps (groups measured plus alternatives
    tried).
    """
    renderer = _Renderer(width, budget)
    renderer.bcmds.append((0, _BREAK, doc))
    out: List[str] = []
    try:
        renderer.best(0, out)
    except _Failed:
        raise ValueError("document has no layout") from None
    return "".join(out)


# ---------------------------------------------------------------------------
# libflux's own combinators (formatter/mod.rs): hanging layouts and item lists
# ---------------------------------------------------------------------------

INDENT = 4
MULTILINE = 4  # more items than this: one per line


class Affixes:
    """What comes before and after a hanging body (``nest``: indent what it encloses)."""

    __slots__ = ("prefix", "suffix", "nest")

    def __init__(self, prefix: Doc, suffix: Doc, nested: bool = False) -> None:
        self.prefix, self.suffix, self.nest = prefix, suffix, nested


class Hang:
    """libflux's HangDoc: a body and the affixes around it, innermost first."""

    def __init__(self, affixes: List[Affixes], body: Doc) -> None:
        self.affixes, self.body = affixes, body

    def add_prefix(self, doc: Doc) -> None:
        if self.affixes:
            last = self.affixes[-1]
            last.prefix = cat(doc, last.prefix)
        else:
            self.body = cat(doc, self.body)

    def format(self) -> Doc:
        return hang(list(reversed(self.affixes)), self.body)


FAIL_ON_MULTI_LINE = flat_alt(FAIL, None)


def hang(surrounding: Sequence[Affixes], body: Doc) -> Doc:
    """Try the layouts that keep the most prefixes on the first line, in order."""
    result: Doc = None
    first = True
    for split in range(len(surrounding), 0, -1):
        before, after = surrounding[:split], surrounding[split:]
        last = len(before) == 1
        no_prefix = not last and all(a.prefix is None for a in before)
        acc = cat(nest(cat(body, FAIL_ON_MULTI_LINE if no_prefix else None), INDENT),
                  *[a.suffix for a in after])
        for a in reversed(after):
            d = cat(a.prefix, acc)
            if a.nest:
                d = nest(d, INDENT)
            acc = group(d)
        doc = cat(group(cat(*[a.prefix for a in before],
                            None if last else FAIL_ON_MULTI_LINE)),
                  group(cat(acc, *[a.suffix for a in before])))
        result = doc if first else union(result, doc)
        first = False
    return body if first else result


def comma_list(docs: List[Doc], sep: Doc) -> Doc:
    """Items (each a group) separated by "," and ``sep``; a trailing "," when broken."""
    trailing = None if not docs else flat_alt(",", None)
    return cat(intersperse([group(d) for d in docs], cat(",", sep)), trailing)


def breaks(multiline: bool) -> Tuple[Doc, Doc]:
    """(line, line_), or two hard breaks when the construct must be laid out one item a line."""
    if multiline:
        return HARDLINE, HARDLINE
    return line(), line_()


def item_list(open_: str, close: str, trailing_comments: Doc,
              items: List[Doc]) -> Tuple[Doc, Doc, Doc]:
    """(opening, body, closing) of a bracketed list (libflux's format_item_list)."""
    sep, sep_ = breaks(len(items) > MULTILINE)
    return (open_, cat(sep_, comma_list(items, sep)),
            cat(sep_ if trailing_comments is None else None, trailing_comments, close))
