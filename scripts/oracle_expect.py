#!/usr/bin/env python3
"""Write the expected answer of every corpus script from the libflux oracle.

    python scripts/oracle_expect.py                       # tests/cases/analyze + tests/cases/deviations
    python scripts/oracle_expect.py tests/cases/analyze   # only the .flux files lacking a .json
    python scripts/oracle_expect.py --force DIR...        # rewrite every .json
    python scripts/oracle_expect.py --check DIR...        # compare, write nothing, exit 1 on a difference
    python scripts/oracle_expect.py --deviation DIR...    # deviation cases (see below)
    python scripts/oracle_expect.py --oracle /path/to/oracle ...
    python scripts/oracle_expect.py --report OUT.md       # fluxparams vs the committed answers (no oracle)

Every expected answer comes from the oracle (libflux in WASM, ../shared/oracle beside the repository);
nobody types one by hand. All scripts go through ONE ``node oracle.js --jsonl`` process.

Deviation cases (tests/cases/deviations) are scripts where fluxparams deliberately answers differently
from libflux. Their first line says which kind:

    // deviation: shadow   a function parameter named ``params`` shadows only inside its function.
                           The lines between ``// shadow-begin`` and ``// shadow-end`` are the
                           shadowing function; our answer is the oracle's answer for the script with
                           ``params`` renamed on those lines, and as a property key
                           (``f(params: ...)``) elsewhere (so it is still the oracle's word).
    // deviation: rebind   the script binds ``params`` itself; our answer is {} plus warning FP203.

Exit status: 0 fine, 1 ``--check`` found a difference, 2 a script had no usable oracle answer
(libflux crashed, a hover failed, or a non-deviation script defines ``params``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ORACLE = REPO.parent / "shared" / "oracle"
ANALYZE_DIR = REPO / "tests" / "cases" / "analyze"
DEVIATION_DIR = REPO / "tests" / "cases" / "deviations"
ORACLE_LABEL = "libflux v0.193.0 via @influxdata/flux-lsp-node 0.8.40"

SHADOW_NAME = "shadowedParams"
DEVIATION_RE = re.compile(r"^//\s*deviation:\s*(shadow|rebind)\s*$")
PARAMS_WORD = re.compile(r"(?<![A-Za-z0-9_.])params(?![A-Za-z0-9_])")
PARAMS_LABEL = re.compile(r"(?<![A-Za-z0-9_.])params(?=\s*:)")


class NoAnswer(Exception):
    """The oracle gave no answer usable as an expectation for one script."""


def run_oracle(oracle_dir: Path, scripts: Dict[str, str]) -> Dict[str, dict]:
    """Analyse many scripts in one oracle process; returns id -> raw oracle result."""
    if not scripts:
        return {}
    oracle_js = oracle_dir / "oracle.js"
    if not oracle_js.exists():
        raise SystemExit(f"oracle not found: {oracle_js} (use --oracle DIR)")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for key, script in scripts.items():
            f.write(json.dumps({"id": key, "script": script}) + "\n")
        path = f.name
    try:
        proc = subprocess.run(["node", str(oracle_js), "--jsonl", path], cwd=str(oracle_dir),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              encoding="utf-8", check=False)
    finally:
        os.unlink(path)
    results = {}
    for line in proc.stdout.splitlines():
        if line.strip():
            item = json.loads(line)
            results[item.pop("id")] = item
    missing = set(scripts) - set(results)
    if missing:
        raise SystemExit(f"oracle exited {proc.returncode} without answering {sorted(missing)[:5]}")
    return results


def expectation(res: dict, *, allow_defined: bool = False) -> dict:
    """The committed form of one oracle answer."""
    if "error" in res or res.get("parse_ok") is None:
        raise NoAnswer("libflux crashed: " + str(res.get("error") or res.get("raw", {}).get("libflux_crash")))
    raw = res.get("raw", {})
    if res["parse_ok"] and raw.get("params_defined_in_script") and not allow_defined:
        raise NoAnswer("the script defines params itself: put it in tests/cases/deviations")
    params = res.get("params_cloud")
    types = res.get("params")
    if res["parse_ok"]:
        if params is None or types is None:
            raise NoAnswer("the oracle could not read the params type: " + str(raw.get("note")))
        if any(v is None for v in types.values()) or raw.get("fallback_fields"):
            raise NoAnswer("the oracle could not type some fields: " + str(raw.get("fallback_fields")))
        if raw.get("diagnostics_timeout"):
            raise NoAnswer("the oracle's diagnostics timed out")
    return {
        "oracle": ORACLE_LABEL,
        "parse_ok": res["parse_ok"],
        "params": params if params is not None else {},
        "flux_types": types if types is not None else {},
        "semantic_errors": list(raw.get("semantic_errors", [])) if res["parse_ok"] else [],
        "parse_errors": list(res.get("parse_errors", [])),
    }


def deviation_kind(source: str) -> str:
    first = source.splitlines()[0] if source else ""
    m = DEVIATION_RE.match(first.strip())
    if not m:
        raise NoAnswer("a deviation script must start with '// deviation: shadow' or '// deviation: rebind'")
    return m.group(1)


def unshadowed(source: str) -> str:
    """The script with ``params`` renamed inside the shadowing function (between the markers).

    Outside the markers only property keys (``f(params: {...})``) are renamed, so calls still pass
    the renamed parameter; ``params.X`` there is the invoke params and stays.
    """
    out: List[str] = []
    inside = False
    seen = False
    for line in source.splitlines(keepends=True):
        tag = line.strip()
        if tag == "// shadow-begin":
            inside, seen = True, True
        elif tag == "// shadow-end":
            inside = False
        elif inside:
            line = PARAMS_WORD.sub(SHADOW_NAME, line)
        else:
            line = PARAMS_LABEL.sub(SHADOW_NAME, line)
        out.append(line)
    if not seen or inside:
        raise NoAnswer("a shadow deviation needs a '// shadow-begin' ... '// shadow-end' block")
    return "".join(out)


def dump(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def collect(dirs: List[Path], everything: bool) -> List[Path]:
    files: List[Path] = []
    for d in dirs:
        for f in sorted(d.glob("*.flux")):
            if everything or not f.with_suffix(".json").exists():
                files.append(f)
    return files


def build(files: List[Path], deviation: bool, oracle_dir: Path) -> Tuple[Dict[Path, str], List[str]]:
    """Expected .json text per file, and the problems met."""
    # bytes, not read_text: universal newlines would turn a CRLF case into an LF one
    sources = {f: f.read_bytes().decode("utf-8") for f in files}
    scripts: Dict[str, str] = {}
    kinds: Dict[Path, str] = {}
    problems: List[str] = []
    for f, src in sources.items():
        scripts[str(f)] = src
        if deviation:
            try:
                kinds[f] = deviation_kind(src)
                if kinds[f] == "shadow":
                    scripts[str(f) + "#unshadowed"] = unshadowed(src)
            except NoAnswer as e:
                problems.append(f"{f.name}: {e}")
    results = run_oracle(oracle_dir, scripts)
    out: Dict[Path, str] = {}
    for f in files:
        try:
            if not deviation:
                out[f] = dump(expectation(results[str(f)]))
                continue
            if f not in kinds:
                continue
            ours: Dict[str, object]
            if kinds[f] == "shadow":
                variant = expectation(results[str(f) + "#unshadowed"])
                if not variant["parse_ok"]:
                    raise NoAnswer("the renamed variant does not parse")
                ours = {"params": variant["params"], "flux_types": variant["flux_types"],
                        "semantic_errors": variant["semantic_errors"], "codes": []}
            else:
                ours = {"params": {}, "flux_types": {}, "semantic_errors": [], "codes": ["FP203"]}
            data = {"deviation": kinds[f], "oracle": expectation(results[str(f)], allow_defined=True),
                    "fluxparams": ours}
            if not data["oracle"]["parse_ok"]:
                raise NoAnswer("a deviation script must parse")
            out[f] = dump(data)
        except NoAnswer as e:
            problems.append(f"{f.name}: {e}")
    return out, problems


def _ours(source: str) -> dict:
    """fluxparams' answer in the committed shape (imported late: the oracle part must not need it)."""
    import fluxparams
    try:
        a = fluxparams.analyze(source)
    except fluxparams.FluxSyntaxError as e:
        return {"parse_ok": False, "error": f"FluxSyntaxError {e.lineno}:{e.offset}: {e.msg}"}
    except Exception as e:  # the report must list a crash, not stop at it
        return {"parse_ok": None, "error": f"{type(e).__name__}: {e}"}
    return {"parse_ok": True, "params": dict(a.params), "flux_types": dict(a.flux_types),
            "diagnostics": [f"{d.loc}: {d.code} {d.severity}: {d.message}" for d in a.diagnostics],
            # the libflux error behind each finding that stands for one, as libflux prints it
            "libflux_errors": sorted(str(d.libflux) for d in a.diagnostics if d.libflux is not None)}


def _token_bag(types: Dict[str, str]) -> Dict[str, List[str]]:
    """Per field, the sorted tokens of its type with every variable made alike: a hint, not a check."""
    bag = {}
    for name, text in types.items():
        toks = re.findall(r"#?\w+|<-|=>|\S", text or "")
        bag[name] = sorted("?" if re.fullmatch(r"#\w+|[A-Z]\w*|t\d+", t) else t for t in toks)
    return bag


def report(out: Path) -> int:
    """Write a markdown list of every case where fluxparams differs from the committed answer."""
    sys.path.insert(0, str(REPO / "tests"))
    from test_analyze_cases import normalise_types  # the same normaliser the suite uses

    known = json.loads((REPO / "tests" / "cases" / "known_error_differences.json")
                       .read_text(encoding="utf-8"))["cases"]
    rows: List[str] = []
    total = 0
    for flux in sorted(ANALYZE_DIR.glob("*.flux")) + sorted(DEVIATION_DIR.glob("*.flux")):
        target = flux.with_suffix(".json")
        if not target.exists():
            continue
        total += 1
        src = flux.read_bytes().decode("utf-8")
        exp = json.loads(target.read_text(encoding="utf-8"))
        if "deviation" in exp:
            exp = dict(exp["fluxparams"], parse_ok=True, deviation=exp["deviation"])
        got = _ours(src)
        problems = []
        if exp["parse_ok"] is False:
            if got["parse_ok"] is not False:
                problems.append("libflux rejects the script (" + "; ".join(exp["parse_errors"])
                                + "), we " + (got.get("error") or "accept it"))
        elif got["parse_ok"] is not True:
            problems.append("we fail: " + got["error"])
        else:
            if got["params"] != exp["params"]:
                problems.append("params differ")
            if normalise_types(got["flux_types"]) != normalise_types(exp["flux_types"]):
                problems.append("flux_types differ" + (" (only in the order of record fields or of variables)"
                                if _token_bag(got["flux_types"]) == _token_bag(exp["flux_types"]) else ""))
            errs = [d for d in got["diagnostics"] if " error: " in d]
            if bool(errs) != bool(exp["semantic_errors"]):
                problems.append("libflux reports errors, we do not" if exp["semantic_errors"]
                                else "we report errors, libflux does not")
            elif got["libflux_errors"] != sorted(exp["semantic_errors"]):
                listed = known.get(flux.name)
                problems.append("type errors differ in position or text"
                                + (f" (a known difference: {listed['why']})" if listed else ""))
        if not problems:
            continue
        rows.append(f"### {flux.parent.name}/{flux.name}\n")
        rows.append("- " + "; ".join(problems))
        rows.append(f"- oracle params: `{json.dumps(exp.get('params'), sort_keys=True)}`")
        rows.append(f"- ours   params: `{json.dumps(got.get('params'), sort_keys=True)}`")
        rows.append(f"- oracle types:  `{json.dumps(exp.get('flux_types'), sort_keys=True)}`")
        rows.append(f"- ours   types:  `{json.dumps(got.get('flux_types'), sort_keys=True)}`")
        rows.append(f"- oracle errors: `{json.dumps(exp.get('semantic_errors') or exp.get('parse_errors'))}`")
        rows.append(f"- ours   errors: `{json.dumps(got.get('libflux_errors') or got.get('error'))}`")
        rows.append(f"- ours   diagnostics: `{json.dumps(got.get('diagnostics') or got.get('error'))}`")
        rows.append("\n```flux\n" + src.rstrip("\n") + "\n```\n")
    failing = sum(1 for r in rows if r.startswith("### "))
    head = [f"# Corpus mismatches: fluxparams vs libflux ({failing} of {total} cases differ)\n",
            "Written by `python scripts/oracle_expect.py --report <this file>`; rerun to refresh.",
            "Each entry: what differs, both answers, the script. The pytest suite",
            "(tests/test_analyze_cases.py) is the authority; this is its readable digest.\n"]
    out.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    print(f"{failing} of {total} cases differ; written to {out}")
    return 1 if failing else 0


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--force", action="store_true", help="rewrite every .json, not only missing ones")
    ap.add_argument("--check", action="store_true", help="compare with the committed .json; write nothing")
    ap.add_argument("--deviation", action="store_true", help="the dirs hold deviation cases")
    ap.add_argument("--oracle", type=Path, default=DEFAULT_ORACLE, help="the oracle folder (oracle.js)")
    ap.add_argument("--report", type=Path, metavar="OUT.md",
                    help="write where fluxparams differs from the committed answers; runs no oracle")
    args = ap.parse_args(argv)
    if args.report:
        return report(args.report)

    if args.dirs:
        jobs = [(args.dirs, args.deviation)]
    else:
        jobs = [([ANALYZE_DIR], False), ([DEVIATION_DIR], True)]

    status = 0
    for dirs, deviation in jobs:
        files = collect(dirs, args.force or args.check)
        expected, problems = build(files, deviation, args.oracle)
        for p in problems:
            print("no oracle answer:", p, file=sys.stderr)
            status = max(status, 2)
        for f, text in expected.items():
            target = f.with_suffix(".json")
            if args.check:
                old = target.read_text(encoding="utf-8") if target.exists() else None
                if old != text:
                    print(("differs: " if old is not None else "missing: ") + str(target))
                    status = max(status, 1)
            else:
                target.write_text(text, encoding="utf-8")
        if not args.check:
            print(f"wrote {len(expected)} expectation(s) in {', '.join(str(d) for d in dirs)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
