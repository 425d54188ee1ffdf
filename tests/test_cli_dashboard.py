"""Dashboard variables (issue 13, point 6): FP107 says what ``v`` is; ``check --fix`` converts.

libflux's own errors for DASHBOARD (from the oracle, flux v0.193.0): ``1:14-1:15``,
``2:21-2:22``, ``2:45-2:46`` and ``4:31-4:32``, each ``undefined identifier v``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import fluxparams

DASHBOARD = ('from(bucket: v.bucket)\n'
             '    |> range(start: v.timeRangeStart, stop: v.timeRangeStop)\n'
             '    |> filter(fn: (r) => r._measurement == "cpu")\n'
             '    |> aggregateWindow(every: v.windowPeriod, fn: mean)\n')
CONVERTED = DASHBOARD.replace("v.", "params.")
LIBFLUX = ["1:14-1:15: undefined identifier v", "2:21-2:22: undefined identifier v",
           "2:45-2:46: undefined identifier v", "4:31-4:32: undefined identifier v"]


def check(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def rows(text: str) -> List[str]:
    return [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in text.splitlines()]


def test_each_dashboard_variable_says_what_v_is(tmp_path):
    (tmp_path / "cell.flux").write_text(DASHBOARD, encoding="utf-8")
    result = check("cell.flux", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert rows(result.stdout) == ["cell.flux:1:14: FP107", "cell.flux:2:21: FP107",
                                   "cell.flux:2:45: FP107", "cell.flux:4:31: FP107"]
    assert "v.timeRangeStart is an InfluxDB dashboard variable" in lines[1]
    assert "params.timeRangeStart (fluxparams check --fix rewrites it)" in lines[1]
    assert all("undefined identifier v" in line for line in lines)


def test_libfluxs_error_stays_attached():
    found = fluxparams.analyze(DASHBOARD).diagnostics
    assert [d.code for d in found] == ["FP107"] * 4
    assert sorted(str(d.libflux) for d in found) == sorted(LIBFLUX)
    assert found[1].to_dict()["end_column"] == 37  # the whole v.timeRangeStart


def test_fix_rewrites_v_as_params_and_reports_each_change(tmp_path):
    cell = tmp_path / "cell.flux"
    cell.write_text(DASHBOARD, encoding="utf-8")
    result = check("--fix", "cell.flux", cwd=tmp_path)
    assert cell.read_text(encoding="utf-8") == CONVERTED
    assert result.stderr.splitlines() == [
        "cell.flux:1:14: fixed FP107 v.bucket -> params.bucket",
        "cell.flux:2:21: fixed FP107 v.timeRangeStart -> params.timeRangeStart",
        "cell.flux:2:45: fixed FP107 v.timeRangeStop -> params.timeRangeStop",
        "cell.flux:4:31: fixed FP107 v.windowPeriod -> params.windowPeriod"]
    # what is left is the next step of the conversion: warnings, which pass by default
    assert rows(result.stdout) == ["cell.flux:2:21: FP202", "cell.flux:2:50: FP202",
                                   "cell.flux:4:31: FP201"]
    assert result.returncode == 0
    assert fluxparams.analyze(CONVERTED).params == {
        "bucket": "string", "timeRangeStart": "any", "timeRangeStop": "any",
        "windowPeriod": "duration"}
    again = check("--fix", "cell.flux", cwd=tmp_path)
    assert again.stderr == "" and cell.read_text(encoding="utf-8") == CONVERTED


def test_fix_leaves_a_scripts_own_v_and_unsafe_sites_alone(tmp_path):
    own = tmp_path / "own.flux"
    own.write_text("v = {bucket: \"b\"}\nfrom(bucket: v.bucket)\n", encoding="utf-8")
    rebound = tmp_path / "rebound.flux"
    rebound.write_text("params = {a: 1}\nx = v.a\n", encoding="utf-8")
    result = check("--fix", "own.flux", "rebound.flux", cwd=tmp_path)
    assert own.read_text(encoding="utf-8") == "v = {bucket: \"b\"}\nfrom(bucket: v.bucket)\n"
    assert rebound.read_text(encoding="utf-8") == "params = {a: 1}\nx = v.a\n"
    assert "rebound.flux:2:5: not fixed: params.a would not read an invoke param there" in result.stderr
    assert "rebound.flux:2:5: FP107" in result.stdout and "own.flux" not in result.stdout


def test_fix_respects_ignores_and_refuses_stdin(tmp_path):
    cell = tmp_path / "cell.flux"
    source = "x = v.a // fluxparams: ignore[FP107]\ny = v.b\n"
    cell.write_text(source, encoding="utf-8")
    check("--fix", "cell.flux", cwd=tmp_path)
    assert cell.read_text(encoding="utf-8") == source.replace("v.b", "params.b")
    stdin = check("--fix", "-", cwd=tmp_path)
    assert stdin.returncode == 2 and "cannot take '-'" in stdin.stderr


def test_fix_after_non_ascii_text_on_the_line(tmp_path):
    # libflux's columns are bytes: the fix must splice bytes, the report counts characters
    cell = tmp_path / "cell.flux"
    cell.write_text('x = {label: "日本", b: v.bucket, c: v.c}\n', encoding="utf-8")
    result = check("--fix", "cell.flux", cwd=tmp_path)
    assert cell.read_text(encoding="utf-8") == 'x = {label: "日本", b: params.bucket, c: params.c}\n'
    assert result.stderr.splitlines() == [
        "cell.flux:1:22: fixed FP107 v.bucket -> params.bucket",
        "cell.flux:1:35: fixed FP107 v.c -> params.c"]
