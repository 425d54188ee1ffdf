"""The grammar lives at the top of the repository but must ship inside the wheel.

Build the wheel, install it into a fresh virtual environment outside the checkout, and parse and
analyze a script there: this fails if flux.lark (or the stdlib data) is missing from the wheel,
because an installed package cannot fall back to the repository's files.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO


def _run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)])
    wheels = list(out.glob("fluxparams-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_grammar_and_stdlib(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "fluxparams/grammar/flux.lark" in names
    assert "fluxparams/data/stdlib_types.json" in names
    grammar = zipfile.ZipFile(wheel).read("fluxparams/grammar/flux.lark").decode()
    assert grammar == (REPO / "grammar" / "flux.lark").read_text(encoding="utf-8")


def test_installed_wheel_parses_and_analyzes(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)])
    script = tmp_path / "q.flux"
    script.write_text('from(bucket: params.bucket) |> range(start: -1h) |> limit(n: params.n)\n')
    # Run from outside the checkout, with a private cache dir, so nothing of the repo can be found.
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH="")
    code = (
        "import fluxparams, importlib.resources as r;"
        "t = fluxparams.parse(open(r'%s').read());"
        "print(type(t).__name__, (r.files('fluxparams') / 'grammar' / 'flux.lark').is_file())" % script
    )
    out = _run([str(python), "-c", code], cwd=tmp_path, env=env).stdout.split()
    assert out == ["File", "True"]
    analyzed = _run([str(bindir / "fluxparams"), "analyze", str(script)], cwd=tmp_path, env=env).stdout
    assert json.loads(analyzed) == {"params": {"bucket": "string", "n": "int"}}
