#!/usr/bin/env python3
"""Hostile-input cases with libflux's verdict: tests/cases/hostile/<name>.flux + <name>.json.

Each case is built here from a short recipe (literals thousands of digits long,
nesting far past the limits, NUL, BOM, CR/CRLF, ...), written byte-exact to
``<name>.flux``, and given to the oracle (``node ../shared/oracle/oracle.js
--parse-only --jsonl``, one process for all).  ``<name>.json`` holds what it
answered, in the format of scripts/oracle_parse_expect.py::

    {"parse_ok": true|false, "oracle_errors": [first 3, cut at 200 chars], "oracle_error_count": N,
     "error": {"line": L, "column": C}}      # libflux's first error, when parse_ok is false

A case on which libflux v0.193 loops (the oracle reports ``parse_ok: null``)
gets no verdict and is left out.  tests/test_hostile_input.py checks fluxparams
against these files without the oracle.

Usage::

    scripts/oracle_hostile_expect.py            # (re)write every case
    scripts/oracle_hostile_expect.py --check    # write nothing; exit 1 on a difference
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, List

from oracle_parse_expect import ask_oracle_raw  # the same batch call and answer format

REPO = Path(__file__).resolve().parents[1]
ORACLE = REPO.parent / "shared" / "oracle" / "oracle.js"
HOSTILE = REPO / "tests" / "cases" / "hostile"

BIG = (19, 20, 4300, 4301, 5000)  # digit counts around int64 and Python's int-string limit
# Nesting past libflux's limits (its exact boundaries are tested elsewhere).  Deeper inputs make
# libflux v0.193 loop or overflow, so they have no verdict; the fuzz suite goes deeper.
DEEP = (300, 1000)
LONG = 20000  # characters of the long strings, regexes and identifiers


def nested(opening: str, inner: str, closing: str, depth: int) -> str:
    return opening * depth + inner + closing * depth


def cases() -> Dict[str, str]:
    """name -> source.  Names are stable: they are the file names."""
    out: Dict[str, str] = {}
    for n in BIG:
        digits = "1" * n
        out[f"int_{n}"] = f"x = {digits}\n"
        out[f"int_bare_{n}"] = digits
        out[f"duration_{n}h"] = f"x = {digits}h\n"
        out[f"duration_{n}ns_compound"] = f"x = 1h{digits}ns\n"
        out[f"float_int_part_{n}"] = f"x = {digits}.5\n"
        out[f"float_frac_part_{n}"] = f"x = 1.{digits}\n"
        out[f"datetime_fraction_{n}"] = f"x = 2021-01-01T00:00:00.{digits}Z\n"
        out[f"int_in_index_{n}"] = f"x = a[{digits}]\n"
        out[f"int_in_interpolation_{n}"] = f'x = "${{{digits}}}"\n'
        out[f"int_in_attribute_{n}"] = f"@a({digits})\nx = 1\n"
        out[f"int_in_call_{n}"] = f"x = f(v: {digits})\n"
        out[f"int_negated_{n}"] = f"x = -{digits}\n"
    out["int_leading_zeros_5000"] = "x = " + "0" * 5000 + "1\n"
    out["int_zeros_5000"] = "x = " + "0" * 5000 + "\n"
    out["int64_max"] = "x = 9223372036854775807\n"
    out["int64_max_plus_1"] = "x = 9223372036854775808\n"
    out["duration_int64_max_ns"] = "x = 9223372036854775807ns\n"
    out["duration_int64_max_plus_1_ns"] = "x = 9223372036854775808ns\n"
    out["duration_5000_units"] = "x = " + "1h" * 5000 + "\n"
    out["duration_5000_mixed_units"] = "x = " + "1mo2w3d4h5m6s7ms8us9ns" * 500 + "\n"
    out["float_exponent_5000"] = "x = 1.5e" + "9" * 5000 + "\n"
    out["float_leading_dot_5000"] = "x = ." + "1" * 5000 + "\n"
    out["datetime_year_5_digits"] = "x = 99999-01-01T00:00:00Z\n"
    out["datetime_bad_month"] = "x = 2021-13-01T00:00:00Z\n"
    out["datetime_bad_day"] = "x = 2021-02-30T00:00:00Z\n"
    out["datetime_offset_long"] = "x = 2021-01-01T00:00:00+" + "1" * 5000 + ":00\n"
    out["datetime_date_only"] = "x = 2021-01-01\n"
    out["datetime_leap_second"] = "x = 2021-01-01T23:59:60Z\n"
    out["string_20k"] = 'x = "' + "a" * LONG + '"\n'
    out["string_20k_escapes"] = 'x = "' + "\\n\\t\\\"\\\\" * (LONG // 8) + '"\n'
    out["string_unterminated_20k"] = 'x = "' + "a" * LONG
    out["string_bad_escape"] = 'x = "\\q"\n'
    out["string_dollar_run_10k"] = 'x = "' + "$" * 10000 + '"\n'
    out["string_multiline_crlf"] = 'x = "a\r\nb\r\n"\r\n'
    out["string_unicode_20k"] = 'x = "' + "日本語é" * (LONG // 4) + '"\n'
    out["regex_20k"] = "x = /" + "a" * LONG + "/\n"
    out["regex_escaped_slashes_10k"] = "x = /" + "\\/" * 10000 + "/\n"
    for n in (100, 249, 250, 251, 1000, 5000):
        out[f"regex_groups_nested_{n}"] = "x = /" + "(" * n + "a" + ")" * n + "/\n"
    out["regex_groups_flat_5000"] = "x = /" + "(a)" * 5000 + "/\n"
    out["regex_repeat_huge"] = "x = /a{99999999}/\n"
    out["regex_repeat_100000"] = "x = /a{100000}/\n"
    out["regex_repeat_nested"] = "x = /(a{1000}){1000}/\n"
    out["regex_repeat_1001"] = "x = /a{1001}/\n"
    out["regex_unicode_class"] = "x = /\\p{Greek}+/\n"
    out["regex_unterminated_20k"] = "x = /" + "a" * LONG
    out["regex_bad_group"] = "x = /(/\n"
    out["regex_lookahead"] = "x = /a(?=b)/\n"
    out["regex_backreference"] = "x = /(a)\\1/\n"
    out["identifier_20k"] = "a" * LONG + " = 1\n"
    out["identifier_read_20k"] = "x = " + "a" * LONG + "\n"
    out["identifier_unicode_20k"] = "é" * (LONG // 2) + " = 1\n"
    out["member_20k"] = "x = params." + "p" * LONG + "\n"
    out["interpolation_5000"] = 'x = "' + "${a}" * 5000 + '"\n'
    out["interpolation_text_5000"] = 'x = "' + "t${a}" * 5000 + '"\n'
    out["record_2000_fields"] = "x = {" + ", ".join(f"a{i}: {i}" for i in range(2000)) + "}\n"
    out["record_2000_same_field"] = "x = {" + ", ".join(f"a: {i}" for i in range(2000)) + "}\n"
    out["array_5000"] = "x = [" + ", ".join(str(i) for i in range(5000)) + "]\n"
    out["call_2000_args"] = "x = f(" + ", ".join(f"a{i}: {i}" for i in range(2000)) + ")\n"
    out["function_2000_params"] = "f = (" + ", ".join(f"a{i}" for i in range(2000)) + ") => 1\n"
    for depth in DEEP:
        out[f"deep_parens_{depth}"] = "x = " + nested("(", "1", ")", depth) + "\n"
        out[f"deep_parens_open_{depth}"] = "x = " + "(" * depth
        out[f"deep_arrays_{depth}"] = "x = " + nested("[", "1", "]", depth) + "\n"
        out[f"deep_records_{depth}"] = "x = " + nested("{a: ", "1", "}", depth) + "\n"
        out[f"deep_dicts_{depth}"] = "x = " + nested("[1: ", "1", "]", depth) + "\n"
        out[f"deep_blocks_{depth}"] = "x = " + nested("() => {return ", "1", "}", depth) + "\n"
        out[f"deep_lambdas_{depth}"] = "x = " + "() => " * depth + "1\n"
        out[f"deep_calls_{depth}"] = "x = " + nested("f(a: ", "1", ")", depth) + "\n"
        out[f"deep_index_{depth}"] = "x = " + nested("a[", "1", "]", depth) + "\n"
        out[f"deep_interpolation_{depth}"] = "x = " + nested('"${', "1", '}"', depth) + "\n"
        out[f"deep_conditional_{depth}"] = "x = " + "if a then " * depth + "1" + " else 2" * depth + "\n"
        out[f"deep_unary_minus_{depth}"] = "x = " + "-" * depth + "1\n"
        out[f"deep_not_{depth}"] = "x = " + "not " * depth + "a\n"
        out[f"deep_exists_{depth}"] = "x = " + "exists " * depth + "a\n"
        out[f"deep_power_{depth}"] = "x = " + "2 ^ " * depth + "2\n"
        out[f"long_sum_{depth}"] = "x = " + "1 + " * depth + "1\n"
        out[f"long_and_{depth}"] = "x = " + "a and " * depth + "a\n"
        out[f"long_members_{depth}"] = "x = a" + ".b" * depth + "\n"
        out[f"long_index_chain_{depth}"] = "x = a" + "[0]" * depth + "\n"
        out[f"long_call_chain_{depth}"] = "x = f" + "()" * depth + "\n"
        out[f"long_pipeline_{depth}"] = "x = a" + " |> f()" * depth + "\n"
        out[f"deep_type_{depth}"] = "builtin x : " + nested("[", "int", "]", depth) + "\n"
    out["nul_at_end"] = "x = 1\n\x00"
    out["nul_in_string"] = 'x = "a\x00b"\n'
    out["nul_in_comment"] = "// a\x00b\nx = 1\n"
    out["nul_in_identifier"] = "x\x00y = 1\n"
    out["nul_only"] = "\x00"
    out["bom_at_start"] = "\ufeffx = 1\n"
    out["bom_in_string"] = 'x = "\ufeff"\n'
    out["bom_in_comment"] = "// \ufeff\nx = 1\n"
    out["bom_mid_file"] = "x = 1\n\ufeffy = 2\n"
    out["crlf"] = "x = 1\r\ny = x + 1\r\n"
    out["cr_only"] = "x = 1\ry = x + 1\r"
    out["mixed_line_endings"] = "x = 1\r\ny = 2\rz = 3\nw = 4\n\r"
    out["crlf_error_line_3"] = "x = 1\r\ny = 2\r\nz = (\r\n"
    out["cr_error"] = "x = 1\ry = (\r"
    out["crlf_in_comment"] = "// a\r\n// b\rx = 1\r\n"
    out["form_feed_vertical_tab"] = "x = 1\x0c\ny = 2\x0b\n"
    out["line_separator_u2028"] = "x = 1\u2028y = 2\n"
    out["nbsp_between_tokens"] = "x =\u00a01\n"
    out["emoji_identifier"] = "\U0001f600 = 1\n"
    out["emoji_string"] = 'x = "\U0001f600"\n'
    out["only_whitespace_10k"] = " \t\n\r" * 2500
    out["comments_10k"] = "// c\n" * 10000 + "x = 1\n"
    return out


KEEP_ERRORS = 3
KEEP_CHARS = 200
FIRST_ERROR = re.compile(r"^error @(\d+):(\d+)-")


def verdict(answer: Dict[str, Any]) -> Dict[str, Any]:
    errors: List[str] = answer.get("parse_errors") or []
    # libflux reports an error per broken node: the first few, cut short, say enough
    got: Dict[str, Any] = {"parse_ok": answer["parse_ok"],
                           "oracle_errors": [e[:KEEP_CHARS] for e in errors[:KEEP_ERRORS]],
                           "oracle_error_count": len(errors)}
    if errors:
        m = FIRST_ERROR.match(errors[0])
        if m:
            got["error"] = {"line": int(m.group(1)), "column": int(m.group(2))}
    return got


def main(argv: "List[str] | None" = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = ap.parse_args(argv)
    if not ORACLE.exists():
        print(f"no oracle at {ORACLE}", file=sys.stderr)
        return 2
    scripts = cases()
    answers = ask_oracle_raw(scripts)
    status = 0
    if not args.check:
        HOSTILE.mkdir(parents=True, exist_ok=True)
        for stale in HOSTILE.glob("*.flux"):
            if stale.stem not in scripts:
                stale.unlink()
                stale.with_suffix(".json").unlink(missing_ok=True)
    for name, source in sorted(scripts.items()):
        answer = answers.get(name)
        flux, js = HOSTILE / f"{name}.flux", HOSTILE / f"{name}.json"
        if answer is None or answer.get("parse_ok") is None:
            print(f"{name}: the oracle gave no verdict (libflux v0.193 loops); left out", file=sys.stderr)
            if not args.check:
                flux.unlink(missing_ok=True)
                js.unlink(missing_ok=True)
            continue
        got = verdict(answer)
        if args.check:
            old = json.loads(js.read_text(encoding="utf-8")) if js.exists() else None
            if old != got or not flux.exists() or flux.read_bytes() != source.encode("utf-8"):
                print(f"{name}: committed case differs from the oracle's answer")
                status = 1
            continue
        flux.write_bytes(source.encode("utf-8"))
        js.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.check:
        print(f"wrote {len(list(HOSTILE.glob('*.json')))} cases in {HOSTILE.relative_to(REPO)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
