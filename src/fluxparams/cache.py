"""``fluxparams check``'s per-file result cache, in a private per-user directory.

An entry holds the findings of one file, stored under a key made of the file's
bytes, the configuration that decides which findings are reported, the version,
and a fingerprint of the installed package (its code and data files' sizes and
modification times), so a changed checkout never answers from an older one.

The directory is trusted only when it is ours: created 0700, refused when it is
a symlink, not a directory, or owned by another user (its entries are never
executed, but a planted entry could hide a finding). A bad entry (truncated,
corrupted, another format) is a miss, never an error. Entries are stored in shard
files (see :class:`ResultCache`), so a cold run creates 64 files, not one per script.
"""
from __future__ import annotations

import os
import stat
import sys
from typing import Dict, Iterable, List, Optional, Set, Tuple

try:
    # hashlib loads OpenSSL first (3 ms, a few percent of checking one file); the builtin
    # BLAKE2 module is what hashlib.blake2b is anyway (the standard library's random does
    # the same with _sha512)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

# bumped when the entry layout changes
_FORMAT = "1"
# one finding: code, severity, message, line, column, end_line, end_column,
# char_column, char_end_column, hint
Row = Tuple[str, str, str, int, int, int, int, int, int, str]
_FIELDS = 10
_INTS = range(3, 9)
# a shard that is a symlink is not followed (only we can write the directory, but still)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def cache_root() -> str:
    """Where the cache lives: $FLUXPARAMS_CACHE_DIR, else $XDG_CACHE_HOME/fluxparams,
    else ~/.cache/fluxparams (relative environment values are ignored, as XDG says)."""
    explicit = os.environ.get("FLUXPARAMS_CACHE_DIR", "")
    if explicit and os.path.isabs(explicit):
        return explicit
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not (base and os.path.isabs(base)):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "fluxparams")


def private_dir(path: str) -> Optional[str]:
    """``path`` as a directory only the current user can use, created if missing; else None."""
    try:
        if not os.path.lexists(path):
            parent = os.path.dirname(path)
            if parent:
                os.makedirs(parent, exist_ok=True)
            os.mkdir(path, 0o700)
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return None
    if st.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return None
    if not os.access(path, os.W_OK | os.X_OK):
        return None
    return path


def _package_fingerprint() -> bytes:
    """Sizes and mtimes of the package's files: cheap (stat only) and changes with any edit."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts: List[str] = []
    for root, dirs, names in os.walk(here):
        # the service's code does not change a finding
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "service"))
        for name in sorted(names):
            if name.endswith((".py", ".json", ".marshal", ".lark")):
                full = os.path.join(root, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                parts.append(f"{os.path.relpath(full, here)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts).encode("utf-8")


class ResultCache:
    """Findings per file content, for one configuration; every method fails soft.

    Entries live in 64 shard files (by the key's first byte) that a run appends to once
    each, in :meth:`flush`: creating a file per entry cost a cold run more than a third of
    its time, and creating 256 shards still 0.15 s here. A shard is a sequence of
    ``KEY LENGTH\n BODY\n`` records, the last one of a key wins; a shard over
    ``SHARD_LIMIT`` bytes, or damaged, is rewritten (newest records kept), not appended to.
    """

    SHARD_LIMIT = 1 << 19  # 64 shards: 32 MiB, some 100,000 entries

    def __init__(self, directory: str, config: Iterable[str]) -> None:
        from . import __version__

        self.directory = directory
        seed = blake2b(digest_size=32)
        for part in (_FORMAT, __version__, "{}.{}".format(*sys.version_info[:2]), *config):
            seed.update(part.encode("utf-8") + b"\0")
        seed.update(_package_fingerprint())
        self._seed = seed
        self._shards: Dict[str, Dict[bytes, bytes]] = {}
        self._damaged: Set[str] = set()
        self._sizes: Dict[str, int] = {}
        self._pending: Dict[str, List[bytes]] = {}

    @classmethod
    def open(cls, config: Iterable[str]) -> Optional[ResultCache]:
        root = private_dir(cache_root())
        if root is None:
            return None
        directory = private_dir(os.path.join(root, "check"))
        return None if directory is None else cls(directory, config)

    def key(self, data: bytes) -> str:
        digest = self._seed.copy()
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Optional[List[Row]]:
        body = self._shard(_shard_of(key)).get(key.encode("ascii"))
        return None if body is None else _decode(body)

    def put(self, key: str, rows: List[Row]) -> None:
        body = _encode(rows)
        record = b"%s %d\n%s\n" % (key.encode("ascii"), len(body), body)
        self._pending.setdefault(_shard_of(key), []).append(record)

    def flush(self) -> None:
        """Write what :meth:`put` gathered: one append (or one rewrite) per shard."""
        for shard, records in sorted(self._pending.items()):
            path = os.path.join(self.directory, shard)
            data = b"".join(records)
            self._shard(shard)  # its size and state (already read by the get that missed)
            try:
                if shard in self._damaged or self._sizes.get(shard, 0) + len(data) > self.SHARD_LIMIT:
                    self._rewrite(shard, path, data)
                else:
                    # one write in append mode: runs appending at once do not interleave records
                    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o600)
                    try:
                        os.write(fd, data)
                    finally:
                        os.close(fd)
            except OSError:
                pass
            # read again if asked again (a long-lived user of this object)
            self._shards.pop(shard, None)
            self._damaged.discard(shard)
        self._pending.clear()

    def _rewrite(self, shard: str, path: str, new: bytes) -> None:
        kept = [b"%s %d\n%s\n" % (key, len(body), body)
                for key, body in self._shard(shard).items()]
        budget = self.SHARD_LIMIT // 2 - len(new)
        tail: List[bytes] = []
        for record in reversed(kept):  # the newest records that fit in half the limit
            budget -= len(record)
            if budget < 0:
                break
            tail.append(record)
        temp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
        try:
            os.write(fd, b"".join(reversed(tail)) + new)
        finally:
            os.close(fd)
        os.replace(temp, path)  # readers see the old shard or the whole new one

    def _shard(self, shard: str) -> Dict[bytes, bytes]:
        loaded = self._shards.get(shard)
        if loaded is None:
            data = b""
            try:
                fd = os.open(os.path.join(self.directory, shard), os.O_RDONLY | _NOFOLLOW)
                with os.fdopen(fd, "rb") as handle:
                    data = handle.read()
            except OSError:
                pass
            loaded, complete = _records(data)
            if not complete:
                self._damaged.add(shard)
            self._shards[shard], self._sizes[shard] = loaded, len(data)
        return loaded


def _shard_of(key: str) -> str:
    return f"{int(key[:2], 16) % 64:02x}"


def _records(data: bytes) -> Tuple[Dict[bytes, bytes], bool]:
    """The records of a shard, and whether it was whole (a damaged tail ends the reading)."""
    found: Dict[bytes, bytes] = {}
    position = 0
    while position < len(data):
        newline = data.find(b"\n", position)
        head = data[position:newline].split(b" ") if newline >= 0 else []
        if len(head) != 2 or len(head[0]) != 64 or not head[1].isdigit():
            return found, False
        end = newline + 1 + int(head[1])
        if data[end:end + 1] != b"\n":
            return found, False
        found[head[0]] = data[newline + 1:end]
        position = end + 1
    return found, True


def _encode(rows: List[Row]) -> bytes:
    import json

    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _decode(body: bytes) -> Optional[List[Row]]:
    import json

    try:
        value = json.loads(body.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    rows: List[Row] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == _FIELDS
                and all(isinstance(item[i], str) for i in (0, 1, 2, 9))
                and all(type(item[i]) is int for i in _INTS)):
            return None
        rows.append((item[0], item[1], item[2], item[3], item[4], item[5], item[6], item[7],
                     item[8], item[9]))
    return rows
