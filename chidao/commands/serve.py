"""`chidao serve [--host H] [--port P]`: the HTTP API (FastAPI under uvicorn) over the store of
--data/--store (or CHIDAO_DATA/CHIDAO_STORE). Interactive documentation at /docs. Uploads
(POST /ingest) need CHIDAO_API_TOKEN; CHIDAO_UPLOAD_MAX_MB caps each file (default 20)."""

from __future__ import annotations

import argparse

from chidao.common import CommandError, run, store_from

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the HTTP API (docs at /docs)",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"interface to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"], help="uvicorn log level")
    parser.set_defaults(func=run(serve_command))


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port} is not a TCP port (1–65535)", code=2)
    store = store_from(args)  # fail here, with a clear message, rather than on the first request
    app = create_app(lambda: store)
    print(f"chidao API on http://{args.host}:{args.port}/ (documentation: /docs)", flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level)
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
