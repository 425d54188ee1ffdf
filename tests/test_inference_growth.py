"""Inference grows linearly (or n log n) with the width of what it reads. No absolute timings,
and no timings at all: the work is counted as the lines of fluxparams' code executed (the same
on any machine, under any load), and the test bounds the ratio work(4n) / work(n), which is ~4
for linear work and ~16 for quadratic work.

Issue 11: reading n distinct fields of one record (``params.p{i}``) was quadratic (17 s for
4,000 fields), and unifying two wide records in different orders was cubic.
"""
from __future__ import annotations

import os
import sys
from types import FrameType
from typing import Any, Callable, Dict, Optional

import pytest

import fluxparams
from fluxparams.infer import infer
from fluxparams.syntax import parse

pytestmark = pytest.mark.slow

SMALL, FACTOR = 200, 4
LIMIT = 6.0  # a linear shape measures ~4; a quadratic one ~16
PACKAGE = os.path.dirname(os.path.abspath(fluxparams.__file__))


def _record(n: int, reverse: bool = False) -> str:
    order = reversed(range(n)) if reverse else range(n)
    return "{" + ", ".join(f"a{i}: {i}" for i in order) + "}"


SHAPES: Dict[str, Callable[[int], str]] = {
    "params fields": lambda n: "".join(f"x{i} = params.p{i}\n" for i in range(n)),
    "record fields in a function": lambda n: (
        "f = (r) => {\n" + "".join(f"  x{i} = r.a{i}\n" for i in range(n)) + "  return r\n}\n"
        f"y = f(r: {_record(n, reverse=True)})\n"),
    "two wide records in opposite orders": lambda n: f"x = [{_record(n)}, {_record(n, reverse=True)}]\n",
    "statements": lambda n: "".join(f"x{i} = {i} + 1\n" for i in range(n)),
    "pipeline stages": lambda n: 'x = from(bucket: "b")\n' + "".join(
        f"x{i + 1} = x{i if i else ''} |> filter(fn: (r) => r._value > {i})\n" for i in range(n)),
    "array of records": lambda n: "x = [" + ", ".join(f'{{a: {i}, b: "s"}}' for i in range(n)) + "]\n",
    "interpolations": lambda n: 'x = "' + "".join(f"${{params.p{i % 10}}}" for i in range(n)) + '"\n',
}


def _work(source: str) -> int:
    """Lines of the package executed while inferring ``source`` (parsing excluded)."""
    file = parse(source)
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Optional[Callable[..., Any]]:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Optional[Callable[..., Any]]:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(calls)
    try:
        infer(file)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_inference_grows_linearly(shape):
    make = SHAPES[shape]
    small = _work(make(SMALL))
    large = _work(make(SMALL * FACTOR))
    assert large / small <= LIMIT, f"{shape}: x{FACTOR} input took x{large / small:.1f} work"
