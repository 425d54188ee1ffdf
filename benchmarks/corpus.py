"""Deterministic generator of realistic Flux scripts that use ``params``.

Scripts are assembled from blocks that look like what people write in InfluxDB tasks, dashboards
and invokable scripts: from/range/filter pipelines, aggregateWindow, map with arithmetic, custom
functions with block bodies, string interpolation, conditionals, record and array literals, joins,
comments. Every block takes a ``tag`` that suffixes all the names it defines, so blocks (and whole
scripts, see :func:`scaled`) can be concatenated into one valid Flux file.

Sizes (lines): small 3-10, medium 30-100, large >= 1000. The large ones are many statements and
functions rather than one deep expression, since libflux rejects nesting deeper than ~180.

    python benchmarks/corpus.py --kind medium --count 3      # print samples
    python benchmarks/corpus.py --write DIR --count 20       # write small/medium/large .flux files
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Callable, List, Set, Tuple

SEED = 20240611

MEASUREMENTS = ["cpu", "mem", "disk", "net", "diskio", "system", "processes", "swap", "http_response",
                "kernel"]
FIELDS = ["usage_user", "usage_system", "used_percent", "bytes_recv", "io_time", "load1", "n_cpus",
          "response_time", "free", "total"]
AGGS = ["mean", "max", "min", "sum", "count", "last", "first", "median"]
HOSTS = ["web", "db", "cache", "api", "worker", "edge"]
UNITS = ["1m", "5m", "10m", "30m", "1h", "6h", "1d"]

Block = Tuple[List[str], Set[str]]  # (lines, imports)


def _q(rng: random.Random) -> Tuple[str, str, str]:
    return rng.choice(MEASUREMENTS), rng.choice(FIELDS), rng.choice(HOSTS)


# ------------------------------------------------------------------------------------ blocks

def b_query(rng: random.Random, t: str) -> Block:
    m, f, h = _q(rng)
    lines = [
        f"// {m} {f} for the selected hosts",
        f"data{t} = from(bucket: params.bucket)",
        "    |> range(start: params.start, stop: params.stop)",
        f'    |> filter(fn: (r) => r._measurement == "{m}" and r._field == "{f}")',
        f"    |> filter(fn: (r) => r.host =~ /^{h}-[0-9]+$/)",
        f"    |> aggregateWindow(every: params.every, fn: {rng.choice(AGGS)}, createEmpty: false)",
        f'    |> yield(name: "q{t}")',
    ]
    return lines, set()


def b_scaled(rng: random.Random, t: str) -> Block:
    m, f, _ = _q(rng)
    return [
        f"scaled{t} = from(bucket: params.bucket)",
        f"    |> range(start: -{rng.choice(UNITS)})",
        f'    |> filter(fn: (r) => r._measurement == params.measurement and r._field == "{f}")',
        "    |> map(fn: (r) => ({r with _value: float(v: r._value) * params.scale + params.offset}))",
        f"    |> {rng.choice(['mean', 'max', 'min', 'sum'])}()",
        f'    |> yield(name: "scaled{t}")',
    ], set()


def b_function(rng: random.Random, t: str) -> Block:
    agg = rng.choice(AGGS)
    return [
        f"// reusable {agg} over a window, with a cutoff",
        f"summarize{t} = (tables=<-, every, column=\"_value\") => {{",
        f"    windowed = tables |> aggregateWindow(every: every, fn: {agg}, column: column)",
        "    cleaned = windowed |> filter(fn: (r) => exists r._value)",
        "    return cleaned |> sort(columns: [\"_time\"], desc: false)",
        "}",
    ], set()


def b_use_function(rng: random.Random, t: str) -> Block:
    m, f, _ = _q(rng)
    return [
        "from(bucket: params.bucket)",
        "    |> range(start: params.start)",
        f'    |> filter(fn: (r) => r._measurement == "{m}" and r._field == "{f}")',
        f"    |> summarize{t}(every: {rng.choice(UNITS)})",
        "    |> limit(n: params.limit)",
        f'    |> yield(name: "summary{t}")',
    ], set()


def b_threshold(rng: random.Random, t: str) -> Block:
    lo = rng.randint(1, 40)
    hi = lo + rng.randint(10, 50)
    return [
        f"level{t} = (v) => if v > float(v: params.critical) then \"crit\"",
        f"    else if v > {hi}.0 then \"warn\"",
        f"    else if v < {lo}.5 then \"low\"",
        "    else \"ok\"",
        f"levels{t} = data{t} |> map(fn: (r) => ({{r with level: level{t}(v: r._value)}}))",
    ], set()


def b_strings(rng: random.Random, t: str) -> Block:
    m, _, h = _q(rng)
    return [
        f'title{t} = "{m} on ${{params.host}} (${{params.region}})"',
        f"prefix{t} = strings.toLower(v: params.prefix)",
        f"named{t} = data{t}",
        f"    |> filter(fn: (r) => strings.hasPrefix(v: r.host, prefix: prefix{t}))",
        f'    |> set(key: "title", value: title{t})',
        f'    |> rename(columns: {{host: "{h}_host"}})',
    ], {"strings"}


def b_conditional(rng: random.Random, t: str) -> Block:
    a, b = rng.sample(UNITS, 2)
    return [
        f"win{t} = if params.fine then {a} else {b}",
        f"cutoff{t} = if params.useNow then now() else params.at",
        f"recent{t} = data{t} |> tail(n: if params.fine then 100 else 10)",
    ], set()


def b_records(rng: random.Random, t: str) -> Block:
    hosts = ", ".join(f'"{h}-{rng.randint(1, 9)}"' for h in rng.sample(HOSTS, 3))
    return [
        f"hosts{t} = [{hosts}]",
        f"config{t} = {{",
        f'    name: "job{t}",',
        "    every: params.every,",
        f"    retries: {rng.randint(1, 5)},",
        "    tags: {team: params.team, env: \"prod\"},",
        "}",
        f"selected{t} = data{t} |> filter(fn: (r) => contains(value: r.host, set: hosts{t}))",
    ], set()


def b_join(rng: random.Random, t: str) -> Block:
    m1, m2 = rng.sample(MEASUREMENTS, 2)
    return [
        f"left{t} = from(bucket: params.bucket) |> range(start: params.start)"
        f' |> filter(fn: (r) => r._measurement == "{m1}")',
        f"right{t} = from(bucket: params.bucket) |> range(start: params.start)"
        f' |> filter(fn: (r) => r._measurement == "{m2}")',
        f"joined{t} = join(tables: {{left: left{t}, right: right{t}}}, on: [\"_time\", \"host\"])",
        "    |> map(fn: (r) => ({r with ratio: r._value_left / r._value_right}))",
        f'    |> yield(name: "ratio{t}")',
    ], set()


def b_pivot(rng: random.Random, t: str) -> Block:
    m, _, _ = _q(rng)
    f1, f2 = rng.sample(FIELDS, 2)
    return [
        f"wide{t} = from(bucket: params.bucket)",
        "    |> range(start: params.start, stop: params.stop)",
        f'    |> filter(fn: (r) => r._measurement == "{m}")',
        f'    |> filter(fn: (r) => r._field == "{f1}" or r._field == "{f2}")',
        '    |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")',
        f"    |> map(fn: (r) => ({{_time: r._time, total: r.{f1} + r.{f2}}}))",
        "    |> group(columns: [\"host\"])",
        "    |> top(n: params.topN, columns: [\"total\"])",
    ], set()


def b_math(rng: random.Random, t: str) -> Block:
    return [
        f"rounded{t} = data{t}",
        "    |> map(fn: (r) => ({r with _value: "
        f"math.round(x: r._value * {rng.randint(2, 100)}.0) / 100.0}}))",
        "    |> filter(fn: (r) => math.abs(x: r._value) < params.maxAbs)",
        "    |> movingAverage(n: params.points)",
    ], {"math"}


def b_time(rng: random.Random, t: str) -> Block:
    return [
        f"shifted{t} = data{t}",
        f"    |> timeShift(duration: -{rng.choice(UNITS)})",
        "    |> map(fn: (r) => ({r with day: date.truncate(t: r._time, unit: 1d)}))",
        f"    |> derivative(unit: {rng.choice(['1s', '1m', '1h'])}, nonNegative: true)",
        "    |> difference(nonNegative: params.nonNegative)",
    ], {"date"}


def b_assign(rng: random.Random, t: str) -> Block:
    n = rng.randint(2, 500)
    return [
        f"cap{t} = params.limit * {n}",
        f"ratio{t} = {n}.0 / float(v: cap{t})",
        f'label{t} = "v" + string(v: ratio{t})',
    ], set()


SMALL_BLOCKS = [b_query, b_scaled, b_assign]
MEDIUM_BLOCKS: List[Callable[[random.Random, str], Block]] = [
    b_query, b_scaled, b_threshold, b_strings, b_conditional, b_records, b_join, b_pivot, b_math, b_time,
    b_assign,
]
# blocks that refer to data{t} need b_query emitted first under the same tag
NEEDS_DATA = {b_threshold, b_strings, b_conditional, b_records, b_math, b_time}


def _render(blocks: List[Block]) -> str:
    imports: Set[str] = set()
    lines: List[str] = []
    for body, imps in blocks:
        imports |= imps
        lines.extend(body)
        lines.append("")
    head = [f'import "{i}"' for i in sorted(imports)]
    if head:
        head.append("")
    return "\n".join(head + lines).rstrip("\n") + "\n"


def _unit(rng: random.Random, t: str, n_blocks: int) -> List[Block]:
    """A coherent unit: a query under tag t, then n_blocks more blocks that may use it."""
    out = [b_query(rng, t)]
    # without replacement: a block defines fixed names under its tag
    for blk in rng.sample([b for b in MEDIUM_BLOCKS if b is not b_query], n_blocks):
        out.append(blk(rng, t))
    if rng.random() < 0.5:
        out.append(b_function(rng, t))
        out.append(b_use_function(rng, t))
    return out


def small(rng: random.Random, tag: str = "") -> str:
    first = rng.choice(SMALL_BLOCKS)
    blocks = [first(rng, tag)]
    if first is not b_query and rng.random() < 0.4:
        blocks.append(b_assign(rng, tag + "_b"))
    return _render(blocks)


def medium(rng: random.Random, tag: str = "") -> str:
    while True:
        blocks: List[Block] = []
        k = 0
        while sum(len(b[0]) + 1 for b in blocks) < rng.randint(30, 80):
            blocks.extend(_unit(rng, f"{tag}_{k}" if tag or k else "", rng.randint(1, 3)))
            k += 1
        text = _render(blocks)
        if 30 <= text.count("\n") <= 100:
            return text


def large(rng: random.Random, tag: str = "", min_lines: int = 1000) -> str:
    blocks: List[Block] = []
    k = 0
    lines = 0
    while lines < min_lines:
        unit = _unit(rng, f"{tag}_{k}", rng.randint(2, 5))
        blocks.extend(unit)
        lines += sum(len(b[0]) + 1 for b in unit)
        k += 1
    return _render(blocks)


KINDS = {"small": small, "medium": medium, "large": large}


def generate(kind: str, count: int, seed: int = SEED) -> List[str]:
    """``count`` scripts of one size class, the same for the same seed."""
    rng = random.Random(f"{seed}-{kind}")
    return [KINDS[kind](rng) for _ in range(count)]


def scaled(copies: int, seed: int = SEED, prefix: str = "") -> str:
    """One medium script repeated ``copies`` times, names renamed per copy so the result is valid Flux.

    Every copy is built from the same random stream, so copies differ only in their names; ``prefix``
    renames everything again (distinct texts of identical structure, for repeated timings).
    """
    blocks: List[Block] = []
    for i in range(copies):
        rng = random.Random(f"{seed}-scaled")
        for k in range(3):
            blocks.extend(_unit(rng, f"_{prefix}c{i}_{k}", 3))
    return _render(blocks)


def stdlib_scripts(root: Path) -> List[str]:
    """Every .flux file of libflux's stdlib under ``root`` (../shared/flux/stdlib-*), sorted by path;
    [] when it is absent. Real Flux written by the Flux authors: the parse-throughput corpus."""
    if not root.is_dir():
        return []
    return [p.read_text("utf-8") for p in sorted(root.rglob("*.flux"))]


def case_scripts(root: Path) -> List[str]:
    """The hand-written case scripts (tests/cases/analyze) that libflux parses, by the committed
    oracle answer beside each: the held-out-like corpus (written for tests, not for this benchmark)."""
    import json

    out = []
    for flux in sorted(root.glob("*.flux")):
        answer = flux.with_suffix(".json")
        if answer.is_file() and json.loads(answer.read_text("utf-8")).get("parse_ok") is True:
            out.append(flux.read_text("utf-8"))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=sorted(KINDS), default="small")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--write", metavar="DIR", help="write every kind as DIR/<kind>_<i>.flux")
    a = ap.parse_args(argv)
    if a.write:
        out = Path(a.write)
        out.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            for i, s in enumerate(generate(kind, a.count, a.seed)):
                (out / f"{kind}_{i:03d}.flux").write_text(s, encoding="utf-8")
        return
    for s in generate(a.kind, a.count, a.seed):
        print(s)
        print("// " + "-" * 60)


if __name__ == "__main__":
    main()
