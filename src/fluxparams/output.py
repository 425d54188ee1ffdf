"""How ``fluxparams check`` shows its findings: text, JSON and GitHub annotations.

A :class:`Finding` is a diagnostic with the path it was found in. JSON keeps libflux's UTF-8
byte columns and every finding as libflux reports it; the text and github formats, read by
people, editors and GitHub, count characters, print one finding per line and one type mistake
once (libflux reports a failed unification once per side).
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

if TYPE_CHECKING:
    from .cache import Row
    from .diagnostics import Diagnostic


class Finding:
    """A diagnostic with the path it was found in; what every output format prints."""

    _FIELDS = ("path", "code", "severity", "message", "line", "column", "end_line", "end_column")
    # char_*: the same columns counted in characters (code points), for people and editors;
    # hint: what to write instead, for a syntax error a hint can fix ("" otherwise)
    __slots__ = _FIELDS + ("char_column", "char_end_column", "hint")

    def __init__(self, path: str, code: str, severity: str, message: str,
                 line: int, column: int, end_line: int, end_column: int) -> None:
        self.path, self.code, self.severity, self.message = path, code, severity, message
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column
        self.char_column, self.char_end_column = column, end_column
        self.hint = ""

    @classmethod
    def of(cls, path: str, d: Diagnostic, lines: Optional[List[bytes]] = None) -> Finding:
        found = cls(path, d.code, d.severity, d.message, d.line, d.column, d.end_line,
                    d.end_column)
        if d.code == "FP001":
            found.hint = str(getattr(d, "hint", ""))
        if lines is not None:
            found.char_column = char_column(lines, d.line, d.column)
            found.char_end_column = char_column(lines, d.end_line, d.end_column)
        return found

    def row(self) -> Row:
        """Everything but the path: what the result cache stores and workers send back."""
        return (self.code, self.severity, self.message, self.line, self.column, self.end_line,
                self.end_column, self.char_column, self.char_end_column, self.hint)

    @classmethod
    def from_row(cls, path: str, row: Row) -> Finding:
        code, severity, message, line, column, end_line, end_column, char_col, char_end, hint = row
        found = cls(path, code, severity, message, line, column, end_line, end_column)
        found.char_column, found.char_end_column, found.hint = char_col, char_end, hint
        return found

    def sort_key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> Dict[str, object]:
        found = {name: getattr(self, name) for name in self._FIELDS}
        if self.hint:
            found["hint"] = self.hint
        return found

    def one_line(self) -> str:
        """The message as the text format shows it: one line, the hint appended."""
        text = join_lines(self.message)
        return f"{text} (hint: {join_lines(self.hint)})" if self.hint else text

    def annotation(self) -> str:
        """The message as a GitHub annotation shows it (which keeps line breaks)."""
        return f"{self.message}\nhint: {self.hint}" if self.hint else self.message


def char_column(lines: List[bytes], line: int, column: int) -> int:
    """A 1-based UTF-8 byte column on ``line`` as a 1-based character column."""
    if not 1 <= line <= len(lines) or column <= 1:
        return column
    text = lines[line - 1]
    head = text[:column - 1]
    # A column past the end of the line (an end at the newline) keeps its distance to the end.
    beyond = max(0, column - 1 - len(text))
    return len(head.decode("utf-8", "replace")) + beyond + 1


def write_findings(findings: List[Finding], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        import json
        out.write(json.dumps([f.to_dict() for f in findings], indent=2) + "\n")
    elif fmt == "github":
        for f in _fold_same_mistake(findings):
            level = "warning" if f.severity == "warning" else "error"
            out.write(
                f"::{level} file={_gh_property(f.path)},line={f.line},col={f.char_column},"
                f"endLine={f.end_line},endColumn={f.char_end_column},"
                f"title={_gh_property(f.code)}::{_gh_data(f.annotation())}\n")
    else:
        for f in _fold_same_mistake(findings):
            out.write(f"{f.path}:{f.line}:{f.char_column}: {f.code} {f.one_line()}\n")


# libflux reports one failed unification once per side (`{a: int} + 1`: "is not
# Addable" over the whole expression and "expected {...} but found int" on `1`).
_FOLDED_CODES = ("FP102",)


def _fold_same_mistake(findings: List[Finding]) -> List[Finding]:
    """For people: an FP102 inside the span of another one of the same file is one mistake.

    The inner finding's message is appended to the enclosing one's, so nothing is lost;
    JSON output keeps libflux's findings as they are.
    """
    result: List[Finding] = []
    enclosing: Optional[Finding] = None
    for f in findings:
        if f.code not in _FOLDED_CODES:
            result.append(f)
            continue
        if (enclosing is not None and enclosing.path == f.path
                and (enclosing.line, enclosing.column) <= (f.line, f.column)
                and (f.end_line, f.end_column) <= (enclosing.end_line, enclosing.end_column)):
            enclosing.message = (f"{enclosing.message} (also at {f.line}:{f.char_column}: "
                                 f"{f.message})")
            continue
        # a copy: the message may grow, and the caller's findings stay as found
        enclosing = Finding(f.path, f.code, f.severity, f.message, f.line, f.column,
                             f.end_line, f.end_column)
        enclosing.char_column, enclosing.char_end_column = f.char_column, f.char_end_column
        result.append(enclosing)
    return result


def join_lines(text: str) -> str:
    """One finding, one line (tools and pre-commit users grep this output).

    libflux prints big types over several indented lines; they are joined the way
    they would be written on one: ``{a: int, b: int}``.
    """
    if "\n" not in text and "\r" not in text:
        return text
    joined = ""
    for part in text.replace("\r", "\n").split("\n"):
        part = part.strip()
        if not part:
            continue
        if not joined or joined.endswith(("{", "(", "[")):
            joined += part
        elif part.startswith(("}", ")", "]")):
            joined = (joined[:-1] if joined.endswith(",") else joined) + part
        else:
            joined += " " + part
    return joined


def _gh_data(text: str) -> str:
    # GitHub's workflow-command escaping (toolkit's escapeData / escapeProperty).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")
