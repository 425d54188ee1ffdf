"""``fluxparams serve`` and ``fluxparams token create|list|revoke`` (cli.py hands these argv lists
to main)."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Callable, List, Optional

from .store import ScriptStore, StoreError
from .stores import DEFAULT_POOL_SIZE, DEFAULT_TIMEOUT, open_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787  # not 8086: that is InfluxDB's own port
DEFAULT_DB = "fluxparams.db"
# Mirrors app.DEFAULT_MAX_SCRIPT and pool.DEFAULT_*: this module must not import starlette (the
# token commands run without the serve extra); tests check that the values agree.
DEFAULT_MAX_BODY = 1024 * 1024
DEFAULT_MAX_SCRIPT = 256 * 1024
DEFAULT_ANALYSIS_WORKERS = 2
DEFAULT_ANALYSIS_TIMEOUT = 5.0


def _env(name: str, default: object) -> str:
    return os.environ.get(name, str(default))


def _positive(kind: type) -> Callable[[str], object]:
    def convert(text: str) -> object:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, "
                                             f"got {text!r}") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, "
                                             f"got {text!r}")
        return value
    return convert


def _db_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--db", default=_env("FLUXPARAMS_DB", DEFAULT_DB), metavar="PATH_OR_URL",
                    help=f"SQLite file, or a postgresql://user@host:port/dbname URL (needs the "
                         f"postgres extra) (env FLUXPARAMS_DB; default ./{DEFAULT_DB})")
    sp.add_argument("--db-pool-size", type=_positive(int),
                    default=_env("FLUXPARAMS_DB_POOL_SIZE", DEFAULT_POOL_SIZE), metavar="N",
                    help="PostgreSQL: connections per server process at most (env "
                         f"FLUXPARAMS_DB_POOL_SIZE; default {DEFAULT_POOL_SIZE})")
    sp.add_argument("--db-timeout", type=_positive(float),
                    default=_env("FLUXPARAMS_DB_TIMEOUT", DEFAULT_TIMEOUT), metavar="SECONDS",
                    help="PostgreSQL: how long a request waits to connect or for a free "
                         "connection before it answers 503 (env FLUXPARAMS_DB_TIMEOUT; default "
                         f"{DEFAULT_TIMEOUT:g})")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fluxparams", description="The invokable-scripts API.")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve", help="run the /api/v2/scripts HTTP API",
        description="Run InfluxDB Cloud's invokable-scripts API (/api/v2/scripts: create, list, "
                    "get, update, delete, /params, /invoke), self-hosted: scripts are stored in "
                    "a SQLite file or PostgreSQL and invoked on the InfluxDB 2.x given by --influx-url. "
                    "Requests need a token from 'fluxparams token create'. Needs the 'serve' "
                    "extra: pip install 'fluxparams[serve]'.")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on "
                                                            f"(default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port (default {DEFAULT_PORT})")
    _db_options(serve)
    # Defaults come from the environment (strings, converted like the flags), so a bad value
    # there is reported as clearly as a bad flag.
    serve.add_argument("--max-body", type=_positive(int),
                       default=_env("FLUXPARAMS_MAX_BODY", DEFAULT_MAX_BODY), metavar="BYTES",
                       help="largest accepted request body (env FLUXPARAMS_MAX_BODY; default "
                            "1 MiB)")
    serve.add_argument("--max-script-bytes", type=_positive(int),
                       default=_env("FLUXPARAMS_MAX_SCRIPT_BYTES", DEFAULT_MAX_SCRIPT),
                       metavar="BYTES",
                       help="largest script (UTF-8 bytes) that create/update accept; a bigger "
                            "one gets 413 (env FLUXPARAMS_MAX_SCRIPT_BYTES; default 256 KiB)")
    serve.add_argument("--analysis-timeout", type=_positive(float),
                       default=_env("FLUXPARAMS_ANALYSIS_TIMEOUT", DEFAULT_ANALYSIS_TIMEOUT),
                       metavar="SECONDS",
                       help="time budget of one script's analysis; a script that overruns it "
                            "gets 422 and its worker process is replaced (env "
                            "FLUXPARAMS_ANALYSIS_TIMEOUT; default 5)")
    serve.add_argument("--analysis-workers", type=_positive(int),
                       default=_env("FLUXPARAMS_ANALYSIS_WORKERS", DEFAULT_ANALYSIS_WORKERS),
                       metavar="N",
                       help="worker processes that analyze scripts (env "
                            "FLUXPARAMS_ANALYSIS_WORKERS; default 2)")
    serve.add_argument("--influx-url", default=os.environ.get("FLUXPARAMS_INFLUX_URL"),
                       help="InfluxDB 2.x base URL that runs invoked scripts "
                            "(env FLUXPARAMS_INFLUX_URL); without it invoke answers 501")
    serve.add_argument("--influx-token", default=os.environ.get("FLUXPARAMS_INFLUX_TOKEN"),
                       help="InfluxDB API token (env FLUXPARAMS_INFLUX_TOKEN; prefer the "
                            "environment: arguments are visible to other local users)")
    serve.add_argument("--influx-org", default=os.environ.get("FLUXPARAMS_INFLUX_ORG"),
                       help="InfluxDB organization name (env FLUXPARAMS_INFLUX_ORG)")
    serve.add_argument("--influx-timeout", type=float, default=60.0, metavar="SECONDS",
                       help="InfluxDB connect/read timeout (default 60)")
    serve.add_argument("--log-level", default="info",
                       choices=["critical", "error", "warning", "info", "debug"])

    token = sub.add_parser("token", help="manage API tokens")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create", help="create a token for an organization and print it")
    create.add_argument("--org", required=True, help="organization name (created if needed)")
    create.add_argument("--description", default="",
                        help="what the token is for (shown by token list)")
    listing = tsub.add_parser("list", help="list tokens: id, organization, description, "
                                           "creation time (never the secret)")
    listing.add_argument("--json", action="store_true", help="one JSON array on stdout")
    revoke = tsub.add_parser("revoke", help="revoke a token by its id (see token list); a "
                                            "running server refuses it from the next request")
    revoke.add_argument("id", help="the token's id")
    for sp in (create, listing, revoke):
        _db_options(sp)
    return p


def _error(message: str) -> int:
    print(f"fluxparams: error: {message}", file=sys.stderr)
    return 2


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        store = open_store(args.db, pool_size=args.db_pool_size, timeout=args.db_timeout)
    except (StoreError, OSError) as e:
        return _error(f"cannot open database: {e}")
    except Exception as e:  # sqlite3.Error and friends: say which file
        return _error(f"cannot open database {args.db}: {e}")

    if args.command == "token":
        try:
            return _token(args, store)
        except StoreError as e:
            return _error(str(e))
        finally:
            store.close()
    return _serve(args, store)


def _token(args: argparse.Namespace, store: ScriptStore) -> int:
    if args.token_command == "create":
        token, org_id = store.create_token(args.org, args.description)
        print(token)
        print(f"organization {args.org!r} (orgID {org_id}); only a hash of the token is stored, "
              f"keep it now", file=sys.stderr)
        return 0
    if args.token_command == "list":
        tokens = store.list_tokens()
        if args.json:
            print(json.dumps(tokens, indent=2, ensure_ascii=False))
            return 0
        rows = [("ID", "ORG", "ORG ID", "CREATED", "DESCRIPTION")]
        rows += [(t["id"], t["org"], t["org_id"], t["created_at"], t["description"])
                 for t in tokens]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for r in rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[4])
        return 0
    if not store.revoke_token(args.id):
        print(f"fluxparams: error: no token with id {args.id!r} (see fluxparams token list)",
              file=sys.stderr)
        return 1
    print(f"revoked token {args.id}", file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace, store: ScriptStore) -> int:
    try:
        import uvicorn

        from .app import create_app
        from .invoke import InfluxConfig
    except ImportError as e:
        return _error(f"{e}; install the serve extra: pip install 'fluxparams[serve]'")
    influx = None
    if args.influx_url:
        try:
            influx = InfluxConfig(args.influx_url, args.influx_token, args.influx_org,
                                  args.influx_timeout)
        except ValueError as e:
            return _error(str(e))
    app = create_app(store, influx=influx, max_body=args.max_body,
                     max_script=args.max_script_bytes, analysis_workers=args.analysis_workers,
                     analysis_timeout=args.analysis_timeout)
    print(f"fluxparams serve: http://{args.host}:{args.port}/api/v2/scripts "
          f"(database {store.location}; InfluxDB "
          f"{args.influx_url or 'not configured: invoke answers 501'}; scripts up to "
          f"{args.max_script_bytes} bytes, analysis budget {args.analysis_timeout:g} s in "
          f"{args.analysis_workers} worker processes)", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level,
                            lifespan="on", server_header=False)
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
