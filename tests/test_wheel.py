"""The wheel carries everything an installed package needs: grammar, data, py.typed, LICENSE.

Build the wheel, install it into a fresh virtual environment outside the checkout, and parse and
analyze a script there: this fails if flux.lark (or the stdlib data) is missing from the wheel,
because an installed package cannot fall back to the repository's files. A user's
``mypy --strict`` against that installation must see the package's types (PEP 561 ``py.typed``).
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

import fluxparams

pytestmark = pytest.mark.slow


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


def test_wheel_contains_grammar_table_and_stdlib(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "fluxparams/grammar/flux.lark" in names
    assert "fluxparams/data/stdlib_types.json" in names
    # The parser runs on the shipped table, never on Lark: the table must be in the wheel as built.
    table = zipfile.ZipFile(wheel).read("fluxparams/syntax/parse_table.marshal")
    assert table == (REPO / "src" / "fluxparams" / "syntax" / "parse_table.marshal").read_bytes()
    grammar = zipfile.ZipFile(wheel).read("fluxparams/grammar/flux.lark").decode()
    assert grammar == (REPO / "grammar" / "flux.lark").read_text(encoding="utf-8")


def test_wheel_is_typed_licensed_and_versioned(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    assert "fluxparams/py.typed" in names
    dist_info = f"fluxparams-{fluxparams.__version__}.dist-info"
    assert f"{dist_info}/licenses/LICENSE" in names
    license_text = archive.read(f"{dist_info}/licenses/LICENSE").decode()
    assert license_text == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")
    metadata = archive.read(f"{dist_info}/METADATA").decode()
    # One version source: the metadata's version is the package's __version__.
    assert re.search(r"^Version: (.+)$", metadata, re.M).group(1) == fluxparams.__version__
    assert re.search(r"^License: (.+)$", metadata, re.M).group(1) == "MIT"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with only the wheel (and its dependencies) installed."""
    env_dir = tmp_path_factory.mktemp("wheelenv") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)])
    return bindir


def test_installed_wheel_parses_and_analyzes(installed: Path, tmp_path: Path) -> None:
    bindir = installed
    python = bindir / "python"
    script = tmp_path / "q.flux"
    script.write_text('from(bucket: params.bucket) |> range(start: -1h) |> limit(n: params.n)\n')
    # Run from outside the checkout, with a private cache dir, so nothing of the repo can be found.
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH="")
    code = (
        "import fluxparams, importlib.resources as r;"
        f"t = fluxparams.parse(open(r'{script}').read());"
        "print(type(t).__name__, (r.files('fluxparams') / 'grammar' / 'flux.lark').is_file())"
    )
    out = _run([str(python), "-c", code], cwd=tmp_path, env=env).stdout.split()
    assert out == ["File", "True"]
    analyzed = _run([str(bindir / "fluxparams"), "analyze", str(script)], cwd=tmp_path, env=env).stdout
    assert json.loads(analyzed) == {"params": {"bucket": "string", "n": "int"}}


USER_CODE = """\
import fluxparams

analysis = fluxparams.analyze("from(bucket: params.bucket)")
reveal_type(analysis)
reveal_type(analysis.params)
reveal_type(fluxparams.find_params("x = params.a"))
count: int = analysis.params
"""


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_users_mypy_strict_sees_the_installed_types(installed: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(USER_CODE, encoding="utf-8")
    # The user's mypy, pointed at the venv holding the wheel: it finds the package only through its
    # site-packages, where PEP 561 makes it read the inline types only when py.typed is present.
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable",
         str(installed / "python"), "--config-file", os.devnull, str(user)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env=dict(os.environ, MYPYPATH="", PYTHONPATH=""),
    )
    out = proc.stdout.replace(str(user), "user.py")
    assert "missing library stubs or py.typed marker" not in out, out
    assert 'user.py:4: note: Revealed type is "fluxparams.api.Analysis"' in out, out
    # mypy < 2 spells builtins with their module ("builtins.str"), mypy 2 without.
    b = r"(?:builtins\.)?"
    assert re.search(rf'user.py:5: note: Revealed type is "{b}dict\[{b}str, {b}str\]"', out), out
    assert re.search(rf'user.py:6: note: Revealed type is "{b}set\[{b}str\]"', out), out
    # The deliberate mistake is reported, so the types are real, not Any.
    assert re.search(r"user.py:7: error: Incompatible types in assignment", out), out
    assert proc.returncode == 1, out


def test_wheel_ships_the_web_page(wheel: Path) -> None:
    # The page at / of fluxparams serve is static files in the package (docs/web.md): every one
    # must be in the wheel as it is in the checkout.
    archive = zipfile.ZipFile(wheel)
    assets = sorted((REPO / "src" / "fluxparams" / "service" / "web").iterdir())
    assert {p.name for p in assets} >= {"index.html", "app.js", "style.css", "favicon.svg"}
    for path in assets:
        assert archive.read(f"fluxparams/service/web/{path.name}") == path.read_bytes(), path.name
