"""Invocation parameters: from JSON values to Flux literals, and into the script.

Three steps, each refusing rather than guessing:

1. :func:`convert` checks a JSON ``params`` object against the types the analyzer inferred and
   turns each value into a :class:`Value` (a typed Flux value). Every problem is reported, each
   with the parameter name.
2. :func:`option_source` prints the values as ``option params = {...}``. Values are printed from
   their types by a literal printer (escaping every string) and never spliced as raw text, so a
   string that holds ``"``, ``${...}`` or ``) |> drop(`` stays one string literal.
3. :func:`bind` puts that option statement into the script after its package clause and imports
   (Flux requires imports first) and, as a second line of defence, parses the option statement back
   with :func:`fluxparams.parse` and checks that the tree is exactly the expected literals.

JSON -> Flux rules (the param's inferred type decides):

=========  =================================================================================
string     a JSON string
int        a JSON integer (no fraction, no exponent) in -2^63 .. 2^63-1
uint       a JSON integer in 0 .. 2^64-1
float      any JSON number (integers too) that is finite as a 64-bit float; integers above
           2^53 must be exactly representable
bool       ``true`` / ``false``
duration   a JSON string holding a Flux duration literal, e.g. ``"1h30m"``, ``"-5m"`` (extension)
time       a JSON string holding an RFC 3339 date-time, e.g. ``"2026-11-26T10:00:00Z"``, or a
           date ``"2026-11-26"`` (extension)
any        string -> string, integer -> int, other number -> float, bool -> bool, array -> array
           (elements of one type), object -> record; strings are never reinterpreted
=========  =================================================================================

``null`` is never accepted: Flux has no null literal.
"""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from .. import tree

INT_MIN = -(2 ** 63)
INT_MAX = 2 ** 63 - 1
UINT_MAX = 2 ** 64 - 1
MAX_DEPTH = 32

KEYWORDS = frozenset(
    "and or not import package return option builtin testcase if then else exists".split())
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DURATION = re.compile(r"(-?)((?:[0-9]+(?:mo|ms|us|µs|ns|y|w|d|h|m|s))+)\Z")
_DURATION_PART = re.compile(r"([0-9]+)(mo|ms|us|µs|ns|y|w|d|h|m|s)")
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?(?:Z|[+-]([0-9]{2}):([0-9]{2})))?\Z")


class Value:
    """A typed Flux value. ``kind`` is a Flux type name, or "array"/"record".

    ``data``: str for string/duration/time (the literal text for the last two), int, float, bool,
    a tuple of Values (array) or a tuple of (key, Value) pairs (record).
    """

    __slots__ = ("kind", "data")

    def __init__(self, kind: str, data: Any) -> None:
        self.kind = kind
        self.data = data

    def __repr__(self) -> str:
        return f"Value({self.kind!r}, {self.data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and (self.kind, self.data) == (other.kind, other.data)

    def __hash__(self) -> int:
        return hash((self.kind, self.data))


class ParamError(Exception):
    pass


# -- 1. JSON -> Value ----------------------------------------------------------------------------

def _describe(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "an integer"
    if isinstance(v, (float, Decimal)):
        return "a number with a fraction or exponent"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__  # pragma: no cover - json never yields other types


def _check_text(s: str) -> str:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        raise ParamError("the string is not valid Unicode (lone surrogate)")
    return s


def _to_float(v: Any) -> float:
    if isinstance(v, int):
        f = float(v) if abs(v) < 2 ** 1024 else float("inf")
        if f != f or f in (float("inf"), float("-inf")) or int(f) != v:
            raise ParamError(f"{v} cannot be represented exactly as a float")
        return f
    f = float(v)
    if f != f or f in (float("inf"), float("-inf")):
        raise ParamError(f"{v} is out of the float range")
    return f


def _duration(s: str) -> Value:
    m = _DURATION.match(s)
    if not m:
        raise ParamError(f"{_quote(s)} is not a Flux duration literal (e.g. \"1h30m\", \"-5m\")")
    parts = []
    for magnitude, unit in _DURATION_PART.findall(m.group(2)):
        n = int(magnitude)
        if n > INT_MAX:
            raise ParamError(f"{_quote(s)}: duration magnitude out of range")
        parts.append(f"{n}{'us' if unit == 'µs' else unit}")
    return Value("duration", m.group(1) + "".join(parts))


def _time(s: str) -> Value:
    m = _TIME.match(s)
    if not m:
        raise ParamError(f"{_quote(s)} is not an RFC 3339 time (e.g. \"2026-11-26T10:00:00Z\")")
    year, month, day, hour, minute, second, oh, om = m.groups()
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        raise ParamError(f"{_quote(s)} is not a valid date")
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second) > 59):
        raise ParamError(f"{_quote(s)} is not a valid time of day")
    if oh is not None and (int(oh) > 23 or int(om) > 59):
        raise ParamError(f"{_quote(s)} has an invalid UTC offset")
    return Value("time", s)


def _signature(v: Value) -> Any:
    if v.kind == "array":
        sigs = {_signature(e) for e in v.data}
        return ("array", sigs.pop() if sigs else None)
    if v.kind == "record":
        return ("record", tuple((k, _signature(e)) for k, e in sorted(v.data)))
    return v.kind


def _unify(a: Any, b: Any) -> Any:
    """The common signature of two array elements, or raise ParamError."""
    if a == b:
        return a
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "array":
        if a[1] is None:
            return b
        if b[1] is None:
            return a
        return ("array", _unify(a[1], b[1]))
    raise ParamError("array elements must all have the same type")


def _any(v: Any, depth: int) -> Value:
    if depth > MAX_DEPTH:
        raise ParamError(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(v, bool):
        return Value("bool", v)
    if isinstance(v, int):
        if not INT_MIN <= v <= INT_MAX:
            raise ParamError(f"{v} is out of the int range")
        return Value("int", v)
    if isinstance(v, (float, Decimal)):
        return Value("float", _to_float(v))
    if isinstance(v, str):
        return Value("string", _check_text(v))
    if isinstance(v, list):
        elements = tuple(_any(e, depth + 1) for e in v)
        sig: Any = None
        for e in elements:
            s = _signature(e)
            sig = s if sig is None else _unify(sig, s)
        return Value("array", elements)
    if isinstance(v, dict):
        fields = []
        for k, e in v.items():
            if k == "":
                raise ParamError("record keys must not be empty")
            fields.append((_check_text(k), _any(e, depth + 1)))
        return Value("record", tuple(fields))
    raise ParamError("null is not a Flux value")


def convert_one(flux_type: str, v: Any) -> Value:
    """One JSON value as a value of ``flux_type`` (a Cloud type name); raise ParamError."""
    if v is None:
        raise ParamError(f"expected {flux_type}, got null (Flux has no null literal)")
    if flux_type == "string":
        if isinstance(v, str):
            return Value("string", _check_text(v))
    elif flux_type == "int":
        if isinstance(v, int) and not isinstance(v, bool):
            if not INT_MIN <= v <= INT_MAX:
                raise ParamError(f"{v} is out of the int range")
            return Value("int", v)
    elif flux_type == "uint":
        if isinstance(v, int) and not isinstance(v, bool):
            if not 0 <= v <= UINT_MAX:
                raise ParamError(f"{v} is out of the uint range (0 .. 2^64-1)")
            return Value("uint", v)
    elif flux_type == "float":
        if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            return Value("float", _to_float(v))
    elif flux_type == "bool":
        if isinstance(v, bool):
            return Value("bool", v)
    elif flux_type == "duration":
        if isinstance(v, str):
            return _duration(v)
    elif flux_type == "time":
        if isinstance(v, str):
            return _time(v)
    else:  # "any", or a name we do not know: accept what Flux can represent
        return _any(v, 0)
    raise ParamError(f"expected {flux_type}, got {_describe(v)}")


def _quote(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def convert(types: Dict[str, str], payload: Dict[str, Any]) -> Tuple[List[str], Dict[str, Value]]:
    """Check ``payload`` against ``types``; return (problems, values). Problems name the param."""
    problems: List[str] = []
    values: Dict[str, Value] = {}
    for name in sorted(types):
        if name not in payload:
            problems.append(f"missing param {_quote(name)} ({types[name]})")
    for name in sorted(payload):
        if name not in types:
            problems.append(f"unknown param {_quote(name)}: the script does not use it")
            continue
        try:
            values[name] = convert_one(types[name], payload[name])
        except ParamError as e:
            problems.append(f"param {_quote(name)}: {e}")
    return problems, values


# -- 2. Value -> Flux source ---------------------------------------------------------------------

def string_literal(s: str) -> str:
    out = ['"']
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "$":
            # Not "\${": libflux's scanner lets a "$" swallow the next character, so "$\${"
            # breaks; "\x24" is a "$" in every position.
            out.append("\\x24")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
        i += 1
    out.append('"')
    return "".join(out)


def _float_text(f: float) -> str:
    text = repr(abs(f))
    if "e" in text or "E" in text:
        # Flux float literals have no exponent form: write all the digits.
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return ("-" if f < 0 or (f == 0 and str(f).startswith("-")) else "") + text


def _key(k: str) -> str:
    return k if _IDENT.match(k) and k not in KEYWORDS else string_literal(k)


def flux_source(v: Value) -> str:
    k, d = v.kind, v.data
    if k == "string":
        return string_literal(d)
    if k == "int":
        if d == INT_MIN:  # 9223372036854775808 is not a valid int literal, so no unary minus
            return 'int(v: "-9223372036854775808")'
        return str(d)
    if k == "uint":
        return f'uint(v: "{d}")'  # Flux has no uint literal
    if k == "float":
        return _float_text(d)
    if k == "bool":
        return "true" if d else "false"
    if k in ("duration", "time"):
        return d
    if k == "array":
        return "[" + ", ".join(flux_source(e) for e in d) + "]"
    if k == "record":
        return "{" + ", ".join(f"{_key(key)}: {flux_source(e)}" for key, e in d) + "}"
    raise ValueError(f"unknown value kind {k!r}")  # pragma: no cover


def option_source(values: Dict[str, Value]) -> str:
    record = Value("record", tuple(sorted(values.items())))
    return f"option params = {flux_source(record)}"


# -- 3. into the script, checked -----------------------------------------------------------------

def expected_tree(v: Value) -> Any:
    """The syntax tree :func:`flux_source` text must parse to (locations are not compared)."""
    k, d = v.kind, v.data
    if k == "string":
        return tree.StringLiteral(d)
    if k in ("int", "uint"):
        if k == "uint" or d == INT_MIN:
            call = tree.CallExpression(
                tree.Identifier(k),
                tree.ObjectExpression(None, (tree.Property(tree.Identifier("v"),
                                                           tree.StringLiteral(str(d))),)))
            return call
        if d < 0:
            return tree.UnaryExpression("-", tree.IntegerLiteral(-d))
        return tree.IntegerLiteral(d)
    if k == "float":
        text = _float_text(d)
        if text.startswith("-"):
            return tree.UnaryExpression("-", tree.FloatLiteral(-d))
        return tree.FloatLiteral(d)
    if k == "bool":
        return tree.Identifier("true" if d else "false")
    if k == "duration":
        neg = d.startswith("-")
        lit = tree.DurationLiteral(tuple((int(m), u) for m, u in _DURATION_PART.findall(d)))
        return tree.UnaryExpression("-", lit) if neg else lit
    if k == "time":
        return tree.DateTimeLiteral(d)
    if k == "array":
        return tree.ArrayExpression(tuple(expected_tree(e) for e in d))
    if k == "record":
        props = []
        for key, e in d:
            kt = tree.Identifier(key) if _key(key) == key else tree.StringLiteral(key)
            props.append(tree.Property(kt, expected_tree(e)))
        return tree.ObjectExpression(None, tuple(props))
    raise ValueError(f"unknown value kind {k!r}")  # pragma: no cover


def expected_option(values: Dict[str, Value]) -> tree.OptionStatement:
    record = Value("record", tuple(sorted(values.items())))
    return tree.OptionStatement(
        tree.VariableAssignment(tree.Identifier("params"), expected_tree(record)))


class BindingCheckFailed(Exception):
    """The printed option statement did not parse back to the expected literals (a bug)."""


def check_option(source: str, values: Dict[str, Value]) -> None:
    from .. import parse  # late: the service must import even while the parser is being built

    try:
        parsed = parse(source)
    except SyntaxError as e:
        raise BindingCheckFailed(f"generated option statement does not parse: {e}") from e
    expected = tree.File(None, (), (expected_option(values),))
    if parsed != expected:
        raise BindingCheckFailed("generated option statement does not parse back to the "
                                 "expected literals")


class Bound:
    """A script with its params bound: ``query`` is what InfluxDB runs.

    ``option_line`` is the 1-based line of the option statement in ``query``; lines after it are
    the script's lines shifted by ``shift`` (used to map InfluxDB's error positions back).
    """

    def __init__(self, query: str, option_line: Optional[int], shift: int) -> None:
        self.query = query
        self.option_line = option_line
        self.shift = shift

    def script_line(self, query_line: int) -> Optional[int]:
        if self.option_line is None:
            return query_line
        if query_line < self.option_line:
            return query_line
        if query_line == self.option_line or not self.shift:
            return None
        return query_line - self.shift


def _header_end(file: tree.File) -> Optional[tree.Loc]:
    ends = [n.loc for n in ((file.package,) if file.package else ()) + tuple(file.imports)]
    ends = [loc for loc in ends if loc.end_line > 0]
    return max(ends, key=lambda loc: (loc.end_line, loc.end_column)) if ends else None


def bind(script: str, values: Dict[str, Value], file: Optional[tree.File] = None,
         check: bool = True) -> Bound:
    """The query text: ``script`` with ``option params = {...}`` after its header.

    ``file`` is the script's syntax tree (parsed here when not given). With no values the script
    runs unchanged: there is nothing to bind and a script that uses no params needs none.
    """
    if not values:
        return Bound(script, None, 0)
    option = option_source(values)
    if check:
        check_option(option, values)
    if file is None:
        from .. import parse
        file = parse(script)
    end = _header_end(file)
    lines = script.split("\n")
    if end is None:
        return Bound(option + "\n" + script, 1, 1)
    # Columns count characters, 1-based and exclusive at the end.
    line_text = lines[end.end_line - 1]
    rest = line_text[end.end_column - 1:]
    if rest.strip() == "" or rest.lstrip().startswith("//"):
        # The usual case: the header ends its line. The option gets a line of its own below it.
        lines.insert(end.end_line, option)
        return Bound("\n".join(lines), end.end_line + 1, 1)
    # Something follows the last import on the same line: break the line around the option.
    head = "\n".join(lines[:end.end_line - 1] + [line_text[:end.end_column - 1]])
    tail = "\n".join([rest] + lines[end.end_line:])
    return Bound(head + "\n" + option + "\n" + tail, end.end_line + 1, 0)


_POSITION = re.compile(r"@(\d+):(\d+)-(\d+):(\d+)")


def map_positions(message: str, bound: Bound) -> str:
    """Rewrite ``@L:C-L:C`` positions in an InfluxDB error message to the script's own lines."""
    if bound.option_line is None:
        return message

    def repl(m: "re.Match[str]") -> str:
        l1, c1, l2, c2 = (int(g) for g in m.groups())
        s1, s2 = bound.script_line(l1), bound.script_line(l2)
        if s1 is None or s2 is None:
            return m.group(0)
        return f"@{s1}:{c1}-{s2}:{c2}"

    return _POSITION.sub(repl, message)

