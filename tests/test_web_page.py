"""The page at ``/``, end to end: headless Chromium against a real ``fluxparams serve`` and the
stand-in InfluxDB (issue 15's flow, through the accessible names of the page's contract).

Every test watches the page: no console error, no uncaught exception, no failed request, and no
answer >= 400 but the ones a test provokes on purpose (a wrong token's 401, InfluxDB's error).
``FLUXPARAMS_WEB_SCREENSHOT=docs/web-page.png`` makes the flow test write the docs' screenshot.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import httpx
import pytest
from service_support import LiveServer, cli_token
from standin_influx import StandinInflux
from web_support import PageProblems, browser, expect, needs_chromium  # noqa: F401

pytestmark = [needs_chromium, pytest.mark.slow]

SCRIPT = """from(bucket: params.bucket)
  |> range(start: time(v: params.start))
  |> aggregateWindow(every: params.every, fn: mean)
  |> filter(fn: (r) => r._value > params.threshold + 0.0 and params.enabled)
  |> limit(n: params.rows)
  |> map(fn: (r) => ({r with u: uint(v: 1) + params.big, label: params.label, t: [params.stop, now()]}))
"""

CSV = (
    ",result,table,_time,_value,host\r\n"
    ",_result,0,2026-11-26T10:00:00Z,1.5,h1\r\n"
    ",_result,0,2026-11-26T10:05:00Z,3.25,h1\r\n"
    ",_result,0,2026-11-26T10:10:00Z,2,h1\r\n"
    ",_result,1,2026-11-26T10:00:00Z,0.5,h2\r\n"
    ",_result,1,2026-11-26T10:05:00Z,1,h2\r\n"
    ",_result,1,2026-11-26T10:10:00Z,4.75,h2\r\n"
    "\r\n"
)

XSS = "<img src=x onerror=\"window.__xss='name'\">"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Tuple[LiveServer, StandinInflux, str]]:
    db = tmp_path_factory.mktemp("web") / "web.db"
    token = cli_token(db, "acme")
    env = {"FLUXPARAMS_INFLUX_TOKEN": "influx-secret", "FLUXPARAMS_INFLUX_ORG": "my-org"}
    with StandinInflux() as influx, LiveServer(db, "--influx-url", influx.url, env=env) as srv:
        yield srv, influx, token


@pytest.fixture
def page(browser, served) -> Iterator[Tuple[Any, PageProblems]]:  # noqa: F811
    srv, influx, _ = served
    influx.status, influx.error, influx.csv = 200, None, CSV
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    problems = PageProblems(p)
    p.set_default_timeout(10_000)
    p.goto(srv.url + "/")
    yield p, problems
    context.close()


def api(served: Tuple[LiveServer, StandinInflux, str]) -> httpx.Client:
    srv, _, token = served
    return httpx.Client(base_url=srv.url, headers={"Authorization": f"Token {token}"}, timeout=10)


def sign_in(p: Any, token: str) -> None:
    p.get_by_label("Token", exact=True).fill(token)
    p.get_by_label("Token", exact=True).press("Enter")
    expect(p.locator("#status")).to_contain_text("script")


def script_button(p: Any, name: str) -> Any:
    return p.get_by_role("list", name="Scripts").get_by_role("button", name=name, exact=True)


def param(p: Any, name: str) -> Any:
    return p.get_by_label(name, exact=True)


def extern_values(extern: Dict[str, Any]) -> Dict[str, Any]:
    record = extern["body"][0]["assignment"]["init"]
    return {prop["key"]["name"]: prop["value"] for prop in record["properties"]}


def test_create_check_run_edit_and_delete_a_script(page, served) -> None:
    p, problems = page
    srv, influx, token = served
    sign_in(p, token)
    assert "token" not in p.url.lower() and token not in p.url
    assert p.evaluate("sessionStorage.getItem('fluxparams.token')") == token
    assert p.evaluate("localStorage.length") == 0

    p.get_by_role("button", name="New script", exact=True).click()
    p.get_by_label("Name", exact=True).fill("cpu report")
    p.get_by_label("Description", exact=True).fill("CPU by host")
    editor = p.get_by_label("Script", exact=True)
    # Typed with a mistake: the findings come as the text changes, marked in the editor.
    editor.fill(SCRIPT.replace("time(v: params.start)", "params.start") + "x = fron\n")
    findings = p.get_by_role("list", name="Diagnostics")
    findings.get_by_text("FP103").wait_for()
    text = findings.inner_text()
    assert "7:5 FP103 undefined identifier fron" in text
    assert "2:19 FP202 params.start is passed raw to range(start:)" in text
    assert p.locator("#mirror mark.error").inner_text() == "fron"
    assert p.locator("#mirror mark.warning").count() >= 1
    editor.fill(SCRIPT + "x = (")  # a syntax error, with its line:column
    p.get_by_text("FP001").wait_for()
    assert findings.inner_text().startswith("7:5 FP001 unexpected end of input")
    editor.fill("")
    editor.press_sequentially(SCRIPT[:40])  # keystrokes, as a person types
    editor.fill(SCRIPT)
    p.get_by_text("0 errors, 3 warnings").wait_for()  # FP201: JSON cannot carry every, big, stop
    assert [line.split(" ")[1] for line in findings.inner_text().splitlines()] == ["FP201"] * 3

    p.get_by_role("button", name="Save", exact=True).click()
    p.get_by_text("Created.").wait_for()
    script_button(p, "cpu report").wait_for()
    with api(served) as client:
        stored = client.get("/api/v2/scripts").json()["scripts"]
        assert [(s["name"], s["description"], s["script"]) for s in stored] == [
            ("cpu report", "CPU by host", SCRIPT)]
        script_id = stored[0]["id"]
        params = client.get(f"/api/v2/scripts/{script_id}/params").json()["params"]

    # One field per param, labelled with its name, typed by its inferred type.
    expected_inputs = {"int": "number", "uint": "number", "float": "number", "bool": "checkbox",
                       "duration": "text", "time": "text", "string": "text", "any": "text"}
    assert set(params.values()) == set(expected_inputs)
    for name, flux_type in params.items():
        field = param(p, name)
        assert field.get_attribute("type") == expected_inputs[flux_type], name
        if flux_type in ("int", "uint"):
            assert field.get_attribute("step") == "1"

    # The server's rules, shown beside each field before anything is sent.
    param(p, "bucket").fill("telegraf <b>")
    param(p, "start").fill("-1h")  # any: sent as a string; time(v:) reads it on the server
    param(p, "stop").fill("2026-11-26T25:00:00Z")
    param(p, "every").fill("5 m")
    param(p, "threshold").fill("1e400")
    param(p, "rows").fill("1.5")
    param(p, "big").fill("18446744073709551616")
    requests_before = len(influx.requests)
    p.get_by_role("button", name="Run", exact=True).click()
    messages = p.locator("#params").inner_text()
    assert "is not a Flux date-time literal" in messages
    assert "is not a Flux duration literal" in messages
    # A number field holds no value Chromium cannot read as a number ("1e400"): required.
    assert param(p, "threshold").get_attribute("aria-invalid") == "true"
    assert "expected int, got a number with a fraction or exponent" in messages
    assert "18446744073709551616 is out of the uint range" in messages
    assert "Not run: 5 params are not valid" in p.locator("#run-message").inner_text()
    assert len(influx.requests) == requests_before  # nothing was sent

    param(p, "stop").fill("2026-11-26T11:00:00Z")
    param(p, "every").fill("5m")
    param(p, "threshold").fill("0.25")
    param(p, "rows").fill("-9223372036854775808")
    param(p, "big").fill("18446744073709551615")
    param(p, "enabled").check()
    param(p, "label").fill('say "hi" ${x}')
    assert p.locator("#params .invalid").all_inner_texts() == [""] * len(params)
    p.get_by_role("button", name="Run", exact=True).click()
    p.locator("#results table").first.wait_for()

    sent = extern_values(influx.last.body["extern"])
    assert influx.last.body["query"] == SCRIPT
    assert sent == {
        "big": {"type": "UnsignedIntegerLiteral", "value": "18446744073709551615"},
        "bucket": {"type": "StringLiteral", "value": "telegraf <b>"},
        "enabled": {"type": "BooleanLiteral", "value": True},
        "every": {"type": "DurationLiteral", "values": [{"magnitude": 5, "unit": "m"}]},
        "label": {"type": "StringLiteral", "value": 'say "hi" ${x}'},
        "rows": {"type": "IntegerLiteral", "value": "-9223372036854775808"},
        "start": {"type": "StringLiteral", "value": "-1h"},
        "stop": {"type": "DateTimeLiteral", "value": "2026-11-26T11:00:00Z"},
        "threshold": {"type": "FloatLiteral", "value": 0.25},
    }
    if influx.last.compiled is not None:  # libflux compiled the script with these params
        assert influx.last.compiled.ok, influx.last.compiled

    # One <table> per Flux table, header cells the column names; a chart of _value over _time.
    tables = p.locator("#results table")
    assert tables.count() == 2
    for i, host in enumerate(["h1", "h2"]):
        table = tables.nth(i)
        assert table.locator("th").all_inner_texts() == ["result", "table", "_time", "_value", "host"]
        assert table.locator("tbody tr").count() == 3
        assert table.locator("tbody td").nth(4).inner_text() == host
    chart = p.get_by_role("img", name="Line chart of _value over _time")
    assert chart.locator("polyline").count() == 2
    assert chart.locator("circle").count() == 6

    shot = os.environ.get("FLUXPARAMS_WEB_SCREENSHOT")
    if shot:
        p.screenshot(path=str(Path(shot)), full_page=True)

    # Edit the description and the script (the API cannot rename); the list follows.
    p.get_by_label("Description", exact=True).fill("CPU by host, 5 minute means")
    assert p.get_by_label("Name", exact=True).get_attribute("readonly") is not None
    p.get_by_label("Script", exact=True).fill(SCRIPT.replace("params.rows", "params.rows + 1"))
    p.get_by_role("button", name="Save", exact=True).click()
    p.get_by_text("Saved.").wait_for()
    p.get_by_text("CPU by host, 5 minute means").wait_for()
    with api(served) as client:
        row = client.get(f"/api/v2/scripts/{script_id}").json()
        assert row["description"] == "CPU by host, 5 minute means"
        assert "params.rows + 1" in row["script"]

    # Filter by name.
    with api(served) as client:
        client.post("/api/v2/scripts", json={"name": "mem", "description": "", "language": "flux",
                                             "script": "x = 1"}).raise_for_status()
    problems.reload()  # the token survives a reload: sessionStorage
    expect(p.locator("#scripts li")).to_have_count(2)
    p.get_by_label("Filter", exact=True).fill("CPU")
    assert p.get_by_role("list", name="Scripts").get_by_role("button").all_inner_texts() == [
        "cpu report"]
    p.get_by_label("Filter", exact=True).fill("")

    # Delete, with a confirmation: Cancel keeps it, Yes deletes it.
    script_button(p, "mem").click()
    p.get_by_role("button", name="Delete", exact=True).click()
    p.get_by_text('Delete "mem"?').wait_for()
    p.get_by_role("button", name="Cancel", exact=True).click()
    with api(served) as client:
        assert len(client.get("/api/v2/scripts").json()["scripts"]) == 2
    p.get_by_role("button", name="Delete", exact=True).click()
    p.get_by_role("button", name="Yes, delete", exact=True).click()
    p.get_by_text('Deleted "mem".').wait_for()
    assert script_button(p, "mem").count() == 0
    with api(served) as client:
        assert [s["name"] for s in client.get("/api/v2/scripts").json()["scripts"]] == ["cpu report"]
        client.delete(f"/api/v2/scripts/{script_id}").raise_for_status()
    problems.assert_clean()


def test_a_wrong_token_says_so(page, served) -> None:
    p, problems = page
    p.get_by_label("Token", exact=True).fill("not-a-token")
    p.get_by_label("Token", exact=True).press("Enter")
    message = p.get_by_text("unknown token")
    message.wait_for()
    assert message.is_visible()
    assert p.evaluate("sessionStorage.getItem('fluxparams.token')") is None
    p.get_by_label("Filter", exact=True).click()  # leaving the field does not ask again
    p.wait_for_timeout(200)
    assert problems.refused == [f"401 GET {served[0].url}/api/v2/scripts?limit=500&offset=0"]
    problems.assert_clean(401)


def test_untrusted_text_never_runs(page, served) -> None:
    p, problems = page
    srv, influx, token = served
    with api(served) as client:
        created = client.post("/api/v2/scripts", json={
            "name": XSS, "description": "<script>window.__xss='description'</script>",
            "language": "flux",
            "script": 'from(bucket: params.b) |> range(start: -1h)\n'
                      '// <img src=x onerror="window.__xss=\'script\'">\n'}).json()
    # RFC 4180, as InfluxDB writes it: a field with quotes is quoted, its quotes doubled.
    influx.csv = (',result,table,"<img src=x onerror=""window.__xss=\'column\'"">",_value\r\n'
                  ',_result,0,"<img src=x onerror=""window.__xss=\'cell\'"">",1\r\n\r\n')
    sign_in(p, token)
    button = script_button(p, XSS)
    assert button.inner_text() == XSS
    button.click()
    param(p, "b").fill("<svg onload=\"window.__xss='param'\">")
    p.get_by_role("button", name="Run", exact=True).click()
    p.locator("#results table").wait_for()
    assert p.locator("#results th").all_inner_texts() == [
        "result", "table", "<img src=x onerror=\"window.__xss='column'\">", "_value"]
    assert p.locator("#results td").nth(2).inner_text() == "<img src=x onerror=\"window.__xss='cell'\">"
    assert p.evaluate("window.__xss") is None
    assert p.locator("img, svg:not(.chart) [onload], script:not([src])").count() == 0
    with api(served) as client:
        client.delete(f"/api/v2/scripts/{created['id']}").raise_for_status()
    problems.assert_clean()


def test_influxdb_errors_are_shown_plainly(page, served) -> None:
    p, problems = page
    srv, influx, token = served
    with api(served) as client:
        created = client.post("/api/v2/scripts", json={
            "name": "broken upstream", "description": "", "language": "flux",
            "script": "from(bucket: params.b) |> range(start: -1h)"}).json()
    influx.status, influx.error = 400, {"code": "invalid", "message": "bucket \"nope\" not found"}
    sign_in(p, token)
    script_button(p, "broken upstream").click()
    param(p, "b").fill("nope")
    p.get_by_role("button", name="Run", exact=True).click()
    p.get_by_text('bucket "nope" not found').wait_for()
    assert p.locator("#results table").count() == 0
    with api(served) as client:
        client.delete(f"/api/v2/scripts/{created['id']}").raise_for_status()
    assert problems.refused[0].startswith("400 POST")
    problems.assert_clean(400)
