"""Which findings to report: --select/--ignore, ``[tool.fluxparams]`` and inline ignores.

Rules are chosen by code or code prefix (``FP2`` is every FP2xx rule). A finding
is reported when its code starts with some selected prefix and with no ignored
one. The command line replaces the same key of ``[tool.fluxparams]`` in the
nearest ``pyproject.toml`` above the current directory.

``fail-on`` is the exit-code policy: which reported findings make ``check`` exit 1.
The default, ``error``, reports warnings but lets a commit through, as most
linters do; ``warning`` fails on warnings too; ``never`` always exits 0.

A comment ``// fluxparams: ignore[FP101, FP2]`` (or a bare ``// fluxparams: ignore``)
silences findings that start on its line.
"""
from __future__ import annotations

import importlib
import os
import re
from types import ModuleType
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .diagnostics import BY_CODE, Diagnostic

DEFAULT_SELECT: Tuple[str, ...] = ("FP",)
FAIL_ON_CHOICES: Tuple[str, ...] = ("error", "warning", "never")
DEFAULT_FAIL_ON = "error"
_KNOWN_KEYS = ("select", "ignore", "fail-on")


class ConfigError(Exception):
    """A configuration the user must fix; the message says what and where."""


class Selection:
    def __init__(self, select: Sequence[str] = DEFAULT_SELECT, ignore: Sequence[str] = (),
                 source: Optional[str] = None, fail_on: str = DEFAULT_FAIL_ON) -> None:
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.source = source  # the pyproject.toml it came from, for messages
        self.fail_on = fail_on

    def wants(self, code: str) -> bool:
        return code.startswith(self.select) and not (self.ignore and code.startswith(self.ignore))

    def fails(self, severities: Iterable[str]) -> bool:
        """Whether findings of these severities make the run fail (exit 1)."""
        if self.fail_on == "never":
            return False
        if self.fail_on == "warning":
            return any(True for _ in severities)
        return any(severity == "error" for severity in severities)

    def __repr__(self) -> str:
        return (f"Selection(select={self.select!r}, ignore={self.ignore!r}, "
                f"source={self.source!r}, fail_on={self.fail_on!r})")


def parse_fail_on(value: object, where: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in FAIL_ON_CHOICES:
        raise ConfigError(f"{where}: expected one of {', '.join(FAIL_ON_CHOICES)}, got {value!r}")
    return value.strip().lower()


def parse_codes(value: object, where: str) -> Tuple[str, ...]:
    """A comma-separated string or a list of codes/prefixes -> validated, upper-cased prefixes."""
    items: Iterable[object]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        raise ConfigError(f"{where}: expected a list of rule codes, got {type(value).__name__}")
    codes = []
    for item in items:
        if not isinstance(item, str):
            raise ConfigError(f"{where}: expected a rule code, got {item!r}")
        code = item.strip().upper()
        if not code:
            continue
        if not any(known.startswith(code) for known in BY_CODE):
            raise ConfigError(f"{where}: unknown rule code or prefix {item.strip()!r} "
                              f"(known: {', '.join(sorted(BY_CODE))})")
        codes.append(code)
    return tuple(codes)


def find_pyproject(start: Optional[str] = None) -> Optional[str]:
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load(start: Optional[str] = None, select: Optional[str] = None,
         ignore: Optional[str] = None, fail_on: Optional[str] = None) -> Selection:
    """The selection for a run: the nearest pyproject.toml, then the command-line values."""
    table: Dict[str, object] = {}
    path = find_pyproject(start)
    if path is not None:
        table = _read_table(path)
    where = f"{path} [tool.fluxparams]"
    chosen_select = DEFAULT_SELECT
    chosen_ignore: Tuple[str, ...] = ()
    if "select" in table:
        chosen_select = parse_codes(table["select"], f"{where} select")
    if "ignore" in table:
        chosen_ignore = parse_codes(table["ignore"], f"{where} ignore")
    if select is not None:
        chosen_select = parse_codes(select, "--select")
    if ignore is not None:
        chosen_ignore = parse_codes(ignore, "--ignore")
    chosen_fail_on = DEFAULT_FAIL_ON
    if "fail-on" in table:
        chosen_fail_on = parse_fail_on(table["fail-on"], f"{where} fail-on")
    if fail_on is not None:
        chosen_fail_on = parse_fail_on(fail_on, "--fail-on")
    return Selection(chosen_select, chosen_ignore, path if table else None, chosen_fail_on)


def _read_table(path: str) -> Dict[str, object]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    # Most pyproject.toml files say nothing about us: skip the TOML import (start-up time).
    if b"fluxparams" not in raw:
        return {}
    toml = _toml_module()
    try:
        document = toml.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except toml.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    tool = document.get("tool", {})
    table = tool.get("fluxparams", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.fluxparams] must be a table")
    unknown = sorted(set(table) - set(_KNOWN_KEYS))
    if unknown:
        raise ConfigError(f"{path} [tool.fluxparams]: unknown key {unknown[0]!r} "
                          f"(known: {', '.join(_KNOWN_KEYS)})")
    return table


def _toml_module() -> ModuleType:
    # by name: which of the two exists depends on the Python version
    try:
        return importlib.import_module("tomllib")  # Python 3.11+
    except ImportError:
        pass
    try:
        return importlib.import_module("tomli")
    except ImportError:
        raise ConfigError("reading [tool.fluxparams] from pyproject.toml needs Python 3.11+ "
                          "or the 'tomli' package (pip install tomli)") from None


# -- inline ignores -------------------------------------------------------------

_INLINE = re.compile(r"//.*?\bfluxparams:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)


def inline_ignores(source: str) -> Dict[int, Optional[Tuple[str, ...]]]:
    """line -> codes/prefixes silenced on it (None: every code)."""
    found: Dict[int, Optional[Tuple[str, ...]]] = {}
    if "fluxparams" not in source:
        return found
    # Lines as Flux counts them: "\n" only (str.splitlines also splits on \f, \u2028...).
    for number, text in enumerate(source.split("\n"), start=1):
        match = _INLINE.search(text)
        if match is None:
            continue
        if match.group(1) is None:
            found[number] = None
        else:
            # ignore[] names nothing, so it silences nothing.
            found[number] = tuple(c.strip().upper() for c in match.group(1).split(",") if c.strip())
    return found


def is_silenced(code: str, line: int, ignores: Dict[int, Optional[Tuple[str, ...]]]) -> bool:
    if line not in ignores:
        return False
    codes = ignores[line]
    return codes is None or code.startswith(codes)


def filter_findings(findings: List[Diagnostic], selection: Selection,
                    source: Optional[str]) -> List[Diagnostic]:
    ignores = inline_ignores(source) if source else {}
    return [d for d in findings
            if selection.wants(d.code) and not is_silenced(d.code, d.line, ignores)]
