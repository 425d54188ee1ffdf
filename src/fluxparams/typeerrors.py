"""Unification failures and their text, word for word as libflux's ``types.rs`` ``Error``.

The unifier collects :class:`UnificationError` values rather than raising them
(libflux keeps inferring after an error, and so must we); the class is still an
exception so a caller that wants one failure can raise it. The message is
rendered when asked, so it shows the types as inference left them.
"""
from __future__ import annotations

from typing import Optional, Sequence

from .tree import Loc
from .typeprint import Names, format_type, name_for_message, type_info
from .typeterms import Type

# libflux's Error variants, by the tag used here
TAGS = (
    "unify", "kind", "occurs", "missing_label", "extra_label", "label", "missing_argument",
    "extra_argument", "argument", "return", "missing_pipe", "multiple_pipe",
)


class UnificationError(Exception):
    """One unification failure.

    ``tag`` is the libflux variant (see :data:`TAGS`); ``expected``/``actual`` the two
    types of a mismatch (or the variable and the type of a recursive one); ``kind`` the
    kind a type lacks; ``name`` the label or argument concerned; ``candidates`` the
    parameters an unexpected argument might have meant; ``found`` the pipe name of the
    call; ``cause`` the inner failure of a label, argument or return mismatch; ``loc``
    set when a nested unification knows the better position (an argument's).
    """

    def __init__(self, tag: str, expected: Optional[Type] = None, actual: Optional[Type] = None, *,
                 kind: str = "", name: str = "", candidates: Sequence[str] = (), found: str = "",
                 cause: Optional[UnificationError] = None, loc: Optional[Loc] = None) -> None:
        super().__init__(tag)
        if tag not in TAGS:
            raise ValueError(f"unknown unification error {tag!r}")
        self.tag = tag
        self.expected = expected
        self.actual = actual
        self.kind = kind
        self.name = name
        self.candidates = tuple(candidates)
        self.found = found
        self.cause = cause
        self.loc = loc

    def innermost(self) -> UnificationError:
        e = self
        while e.cause is not None:
            e = e.cause
        return e

    @property
    def message(self) -> str:
        tag = self.tag
        if tag == "unify":
            return self._expected_found()
        if tag == "kind":
            act = self._side(self.actual)
            names: Names = {}
            name_for_message(act, names)
            return f"{format_type(act, names, True)}{type_info(act)} is not {self.kind}"
        if tag == "occurs":
            return (f"recursive types not supported {format_type(self._side(self.expected), {})} "
                    f"!= {format_type(self._side(self.actual), {})}")
        if tag == "missing_label":
            return f"record is missing label {self.name}"
        if tag == "extra_label":
            return f"found unexpected label {self.name}"
        if tag == "label":
            return f"{self._expected_found()} for label {self.name} caused by {self._cause_message()}"
        if tag == "missing_argument":
            return f"missing required argument {self.name}"
        if tag == "extra_argument":
            return f"found unexpected argument {self.name}{self._candidates_hint()}"
        if tag == "argument":
            return f"{self._cause_message()} (argument {self.name})"
        if tag == "return":
            return f"{self._expected_found()} for return type caused by {self._cause_message()}"
        if tag == "missing_pipe":
            return "missing pipe argument"
        return f"expected pipe argument {self.name} but found {self.found}"  # multiple_pipe

    def __str__(self) -> str:
        return self.message

    def _side(self, t: Optional[Type]) -> Type:
        if t is None:  # pragma: no cover - every tag that prints a type sets both sides
            raise ValueError(f"{self.tag} error without its types")
        return t

    def _cause_message(self) -> str:
        return self.cause.message if self.cause is not None else ""

    def _candidates_hint(self) -> str:
        expected = self.candidates
        if len(expected) == 1:
            return f" (Expected `{expected[0]}`)"
        if expected:
            listed = ", ".join(f"`{e}`" for e in expected[:-1])
            return f" (Expected one of {listed} or `{expected[-1]}`)"
        return ""

    def _expected_found(self) -> str:
        # both sides share one naming of variables, as libflux's messages do
        exp, act = self._side(self.expected), self._side(self.actual)
        names: Names = {}
        name_for_message(exp, names)
        name_for_message(act, names)
        return (f"expected {format_type(exp, names, True)}{type_info(exp)} "
                f"but found {format_type(act, names, True)}{type_info(act)}")

    def __repr__(self) -> str:
        return f"<UnificationError {self.message}>"
