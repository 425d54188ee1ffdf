"""Flux literal values, decoded and checked as libflux does (its scanner and ``strconv``).

Every function here works on the text of one literal and knows nothing of
positions: a bad literal raises :class:`LiteralError` (a ``ValueError``), and
the tree builder turns it into a :class:`~fluxparams.syntax.FluxSyntaxError`
at the literal's position. The service's parameter binding uses the same
functions, so a value is a valid date-time, duration or integer for both in
exactly the same cases.

Digit strings of any length are handled without ``int()`` on the whole string
(Python refuses conversions of more than 4,300 digits): libflux reports such
integers and durations as out of range, and so do these functions.
"""
from __future__ import annotations

import functools
import re
import warnings
from typing import List, Optional, Pattern, Tuple

__all__ = [
    "BAD_ESCAPE", "I64_MAX", "REGEX_MAX_INSTRUCTIONS", "REGEX_NEST_LIMIT", "LiteralError",
    "check_regex", "days_in_month", "parse_duration", "parse_integer", "regex_measure", "regex_pattern",
    "translate_regex", "unescape", "valid_datetime",
]

I64_MAX = 2 ** 63 - 1


@functools.cache
def _re(pattern: str) -> Pattern[str]:
    """Compiled on first use: most scripts need few of this module's patterns."""
    return re.compile(pattern)
_I64_DIGITS = len(str(I64_MAX))


class LiteralError(ValueError):
    """A literal libflux refuses. ``offset`` is the character offset of the fault
    in the text given (0 when the literal as a whole is wrong); ``width`` is
    how many characters it covers (0: the whole literal)."""

    def __init__(self, message: str, offset: int = 0, width: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.width = width


def _bounded_int(digits: str) -> Optional[int]:
    """The value of a string of ASCII digits, or None above the int64 range."""
    significant = digits.lstrip("0")
    if len(significant) > _I64_DIGITS:
        return None
    value = int(significant or "0")
    return value if value <= I64_MAX else None


# ---------------------------------------------------------------------------
# Integers and durations
# ---------------------------------------------------------------------------

def parse_integer(text: str) -> int:
    """An integer literal's value (``text`` is digits only, as the scanner gives them)."""
    if len(text) > 1 and text[0] == "0":
        raise LiteralError(f'invalid integer literal "{text}": nonzero value cannot start with 0')
    value = _bounded_int(text)
    if value is None:
        raise LiteralError(f'invalid integer literal "{text}": value out of range')
    return value


_DURATION_PART = r"([0-9]+)(mo|ms|us|µs|ns|y|w|d|h|m|s)"
_DURATION = r"(?:[0-9]+(?:mo|ms|us|µs|ns|y|w|d|h|m|s))+\Z"


def parse_duration(text: str) -> Tuple[Tuple[int, str], ...]:
    """A duration literal (``1h30m``) as (magnitude, unit) pairs; ``µs`` is spelled ``us``."""
    if not _re(_DURATION).match(text):
        raise LiteralError(f'invalid duration literal "{text}"')
    values = []
    for m in _re(_DURATION_PART).finditer(text):
        magnitude = _bounded_int(m.group(1))
        if magnitude is None:
            raise LiteralError(f'invalid duration literal "{text}": value out of range')
        unit = m.group(2)
        values.append((magnitude, "us" if unit == "µs" else unit))
    return tuple(values)


# ---------------------------------------------------------------------------
# Date-times
# ---------------------------------------------------------------------------

_DATETIME = (
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]*)?(Z|[+-]([0-9]{2}):([0-9]{2}))?)?\Z")


def days_in_month(year: int, month: int) -> int:
    """Days in ``month`` (1-12) of ``year`` in the proleptic Gregorian calendar."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def valid_datetime(text: str) -> bool:
    """Whether ``text`` is a date-time literal libflux accepts.

    RFC 3339 as libflux (chrono) checks it: a date alone means midnight UTC; a
    time needs an offset (``Z`` or ``±hh:mm``) and, if it has a ``.``, at
    least one fraction digit. Second 60 is accepted at any minute, with or
    without fraction or offset (chrono's leap second; the oracle accepts
    ``2020-12-31T23:59:60Z`` and ``2021-03-04T10:11:60.5+01:00``), 61 is not.
    """
    m = _re(_DATETIME).match(text)
    if not m:
        return False
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= days_in_month(year, month)):
        return False
    if m.group(4) is None:
        return True
    hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if m.group(8) is None or m.group(7) == ".":
        return False
    if hour > 23 or minute > 59 or second > 60:
        return False
    if m.group(9) is not None and (int(m.group(9)) > 23 or int(m.group(10)) > 59):
        return False
    return True


# ---------------------------------------------------------------------------
# Strings
# ---------------------------------------------------------------------------

BAD_ESCAPE = "invalid escape sequence in string (only \\n \\r \\t \\\\ \\\" \\${ and \\xHH)"

# "\$" alone is reachable only after a "$" that took the backslash as its
# partner ("$\$a"): libflux's unescaper reads it as "$". A backslash that ends a
# text part ("$\" before "${") is an error there too, hence ".?".
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$"}
_TEXT_PIECE = r'(?s)\\x([0-9a-fA-F]{2})|\\\$\{|\\(.?)|([^\\]+)'


def unescape(raw: str) -> str:
    """The value of a piece of string text (between quotes and interpolations).

    ``\\xHH`` bytes must form valid UTF-8. A bad escape raises
    :class:`LiteralError` with the offset of its backslash and width 2.
    """
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
                # "$" followed by "\" is one unit of string text for the lexer
                # (as for libflux's scanner), so this backslash was never
                # checked as an escape; libflux rejects it here too
                raise LiteralError(BAD_ESCAPE, m.start(), 2)
            out += _ESCAPES[esc].encode("utf-8")
        else:
            out += b"${"
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise LiteralError("invalid UTF-8 sequence in string escape") from None


# ---------------------------------------------------------------------------
# Regular expressions
# ---------------------------------------------------------------------------

def regex_pattern(literal: str) -> str:
    r"""The pattern of a regex literal (``/.../``), decoded as libflux does:
    ``\/`` -> ``/`` and ``\xHH`` -> that byte (the bytes must form UTF-8);
    other escapes stay."""
    body = literal[1:-1]
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
                    raise LiteralError("invalid byte value in regex (\\xHH needs two hex digits)")
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
        raise LiteralError("invalid UTF-8 sequence in regex") from None


# Escapes Rust's regex crate (regex-syntax 0.6, in libflux v0.193) accepts.
_RE_META = set("\\.+*?()|[]{}^$#&-~")
_RE_CLASS_ESCAPES = set("dDsSwW")
_RE_ASSERT_ESCAPES = set("bBAz")
_RE_CHAR_ESCAPES = {"n": "\\n", "t": "\\t", "r": "\\r", "f": "\\f", "v": "\\v", "a": "\\a"}
_RE_FLAGS = r"\(\?([imsUx]*(?:-[imsUx]*)?)(\)|:)"
_RE_COUNT = r"\{([0-9]+)(,([0-9]*))?\}"
_RE_HEX = (
    r"x([0-9a-fA-F]{2}|\{[0-9a-fA-F]{1,8}\})|u([0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,8}\})|U([0-9a-fA-F]{8})")
_RE_UNICODE_CLASS = r"[pP](\{[^}]*\}|[A-Za-z])"


def _quantifier(pattern: str, i: int) -> Tuple[str, int]:
    """The repetition operator at ``pattern[i]`` and the index after it."""
    if pattern[i] != "{":
        return pattern[i], i + 1
    m = _re(_RE_COUNT).match(pattern, i)
    if not m:
        raise LiteralError("repetition quantifier expects a valid decimal")
    return m.group(0), m.end()


def translate_regex(pattern: str) -> str:
    r"""Rust regex syntax -> an equivalent-for-validation Python pattern.

    Walks the pattern once: escapes are checked against the Rust list (Python
    accepts more, e.g. ``\0``, ``\Z``, ``\%``), Rust-only spellings become
    something Python knows (``\pL``, ``[[:alpha:]]``, ``\z``, flags in the
    middle, ``(?U)``, stacked repetitions such as ``a**``), and Python-only
    constructs Rust refuses (look-around, ``(?#...)``, back-references, a
    ``{`` that is not a counted repetition) raise :class:`LiteralError`.
    """
    out: List[str] = []
    i, n = 0, len(pattern)
    in_class = 0
    # whether the previous item can take a repetition (None: it is one, and a
    # lazy "?" may follow)
    last_quantifiable: Optional[bool] = False
    after_quantifier = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise LiteralError("incomplete escape sequence")
            nxt = pattern[i + 1]
            if nxt in _RE_META or nxt in _RE_CLASS_ESCAPES or nxt in _RE_CHAR_ESCAPES:
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
                    raise LiteralError(f"unrecognized escape sequence \\{nxt}")
                out.append("a")
                i = m.end()
            last_quantifiable, after_quantifier = True, False
            continue
        if in_class:
            if ch == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end < 0:
                    raise LiteralError("unclosed character class")
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
                    i = m.end()
                    if m.group(2) == ")":
                        continue         # a flag group alone: nothing to check
                    out.append("(?:")
                    last_quantifiable, after_quantifier = False, False
                    continue
                if not pattern.startswith("(?P<", i):
                    raise LiteralError("unrecognized flag or group syntax")
                close = pattern.find(">", i)
                if close < 0:
                    raise LiteralError("unclosed group name")
                out.append(pattern[i:close + 1])
                i = close + 1
                last_quantifiable, after_quantifier = False, False
                continue
            out.append(ch)
            i += 1
            last_quantifiable, after_quantifier = False, False
            continue
        if ch in "*+?{":
            text, i = _quantifier(pattern, i)
            if after_quantifier:
                if ch == "?" and out and out[-1] != "?" and last_quantifiable is None:
                    out.append("?")
                continue            # Rust repeats a repetition; Python would refuse
            if not last_quantifiable:
                raise LiteralError("repetition operator missing expression")
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
        raise LiteralError("unclosed character class")
    return "".join(out)


# Rust's regex parser refuses a pattern whose syntax tree nests deeper than 250
# (regex-syntax's nest_limit): every group, bracketed class, repetition,
# alternation (two or more branches) and concatenation (two or more items) is
# a level. Python's own parser recurses on groups, so this is also what keeps
# a deeply nested pattern from reaching the interpreter's recursion limit.
REGEX_NEST_LIMIT = 250
# Rust's regex compiler refuses a program over 10 MiB ("compiled too big"):
# 655,360 instructions of 16 bytes. The oracle's boundaries: a{655336} and
# (ab){163840} (2 characters and 2 capture slots a copy) compile,
# (ab){163841} does not.
REGEX_MAX_INSTRUCTIONS = 655_360

# an item of a branch: (nesting height, instructions at least)
_Item = Tuple[int, int]


def regex_measure(pattern: str) -> Tuple[int, int]:
    """(nesting depth, compiled size) of ``pattern`` as Rust's regex crate counts them.

    The depth is what :data:`REGEX_NEST_LIMIT` bounds. The size is a lower
    bound of the instructions of Rust's compiled program (one a character,
    class or dot, two a capture group, a counted repetition its copies;
    assertions and the program's fixed overhead count nothing), so a pattern
    refused for it is one Rust refuses too. One pass with an explicit stack
    (no recursion): each open group keeps its finished branches and the items
    of its current branch.
    """
    # per open group: (finished branches, items of the current branch, capturing)
    stack: List[Tuple[List[_Item], List[_Item], bool]] = [([], [], False)]
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        items = stack[-1][1]
        if ch == "\\":
            m = _re(_RE_HEX).match(pattern, i + 1) or _re(_RE_UNICODE_CLASS).match(pattern, i + 1)
            assertion = m is None and pattern[i + 1:i + 2] in ("b", "B", "A", "z")
            i = m.end() if m else i + 2
            items.append((0, 0 if assertion else 1))
        elif ch == "[":
            height, i = _class_height(pattern, i)
            items.append((height, 1))
        elif ch == "(":
            capturing = True
            if pattern.startswith("(?", i):
                m = _re(_RE_FLAGS).match(pattern, i)
                if m and m.group(2) == ")":
                    i = m.end()
                    items.append((0, 0))   # a flags item
                    continue
                capturing = m is None      # (?P<name>...)
                close_at = pattern.find(":" if m else ">", i)
                i = (m.end() if m else close_at + 1) if close_at >= 0 else n
            else:
                i += 1
            stack.append(([], [], capturing))
        elif ch == ")" and len(stack) > 1:
            stack[-2][1].append(_group(stack.pop()))
            i += 1
        elif ch == "|":
            stack[-1][0].append(_concat(items))
            items.clear()
            i += 1
        elif ch in "*+?{":
            copies = 1
            if ch == "{":
                m = _re(_RE_COUNT).match(pattern, i)
                if m:
                    low = int(m.group(1))
                    if m.group(2) is None:       # {n}
                        copies = low
                    elif m.group(3):             # {n,m}
                        copies = int(m.group(3))
                    else:                        # {n,}
                        copies = max(low, 1)
                i = m.end() if m else i + 1
            else:
                i += 1
            if i < n and pattern[i] == "?":
                i += 1
            if items:             # a repetition of the item before it
                height, size = items[-1]
                items[-1] = (height + 1, min(size * copies, REGEX_MAX_INSTRUCTIONS + 1))
        else:
            items.append((0, 0 if ch in "^$" else 1))
            i += 1
    while len(stack) > 1:         # unclosed groups: translate_regex reports them
        stack[-2][1].append(_group(stack.pop()))
    return _alternation(stack[0])


def _concat(items: List[_Item]) -> _Item:
    if not items:
        return (0, 0)
    height = max(h for h, _ in items) + (1 if len(items) > 1 else 0)
    return (height, sum(size for _, size in items))


def _alternation(frame: Tuple[List[_Item], List[_Item], bool]) -> _Item:
    """The contents of a finished group (or of the whole pattern)."""
    branches, items, _ = frame
    branches.append(_concat(items))
    height = max(h for h, _ in branches) + (1 if len(branches) > 1 else 0)
    return (height, sum(size for _, size in branches))


def _group(frame: Tuple[List[_Item], List[_Item], bool]) -> _Item:
    height, size = _alternation(frame)
    return (height + 1, size + (2 if frame[2] else 0))


def _class_height(pattern: str, i: int) -> Tuple[int, int]:
    """(nesting height, index after it) of the bracketed class at ``pattern[i]``."""
    n = len(pattern)
    # per open class: [item count, height of the tallest nested class]
    open_classes: List[List[int]] = []
    while i < n:
        ch = pattern[i]
        if ch == "[" and pattern.startswith("[:", i) and open_classes:
            end = pattern.find(":]", i + 2)
            i = n if end < 0 else end + 2
            open_classes[-1][0] += 1
            continue
        if ch == "[":
            open_classes.append([0, 0])
            i += 1
            if pattern.startswith("^", i):
                i += 1
            if i < n and pattern[i] == "]":
                open_classes[-1][0] += 1
                i += 1
            continue
        if ch == "\\":
            i += 2
            open_classes[-1][0] += 1
            continue
        if ch == "]":
            count, nested = open_classes.pop()
            height = 1 + (1 if count > 1 else 0) + nested
            i += 1
            if not open_classes:
                return height, i
            open_classes[-1][0] += 1
            open_classes[-1][1] = max(open_classes[-1][1], height)
            continue
        open_classes[-1][0] += 1
        i += 1
    return 1, n   # unclosed: translate_regex reports it


def check_regex(pattern: str) -> None:
    r"""Reject what Rust's regex crate rejects (see :func:`translate_regex`),
    then let Python's ``re`` judge the shared syntax (groups, classes, ranges,
    counts). Raises :class:`LiteralError` ``regex parse error: ...``."""
    try:
        depth, size = regex_measure(pattern)
        if depth > REGEX_NEST_LIMIT:
            raise LiteralError("exceed the maximum number of nested parentheses/brackets "
                               f"({REGEX_NEST_LIMIT})")
        translated = translate_regex(pattern)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compiled: Pattern[str] = re.compile(translated)
        del compiled
    except LiteralError as exc:
        raise LiteralError(f"regex parse error: {exc.message}") from None
    except (re.error, OverflowError, RecursionError, ValueError) as exc:
        raise LiteralError(f"regex parse error: {exc}") from None
    if size > REGEX_MAX_INSTRUCTIONS:
        raise LiteralError("regex compiled too big (Rust's regex allows 10 MiB of compiled program)")
