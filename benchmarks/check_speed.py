"""`fluxparams check DIR` throughput: cold (empty result cache), warm (unchanged files), libflux.

    python benchmarks/check_speed.py                     # 2,000 small scripts, 3 runs each
    python benchmarks/check_speed.py --files 500 --kind medium --runs 5
    python benchmarks/check_speed.py --break-even        # when worker processes start to pay

Every number is the wall time of a whole command, start-up included, median of --runs:

* cold: `fluxparams check DIR` with an empty cache directory (every core, results written);
* warm: the same again, nothing changed (every answer read from the cache);
* serial: `--no-cache --jobs 1`, what one core does (the issue's old baseline);
* libflux core: one `node` process that reads each file and calls flux-lsp-node's
  `is_valid_flux` (parse + semantic analysis + type inference; what libflux itself costs,
  no language server), when node and ../shared/oracle/node_modules are present.

Prints a table and, with --json, one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
if (REPO / "src" / "fluxparams").is_dir():  # measure the checkout, not some other installed copy
    sys.path.insert(0, str(REPO / "src"))

import corpus  # noqa: E402

DEFAULT_ORACLE = REPO.parent / "shared" / "oracle"

# One Node process over the files, start-up included (the clock is the caller's).
LIBFLUX_CORE_JS = r"""
const fs = require('fs');
const path = require('path');
const lib = require(path.join(process.argv[1], 'node_modules', '@influxdata', 'flux-lsp-node'));
const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let valid = 0;
for (const f of files) if (lib.is_valid_flux(fs.readFileSync(f, 'utf8'))) valid++;
process.stdout.write(JSON.stringify({files: files.length, valid}) + '\n');
"""


def cli_command() -> List[str]:
    return [sys.executable, "-c", "import sys; from fluxparams.cli import main; sys.exit(main())"]


def environment(cache: Optional[Path]) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if cache is not None:
        env["FLUXPARAMS_CACHE_DIR"] = str(cache)
    return env


def wall(cmd: Sequence[str], env: Dict[str, str], prepare: Optional[Callable[[], None]] = None) -> float:
    if prepare is not None:
        prepare()
    start = time.perf_counter()
    result = subprocess.run(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            timeout=1800)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}... exited {result.returncode}: {result.stderr[-500:]!r}")
    return elapsed


def median_wall(runs: int, cmd: Sequence[str], env: Dict[str, str],
                prepare: Optional[Callable[[], None]] = None) -> float:
    return statistics.median(wall(cmd, env, prepare) for _ in range(runs))


def write_corpus(directory: Path, kind: str, count: int, seed: int) -> List[Path]:
    files = []
    for i, script in enumerate(corpus.generate(kind, count, seed)):
        path = directory / f"d{i % 20:02d}" / f"s{i:05d}.flux"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(script, "utf-8")
        files.append(path)
    return files


def libflux_core(oracle: Path, files: Sequence[Path], tmp: Path, runs: int) -> Optional[Dict[str, Any]]:
    node = shutil.which("node")
    if not (node and (oracle / "node_modules" / "@influxdata" / "flux-lsp-node").is_dir()):
        return None
    listing = tmp / "files.txt"
    listing.write_text("".join(f"{f}\n" for f in files), "utf-8")
    times, answer = [], {}
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([node, "-e", LIBFLUX_CORE_JS, str(oracle), str(listing)],
                                capture_output=True, text=True, timeout=1800)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            print(f"libflux core failed: {result.stderr[-500:]}", file=sys.stderr)
            return None
        answer = json.loads(result.stdout)
    return {"seconds": statistics.median(times), **answer}


def measure(args: argparse.Namespace) -> Dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="fluxparams-check-speed-"))
    try:
        tree = tmp / "scripts"
        files = write_corpus(tree, args.kind, args.files, args.seed)
        n = len(files)
        cache = tmp / "cache"
        check = cli_command() + ["check", str(tree)]

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        cold = median_wall(args.runs, check, environment(cache), empty_cache)
        warm = median_wall(args.runs, check, environment(cache))
        serial = median_wall(args.runs, check + ["--no-cache", "--jobs", "1"], environment(None))
        parallel = median_wall(args.runs, check + ["--no-cache"], environment(None))
        lf = None if args.no_node else libflux_core(Path(args.oracle), files, tmp, args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    from fluxparams.parallel import cpu_count

    result: Dict[str, Any] = {
        "files": n, "kind": args.kind, "runs": args.runs, "cores": cpu_count(),
        "cold_files_s": n / cold, "warm_files_s": n / warm, "warm_over_cold": cold / warm,
        "no_cache_all_cores_files_s": n / parallel, "no_cache_one_core_files_s": n / serial,
        "libflux_core_files_s": n / lf["seconds"] if lf else None,
        "libflux_core_valid": lf["valid"] if lf else None,
    }
    if lf:
        result["cold_over_libflux"] = result["cold_files_s"] / result["libflux_core_files_s"]
    return result


def report(r: Dict[str, Any]) -> None:
    print(f"fluxparams check: {r['files']} {r['kind']} files, {r['cores']} cores, median of {r['runs']} "
          "runs (wall time of the whole command)")
    print(f"  cold (empty cache, every core)   {r['cold_files_s']:8.0f} files/s")
    print(f"  warm (unchanged files)           {r['warm_files_s']:8.0f} files/s   "
          f"warm/cold {r['warm_over_cold']:.1f}x (target >= 5x)")
    print(f"  --no-cache, every core           {r['no_cache_all_cores_files_s']:8.0f} files/s")
    print(f"  --no-cache --jobs 1              {r['no_cache_one_core_files_s']:8.0f} files/s")
    if r["libflux_core_files_s"]:
        print(f"  libflux core (is_valid_flux, one node process, start-up included) "
              f"{r['libflux_core_files_s']:8.0f} files/s   cold/libflux "
              f"{r['cold_over_libflux']:.2f}x (target >= 1.0)")
    else:
        print("  libflux core: not measured (node or the oracle's node_modules absent)")


def _analyze_chunk(sources: List[str]) -> List[int]:
    from fluxparams.api import analyze
    from fluxparams.syntax import FluxSyntaxError

    counts = []
    for source in sources:
        try:
            counts.append(len(analyze(source).diagnostics))
        except FluxSyntaxError:
            counts.append(-1)
    return counts


def break_even(args: argparse.Namespace) -> None:
    """In one warm process: analysing n files here vs in worker processes (pool start included)."""
    from fluxparams import api  # noqa: F401 - loaded before forking, as the command does
    from fluxparams.parallel import cpu_count, map_chunks

    workers = max(2, cpu_count())
    sources = corpus.generate(args.kind, 512, args.seed)
    _analyze_chunk(sources[:50])  # warm the caches a long run would have warm
    print(f"break-even, {args.kind} files, {workers} workers (ms, median of {args.runs})")
    for n in (8, 16, 32, 48, 64, 96, 128, 256, 512):
        chunk = sources[:n]
        serial, pooled = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            _analyze_chunk(chunk)
            serial.append(time.perf_counter() - t)
            t = time.perf_counter()
            list(map_chunks(_analyze_chunk, chunk, workers))
            pooled.append(time.perf_counter() - t)
        s, p = statistics.median(serial) * 1000, statistics.median(pooled) * 1000
        print(f"  {n:4d} files: here {s:7.1f}   {workers} workers {p:7.1f}   {'pool wins' if p < s else ''}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--kind", choices=("small", "medium", "large"), default="small")
    ap.add_argument("--seed", type=int, default=corpus.SEED)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--oracle", default=str(DEFAULT_ORACLE), help="the shared oracle (for node_modules)")
    ap.add_argument("--no-node", action="store_true", help="skip the libflux baseline")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--break-even", action="store_true", help="measure when worker processes pay")
    args = ap.parse_args()
    if args.break_even:
        break_even(args)
        return
    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result)


if __name__ == "__main__":
    main()
