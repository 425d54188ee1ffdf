"""``fluxparams check``'s per-file result cache, through the real command line.

The cache may only save time: a warm run prints what a cold one does, an edited file is
checked again, a bad entry is a miss, and an unsafe directory is not used.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

GOOD = 'from(bucket: params.bucket)\n    |> range(start: duration(v: params.since))\n'
# FP202 (warning) on line 2 and FP103 (error) on line 3
BAD = 'from(bucket: "b")\n    |> range(start: params.start)\nx = fron(bucket: "b")\n'
CELL = 'from(bucket: "b") |> range(start: v.timeRangeStart)\n'


def check(*args: str, cache: Optional[Path] = None,
          env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    environ = dict(os.environ)
    environ.pop("FLUXPARAMS_CACHE_DIR", None)
    if cache is not None:
        environ["FLUXPARAMS_CACHE_DIR"] = str(cache)
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "fluxparams.cli", "check", *args],
                          capture_output=True, text=True, env=environ, timeout=300)


def shards(cache: Path) -> List[Path]:
    folder = cache / "check"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def records(cache: Path) -> Dict[str, bytes]:
    """Every entry of the cache: key -> body (``KEY LENGTH\\n BODY\\n`` records in shards)."""
    found: Dict[str, bytes] = {}
    for shard in shards(cache):
        data = shard.read_bytes()
        while data:
            head, data = data.split(b"\n", 1)
            key, length = head.split(b" ")
            found[key.decode()] = data[:int(length)]
            assert data[int(length):int(length) + 1] == b"\n"
            data = data[int(length) + 1:]
    return found


def record(key: str, body: bytes) -> bytes:
    return b"%s %d\n%s\n" % (key.encode(), len(body), body)


def only_entry(cache: Path) -> Tuple[Path, str, bytes]:
    """The shard, key and body of a cache holding one entry."""
    [shard] = shards(cache)
    [(key, body)] = records(cache).items()
    return shard, key, body


def scripts(root: Path) -> Path:
    tree = root / "scripts"
    tree.mkdir()
    (tree / "good.flux").write_text(GOOD, encoding="utf-8")
    (tree / "bad.flux").write_text(BAD, encoding="utf-8")
    (tree / "syntax.flux").write_text("x = )\n", encoding="utf-8")
    (tree / "same_as_bad.flux").write_text(BAD, encoding="utf-8")
    (tree / "latin1.flux").write_bytes(b'y = "caf\xe9"\n')
    return tree


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_warm_run_reports_what_a_cold_run_does(tmp_path: Path, fmt: str) -> None:
    tree, cache = scripts(tmp_path), tmp_path / "cache"
    uncached = check("--no-cache", "--format", fmt, str(tree), cache=cache)
    assert not cache.exists()  # --no-cache writes nothing
    cold = check("--format", fmt, str(tree), cache=cache)
    assert len(records(cache)) == 4  # one per distinct content
    warm = check("--format", fmt, str(tree), cache=cache)
    for run in (cold, warm):
        assert (run.returncode, run.stdout, run.stderr) == \
            (uncached.returncode, uncached.stdout, uncached.stderr)
    assert uncached.returncode == 1 and "FP103" in uncached.stdout
    # identical files share an entry, each reported under its own path
    assert str(tree / "same_as_bad.flux") in warm.stdout and str(tree / "bad.flux") in warm.stdout


def test_the_cache_directory_is_private(tmp_path: Path) -> None:
    tree, cache = scripts(tmp_path), tmp_path / "cache"
    check(str(tree), cache=cache)
    for folder in (cache, cache / "check"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert shards(cache)
    for shard in shards(cache):
        assert stat.S_IMODE(shard.stat().st_mode) & 0o077 == 0
    # a directory others can read is made private before use
    os.chmod(cache, 0o755)
    check(str(tree), cache=cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_an_answer_comes_from_the_cache(tmp_path: Path) -> None:
    """A planted (well-formed) entry is what a warm run reports: the cache is really read."""
    script, cache = tmp_path / "good.flux", tmp_path / "cache"
    script.write_text(GOOD, encoding="utf-8")
    assert check(str(script), cache=cache).stdout == ""
    shard, key, _ = only_entry(cache)
    planted = json.dumps([["FP103", "error", "planted", 1, 1, 1, 2, 1, 2, ""]]).encode()
    shard.write_bytes(record(key, planted))
    assert check(str(script), cache=cache).stdout == f"{script}:1:1: FP103 planted\n"
    # another configuration is another key: the planted entry does not answer it
    assert check("--ignore", "FP2", str(script), cache=cache).stdout == ""
    assert check("--no-cache", str(script), cache=cache).stdout == ""


def test_an_edited_file_is_checked_again(tmp_path: Path) -> None:
    script, cache = tmp_path / "edited.flux", tmp_path / "cache"
    script.write_text(GOOD, encoding="utf-8")
    assert check(str(script), cache=cache).returncode == 0
    script.write_text(GOOD + 'x = fron(bucket: "b")\n', encoding="utf-8")
    run = check(str(script), cache=cache)
    assert run.returncode == 1 and f"{script}:3:5: FP103" in run.stdout
    script.write_text(GOOD, encoding="utf-8")
    assert check(str(script), cache=cache).stdout == ""


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "wrong types", "longer",
                                    "bad length"])
def test_a_damaged_entry_is_ignored(tmp_path: Path, damage: str) -> None:
    script, cache = tmp_path / "bad.flux", tmp_path / "cache"
    script.write_text(BAD, encoding="utf-8")
    cold = check(str(script), cache=cache)
    shard, key, body = only_entry(cache)
    raw = shard.read_bytes()
    if damage == "truncate":
        # what is left still parses as JSON (one finding fewer): the length catches it
        cut = body.index(b"],[") + 1
        assert len(json.loads(body[:cut] + b"]")) == 1
        shard.write_bytes(raw[:raw.index(body) + cut] + b"]\n")
    elif damage == "garbage":
        shard.write_bytes(b"\x00\xff not an entry \x80")
    elif damage == "empty":
        shard.write_bytes(b"")
    elif damage == "wrong types":
        shard.write_bytes(record(key, json.dumps([["FP103", "error", "m", "1", 1, 1, 2, 1, 2, ""]])
                                 .encode()))
    elif damage == "longer":
        shard.write_bytes(raw + b"trailing")
    else:
        shard.write_bytes(raw.replace(b" %d\n" % len(body), b" %d\n" % (len(body) + 5), 1))
    for _ in range(2):  # the damaged run, then one served by what it wrote again
        warm = check(str(script), cache=cache)
        assert (warm.returncode, warm.stdout, warm.stderr) == \
            (cold.returncode, cold.stdout, cold.stderr)
        assert "FP103" in warm.stdout
    if damage != "longer":  # there the good record still answers, so nothing is written
        assert records(cache) == {key: body}


def test_full_shards_are_rewritten_not_grown(tmp_path: Path) -> None:
    from fluxparams.cache import ResultCache

    cache = ResultCache(str(tmp_path), ("x",))
    cache.SHARD_LIMIT = 1024
    candidates = [cache.key(b"%d" % i) for i in range(2000)]
    # keys of one shard (the first byte modulo the 64 shards)
    keys = [k for k in candidates if int(k[:2], 16) % 64 == int(candidates[0][:2], 16) % 64]
    assert len(keys) > 20
    for key in keys:
        cache.put(key, [("FP103", "error", "m" * 40, 1, 1, 1, 2, 1, 2, "")])
        cache.flush()
    assert [path.stat().st_size <= 1024 for path in tmp_path.iterdir()] == [True]
    again = ResultCache(str(tmp_path), ("x",))
    assert again.get(keys[-1]) is not None  # the newest entries are kept
    assert again.get(keys[0]) is None


def test_fix_is_never_answered_from_the_cache(tmp_path: Path) -> None:
    cell, cache = tmp_path / "cell.flux", tmp_path / "cache"
    cell.write_text(CELL, encoding="utf-8")
    assert "FP107" in check(str(cell), cache=cache).stdout
    fixed = check("--fix", str(cell), cache=cache)
    assert "fixed FP107 v.timeRangeStart -> params.timeRangeStart" in fixed.stderr
    assert "params.timeRangeStart" in cell.read_text(encoding="utf-8")
    assert "FP107" not in check(str(cell), cache=cache).stdout


def test_a_symlinked_cache_directory_is_refused(tmp_path: Path) -> None:
    tree, elsewhere = scripts(tmp_path), tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    link = tmp_path / "cache"
    link.symlink_to(elsewhere)
    expected = check("--no-cache", str(tree), cache=tmp_path / "unused")
    run = check(str(tree), cache=link)
    assert (run.returncode, run.stdout, run.stderr) == \
        (expected.returncode, expected.stdout, expected.stderr)
    assert list(elsewhere.iterdir()) == []
    # the same for the entries' folder inside it
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (real / "check").symlink_to(elsewhere)
    assert check(str(tree), cache=real).stdout == expected.stdout
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a directory to another user needs root")
def test_a_cache_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    tree, cache = scripts(tmp_path), tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 4242, -1)
    expected = check("--no-cache", str(tree), cache=tmp_path / "unused")
    assert check(str(tree), cache=cache).stdout == expected.stdout
    assert list(cache.iterdir()) == []


def test_the_cache_location_follows_xdg(tmp_path: Path) -> None:
    script = tmp_path / "one.flux"
    script.write_text(BAD, encoding="utf-8")
    xdg, home = tmp_path / "xdg", tmp_path / "home"
    check(str(script), env={"XDG_CACHE_HOME": str(xdg), "HOME": str(home)})
    assert len(shards(xdg / "fluxparams")) == 1
    assert not home.exists()
    # a relative XDG_CACHE_HOME is ignored, as the XDG specification says
    check(str(script), env={"XDG_CACHE_HOME": "relative", "HOME": str(home)})
    assert len(shards(home / ".cache" / "fluxparams")) == 1
    # FLUXPARAMS_CACHE_DIR wins over both
    check(str(script), cache=tmp_path / "explicit", env={"XDG_CACHE_HOME": str(xdg)})
    assert len(shards(tmp_path / "explicit")) == 1


def test_an_unusable_cache_location_still_checks(tmp_path: Path) -> None:
    script, blocker = tmp_path / "one.flux", tmp_path / "file"
    script.write_text(BAD, encoding="utf-8")
    blocker.write_text("not a directory", encoding="utf-8")
    run = check(str(script), cache=blocker / "cache")
    expected = check("--no-cache", str(script), cache=tmp_path / "unused")
    assert (run.returncode, run.stdout, run.stderr) == \
        (expected.returncode, expected.stdout, expected.stderr)


def test_a_symlinked_shard_is_not_followed(tmp_path: Path) -> None:
    script, cache = tmp_path / "bad.flux", tmp_path / "cache"
    script.write_text(BAD, encoding="utf-8")
    cold = check(str(script), cache=cache)
    shard, key, _ = only_entry(cache)
    planted = tmp_path / "planted"
    planted.write_bytes(record(key, b"[]"))  # a well-formed entry: no findings
    shard.unlink()
    shard.symlink_to(planted)
    warm = check(str(script), cache=cache)
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert "FP103" in warm.stdout
    assert shard.is_symlink() and planted.read_bytes() == record(key, b"[]")
