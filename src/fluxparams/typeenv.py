"""The type environment of one file's inference: scopes, packages and their free variables.

A name is bound to a :class:`~fluxparams.typeterms.Scheme` or to a :class:`Package` (an
import). Lookups go through the scopes, innermost first, then the prelude. An undefined
identifier gets one type variable for the whole file, shared by every use.

Generalisation must know which variables are free in the environment: those reached from
the enclosing function parameters (``monos``) and from the undefined identifiers. Those
sets are kept current from the unifier's log of bindings instead of being recomputed per
statement, which was quadratic in a script that reads many params.
"""
from __future__ import annotations

from collections import ChainMap
from typing import Dict, Iterable, List, Mapping, Optional, Set, Union

from . import stdlib
from . import typeterms as T
from .unify import Unifier


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean x?"`` for the candidate nearest ``name``, or ``""``."""
    import difflib  # only for an error message: not loaded on every start

    match = difflib.get_close_matches(name, list(candidates), n=1)
    return f"; did you mean {match[0]}?" if match else ""


class Package:
    """An imported package bound to a name: ``values`` None for the stdlib package ``path``."""
    __slots__ = ("path", "values")

    def __init__(self, path: str, values: Optional[Dict[str, T.Scheme]] = None) -> None:
        self.path = path
        self.values = values


Entry = Union[T.Scheme, Package]  # what a name is bound to


class TypeEnvironment:
    """Scopes (the base environment, the file, then blocks and functions) and free variables."""

    def __init__(self, unifier: Unifier, env: Optional[Dict[str, T.Scheme]] = None,
                 packages: Optional[Dict[str, Dict[str, T.Scheme]]] = None) -> None:
        self.u = unifier
        self.base: Dict[str, Entry] = dict(env or {})
        self.extra_packages = packages or {}
        self.scopes: List[Dict[str, Entry]] = [self.base, {}]
        self.monos: List[T.Type] = []  # the enclosing function parameters' types
        self.undefined: Dict[str, T.Var] = {}
        # the free variables the undefined identifiers' types reach
        self.undefined_free: Dict[int, T.Var] = {}
        # the same for ``monos``, valid while ``monos`` is ``mono_stack``
        self.mono_free: Dict[int, T.Var] = {}
        self.mono_stack: List[T.Type] = []
        unifier.bound_log = []

    def lookup(self, name: str) -> Optional[Entry]:
        for scope in reversed(self.scopes):
            entry = scope.get(name)
            if entry is not None:
                return entry
        where = stdlib.prelude().get(name)
        if where is not None:
            return stdlib.value_scheme(*where)
        return None

    def names_in_scope(self) -> Set[str]:
        names = set(stdlib.prelude())
        for scope in self.scopes:
            names.update(scope)
        return names

    def undefined_hint(self, name: str) -> str:
        """The hint of an undefined identifier: the import it lacks, or the nearest name."""
        # `regexp.compile(...)` without `import "regexp"` is the usual slip: name the import
        # rather than the nearest spelling in scope.
        paths = sorted(p for p in stdlib.packages() if p.rsplit("/", 1)[-1] == name)
        if paths:
            return "; did you mean to " + " or ".join(f'import "{p}"' for p in paths[:3]) + "?"
        return did_you_mean(name, self.names_in_scope())

    def import_hint(self, path: str) -> str:
        """The hint of an unknown import path: the nearest known path."""
        known = list(stdlib.packages()) + list(self.extra_packages)
        import difflib

        match = difflib.get_close_matches(path, known, n=1)
        return f'; did you mean "{match[0]}"?' if match else ""

    def bind(self, name: str, scheme: Entry) -> None:
        self.scopes[-1][name] = scheme

    def undefined_var(self, name: str) -> T.Var:
        """The one variable of an undefined identifier."""
        v = self.undefined.get(name)
        if v is None:
            v = self.undefined[name] = self.u.fresh()
            self.undefined_free[v.id] = v
        return v

    def env_free(self) -> Mapping[int, T.Var]:
        """Free variables of the environment: what the enclosing function parameters and the
        undefined identifiers reach (every other binding is a closed scheme or only reaches
        those)."""
        monos, stack = self.monos, self.mono_stack
        current = len(monos) == len(stack) and all(a is b for a, b in zip(monos, stack))
        if not current:  # entered or left a function since the last call
            self.mono_free = {}
            for t in monos:
                T.free_vars(t, self.mono_free)
            self.mono_stack = list(monos)
        mono_free, undefined_free = self.mono_free, self.undefined_free
        log = self.u.bound_log
        if log:
            # a reachable variable bound since the last call now stands for what it is bound to
            for v in log:
                if v.id in undefined_free:
                    del undefined_free[v.id]
                    T.free_vars(v, undefined_free)
                if current and v.id in mono_free:
                    del mono_free[v.id]
                    T.free_vars(v, mono_free)
            log.clear()
        return ChainMap(mono_free, undefined_free)  # not merged: that would copy every param's variable

    def env_free_for_defaults(self) -> Dict[int, T.Var]:
        # libflux's temporary_generalize looks at the environment only, not at the
        # undefined identifiers.
        fv: Dict[int, T.Var] = {}
        for t in self.monos:
            T.free_vars(t, fv)
        return fv
