"""``fluxparams serve`` and ``fluxparams token create`` (cli.py hands these argv lists to main)."""
from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787  # not 8086: that is InfluxDB's own port
DEFAULT_DB = "fluxparams.db"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fluxparams", description="The invokable-scripts API.")
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the /api/v2/scripts HTTP API")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on "
                                                            f"(default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default ./{DEFAULT_DB})")
    serve.add_argument("--max-body", type=int, default=1024 * 1024, metavar="BYTES",
                       help="largest accepted request body (default 1 MiB)")
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
    create.add_argument("--db", default=DEFAULT_DB, help=f"SQLite file (default ./{DEFAULT_DB})")
    return p


def _error(message: str) -> int:
    print(f"fluxparams: error: {message}", file=sys.stderr)
    return 2


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        from .store import Store, StoreError
    except ImportError as e:  # pragma: no cover
        return _error(str(e))
    try:
        store = Store(args.db)
    except (StoreError, OSError) as e:
        return _error(f"cannot open database {args.db}: {e}")
    except Exception as e:  # sqlite3.Error and friends: say which file
        return _error(f"cannot open database {args.db}: {e}")

    if args.command == "token":
        try:
            token, org_id = store.create_token(args.org)
        except StoreError as e:
            return _error(str(e))
        finally:
            store.close()
        print(token)
        print(f"organization {args.org!r} (orgID {org_id}); only a hash of the token is stored, "
              f"keep it now", file=sys.stderr)
        return 0

    return _serve(args, store)


def _serve(args: argparse.Namespace, store) -> int:
    try:
        import uvicorn

        from .app import create_app
        from .invoke import InfluxConfig
    except ImportError as e:
        return _error(f"{e}; install the serve extra: pip install 'fluxparams[serve]'")
    if args.max_body < 1:
        return _error("--max-body must be positive")
    influx = None
    if args.influx_url:
        try:
            influx = InfluxConfig(args.influx_url, args.influx_token, args.influx_org,
                                  args.influx_timeout)
        except ValueError as e:
            return _error(str(e))
    app = create_app(store, influx=influx, max_body=args.max_body)
    print(f"fluxparams serve: http://{args.host}:{args.port}/api/v2/scripts "
          f"(database {os.path.abspath(args.db)}; InfluxDB "
          f"{args.influx_url or 'not configured: invoke answers 501'})", file=sys.stderr,
          flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level,
                            lifespan="on", server_header=False)
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
