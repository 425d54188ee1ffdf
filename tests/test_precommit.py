"""The pre-commit hook, end to end: the real ``pre-commit try-repo`` on this checkout.

pre-commit installs the hook repository into a virtualenv of its own (from PyPI: hatchling,
lark), so the first run takes a minute or more. The checkout is copied into a fresh git
repository first, because try-repo ignores files git does not track yet and this test must
exercise the tree as it is on disk.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List

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


@pytest.mark.slow  # each try-repo takes seconds; the first also builds the hook's environment
def test_hook_fails_on_a_bad_script(setup):
    result = try_repo(setup, "bad.flux", "good.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "bad.flux:2:21: FP202" in output
    assert "bad.flux:3:5: FP103" in output
    assert "good.flux:" not in output


@pytest.mark.slow
def test_hook_passes_on_a_good_script(setup):
    result = try_repo(setup, "good.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output


@pytest.mark.slow
def test_hook_only_runs_on_flux_files(setup):
    result = try_repo(setup, "notes.txt")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no files to check" in output.lower()


def test_manifest_is_valid():
    from pre_commit.clientlib import load_manifest

    check, fmt = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert check["id"] == "fluxparams" and check["language"] == "python"
    assert check["entry"] == "fluxparams check"
    assert fmt["id"] == "fluxparams-fmt" and fmt["language"] == "python"
    assert fmt["entry"] == "fluxparams fmt" and fmt["files"] == check["files"]


# -- the project's own .pre-commit-config.yaml ----------------------------------------------------


def test_project_config_is_valid_and_local():
    from pre_commit.clientlib import load_config

    config = load_config(str(REPO / ".pre-commit-config.yaml"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    hooks = {hook["id"]: hook for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "mypy", "fluxparams"}
    assert hooks["mypy"]["entry"].endswith("mypy --strict src/fluxparams")
    assert hooks["fluxparams"]["files"] == r"^examples/.*\.flux$"


@pytest.fixture(scope="module")
def project(setup):
    """The checkout's snapshot with .venv pointing at the environment running these tests."""
    hook_repo, _, env = setup
    bindir = Path(sys.executable).parent
    for tool in ("ruff", "mypy", "fluxparams"):
        if not (bindir / tool).exists():
            pytest.skip(f"{tool} is not installed in {bindir.parent}")
    (hook_repo / ".venv").symlink_to(bindir.parent, target_is_directory=True)
    return hook_repo, env


def run_hook(project, hook: str, *files: str) -> subprocess.CompletedProcess:
    repo, env = project
    chosen = ["--files", *files] if files else ["--all-files"]
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook, "--verbose", *chosen],
        cwd=repo, env=env, capture_output=True, text=True, timeout=1200)


@pytest.mark.slow
def test_project_fluxparams_hook_checks_the_examples(project):
    result = run_hook(project, "fluxparams")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    repo, _ = project
    bad = repo / "examples" / "broken.flux"
    bad.write_text("from(bucket: params.b) |> range(start: params.start)\nx = fron\n",
                   encoding="utf-8")
    try:
        result = run_hook(project, "fluxparams", "examples/broken.flux")
    finally:
        bad.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "examples/broken.flux:1:40: FP202" in result.stdout
    assert "examples/broken.flux:2:5: FP103" in result.stdout


@pytest.mark.slow
def test_project_ruff_hook_reports_a_finding(project):
    repo, _ = project
    bad = repo / "scripts" / "lint_me.py"
    bad.write_text("import os\n", encoding="utf-8")
    try:
        result = run_hook(project, "ruff", "scripts/lint_me.py")
    finally:
        bad.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "F401" in result.stdout


# -- the README's hook configurations, run exactly as written -------------------------------------

WARN_ONLY = 'from(bucket: "b")\n    |> range(start: params.start)\n'
PLACEHOLDER_PATH = "/path/to/fluxparams"
PLACEHOLDER_REV = "0123456789abcdef0123456789abcdef01234567"


def readme_hook_configs() -> List[str]:
    """The yaml blocks of the README's pre-commit section: [local hook, pinned clone]."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## The pre-commit hook", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```yaml\n(.*?)^```", section, re.M | re.S)


def test_readme_and_cli_page_show_the_same_two_configurations():
    blocks = readme_hook_configs()
    assert len(blocks) == 2
    assert "repo: local" in blocks[0] and PLACEHOLDER_REV in blocks[1]
    cli_page = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    section = cli_page.split("## pre-commit", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^```yaml\n(.*?)^```", section, re.M | re.S) == blocks
    from pre_commit.clientlib import load_config

    for block in blocks:
        with tempfile.TemporaryDirectory() as directory:
            config = Path(directory) / ".pre-commit-config.yaml"
            config.write_text(block, encoding="utf-8")
            (repo,) = load_config(str(config))["repos"]
            assert [hook["id"] for hook in repo["hooks"]] == ["fluxparams"]


def _project_with(base: Path, config: str) -> Path:
    work = base
    work.mkdir()
    _init(work)
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (work / "good.flux").write_text(GOOD, encoding="utf-8")
    (work / "bad.flux").write_text(BAD, encoding="utf-8")
    (work / "warn.flux").write_text(WARN_ONLY, encoding="utf-8")
    git(work, "add", "-A")
    return work


def pre_commit_run(work: Path, env: dict, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files],
                          cwd=work, env=env, capture_output=True, text=True, timeout=1200)


def _assert_policy(work: Path, env: dict) -> None:
    result = pre_commit_run(work, env, "bad.flux", "good.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "bad.flux:3:5: FP103" in output and "bad.flux:2:21: FP202" in output
    assert "good.flux:" not in output
    # warnings alone: shown (verbose: true), and the commit goes through
    result = pre_commit_run(work, env, "warn.flux", "good.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warn.flux:2:21: FP202" in output and "Passed" in output


@pytest.mark.slow
def test_readme_local_hook_works_as_written(setup, tmp_path):
    _, _, env = setup
    bindir = Path(sys.executable).parent
    if not (bindir / "fluxparams").exists():
        pytest.skip(f"fluxparams is not installed in {bindir.parent}")
    # "installed where pre-commit runs": this environment's bin directory first on PATH
    env = dict(env, PATH=str(bindir) + os.pathsep + env.get("PATH", ""))
    work = _project_with(tmp_path / "work", readme_hook_configs()[0])
    _assert_policy(work, env)


@pytest.mark.slow
def test_readme_pinned_clone_works_with_the_path_and_commit_filled_in(setup, tmp_path):
    hook_repo, _, env = setup
    commit = git(hook_repo, "rev-parse", "HEAD").strip()
    config = readme_hook_configs()[1]
    assert config.count(PLACEHOLDER_PATH) == 1 and config.count(PLACEHOLDER_REV) == 1
    config = config.replace(PLACEHOLDER_PATH, str(hook_repo)).replace(PLACEHOLDER_REV, commit)
    work = _project_with(tmp_path / "work", config)
    _assert_policy(work, env)


# -- the formatting hook (fluxparams-fmt) ---------------------------------------------------------
# Expected text: libflux's formatter output, committed with the format cases (see test_cli_fmt.py).
# The published hook runs through the pinned-clone configuration (pre-commit installs it from
# .pre-commit-hooks.yaml into the environment the README's pinned test already built), not
# through try-repo, which builds a new environment for every call.

FORMAT_CASES = REPO / "tests" / "cases" / "format"
UNFORMATTED = FORMAT_CASES / "comments" / "on_long_pipe"
FORMATTED = FORMAT_CASES / "expressions" / "functions"  # a fixed point of libflux's formatter
BROKEN = "x = 1\ny = )\n"


def _fmt_project(work: Path, config: str = "") -> Path:
    work.mkdir()
    _init(work)
    if config:
        (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    (work / "ugly.flux").write_bytes(UNFORMATTED.with_suffix(".flux").read_bytes())
    (work / "tidy.flux").write_bytes(FORMATTED.with_suffix(".flux").read_bytes())
    (work / "broken.flux").write_text(BROKEN, encoding="utf-8")
    (work / "notes.txt").write_bytes(UNFORMATTED.with_suffix(".flux").read_bytes())
    git(work, "add", "-A")
    return work


def _assert_fmt_hook(run) -> None:
    """run(*files) runs the fmt hook on those files of the project; what it must do."""
    work, result = run("ugly.flux", "tidy.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "files were modified by this hook" in output
    assert "ugly.flux: reformatted" in output and "tidy.flux" not in output
    assert (work / "ugly.flux").read_bytes() == UNFORMATTED.with_suffix(".formatted").read_bytes()
    assert (work / "tidy.flux").read_bytes() == FORMATTED.with_suffix(".flux").read_bytes()
    git(work, "add", "-A")  # what a user does next: stage the formatted file and commit again
    work, result = run("ugly.flux", "tidy.flux")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
    # a file that does not parse: reported as check reports it, left as it is
    work, result = run("broken.flux")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "broken.flux:2:5: FP001 " in output
    assert "files were modified by this hook" not in output
    assert (work / "broken.flux").read_text(encoding="utf-8") == BROKEN
    work, result = run("notes.txt")
    assert result.returncode == 0 and "no files to check" in result.stdout.lower()


def docs_fmt_hook_configs() -> List[str]:
    """The yaml blocks of docs/cli.md's fmt section: [local hook, pinned clone]."""
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("## `fluxparams fmt`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```yaml\n(.*?)^```", section, re.M | re.S)


def test_docs_fmt_hook_configurations_are_valid():
    from pre_commit.clientlib import load_config

    blocks = docs_fmt_hook_configs()
    assert len(blocks) == 2
    assert "repo: local" in blocks[0] and PLACEHOLDER_REV in blocks[1]
    for block, ids in zip(blocks, (["fluxparams-fmt"], ["fluxparams-fmt", "fluxparams"])):
        with tempfile.TemporaryDirectory() as directory:
            config = Path(directory) / ".pre-commit-config.yaml"
            config.write_text(block, encoding="utf-8")
            (repo,) = load_config(str(config))["repos"]
            assert [hook["id"] for hook in repo["hooks"]] == ids


def _run_documented(work: Path, env: dict):
    def run(*files: str):
        return work, subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "fluxparams-fmt", "--files", *files],
            cwd=work, env=env, capture_output=True, text=True, timeout=1200)
    return run


@pytest.mark.slow
def test_docs_local_fmt_hook_works_as_written(setup, tmp_path):
    _, _, env = setup
    bindir = Path(sys.executable).parent
    if not (bindir / "fluxparams").exists():
        pytest.skip(f"fluxparams is not installed in {bindir.parent}")
    env = dict(env, PATH=str(bindir) + os.pathsep + env.get("PATH", ""))
    work = _fmt_project(tmp_path / "work", docs_fmt_hook_configs()[0])
    _assert_fmt_hook(_run_documented(work, env))


@pytest.mark.slow
def test_docs_pinned_fmt_hook_works_with_the_path_and_commit_filled_in(setup, tmp_path):
    hook_repo, _, env = setup
    commit = git(hook_repo, "rev-parse", "HEAD").strip()
    config = docs_fmt_hook_configs()[1]
    assert config.count(PLACEHOLDER_PATH) == 1 and config.count(PLACEHOLDER_REV) == 1
    config = config.replace(PLACEHOLDER_PATH, str(hook_repo)).replace(PLACEHOLDER_REV, commit)
    work = _fmt_project(tmp_path / "work", config)
    _assert_fmt_hook(_run_documented(work, env))
