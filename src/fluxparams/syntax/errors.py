"""The one exception of the parser, and the byte/character column conversion it renders with.

Every position is 1-based; columns are counted in UTF-8 bytes, end exclusive,
as libflux counts them (``x = "日本語" y`` puts ``y`` at column 19).
"""
from __future__ import annotations

from typing import Callable, Optional, Tuple

__all__ = ["FluxSyntaxError", "char_column"]


class FluxSyntaxError(SyntaxError):
    """A script libflux would not accept.

    ``lineno``/``offset`` and ``end_lineno``/``end_offset`` are 1-based; the
    offsets are byte columns like every position in this project. ``msg`` is
    the parser's view (tests pin it to libflux's wording); ``hint`` is a
    separate suggestion for the likely mistake ("use `and`"), "" when there is none.
    """

    msg: str
    lineno: int
    offset: int
    end_lineno: int
    end_offset: int
    hint: str

    def __init__(self, msg: str, lineno: int = 1, offset: int = 1,
                 end_lineno: Optional[int] = None, end_offset: Optional[int] = None,
                 hint: str = "") -> None:
        super().__init__(msg)
        self.msg = msg
        self.lineno = lineno
        self.offset = offset
        self.end_lineno = lineno if end_lineno is None else end_lineno
        self.end_offset = offset + 1 if end_offset is None else end_offset
        self.hint = hint
        self.text = None
        self.filename = None

    def __str__(self) -> str:
        return f"{self.lineno}:{self.offset}: {self.msg}"

    def __reduce__(self) -> Tuple[Callable[..., "FluxSyntaxError"], Tuple[str, int, int, int, int, str]]:
        return (type(self), (self.msg, self.lineno, self.offset, self.end_lineno, self.end_offset, self.hint))

    def render(self, source: str) -> str:
        """The message, the offending source line, a caret under the error and the hint."""
        lines = source.splitlines() or [""]
        head = f"{self.lineno}:{self.offset}: error: {self.msg}"
        tail = f"\n    hint: {self.hint}" if self.hint else ""
        if not 1 <= self.lineno <= len(lines):
            return head + tail
        line = lines[self.lineno - 1].expandtabs(1)
        column = char_column(line, self.offset)
        width = 1
        if self.end_lineno == self.lineno and self.end_offset > self.offset:
            width = max(1, char_column(line, self.end_offset) - column)
        return f"{head}\n    {line}\n    {' ' * (column - 1)}{'^' * width}{tail}"


def char_column(line: str, byte_column: int) -> int:
    """The 1-based character column of a 1-based byte column in ``line``."""
    if line.isascii():
        return byte_column
    encoded = line.encode("utf-8", "surrogatepass")
    return len(encoded[:byte_column - 1].decode("utf-8", "ignore")) + 1
