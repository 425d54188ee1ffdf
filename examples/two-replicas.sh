#!/bin/sh
# Two `fluxparams serve` replicas on one database, each on its own port (docs/deployment.md).
# Put any HTTP load balancer in front of them; docs/deployment.md has an nginx configuration.
#
#   FLUXPARAMS_DB=postgresql://fluxparams@db.internal/fluxparams HOST=0.0.0.0 sh examples/two-replicas.sh
#   FLUXPARAMS_DB=/var/lib/fluxparams/fluxparams.db PORTS="8787 8788 8789" sh examples/two-replicas.sh
#
# FLUXPARAMS_DB  the database: a SQLite file (replicas on this machine only) or a postgresql:// URL
# PORTS          one replica per port (default "8787 8788")
# HOST           the address to listen on (default 127.0.0.1)
# FLUXPARAMS     the command to run (default "fluxparams")
#
# Ctrl-C or SIGTERM stops every replica; each finishes the requests it is answering first.
set -u
: "${FLUXPARAMS_DB:=./fluxparams.db}"
: "${PORTS:=8787 8788}"
: "${HOST:=127.0.0.1}"
: "${FLUXPARAMS:=fluxparams}"

pids=""
stop() {
    trap - INT TERM
    # shellcheck disable=SC2086  # one word per pid
    [ -z "$pids" ] || kill -TERM $pids 2>/dev/null || true
    wait
    exit 0
}
trap stop INT TERM

for port in $PORTS; do
    # shellcheck disable=SC2086  # FLUXPARAMS may be a command with arguments
    $FLUXPARAMS serve --db "$FLUXPARAMS_DB" --host "$HOST" --port "$port" &
    pids="$pids $!"
done
echo "replicas on ports $PORTS (pids$pids), database $FLUXPARAMS_DB" >&2
wait
