#!/usr/bin/env python3
"""Derive the OpenAPI document ``fluxparams serve`` publishes from the official contract.

    python scripts/build_openapi.py            # rewrite src/fluxparams/service/openapi.{json,yml}
    python scripts/build_openapi.py --check    # exit 1 when they are out of date

Input: ../shared/influx/invocable-scripts.openapi.yml (the InfluxDB contract, never edited).
Output: the contract plus what this server adds, all listed in :func:`derive`: token security
schemes, the 400/401/413/415/422/501/503 answers it gives (its limits included), ``links`` from a
created script to the operations on it, the id format, a non-empty name, the two document
paths, and the probes clients call first (``/ping``, ``/health``, at the server root). Nothing is
edited by hand; tests/test_service_openapi.py fails when the package copies are stale.

Needs PyYAML (a test dependency); the server itself only reads the generated files.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any, Dict, Tuple

import yaml

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO.parent / "shared" / "influx" / "invocable-scripts.openapi.yml"
OUT_DIR = REPO / "src" / "fluxparams" / "service"

ERROR = {"$ref": "#/components/schemas/Error"}


def _error_response(description: str) -> Dict[str, Any]:
    # Every error answer repeats its code in X-Platform-Error-Code, as the contract's own do.
    return {"description": description,
            "headers": {"X-Platform-Error-Code": {
                "description": "The reason for the error (the body's `code`).",
                "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": ERROR}}}


# What InfluxDB answers on its probes, which the official clients call before anything else. The
# paths are at the server root, not under /api/v2, hence the path-level ``servers``.
_PROBE_HEADERS = {
    "X-Influxdb-Build": {"description": "Always `Cloud`: this server offers the Cloud-only "
                                        "scripts API (see docs/service.md).",
                         "schema": {"type": "string", "enum": ["Cloud"]}},
    "X-Influxdb-Version": {"description": "`fluxparams-` and the fluxparams version.",
                           "schema": {"type": "string"}},
}
HEALTH_CHECK = {
    "type": "object",
    "required": ["name", "status"],
    "properties": {
        "name": {"type": "string"},
        "message": {"type": "string"},
        "checks": {"type": "array", "items": {"$ref": "#/components/schemas/HealthCheck"}},
        "status": {"type": "string", "enum": ["pass", "fail"]},
        "version": {"type": "string"},
        "commit": {"type": "string"},
    },
}


def _probe_paths() -> Dict[str, Any]:
    ping_responses = {"204": {"description": "The server is up; its build and version are in "
                                             "the headers.", "headers": _PROBE_HEADERS}}
    health = {"content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/HealthCheck"}}}}
    return {
        "/ping": {
            "servers": [{"url": "/"}],
            "get": {"operationId": "GetPing", "tags": ["System information endpoints"],
                    "summary": "Check that the server is up (InfluxDB's probe)", "security": [],
                    "responses": ping_responses},
            "head": {"operationId": "HeadPing", "tags": ["System information endpoints"],
                     "summary": "Check that the server is up (InfluxDB's probe)", "security": [],
                     "responses": ping_responses},
        },
        "/health": {
            "servers": [{"url": "/"}],
            "get": {"operationId": "GetHealth", "tags": ["System information endpoints"],
                    "summary": "The server's health (InfluxDB's HealthCheck shape)",
                    "security": [],
                    "responses": {
                        "200": {"description": "Healthy.", "headers": _PROBE_HEADERS, **health},
                        "503": {"description": "Unhealthy: the script database cannot be read.",
                                "headers": _PROBE_HEADERS, **health}}},
        },
    }


def _unavailable() -> Dict[str, Any]:
    response = _error_response(
        "Unavailable. The configured InfluxDB cannot be reached, or every analysis worker "
        "stayed busy for one analysis budget (retry after `Retry-After` seconds). "
        "Code `unavailable`.")
    response["headers"]["Retry-After"] = {
        "description": "Seconds to wait before retrying (when the analysis workers are busy).",
        "schema": {"type": "integer"}}
    return response


ADDED_RESPONSES = {
    "RequestTooLarge": _error_response(
        "Request too large. The body is larger than the server's limit (`--max-body`, default "
        "1 MiB), or the script is larger than its limit (`--max-script-bytes`, default 256 KiB, "
        "counted in UTF-8 bytes; the message gives the limit). Code `request too large`."),
    "AnalysisFailed": _error_response(
        "Unprocessable entity. The script's analysis did not finish within the server's time "
        "budget (`--analysis-timeout`, default 5 s), or a stored script no longer parses. "
        "Code `unprocessable entity`."),
    "UnsupportedMediaType": _error_response(
        "Unsupported media type. A request body must be `application/json`. "
        "Code `unsupported media type`."),
    "NotImplemented": _error_response(
        "Not implemented. The parameters are valid but this server has no InfluxDB configured "
        "to run scripts (`fluxparams serve --influx-url ...`). Code `not implemented`."),
    "Unavailable": _unavailable(),
}

NOTE = """

#### This server (fluxparams serve)

- Authenticate with `Authorization: Token <token>` or `Authorization: Bearer <token>`; create a
  token with `fluxparams token create --org NAME`. A token sees only its organization's scripts.
  This document (`/api/v2/openapi.json`, `/api/v2/openapi.yml`) needs no token.
- Only `flux` scripts are stored (another `language` answers 422); a script that does not parse
  answers 400 `invalid` with its position.
- Request bodies: `application/json` only (415 otherwise), at most 1 MiB by default (413).
- A script is at most 256 KiB of UTF-8 by default (413, with the limit in the message). It is
  analyzed when it is written, in a worker process with a time budget (5 s by default): a
  script that overruns it answers 422 `unprocessable entity`, and 503 `unavailable` with
  `Retry-After` when every worker stays busy. `GET .../params` answers from the analysis made at
  write time.
- A path or query string whose percent-encoded bytes are not UTF-8 answers 400 `invalid`.
- A method a path does not define answers 405 `method not allowed` with an `Allow` header; an
  unknown path answers 404 `not found`. Every error body is `{"code", "message"}`.
- Invoke checks `params` against the types `GET .../params` reports (400 listing each problem),
  binds them as literal nodes of an `option params = {...}` statement sent as the query's
  `extern` (the script text goes unchanged) and runs the script on the configured InfluxDB 2.x
  (`POST /api/v2/query`); without one it answers 501 after validation.
- `POST /api/v2/fluxparams/diagnostics` (not in InfluxDB) checks a script without storing it, for
  the web page this server shows at `/` (docs/web.md).
"""


def _script_links() -> Dict[str, Any]:
    target = {"scriptID": "$response.body#/id"}
    return {
        name: {"operationId": op, "parameters": dict(target)}
        for name, op in (("GetScript", "GetScriptsID"), ("PatchScript", "PatchScriptsID"),
                         ("DeleteScript", "DeleteScriptsID"),
                         ("GetScriptParams", "GetScriptsIDParams"),
                         ("InvokeScript", "PostScriptsIDInvoke"))
    }


def _document_path(media_type: str, schema: Dict[str, Any]) -> Dict[str, Any]:
    return {"get": {
        "operationId": "GetOpenAPI" + ("JSON" if "json" in media_type else "YAML"),
        "tags": ["System information endpoints"],
        "summary": "This OpenAPI document",
        "security": [],
        "responses": {"200": {"description": "The document.",
                              "content": {media_type: {"schema": schema}}}},
    }}


# The web page's live check (service/web.py): the one endpoint that is not the contract's.
FINDING = {
    "type": "object",
    "required": ["code", "severity", "message", "line", "column", "end_line", "end_column"],
    "properties": {
        "code": {"type": "string", "description": "The rule, e.g. `FP001` (syntax), `FP103`, "
                                                  "`FP202` (docs/rules.md)."},
        "severity": {"type": "string", "enum": ["error", "warning"]},
        "message": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1,
                   "description": "1-based, counted in UTF-8 bytes as libflux counts."},
        "end_line": {"type": "integer", "minimum": 1},
        "end_column": {"type": "integer", "minimum": 1, "description": "Exclusive."},
    },
}


def _diagnostics_path() -> Dict[str, Any]:
    body = {"type": "object", "required": ["script"],
            "properties": {"script": {"type": "string", "description": "Flux source."}}}
    answer = {"type": "object", "required": ["diagnostics", "params"], "properties": {
        "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "params": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "What `GET /scripts/{scriptID}/params` would answer for "
                                  "this script; empty when it does not parse."}}}
    ref = "#/components/responses/"
    return {"/fluxparams/diagnostics": {"post": {
        "operationId": "PostFluxparamsDiagnostics",
        "tags": ["Invokable Scripts"],
        "summary": "Check a script without storing it (fluxparams only)",
        "description": "Every finding of `fluxparams check` for the script, from the analyzer "
                       "that serves `/params`: syntax errors, type errors and the FP2xx "
                       "params warnings, with positions. The web page at `/` calls it while a "
                       "script is edited. A script that does not parse is a 200 with one "
                       "`FP001` finding.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {
            "200": {"description": "The findings (empty when there are none) and the params.",
                    "content": {"application/json": {"schema": answer}}},
            "400": {"$ref": ref + "BadRequestError"},
            "401": {"$ref": ref + "AuthorizationError"},
            "413": {"$ref": ref + "RequestTooLarge"},
            "415": {"$ref": ref + "UnsupportedMediaType"},
            "422": {"$ref": ref + "AnalysisFailed"},
            "503": {"$ref": ref + "Unavailable"},
            "500": {"$ref": ref + "InternalServerError"},
            "default": {"$ref": ref + "ServerError"},
        },
    }}}


def derive(contract: Dict[str, Any]) -> Dict[str, Any]:
    doc = copy.deepcopy(contract)
    doc["info"]["description"] = doc["info"]["description"].rstrip("\n") + NOTE
    components = doc["components"]
    components["securitySchemes"] = {
        "TokenAuthentication": {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "`Authorization: Token <token>` (the InfluxDB scheme).",
        },
        "BearerAuthentication": {"type": "http", "scheme": "bearer",
                                 "description": "`Authorization: Bearer <token>`."},
    }
    doc["security"] = [{"TokenAuthentication": []}, {"BearerAuthentication": []}]
    components["responses"].update(copy.deepcopy(ADDED_RESPONSES))
    schemas = components["schemas"]
    schemas["Script"]["properties"]["id"]["pattern"] = "^[0-9a-f]{16}$"
    schemas["Script"]["properties"]["orgID"]["pattern"] = "^[0-9a-f]{16}$"
    schemas["ScriptCreateRequest"]["properties"]["name"]["minLength"] = 1

    ops = {op["operationId"]: (path, method, op)
           for path, item in doc["paths"].items() for method, op in item.items()}

    def add(op_id: str, status: str, ref: str) -> None:
        responses = ops[op_id][2]["responses"]
        responses.setdefault(status, {"$ref": f"#/components/responses/{ref}"})

    for op_id in ("PostScripts", "PatchScriptsID", "PostScriptsIDInvoke"):
        add(op_id, "413", "RequestTooLarge")
        add(op_id, "415", "UnsupportedMediaType")
    for op_id in ops:  # a malformed path or query string is 400 everywhere
        add(op_id, "400", "BadRequestError")
    # the analysis (on write, or for a script not yet cached) has a budget and a pool
    for op_id in ("PostScripts", "PatchScriptsID", "GetScriptsIDParams", "PostScriptsIDInvoke"):
        add(op_id, "422", "AnalysisFailed")
        add(op_id, "503", "Unavailable")
    add("PostScriptsIDInvoke", "501", "NotImplemented")
    for _path, _method, op in ops.values():
        op["responses"].setdefault("401", {"$ref": "#/components/responses/AuthorizationError"})
    ops["PostScripts"][2]["responses"]["201"]["links"] = _script_links()
    # An empty PATCH body changes nothing and answers 200, like "{}".
    ops["PatchScriptsID"][2]["requestBody"]["required"] = False

    # The contract promises the header on most error answers; the server sends it on all.
    header = _error_response("")["headers"]["X-Platform-Error-Code"]
    error_responses = list(components["responses"].values()) + [
        response for _p, _m, op in ops.values()
        for status, response in op["responses"].items()
        if (status == "default" or status >= "400") and "$ref" not in response]
    for response in error_responses:
        response.setdefault("headers", {}).setdefault("X-Platform-Error-Code",
                                                      copy.deepcopy(header))
    doc["paths"]["/openapi.json"] = _document_path("application/json", {"type": "object"})
    doc["paths"]["/openapi.yml"] = _document_path("application/yaml", {"type": "object"})
    schemas["HealthCheck"] = copy.deepcopy(HEALTH_CHECK)
    doc["paths"].update(_probe_paths())
    schemas["Finding"] = copy.deepcopy(FINDING)
    doc["paths"].update(_diagnostics_path())
    return doc


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (descriptions, code samples) reads best as a literal block, as in the contract.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(contract_text: str) -> Tuple[str, str]:
    """(openapi.json text, openapi.yml text) for a contract's YAML text."""
    doc = derive(yaml.safe_load(contract_text))
    as_json = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    header = ("# Generated by scripts/build_openapi.py from "
              "shared/influx/invocable-scripts.openapi.yml; do not edit.\n")
    as_yaml = header + yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                 width=100)
    return as_json, as_yaml


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="only report whether outputs are stale")
    p.add_argument("--contract", type=Path, default=CONTRACT)
    args = p.parse_args(argv)
    if not args.contract.exists():
        print(f"build_openapi: {args.contract} not found", file=sys.stderr)
        return 2
    outputs = dict(zip(("openapi.json", "openapi.yml"),
                       render(args.contract.read_text(encoding="utf-8"))))
    stale = [name for name, text in outputs.items()
             if not (OUT_DIR / name).exists()
             or (OUT_DIR / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"build_openapi: {OUT_DIR / name} is out of date", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        (OUT_DIR / name).write_text(outputs[name], encoding="utf-8")
        print(f"wrote {OUT_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
