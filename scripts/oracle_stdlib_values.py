#!/usr/bin/env python3
"""Write libflux's type of every stdlib value to tests/cases/stdlib/values.json.

For each value ``pkg.name`` of the shipped stdlib table the probe script

    import probe "pkg"
    v = [params.a, probe.name]

makes ``params.a`` the value's (instantiated) type, which the oracle prints as libflux does.
tests/test_stdlib.py runs the same probes through fluxparams and compares, so every value of the
table, builtin or inferred from Flux code, is checked against libflux, record field order
included.

    python scripts/oracle_stdlib_values.py            # (re)write the file
    python scripts/oracle_stdlib_values.py --check    # exit 1 if it is not what the oracle says
    python scripts/oracle_stdlib_values.py --oracle DIR

Exit status: 0 fine, 1 ``--check`` found a difference, 2 the oracle gave no usable answer.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "src"))

from oracle_expect import DEFAULT_ORACLE, ORACLE_LABEL, run_oracle  # noqa: E402

from fluxparams import stdlib  # noqa: E402

TARGET = REPO / "tests" / "cases" / "stdlib" / "values.json"


def probe(package: str, name: str) -> str:
    """The script whose ``params.a`` has the type of ``package.name``."""
    return f'import probe "{package}"\nv = [params.a, probe.{name}]\n'


def build(oracle_dir: Path) -> str:
    scripts = {f"{pkg}.{name}": probe(pkg, name) for pkg, name, _text in stdlib.all_values()}
    answers = run_oracle(oracle_dir, scripts)
    values: Dict[str, str] = {}
    problems: List[str] = []
    for key in sorted(scripts):
        res = answers[key]
        errors = res.get("raw", {}).get("semantic_errors")
        typ = (res.get("params") or {}).get("a")
        if not res.get("parse_ok") or errors or typ is None:
            problems.append(f"{key}: {errors or res.get('error') or 'no type for params.a'}")
            continue
        values[key] = typ
    if problems:
        raise SystemExit("no oracle answer for:\n  " + "\n  ".join(problems))
    document = {"oracle": ORACLE_LABEL, "probe": probe("PACKAGE", "NAME"), "values": values}
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed file; write nothing")
    ap.add_argument("--oracle", type=Path, default=DEFAULT_ORACLE, help="the oracle folder (oracle.js)")
    args = ap.parse_args(argv)
    try:
        text = build(args.oracle)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} differs from the oracle's answers", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
