#!/usr/bin/env python3
"""Build src/fluxparams/data/stdlib_types.json from ../shared/flux/stdlib_types.json.

The shipped file is the shared one normalised (packages and names sorted, one
value per line) plus a small provenance header: the source file's sha256 and
the Flux version it was read from. It is never edited by hand; the test
tests/test_stdlib.py checks that it equals what this script produces.

    python scripts/build_stdlib.py [--shared DIR] [--check]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
TARGET = REPO / "src" / "fluxparams" / "data" / "stdlib_types.json"


def flux_version(shared: Path) -> str:
    """The libflux version the types were read from (stated in the grammar summary)."""
    summary = shared / "flux" / "grammar_summary.md"
    if summary.exists():
        m = re.search(r"\((v\d+\.\d+\.\d+[^,)]*)", summary.read_text(encoding="utf-8"))
        if m:
            return m.group(1)
    return "unknown"


def build(shared: Path) -> str:
    source = shared / "flux" / "stdlib_types.json"
    raw = source.read_bytes()
    packages = json.loads(raw)
    normalised = {
        pkg: {name: " ".join(text.split()) for name, text in sorted(values.items())}
        for pkg, values in sorted(packages.items())
    }
    document = {
        "provenance": {
            "source": "flux/stdlib_types.json",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "flux_version": flux_version(shared),
            "values": sum(len(v) for v in normalised.values()),
            "packages": len(normalised),
        },
        "packages": normalised,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped file is stale")
    args = ap.parse_args(argv)
    text = build(args.shared)
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale; run scripts/build_stdlib.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
