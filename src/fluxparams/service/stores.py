"""``open_store(db)``: the store a ``--db`` value names, a SQLite file or a PostgreSQL URL."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from .store import ScriptStore, Store

URL_SCHEMES = ("postgresql://", "postgres://")
DEFAULT_POOL_SIZE = 10  # mirrored by store_postgres (imported only when PostgreSQL is used)
DEFAULT_TIMEOUT = 5.0


def is_postgres(db: Union[str, Path]) -> bool:
    return isinstance(db, str) and db.lower().startswith(URL_SCHEMES)


def open_store(db: Union[str, Path], pool_size: int = DEFAULT_POOL_SIZE,
               timeout: float = DEFAULT_TIMEOUT) -> ScriptStore:
    """A ``postgresql://`` (or ``postgres://``) URL opens :class:`PostgresStore` with a pool of
    ``pool_size`` connections and ``timeout`` seconds to get one; anything else is a SQLite
    file. Either migrates the schema first; StoreError (StoreUnavailable when unreachable)
    says why it cannot open."""
    if is_postgres(db):
        from .store_postgres import PostgresStore  # psycopg is an optional extra
        return PostgresStore(str(db), pool_size=pool_size, timeout=timeout)
    return Store(os.fspath(db))
