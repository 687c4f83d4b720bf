"""python -m standin --port 8081: run the Bot API stand-in as a server."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web
from aiohttp.log import access_logger

from standin.core import Standin
from standin.server import make_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m standin", description="A local stand-in for the Bot API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--lenient", action="store_true", help="record spec violations without refusing calls")
    parser.add_argument("--rate-limits", action="store_true", help="enforce Telegram's flood limits (429)")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    standin = Standin(strict=not args.lenient, rate_limits=args.rate_limits)
    web.run_app(
        make_app(standin), host=args.host, port=args.port, access_log=access_logger if args.access_log else None
    )


if __name__ == "__main__":
    main()
