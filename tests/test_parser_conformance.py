"""The parser agrees with libflux, vector by vector, on "parses" vs "syntax error".

libflux's own parser and scanner test vectors live in ../shared (read-only).
Their ``has_errors``/``other_checks`` fields are incomplete (many vectors only
compare debug output), so the verdict for each ``parse_file`` vector is
libflux's answer as the oracle gave it, committed in tests/conformance/ by
scripts/oracle_parse_expect.py.  Type-expression vectors have no oracle entry
point; their verdict is derived from the vector itself (see the script).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import load_shared_json

from fluxparams.syntax import FluxSyntaxError, parse, parse_type_expression

HERE = Path(__file__).resolve().parent
VERDICTS = HERE / "conformance"


def _verdicts(name: str) -> dict:
    return json.loads((VERDICTS / name).read_text(encoding="utf-8"))


def _sha(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _accepts(entry: str, source: str) -> bool:
    try:
        if entry == "parse_type_expression":
            parse_type_expression(source)
        else:
            parse(source)
    except FluxSyntaxError:
        return False
    return True


PARSER = _verdicts("parser_verdicts.json")
SCANNER = _verdicts("scanner_verdicts.json")


@pytest.fixture(scope="module")
def parser_vectors():
    vectors = load_shared_json("flux", "conformance", "parser_tests.json")
    return {f"{i}:{v['test']}": v for i, v in enumerate(vectors)}


@pytest.fixture(scope="module")
def scanner_sources():
    vectors = load_shared_json("flux", "conformance", "scanner_tests.json")
    return {f"{i}.{j}:{v['test']}": src
            for i, v in enumerate(vectors) for j, src in enumerate(v["sources"])}


def test_every_vector_has_a_committed_verdict(parser_vectors, scanner_sources):
    assert set(parser_vectors) == set(PARSER)
    assert set(scanner_sources) == set(SCANNER)


@pytest.mark.parametrize("vid", sorted(PARSER))
def test_parser_vector(vid, parser_vectors):
    vector = parser_vectors[vid]
    verdict = PARSER[vid]
    assert verdict["source_sha256"] == _sha(vector["source"]), "vector changed: re-run the script"
    assert _accepts(vector["entry"], vector["source"]) is verdict["parse_ok"], vector["source"]


@pytest.mark.parametrize("vid", sorted(SCANNER))
def test_scanner_vector(vid, scanner_sources):
    source = scanner_sources[vid]
    verdict = SCANNER[vid]
    assert verdict["source_sha256"] == _sha(source)
    assert _accepts("parse_file", source) is verdict["parse_ok"], source
