"""What can be wrong with a script: one class per finding, with a stable code.

A finding is an instance of a :class:`Diagnostic` subclass. The class carries
the code and the default severity, and its docstring is the rule's
documentation (``docs/rules.md`` is generated from these docstrings by
``scripts/build_rules_doc.py``); the instance carries named fields and the
position (1-based, end exclusive). Codes are stable: users select, ignore and
suppress them (``// fluxparams: ignore[FP101]``).

    FP0xx  syntax
    FP1xx  types and names (what libflux itself reports)
    FP2xx  params mistakes that only fail when a script is invoked

A finding that stands for one of libflux's own errors also carries that error,
position and text as libflux prints them, in :attr:`Diagnostic.libflux`.
"""
from __future__ import annotations

from typing import Any, Dict, NamedTuple, Optional, Tuple, Type

from .tree import Loc

__all__ = [
    "ALL", "BY_CODE", "ConflictingParam", "DashboardVariable", "Diagnostic", "LibfluxError",
    "MissingArgument",
    "ParamNotJsonCarriable", "ParamsRebound", "RawParamInRange", "SyntaxErrorFinding",
    "TypeMismatch", "UndefinedIdentifier", "UnknownArgument", "UnknownImport",
]


class LibfluxError(NamedTuple):
    """One error as libflux reports it: ``str()`` gives ``line:col-line:col: message``."""
    loc: Loc
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"


class Diagnostic:
    """Base of every finding (not itself a rule)."""

    code = "FP000"
    severity = "error"  # "error" | "warning"

    __slots__ = ("line", "column", "end_line", "end_column", "libflux")

    def __init__(self, loc: Loc) -> None:
        self.line = loc.line
        self.column = loc.column
        self.end_line = loc.end_line
        self.end_column = loc.end_column
        # libflux's own error behind an FP1xx finding (None for the others)
        self.libflux: Optional[LibfluxError] = None

    @property
    def loc(self) -> Loc:
        return Loc(self.line, self.column, self.end_line, self.end_column)

    @property
    def message(self) -> str:
        raise NotImplementedError  # pragma: no cover - every rule defines its message

    def fields(self) -> Dict[str, Any]:
        """The rule's own named fields and their values."""
        return {name: getattr(self, name) for name in type(self).__slots__}

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

    def sort_key(self) -> Tuple[int, int, str]:
        return (self.line, self.column, self.code)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic) or type(self) is not type(other):
            return False
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.code, self.line, self.column, self.message))

    def __repr__(self) -> str:
        return f"<{self.code} {self.line}:{self.column} {self.message}>"


# -- FP0xx syntax -------------------------------------------------------------

class SyntaxErrorFinding(Diagnostic):
    """A script that does not parse.

    **What**: the text is not a Flux program as libflux's parser reads it (or the file is
    not UTF-8). The message says what was expected where.

    **Why**: nothing else can be checked, and InfluxDB refuses to save or run the script.

    **How to fix**: correct the syntax at the position given. For the mistakes people
    coming from other languages make (`&&` for `and`, `=` for `==`, positional arguments, a
    missing comma, a byte order mark), `hint` says what Flux writes instead.

    **Example** (the call is never closed)::

        from(bucket: "b"
    """
    code = "FP001"
    __slots__ = ("text", "hint")

    def __init__(self, loc: Loc, text: str, hint: str = "") -> None:
        super().__init__(loc)
        self.text = text
        self.hint = hint  # "" or what to write instead; the message stays the parser's own

    @property
    def message(self) -> str:
        return self.text

    def to_dict(self) -> Dict[str, Any]:
        found = super().to_dict()
        if self.hint:
            found["hint"] = self.hint
        return found


# -- FP1xx types and names ------------------------------------------------------

class ConflictingParam(Diagnostic):
    """Two uses of one param that need different types.

    **What**: `params.x` is used where one type is needed and, elsewhere, where another is.
    The first use decides the param's type (as libflux does); the finding is reported at
    the later, conflicting use and names the first.

    **Why**: a param has exactly one type, so no value can satisfy both uses; InfluxDB
    refuses to run the script whatever is sent.

    **How to fix**: use the param consistently, or convert explicitly
    (`string(v: params.x)`, `int(v: params.x)`) where the other type is needed.

    **Example** (`n` is an int at the first use, a string at the second)::

        import "strings"
        a = params.n + 1
        b = strings.toUpper(v: params.n)
    """
    code = "FP101"
    __slots__ = ("name", "here", "first_type", "first_line", "first_column")

    def __init__(self, loc: Loc, name: str, here: str, first_type: str,
                 first_line: int, first_column: int) -> None:
        super().__init__(loc)
        self.name = name
        self.here = here
        self.first_type = first_type
        self.first_line = first_line
        self.first_column = first_column

    @property
    def message(self) -> str:
        return (f"params.{self.name} is used as {self.here} here but as {self.first_type} "
                f"at {self.first_line}:{self.first_column} (the first use wins)")


class TypeMismatch(Diagnostic):
    """Any other type error libflux reports.

    **What**: an expression whose type does not fit where it is used; the message is
    libflux's own (`expected int but found string`, `string is not Addable`, ...).

    **Why**: InfluxDB type-checks a script before running it and refuses it with this error.

    **How to fix**: make the types agree (a conversion function, the right literal, the
    right field), as the message says.

    **Example** (`expected int but found string`)::

        x = 1 + "a"
    """
    code = "FP102"
    __slots__ = ("text",)

    def __init__(self, loc: Loc, text: str) -> None:
        super().__init__(loc)
        self.text = text

    @property
    def message(self) -> str:
        return self.text


class UndefinedIdentifier(Diagnostic):
    """An unknown function or variable.

    **What**: a name that is neither defined in the script, nor in the prelude, nor imported.
    `hint` suggests the nearest name in scope or the import that provides it.

    **Why**: libflux refuses the script (`undefined identifier x`).

    **How to fix**: correct the spelling, define the name, or add the missing `import`.

    **Example** (`regexp` is used without its import)::

        r = regexp.compile(v: params.re)
    """
    code = "FP103"
    __slots__ = ("name", "hint")

    def __init__(self, loc: Loc, name: str, hint: str = "") -> None:
        super().__init__(loc)
        self.name = name
        self.hint = hint  # "" or "; did you mean x?"

    @property
    def message(self) -> str:
        return f"undefined identifier {self.name}{self.hint}"


class UnknownArgument(Diagnostic):
    """A call with an argument the function does not take.

    **What**: `argument` is not a parameter of `function`; `hint` suggests the nearest one.

    **Why**: libflux refuses the call (`found unexpected argument ...`).

    **How to fix**: correct the argument's name or remove it.

    **Example** (did you mean `start`?)::

        from(bucket: "b") |> range(start: -1h, stpo: params.stop)
    """
    code = "FP104"
    __slots__ = ("argument", "function", "hint")

    def __init__(self, loc: Loc, argument: str, function: str, hint: str = "") -> None:
        super().__init__(loc)
        self.argument = argument
        self.function = function
        self.hint = hint

    @property
    def message(self) -> str:
        return f"unexpected argument {self.argument} in call to {self.function}{self.hint}"


class MissingArgument(Diagnostic):
    """A call without a required argument.

    **What**: `function` requires `argument` and the call does not supply it.

    **Why**: libflux refuses the call (`missing required argument ...`).

    **How to fix**: pass the argument.

    **Example** (`range` needs `start`)::

        from(bucket: "b") |> range(stop: now())
    """
    code = "FP105"
    __slots__ = ("argument", "function")

    def __init__(self, loc: Loc, argument: str, function: str) -> None:
        super().__init__(loc)
        self.argument = argument
        self.function = function

    @property
    def message(self) -> str:
        return f"missing required argument {self.argument} in call to {self.function}"


class UnknownImport(Diagnostic):
    """An import of a package that does not exist.

    **What**: `path` is not a package of the Flux standard library (at the oracle's
    version); `hint` suggests the nearest path.

    **Why**: libflux refuses the script (`invalid import path ...`).

    **How to fix**: correct the path.

    **Example** (did you mean `"strings"`?)::

        import "string"
    """
    code = "FP106"
    __slots__ = ("path", "hint")

    def __init__(self, loc: Loc, path: str, hint: str = "") -> None:
        super().__init__(loc)
        self.path = path
        self.hint = hint

    @property
    def message(self) -> str:
        return f"unknown import \"{self.path}\"{self.hint}"


class DashboardVariable(Diagnostic):
    """A dashboard variable (`v.timeRangeStart`, `v.windowPeriod`, `v.bucket`...) in a script.

    **What**: `v.name` where the script defines no `v`. The InfluxDB UI defines `v` for
    dashboard cells and the Data Explorer (the time range picker, the window period,
    dashboard variables); a script run on its own, such as an invokable script, has no `v`.
    libflux reports it as `undefined identifier v`.

    **Why**: InfluxDB refuses the script: `v` is undefined outside the UI.

    **How to fix**: take the value as an invoke param: `params.name` for `v.name`.
    `fluxparams check --fix` does that rewrite and reports each change; then convert the
    params a JSON body cannot carry as they are (FP201, FP202), e.g.
    `range(start: time(v: params.timeRangeStart))`.

    **Example** (a dashboard cell pasted as a script)::

        from(bucket: v.bucket)
            |> range(start: v.timeRangeStart, stop: v.timeRangeStop)
    """
    code = "FP107"
    __slots__ = ("name", "param")

    def __init__(self, loc: Loc, name: str) -> None:
        super().__init__(loc)
        self.name = name  # the variable: "timeRangeStart" for v.timeRangeStart
        self.param = f"params.{name}"  # what --fix writes instead

    @property
    def message(self) -> str:
        return (f"v.{self.name} is an InfluxDB dashboard variable, defined only in the UI "
                f"(undefined identifier v); in an invokable script pass it as a param: "
                f"{self.param} (fluxparams check --fix rewrites it)")


# -- FP2xx params that fail only at invoke time --------------------------------

class ParamNotJsonCarriable(Diagnostic):
    """A param whose type an invoke's JSON cannot carry.

    **What**: `params.name` is inferred as duration, time or uint; the JSON body of an
    invoke carries only strings, numbers and booleans.

    **Why**: the script type-checks, but every invoke fails: no JSON value has that type.

    **How to fix**: take a param of the JSON type (`json_type`) and convert it in the
    script with `conversion`.

    **Example** (`every` is a duration; send `"5m"` and write `duration(v: params.every)`)::

        from(bucket: "b")
            |> range(start: -1h)
            |> aggregateWindow(every: params.every, fn: mean)
    """
    code = "FP201"
    severity = "warning"
    __slots__ = ("name", "type", "conversion", "json_type")

    def __init__(self, loc: Loc, name: str, type: str, conversion: str, json_type: str) -> None:
        super().__init__(loc)
        self.name = name
        self.type = type
        self.conversion = conversion  # e.g. "duration(v: params.x)"
        self.json_type = json_type

    @property
    def message(self) -> str:
        return (f"params.{self.name} is inferred as {self.type}, which an invoke's JSON cannot carry; "
                f"take a {self.json_type} param and convert it with {self.conversion}")


class RawParamInRange(Diagnostic):
    """A param passed unconverted to `range(start:)` or `range(stop:)`.

    **What**: `range` takes a duration or a time there; the param is left to whatever the
    invoke sends.

    **Why**: a JSON string such as `"-7d"` is a string, not a duration, and fails there at
    run time.

    **How to fix**: convert explicitly: `start: duration(v: params.x)` or
    `time(v: params.x)`.

    **Example**::

        from(bucket: "b") |> range(start: params.since)
    """
    code = "FP202"
    severity = "warning"
    __slots__ = ("name", "argument")

    def __init__(self, loc: Loc, name: str, argument: str) -> None:
        super().__init__(loc)
        self.name = name
        self.argument = argument  # "start" or "stop"

    @property
    def message(self) -> str:
        return (f"params.{self.name} is passed raw to range({self.argument}:); a JSON string such as "
                f"\"-7d\" fails there at run time: use {self.argument}: duration(v: params.{self.name}) "
                f"or time(v: params.{self.name})")


class ParamsRebound(Diagnostic):
    """The script binds `params` itself.

    **What**: a top-level `params = ...`, `option params = ...` or `import ... as params`.

    **Why**: the script's own `params` hides the invoke params, so none can reach it; the
    script reports no params.

    **How to fix**: rename the script's own binding.

    **Example**::

        params = {bucket: "b"}
        from(bucket: params.bucket)
    """
    code = "FP203"
    severity = "warning"
    __slots__ = ()

    @property
    def message(self) -> str:
        return "the script binds params itself, so invoke params cannot reach it"


ALL: Tuple[Type[Diagnostic], ...] = (
    SyntaxErrorFinding, ConflictingParam, TypeMismatch, UndefinedIdentifier,
    UnknownArgument, MissingArgument, UnknownImport, DashboardVariable, ParamNotJsonCarriable,
    RawParamInRange, ParamsRebound,
)

BY_CODE: Dict[str, Type[Diagnostic]] = {cls.code: cls for cls in ALL}
