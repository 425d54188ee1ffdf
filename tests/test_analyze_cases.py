"""The data-driven corpus: every tests/cases/analyze/*.flux against libflux's answer in its .json.

Adding a case = adding two files: ``name.flux`` and ``name.json``, the latter written by
``scripts/oracle_expect.py`` from the oracle (never by hand). tests/cases/deviations/ holds the
scripts where fluxparams deliberately differs from libflux; their .json carries both answers.

Every type error is compared with libflux's, position and message (``line:col-line:col: message``,
as ``Diagnostic.libflux`` carries it); the few known differences are data, in
tests/cases/known_error_differences.json, each with its reason.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

import fluxparams

CASES_DIR = Path(__file__).resolve().parent / "cases"
ANALYZE = sorted((CASES_DIR / "analyze").glob("*.flux"))
DEVIATIONS = sorted((CASES_DIR / "deviations").glob("*.flux"))
CLOUD_NAMES = {"any", "bool", "duration", "float", "int", "string", "time", "uint"}
KNOWN_ERROR_DIFFERENCES: Dict[str, dict] = json.loads(
    (CASES_DIR / "known_error_differences.json").read_text(encoding="utf-8"))["cases"]


# -- type text normaliser ----------------------------------------------------------------------
#
# libflux names type variables by the order it happens to create them, the oracle renames them
# A, B, C… in the order they appear in the record text, and our printer has its own order. Only
# which fields share a variable matters, so both sides are renamed the same way: fields visited in
# sorted name order, variables lettered by first appearance. Whitespace is canonicalised and the
# trailing comma of libflux's multi-line layout dropped; nothing else (field order included) is touched.

_TOKEN = re.compile(r"\s+|#?[A-Za-z_][A-Za-z0-9_]*|#\w+|<-|=>|.", re.S)
_TVAR = re.compile(r"#\w+|[A-Z][A-Za-z0-9_]*|t\d+")
_WORD = re.compile(r"#?\w+")


def _tokens(text: str) -> List[str]:
    return _TOKEN.findall(text)


def _var_name(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"A{i - 25}"


def normalise_types(types: Dict[str, str]) -> Dict[str, str]:
    """Rename type variables canonically across all fields and canonicalise whitespace."""
    mapping: Dict[str, str] = {}
    out: Dict[str, str] = {}
    for name in sorted(types):
        text = types[name]
        if text is None:
            out[name] = None
            continue
        toks = _tokens(text)
        solid = [i for i, t in enumerate(toks) if not t.isspace()]
        pieces: List[str] = []
        in_where = False
        for pos, i in enumerate(solid):
            tok = toks[i]
            prev = toks[solid[pos - 1]] if pos > 0 else ""
            nxt = toks[solid[pos + 1]] if pos + 1 < len(solid) else ""
            if tok == "where":
                in_where = True
            elif _TVAR.fullmatch(tok):
                if in_where:
                    # `where A: Timeable + Comparable`: A is a variable, the kinds are names.
                    is_var = prev not in (":", "+")
                else:
                    # `{A with Foo: int}` / `(Foo: A)`: a word before ':' is a label, except the
                    # key of a dictionary type `[A: B]`.
                    is_var = nxt != ":" or prev == "["
                if is_var:
                    if tok not in mapping:
                        mapping[tok] = _var_name(len(mapping))
                    tok = mapping[tok]
            # one space only where two words would otherwise merge
            if pieces and _WORD.fullmatch(prev) and _WORD.fullmatch(tok):
                pieces.append(" ")
            pieces.append(tok)
        out[name] = _canonical_spaces("".join(pieces))
    return out


def _canonical_spaces(text: str) -> str:
    # one space after ',' and ':' and around '=>' and '+', as libflux prints them
    text = re.sub(r"\s*,\s*", ", ", text)
    text = re.sub(r"\s*:\s*", ": ", text)
    text = re.sub(r"\s*=>\s*", " => ", text)
    text = re.sub(r"\s*\+\s*", " + ", text)
    # libflux's multi-line layout ends a wide record with a trailing comma
    text = re.sub(r",\s*([}\])])", r"\1", text)
    return text.strip()


@pytest.mark.parametrize("given, want", [
    ({"a": "#F", "b": "#X"}, {"a": "A", "b": "B"}),
    # the letters follow sorted field order, not the order of the text
    ({"b": "A", "a": "B"}, {"a": "A", "b": "B"}),
    # a shared variable keeps one letter across fields
    ({"x": "[#t3]", "y": "{#t9 with f: #t3}"}, {"x": "[A]", "y": "{B with f: A}"}),
    # labels are not variables, even when capitalised; dictionary keys are
    ({"r": "{B with Foo: C, bar: int}", "d": "[B: C]"}, {"d": "[A: B]", "r": "{A with Foo: B, bar: int}"}),
    ({"f": "(<-tables: stream[A], ?n: int) => stream[A]"},
     {"f": "(<-tables: stream[A], ?n: int) => stream[A]"}),
    ({"s": "string", "t": "t26", "u": "int"}, {"s": "string", "t": "A", "u": "int"}),
    # whitespace only: the multi-line record layout libflux uses for wide records
    ({"r": "{\n    A with\n    a: int,\n    b: B,\n}"}, {"r": "{A with a: int, b: B}"}),
    ({"v": "A where A: Timeable + Comparable"}, {"v": "A where A: Timeable + Comparable"}),
])
def test_normaliser(given, want):
    assert normalise_types(given) == want


def test_normaliser_keeps_semantics_apart():
    # different sharing, different answers
    assert normalise_types({"a": "A", "b": "A"}) != normalise_types({"a": "A", "b": "B"})
    assert normalise_types({"a": "[int]"}) != normalise_types({"a": "[A]"})
    assert normalise_types({"a": "{A with x: int}"}) != normalise_types({"a": "{A with y: int}"})


# -- helpers ------------------------------------------------------------------------------------

def _load(flux: Path) -> Tuple[str, dict]:
    target = flux.with_suffix(".json")
    assert target.exists(), f"{target.name} is missing: run scripts/oracle_expect.py"
    # bytes, not read_text: universal newlines would turn a CRLF case into an LF one
    return flux.read_bytes().decode("utf-8"), json.loads(target.read_text(encoding="utf-8"))


def _span(source: str, line: int, col: int, end_line: int, end_col: int) -> str:
    """The source text of a span; columns count UTF-8 bytes, as libflux (and this project) counts them."""
    lines = [ln.encode("utf-8") for ln in source.split("\n")]
    if line == end_line:
        return lines[line - 1][col - 1:end_col - 1].decode("utf-8")
    parts = [lines[line - 1][col - 1:]] + lines[line:end_line - 1] + [lines[end_line - 1][:end_col - 1]]
    return b"\n".join(parts).decode("utf-8")


_MEMBER = re.compile(r'params\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*"((?:\\.|[^"\\])*)"\s*\])\Z')


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), s)


def _param_sites(source: str) -> Dict[Tuple[int, int, int, int], str]:
    """Every same-line ``params.X`` / ``params["X"]`` span in the text (1-based byte columns,
    end exclusive)."""
    sites = {}
    pat = re.compile(r'(?<![\w.])params(?:\.([A-Za-z_]\w*)|\["((?:\\.|[^"\\])*)"\])')
    for n, text in enumerate(source.split("\n"), 1):
        for m in pat.finditer(text):
            name = m.group(1) if m.group(1) is not None else _unescape(m.group(2))
            start = len(text[:m.start()].encode("utf-8")) + 1
            end = len(text[:m.end()].encode("utf-8")) + 1
            sites[(n, start, n, end)] = name
    return sites


_RANGE = re.compile(r"^(\d+):(\d+)-(\d+):(\d+): ")


def _conflict_at_param_site(source: str, semantic_errors: List[str]) -> Optional[str]:
    """The oracle error that sits exactly on a params.X used more than once (a conflicting use)."""
    sites = _param_sites(source)
    counts: Dict[str, int] = {}
    for name in sites.values():
        counts[name] = counts.get(name, 0) + 1
    for err in semantic_errors:
        m = _RANGE.match(err)
        if m:
            key = tuple(int(g) for g in m.groups())
            if key in sites and counts[sites[key]] > 1:
                return err
    return None


def _check_references(source: str, analysis) -> None:
    for ref in analysis.references:
        assert ref.name in analysis.params, f"reference {ref.name!r} is not among the params"
        text = _span(source, ref.line, ref.column, ref.end_line, ref.end_column)
        m = _MEMBER.match(text)
        where = f"{ref.line}:{ref.column}-{ref.end_line}:{ref.end_column}"
        assert m, f"reference {ref.name!r} at {where} spans {text!r}"
        got = m.group(1) if m.group(1) is not None else _unescape(m.group(2))
        assert got == ref.name, f"reference {ref.name!r} spans {text!r}"


def _errors(analysis) -> List:
    return [d for d in analysis.diagnostics if d.severity == "error"]


def _libflux_errors(analysis) -> List[str]:
    """Our findings that stand for a libflux error, as libflux prints them. Sorted: analyze orders its
    findings by position, libflux in the order it meets them."""
    return sorted(str(d.libflux) for d in analysis.diagnostics if d.libflux is not None)


def _check_answer(source: str, params: dict, flux_types: dict, semantic_errors: List[str], analysis,
                  case: str = "") -> None:
    assert set(params.values()) <= CLOUD_NAMES
    assert analysis.params == params, f"params: ours {analysis.params} vs oracle {params}"
    assert list(analysis.params) == sorted(analysis.params), "params keys are not sorted"
    assert analysis.to_dict() == {"params": params}
    assert normalise_types(dict(analysis.flux_types)) == normalise_types(flux_types), (
        f"flux_types: ours {dict(analysis.flux_types)} vs oracle {flux_types}")
    _check_references(source, analysis)
    errors = _errors(analysis)
    if not semantic_errors:
        assert not errors, f"libflux finds no error, we report {errors}"
    else:
        assert errors, f"libflux reports {semantic_errors}, we report no error"
        conflict = _conflict_at_param_site(source, semantic_errors)
        if conflict is not None:
            assert "FP101" in {d.code for d in errors}, f"libflux: {conflict}; ours: {errors}"
    ours = _libflux_errors(analysis)
    known = KNOWN_ERROR_DIFFERENCES.get(case)
    if known is None:
        assert ours == sorted(semantic_errors), f"type errors: ours {ours} vs libflux {semantic_errors}"
    else:
        assert ours != sorted(semantic_errors), f"{case} matches libflux: unlist it"
        assert ours == sorted(known["fluxparams"]), f"type errors: ours {ours}, listed {known['fluxparams']}"


# -- the corpus ---------------------------------------------------------------------------------

def test_known_error_differences_name_real_cases():
    names = {p.name for p in ANALYZE}
    for case, entry in KNOWN_ERROR_DIFFERENCES.items():
        assert case in names, f"known_error_differences.json names {case}, which is not a case"
        assert entry["why"].strip() and entry["fluxparams"], case


def test_type_errors_match_libflux_in_all_but_the_listed_cases():
    """The count, for the record: every case where libflux reports errors, and how many agree exactly."""
    with_errors = matching = 0
    for flux in ANALYZE:
        source, expected = _load(flux)
        if expected["parse_ok"] is False or not expected["semantic_errors"]:
            continue
        with_errors += 1
        if _libflux_errors(fluxparams.analyze(source)) == sorted(expected["semantic_errors"]):
            matching += 1
    assert with_errors >= 85
    assert matching == with_errors - len(KNOWN_ERROR_DIFFERENCES), (matching, with_errors)


def test_corpus_is_complete():
    assert len(ANALYZE) >= 330, f"only {len(ANALYZE)} analysis cases"
    for flux in ANALYZE + DEVIATIONS:
        assert flux.with_suffix(".json").exists(), f"{flux.name} has no .json: run scripts/oracle_expect.py"
    for js in (CASES_DIR / "analyze").glob("*.json"):
        assert js.with_suffix(".flux").exists(), f"{js.name} has no .flux"


@pytest.mark.parametrize("flux", ANALYZE, ids=[p.name for p in ANALYZE])
def test_analyze_case(flux: Path):
    source, expected = _load(flux)
    assert expected["oracle"].startswith("libflux")
    if expected["parse_ok"] is False:
        with pytest.raises(fluxparams.FluxSyntaxError):
            fluxparams.analyze(source)
        return
    analysis = fluxparams.analyze(source)
    _check_answer(source, expected["params"], expected["flux_types"], expected["semantic_errors"], analysis,
                  flux.name)


@pytest.mark.parametrize("flux", DEVIATIONS, ids=[p.name for p in DEVIATIONS])
def test_deviation_case(flux: Path):
    source, expected = _load(flux)
    assert expected["deviation"] in ("shadow", "rebind")
    assert expected["oracle"]["parse_ok"] is True
    ours = expected["fluxparams"]
    # the case only documents a deviation if libflux really answers differently
    assert expected["oracle"]["params"] == {}
    analysis = fluxparams.analyze(source)
    _check_answer(source, ours["params"], ours["flux_types"], ours["semantic_errors"], analysis)
    codes = {d.code for d in analysis.diagnostics}
    for code in ours["codes"]:
        assert code in codes, f"expected {code}, we report {sorted(codes)}"
