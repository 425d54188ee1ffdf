"""What can be wrong with a script: one small class per finding, with a stable code.

A finding is an instance of a :class:`Diagnostic` subclass. The class carries
the code, the default severity and a message template; the instance carries
the template's arguments and the position (1-based, end exclusive). Codes are
stable: users select, ignore and suppress them (``// fluxparams: ignore[FP101]``).

    FP0xx  syntax
    FP1xx  types and names (what libflux itself reports)
    FP2xx  params mistakes that only fail when a script is invoked
"""
from __future__ import annotations

from typing import Any, Dict, Tuple


class Diagnostic:
    code = "FP000"
    severity = "error"  # "error" | "warning"
    template = ""

    __slots__ = ("args", "line", "column", "end_line", "end_column")

    def __init__(self, loc, *args: Any) -> None:
        # ``loc`` is anything with line/column/end_line/end_column (tree.Loc).
        self.args: Tuple[Any, ...] = args
        self.line = loc.line
        self.column = loc.column
        self.end_line = loc.end_line
        self.end_column = loc.end_column

    @property
    def message(self) -> str:
        return self.template.format(*self.args)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }

    def sort_key(self):
        return (self.line, self.column, self.code)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_dict() == other.to_dict()  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash((self.code, self.line, self.column, self.message))

    def __repr__(self) -> str:
        return f"<{self.code} {self.line}:{self.column} {self.message}>"


# -- FP0xx syntax -------------------------------------------------------------

class SyntaxErrorFinding(Diagnostic):
    """A script that libflux would not parse (the CLI reports FluxSyntaxError so)."""
    code = "FP001"
    template = "{0}"


# -- FP1xx types and names ------------------------------------------------------

class ConflictingParam(Diagnostic):
    """Two uses of one param that need different types; the first use wins."""
    code = "FP101"
    template = "params.{0} is used as {1} here but as {2} at {3}:{4} (the first use wins)"


class TypeMismatch(Diagnostic):
    """Any other type error libflux reports: ``expected int but found string``."""
    code = "FP102"
    template = "{0}"


class UndefinedIdentifier(Diagnostic):
    """An unknown function or variable; args: name, hint (``""`` or ``"; did you mean x?"``)."""
    code = "FP103"
    template = "undefined identifier {0}{1}"


class UnknownArgument(Diagnostic):
    """args: argument name, function description, hint."""
    code = "FP104"
    template = "unexpected argument {0} in call to {1}{2}"


class MissingArgument(Diagnostic):
    """args: argument name, function description."""
    code = "FP105"
    template = "missing required argument {0} in call to {1}"


class UnknownImport(Diagnostic):
    """args: the import path, hint."""
    code = "FP106"
    template = "unknown import \"{0}\"{1}"


# -- FP2xx params that fail only at invoke time --------------------------------

class ParamNotJsonCarriable(Diagnostic):
    """A param inferred as duration/time/uint: an invoke's JSON cannot carry it.

    args: name, type, the conversion to use (``duration(v: params.x)``), the JSON type to send.
    """
    code = "FP201"
    severity = "warning"
    template = ("params.{0} is inferred as {1}, which an invoke's JSON cannot carry; "
                "take a {3} param and convert it with {2}")


class RawParamInRange(Diagnostic):
    """``range(start: params.x)``: a JSON string such as "-7d" fails there at run time.

    args: name, argument name (start/stop).
    """
    code = "FP202"
    severity = "warning"
    template = ("params.{0} is passed raw to range({1}:); a JSON string such as \"-7d\" "
                "fails there at run time: use {1}: duration(v: params.{0}) or time(v: params.{0})")


class ParamsRebound(Diagnostic):
    """The script binds ``params`` itself, so it takes no invoke params."""
    code = "FP203"
    severity = "warning"
    template = "the script binds params itself, so invoke params cannot reach it"


ALL = (
    SyntaxErrorFinding, ConflictingParam, TypeMismatch, UndefinedIdentifier,
    UnknownArgument, MissingArgument, UnknownImport, ParamNotJsonCarriable,
    RawParamInRange, ParamsRebound,
)

BY_CODE = {cls.code: cls for cls in ALL}
