#!/usr/bin/env python3
"""Write the generated analyze cases (tests/cases/analyze/gen*.flux) from the stdlib signatures.

    python scripts/gen_cases.py            # write the .flux files (then run scripts/oracle_expect.py)
    python scripts/gen_cases.py --check    # compare with the committed files; exit 1 on a difference
    python scripts/gen_cases.py --list     # print the case names

Four families, each a systematic sweep that hand-written cases would leave patchy:

    genmath_NNN_<fn>          every third function of package "math" (from the fourth on), every
                              argument a param: ``math.hypot(p: params.hypot_p, q: params.hypot_q)``
    genstr_NNN_<fn>           every function of package "strings"; the first argument is a param,
                              the other required ones get a fixed literal
    genuniv_NNN_<fn>-<arg>    every universe transformation (``<-tables``) with an argument of a plain
                              type, piped after from/range; that argument is the param, the other
                              required ones get a literal
    genop_NNN_<op>-<type>     every binary operator against a literal of each type it is defined on
                              (arithmetic also on the types it is not), with the param on each side

The signatures come from ../shared/flux/stdlib_types.json (the stdlib's documented types at the
oracle's version; ``--stdlib`` names another file). That table lists each function's parameters in
declaration order, the order a person writes a call in, which decides both the argument order and,
in genuniv, which argument becomes the param. The package's own table
(src/fluxparams/data/stdlib_types.json) cannot serve: it prints types as libflux does, required
parameters before optional ones and each group sorted by name.

This script writes only the scripts. Their expected answers (.json) come from the oracle, never from
here: ``python scripts/oracle_expect.py tests/cases/analyze`` writes the missing ones.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parents[1]
STDLIB = REPO.parent / "shared" / "flux" / "stdlib_types.json"
CASES = REPO / "tests" / "cases" / "analyze"
FAMILIES = ("genmath", "genstr", "genuniv", "genop")

# The literal passed for a required argument that is not the param under test.
FILL: Dict[str, str] = {
    "string": '"x"',
    "int": "1",
    "float": "0.5",
    "duration": "1m",
    "[string]": '["_value"]',
    "[float]": "[1.0, 2.0]",
}
# Argument types a param can stand for in genuniv (an invoke can send these, or they are common
# mistakes such as a duration param).
PLAIN = ("int", "float", "bool", "string", "duration", "[string]")
# range is the pipeline's own step; the others have hand-written cases (basic_038_hour-selection,
# basic_021_set-tag, basic_029_timeshift, agg_023_yield-name).
UNIV_SKIP = frozenset({"range", "hourSelection", "set", "timeShift", "yield"})

# Binary operators in the order of the family, with the literal types each is tried against.
ALL_TYPES = ("int", "float", "string", "duration", "bool", "uint", "time")
OPERATORS: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = (
    ("add", "+", ALL_TYPES),
    ("sub", "-", ALL_TYPES),
    ("mul", "*", ALL_TYPES),
    ("div", "/", ALL_TYPES),
    ("mod", "%", ("int", "float")),
    ("pow", "^", ("int", "float")),
    ("lt", "<", ("int", "string", "time")),
    ("eq", "==", ("int", "string", "time")),
    ("ne", "!=", ("int", "string", "time")),
    ("ge", ">=", ("int", "string", "time")),
    ("match", "=~", ("string",)),
    ("and", "and", ("bool",)),
    ("or", "or", ("bool",)),
)
OPERAND: Dict[str, str] = {
    "int": "2",
    "float": "2.0",
    "string": '"s"',
    "duration": "1h",
    "bool": "true",
    "uint": "uint(v: 2)",
    "time": "2024-01-01T00:00:00Z",
}

Param = Tuple[str, str, str]  # (kind: "" required, "?" optional, "<-" pipe; name; type text)


def parameters(signature: str) -> Optional[List[Param]]:
    """The parameters of a function type's text, or None when the value is not a function."""
    if not signature.startswith("("):
        return None
    depth = 0
    parts: List[str] = []
    start = 1
    for i, ch in enumerate(signature):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                parts.append(signature[start:i])
                break
        elif ch == "," and depth == 1:
            parts.append(signature[start:i])
            start = i + 1
    result: List[Param] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        name, _, type_text = part.partition(":")
        name = name.strip()
        kind = ""
        for prefix in ("<-", "?"):
            if name.startswith(prefix):
                kind, name = prefix, name[len(prefix):]
        result.append((kind, name, type_text.strip()))
    return result


def functions(package: Dict[str, str]) -> List[Tuple[str, List[Param]]]:
    """The package's public functions in table order (underscore names are internal helpers)."""
    found = []
    for name, signature in package.items():
        params = parameters(signature)
        if params is not None and not name.startswith("_"):
            found.append((name, params))
    return found


def gen_math(math: Dict[str, str]) -> List[Tuple[str, str]]:
    cases = []
    for name, params in functions(math)[3::3]:
        args = ", ".join(f"{p}: params.{name}_{p}" for _, p, _ in params)
        cases.append((name, f'import "math"\n\nmath.{name}({args})\n'))
    return cases


def gen_str(strings: Dict[str, str]) -> List[Tuple[str, str]]:
    cases = []
    for name, params in functions(strings):
        (_, first, _), rest = params[0], params[1:]
        args = [f"{first}: params.{first}"] + [f"{p}: {FILL[t]}" for kind, p, t in rest if kind == ""]
        body = f"result = strings.{name}({', '.join(args)})"
        cases.append((name, f'import "strings"\n\n{body}\n\nresult\n'))
    return cases


def gen_univ(universe: Dict[str, str]) -> List[Tuple[str, str]]:
    cases = []
    for name, params in functions(universe):
        if name in UNIV_SKIP or not any(kind == "<-" and p == "tables" for kind, p, _ in params):
            continue
        rest = [param for param in params if param[0] != "<-"]
        chosen = next((p for _, p, t in rest if t in PLAIN), None)
        if chosen is None:
            continue
        args = []
        for kind, p, t in rest:
            if p == chosen:
                args.append(f"{p}: params.{p}")
            elif kind == "":
                if t not in FILL:  # a required function or record argument: no plain call exists
                    break
                args.append(f"{p}: {FILL[t]}")
        else:
            call = f"{name}({', '.join(args)})"
            cases.append((f"{name}-{chosen}", f'from(bucket: "b")\n  |> range(start: -1h)\n  |> {call}\n'))
    return cases


def gen_op() -> List[Tuple[str, str]]:
    cases = []
    for op_name, op, types in OPERATORS:
        for type_name in types:
            lit = OPERAND[type_name]
            cases.append((f"{op_name}-{type_name}", f"x = params.v {op} {lit}\ny = {lit} {op} params.w\n"))
    return cases


def generate(table_path: Path = STDLIB) -> Dict[str, str]:
    """file name -> script text, for every generated case."""
    table = json.loads(table_path.read_text(encoding="utf-8"))
    # The shared table maps package -> values directly; the package's own wraps that in "packages".
    packages = table.get("packages", table)
    families = {
        "genmath": gen_math(packages["math"]),
        "genstr": gen_str(packages["strings"]),
        "genuniv": gen_univ(packages["universe"]),
        "genop": gen_op(),
    }
    files = {}
    for family, cases in families.items():
        for number, (slug, text) in enumerate(cases, 1):
            files[f"{family}_{number:03d}_{slug}.flux"] = text
    return files


def committed(directory: Path) -> Dict[str, str]:
    return {
        path.name: path.read_bytes().decode("utf-8")
        for family in FAMILIES
        for path in sorted(directory.glob(f"{family}_*.flux"))
    }


def check(directory: Path, table_path: Path = STDLIB) -> List[str]:
    """Every difference between the generator and the committed files, one line each."""
    want, have = generate(table_path), committed(directory)
    problems = [f"missing: {name}" for name in sorted(set(want) - set(have))]
    problems += [f"not generated (stale): {name}" for name in sorted(set(have) - set(want))]
    problems += [f"differs: {name}" for name in sorted(set(want) & set(have)) if want[name] != have[name]]
    return problems


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    ap.add_argument("--list", action="store_true", help="print the generated case names")
    ap.add_argument("--out", type=Path, default=CASES, help="case directory (default: tests/cases/analyze)")
    ap.add_argument("--stdlib", type=Path, default=STDLIB,
                    help="stdlib signatures (default: ../shared/flux/stdlib_types.json)")
    args = ap.parse_args(argv)
    if not args.stdlib.is_file():
        print(f"gen_cases: {args.stdlib}: no such file (put ../shared beside the checkout, or pass --stdlib)",
              file=sys.stderr)
        return 2
    if args.list:
        print("\n".join(sorted(generate(args.stdlib))))
        return 0
    if args.check:
        problems = check(args.out, args.stdlib)
        for line in problems:
            print(line)
        if problems:
            print(f"{len(problems)} difference(s); run: python scripts/gen_cases.py", file=sys.stderr)
            return 1
        print(f"{len(generate(args.stdlib))} generated cases are current")
        return 0
    files = generate(args.stdlib)
    stale = set(committed(args.out)) - set(files)
    for name in sorted(stale):
        (args.out / name).unlink()
        (args.out / name).with_suffix(".json").unlink(missing_ok=True)
    written = 0
    for name, text in sorted(files.items()):
        path = args.out / name
        if not path.exists() or path.read_bytes().decode("utf-8") != text:
            path.write_bytes(text.encode("utf-8"))
            # Its expectation must come anew from the oracle.
            path.with_suffix(".json").unlink(missing_ok=True)
            written += 1
    print(f"{len(files)} cases, {written} written, {len(stale)} removed")
    if written:
        print("now write their expectations: python scripts/oracle_expect.py tests/cases/analyze")
    return 0


if __name__ == "__main__":
    sys.exit(main())
