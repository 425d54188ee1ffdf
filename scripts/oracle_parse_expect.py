#!/usr/bin/env python3
"""Ask the libflux oracle whether scripts parse, and store its verdicts as test data.

The committed verdicts let the parser tests run without the oracle (and without
../shared for the cases).  Two jobs:

* ``cases``: every ``tests/cases/parse/*.flux`` without a ``.json`` gets one:
  ``{"parse_ok": ..., "oracle_errors": [...]}``.  An existing ``.json`` keeps
  any extra keys (such as the ``error`` position our parser must report) and
  only has ``parse_ok``/``oracle_errors`` refreshed with ``--refresh``.
* ``conformance``: libflux's parser and scanner test vectors from
  ``../shared/flux/conformance`` -> ``tests/conformance/*_verdicts.json``.

Usage::

    scripts/oracle_parse_expect.py [cases|conformance|all] [--check] [--refresh]

``--check`` writes nothing and exits 1 when a committed verdict differs from
the oracle's.  The oracle is ``node ../shared/oracle/oracle.js --parse-only
--jsonl`` (one process for all scripts).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ORACLE = SHARED / "oracle" / "oracle.js"
CASES = REPO / "tests" / "cases" / "parse"
CONFORMANCE = REPO / "tests" / "conformance"


def source_key(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def ask_oracle_raw(scripts: dict) -> dict:
    """{id: script} -> {id: the oracle's whole answer}, one node process for all."""
    if not scripts:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for key, script in scripts.items():
            f.write(json.dumps({"id": key, "script": script}) + "\n")
        name = f.name
    try:
        out = subprocess.run(["node", str(ORACLE), "--parse-only", "--jsonl", name],
                             capture_output=True, text=True, check=True, encoding="utf-8").stdout
    finally:
        Path(name).unlink()
    # split on "\n" only: str.splitlines would also cut at a U+2028 inside a JSON string
    return {item["id"]: item for item in map(json.loads, filter(None, out.split("\n")))}


def ask_oracle(scripts: dict) -> dict:
    """{id: script} -> {id: {"parse_ok": bool|None, "errors": [...]}} in one node process."""
    return {key: {"parse_ok": item.get("parse_ok"), "errors": item.get("parse_errors") or []}
            for key, item in ask_oracle_raw(scripts).items()}


def do_cases(check: bool, refresh: bool) -> int:
    files = sorted(CASES.glob("*.flux"))
    wanted = {}
    for flux in files:
        js = flux.with_suffix(".json")
        if check or refresh or not js.exists():
            wanted[flux.stem] = flux.read_text(encoding="utf-8")
    answers = ask_oracle(wanted)
    status = 0
    for stem, answer in sorted(answers.items()):
        js = CASES / f"{stem}.json"
        old = json.loads(js.read_text(encoding="utf-8")) if js.exists() else {}
        if answer["parse_ok"] is None:
            print(f"{stem}: the oracle crashed (libflux v0.193 parser loop); no verdict", file=sys.stderr)
            status = 1
            continue
        if check:
            if old.get("parse_ok") != answer["parse_ok"]:
                print(f"{stem}: committed {old.get('parse_ok')} but oracle says {answer['parse_ok']}")
                status = 1
            continue
        new = dict(old)
        new["parse_ok"] = answer["parse_ok"]
        new["oracle_errors"] = answer["errors"]
        js.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {js.relative_to(REPO)}")
    return status


def conformance_sources():
    """(file name, list of (vector id, entry, source)) for each vector set."""
    base = SHARED / "flux" / "conformance"
    parser = json.loads((base / "parser_tests.json").read_text(encoding="utf-8"))
    scanner = json.loads((base / "scanner_tests.json").read_text(encoding="utf-8"))
    sets = []
    rows = []
    for i, vec in enumerate(parser):
        rows.append((f"{i}:{vec['test']}", vec["entry"], vec["source"]))
    sets.append(("parser_verdicts.json", rows))
    rows = []
    for i, vec in enumerate(scanner):
        for j, src in enumerate(vec["sources"]):
            rows.append((f"{i}.{j}:{vec['test']}", "parse_file", src))
    sets.append(("scanner_verdicts.json", rows))
    return sets


def vector_flags() -> dict:
    base = SHARED / "flux" / "conformance"
    parser = json.loads((base / "parser_tests.json").read_text(encoding="utf-8"))
    return {f"{i}:{v['test']}": (bool(v.get("has_errors")), list(v.get("other_checks") or []))
            for i, v in enumerate(parser)}


def do_conformance(check: bool) -> int:
    status = 0
    for name, rows in conformance_sources():
        scripts = {vid: src for vid, entry, src in rows if entry == "parse_file"}
        answers = ask_oracle(scripts)
        verdicts = {}
        all_flags = vector_flags() if name.startswith("parser") else {}
        flags = all_flags
        for vid, entry, src in rows:
            if entry == "parse_type_expression":
                # The oracle has no type-expression entry point.  libflux's test
                # asserts the parse itself: has_errors=true or an "ast_check_err"
                # check means the vector expects an error, anything else a clean
                # parse.
                has_errors, checks = flags[vid]
                verdicts[vid] = {"source_sha256": source_key(src), "entry": entry,
                                 "parse_ok": not (has_errors or "ast_check_err" in checks),
                                 "derived_from": {"has_errors": has_errors, "other_checks": checks}}
                continue
            if entry != "parse_file":
                continue
            verdicts[vid] = {"source_sha256": source_key(src), "entry": entry,
                             "parse_ok": answers[vid]["parse_ok"],
                             "oracle_errors": answers[vid]["errors"]}
            if answers[vid]["parse_ok"] is None and vid in all_flags:
                # libflux v0.193 loops on a few malformed inputs (fixed in
                # v0.194.4) and the oracle gives up: take the vector's own
                # expectation instead.
                has_errors, checks = all_flags[vid]
                verdicts[vid]["parse_ok"] = not (has_errors or "ast_check_err" in checks)
                verdicts[vid]["derived_from"] = {"has_errors": has_errors, "other_checks": checks,
                                                 "oracle": "crashed"}
        target = CONFORMANCE / name
        if check:
            old = json.loads(target.read_text(encoding="utf-8"))
            for vid, v in verdicts.items():
                if old.get(vid, {}).get("parse_ok") != v["parse_ok"]:
                    print(f"{name} {vid}: committed differs from oracle")
                    status = 1
            continue
        CONFORMANCE.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(verdicts, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                          encoding="utf-8")
        print(f"wrote {target.relative_to(REPO)} ({len(verdicts)} verdicts)")
    return status


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("job", nargs="?", default="cases", choices=["cases", "conformance", "all"])
    ap.add_argument("--check", action="store_true", help="compare, write nothing")
    ap.add_argument("--refresh", action="store_true", help="re-ask the oracle for every case")
    args = ap.parse_args(argv)
    if not ORACLE.exists():
        print(f"no oracle at {ORACLE}", file=sys.stderr)
        return 2
    status = 0
    if args.job in ("cases", "all"):
        status |= do_cases(args.check, args.refresh)
    if args.job in ("conformance", "all"):
        status |= do_conformance(args.check)
    return status


if __name__ == "__main__":
    sys.exit(main())
