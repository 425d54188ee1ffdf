"""fluxparams: the params a Flux script uses, with libflux's types, offline.

The public API is a handful of functions::

    parse(source) -> tree.File             the syntax tree (raises FluxSyntaxError)
    analyze(script) -> Analysis            what GET /api/v2/scripts/{id}/params answers, and more
    find_params(script) -> set[str]        only the names

Pipeline: grammar/flux.lark -> syntax (tree) -> types -> infer -> diagnostics -> api / cli / service.
"""
from .syntax import FluxSyntaxError, parse
from .api import Analysis, Reference, analyze, find_params

__all__ = ["parse", "analyze", "find_params", "Analysis", "Reference", "FluxSyntaxError"]
__version__ = "0.1.0"
