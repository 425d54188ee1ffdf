"""``fluxparams fmt``: libflux's formatter output for Flux files, in place, checked or as a diff.

``fmt -`` filters standard input to standard output; files are rewritten in place (a temporary
file beside each one, then ``os.replace``, so a reader never sees half a file and a failure
leaves the original); ``--check`` and ``--diff`` change nothing. Messages and exit codes follow
``check``: a script that does not parse is ``path:line:col: FP001 message`` (exit 1, the file
untouched); a missing or unreadable file is ``fluxparams: error: ...`` (exit 2, which wins).

Standard output carries results only (the formatted text of ``-``, the ``--check`` names, the
``--diff`` patches); everything about the run goes to standard error, so ``fmt - < a > b``
and ``fmt --diff ... | patch -p0`` work.
"""
from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING, List, Optional

# cli imports this module only inside its functions, so cli is always complete here
from .cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, expand_paths

if TYPE_CHECKING:
    import argparse

    from .syntax import FluxSyntaxError

def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``fmt`` subcommand's arguments, added to the ``fluxparams`` parser."""
    fmt = commands.add_parser(
        "fmt", help="format Flux files as libflux's formatter (flux fmt) does",
        description="Rewrite Flux files in place with libflux v0.193's formatter layout, "
                    "comments kept. Directories are searched recursively for *.flux files; "
                    "'-' formats standard input to standard output. A file that does not parse "
                    "is reported (FP001) and left as it is.",
        epilog="Exit codes: 0 formatted (or, with --check/--diff, nothing would change), "
               "1 a file would change (--check/--diff) or does not parse, "
               "2 usage or I/O error.")
    fmt.add_argument("paths", nargs="+", metavar="FILE",
                     help="Flux files or directories ('-' reads standard input and writes the "
                          "result to standard output)")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; name each file that would change and exit 1")
    fmt.add_argument("--diff", action="store_true",
                     help="change nothing; print a unified diff of each file that would change "
                          "and exit 1")


class _Failed(Exception):
    """One input could not be handled; the message is reported and the others still run."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def run(args: argparse.Namespace) -> int:
    problems: List[str] = []
    paths = expand_paths(args.paths, problems)
    worst = EXIT_OK
    for message in problems:
        sys.stderr.write(f"fluxparams: error: {message}\n")
        worst = EXIT_ERROR
    for path in paths:
        try:
            code = _one(path, args.check, args.diff)
        except _Failed as failed:
            sys.stderr.write(failed.message + "\n")
            code = failed.code
        worst = max(worst, code)
    return worst


def _one(path: str, check: bool, diff: bool) -> int:
    """Format one input as asked; the exit code it calls for."""
    display = "<stdin>" if path == "-" else path
    data = _read(path, display)
    source = _decode(data, display)
    formatted = _format(source, display)
    changed = formatted != source
    if check or diff:
        if changed and diff:
            _write_out(_unified_diff(source, formatted, display))
        elif changed:
            _write_out(f"{display}: would reformat\n")
        return EXIT_FINDINGS if changed else EXIT_OK
    if path == "-":
        _write_out(formatted)
    elif changed:
        _replace(path, display, formatted)
        sys.stderr.write(f"{display}: reformatted\n")
    return EXIT_OK


def _read(path: str, display: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise _Failed(f"fluxparams: error: {display}: {error.strerror or error}",
                      EXIT_ERROR) from None


def _decode(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # as check reports it: FP001 at the first bad byte, the column in characters
        before = data[:error.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8")) + 1
        line = before.count(b"\n") + 1
        raise _Failed(f"{display}:{line}:{column}: FP001 invalid UTF-8: byte "
                      f"0x{data[error.start]:02x} ({error.reason})", EXIT_FINDINGS) from None


def _format(source: str, display: str) -> str:
    from .format import format as format_source
    from .syntax import FluxSyntaxError

    try:
        return format_source(source)
    except FluxSyntaxError as error:
        raise _Failed(_syntax_line(display, source, error), EXIT_FINDINGS) from None
    except RecursionError:
        raise _Failed(f"fluxparams: error: {display}: the script nests too deeply to format",
                      EXIT_ERROR) from None
    except Exception as error:  # noqa: BLE001 - a formatter bug must not hide the other files
        raise _Failed(f"fluxparams: error: {display}: internal error: {type(error).__name__}: "
                      f"{error} (please report it)", EXIT_ERROR) from None


def _syntax_line(display: str, source: str, error: FluxSyntaxError) -> str:
    """The FP001 line exactly as ``check``'s text format prints it (character columns)."""
    from . import output
    from .diagnostics import SyntaxErrorFinding
    from .tree import Loc

    line = error.lineno or 1
    column = error.offset or 1
    where = Loc(line, column, error.end_lineno or line, error.end_offset or column)
    lines = None if source.isascii() else source.encode("utf-8").split(b"\n")
    found = output.Finding.of(display, SyntaxErrorFinding(where, error.msg, error.hint), lines)
    return f"{display}:{found.line}:{found.char_column}: FP001 {found.one_line()}"


def _write_out(text: str) -> None:
    """Standard output, byte for byte: UTF-8 and no newline translation, whatever the locale."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def _lines(text: str) -> List[str]:
    # Flux ends lines with "\n" only; str.splitlines would also split at \r, \f, \x1c...
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _unified_diff(before: str, after: str, display: str) -> str:
    import difflib

    # The tab-separated labels keep the file name patch(1) reads: `fmt --diff . | patch -p0`.
    diff = difflib.unified_diff(_lines(before), _lines(after), f"{display}\toriginal",
                                f"{display}\tformatted")
    out = []
    for line in diff:
        if line.endswith("\n"):
            out.append(line)
        else:  # the last line of a file without a final newline, as diff(1) marks it
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _replace(path: str, display: str, text: str) -> None:
    """Write ``text`` over ``path`` atomically, keeping its mode (and owner, where allowed)."""
    import tempfile  # here, not at the top: every `fluxparams check` imports this module

    target = os.path.realpath(path)  # a symlink stays a symlink: its target is rewritten
    temp: Optional[str] = None
    try:
        info = os.stat(target)
        if not os.access(target, os.W_OK):  # replacing would get round the file's own mode
            raise PermissionError(13, "Permission denied")
        handle, temp = tempfile.mkstemp(dir=os.path.dirname(target),
                                        prefix=f".{os.path.basename(target)}.",
                                        suffix=".fmt")
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(temp, info.st_uid, info.st_gid)
            except OSError:
                pass  # only root may give a file away; the new file is then ours
        os.replace(temp, target)
        temp = None
    except OSError as error:
        raise _Failed(f"fluxparams: error: {display}: cannot write the formatted file: "
                      f"{error.strerror or error}", EXIT_ERROR) from None
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
