#!/usr/bin/env python3
"""Growth and memory of parse/analyze on wide and big inputs (issue 11).  A benchmark, not a test.

    .venv/bin/python benchmarks/growth.py                      # n = 1k, 2k, 4k, 8k + ~10 MB memory
    .venv/bin/python benchmarks/growth.py --sizes 500,1000 --no-memory
    .venv/bin/python benchmarks/growth.py --profile params_fields --phase analyze
    .venv/bin/python benchmarks/growth.py --write benchmarks/growth-results.md

Growth: for each shape (n distinct ``params`` fields, n fields of a record parameter, n
statements, ...) parse and analyze are timed separately at every n; the ratio is
time(largest n) / time(smallest n), in CPU time of the process (time.process_time: other
processes on a shared machine disturb it far less than wall time).  With n going 1k -> 8k,
linear work gives ~8 and n log n ~10; the target is <= 10.  A call that runs past ``--budget``
seconds (wall) is cut off and counted as failing.

Memory: for a few shapes of a ~10 MB script (``--memory-bytes``), one subprocess each builds the
script, then analyzes it; the figure is (peak RSS after - RSS before the call) / source bytes,
target <= 100.  Peak RSS is the kernel's VmHWM (Linux /proc), else ru_maxrss.

Prints a markdown table; writes a file only with ``--write``.  Exit status 1 when a target is
missed (so a CI job may run it), 0 otherwise.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import platform
import pstats
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if (REPO / "src" / "fluxparams").is_dir():  # measure the checkout, not some other installed copy
    sys.path.insert(0, str(REPO / "src"))

import fluxparams  # noqa: E402

RATIO_TARGET = 10.0
BYTES_TARGET = 100.0
STAGES_PER_PIPELINE = 150  # libflux refuses a pipeline of more than ~170 stages (tree too deep)


# ---------------------------------------------------------------------------
# growth shapes: n -> source
# ---------------------------------------------------------------------------

def params_fields(n: int) -> str:
    return "".join(f"x{i} = params.p{i}\n" for i in range(n))


def record_fields(n: int) -> str:
    reads = "".join(f"    x{i} = r.p{i}\n" for i in range(n))
    return f"f = (r) => {{\n{reads}    return r\n}}\ny = f(r: params)\n"


def statements(n: int) -> str:
    return "".join(f"x{i} = params.n + {i}\n" for i in range(n))


def pipeline_stages(n: int) -> str:
    out = []
    for start in range(0, n, STAGES_PER_PIPELINE):
        stages = "".join(f"\n    |> filter(fn: (r) => r._value > {i})"
                         for i in range(start, min(n, start + STAGES_PER_PIPELINE)))
        out.append(f"x{start} = from(bucket: params.bucket){stages}\n")
    return "".join(out)


def array_elements(n: int) -> str:
    return "x = [" + ", ".join(str(i) for i in range(n)) + "]\ny = x[params.i]\n"


def array_of_records(n: int) -> str:
    rows = ",\n".join(f'    {{_time: {i}, _value: {i}.5, tag: "t{i}"}}' for i in range(n))
    return f"rows = [\n{rows},\n]\nx = rows[params.i]\n"


def record_literal(n: int) -> str:
    return "x = {" + ", ".join(f"a{i}: params.p{i}" for i in range(n)) + "}\n"


def interpolations(n: int) -> str:
    return 'x = "' + "".join(f"t{i}=${{params.s}} " for i in range(n)) + '"\n'


SHAPES: Dict[str, Callable[[int], str]] = {
    "params_fields": params_fields,
    "record_fields": record_fields,
    "statements": statements,
    "pipeline_stages": pipeline_stages,
    "array_elements": array_elements,
    "array_of_records": array_of_records,
    "record_literal": record_literal,
    "interpolations": interpolations,
}
PHASES: Dict[str, Callable[[str], object]] = {"parse": fluxparams.parse, "analyze": fluxparams.analyze}


# ---------------------------------------------------------------------------
# memory shapes: size in bytes -> source of about that size
# ---------------------------------------------------------------------------

def _repeat(line: Callable[[int], str], size: int) -> str:
    parts: List[str] = []
    total = 0
    i = 0
    while total < size:
        text = line(i)
        parts.append(text)
        total += len(text)
        i += 1
    return "".join(parts)


def deep_line(i: int) -> str:
    depth = 60  # within libflux's 80 nested expressions
    return f"x{i} = " + "(" * depth + "params.n" + ")" * depth + "\n"


def _by_size(shape: Callable[[int], str], size: int) -> str:
    """The growth shape at the n that makes about ``size`` bytes."""
    return shape(max(1, size * 1000 // len(shape(1000).encode("utf-8"))))


def realistic(size: int) -> str:
    """The benchmark corpus's pipelines, functions and records, copied (renamed) to ``size`` bytes."""
    import corpus  # benchmarks/corpus.py, beside this file

    return corpus.scaled(max(1, size // len(corpus.scaled(1).encode("utf-8"))))


MEMORY_SHAPES: Dict[str, Callable[[int], str]] = {
    "realistic": realistic,
    "pipeline_stages": lambda size: _by_size(pipeline_stages, size),
    "array_of_records": lambda size: _by_size(array_of_records, size),
    "record_literal": lambda size: _by_size(record_literal, size),
    "statements": lambda size: _repeat(lambda i: f"x{i} = params.n + {i}\n", size),
    "long_identifier": lambda size: "a" * size + " = 1\n",
    "nul_at_end": lambda size: _repeat(lambda i: f"x{i} = params.n + {i}\n", size) + "\x00",
    "deep_nesting": lambda size: _repeat(deep_line, size),
    "long_string": lambda size: 'x = "' + "a" * size + '"\n',
}


def peak_rss_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def current_rss_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return peak_rss_bytes()


def reset_peak() -> None:
    # Linux >= 4.0: writing 5 to clear_refs resets VmHWM to the current RSS
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def memory_child(shape: str, size: int) -> None:
    """Run in a subprocess: one analyze of a ~size-byte script; print a JSON line."""
    source = MEMORY_SHAPES[shape](size)
    fluxparams.parse("x = 1\n")  # load the parser tables before the baseline
    gc.collect()
    reset_peak()
    before = current_rss_bytes()
    start = time.perf_counter()
    outcome = "ok"
    try:
        fluxparams.analyze(source)
    except fluxparams.FluxSyntaxError as e:
        outcome = f"FluxSyntaxError {e.lineno}:{e.offset}"
    except Exception as e:  # reported, not hidden: the table shows it
        outcome = f"{type(e).__name__}: {str(e)[:80]}"
    seconds = time.perf_counter() - start
    peak = peak_rss_bytes()
    print(json.dumps({"shape": shape, "bytes": len(source.encode("utf-8")), "before": before,
                      "peak": peak, "seconds": seconds, "outcome": outcome}))


def measure_memory(shape: str, size: int, timeout: float) -> Dict[str, object]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--memory-child", shape, str(size)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"shape": shape, "outcome": f"no answer within {timeout:.0f} s"}
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"shape": shape, "outcome": f"child failed (exit {proc.returncode}): {proc.stderr[-300:]}"}
    row: Dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return row


# ---------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------

class OverBudget(BaseException):
    pass


def timed(fn: Callable[[str], object], source: str, budget: float) -> Optional[float]:
    """Seconds of one call (None when cut off at the budget).  A FluxSyntaxError is a result too."""
    def alarm(signum: int, frame: object) -> None:
        raise OverBudget()

    gc.collect()
    use_alarm = hasattr(signal, "setitimer")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.process_time()
    try:
        fn(source)
    except fluxparams.FluxSyntaxError:
        pass
    except OverBudget:
        return None
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return time.process_time() - start


def best_of(fn: Callable[[str], object], source: str, repeat: int, budget: float) -> Optional[float]:
    best: Optional[float] = None
    for _ in range(repeat):
        got = timed(fn, source, budget)
        if got is None:
            return None
        best = got if best is None else min(best, got)
        if got > budget / 4:  # a slow size: one run says enough
            break
    return best


def fmt_seconds(value: Optional[float], budget: float) -> str:
    if value is None:
        return f"> {budget:g} s"
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def growth_rows(shapes: List[str], phases: List[str], sizes: List[int], repeat: int,
                budget: float) -> Tuple[List[str], bool]:
    head = "| shape | phase | " + " | ".join(f"n={n:,}" for n in sizes) + \
        f" | bytes at n={sizes[-1]:,} | ratio | target | result |"
    lines = [head, "|" + "---|" * (len(sizes) + 6)]
    ok = True
    for shape in shapes:
        sources = {n: SHAPES[shape](n) for n in sizes}
        for phase in phases:
            fn = PHASES[phase]
            fn(sources[sizes[0]])  # warm up (imports, parser tables)
            times: List[Optional[float]] = []
            for n in sizes:
                got = best_of(fn, sources[n], repeat, budget)
                times.append(got)
                if got is None:  # larger sizes would only take longer
                    times += [None] * (len(sizes) - len(times))
                    break
            first, last = times[0], times[-1]
            if first is None or last is None:
                ratio_text, passed = "-", False
            else:
                ratio = last / max(first, 1e-9)
                ratio_text, passed = f"{ratio:.1f}", ratio <= RATIO_TARGET
            ok &= passed
            cells = " | ".join(fmt_seconds(v, budget) for v in times)
            lines.append(f"| {shape} | {phase} | {cells} | {len(sources[sizes[-1]].encode()):,} | "
                         f"{ratio_text} | <= {RATIO_TARGET:g} | {'pass' if passed else 'FAIL'} |")
            print(lines[-1], flush=True)
    return lines, ok


def memory_rows(shapes: List[str], size: int, timeout: float) -> Tuple[List[str], bool]:
    lines = ["| shape | source bytes | analyze | outcome | RSS before | peak RSS | "
             "bytes of RSS per source byte | target | result |",
             "|---|---|---|---|---|---|---|---|---|"]
    ok = True
    for shape in shapes:
        row = measure_memory(shape, size, timeout)
        if "peak" not in row:
            ok = False
            lines.append(f"| {shape} | - | - | {row['outcome']} | - | - | - | <= {BYTES_TARGET:g} | FAIL |")
        else:
            nbytes = int(row["bytes"])  # type: ignore[call-overload]
            before, peak = int(row["before"]), int(row["peak"])  # type: ignore[call-overload]
            per_byte = max(0, peak - before) / max(1, nbytes)
            passed = per_byte <= BYTES_TARGET
            ok &= passed
            lines.append(f"| {shape} | {nbytes:,} | {float(row['seconds']):.1f} s | {row['outcome']} | "  # type: ignore[arg-type]
                         f"{before / 2**20:.0f} MiB | {peak / 2**20:.0f} MiB | {per_byte:.1f} | "
                         f"<= {BYTES_TARGET:g} | {'pass' if passed else 'FAIL'} |")
        print(lines[-1], flush=True)
    return lines, ok


def profile(shape: str, phase: str, n: int, top: int) -> None:
    source = SHAPES[shape](n)
    fn = PHASES[phase]
    fn(SHAPES[shape](10))
    prof = cProfile.Profile()
    prof.enable()
    try:
        fn(source)
    except fluxparams.FluxSyntaxError:
        pass
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2000,4000,8000", help="comma-separated n (default %(default)s)")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="growth shapes (default: all)")
    ap.add_argument("--phase", choices=["parse", "analyze", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs per size")
    ap.add_argument("--budget", type=float, default=30.0, help="seconds before one call is cut off")
    ap.add_argument("--memory-bytes", type=int, default=10_000_000, help="size of the memory scripts")
    ap.add_argument("--memory-shapes", default=",".join(MEMORY_SHAPES), help="memory shapes (default: all)")
    ap.add_argument("--memory-timeout", type=float, default=600.0, help="seconds per memory subprocess")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory table")
    ap.add_argument("--no-growth", action="store_true", help="skip the growth table")
    ap.add_argument("--profile", metavar="SHAPE", help="cProfile one call at the largest n instead")
    ap.add_argument("--top", type=int, default=25, help="rows of the profile")
    ap.add_argument("--write", metavar="PATH", help="also write the tables (markdown) to PATH")
    ap.add_argument("--memory-child", nargs=2, metavar=("SHAPE", "BYTES"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.memory_child:
        memory_child(args.memory_child[0], int(args.memory_child[1]))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    phases = ["parse", "analyze"] if args.phase == "both" else [args.phase]
    shapes = [s for s in args.shapes.split(",") if s]
    for shape in shapes:
        if shape not in SHAPES:
            ap.error(f"unknown shape {shape!r} (known: {', '.join(SHAPES)})")
    if args.profile:
        if args.profile not in SHAPES:
            ap.error(f"unknown shape {args.profile!r}")
        for phase in phases:
            print(f"## cProfile: {phase} of {args.profile} at n={sizes[-1]}")
            profile(args.profile, phase, sizes[-1], args.top)
        return 0

    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [f"# Growth and memory (benchmarks/growth.py, {when})",
           "", f"Python {platform.python_version()} on {platform.machine()} ({platform.system()}); "
           f"CPU time, best of {args.repeat}; a call is cut off after {args.budget:g} s (wall).", ""]
    ok = True
    if not args.no_growth:
        print(f"Growth: time(n={sizes[-1]:,}) / time(n={sizes[0]:,}), target <= {RATIO_TARGET:g}", flush=True)
        lines, passed = growth_rows(shapes, phases, sizes, args.repeat, args.budget)
        ok &= passed
        out += ["## Growth", "", f"time(n={sizes[-1]:,}) / time(n={sizes[0]:,}); target <= {RATIO_TARGET:g}.",
                ""] + lines + [""]
    if not args.no_memory:
        mem_shapes = [s for s in args.memory_shapes.split(",") if s]
        for shape in mem_shapes:
            if shape not in MEMORY_SHAPES:
                ap.error(f"unknown memory shape {shape!r} (known: {', '.join(MEMORY_SHAPES)})")
        print(f"\nMemory: analyze of a ~{args.memory_bytes:,}-byte script, one subprocess each", flush=True)
        lines, passed = memory_rows(mem_shapes, args.memory_bytes, args.memory_timeout)
        ok &= passed
        out += ["## Memory", "", f"(peak RSS - RSS before) / source bytes of one analyze, target <= "
                f"{BYTES_TARGET:g}.", ""] + lines + [""]
    text = "\n".join(out)
    print()
    print(text)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
