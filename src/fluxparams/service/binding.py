"""Invocation parameters: from JSON values to Flux literals, bound outside the script text.

Two steps, each refusing rather than guessing:

1. :func:`convert` checks a JSON ``params`` object against the types the analyzer inferred and
   turns each value into a :class:`Value` (a typed Flux value). Every problem is reported, each
   with the parameter name.
2. :func:`extern_file` builds ``option params = {...}`` as a Flux syntax tree in JSON: the
   ``extern`` of InfluxDB's ``POST /api/v2/query``. The script text is sent unchanged; every value
   is a literal node (a string is the ``value`` of a ``StringLiteral``, as a JSON string), so no
   text is ever pasted and a string holding ``"``, ``${...}`` or ``) |> drop(`` stays one string.

JSON -> Flux rules (the param's inferred type decides):

=========  =================================================================================
string     a JSON string
int        a JSON integer (no fraction, no exponent) in -2^63 .. 2^63-1
uint       a JSON integer in 0 .. 2^64-1
float      any JSON number (integers too) that is finite as a 64-bit float; integers above
           2^53 must be exactly representable
bool       ``true`` / ``false``
duration   a JSON string holding a Flux duration literal, e.g. ``"1h30m"``, ``"-5m"`` (extension)
time       a JSON string holding a Flux date-time literal, e.g. ``"2026-11-26T10:00:00Z"``, or a
           date ``"2026-11-26"`` (extension)
any        string -> string, integer -> int, other number -> float, bool -> bool, array -> array
           (elements of one type), object -> record; strings are never reinterpreted
=========  =================================================================================

``null`` is never accepted: Flux has no null literal.

Durations and date-times are checked by the parser's own rules (:mod:`fluxparams.syntax.literals`),
so a value is accepted here exactly when the same text is a valid literal in a script, as libflux
decides (second 60 included, a fraction of any length, month lengths and leap years).

A param the script does not use is accepted (Cloud binds the whole ``params`` object) and bound by
its JSON type, as for ``any``; it too becomes a literal node, never text.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any, Dict, List, Tuple

from ..syntax import KEYWORDS
from ..syntax.literals import LiteralError, parse_duration, valid_datetime

INT_MIN = -(2 ** 63)
INT_MAX = 2 ** 63 - 1
UINT_MAX = 2 ** 64 - 1
MAX_DEPTH = 32

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DURATION_PART = re.compile(r"([0-9]+)(mo|ms|us|ns|y|w|d|h|m|s)")


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
        raise ParamError("the string is not valid Unicode (lone surrogate)") from None
    return s


def _to_float(v: Any) -> float:
    if isinstance(v, int):
        try:
            f = float(v)
        except OverflowError:  # just below 2^1024 rounds up past the largest float
            f = float("inf")
        if f != f or f in (float("inf"), float("-inf")) or int(f) != v:
            raise ParamError(f"{v} cannot be represented exactly as a float")
        return f
    f = float(v)
    if f != f or f in (float("inf"), float("-inf")):
        raise ParamError(f"{v} is out of the float range")
    return f


def _ascii_digits(s: str) -> bool:
    # The literal rules match digits with \d, which is any Unicode digit; the lexer (and libflux)
    # only reads ASCII ones, and so must a value (µ is the one non-ASCII letter, in "µs").
    return s.replace("µ", "").isascii()


def _duration(s: str) -> Value:
    body = s[1:] if s.startswith("-") else s
    try:
        if not _ascii_digits(body):
            raise LiteralError("not ASCII")
        parts = parse_duration(body)
    except LiteralError as e:
        detail = ": value out of range" if "out of range" in e.message else ""
        raise ParamError(f"{_quote(s)} is not a Flux duration literal (e.g. \"1h30m\", "
                         f"\"-5m\"){detail}") from None
    return Value("duration", s[:len(s) - len(body)] + "".join(f"{n}{u}" for n, u in parts))


def _time(s: str) -> Value:
    if not (s.isascii() and valid_datetime(s)):
        raise ParamError(f"{_quote(s)} is not a Flux date-time literal (RFC 3339: "
                         f"\"2026-11-26T10:00:00Z\", \"2026-11-26T10:00:00.5+01:00\", or a date "
                         f"\"2026-11-26\")")
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
    text = json.dumps(name, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: \u-escape it so the message stays UTF-8
        return json.dumps(name)
    return text


def convert(types: Dict[str, str], payload: Dict[str, Any]) -> Tuple[List[str], Dict[str, Value]]:
    """Check ``payload`` against ``types``; return (problems, values). Problems name the param."""
    problems: List[str] = []
    values: Dict[str, Value] = {}
    for name in sorted(types):
        if name not in payload:
            problems.append(f"missing param {_quote(name)} ({types[name]})")
    for name in sorted(payload):
        try:
            if name not in types:
                # Cloud binds the whole object, so a param the script does not read is allowed;
                # it is bound by its JSON type, like ``any``, and still only as a literal.
                if name == "":
                    raise ParamError("param names must not be empty")
                _check_text(name)
                values[name] = convert_one("any", payload[name])
            else:
                values[name] = convert_one(types[name], payload[name])
        except ParamError as e:
            problems.append(f"param {_quote(name)}: {e}")
    return problems, values


# -- 2. Value -> extern syntax tree -------------------------------------------------------------
#
# The node shapes are libflux's JSON AST, the one ``extern`` is decoded with: the serde
# definitions in influxdata/flux libflux/flux-core/src/ast/mod.rs (v0.193: ``File`` needs
# ``package`` and ``imports``, null allowed; ``IntegerLit``/``UintLit`` ``value`` is a string of
# digits read with ``str::parse::<i64>``/``<u64>``, so a sign is allowed; ``FloatLit`` value is a
# JSON number; ``Duration`` is ``{magnitude: i64, unit}``, all magnitudes of one sign; the
# ``DateTimeLit`` value is a chrono ``DateTime<FixedOffset>`` read from RFC 3339 text), and the
# Go twin in ast/ast.go + ast/json.go (IntegerLiteral via ``strconv.ParseInt``, time via
# ``time.Time``'s RFC 3339 decoding). The InfluxDB UI sends dashboard variables the same way
# (influxdata/ui src/variables/utils/buildVarsOption.ts). Because integers, floats and durations
# carry their sign, no ``UnaryExpression`` is needed, and -2^63 is a plain IntegerLiteral; the
# semantic pass takes every one of these nodes (libflux semantic/convert.rs, and
# semantic/nodes.rs ``convert_duration`` for signed magnitudes). The tests have libflux itself
# decode these trees when ../shared/oracle is present.
# Locations are left out: serde defaults them.


def _key_node(k: str) -> Dict[str, Any]:
    if _IDENT.match(k) and k not in KEYWORDS:
        return {"type": "Identifier", "name": k}
    return {"type": "StringLiteral", "value": k}


def _duration_values(text: str) -> List[Dict[str, Any]]:
    sign = -1 if text.startswith("-") else 1
    return [{"magnitude": sign * int(m), "unit": u} for m, u in _DURATION_PART.findall(text)]


def _time_text(text: str) -> str:
    # A bare date is midnight UTC in Flux; the JSON form must be a full RFC 3339 date-time.
    return text if "T" in text else text + "T00:00:00Z"


def literal_node(v: Value) -> Dict[str, Any]:
    """The JSON syntax-tree node of one value."""
    k, d = v.kind, v.data
    if k == "string":
        return {"type": "StringLiteral", "value": d}
    if k == "int":
        return {"type": "IntegerLiteral", "value": str(d)}
    if k == "uint":
        return {"type": "UnsignedIntegerLiteral", "value": str(d)}
    if k == "float":
        return {"type": "FloatLiteral", "value": d}
    if k == "bool":
        return {"type": "BooleanLiteral", "value": d}
    if k == "duration":
        return {"type": "DurationLiteral", "values": _duration_values(d)}
    if k == "time":
        return {"type": "DateTimeLiteral", "value": _time_text(d)}
    if k == "array":
        return {"type": "ArrayExpression", "elements": [literal_node(e) for e in d]}
    if k == "record":
        return {"type": "ObjectExpression",
                "properties": [{"type": "Property", "key": _key_node(key),
                                "value": literal_node(e)} for key, e in d]}
    raise ValueError(f"unknown value kind {k!r}")  # pragma: no cover


def extern_file(values: Dict[str, Value]) -> Dict[str, Any]:
    """``option params = {...}`` (params sorted by name) as the ``extern`` File of a query."""
    record = Value("record", tuple(sorted(values.items())))
    option = {"type": "OptionStatement",
              "assignment": {"type": "VariableAssignment",
                             "id": {"type": "Identifier", "name": "params"},
                             "init": literal_node(record)}}
    return {"type": "File", "package": None, "imports": [], "body": [option]}
