"""The page's routes and its diagnostics endpoint, through the ASGI app (no browser).

The page's assets come with a Content-Security-Policy that allows script from this origin only;
the files themselves hold no inline script, inline handler, inline style or other host, and the
scripts never hand text to an HTML parser. ``POST /api/v2/fluxparams/diagnostics`` answers what
``fluxparams.analyze`` finds, authenticated and bounded like the scripts API.
"""
from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

with warnings.catch_warnings():  # starlette 1.x would like httpx2; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import fluxparams  # noqa: E402
from fluxparams.service import web  # noqa: E402
from fluxparams.service.app import create_app  # noqa: E402

ASSETS = Path(web.__file__).resolve().parent / "web"
DIAGNOSTICS = "/api/v2/fluxparams/diagnostics"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Tuple[TestClient, Dict[str, str]]]:
    # One app (and its analysis workers) for the module: no test here writes a script.
    app = create_app(str(tmp_path_factory.mktemp("web") / "web.db"), max_script=4096)
    with TestClient(app, raise_server_exceptions=False) as client:
        token, _ = app.state.service.store.create_token("acme")
        yield client, {"Authorization": f"Token {token}"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: List[Tuple[str, Dict[str, Any]]] = []
        self.script_text: List[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Any]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def test_the_page_and_its_assets_are_served_with_a_strict_policy(served) -> None:
    client, _ = served
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    csp = page.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in csp and "http" not in csp and "data:" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"

    parser = Tags()
    parser.feed(page.text)
    assert "".join(parser.script_text).strip() == ""  # no inline script
    referenced = []
    for tag, attrs in parser.tags:
        assert not [a for a in attrs if a.startswith("on") or a == "style"], (tag, attrs)
        for key in ("src", "href"):
            if key in attrs:
                assert attrs[key].startswith("/") and not attrs[key].startswith("//"), attrs
                referenced.append(attrs[key])
    assert "/web/app.js" in referenced and "/web/style.css" in referenced

    # Every module the page imports, transitively, is served as JavaScript with the policy.
    seen, todo = set(), ["/web/app.js"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"] == "text/javascript; charset=utf-8"
        assert r.headers["content-security-policy"] == csp
        todo += ["/web/" + m for m in re.findall(r'from "\./([a-z]+\.js)"', r.text)]
    assert seen == {"/web/" + p.name for p in ASSETS.glob("*.js")}
    for path, media in (("/web/style.css", "text/css; charset=utf-8"),
                        ("/favicon.ico", "image/svg+xml")):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"] == media, path
        assert r.headers["content-security-policy"] == csp


def test_the_scripts_never_parse_text_as_html_or_code() -> None:
    for path in ASSETS.glob("*.js"):
        # The SVG namespace is a name, not an address the page visits.
        source = path.read_text(encoding="utf-8").replace('"http://www.w3.org/2000/svg"', "")
        for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                       "eval(", "new Function", "setAttribute(\"on", "localStorage", "http://",
                       "https://"):
            assert banned not in source, (path.name, banned)
    css = (ASSETS / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


@pytest.mark.parametrize("path", ["/web/nope.js", "/web/..%2Fweb.py", "/web/index.htm",
                                  "/web/", "/web/app.js/x"])
def test_nothing_else_is_served(served, path: str) -> None:
    client, _ = served
    r = client.get(path)
    assert r.status_code == 404
    assert r.json()["code"] == "not found"


def test_methods_the_page_does_not_offer(served) -> None:
    client, headers = served
    r = client.post("/")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    r = client.get(DIAGNOSTICS, headers=headers)
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert r.json()["code"] == "method not allowed"


SCRIPTS = [
    "",
    "from(bucket: params.bucket) |> range(start: params.start) |> limit(n: params.n)",
    "x = fron(bucket: \"b\")\ny = params.a + 1\nz = params.a + \"s\"\n",
    "é = 1\nfrom(bucket: \"b\") |> range(start: -1h) |> filter(fn: (r) => r.x == v.bucket)\n",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_diagnostics_are_the_analyzers(served, script: str) -> None:
    client, headers = served
    r = client.post(DIAGNOSTICS, headers=headers, json={"script": script})
    assert r.status_code == 200, r.text
    analysis = fluxparams.analyze(script)
    assert r.json() == {"diagnostics": [d.to_dict() for d in analysis.diagnostics],
                        "params": dict(analysis.params)}


@pytest.mark.parametrize("script", ["from(bucket: \"b\"", "x = 1 +\n\n  )", "a = \"\\q\"",
                                    "x = " + "(" * 2000 + "1" + ")" * 2000])
def test_a_syntax_error_is_one_finding_with_its_position(served, script: str) -> None:
    client, headers = served
    r = client.post(DIAGNOSTICS, headers=headers, json={"script": script})
    assert r.status_code == 200, r.text
    with pytest.raises(fluxparams.FluxSyntaxError) as raised:
        fluxparams.analyze(script)
    e = raised.value
    [finding] = r.json()["diagnostics"]
    assert finding["code"] == "FP001" and finding["severity"] == "error"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (
        e.lineno, e.offset, e.end_lineno, e.end_offset)
    assert e.msg in finding["message"]
    assert r.json()["params"] == {}


@pytest.mark.parametrize("headers, body, status, code, words", [
    ({}, '{"script": ""}', 401, "unauthorized", "missing Authorization header"),
    ({"Authorization": "Token nope"}, '{"script": ""}', 401, "unauthorized", "unknown token"),
    (None, "[]", 400, "invalid", "must be a JSON object"),
    (None, "{}", 400, "invalid", "missing required field(s): script"),
    (None, '{"script": 1}', 400, "invalid", "field 'script' must be a string"),
    (None, '{"script": "\\ud800"}', 400, "invalid", "lone surrogate at character 1"),
    (None, '{"script": ', 400, "invalid", "malformed JSON"),
    (None, "", 400, "invalid", "must be a JSON object"),
    (None, json.dumps({"script": "x" * 5000}), 413, "request too large", "4096 bytes"),
])
def test_bad_requests_get_a_clear_error(served, headers, body, status, code, words) -> None:
    client, token_headers = served
    sent = dict(token_headers if headers is None else headers)
    sent["Content-Type"] = "application/json"
    r = client.post(DIAGNOSTICS, headers=sent, content=body)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and r.headers["x-platform-error-code"] == code
    assert words in r.json()["message"]


def test_a_body_that_is_not_json_is_415(served) -> None:
    client, headers = served
    r = client.post(DIAGNOSTICS, headers={**headers, "Content-Type": "text/plain"}, content="x")
    assert r.status_code == 415 and r.json()["code"] == "unsupported media type"


def test_a_script_too_costly_to_analyze_is_422_and_the_server_goes_on(tmp_path) -> None:
    costly = "x = 1\n" * 500_000  # 3 MB of statements: far more than a 0.5 s budget
    app = create_app(str(tmp_path / "web.db"), analysis_workers=1, analysis_timeout=0.5,
                     max_script=8 * 1024 * 1024, max_body=8 * 1024 * 1024)
    with TestClient(app, raise_server_exceptions=False) as client:
        token, _ = app.state.service.store.create_token("acme")
        headers = {"Authorization": f"Token {token}"}
        r = client.post(DIAGNOSTICS, headers=headers, json={"script": costly})
        assert r.status_code == 422 and r.json()["code"] == "unprocessable entity"
        assert "budget of 0.5 s" in r.json()["message"]
        r = client.post(DIAGNOSTICS, headers=headers, json={"script": "x = params.n + 1"})
        assert r.status_code == 200 and r.json()["params"] == {"n": "int"}
