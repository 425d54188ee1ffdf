"""``fluxparams check --jobs``: files checked in several processes report exactly what one does.

Through the real command line (a subprocess per run), with a private cache directory.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from fluxparams.parallel import map_chunks, worker_count

GOOD = 'from(bucket: params.bucket)\n    |> range(start: duration(v: params.since))\n'
BAD = 'from(bucket: "b")\n    |> range(start: params.start)\nx = fron(bucket: "b")\n'
SHAPES = [
    GOOD,
    BAD,
    "x = )\n",                                      # FP001
    'a = {x: 1} + 1\n',                             # FP102, folded in text output
    BAD.replace("fron", "fron // fluxparams: ignore[FP103]"),
    's = "é" + 1\n',                                # character columns differ from bytes
    'from(bucket: v.bucket) |> range(start: v.timeRangeStart)\n',
]


def check(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, FLUXPARAMS_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def corpus(root: Path, count: int) -> Path:
    tree = root / "scripts"
    for i in range(count):
        sub = tree / f"d{i % 5}"
        sub.mkdir(parents=True, exist_ok=True)
        text = SHAPES[i % len(SHAPES)] + f"n{i} = {i}\n"
        (sub / f"s{i:03d}.flux").write_text(text, encoding="utf-8")
    (tree / "d0" / "latin1.flux").write_bytes(b'y = "caf\xe9"\n')  # FP001: not UTF-8
    return tree


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_every_job_count_reports_the_serial_result(tmp_path: Path, fmt: str) -> None:
    tree = corpus(tmp_path, 150)
    missing = str(tmp_path / "missing.flux")
    runs: Dict[str, subprocess.CompletedProcess] = {}
    for jobs in ("1", "2", "3"):
        runs[jobs] = check("--no-cache", "--format", fmt, "--jobs", jobs, str(tree), missing,
                           cache=tmp_path / "cache")
    runs["default"] = check("--no-cache", "--format", fmt, str(tree), missing,
                            cache=tmp_path / "cache")
    serial = runs["1"]
    assert serial.returncode == 2  # the missing file
    assert "FP103" in serial.stdout and "FP001" in serial.stdout
    assert serial.stderr.strip() == f"fluxparams: error: {missing}: No such file or directory"
    for jobs, run in runs.items():
        assert (run.returncode, run.stdout, run.stderr) == \
            (serial.returncode, serial.stdout, serial.stderr), jobs


def test_jobs_must_be_a_positive_whole_number(tmp_path: Path) -> None:
    script = tmp_path / "one.flux"
    script.write_text(GOOD, encoding="utf-8")
    for bad in ("0", "-1", "two"):
        run = check("--jobs", bad, str(script), cache=tmp_path / "cache")
        assert run.returncode == 2
        assert "--jobs" in run.stderr and "expected a whole number of processes" in run.stderr
        assert "Traceback" not in run.stderr


def test_one_file_and_few_files_stay_in_this_process() -> None:
    assert worker_count(0, 1, 32) == 1
    assert worker_count(8, 40, 32) == 1
    assert worker_count(2, 64, 32) == 2
    assert worker_count(1, 10_000, 32) == 1
    assert worker_count(3, 10_000, 32) == 3


def _reversed_chunk(chunk: List[int]) -> List[int]:
    return [-x for x in chunk]


def test_map_chunks_keeps_the_input_order() -> None:
    items = list(range(1000))
    assert list(map_chunks(_reversed_chunk, items, 2)) == [-x for x in items]
