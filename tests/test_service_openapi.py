"""The served OpenAPI document is the contract plus our additions, and is up to date."""
from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import REPO, shared_path

SERVICE = REPO / "src" / "fluxparams" / "service"


def load_builder():
    pytest.importorskip("yaml")
    spec = importlib.util.spec_from_file_location("build_openapi",
                                                  REPO / "scripts" / "build_openapi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_package_copies_are_up_to_date():
    contract = shared_path("influx", "invocable-scripts.openapi.yml")
    as_json, as_yaml = load_builder().render(contract.read_text(encoding="utf-8"))
    assert (SERVICE / "openapi.json").read_text(encoding="utf-8") == as_json, \
        "run: python scripts/build_openapi.py"
    assert (SERVICE / "openapi.yml").read_text(encoding="utf-8") == as_yaml, \
        "run: python scripts/build_openapi.py"


def test_served_document_keeps_the_whole_contract():
    import yaml

    contract = yaml.safe_load(
        shared_path("influx", "invocable-scripts.openapi.yml").read_text(encoding="utf-8"))
    served = json.loads((SERVICE / "openapi.json").read_text(encoding="utf-8"))

    def contained(small, big, where="$"):
        # Every value of the contract is in the served document (additions only, no edits),
        # except the description text we extend.
        if isinstance(small, dict):
            assert isinstance(big, dict), where
            for key, value in small.items():
                assert key in big, f"{where}.{key} dropped"
                if where == "$.info" and key == "description":
                    assert big[key].startswith(value.rstrip("\n")), where
                    continue
                if where == "$.paths./scripts/{scriptID}.patch.requestBody" and key == "required":
                    # the one relaxation: an empty PATCH body is the empty update (200)
                    assert big[key] is False, where
                    continue
                contained(value, big[key], f"{where}.{key}")
        else:
            assert small == big, where

    contained(contract, served)
    schemes = served["components"]["securitySchemes"]
    assert schemes["TokenAuthentication"]["name"] == "Authorization"
    for path, item in served["paths"].items():
        for method, op in item.items():
            if path.startswith("/scripts"):
                assert "401" in op["responses"], (method, path)
    invoke = served["paths"]["/scripts/{scriptID}/invoke"]["post"]["responses"]
    assert {"400", "413", "415", "501"} <= set(invoke)
