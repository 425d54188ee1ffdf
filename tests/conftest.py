"""Test configuration shared by every suite.

``../shared`` (beside the clone) holds libflux's test vectors and the oracle. CI always has it; a
checkout without it still runs every test that does not need it, and skips the rest cleanly.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CASES = Path(__file__).resolve().parent / "cases"


def shared_path(*parts: str) -> Path:
    """The path of a file in ../shared, or skip the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


def load_shared_json(*parts: str):
    return json.loads(shared_path(*parts).read_text(encoding="utf-8"))
