"""The pre-commit hook, end to end: the real ``pre-commit try-repo`` on this checkout.

pre-commit installs the hook repository into a virtualenv of its own (from PyPI: hatchling,
lark), so the first run takes a minute or more. The checkout is copied into a fresh git
repository first, because try-repo ignores files git does not track yet and this test must
exercise the tree as it is on disk.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

GOOD = 'from(bucket: params.bucket)\n    |> range(start: duration(v: params.since))\n'
BAD = 'from(bucket: "b")\n    |> range(start: params.start)\nx = fron(bucket: "b")\n'

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def _init(repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "fluxparams tests")
    git(repo, "config", "user.email", "tests@example.invalid")
    git(repo, "config", "commit.gpgsign", "false")


def _snapshot_of_checkout(target: Path) -> Path:
    """This checkout's files (tracked or not, minus .gitignore'd ones) committed in a new repo."""
    listing = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _init(target)
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    if not (REPO / ".git").exists():
        pytest.skip("the checkout is not a git repository")
    base = tmp_path_factory.mktemp("precommit")
    hook_repo = _snapshot_of_checkout(base / "hook-repo")
    work = base / "work"
    work.mkdir()
    _init(work)
    (work / "good.flux").write_text(GOOD, encoding="utf-8")
    (work / "bad.flux").write_text(BAD, encoding="utf-8")
    (work / "notes.txt").write_text("y = )\n", encoding="utf-8")
    git(work, "add", "-A")
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "pre-commit-home"),
               PIP_DISABLE_PIP_VERSION_CHECK="1", PRE_COMMIT_COLOR="never")
    env.pop("VIRTUAL_ENV", None)
    return hook_repo, work, env


def try_repo(setup, *files: str) -> subprocess.CompletedProcess:
    hook_repo, work, env = setup
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "fluxparams",
         "--verbose", "--files", *files],
        cwd=work, env=env, capture_output=True, text=True, timeout=1200)


def test_hook_fails_on_a_bad_script(setup):
    result = try_repo(setup, "bad.flux", "good.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "bad.flux:2:21: FP202" in output
    assert "bad.flux:3:5: FP103" in output
    assert "good.flux:" not in output


def test_hook_passes_on_a_good_script(setup):
    result = try_repo(setup, "good.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output


def test_hook_only_runs_on_flux_files(setup):
    result = try_repo(setup, "notes.txt")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no files to check" in output.lower()


def test_manifest_is_valid():
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "fluxparams" and hook["language"] == "python"
    assert hook["entry"] == "fluxparams check"
