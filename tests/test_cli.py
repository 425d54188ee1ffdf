"""The ``fluxparams`` command line: check, analyze, formats, exit codes, serve/token hand-off.

Per-rule cases live in tests/cases/lint/: ``name.flux`` and ``name.json`` with the findings a
user expects (``{"findings": [{"code", "line", "column", ...}]}``; the positions of FP1xx are
the ones libflux reports, taken from the oracle). Adding a case = adding the two files.
"""
from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from conftest import CASES

from fluxparams.cli import main

LINT_CASES = CASES / "lint"
FINDING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>FP\d{3}) (?P<message>.+)$")

GOOD = ('from(bucket: params.bucket)\n    |> range(start: duration(v: params.since))\n'
        '    |> limit(n: params.n)\n')
# One FP202 (warning) at 2:21-2:33 and one FP103 (error) at 3:5-3:9.
BAD = 'from(bucket: "b")\n    |> range(start: params.start)\nx = fron(bucket: "b")\n'


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch):
    # No pyproject.toml of the checkout (or above it) may configure these runs.
    home = tmp_path / "cwd"
    home.mkdir()
    monkeypatch.chdir(home)
    return home


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(directory: Path, name: str, text, binary=False) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if binary:
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def parsed(out: str):
    rows = []
    for line in out.splitlines():
        match = FINDING_LINE.match(line)
        assert match, f"not a finding line: {line!r}"
        rows.append((match["path"], int(match["line"]), int(match["column"]), match["code"]))
    return rows


# -- every rule, failing and passing (data-driven) ------------------------------------

def _lint_cases():
    return sorted(p.stem for p in LINT_CASES.glob("*.flux"))


@pytest.mark.parametrize("name", _lint_cases())
def test_rule_case(name, capsys):
    script = LINT_CASES / f"{name}.flux"
    expected = json.loads((LINT_CASES / f"{name}.json").read_text(encoding="utf-8"))["findings"]
    code, out, err = run(capsys, "check", "--format", "json", str(script))
    assert err == ""
    got = json.loads(out)
    # the default policy (--fail-on error): warnings are reported but pass
    assert code == (1 if any(f["severity"] == "error" for f in got) else 0)
    assert len(got) == len(expected), got
    for finding, want in zip(got, expected):
        assert finding["path"] == str(script)
        for key, value in want.items():
            assert finding[key] == value, (key, finding)


def test_every_rule_has_a_failing_and_a_passing_case():
    from fluxparams.diagnostics import BY_CODE

    names = _lint_cases()
    for code in BY_CODE:
        prefix = code.lower() + "_"
        cases = [n for n in names if n.startswith(prefix)]
        assert any(n.endswith("_ok") for n in cases), f"no passing case for {code}"
        failing = [n for n in cases if not n.endswith("_ok")]
        assert failing, f"no failing case for {code}"
        for name in failing:
            findings = json.loads((LINT_CASES / f"{name}.json").read_text())["findings"]
            assert any(f["code"] == code for f in findings), name


# -- check: text output, sorting, exit codes --------------------------------------------

def test_check_clean_file_exits_0_silently(tmp_path, capsys):
    good = write(tmp_path, "good.flux", GOOD)
    assert run(capsys, "check", str(good)) == (0, "", "")


def test_check_text_format_lines_sorted_by_position(tmp_path, capsys):
    bad = write(tmp_path, "bad.flux", BAD)
    code, out, err = run(capsys, "check", str(bad))
    assert code == 1 and err == ""
    assert parsed(out) == [(str(bad), 2, 21, "FP202"), (str(bad), 3, 5, "FP103")]
    assert "undefined identifier fron" in out.splitlines()[1]


def test_warnings_alone_are_reported_but_pass_by_default(tmp_path, capsys):
    warn = write(tmp_path, "warn.flux", 'from(bucket: "b") |> range(start: params.start)\n')
    code, out, _ = run(capsys, "check", str(warn))
    assert code == 0
    assert [row[3] for row in parsed(out)] == ["FP202"]


def test_syntax_error_is_a_finding_not_a_traceback_and_others_still_run(tmp_path, capsys):
    broken = write(tmp_path, "a_broken.flux", "x = 1\ny = )\n")
    bad = write(tmp_path, "b_bad.flux", BAD)
    code, out, err = run(capsys, "check", str(broken), str(bad))
    assert code == 1
    assert "Traceback" not in err
    rows = parsed(out)
    assert rows[0] == (str(broken), 2, 5, "FP001")
    assert [r[3] for r in rows[1:]] == ["FP202", "FP103"]


def test_findings_sorted_by_path_whatever_the_argument_order(tmp_path, capsys):
    a = write(tmp_path, "a.flux", BAD)
    b = write(tmp_path, "b.flux", BAD)
    code, out, _ = run(capsys, "check", str(b), str(a))
    assert code == 1
    assert [r[0] for r in parsed(out)] == [str(a), str(a), str(b), str(b)]


def test_missing_file_is_reported_exit_2_and_other_files_still_checked(tmp_path, capsys):
    bad = write(tmp_path, "bad.flux", BAD)
    missing = tmp_path / "nope.flux"
    code, out, err = run(capsys, "check", str(missing), str(bad))
    assert code == 2
    assert str(missing) in err and "No such file" in err
    assert [r[3] for r in parsed(out)] == ["FP202", "FP103"]


def test_missing_file_alone_exit_2(tmp_path, capsys):
    code, out, err = run(capsys, "check", str(tmp_path / "nope.flux"))
    assert (code, out) == (2, "")
    assert "nope.flux" in err


def test_unreadable_path_is_an_io_error(tmp_path, capsys):
    # A path that exists but cannot be read as a file (a FIFO would block; use a dangling link).
    link = tmp_path / "dangling.flux"
    link.symlink_to(tmp_path / "gone.flux")
    code, _, err = run(capsys, "check", str(link))
    assert code == 2 and "dangling.flux" in err


def test_non_utf8_file_is_an_fp001_finding_at_the_bad_byte(tmp_path, capsys):
    latin1 = write(tmp_path, "latin1.flux", 'x = 1\ny = "caf\xe9"\n'.encode("latin-1"), binary=True)
    good = write(tmp_path, "m_good.flux", GOOD)
    code, out, err = run(capsys, "check", str(latin1), str(good))
    assert code == 1 and err == ""
    ((path, line, column, rule),) = parsed(out)
    assert (path, line, column, rule) == (str(latin1), 2, 9, "FP001")
    assert "UTF-8" in out


def test_check_without_files_is_a_usage_error(capsys):
    code, out, err = run(capsys, "check")
    assert code == 2 and out == ""
    assert "usage" in err


def test_unknown_option_and_format_are_usage_errors(tmp_path, capsys):
    good = write(tmp_path, "good.flux", GOOD)
    assert run(capsys, "check", "--frobnicate", str(good))[0] == 2
    assert run(capsys, "check", "--format", "xml", str(good))[0] == 2
    assert run(capsys, "frobnicate")[0] == 2


def test_no_command_is_a_usage_error(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "check" in err


def test_check_reads_standard_input(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = run(capsys, "check", "-")
    assert code == 1
    assert parsed(out) == [("<stdin>", 2, 21, "FP202"), ("<stdin>", 3, 5, "FP103")]


# -- check: directories -------------------------------------------------------------------

def test_directories_are_walked_recursively_for_flux_files_sorted(tmp_path, capsys):
    root = tmp_path / "scripts"
    write(root, "z.flux", BAD)
    write(root, "a/deep/er.flux", "y = )\n")
    write(root, "a/b.flux", BAD)
    write(root, "a/notes.txt", "y = )\n")
    write(root, "a/script.flux.bak", "y = )\n")
    write(root, ".git/hidden.flux", "y = )\n")
    write(root, "ok.flux", GOOD)
    code, out, err = run(capsys, "check", str(root))
    assert code == 1 and err == ""
    paths = [Path(r[0]) for r in parsed(out)]
    assert sorted(set(paths)) == [root / "a/b.flux", root / "a/deep/er.flux", root / "z.flux"]
    assert paths == sorted(paths), "sorted by path"


def test_directory_without_flux_files_is_clean(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "check", str(empty)) == (0, "", "")


def test_a_named_file_is_checked_whatever_its_extension(tmp_path, capsys):
    other = write(tmp_path, "query.txt", "y = )\n")
    code, out, _ = run(capsys, "check", str(other))
    assert code == 1 and parsed(out)[0][3] == "FP001"


# -- check: formats -------------------------------------------------------------------------

def test_json_format(tmp_path, capsys):
    bad = write(tmp_path, "bad.flux", BAD)
    code, out, err = run(capsys, "check", "--format", "json", str(bad))
    assert code == 1 and err == ""
    findings = json.loads(out)
    assert [(f["code"], f["severity"], f["line"], f["column"], f["end_line"], f["end_column"])
            for f in findings] == [("FP202", "warning", 2, 21, 2, 33), ("FP103", "error", 3, 5, 3, 9)]
    assert all(f["path"] == str(bad) and f["message"] for f in findings)


def test_json_format_clean_is_an_empty_array(tmp_path, capsys):
    good = write(tmp_path, "good.flux", GOOD)
    code, out, _ = run(capsys, "check", "--format", "json", str(good))
    assert code == 0 and json.loads(out) == []


def test_github_format(tmp_path, capsys):
    bad = write(tmp_path, "bad.flux", BAD)
    code, out, _ = run(capsys, "check", "--format", "github", str(bad))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"::warning file={bad},line=2,col=21,endLine=2,endColumn=33,title=FP202::")
    assert lines[1].startswith(f"::error file={bad},line=3,col=5,endLine=3,endColumn=9,title=FP103::")
    assert "::undefined identifier fron" in lines[1]


def test_github_format_escapes_properties_and_data(tmp_path, capsys):
    odd = write(tmp_path, "a,b:c.flux", "y = )\n")
    code, out, _ = run(capsys, "check", "--format", "github", str(odd))
    assert code == 1
    (line,) = out.splitlines()
    assert "file=" + str(odd).replace(":", "%3A").replace(",", "%2C") + "," in line


# -- analyze ----------------------------------------------------------------------------------

def test_analyze_prints_the_params_body_on_one_line_sorted(tmp_path, capsys):
    script = write(tmp_path, "q.flux", GOOD)
    code, out, err = run(capsys, "analyze", str(script))
    assert (code, err) == (0, "")
    assert out == '{"params": {"bucket": "string", "n": "int", "since": "any"}}\n'


def test_analyze_pretty(tmp_path, capsys):
    script = write(tmp_path, "q.flux", GOOD)
    code, out, _ = run(capsys, "analyze", "--pretty", str(script))
    assert code == 0
    assert json.loads(out) == {"params": {"bucket": "string", "n": "int", "since": "any"}}
    assert len(out.splitlines()) > 1


def test_analyze_reads_standard_input(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'x = params.n + 1\n')))
    assert run(capsys, "analyze") == (0, '{"params": {"n": "int"}}\n', "")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'x = params.n + 1\n')))
    assert run(capsys, "analyze", "-") == (0, '{"params": {"n": "int"}}\n', "")


def test_analyze_json_full_has_references_and_diagnostics_with_positions(tmp_path, capsys):
    script = write(tmp_path, "q.flux", BAD)
    code, out, _ = run(capsys, "analyze", "--format", "json-full", str(script))
    assert code == 0, "type errors do not make analyze fail; only syntax errors do"
    body = json.loads(out)
    assert body["params"] == {"start": "any"}
    assert body["references"] == [{"name": "start", "type": "any", "line": 2, "column": 21,
                                   "end_line": 2, "end_column": 33}]
    assert [(d["code"], d["line"], d["column"]) for d in body["diagnostics"]] == [
        ("FP202", 2, 21), ("FP103", 3, 5)]


def test_analyze_syntax_error_exit_1_with_position_and_caret(tmp_path, capsys):
    script = write(tmp_path, "broken.flux", "x = 1\ny = )\n")
    code, out, err = run(capsys, "analyze", str(script))
    assert code == 1 and out == ""
    assert err.startswith(f"{script}:2:5: FP001 ")
    lines = err.splitlines()
    source_line = next(i for i, text in enumerate(lines) if text.rstrip().endswith("y = )"))
    caret = lines[source_line + 1]
    # The caret sits under the ")" whatever prefix (gutter) render() puts before the source.
    assert caret.index("^") == lines[source_line].index(")")
    assert "Traceback" not in err


def test_analyze_non_utf8_exit_1_with_position(tmp_path, capsys):
    script = write(tmp_path, "bin.flux", b"x = 1\n\xff\n", binary=True)
    code, out, err = run(capsys, "analyze", str(script))
    assert code == 1 and out == ""
    assert err.startswith(f"{script}:2:1: FP001 ")


def test_analyze_io_and_usage_errors_exit_2(tmp_path, capsys):
    code, out, err = run(capsys, "analyze", str(tmp_path / "nope.flux"))
    assert (code, out) == (2, "") and "nope.flux" in err
    code, out, err = run(capsys, "analyze", str(tmp_path))
    assert (code, out) == (2, "") and "directory" in err
    assert run(capsys, "analyze", "a.flux", "b.flux")[0] == 2
    assert run(capsys, "analyze", "--format", "yaml", "a.flux")[0] == 2


# -- help, version, serve/token --------------------------------------------------------------

def test_help_lists_all_four_commands(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("check", "analyze", "serve", "token"):
        assert re.search(rf"^\s+{command}\s", out, re.MULTILINE), command


def test_version(capsys):
    import fluxparams

    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"fluxparams {fluxparams.__version__}"


def _fake_service(monkeypatch, main_function):
    module = types.ModuleType("fluxparams.service.command")
    module.main = main_function
    monkeypatch.setitem(sys.modules, "fluxparams.service.command", module)
    # The parent package must be importable too; reuse the real one when it exists.
    try:
        importlib.import_module("fluxparams.service")
    except ImportError:
        monkeypatch.setitem(sys.modules, "fluxparams.service", types.ModuleType("fluxparams.service"))


@pytest.mark.parametrize("command", ["serve", "token"])
def test_serve_and_token_are_handed_to_the_service(command, monkeypatch, capsys):
    seen = []
    _fake_service(monkeypatch, lambda argv: seen.append(argv) or 7)
    assert main([command, "--port", "9999"]) == 7
    assert seen == [[command, "--port", "9999"]]


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    def needs_starlette(argv):
        raise ModuleNotFoundError("No module named 'starlette'", name="starlette")

    _fake_service(monkeypatch, needs_starlette)
    code, out, err = run(capsys, "serve")
    assert code == 2
    assert "pip install 'fluxparams[serve]'" in err


def test_check_and_analyze_never_import_the_service(tmp_path):
    script = write(tmp_path, "q.flux", GOOD)
    probe = (
        "import sys\n"
        "from fluxparams.cli import main\n"
        f"main(['check', {str(script)!r}])\n"
        f"main(['analyze', {str(script)!r}])\n"
        "loaded = [m for m in sys.modules if m.startswith(('fluxparams.service', 'starlette', 'uvicorn'))]\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout


def test_console_script_runs_as_a_module(tmp_path):
    bad = write(tmp_path, "bad.flux", BAD)
    result = subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert [r[3] for r in parsed(result.stdout)] == ["FP202", "FP103"]


def test_a_file_named_twice_is_reported_once(tmp_path, capsys):
    bad = write(tmp_path, "d/bad.flux", BAD)
    code, out, _ = run(capsys, "check", str(bad), str(tmp_path / "d"), str(bad))
    assert code == 1
    assert [r[3] for r in parsed(out)] == ["FP202", "FP103"]
