"""``fluxparams fmt`` through the real command line: stdin, in place, --check, --diff, bad input.

The expected text of every formatted file is libflux's own formatter output, committed beside
the format cases by scripts/oracle_format_expect.py (tests/cases/format/<group>/<name>.flux and
``.formatted``); these tests copy a sample of those cases into scratch trees and run the
command on them.
Messages of a script that does not parse are compared with what ``check`` prints for it.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from conftest import CASES

FORMAT_CASES = CASES / "format"
BROKEN = b"x = 1\ny = )\n"
# not UTF-8: byte 0xe9 (Latin-1 e-acute) on line 2, after three characters
LATIN1 = b'x = 1\ns = "\xe9t\xe9"\n'


# A sample of D3's format cases that exercises the command rather than the formatter (the cases
# themselves are tests/test_format_cases.py's): line ends, a missing final newline, comments,
# breaking layouts, an empty file, non-ASCII text, and files already formatted.
SAMPLE = ("blank_lines/crlf", "blank_lines/no_trailing_newline", "blank_lines/collapse_runs",
          "comments/before_every_token_pipe", "comments/on_long_pipe",
          "comments/at_file_end_no_newline", "expressions/pipe_multiline",
          "expressions/calls_five_args", "expressions/record_with", "layout/call_long_four_args",
          "layout/stdlib_like_function", "statements/package_and_imports",
          "statements/empty_file", "layout/unicode_width", "literals/strings_escapes",
          "expressions/functions")


def formatted_cases() -> List[Tuple[str, bytes, bytes]]:
    """(group/name.flux, input, expected output) for each case of the sample."""
    cases = []
    for name in SAMPLE:
        source = FORMAT_CASES / f"{name}.flux"
        cases.append((f"{name}.flux", source.read_bytes(),
                      source.with_suffix(".formatted").read_bytes()))
    return cases


CASE_LIST = formatted_cases()
CHANGED = [case for case in CASE_LIST if case[1] != case[2]]
UNCHANGED = [case for case in CASE_LIST if case[1] == case[2]]
NON_ASCII = [case for case in CASE_LIST if not case[2].isascii()]


def test_the_sample_has_what_the_tests_need():
    assert len(CHANGED) >= 10 and len(UNCHANGED) >= 2 and NON_ASCII
    assert any(b"\r\n" in case[1] for case in CHANGED)
    assert any(not case[1].endswith(b"\n") for case in CHANGED)


def fmt(*argv: str, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fluxparams.cli", "fmt", *argv], cwd=cwd,
                          input=stdin, capture_output=True, timeout=300)


def check_line(path: str, cwd: Path) -> str:
    """The FP001 line ``fluxparams check`` prints for a file (text format)."""
    result = subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", "--no-cache",
                             "--select", "FP001", path], cwd=cwd, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    (line,) = result.stdout.splitlines()
    return line


def tree_of_cases(root: Path) -> Dict[str, bytes]:
    """Every case's input under root/<group>/<name>.flux; {relative path: expected bytes}."""
    expected = {}
    for name, source, formatted in CASE_LIST:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source)
        expected[name] = formatted
    return expected


def fingerprint(path: Path) -> Tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_ino, info.st_mtime_ns


# -- standard input ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, source, expected", CHANGED[:4] + UNCHANGED[:1] + NON_ASCII[:1],
                         ids=lambda value: str(value)[:40])
def test_stdin_to_stdout_byte_for_byte(tmp_path, name, source, expected):
    result = fmt("-", cwd=tmp_path, stdin=source)
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == expected


def test_stdin_that_does_not_parse_prints_nothing_on_stdout(tmp_path):
    (tmp_path / "broken.flux").write_bytes(BROKEN)
    result = fmt("-", cwd=tmp_path, stdin=BROKEN)
    assert result.returncode == 1 and result.stdout == b""
    expected = check_line("broken.flux", tmp_path).replace("broken.flux", "<stdin>", 1)
    assert result.stderr.decode() == expected + "\n"
    assert expected.startswith("<stdin>:2:5: FP001 ")


def test_stdin_check_and_diff(tmp_path):
    name, source, formatted = CHANGED[0]
    result = fmt("--check", "-", cwd=tmp_path, stdin=source)
    assert (result.returncode, result.stdout, result.stderr) == (1, b"<stdin>: would reformat\n",
                                                                  b"")
    result = fmt("--check", "-", cwd=tmp_path, stdin=formatted)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    result = fmt("--diff", "-", cwd=tmp_path, stdin=source)
    assert result.returncode == 1
    assert result.stdout.startswith(b"--- <stdin>\toriginal\n+++ <stdin>\tformatted\n@@ ")
    both = fmt("--check", "--diff", "-", cwd=tmp_path, stdin=source)  # the diff names the file
    assert (both.returncode, both.stdout) == (1, result.stdout)


# -- in place ---------------------------------------------------------------------------------

def test_directory_rewritten_in_place_as_libflux_formats_it(tmp_path):
    root = tmp_path / "scripts"
    expected = tree_of_cases(root)
    # what a directory walk must leave alone: hidden directories and files that are not *.flux
    (root / ".hidden").mkdir()
    (root / ".hidden" / "skip.flux").write_bytes(CHANGED[0][1])
    (root / "notes.txt").write_bytes(CHANGED[0][1])
    before = {name: fingerprint(root / name) for name, _, _ in UNCHANGED}
    result = fmt("scripts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    wrong = [name for name, want in expected.items() if (root / name).read_bytes() != want]
    assert wrong == []
    # one line per rewritten file, in the order check walks them (sorted)
    reported = result.stderr.decode().splitlines()
    assert reported == [f"{os.path.join('scripts', *name.split('/'))}: reformatted"
                        for name, _, _ in sorted(CHANGED)]
    # a file already formatted is not written at all
    assert {name: fingerprint(root / name) for name, _, _ in UNCHANGED} == before
    assert (root / ".hidden" / "skip.flux").read_bytes() == CHANGED[0][1]
    assert (root / "notes.txt").read_bytes() == CHANGED[0][1]
    # formatting again changes nothing
    again = fmt("--check", "scripts", cwd=tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (0, b"", b"")


def test_a_file_named_explicitly_is_formatted_whatever_its_extension(tmp_path):
    _, source, formatted = CHANGED[0]
    (tmp_path / "query.txt").write_bytes(source)
    result = fmt("query.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "query.txt").read_bytes() == formatted


def test_rewrite_is_atomic_and_keeps_the_mode(tmp_path):
    _, source, formatted = CHANGED[0]
    script = tmp_path / "a.flux"
    script.write_bytes(source)
    script.chmod(0o640)
    inode = script.stat().st_ino
    result = fmt("a.flux", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert script.read_bytes() == formatted
    assert stat.S_IMODE(script.stat().st_mode) == 0o640
    # a new file took the old one's name (os.replace), so no reader saw it half written
    assert script.stat().st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.flux"]  # no temporary file left


def test_a_symlink_stays_a_symlink_and_its_target_is_formatted(tmp_path):
    _, source, formatted = CHANGED[0]
    (tmp_path / "real.flux").write_bytes(source)
    (tmp_path / "link.flux").symlink_to("real.flux")
    result = fmt("link.flux", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.flux").is_symlink()
    assert (tmp_path / "real.flux").read_bytes() == formatted


def test_broken_file_is_untouched_reported_as_check_does_and_others_still_formatted(tmp_path):
    _, source, formatted = CHANGED[0]
    (tmp_path / "a_broken.flux").write_bytes(BROKEN)
    (tmp_path / "b_latin1.flux").write_bytes(LATIN1)
    (tmp_path / "c_good.flux").write_bytes(source)
    broken, latin1 = fingerprint(tmp_path / "a_broken.flux"), fingerprint(tmp_path / "b_latin1.flux")
    result = fmt(".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    assert fingerprint(tmp_path / "a_broken.flux") == broken
    assert fingerprint(tmp_path / "b_latin1.flux") == latin1
    assert (tmp_path / "c_good.flux").read_bytes() == formatted
    lines = result.stderr.decode().splitlines()
    assert lines == [check_line(os.path.join(".", "a_broken.flux"), tmp_path),
                     check_line(os.path.join(".", "b_latin1.flux"), tmp_path),
                     f"{os.path.join('.', 'c_good.flux')}: reformatted"]
    assert lines[0].startswith("./a_broken.flux:2:5: FP001 ")
    assert lines[1].startswith("./b_latin1.flux:2:6: FP001 invalid UTF-8: byte 0xe9")


def test_missing_file_is_exit_2_and_the_others_still_run(tmp_path):
    _, source, formatted = CHANGED[0]
    (tmp_path / "a.flux").write_bytes(source)
    (tmp_path / "broken.flux").write_bytes(BROKEN)
    result = fmt("nope.flux", "broken.flux", "a.flux", cwd=tmp_path)
    assert result.returncode == 2  # an I/O error wins over a file that does not parse
    assert result.stderr.decode().splitlines()[0] == \
        "fluxparams: error: nope.flux: No such file or directory"
    assert (tmp_path / "a.flux").read_bytes() == formatted


# -- --check and --diff -----------------------------------------------------------------------

def test_check_changes_nothing_and_names_each_file_that_would_change(tmp_path):
    root = tmp_path / "scripts"
    tree_of_cases(root)
    before = {name: fingerprint(root / name) for name, _, _ in CASE_LIST}
    result = fmt("--check", "scripts", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == b""
    assert result.stdout.decode().splitlines() == [
        f"{os.path.join('scripts', *name.split('/'))}: would reformat" for name, _, _ in sorted(CHANGED)]
    assert {name: fingerprint(root / name) for name, _, _ in CASE_LIST} == before


def test_diff_changes_nothing_and_patch_applies_it(tmp_path):
    root = tmp_path / "scripts"
    expected = tree_of_cases(root)
    before = {name: fingerprint(root / name) for name, _, _ in CASE_LIST}
    result = fmt("--diff", "scripts", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    assert {name: fingerprint(root / name) for name, _, _ in CASE_LIST} == before
    diff = result.stdout
    headers = re.findall(rb"^--- (scripts/.*)\toriginal\n\+\+\+ (scripts/.*)\tformatted$", diff, re.M)
    assert [a for a, b in headers if a == b] == [
        os.path.join("scripts", *name.split("/")).encode() for name, _, _ in sorted(CHANGED)]
    if shutil.which("patch") is None:
        pytest.skip("patch(1) is not installed")
    applied = subprocess.run(["patch", "-p0", "--quiet"], cwd=tmp_path, input=diff,
                             capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    wrong = [name for name, want in expected.items() if (root / name).read_bytes() != want]
    assert wrong == []


def test_diff_marks_a_missing_final_newline(tmp_path):
    (tmp_path / "a.flux").write_bytes(b"x=1")
    result = fmt("--diff", "a.flux", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[:2] == ["--- a.flux\toriginal", "+++ a.flux\tformatted"]
    assert "-x=1" in lines
    assert lines[lines.index("-x=1") + 1] == "\\ No newline at end of file"


def test_check_and_diff_report_a_broken_file_like_in_place(tmp_path):
    (tmp_path / "broken.flux").write_bytes(BROKEN)
    expected = check_line("broken.flux", tmp_path) + "\n"
    for flag in ("--check", "--diff"):
        result = fmt(flag, "broken.flux", cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr.decode()) == (1, b"", expected)


# -- usage and failures, in process -----------------------------------------------------------

def test_usage_errors_exit_2(tmp_path, capsys, monkeypatch):
    from fluxparams.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["fmt"]) == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err
    assert main(["fmt", "--frobnicate", "a.flux"]) == 2
    assert main(["--help"]) == 0
    assert "fmt" in capsys.readouterr().out


def test_an_empty_directory_is_fine(tmp_path, capsys):
    from fluxparams.cli import main

    (tmp_path / "empty").mkdir()
    assert main(["fmt", str(tmp_path / "empty")]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_failed_write_leaves_the_file_and_no_temporary_file(tmp_path, capsys, monkeypatch):
    from fluxparams.cli import main

    _, source, _ = CHANGED[0]
    script = tmp_path / "a.flux"
    script.write_bytes(source)

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert main(["fmt", str(script)]) == 2
    err = capsys.readouterr().err
    assert err == (f"fluxparams: error: {script}: cannot write the formatted file: "
                   "No space left on device\n")
    assert script.read_bytes() == source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.flux"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that apply (not root)")
def test_a_read_only_file_is_reported_not_replaced(tmp_path, capsys):
    from fluxparams.cli import main

    _, source, _ = CHANGED[0]
    script = tmp_path / "a.flux"
    script.write_bytes(source)
    script.chmod(0o444)
    assert main(["fmt", str(script)]) == 2
    assert "cannot write the formatted file: Permission denied" in capsys.readouterr().err
    assert script.read_bytes() == source


def test_a_formatter_crash_is_reported_not_a_traceback(tmp_path, capsys, monkeypatch):
    import importlib

    from fluxparams.cli import main

    def crash(source):
        raise ValueError("boom")

    # the module, not the function fluxparams exports under the same name
    monkeypatch.setattr(importlib.import_module("fluxparams.format"), "format", crash)
    script = tmp_path / "a.flux"
    script.write_bytes(CHANGED[0][1])
    assert main(["fmt", str(script)]) == 2
    assert capsys.readouterr().err == (f"fluxparams: error: {script}: internal error: "
                                       "ValueError: boom (please report it)\n")
    assert script.read_bytes() == CHANGED[0][1]
