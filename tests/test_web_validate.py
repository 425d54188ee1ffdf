"""The page's param validation (web/validate.js) agrees with the server's invoke binding.

One table of field values, per type: Chromium runs validate.js on each, Python runs what the
server does with the JSON the form would send (``inputs.parse_json`` for a number field's text, the
text itself as a JSON string otherwise, then ``binding.convert_one``). Both must accept or refuse
every case alike, and for an accepted one the JSON the page would send must bind to the same
value. Neither side's verdict is written down by hand.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import pytest
from web_support import ORIGIN, browser, needs_chromium, route_assets  # noqa: F401

from fluxparams.service import binding
from fluxparams.service.errors import ApiError
from fluxparams.service.inputs import parse_json

pytestmark = needs_chromium

I64 = 2 ** 63
U64 = 2 ** 64
NUMBER_TEXTS = [
    "0", "-0", "1", "-1", "42", " 7 ", "\t7\n", "007", "+1", "1.", ".5", "-.5", "1.0", "1.5", "-2e-3",
    "1e3", "1E3", "1e+3", "2.5e-308", "5e-324", "1e-400", "1e308", "1e309", "-1e400", "1e400",
    str(I64 - 1), str(I64), str(-I64), str(-I64 - 1), str(U64 - 1), str(U64), "-" + str(U64 - 1),
    str(2 ** 53), str(2 ** 53 + 1), str(2 ** 60), str(2 ** 60 + 1), str(2 ** 1023),
    str(2 ** 1024 - 1), str(2 ** 1024), "9" * 400, "0x10", "1_000", "NaN", "Infinity", "-Infinity",
    "", " ", "abc", "1 2", "true", "null", '"5"', "[1]", "{}", "1e", "--1", "١٢",
]
DURATIONS = [
    "1h", "1h30m", "-5m", "-1h30m", "0s", "1mo", "1y2mo3w4d5h6m7s8ms9us10ns", "1µs", "5ms",
    "9223372036854775807ns", "9223372036854775808ns", "00000000000000000009223372036854775807h",
    "", "-", "--5m", "5", "m", "1h 30m", " 1h", "1H", "1.5h", "+5m", "1d-2h", "1x", "٥m", "1hh",
    "\ud800", "1h\n",
]
TIMES = [
    "2026-11-26", "2026-11-26T10:00:00Z", "2026-11-26T10:00:00.5+01:00", "2026-11-26T10:00:00.123456789Z",
    "2020-02-29", "2021-02-29", "2100-02-29", "2000-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
    "2026-11-26T24:00:00Z", "2026-11-26T23:59:60Z", "2026-11-26T23:59:61Z", "2026-11-26T10:00:00",
    "2026-11-26T10:00:00.Z", "2026-11-26T10:00:00+24:00", "2026-11-26T10:00:00+23:59",
    "2026-11-26T10:00:00-00:60", "2026-11-26t10:00:00z", "2026-11-26 10:00:00Z", "26-11-2026",
    "", "2026-1-26", "2026-11-26T10:00Z", "2026-11-26T10:00:00Z ", "２０２６-11-26", "0000-01-01",
]
TEXTS = ["", "x", "air \"sensor\" ${x}", "<img src=x onerror=alert(1)>", "é😀", "\ud800", "a\udc00b",
         "line\nbreak", "-7d"]

CASES: List[Tuple[str, Any]] = (
    [(t, s) for t in ("int", "uint", "float") for s in NUMBER_TEXTS]
    + [("duration", s) for s in DURATIONS]
    + [("time", s) for s in TIMES]
    + [(t, s) for t in ("string", "any") for s in TEXTS + ["1", "true", "1h"]]
    + [("bool", True), ("bool", False)]
)


def server_verdict(flux_type: str, raw: Any) -> Tuple[bool, Any]:
    """(accepted, bound Value or the error) for what the form sends for ``raw``."""
    if flux_type in ("int", "uint", "float"):
        try:
            value = parse_json(raw.encode("utf-8"))
        except ApiError as e:
            return False, e.message
    else:
        value = raw
    try:
        return True, binding.convert_one(flux_type, value)
    except binding.ParamError as e:
        return False, str(e)


@pytest.fixture(scope="module")
def page_verdicts(browser) -> List[Dict[str, Any]]:  # noqa: F811
    context = browser.new_context()
    route_assets(context)
    page = context.new_page()
    page.goto(ORIGIN + "/")
    # The cases travel as JSON text: lone surrogates survive it, as they do in a form field.
    results = page.evaluate(
        """async (casesJson) => {
            const { validateParam } = await import("/web/validate.js");
            return JSON.stringify(JSON.parse(casesJson).map(([t, raw]) => validateParam(t, raw)));
        }""", json.dumps(CASES))
    context.close()
    return json.loads(results)


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{t}-{json.dumps(r)[:40]}" for t, r in CASES])
def test_page_and_server_agree(page_verdicts: List[Dict[str, Any]], index: int) -> None:
    flux_type, raw = CASES[index]
    verdict = page_verdicts[index]
    accepted, bound = server_verdict(flux_type, raw)
    assert verdict["ok"] is accepted, (verdict, bound)
    if accepted:
        # What the page sends binds to the same value as what was meant.
        sent = parse_json(verdict["json"].encode("utf-8"))
        assert binding.convert_one(flux_type, sent) == bound
    else:
        assert verdict["message"].strip(), verdict


def test_the_table_covers_both_verdicts_for_every_checked_type() -> None:
    seen: Dict[str, set] = {}
    for flux_type, raw in CASES:
        seen.setdefault(flux_type, set()).add(server_verdict(flux_type, raw)[0])
    for flux_type in ("int", "uint", "float", "duration", "time", "string", "any"):
        assert seen[flux_type] == {True, False}, flux_type


def test_invoke_body_keeps_every_digit(browser) -> None:  # noqa: F811
    context = browser.new_context()
    route_assets(context)
    page = context.new_page()
    page.goto(ORIGIN + "/")
    body = page.evaluate(
        """async () => {
            const { invokeBody, validateParam } = await import("/web/validate.js");
            return invokeBody([
                ["n", validateParam("int", "-9223372036854775808").json],
                ["u", validateParam("uint", "18446744073709551615").json],
                ["a \\"b\\"", validateParam("string", "x\\"y").json],
            ]);
        }""")
    context.close()
    doc = parse_json(body.encode("utf-8"))
    assert doc == {"params": {"n": -(2 ** 63), "u": 2 ** 64 - 1, 'a "b"': 'x"y'}}
