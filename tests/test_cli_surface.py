"""Issue 13, point 8: ``serve --help``, the missing-extra message as documented, analyze(None)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO


def fluxparams(*argv: str, cwd: Path, env_path: str = "") -> subprocess.CompletedProcess:
    env = None
    if env_path:
        import os
        env = dict(os.environ, PYTHONPATH=env_path)
    return subprocess.run([sys.executable, "-m", "fluxparams.cli", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_serve_help_describes_the_command(tmp_path):
    result = fluxparams("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    description = result.stdout.split("\n\n")[1]
    assert "invokable-scripts API" in description
    assert "pip install 'fluxparams[serve]'" in " ".join(description.split())


def _documented_missing_extra_message() -> str:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    match = re.search(r"without the `serve` extra installed prints \(and exits 2\):\n\n```\n"
                      r"(.+)\n```", text)
    assert match, "docs/cli.md no longer shows the missing-extra message"
    return match.group(1)


@pytest.fixture
def without_the_extra(tmp_path):
    """A PYTHONPATH on which starlette and uvicorn cannot be imported, as when not installed."""
    blocked = tmp_path / "blocked"
    for name in ("starlette", "uvicorn"):
        (blocked / name).mkdir(parents=True)
        (blocked / name / "__init__.py").write_text(
            f"raise ModuleNotFoundError(\"No module named '{name}'\", name={name!r})\n")
    return str(blocked)


def test_serve_without_the_extra_prints_the_documented_message(tmp_path, without_the_extra):
    result = fluxparams("serve", "--db", str(tmp_path / "s.db"), cwd=tmp_path,
                        env_path=without_the_extra)
    assert result.returncode == 2
    assert result.stderr.strip() == _documented_missing_extra_message()


def test_token_works_without_the_extra(tmp_path, without_the_extra):
    result = fluxparams("token", "list", "--db", str(tmp_path / "s.db"), cwd=tmp_path,
                        env_path=without_the_extra)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ID")


@pytest.mark.parametrize("value, kind", [("None", "NoneType"), ("b'x = 1'", "bytes"),
                                         ("42", "int")])
@pytest.mark.parametrize("function", ["analyze", "find_params"])
def test_a_script_that_is_not_text_gets_a_clear_type_error(tmp_path, function, value, kind):
    probe = (f"import fluxparams\ntry:\n    fluxparams.{function}({value})\n"
             "except TypeError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    message = result.stdout.strip()
    assert message.startswith(f"{function}() expects the script's source text as a str, "
                              f"got {kind}")
    assert "len()" not in message
    if kind == "bytes":
        assert "decode" in message
