"""`python -m bot [run|migrate|catalog check|webhook|worker|sandbox]`.

With no command: `run` when a bot token is configured, else the local sandbox."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from bot import logs
from bot.config import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Mizban electronic service desk")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="long-poll the Bot API and deliver notifications (single process)")
    sub.add_parser("migrate", help="apply the database migrations")
    sub.add_parser("retention", help="delete what the retention periods of bot.toml no longer keep, and say what")
    cat = sub.add_parser("catalog", help="service identity cards")
    cat.add_argument("action", choices=["check"])
    sub.add_parser("webhook", help="serve the Bot API webhook (production web process)")
    sub.add_parser("worker", help="deliver the outbox and check promised dates (production worker)")
    sandbox = sub.add_parser("sandbox", help="the whole desk in a browser, with no token and no network")
    for p in (parser, sandbox):  # `python -m bot --reset` works when it means the sandbox
        p.add_argument("--reset", action="store_true", help="sandbox: delete the sandbox's own data, start afresh")
        p.add_argument("--port", type=int, default=8000, help="sandbox: the web page's port")
        p.add_argument("--data", type=Path, default=None, help="sandbox: its own data folder (default data/sandbox)")
        p.add_argument(
            "--use-configured-data",
            action="store_true",
            help="sandbox: run against the configured database and documents folder (a real desk's!)",
        )
    args = parser.parse_args(argv)

    # aiogram logs every update it handles (a line per citizen's tap); the web process counts and times
    # them in its metrics (bot/metrics.py), and failures are still logged as errors; no personal data
    logs.configure(logging.INFO)
    try:
        settings = load_settings()
    except ValidationError as e:  # a configuration Mizban cannot run with: say what to change, no traceback
        for error in e.errors():
            where = ".".join(str(p) for p in error["loc"])
            print(f"Configuration error{' in ' + where if where else ''}: {error['msg']}", file=sys.stderr)
        return 2
    command = args.command or ("run" if settings.accounts() else "sandbox")

    if command == "catalog":
        from desk.catalog import check

        ok, message = check(settings.resolve(settings.catalog.dir))
        print(message)
        return 0 if ok else 1
    if command == "migrate":
        from bot.db import migrate

        asyncio.run(migrate(settings.database.url))
        return 0
    if command == "retention":
        from bot import db
        from bot.jobs import apply_retention

        async def retain() -> None:
            await db.connect(settings.database.url)
            try:
                print(await apply_retention(settings))
            finally:
                await db.close()

        asyncio.run(retain())
        return 0
    if command == "run":
        if not settings.accounts():
            print(
                "No bot token: set BOT_TOKEN (or token in bot.toml), or run `python -m bot sandbox`.", file=sys.stderr
            )
            return 2
        from bot.runner import run_polling

        asyncio.run(run_polling(settings))
        return 0
    if command == "webhook":
        from bot.runner import run_webhook

        asyncio.run(run_webhook(settings))
        return 0
    if command == "worker":
        from bot.runner import run_worker

        asyncio.run(run_worker(settings))
        return 0
    from bot.sandbox.server import Refused, run_sandbox

    try:
        asyncio.run(
            run_sandbox(
                settings,
                reset=args.reset,
                port=args.port,
                data_dir=args.data,
                use_configured=args.use_configured_data,
            )
        )
    except Refused as e:
        print(e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
