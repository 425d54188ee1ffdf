"""fluxparams.format against libflux's formatter over a generated corpus, and its own invariants.

The corpus is scripts/format_corpus.py's: 700 scripts generated from a small grammar of the
language, 200 smaller ones with comments before random tokens, 500 top-level statements of the
stdlib re-spaced at token boundaries (white space removed or added, line breaks, comments before
tokens), and the 89 stdlib files. The oracle's answers are committed in
tests/cases/format/corpus/corpus.jsonl by scripts/oracle_format_expect.py (``corpus --check``
verifies them); a last test asks the oracle live about a fresh generated sample when node and
its modules are there.

For every script fluxparams parses, the formatter must

* print libflux's output byte for byte wherever libflux formats it, keeps its meaning and is
  itself idempotent on it and keeps every comment (entries flagged ``meaning_changed`` /
  ``not_idempotent`` / ``comment_lost`` are the known differences: docs/format.md);
* print the same program (parentheses aside) with every comment of the script, in order, and be
  idempotent: format(format(s)) == format(s).

A script fluxparams refuses must raise FluxSyntaxError and nothing else.
"""
from __future__ import annotations

import functools
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import CASES, REPO, SHARED

import fluxparams
from fluxparams import FluxSyntaxError

sys.path.insert(0, str(REPO / "scripts"))
import format_corpus  # noqa: E402  (scripts/ is not a package)

CORPUS = CASES / "format" / "corpus" / "corpus.jsonl"
STDLIB = SHARED / "flux" / "stdlib-v0.193.0"
FORMAT_JS = SHARED / "oracle" / "format.js"
# libflux's output is another program / is not its own fixed point / lost a comment
KNOWN_DIFFERENCES = ("meaning_changed", "not_idempotent", "comment_lost")
CHUNK = 100  # corpus entries per test: failures are reported together, a chunk at a time


def load_corpus() -> List[dict]:
    text = CORPUS.read_bytes().decode("utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


ENTRIES = load_corpus()


def script_of(entry: dict) -> Optional[str]:
    """The script of an entry; a whole stdlib file is read from ../shared (None when absent)."""
    if "script" in entry:
        script: str = entry["script"]
        return script
    path = STDLIB / entry["id"].split(":", 1)[1]
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return text if hashlib.sha256(text.encode("utf-8")).hexdigest() == entry["sha256"] else None


def expected_of(entry: dict, script: str) -> Optional[str]:
    """libflux's output where the formatter must match it byte for byte, else None."""
    if "error" in entry or any(entry.get(flag) for flag in KNOWN_DIFFERENCES):
        return None
    return script if entry.get("unchanged") else entry["formatted"]


def check_one(script: str, expected: Optional[str], refused: bool = False) -> Optional[str]:
    """What is wrong with formatting ``script`` (None when nothing is); ``refused``: libflux
    refuses it, so must we."""
    try:
        out = fluxparams.format(script)
    except FluxSyntaxError as err:
        if format_corpus.meaning(script) is not None:
            return "format refuses a script fluxparams.parse accepts"
        lines = script.split("\n")
        if not (1 <= err.lineno <= len(lines) and 1 <= err.offset <= len(lines[err.lineno - 1].encode()) + 1):
            return f"the error's position {err.lineno}:{err.offset} is not in the text"
        return None if expected is None else "format refuses a script libflux formats"
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure being looked for
        return f"format raised {type(exc).__name__}: {exc}"
    if refused:
        return "libflux refuses this script, format printed it"
    if expected is not None and out != expected:
        return f"differs from libflux:\n--- libflux\n{expected}\n--- fluxparams\n{out}"
    if out == script:
        return None  # a fixed point: the same program, and formatting it again changes nothing
    if not format_corpus.same_meaning(script, out):
        return f"the output is another program:\n{out}"
    if format_corpus.comments(out) != format_corpus.comments(script):
        return f"a comment is lost or moved out of order:\n{out}"
    again = fluxparams.format(out)
    if again != out:
        return f"not idempotent:\n--- first\n{out}\n--- second\n{again}"
    return None


def report(failures: List[Tuple[str, str]]) -> str:
    shown = "\n\n".join(f"[{key}] {why}" for key, why in failures[:3])
    return f"{len(failures)} failing: {[k for k, _ in failures]}\n\n{shown}"


def chunks() -> Iterator[Tuple[int, int]]:
    for start in range(0, len(ENTRIES), CHUNK):
        yield start, min(start + CHUNK, len(ENTRIES))


@pytest.mark.parametrize("start,stop", list(chunks()), ids=lambda v: str(v))
def test_corpus_matches_libflux(start: int, stop: int) -> None:
    failures = []
    for entry in ENTRIES[start:stop]:
        if "sha256" in entry:
            continue  # a whole stdlib file: test_stdlib_files_are_fixed_points
        script = script_of(entry)
        assert script is not None
        why = check_one(script, expected_of(entry, script), refused="error" in entry)
        if why is not None:
            failures.append((entry["id"], why))
    assert not failures, report(failures)


def test_corpus_is_large_and_covers_its_families() -> None:
    families: Dict[str, int] = {}
    for entry in ENTRIES:
        family = entry["id"][:3]
        families[family] = families.get(family, 0) + 1
    assert families == {"gen": format_corpus.GENERATED, "cmt": format_corpus.COMMENTED,
                        "ws0": format_corpus.RESPACED, "std": 89}
    formatted = [e for e in ENTRIES if expected_of(e, e.get("script", "")) is not None]
    assert len(formatted) > 1000
    assert CORPUS.stat().st_size < 2 * 1024 * 1024


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is 3.9+, but keep it plain
def generated() -> Dict[str, str]:
    return format_corpus.generate()


def test_corpus_is_what_the_generator_makes() -> None:
    """The committed scripts are scripts/format_corpus.py's, in order (the oracle is not asked)."""
    made = dict(generated())
    committed = {e["id"]: e for e in ENTRIES}
    if not STDLIB.is_dir():  # only the generated family does not need ../shared
        made = {k: v for k, v in made.items() if k.startswith(("gen", "cmt"))}
        committed = {k: v for k, v in committed.items() if k.startswith(("gen", "cmt"))}
    assert list(made) == list(committed)
    for key, script in made.items():
        entry = committed[key]
        if "sha256" in entry:
            assert hashlib.sha256(script.encode("utf-8")).hexdigest() == entry["sha256"], key
        else:
            assert entry["script"] == script, key


def test_stdlib_files_are_fixed_points() -> None:
    """libflux leaves all 89 stdlib files as they are; so must we."""
    if not STDLIB.is_dir():
        pytest.skip("../shared/flux/stdlib-v0.193.0 is absent")
    failures = []
    for path in sorted(STDLIB.rglob("*.flux")):
        source = path.read_text(encoding="utf-8")
        try:
            out = fluxparams.format(source)
        except FluxSyntaxError as err:
            failures.append((path.name, f"refused: {err}"))
            continue
        if out != source:
            failures.append((path.name, "changed"))
    assert not failures, report(failures)


def test_generator_makes_valid_and_invalid_scripts() -> None:
    """The grammar generator reaches both sides; the re-spacing keeps stdlib statements valid."""
    made = generated()
    grammar = [s for k, s in made.items() if k.startswith("gen")][:200]
    parsed = sum(format_corpus.meaning(s) is not None for s in grammar)
    assert 0.7 * len(grammar) < parsed < len(grammar)
    respaced = [s for k, s in made.items() if k.startswith("ws")][:100]
    if respaced:
        assert sum(format_corpus.meaning(s) is not None for s in respaced) > 0.95 * len(respaced)
        assert sum("// note" in s for s in respaced) > 10


# ---------------------------------------------------------------------------------------------
# live: the oracle on a fresh sample

LIVE_SAMPLE = 100


def ask_oracle(scripts: Dict[str, str]) -> Dict[str, dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for key, script in scripts.items():
            f.write(json.dumps({"id": key, "script": script}) + "\n")
        name = f.name
    try:
        done = subprocess.run(["node", str(FORMAT_JS), "--jsonl", name], capture_output=True, timeout=300)
    finally:
        Path(name).unlink()
    if b"Cannot find module" in done.stderr:
        pytest.skip("the oracle's node modules are not installed (npm ci in ../shared/oracle)")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    answers = {}
    for item in map(json.loads, filter(None, done.stdout.decode("utf-8").split("\n"))):
        answers[item.pop("id")] = item
    return answers


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_live_oracle_on_a_fresh_sample() -> None:
    if not FORMAT_JS.exists():
        pytest.skip("../shared/oracle is absent")
    # a seed of its own: these scripts are not the committed ones
    gen = format_corpus.Gen(random.Random(format_corpus.SEED + 99))
    scripts = {f"live{i:03d}": gen.script(1 + i % 2) for i in range(LIVE_SAMPLE)}
    # scripts libflux refuses cost it a reload of its WASM each: ask only about valid ones
    scripts = {k: v for k, v in scripts.items() if format_corpus.meaning(v) is not None}
    first = ask_oracle(scripts)
    second = ask_oracle({k: v["formatted"] for k, v in first.items() if "formatted" in v})
    failures = []
    compared = 0
    for key, script in scripts.items():
        answer = first[key]
        expected = answer.get("formatted")
        if expected is not None and (second[key].get("formatted") != expected
                                     or not format_corpus.same_meaning(script, expected)):
            expected = None
        compared += expected is not None
        why = check_one(script, expected, refused="error" in answer)
        if why is not None:
            failures.append((key, why))
    assert compared > LIVE_SAMPLE // 2, compared
    assert not failures, report(failures)
