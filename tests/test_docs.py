"""The documentation holds together: links resolve, the README stays short and its commands true."""
from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
from conftest import REPO, SLOW_TESTS

from fluxparams import cli

README = REPO / "README.md"
README_MAX_LINES = 260


def documents() -> List[Path]:
    pages = [README, REPO / "ARCHITECTURE.md", REPO / "CONTRIBUTING.md", REPO / "CHANGELOG.md",
             REPO / "benchmarks" / "RESULTS.md"]
    return pages + sorted((REPO / "docs").glob("*.md"))


FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]\n]+\]:\s*(\S+)", re.M)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The text without code blocks and inline code, where brackets are not links."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def links(text: str) -> Iterator[str]:
    body = prose(text)
    yield from LINK.findall(body)
    yield from REFERENCE.findall(body)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> Set[str]:
    return {slug(h) for h in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8")))}


def relative_links() -> List[Tuple[Path, str]]:
    found = []
    for page in documents():
        for target in links(page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
                continue
            found.append((page, target))
    return found


def test_the_documents_exist():
    for page in documents():
        assert page.is_file(), page
    for name in ("cli", "library", "conformance", "design-inference"):
        assert (REPO / "docs" / f"{name}.md").is_file(), name


@pytest.mark.parametrize("page,target", relative_links(),
                         ids=lambda v: v.relative_to(REPO).as_posix() if isinstance(v, Path) else v)
def test_relative_link_resolves(page: Path, target: str):
    path_part, _, fragment = target.partition("#")
    destination = (page.parent / path_part).resolve() if path_part else page
    assert destination.exists(), f"{page.relative_to(REPO)}: {target} -> {destination} does not exist"
    assert REPO in destination.parents or destination == REPO, f"{target} leaves the repository"
    if fragment and destination.suffix == ".md":
        assert fragment in anchors(destination), f"{page.relative_to(REPO)}: no heading #{fragment}"


def test_the_link_checker_sees_links_and_skips_code():
    text = ('see [a](docs/a.md), [b](b.md "title") and [c][1]\n\n[1]: ../x.md\n'
            "`[no](code.md)`\n```\n[no](y.md)\n```\n")
    assert list(links(text)) == ["docs/a.md", "b.md", "../x.md"]
    assert slug("`parse`: the syntax tree") == "parse-the-syntax-tree"
    assert slug("Invocation parameters: JSON → Flux") == "invocation-parameters-json--flux"


def test_readme_stays_short():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < README_MAX_LINES, f"README.md has {lines} lines; move detail to docs/"


def readme_commands() -> List[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("python3 -m venv")]


def test_readme_has_the_two_commands_and_ci_runs_the_test_command():
    setup, test = readme_commands()
    assert "fluxparams analyze" in setup and "examples/cpu-report.flux" in setup
    assert "pytest" in test and "[serve,test]" in test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, ".ci/run must run the README's test command"
    # The example the setup command analyses exists.
    assert (REPO / shlex.split(setup)[-1]).is_file()


def test_readme_first_example_is_what_analyze_prints(capsys):
    text = README.read_text(encoding="utf-8")
    script = re.search(r"```flux\n// examples/cpu-report.flux\n(.*?)```", text, re.S).group(1)
    example = (REPO / "examples" / "cpu-report.flux").read_text(encoding="utf-8")
    assert script == re.sub(r"\A(//[^\n]*\n)+", "", example)  # the file's own header comment aside
    shown = re.search(r"\$ fluxparams analyze examples/cpu-report.flux\n(.*)\n", text).group(1)
    assert cli.main(["analyze", str(REPO / "examples" / "cpu-report.flux")]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(shown)


def test_contributing_documents_the_fast_loop_and_the_slow_list_names_real_tests():
    assert '-m "not slow"' in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for name in sorted(SLOW_TESTS):
        module, _, test = name.partition("::")
        source = (REPO / "tests" / module).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(test)}\(", source, re.M), f"conftest SLOW_TESTS: {name} is gone"
