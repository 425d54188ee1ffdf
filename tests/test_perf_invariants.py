"""Invariants the performance work relies on (no timings: benchmarks/ measures speed).

- analyze pauses the cyclic GC for big scripts and always leaves it as it found it;
- the pause is re-entrant and shared between threads.
"""
from __future__ import annotations

import gc
import threading

import pytest

import fluxparams
from fluxparams import api


def big_script(lines: int = 3000) -> str:
    text = "".join(f"x{i} = params.n + {i}\n" for i in range(lines))
    assert len(text) > api._PAUSE_GC_ABOVE
    return text


@pytest.fixture
def gc_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_big_script_is_analyzed_without_collections(gc_on):
    collections = []

    def seen(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        result = fluxparams.analyze(big_script())
    finally:
        gc.callbacks.remove(seen)
    assert result.params == {"n": "int"}
    assert collections == []
    assert gc.isenabled()


def test_gc_reenabled_after_syntax_error(gc_on):
    bad = big_script() + "x = (\n"
    with pytest.raises(fluxparams.FluxSyntaxError):
        fluxparams.analyze(bad)
    assert gc.isenabled()


def test_gc_stays_disabled_if_caller_disabled_it(gc_on):
    gc.disable()
    fluxparams.analyze(big_script())
    assert not gc.isenabled()
    gc.enable()


def test_pause_is_reentrant(gc_on):
    with api.gc_paused:
        assert not gc.isenabled()
        with api.gc_paused:
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost exit re-enables
    assert gc.isenabled()


def test_pause_across_threads_reenables_once_all_are_done(gc_on):
    inside = threading.Barrier(2)
    release = threading.Event()
    errors = []

    def worker():
        try:
            with api.gc_paused:
                inside.wait(5)
                release.wait(5)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    t = threading.Thread(target=worker)
    t.start()
    with api.gc_paused:
        inside.wait(5)
    # this thread's pause ended, the worker's has not: the GC must stay off
    assert not gc.isenabled()
    release.set()
    t.join(5)
    assert not errors
    assert gc.isenabled()


def test_concurrent_big_analyses_restore_gc(gc_on):
    script = big_script(1500)
    results, errors = [], []

    def worker():
        try:
            results.append(fluxparams.analyze(script).params)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert results == [{"n": "int"}] * 4
    assert gc.isenabled()
