"""The benchmark harness works: its corpus is valid Flux and `run.py --quick` completes.

No timing is asserted here; benchmarks/run.py is where speed is measured.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

import fluxparams  # noqa: E402

SIZES = {"small": (3, 10), "medium": (30, 100), "large": (1000, None)}


def sample():
    return {k: corpus.generate(k, n) for k, n in (("small", 12), ("medium", 6), ("large", 1))}


@pytest.mark.parametrize("kind", sorted(SIZES))
def test_sizes_are_in_range(kind):
    lo, hi = SIZES[kind]
    for script in corpus.generate(kind, 8 if kind != "large" else 2):
        lines = script.count("\n")
        assert lines >= lo and (hi is None or lines <= hi), (kind, lines)
        assert "params." in script


def test_generator_is_deterministic_and_seeded():
    assert corpus.generate("medium", 3) == corpus.generate("medium", 3)
    assert corpus.generate("medium", 3, seed=1) != corpus.generate("medium", 3, seed=2)


def test_scaled_copies_rename_their_names():
    one, ten = corpus.scaled(1), corpus.scaled(10)
    assert ten.count("params.") == 10 * one.count("params.")
    # every definition appears once: copies do not redefine each other's names
    defs = [line.split(" = ")[0] for line in ten.splitlines() if " = " in line and not line.startswith(" ")]
    assert len(defs) == len(set(defs))
    assert corpus.scaled(2, prefix="a") != corpus.scaled(2, prefix="b")


def test_corpus_parses_with_fluxparams():
    scripts = [s for group in sample().values() for s in group] + [corpus.scaled(3)]
    for script in scripts:
        fluxparams.parse(script)  # raises FluxSyntaxError on a script the generator got wrong


def test_corpus_parses_with_libflux(tmp_path):
    oracle = shared_path("oracle", "oracle.js")
    shared_path("oracle", "node_modules")  # `npm ci` not run there: no libflux to ask
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is absent")
    scripts = [s for group in sample().values() for s in group] + [corpus.scaled(3)]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "script": s}) + "\n" for i, s in enumerate(scripts)), "utf-8")
    out = subprocess.run([node, str(oracle), "--parse-only", "--jsonl", str(src)],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    results = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(results) == len(scripts)
    bad = [(r["id"], r["parse_errors"][:2]) for r in results if r["parse_ok"] is not True]
    assert bad == []


def test_held_out_like_corpus_is_the_parsing_analyze_cases():
    scripts = corpus.case_scripts(REPO / "tests" / "cases" / "analyze")
    assert len(scripts) > 300
    for script in scripts:
        fluxparams.analyze(script)  # libflux parses each (its committed answer says so): so must we


def test_stdlib_corpus_is_read_from_shared():
    root = shared_path("flux", "stdlib-v0.193.0")
    scripts = corpus.stdlib_scripts(root)
    assert len(scripts) > 50 and sum(map(len, scripts)) > 500_000
    assert corpus.stdlib_scripts(root / "absent") == []


@pytest.mark.parametrize("mode", ["parser", "core", "parse"])
def test_libflux_timer_modes(tmp_path, mode):
    oracle = shared_path("oracle")
    shared_path("oracle", "node_modules")  # `npm ci` not run there: no libflux to time
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is absent")
    scripts = corpus.generate("small", 3) + ["x = 1 +\n"]  # the last does not parse
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "script": s}) + "\n" for i, s in enumerate(scripts)), "utf-8")
    out = subprocess.run([node, str(REPO / "benchmarks" / "libflux_timer.js"), str(oracle), mode, str(src),
                          str(src), "2"], capture_output=True, text=True, timeout=300, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert len(result["times_ms"]) == len(result["cpu_ms"]) == len(scripts)
    assert all(0 < t < 10_000 for t in result["times_ms"])
    if mode == "parse":  # only the oracle's parse mode reports acceptance
        assert result["ok"] == [True, True, True, False]


@pytest.mark.slow
def test_quick_run_completes(tmp_path):
    out = tmp_path / "quick.json"
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| # | Measurement |" in proc.stdout
    assert "Machine:" in proc.stdout
    data = json.loads(out.read_text("utf-8"))
    sections = {row["section"] for row in data["rows"]}
    assert {"2", "3", "4", "5", "6"} <= sections
    assert "!" not in sections, [r for r in data["rows"] if r["section"] == "!"]
