#!/usr/bin/env python3
"""libflux's formatter output as test data: tests/cases/format/<group>/<name>.formatted.

Every ``<name>.flux`` under tests/cases/format/ is given to libflux's own formatter
(``node ../shared/oracle/format.js --jsonl``, one process for all) and its answer is stored
beside it, byte for byte:

* libflux formats the script: ``<name>.formatted`` holds its output;
* libflux refuses (a script that does not parse): no ``.formatted``, and ``<name>.json`` holds
  ``{"oracle": "error: <its message>"}``; ``fluxparams.format`` must raise FluxSyntaxError;
* libflux formats it but changes the meaning (parentheses rebuilt from precedence), drops a
  comment, or its output is not a fixed point of libflux itself (a comment at the end of a file
  without a final newline): ``<name>.json`` holds ``{"deviation": "<why>", "oracle": "<libflux's text>"}``
  (plus ``"oracle_second_pass": "<libflux's output for that text>"`` when it differs) and
  ``<name>.formatted`` our expected output, written by hand. This script never writes such a
  ``.formatted``; it refreshes (or checks) only the ``"oracle"`` texts.

A script whose libflux output parses (with fluxparams.parse) to another program than the input
(parentheses and positions aside), lacks one of its comments, or changes when formatted again,
is not written: it is reported, so that its case gets a deviation sidecar by hand.

The differential corpus (``corpus`` job): the scripts of scripts/format_corpus.py's generator
with the oracle's answers, one JSON object a line in tests/cases/format/corpus/corpus.jsonl:
``{"id", "script"}`` (or ``"sha256"`` for a whole stdlib file, read from ../shared) plus
``"formatted": text``, ``"unchanged": true`` (libflux prints the script as it is) or
``"error": message`` (libflux refuses it); ``"meaning_changed": true`` marks an output that
parses to another program than the script (judged with fluxparams.parse: a parser fix can change
this flag, and ``--check`` then asks for a rewrite), ``"comment_lost": true`` one without all of the
script's comments, ``"not_idempotent": true`` one that libflux changes when given it again.

Usage::

    scripts/oracle_format_expect.py [cases|corpus|all]            # (re)write
    scripts/oracle_format_expect.py [cases|corpus|all] --check    # write nothing; exit 1 on a difference

Run it where node finds @influxdata/flux-lsp-node (``npm ci`` in ../shared/oracle, or
NODE_PATH pointing at a private install).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parents[1]
FORMAT_JS = REPO.parent / "shared" / "oracle" / "format.js"
CASES = REPO / "tests" / "cases" / "format"
CORPUS = CASES / "corpus" / "corpus.jsonl"
# libflux v0.193's parser can loop on some malformed input; the cases avoid those, but a hang
# must not stall the script
TIMEOUT = 600

sys.path.insert(0, str(Path(__file__).resolve().parent))
from format_corpus import comments, generate, meaning, same_meaning  # noqa: E402  (a sibling script)


def ask_formatter(scripts: Dict[str, str]) -> Dict[str, Dict[str, str]]:
    """{id: script} -> {id: {"formatted": text} or {"error": message}}, one node process."""
    if not scripts:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for key, script in scripts.items():
            f.write(json.dumps({"id": key, "script": script}) + "\n")
        name = f.name
    try:
        out = subprocess.run(["node", str(FORMAT_JS), "--jsonl", name], capture_output=True,
                             check=True, timeout=TIMEOUT).stdout.decode("utf-8")
    finally:
        Path(name).unlink()
    # split on "\n" only: str.splitlines would also cut at a U+2028 inside a JSON string
    answers = {}
    for item in map(json.loads, filter(None, out.split("\n"))):
        key = item.pop("id")
        answers[key] = item
    return answers


def read_text(path: Path) -> str:
    # bytes, not read_text: universal newlines would turn a CR in a case into LF
    return path.read_bytes().decode("utf-8")


def write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def case_files(cases: Path) -> List[Path]:
    return sorted(p for p in cases.rglob("*.flux") if p.parent != CORPUS.parent)


def sidecar(path: Path) -> Optional[dict]:
    js = path.with_suffix(".json")
    return json.loads(read_text(js)) if js.exists() else None


def dump(obj: object) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def do_cases(check: bool, cases: Path = CASES) -> int:
    files = case_files(cases)
    answers = ask_formatter({str(p.relative_to(cases)): read_text(p) for p in files})
    # libflux's output given to libflux again: where it changes, libflux is not idempotent
    second = ask_formatter({k: v["formatted"] for k, v in answers.items() if "formatted" in v})
    status = 0
    for path in files:
        rel = str(path.relative_to(cases))
        answer = answers[rel]
        side = sidecar(path)
        formatted = path.with_suffix(".formatted")
        js = path.with_suffix(".json")
        oracle = answer.get("formatted", "error: " + answer.get("error", ""))
        again = second.get(rel, {}).get("formatted")
        if side is not None and "deviation" in side:
            want = dict(side, oracle=oracle)
            want.pop("oracle_second_pass", None)
            if again is not None and again != oracle:
                want["oracle_second_pass"] = again
            if side != want:
                print(f"{rel}: libflux now prints {oracle!r} (then {again!r}); the deviation sidecar differs")
                status = 1
                if not check:
                    write_text(js, dump(want))
            if not formatted.exists():
                print(f"{rel}: a deviation needs our expected output in {formatted.name}")
                status = 1
            continue
        if "error" in answer:
            want_side = {"oracle": oracle}
            if side != want_side or formatted.exists():
                if check:
                    print(f"{rel}: libflux refuses it ({oracle}); the committed data says otherwise")
                    status = 1
                else:
                    write_text(js, dump(want_side))
                    if formatted.exists():
                        formatted.unlink()
                    print(f"wrote {js.relative_to(cases)}")
            continue
        text = answer["formatted"]
        if meaning(read_text(path)) is None:
            # the truth is still libflux's output: the case is written and fails until our
            # parser accepts what libflux accepts
            print(f"{rel}: libflux formats it but fluxparams.parse refuses it (a parser difference)")
        elif not same_meaning(read_text(path), text):
            print(f"{rel}: libflux's output {text!r} is another program: add a deviation sidecar")
            status = 1
            continue
        if comments(text) != comments(read_text(path)):
            print(f"{rel}: libflux's output loses a comment: add a deviation sidecar")
            status = 1
            continue
        if again != text:
            print(f"{rel}: libflux is not idempotent here ({text!r} -> {again!r}): add a deviation sidecar")
            status = 1
            continue
        current = read_text(formatted) if formatted.exists() else None
        if current != text or side is not None:
            if check:
                print(f"{rel}: committed output differs from libflux's")
                status = 1
            else:
                write_text(formatted, text)
                if js.exists():
                    js.unlink()
                print(f"wrote {formatted.relative_to(cases)}")
    for stray in sorted(list(cases.rglob("*.formatted")) + list(cases.rglob("*.json"))):
        if not stray.with_suffix(".flux").exists():
            print(f"{stray.relative_to(cases)}: no .flux beside it")
            status = 1
    return status


def corpus_entries() -> List[dict]:
    """The committed corpus: one {"id", "script", ...answer} per line."""
    if not CORPUS.exists():
        return []
    return [json.loads(line) for line in read_text(CORPUS).split("\n") if line]


def do_corpus(check: bool) -> int:
    scripts = generate()
    answers = ask_formatter(scripts)
    second = ask_formatter({k: v["formatted"] for k, v in answers.items()
                            if "formatted" in v and v["formatted"] != scripts[k]})
    lines = []
    for key, script in scripts.items():
        answer = answers[key]
        entry: dict = {"id": key, "script": script}
        if key.startswith("stdlib:"):
            # the file itself is in ../shared: only its digest is kept, to keep the data small
            entry = {"id": key, "sha256": hashlib.sha256(script.encode("utf-8")).hexdigest()}
        if "error" in answer:
            entry["error"] = answer["error"][:200]
        elif answer["formatted"] == script:
            entry["unchanged"] = True  # most real scripts are fixed points: keep the file small
        else:
            entry["formatted"] = answer["formatted"]
        if "formatted" in answer and not same_meaning(script, answer["formatted"]):
            entry["meaning_changed"] = True
        if "formatted" in answer and comments(answer["formatted"]) != comments(script):
            entry["comment_lost"] = True
        if second.get(key, answer).get("formatted") != answer.get("formatted"):
            entry["not_idempotent"] = True  # libflux changes its own output on a second pass
        lines.append(json.dumps(entry, ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    if check:
        if not CORPUS.exists() or read_text(CORPUS) != text:
            print(f"{CORPUS.relative_to(REPO)} is not current (generator or libflux changed)")
            return 1
        print(f"{len(lines)} corpus scripts are current")
        return 0
    CORPUS.parent.mkdir(parents=True, exist_ok=True)
    write_text(CORPUS, text)
    print(f"wrote {CORPUS.relative_to(REPO)}: {len(lines)} scripts, {len(text.encode()) // 1024} KiB")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("job", nargs="?", default="all", choices=["cases", "corpus", "all"])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 on a difference")
    ap.add_argument("--cases", type=Path, default=CASES, help="the cases directory (tests/cases/format)")
    args = ap.parse_args(argv)
    status = 0
    if args.job in ("cases", "all"):
        status |= do_cases(args.check, args.cases)
    if args.job in ("corpus", "all"):
        status |= do_corpus(args.check)
    return status


if __name__ == "__main__":
    sys.exit(main())
