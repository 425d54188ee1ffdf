"""fluxparams: the params a Flux script uses, with libflux's types, offline.

The public API is a handful of functions::

    parse(source) -> tree.File             the syntax tree (raises FluxSyntaxError)
    format(source) -> str                  libflux's formatter output (raises FluxSyntaxError)
    analyze(script) -> Analysis            what GET /api/v2/scripts/{id}/params answers, and more
    find_params(script) -> set[str]        only the names

Pipeline: grammar/flux.lark -> syntax (tree) -> typeterms/unify (types) -> infer -> diagnostics
-> api / cli / service; ARCHITECTURE.md walks through it.
"""
import sys as _sys
from types import ModuleType as _ModuleType
from typing import TYPE_CHECKING, List

# The one place the version is written: pyproject.toml reads it from here (hatch dynamic version).
__version__ = "0.1.0"
__all__ = ["parse", "format", "analyze", "find_params", "Analysis", "Reference",
           "FluxSyntaxError"]

# Resolved on first use (PEP 562): ``fluxparams --version``/``--help`` and the service's start
# need not load the parser and the inference engine.
_HOMES = {
    "parse": "syntax", "FluxSyntaxError": "syntax",
    "analyze": "api", "find_params": "api", "Analysis": "api", "Reference": "api",
}

_HOMES["format"] = "format"

if TYPE_CHECKING:  # pragma: no cover
    from .api import Analysis, Reference, analyze, find_params
    from .format import format
    from .syntax import FluxSyntaxError, parse


class _Package(_ModuleType):
    """The package, where ``format`` always names the function, never its submodule.

    ``format`` is loaded on first use like the rest (its module is a fifth of the start-up
    of ``fluxparams check``), but the import system sets ``fluxparams.format`` to the
    submodule whenever something imports ``fluxparams.format`` first (``fmt`` does); this
    keeps the function there instead, as an eager ``from .format import format`` would.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "format" and isinstance(value, _ModuleType):
            value = getattr(value, "format", value)
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


# ``object``, not ``Any``: a misspelt attribute is then a type error in a user's code, while the
# exported names keep their real types through the TYPE_CHECKING imports above.
def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'fluxparams' has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(list(globals()) + __all__)
