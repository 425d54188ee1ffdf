"""Invoke's ``time`` and ``duration`` values follow the parser's literal rules, which are libflux's.

There is one rule for a date-time and one for a duration (:mod:`fluxparams.syntax.literals`): the
binding accepts a value exactly when the same text, written as a literal in a script, parses. The
expected answers are libflux's, recorded from the oracle by running this file:

    python tests/test_service_literals.py      # rewrites tests/cases/service/literals.json

and checked live against the oracle when ../shared/oracle is usable.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import fluxparams
from fluxparams import tree
from fluxparams.service import binding

HERE = Path(__file__).resolve().parent
RECORD = HERE / "cases" / "service" / "literals.json"
ORACLE = HERE.parents[1] / "shared" / "oracle" / "oracle.js"

DATETIMES = [
    "2020-12-31T23:59:60Z", "2020-06-30T12:00:60Z", "2021-03-04T10:11:60.5+01:00",
    "2016-12-31T23:59:60.999999999Z", "2020-12-31T23:59:61Z", "2020-12-31T23:60:00Z",
    "2020-01-01T00:00:00.1234567891234Z", "2020-01-01T00:00:00.123456789Z", "2020-01-01T00:00:00.Z",
    "2020-01-01T00:00:00.5", "2020-01-01T00:00:00", "2020-01-01T24:00:00Z", "2020-01-01T23:59:59Z",
    "2020-01-01T00:00:00+23:59", "2020-01-01T00:00:00+24:00", "2020-01-01T00:00:00-00:00",
    "2020-01-01T00:00:00+05:60", "2020-01-01T00:00:00z", "2020-01-01t00:00:00Z",
    "2020-02-29", "2019-02-29", "2000-02-29", "1900-02-29", "2021-04-31", "2021-04-30",
    "2021-13-01", "2021-00-10", "2021-01-00", "0000-01-01", "9999-12-31T23:59:59Z",
    "2021-1-01", "20210-01-01", "2026-11-26T10:00Z", "2026-11-26T10:00:00+0100",
]
DURATIONS = [
    "1h", "1h30m", "1µs", "1us", "05µs", "1mo2w", "1y2mo3w4d5h6m7s8ms9us10ns", "0s",
    "1d1d", "1s1h", "9223372036854775807ns", "9223372036854775808ns", "1" * 5000 + "h",
    "0" * 30 + "1h",
]


def oracle_verdicts(texts):
    """{text: whether libflux parses ``x = TEXT``}, from the oracle."""
    lines = [json.dumps({"id": t, "script": f"x = {t}\n"}) for t in texts]
    done = subprocess.run(["node", str(ORACLE), "--parse-only", "--jsonl", "/dev/stdin"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=300, check=True)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(results) == len(texts), done.stderr
    return {r["id"]: r["parse_ok"] is True for r in results}


def recorded():
    return json.loads(RECORD.read_text(encoding="utf-8"))


def accepted(kind, text):
    try:
        binding.convert_one(kind, text)
    except binding.ParamError:
        return False
    return True


def literal_kind(text):
    """The init's node type when ``x = TEXT`` parses with our parser, else None."""
    try:
        file = fluxparams.parse(f"x = {text}\n")
    except fluxparams.FluxSyntaxError:
        return None
    return type(file.body[0].init)


def test_the_record_covers_every_case():
    assert set(recorded()["datetime"]) == set(DATETIMES)
    assert set(recorded()["duration"]) == set(DURATIONS)
    # the cases are not one-sided: both verdicts occur
    assert set(recorded()["datetime"].values()) == {True, False}
    assert set(recorded()["duration"].values()) == {True, False}


@pytest.mark.parametrize("text", DATETIMES)
def test_a_time_value_is_accepted_exactly_when_libflux_accepts_the_literal(text):
    libflux = recorded()["datetime"][text]
    assert accepted("time", text) is libflux
    # the parser agrees too: one rule
    assert (literal_kind(text) is tree.DateTimeLiteral) is libflux


@pytest.mark.parametrize("text", DURATIONS)
def test_a_duration_value_is_accepted_exactly_when_libflux_accepts_the_literal(text):
    libflux = recorded()["duration"][text]
    assert accepted("duration", text) is libflux
    assert accepted("duration", "-" + text) is libflux  # the sign is the binding's extension
    assert (literal_kind(text) is tree.DurationLiteral) is libflux


@pytest.mark.parametrize("text", ["٢٠٢٠-01-01", "2020-01-0١", "2020-01-01T00:00:0٠Z"])
def test_a_time_with_non_ascii_digits_is_refused(text):
    # libflux reads ASCII digits only (the oracle refuses "x = ١"); "\d" would match these
    assert not accepted("time", text)


@pytest.mark.parametrize("text", ["١h", "1١h", "-٣m"])
def test_a_duration_with_non_ascii_digits_is_refused(text):
    assert not accepted("duration", text)


def test_an_out_of_range_duration_says_so():
    with pytest.raises(binding.ParamError, match="out of range"):
        binding.convert_one("duration", "9223372036854775808ns")


def test_second_60_reaches_the_extern_unchanged():
    v = binding.convert_one("time", "2020-12-31T23:59:60Z")
    assert binding.literal_node(v) == {"type": "DateTimeLiteral", "value": "2020-12-31T23:59:60Z"}


def test_the_record_matches_the_oracle_now():
    if shutil.which("node") is None or not (ORACLE.parent / "node_modules").is_dir():
        pytest.skip("the oracle (../shared/oracle with node_modules) is not usable here")
    assert {"datetime": oracle_verdicts(DATETIMES),
            "duration": oracle_verdicts(DURATIONS)} == recorded()


def main() -> int:
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    doc = {"datetime": oracle_verdicts(DATETIMES), "duration": oracle_verdicts(DURATIONS)}
    RECORD.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RECORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
