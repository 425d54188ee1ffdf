"""Choosing findings: --select/--ignore, [tool.fluxparams] in pyproject.toml, inline ignores."""
from __future__ import annotations

import re
import sys

import pytest

from fluxparams import config
from fluxparams.cli import main

# FP202 (warning) at 2:21, FP103 (error) at 3:5, FP201 (warning) at 4:5.
SCRIPT = ('from(bucket: "b")\n    |> range(start: params.start)\n'
          'x = fron(bucket: "b")\ny = params.u + uint(v: 1)\n')
ROW = re.compile(r"^.+?:(\d+):(\d+): (FP\d{3}) ")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project directory (the cwd) holding q.flux; tests add a pyproject.toml."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "q.flux").write_text(SCRIPT, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def codes(capsys, *argv):
    exit_code = main(["check", *argv])
    out = capsys.readouterr().out
    return exit_code, [ROW.match(line).group(3) for line in out.splitlines()]


def pyproject(root, body):
    (root / "pyproject.toml").write_text(body, encoding="utf-8")


# -- command-line selection ---------------------------------------------------------------

def test_everything_by_default(project, capsys):
    assert codes(capsys, "q.flux") == (1, ["FP202", "FP103", "FP201"])


def test_select_codes_and_prefixes(project, capsys):
    assert codes(capsys, "--select", "FP2", "q.flux") == (0, ["FP202", "FP201"])
    assert codes(capsys, "--select", "FP103,FP201", "q.flux") == (1, ["FP103", "FP201"])
    assert codes(capsys, "--select", " fp103 ", "q.flux") == (1, ["FP103"])


def test_ignore_codes_and_prefixes(project, capsys):
    assert codes(capsys, "--ignore", "FP2", "q.flux") == (1, ["FP103"])
    assert codes(capsys, "--ignore", "FP202,FP1", "q.flux") == (0, ["FP201"])


def test_ignoring_everything_found_exits_0(project, capsys):
    assert codes(capsys, "--ignore", "FP1,FP2", "q.flux") == (0, [])
    assert codes(capsys, "--select", "FP106", "q.flux") == (0, [])


# -- the exit-code policy: --fail-on and fail-on -------------------------------------------

def test_warnings_are_reported_and_pass_by_default(project, capsys):
    # a converted dashboard: only FP201/FP202, which must not block a commit by default
    assert codes(capsys, "--select", "FP2", "q.flux") == (0, ["FP202", "FP201"])


@pytest.mark.parametrize("fail_on, only_warnings, with_an_error", [
    ("error", 0, 1), ("warning", 1, 1), ("never", 0, 0)])
def test_fail_on_flag(project, capsys, fail_on, only_warnings, with_an_error):
    assert codes(capsys, "--fail-on", fail_on, "--select", "FP2", "q.flux") == (
        only_warnings, ["FP202", "FP201"])
    assert codes(capsys, "--fail-on", fail_on, "q.flux") == (
        with_an_error, ["FP202", "FP103", "FP201"])


def test_fail_on_in_pyproject_and_the_flag_overrides_it(project, capsys):
    pyproject(project, '[tool.fluxparams]\nfail-on = "warning"\nselect = ["FP2"]\n')
    assert codes(capsys, "q.flux") == (1, ["FP202", "FP201"])
    assert codes(capsys, "--fail-on", "error", "q.flux") == (0, ["FP202", "FP201"])
    assert config.load(str(project)).fail_on == "warning"


@pytest.mark.parametrize("body", ['fail-on = "warnings"', "fail-on = 1", 'fail_on = "never"'])
def test_bad_fail_on_is_a_clear_error_exit_2(project, capsys, body):
    pyproject(project, f"[tool.fluxparams]\n{body}\n")
    assert main(["check", "q.flux"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and ("fail-on" in err or "fail_on" in err)
    assert "Traceback" not in err


def test_bad_fail_on_flag_is_a_usage_error(project, capsys):
    assert main(["check", "--fail-on", "sometimes", "q.flux"]) == 2
    assert "invalid choice: 'sometimes'" in capsys.readouterr().err


def test_fail_on_through_the_real_command(project):
    import subprocess
    pyproject(project, '[tool.fluxparams]\nselect = ["FP2"]\n')
    run = [sys.executable, "-m", "fluxparams.cli", "check", "q.flux"]
    default = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert default.returncode == 0 and "q.flux:2:21: FP202" in default.stdout
    strict = subprocess.run(run[:4] + ["--fail-on", "warning", "q.flux"],
                            capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1 and "q.flux:2:21: FP202" in strict.stdout


def test_select_and_ignore_combine(project, capsys):
    assert codes(capsys, "--select", "FP2", "--ignore", "FP201", "q.flux") == (0, ["FP202"])


@pytest.mark.parametrize("flag,value", [("--select", "FP9"), ("--ignore", "E501"), ("--select", "FP2010")])
def test_unknown_code_is_a_usage_error(project, capsys, flag, value):
    assert main(["check", flag, value, "q.flux"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert value in captured.err


# -- pyproject.toml -------------------------------------------------------------------------

def test_pyproject_select_and_ignore(project, capsys):
    pyproject(project, '[tool.fluxparams]\nselect = ["FP1", "FP2"]\nignore = ["FP201"]\n')
    assert codes(capsys, "q.flux") == (1, ["FP202", "FP103"])


def test_pyproject_is_found_upward_from_the_current_directory(project, capsys, monkeypatch):
    pyproject(project, '[project]\nname = "x"\n\n[tool.fluxparams]\nignore = ["FP2"]\n')
    sub = project / "queries" / "daily"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert codes(capsys, "../../q.flux") == (1, ["FP103"])


def test_nearest_pyproject_wins(project, capsys, monkeypatch):
    pyproject(project, '[tool.fluxparams]\nignore = ["FP2"]\n')
    sub = project / "sub"
    sub.mkdir()
    pyproject(sub, '[tool.fluxparams]\nignore = ["FP1"]\n')
    monkeypatch.chdir(sub)
    assert codes(capsys, "../q.flux") == (0, ["FP202", "FP201"])


def test_pyproject_without_our_table_changes_nothing(project, capsys):
    pyproject(project, '[project]\nname = "x"\n[tool.black]\nline-length = 100\n')
    assert codes(capsys, "q.flux") == (1, ["FP202", "FP103", "FP201"])


def test_pyproject_accepts_a_comma_string(project, capsys):
    pyproject(project, '[tool.fluxparams]\nselect = "FP103, FP202"\n')
    assert codes(capsys, "q.flux") == (1, ["FP202", "FP103"])


def test_command_line_overrides_pyproject(project, capsys):
    pyproject(project, '[tool.fluxparams]\nselect = ["FP1"]\nignore = ["FP103"]\n')
    assert codes(capsys, "q.flux") == (0, [])
    assert codes(capsys, "--select", "FP", "q.flux") == (0, ["FP202", "FP201"])
    assert codes(capsys, "--ignore", "", "q.flux") == (1, ["FP103"])


@pytest.mark.parametrize("body,needle", [
    ('[tool.fluxparams]\nselect = ["FP9"]\n', "FP9"),
    ('[tool.fluxparams]\nselect = 3\n', "select"),
    ('[tool.fluxparams]\nexclude = ["x"]\n', "exclude"),
    ('[tool.fluxparams\nselect = 1\n', "TOML"),
    ('[tool]\nfluxparams = 1\n', "table"),
])
def test_bad_pyproject_is_a_clear_error_exit_2(project, capsys, body, needle):
    pyproject(project, body)
    assert main(["check", "q.flux"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "pyproject.toml" in captured.err and needle in captured.err
    assert "Traceback" not in captured.err


def test_without_a_toml_reader_the_message_says_what_to_install(project, monkeypatch):
    pyproject(project, '[tool.fluxparams]\nignore = ["FP2"]\n')
    monkeypatch.setitem(sys.modules, "tomllib", None)
    monkeypatch.setitem(sys.modules, "tomli", None)
    with pytest.raises(config.ConfigError, match="tomli"):
        config.load()
    # ...but a pyproject.toml that does not configure fluxparams is not even parsed.
    pyproject(project, '[tool.black]\nline-length = 100\n')
    assert config.load().select == config.DEFAULT_SELECT


# -- inline ignores ---------------------------------------------------------------------------

def _check_source(project, capsys, source):
    (project / "q.flux").write_text(source, encoding="utf-8")
    exit_code = main(["check", "q.flux"])
    out = capsys.readouterr().out
    return exit_code, [(int(m.group(1)), m.group(3)) for m in map(ROW.match, out.splitlines())]


def test_inline_ignore_of_one_code(project, capsys):
    source = SCRIPT.replace("params.start)\n", "params.start) // fluxparams: ignore[FP202]\n")
    assert _check_source(project, capsys, source) == (1, [(3, "FP103"), (4, "FP201")])


def test_inline_ignore_list_prefix_and_bare(project, capsys):
    source = ('from(bucket: "b")\n    |> range(start: params.start) // fluxparams: ignore[FP101, FP2]\n'
              'x = fron(bucket: "b") // fluxparams: ignore\n'
              'y = params.u + uint(v: 1) //fluxparams:ignore[fp201]\n')
    assert _check_source(project, capsys, source) == (0, [])


def test_inline_ignore_of_another_code_or_line_does_not_silence(project, capsys):
    source = ('// fluxparams: ignore\nfrom(bucket: "b")\n'
              '    |> range(start: params.start) // fluxparams: ignore[FP201]\n'
              'x = fron(bucket: "b") // fluxparams: ignore[]\n')
    assert _check_source(project, capsys, source) == (1, [(3, "FP202"), (4, "FP103")])


def test_inline_ignore_applies_to_the_start_line_of_a_multiline_finding(project, capsys):
    # The syntax error starts on line 2; the comment on line 2 silences it.
    source = 'x = 1\ny = ) // fluxparams: ignore[FP001]\n'
    assert _check_source(project, capsys, source) == (0, [])


# -- the pieces directly --------------------------------------------------------------------

def test_selection_wants():
    selection = config.Selection(("FP1", "FP202"), ("FP103",))
    assert selection.wants("FP101") and selection.wants("FP202")
    assert not selection.wants("FP103") and not selection.wants("FP201") and not selection.wants("FP001")


def test_parse_codes():
    assert config.parse_codes("fp1, FP202,,", "x") == ("FP1", "FP202")
    assert config.parse_codes(["FP"], "x") == ("FP",)
    with pytest.raises(config.ConfigError, match="'XX1'"):
        config.parse_codes("FP1,XX1", "--select")


def test_inline_ignores_map():
    source = 'a = 1 // fluxparams: ignore[FP101,fp2]\nb = "// not a comment"\n// fluxparams: ignore\r\n'
    assert config.inline_ignores(source) == {1: ("FP101", "FP2"), 3: None}
    assert config.is_silenced("FP202", 1, config.inline_ignores(source))
    assert not config.is_silenced("FP102", 1, config.inline_ignores(source))
    assert config.is_silenced("FP001", 3, config.inline_ignores(source))
