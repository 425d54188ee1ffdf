#!/usr/bin/env python3
"""Build src/fluxparams/data/stdlib_types.json from the Flux stdlib source.

How the stdlib table is built
-----------------------------
../shared/flux/stdlib-v0.193.0 holds the 89 package sources of the Flux standard library at the
version of the libflux oracle (one ``.flux`` file per package; ``*_test.flux`` files and
``testcase`` blocks are left out). The table is built from them the way libflux builds its own
(``semantic/bootstrap.rs``), with fluxparams' own parser and inference
(``fluxparams.stdlib_source``):

* a ``builtin`` statement gives its value the type its type expression states;
* every other top-level value (variables and ``option``s, underscore names included:
  ``_fillEmpty``, ``dynamic._isNotDistinct``, ...) gets the type inferred from its Flux code;
* packages are inferred after the packages they import; the prelude first, in libflux's order
  (``internal/boolean``, ``internal/location``, ``universe``, ``influxdata/influxdb``, each
  seeing the prelude packages before it), then every other package seeing the whole prelude;
* while a package is inferred, the stdlib in use is exactly the table built so far, read back
  from the text that is shipped, so the build never sees the previously shipped table.

Every value is stored as type-expression text (as libflux prints types, variables renamed A, B,
... in order of appearance; record fields written so that parsing gives back the inferred
field order). Text keeps the file small, readable and diffable, and ``fluxparams.stdlib``
parses only the values a script touches, so start-up stays one ``json.load``.

A package whose code does not infer cleanly stops the build (exit 2) with the position.

The cross-check: ../shared/flux/stdlib_types.json (types from builtin declarations and the
documentation) is compared value by value after renaming type variables, and every difference
is printed with its explanation. ``--check`` writes nothing and exits 1 if the shipped file is
not what this script builds (tests/test_stdlib.py runs it).

    python scripts/build_stdlib.py [--shared DIR] [--check] [--quiet]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fluxparams import stdlib, stdlib_source  # noqa: E402
from fluxparams.syntax import parse_type_expression  # noqa: E402

DEFAULT_SHARED = REPO.parent / "shared"
TARGET = REPO / "src" / "fluxparams" / "data" / "stdlib_types.json"
SOURCE_DIR = "flux/stdlib-v0.193.0"
FLUX_VERSION = "v0.193.0"

Table = Dict[str, Dict[str, str]]


def source_digest(root: Path) -> str:
    """sha256 over every package file's path and bytes, in path order."""
    digest = hashlib.sha256()
    for package, path in sorted(stdlib_source.discover(str(root)).items()):
        digest.update(package.encode("utf-8") + b"\0")
        digest.update(Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def render(table: Table, root: Path) -> str:
    document = {
        "provenance": {
            "source": SOURCE_DIR,
            "sha256": source_digest(root),
            "flux_version": FLUX_VERSION,
            "values": sum(len(v) for v in table.values()),
            "packages": len(table),
        },
        "packages": table,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def build(shared: Path) -> str:
    """The shipped file's text, built from the sources under ``shared``."""
    root = shared / SOURCE_DIR
    return render(stdlib_source.build_table(str(root)), root)


# ---------------------------------------------------------------------------
# Cross-check with the table from builtin declarations and documentation
# ---------------------------------------------------------------------------

def _canonical(text: str, sort_records: bool = False) -> str:
    return stdlib_source.storage_text(stdlib.scheme_from_tree(parse_type_expression(text)), sort_records)


def cross_check(built: Table, docs: Table, provenance: Table) -> List[Tuple[str, str, str, str]]:
    """(category, package, name, explanation) for every value where the two tables differ."""
    found: List[Tuple[str, str, str, str]] = []
    for package in sorted(set(built) | set(docs)):
        ours, theirs = built.get(package, {}), docs.get(package, {})
        for name in sorted(set(ours) | set(theirs)):
            mine, other = ours.get(name), theirs.get(name)
            origin = provenance.get(package, {}).get(name, "")
            if other is None:
                found.append(("missing from the docs table", package, name,
                              f"Flux-defined in the source, not documented: {mine}"))
            elif mine is None:
                found.append(("not in the source", package, name,
                              f"the docs table has it ({origin}) but no package file defines it: {other}"))
            elif _canonical(mine) == _canonical(other):
                continue
            elif _canonical(mine, True) == _canonical(other, True):
                found.append(("documentation simplification", package, name,
                              f"the same type with record fields in label order ({origin.split(':')[0]});"
                              " the table keeps the inferred order"
                              f"\n      source: {mine}\n      docs:   {other}"))
            else:
                found.append(("real inference difference", package, name,
                              f"({origin})\n      source: {mine}\n      docs:   {other}"))
    return found


def report(built: Table, shared: Path) -> None:
    docs_path = shared / "flux" / "stdlib_types.json"
    if not docs_path.exists():
        print(f"cross-check skipped: {docs_path} is absent")
        return
    docs: Table = json.loads(docs_path.read_text(encoding="utf-8"))
    prov_path = shared / "flux" / "stdlib_types_provenance.json"
    provenance: Table = (json.loads(prov_path.read_text(encoding="utf-8"))["provenance"]
                         if prov_path.exists() else {})
    found = cross_check(built, docs, provenance)
    print(f"cross-check with {docs_path.name}: {len(found)} value(s) differ "
          f"({sum(len(v) for v in built.values())} built, {sum(len(v) for v in docs.values())} documented)")
    counts: Dict[str, int] = {}
    for category, package, name, why in found:
        counts[category] = counts.get(category, 0) + 1
        print(f"  [{category}] {package}.{name}: {why}")
    for category in sorted(counts):
        print(f"  {counts[category]:4d}  {category}")


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped file is stale; write nothing")
    ap.add_argument("--quiet", action="store_true", help="no cross-check report")
    args = ap.parse_args(argv)
    root = args.shared / SOURCE_DIR
    if not root.is_dir():
        print(f"no stdlib source at {root} (use --shared DIR)", file=sys.stderr)
        return 2
    try:
        table = stdlib_source.build_table(str(root))
    except stdlib_source.StdlibSourceError as exc:
        print(f"cannot build the stdlib table: {exc}", file=sys.stderr)
        return 2
    text = render(table, root)
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale; run scripts/build_stdlib.py", file=sys.stderr)
            return 1
        return 0
    if not args.quiet:
        report(table, args.shared)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    tmp = TARGET.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, TARGET)
    print(f"wrote {TARGET} ({sum(len(v) for v in table.values())} values, {len(table)} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
