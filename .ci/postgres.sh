#!/usr/bin/env bash
# Make sure a PostgreSQL answers on 127.0.0.1:$PGPORT (default 5432) for the tests, which connect
# as the role "postgres" without a password (FLUXPARAMS_TEST_POSTGRES, tests/conftest.py).
#
#  * Something already answers there: nothing to do (a developer's server, a CI service).
#  * Otherwise: install Debian's postgresql when no initdb is found (apt-get, needs root), then
#    start a private cluster in $FLUXPARAMS_PGDATA (default /tmp/fluxparams-ci-postgres) with
#    trust authentication, listening on 127.0.0.1 only, and wait until pg_isready says so.
#
# Idempotent: run it again and it finds the server running, or restarts the cluster it made.
# Stop that cluster with: pg_ctl -D "$FLUXPARAMS_PGDATA" stop (as the user owning it).
set -euo pipefail

PORT="${PGPORT:-5432}"
DATA="${FLUXPARAMS_PGDATA:-/tmp/fluxparams-ci-postgres}"
HOST=127.0.0.1

answers() {
  # pg_isready when installed; otherwise any TCP listener counts (bash's /dev/tcp)
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$HOST" -p "$PORT" -t 2
  else
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
  fi
}

if answers; then
  echo "postgres.sh: a PostgreSQL already answers on $HOST:$PORT"
  exit 0
fi

pg_bin() {
  # initdb/pg_ctl on PATH, else Debian's versioned directory (the newest)
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BIN="$(pg_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "postgres.sh: installing Debian's postgresql"
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: no PostgreSQL on $HOST:$PORT, none installed, and not root to apt-get it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The package may start its own cluster (Debian's "main", password auth over TCP) when the
  # system can; ours below uses the port only if nothing answers there by then.
  apt-get install -y -qq postgresql >/dev/null
  BIN="$(pg_bin)"
  if answers; then
    echo "postgres.sh: the package started a PostgreSQL on $HOST:$PORT"
    exit 0
  fi
fi

# Run the cluster as an unprivileged user: PostgreSQL refuses to run as root.
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

mkdir -p "$DATA"
chown "$OWNER" "$DATA"
chmod 700 "$DATA"
if [ ! -f "$DATA/PG_VERSION" ]; then
  echo "postgres.sh: initdb $DATA (trust authentication, superuser postgres)"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
fi
echo "postgres.sh: starting the cluster in $DATA on $HOST:$PORT"
# A stale postmaster.pid from a killed run would stop pg_ctl; it is only stale if nothing runs.
if [ -f "$DATA/postmaster.pid" ] && ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  rm -f "$DATA/postmaster.pid"
fi
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
  -o "-c listen_addresses=$HOST -p $PORT -k $DATA -c fsync=off" start >/dev/null || {
    echo "postgres.sh: the cluster did not start; its log:" >&2
    tail -n 40 "$DATA/server.log" >&2 || true
    exit 1
  }

for _ in $(seq 1 60); do
  if answers; then
    echo "postgres.sh: ready on $HOST:$PORT"
    exit 0
  fi
  sleep 1
done
echo "postgres.sh: PostgreSQL did not become ready on $HOST:$PORT" >&2
exit 1
