"""The ``fluxparams`` command: ``check`` and ``analyze`` here; ``fmt`` in fmtcommand.py, ``serve``
and ``token`` in service/.

A pre-commit run starts this command once per batch of files, so start-up time
matters: modules beyond the analyzer itself (json, the TOML reader, the
service) are imported only by the paths that need them.

Exit codes: 0 clean, 1 findings that fail the run (check: errors, by default;
see ``--fail-on``) or a script that does not parse (analyze), 2 usage,
configuration or I/O errors.

Columns: JSON output keeps libflux's UTF-8 byte columns; the text and github
formats, read by people, editors and GitHub, count characters.
"""
from __future__ import annotations

import functools
import os
import sys
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple, Type

if TYPE_CHECKING:  # imported where used, for start-up time
    import argparse

    from .cache import Row
    from .config import Selection
    from .diagnostics import Diagnostic
    from .syntax import FluxSyntaxError

from . import output

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

_SERVICE_COMMANDS = ("serve", "token")
# the same words as service/command.py's, which reports a missing uvicorn when serve starts
_SERVE_EXTRA = "install the serve extra: pip install 'fluxparams[serve]'"


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
        sys.stderr.write("fluxparams: error: a command is required (check, analyze, fmt, serve, token)\n")
        return EXIT_ERROR
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "fmt":
            from .fmtcommand import run
            return run(args)
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
            sys.stderr.write(f"fluxparams: error: {error}; {_SERVE_EXTRA}\n")
            return EXIT_ERROR
        if missing == "fluxparams" and error.name and error.name.startswith("fluxparams.service"):
            sys.stderr.write(f"fluxparams {argv[0]}: the service is not available in this "
                             f"installation ({error})\n")
            return EXIT_ERROR
        raise


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _argument_parser_class()(
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
                    "recursively for *.flux files. Errors fail the run; warnings are reported "
                    "and fail it only with --fail-on warning.",
        epilog="Exit codes: 0 nothing that fails the run (see --fail-on), 1 findings that do, "
               "2 usage, configuration or I/O error.")
    check.add_argument("paths", nargs="+", metavar="FILE",
                       help="Flux files or directories ('-' reads standard input)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (default): path:line:col: CODE message; json: a JSON array; "
                            "github: GitHub Actions workflow commands")
    check.add_argument("--select", metavar="CODES",
                       help="comma-separated codes or prefixes to report (default: all, FP)")
    check.add_argument("--ignore", metavar="CODES",
                       help="comma-separated codes or prefixes not to report")
    check.add_argument("--fail-on", choices=("error", "warning", "never"), default=None,
                       help="which reported findings make the exit code 1: error (default: "
                            "warnings are shown but pass), warning (any finding), never "
                            "(always 0); also fail-on in [tool.fluxparams]")
    check.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N",
                       help="check files in at most N processes (default: every core)")
    check.add_argument("--no-cache", action="store_true",
                       help="neither read nor write the per-file result cache")
    check.add_argument("--fix", action="store_true",
                       help="rewrite dashboard variables (FP107: v.X) as params.X in the files, "
                            "report each change on stderr, then check the result")

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

    from .fmtcommand import add_parser as add_fmt_parser
    add_fmt_parser(commands)

    commands.add_parser("serve", help="run the invokable-scripts HTTP API "
                                      "(needs the 'serve' extra)", add_help=False)
    commands.add_parser("token", help="manage API tokens for serve", add_help=False)
    return parser


def _argument_parser_class() -> Type[argparse.ArgumentParser]:
    """ArgumentParser whose help formatter finds the terminal width itself.

    argparse's HelpFormatter imports shutil for the width (and shutil imports bz2, lzma,
    fnmatch): ~4 ms of every start, since add_argument makes a formatter. The subcommands'
    parsers are of the same class (add_subparsers uses ``type(parser)``).
    """
    import argparse

    class Formatter(argparse.HelpFormatter):
        def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                     width: Optional[int] = None) -> None:
            if width is None:
                width = _terminal_columns() - 2  # what argparse does with shutil's answer
            super().__init__(prog, indent_increment, max_help_position, width)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", Formatter)
            super().__init__(*args, **kwargs)

    return Parser


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        stream = sys.__stdout__
        try:
            columns = os.get_terminal_size(stream.fileno()).columns if stream is not None else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def _jobs(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes >= 1, got {text!r}")
    return value


# -- reading ----------------------------------------------------------------------

class _Unreadable(Exception):
    """An I/O problem with one input: reported, exit 2, the other inputs still run."""


class _NotUtf8(Exception):
    def __init__(self, line: int, column: int, char_column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message
        self.char_column = char_column


def _read(path: str) -> str:
    return _decode(_read_bytes(path))


def _read_bytes(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise _Unreadable(f"{path}: {error.strerror or error}") from None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Flux source is UTF-8 (libflux reads a Rust str); point at the first bad byte.
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = len(before) - before.rfind(b"\n")  # 1-based, in bytes as libflux counts
        # everything before the bad byte decoded, so this count is exact
        char_column = len(before[before.rfind(b"\n") + 1:].decode("utf-8")) + 1
        raise _NotUtf8(line, column, char_column,
                       f"invalid UTF-8: byte 0x{data[error.start]:02x} ({error.reason})") from None


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else path


def expand_paths(paths: Sequence[str], errors: List[str]) -> List[str]:
    """Files to check (or format): named files as given, directories searched for *.flux (sorted)."""
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

def _findings_for(path: str, source: str, selection: Selection) -> List[output.Finding]:
    from .api import analyze
    from .config import filter_findings
    from .syntax import FluxSyntaxError

    try:
        diagnostics = list(analyze(source).diagnostics)
    except FluxSyntaxError as error:
        diagnostics = [_syntax_diagnostic(error)]
    display = _display(path)
    kept = filter_findings(diagnostics, selection, source)
    # Lines as Flux counts them ("\n" only); only needed when a column has to be converted.
    lines = source.encode("utf-8").split(b"\n") if not source.isascii() else None
    return [output.Finding.of(display, d, lines) for d in kept]


def _fix(path: str, source: str, selection: Selection) -> str:
    """Rewrite the file's FP107 ``v.X`` as ``params.X`` when that is safe; the text to check.

    Safe means: after the rewrite every changed site reads an invoke param (inference
    says so, so a local ``params`` binding rules the fix out) and the script still
    parses. Otherwise the file is left as it is and the reason is reported.
    """
    from .api import analyze
    from .config import filter_findings
    from .lints import fix_dashboard_variables
    from .syntax import FluxSyntaxError

    try:
        analysis = analyze(source)
    except FluxSyntaxError:
        return source  # FP001 is reported by the check itself
    wanted = filter_findings(list(analysis.diagnostics), selection, source)
    fixed, fixes = fix_dashboard_variables(source, wanted)
    if not fixes:
        return source
    display = _display(path)
    try:
        reads = {(r.name, r.line, r.column) for r in analyze(fixed).references}
    except FluxSyntaxError:  # pragma: no cover - replacing an identifier keeps the syntax
        reads = set()
    unsafe = [f for f in fixes if (f.finding.fields()["name"], f.line, f.column) not in reads]
    if unsafe:
        first = unsafe[0].finding
        sys.stderr.write(f"{display}:{first.line}:{first.column}: not fixed: "
                         f"params.{first.fields()['name']} would not read an invoke param there "
                         "(the script binds params itself)\n")
        return source
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(fixed)
    except OSError as error:
        raise _Unreadable(f"{display}: cannot write the fix: {error.strerror or error}") from None
    lines = source.encode("utf-8").split(b"\n")
    for f in fixes:
        name = f.finding.fields()["name"]
        column = output.char_column(lines, f.finding.line, f.finding.column)
        sys.stderr.write(f"{display}:{f.finding.line}:{column}: fixed FP107 "
                         f"v.{name} -> params.{name}\n")
    return fixed


def _syntax_diagnostic(error: FluxSyntaxError) -> Diagnostic:
    from .diagnostics import SyntaxErrorFinding
    from .tree import Loc

    line = error.lineno or 1
    column = error.offset or 1
    end_line = error.end_lineno or line
    end_column = error.end_offset or column
    return SyntaxErrorFinding(Loc(line, column, end_line, end_column), error.msg, error.hint)


def _check(args: argparse.Namespace) -> int:
    from .config import ConfigError, load

    try:
        selection = load(select=args.select, ignore=args.ignore, fail_on=args.fail_on)
    except ConfigError as error:
        sys.stderr.write(f"fluxparams: error: {error}\n")
        return EXIT_ERROR
    if args.fix and "-" in args.paths:
        sys.stderr.write("fluxparams: error: --fix rewrites files; it cannot take '-' "
                         "(standard input)\n")
        return EXIT_ERROR
    errors: List[str] = []
    paths = expand_paths(args.paths, errors)
    # per file, in order: its findings as rows and its error, so any run order reports the same
    outcomes: List[Optional[_Outcome]] = [None] * len(paths)
    todo: List[Tuple[int, str, bytes]] = []
    cache = None
    if not args.no_cache and not args.fix and paths:  # --fix writes files: always re-check
        from .cache import ResultCache

        cache = ResultCache.open((repr(selection.select), repr(selection.ignore)))
    keys: Dict[int, str] = {}
    for index, path in enumerate(paths):
        try:
            data = _read_bytes(path)
        except _Unreadable as error:
            outcomes[index] = ([], str(error), False)
            continue
        if cache is not None:
            keys[index] = key = cache.key(data)
            rows = cache.get(key)
            if rows is not None:
                outcomes[index] = (rows, None, True)
                continue
        todo.append((index, path, data))
    for index, outcome in _run_all(todo, selection, args.fix, args.jobs):
        outcomes[index] = outcome
        if cache is not None and outcome[2]:
            cache.put(keys[index], outcome[0])
    if cache is not None:
        cache.flush()
    findings: List[output.Finding] = []
    for path, done in zip(paths, outcomes):
        assert done is not None
        display = _display(path)
        findings.extend(output.Finding.from_row(display, row) for row in done[0])
        if done[1] is not None:
            errors.append(done[1])
    findings.sort(key=output.Finding.sort_key)
    output.write_findings(findings, args.format)
    for message in errors:
        sys.stderr.write(f"fluxparams: error: {message}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if selection.fails(f.severity for f in findings) else EXIT_OK


# One file's result: its findings as rows, an error to report, whether it may be cached.
_Outcome = Tuple[List["Row"], Optional[str], bool]
_Task = Tuple[int, str, bytes]

# Each worker process must have this many files to analyse to pay for its start-up: on
# 2 cores the pool wins from about 30 small files (benchmarks/check_speed.py --break-even).
_FILES_PER_WORKER = 16


def _run_all(todo: List[_Task], selection: Selection, fix: bool,
             jobs: int) -> Iterator[Tuple[int, _Outcome]]:
    """Analyse the files the cache did not answer: in worker processes when that pays."""
    done = 0
    if not fix and len(todo) >= 2 * _FILES_PER_WORKER:  # one file: not even the import
        from .parallel import map_chunks, worker_count

        workers = worker_count(jobs, len(todo), _FILES_PER_WORKER)
    else:
        workers = 1
    if workers > 1:
        from . import api  # noqa: F401 - loaded once here; forked workers inherit it

        try:
            for result in map_chunks(functools.partial(_run_batch, selection=selection), todo,
                                     workers):
                yield result
                done += 1
            return
        except Exception:  # noqa: BLE001 - no processes here (sandbox, broken pool): run serially
            pass
    yield from _run_batch(todo[done:], selection, fix)


def _run_batch(todo: List[_Task], selection: Selection,
               fix: bool = False) -> List[Tuple[int, _Outcome]]:
    return [(index, _outcome(path, data, selection, fix)) for index, path, data in todo]


def _outcome(path: str, data: bytes, selection: Selection, fix: bool) -> _Outcome:
    """Check one file's bytes; never raises (an analyzer bug must not hide the other files)."""
    display = _display(path)
    try:
        source = _decode(data)
    except _NotUtf8 as bad:
        from .diagnostics import SyntaxErrorFinding
        from .tree import Loc

        # Undecodable, so no inline ignore can apply; the selection still does.
        diag = SyntaxErrorFinding(Loc(bad.line, bad.column, bad.line, bad.column + 1),
                                  bad.message)
        if not selection.wants(diag.code):
            return [], None, True
        finding = output.Finding.of(display, diag)
        finding.char_column, finding.char_end_column = bad.char_column, bad.char_column + 1
        return [finding.row()], None, True
    try:
        if fix:
            source = _fix(path, source, selection)
        return [f.row() for f in _findings_for(path, source, selection)], None, True
    except _Unreadable as error:  # a fix that could not be written
        return [], str(error), False
    except RecursionError:
        return [], f"{display}: the script nests too deeply to analyse", False
    except Exception as error:
        return [], (f"{display}: internal error: {type(error).__name__}: {error} "
                    "(please report it)"), False


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
        sys.stderr.write(f"{display}:{error.lineno}:{error.offset}: FP001 {output.join_lines(error.msg)}\n")
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
