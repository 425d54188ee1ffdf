"""The ``fluxparams`` command: ``check`` and ``analyze`` here; ``serve`` and ``token`` in service/.

A pre-commit run starts this command once per batch of files, so start-up time
matters: modules beyond the analyzer itself (json, the TOML reader, the
service) are imported only by the paths that need them.

Exit codes: 0 clean, 1 findings (check) or a script that does not parse
(analyze), 2 usage, configuration or I/O errors.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple

if TYPE_CHECKING:  # imported where used, for start-up time
    import argparse

    from .config import Selection
    from .diagnostics import Diagnostic
    from .syntax import FluxSyntaxError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

_SERVICE_COMMANDS = ("serve", "token")
_SERVE_EXTRA = "fluxparams serve needs the 'serve' extra: pip install 'fluxparams[serve]'"


def main(argv: Optional[List[str]] = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    argv = list(argv)
    if argv and argv[0] in _SERVICE_COMMANDS:
        return _run_service(argv)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 for --help/--version
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    if args.command is None:
        parser.print_usage(sys.stderr)
        sys.stderr.write("fluxparams: error: a command is required (check, analyze, serve, token)\n")
        return EXIT_ERROR
    try:
        if args.command == "check":
            return _check(args)
        return _analyze(args)
    except BrokenPipeError:  # `fluxparams check . | head`
        _silence_stdout()
        return EXIT_ERROR


def _run_service(argv: List[str]) -> int:
    try:
        from .service.command import main as service_main
        return service_main(argv)
    except ImportError as error:
        missing = (error.name or "").split(".")[0]
        if missing in ("starlette", "uvicorn"):
            sys.stderr.write(_SERVE_EXTRA + "\n")
            return EXIT_ERROR
        if missing == "fluxparams" and error.name and error.name.startswith("fluxparams.service"):
            sys.stderr.write(f"fluxparams {argv[0]}: the service is not available in this "
                             f"installation ({error})\n")
            return EXIT_ERROR
        raise


def _parser() -> argparse.ArgumentParser:
    import argparse

    from . import __version__

    parser = argparse.ArgumentParser(
        prog="fluxparams",
        description="Offline static analysis of the params a Flux script uses.",
        epilog="Exit codes: 0 clean, 1 findings or a script that does not parse, "
               "2 usage, configuration or I/O error.",
    )
    parser.add_argument("--version", action="version", version=f"fluxparams {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     title="commands")

    check = commands.add_parser(
        "check", help="report type errors and params mistakes in Flux files",
        description="Report syntax errors (FP001), type and name errors (FP1xx) and params "
                    "mistakes that fail only on invoke (FP2xx). Directories are searched "
                    "recursively for *.flux files. Warnings count as findings too.",
        epilog="Exit codes: 0 nothing found, 1 findings, 2 usage, configuration or I/O error.")
    check.add_argument("paths", nargs="+", metavar="FILE",
                       help="Flux files or directories ('-' reads standard input)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (default): path:line:col: CODE message; json: a JSON array; "
                            "github: GitHub Actions workflow commands")
    check.add_argument("--select", metavar="CODES",
                       help="comma-separated codes or prefixes to report (default: all, FP)")
    check.add_argument("--ignore", metavar="CODES",
                       help="comma-separated codes or prefixes not to report")

    analyze = commands.add_parser(
        "analyze", help="print the params a script uses, as GET /api/v2/scripts/{id}/params does",
        description="Print {\"params\": {name: type}} for one Flux script.",
        epilog="Exit codes: 0 analysed, 1 the script does not parse, 2 usage or I/O error.")
    analyze.add_argument("path", nargs="?", default="-", metavar="FILE",
                         help="the Flux script ('-' or nothing: standard input)")
    analyze.add_argument("--format", choices=("json", "json-full"), default="json",
                         help="json (default): the /params body; json-full: also references, "
                              "diagnostics and libflux's types")
    analyze.add_argument("--pretty", action="store_true", help="indent the JSON")

    commands.add_parser("serve", help="run the invokable-scripts HTTP API "
                                      "(needs the 'serve' extra)", add_help=False)
    commands.add_parser("token", help="manage API tokens for serve "
                                      "(needs the 'serve' extra)", add_help=False)
    return parser


# -- reading ----------------------------------------------------------------------

class _Unreadable(Exception):
    """An I/O problem with one input: reported, exit 2, the other inputs still run."""


class _NotUtf8(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _read(path: str) -> str:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise _Unreadable(f"{path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Flux source is UTF-8 (libflux reads a Rust str); point at the first bad byte.
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before) - before.rfind(b"\n")  # 1-based, in bytes as libflux counts
        raise _NotUtf8(line, column,
                       f"invalid UTF-8: byte 0x{data[error.start]:02x} ({error.reason})") from None


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path


def _expand(paths: Sequence[str], errors: List[str]) -> List[str]:
    """Files to check: named files as given, directories searched for *.flux (sorted)."""
    files: List[str] = []
    for path in paths:
        if path == "-":
            files.append(path)
        elif os.path.isdir(path):
            found: List[str] = []
            for root, dirs, names in os.walk(path):
                # Hidden directories (.git, .venv...) hold no scripts of the project.
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.extend(os.path.join(root, n) for n in names if n.endswith(".flux"))
            files.extend(sorted(found))
        elif os.path.exists(path):
            files.append(path)
        else:
            errors.append(f"{path}: No such file or directory")
    # A file named twice (or named and inside a named directory) is checked once.
    seen = set()
    unique = []
    for name in files:
        key = name if name == "-" else os.path.normpath(os.path.abspath(name))
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


# -- check ------------------------------------------------------------------------

class _Finding:
    """A diagnostic with the path it was found in; what every output format prints."""

    __slots__ = ("path", "code", "severity", "message", "line", "column", "end_line", "end_column")

    def __init__(self, path: str, code: str, severity: str, message: str,
                 line: int, column: int, end_line: int, end_column: int) -> None:
        self.path, self.code, self.severity, self.message = path, code, severity, message
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column

    @classmethod
    def of(cls, path: str, d: Diagnostic) -> _Finding:
        return cls(path, d.code, d.severity, d.message, d.line, d.column, d.end_line, d.end_column)

    def sort_key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> Dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def _findings_for(path: str, source: str, selection: Selection) -> List[_Finding]:
    from .api import analyze
    from .config import filter_findings
    from .syntax import FluxSyntaxError

    try:
        diagnostics = list(analyze(source).diagnostics)
    except FluxSyntaxError as error:
        diagnostics = [_syntax_diagnostic(error)]
    display = _display(path)
    return [_Finding.of(display, d) for d in filter_findings(diagnostics, selection, source)]


def _syntax_diagnostic(error: FluxSyntaxError) -> Diagnostic:
    from .diagnostics import SyntaxErrorFinding
    from .tree import Loc

    line = error.lineno or 1
    column = error.offset or 1
    end_line = error.end_lineno or line
    end_column = error.end_offset or column
    return SyntaxErrorFinding(Loc(line, column, end_line, end_column), error.msg)


def _check(args: argparse.Namespace) -> int:
    from .config import ConfigError, load

    try:
        selection = load(select=args.select, ignore=args.ignore)
    except ConfigError as error:
        sys.stderr.write(f"fluxparams: error: {error}\n")
        return EXIT_ERROR
    errors: List[str] = []
    findings: List[_Finding] = []
    for path in _expand(args.paths, errors):
        try:
            source = _read(path)
        except _Unreadable as error:
            errors.append(str(error))
            continue
        except _NotUtf8 as bad:
            from .diagnostics import SyntaxErrorFinding
            from .tree import Loc

            # Undecodable, so no inline ignore can apply; the selection still does.
            diag = SyntaxErrorFinding(Loc(bad.line, bad.column, bad.line, bad.column + 1),
                                      bad.message)
            if selection.wants(diag.code):
                findings.append(_Finding.of(_display(path), diag))
            continue
        try:
            findings.extend(_findings_for(path, source, selection))
        except RecursionError:
            errors.append(f"{_display(path)}: the script nests too deeply to analyse")
        except Exception as error:  # a bug in the analyzer must not hide the other files
            errors.append(f"{_display(path)}: internal error: {type(error).__name__}: {error} "
                          "(please report it)")
    findings.sort(key=_Finding.sort_key)
    _write_findings(findings, args.format)
    for message in errors:
        sys.stderr.write(f"fluxparams: error: {message}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_OK


def _write_findings(findings: List[_Finding], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        import json
        out.write(json.dumps([f.to_dict() for f in findings], indent=2) + "\n")
    elif fmt == "github":
        for f in findings:
            level = "warning" if f.severity == "warning" else "error"
            out.write(
                f"::{level} file={_gh_property(f.path)},line={f.line},col={f.column},"
                f"endLine={f.end_line},endColumn={f.end_column},title={_gh_property(f.code)}"
                f"::{_gh_data(f.message)}\n")
    else:
        for f in findings:
            out.write(f"{f.path}:{f.line}:{f.column}: {f.code} {_one_line(f.message)}\n")


def _one_line(text: str) -> str:
    # One finding, one line: tools (and pre-commit users) grep this output.
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _gh_data(text: str) -> str:
    # GitHub's workflow-command escaping (toolkit's escapeData / escapeProperty).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


# -- analyze ----------------------------------------------------------------------

def _analyze(args: argparse.Namespace) -> int:
    display = _display(args.path)
    if args.path != "-" and os.path.isdir(args.path):
        sys.stderr.write(f"fluxparams: error: {args.path}: is a directory (analyze takes one file)\n")
        return EXIT_ERROR
    try:
        source = _read(args.path)
    except _Unreadable as error:
        sys.stderr.write(f"fluxparams: error: {error}\n")
        return EXIT_ERROR
    except _NotUtf8 as bad:
        sys.stderr.write(f"{display}:{bad.line}:{bad.column}: FP001 {bad.message}\n")
        return EXIT_FINDINGS

    import json

    from .api import analyze
    from .syntax import FluxSyntaxError

    try:
        analysis = analyze(source)
    except FluxSyntaxError as error:
        sys.stderr.write(f"{display}:{error.lineno}:{error.offset}: FP001 {_one_line(error.msg)}\n")
        rendered = error.render(source)
        # render() starts with its own "line:col: error: msg" head; ours replaces it.
        head = f"{error.lineno}:{error.offset}: error: {error.msg}"
        if rendered.startswith(head):
            rendered = rendered[len(head):].lstrip("\n")
        if rendered:
            sys.stderr.write(rendered if rendered.endswith("\n") else rendered + "\n")
        return EXIT_FINDINGS
    except RecursionError:
        sys.stderr.write(f"fluxparams: error: {display}: the script nests too deeply to analyse\n")
        return EXIT_ERROR
    body: Dict[str, Any] = dict(analysis.to_dict())
    if args.format == "json-full":
        body = {
            "params": body["params"],
            "flux_types": dict(sorted(analysis.flux_types.items())),
            "references": [
                {"name": r.name, "type": r.type, "line": r.line, "column": r.column,
                 "end_line": r.end_line, "end_column": r.end_column}
                for r in analysis.references
            ],
            "diagnostics": [d.to_dict() for d in analysis.diagnostics],
        }
    text = json.dumps(body, sort_keys=True, indent=2 if args.pretty else None)
    sys.stdout.write(text + "\n")
    return EXIT_OK


def _silence_stdout() -> None:
    # Python would complain again while flushing stdout at exit.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
