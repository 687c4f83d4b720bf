"""Process entry points: polling (single process), webhook (web) and worker."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from contextlib import suppress

from bot import db
from bot.app import build_dispatcher
from bot.config import Settings
from bot.delivery.dedupe import DatabaseRecord, run_pruner
from bot.delivery.polling import Inbox, PacedPolling, poll_through_inbox
from bot.delivery.updates import allowed_updates
from bot.platforms import make_bot
from bot.services import Services, build_services

log = logging.getLogger("mizban")


def settle(settings: Settings) -> None:
    """Once start-up is done.

    What start-up built (modules, models, schemas, the catalogue, the locales) lives as long as the
    process, so the garbage collector stops scanning it (gc.freeze): a full collection then looks at
    the objects of the updates in flight only, not at the whole heap.

    On SQLite every query is answered from aiosqlite's thread, which needs the interpreter lock to
    hand the rows back; while the event loop is busy it gets it only at the next forced switch (5 ms
    by default), and the updates waiting for their rows pile up. A 0.5 ms switch interval brings them
    back sooner (bench/citizen_bench.py: about a seventh more updates per second)."""
    gc.collect()
    gc.freeze()
    if settings.database.url.startswith("sqlite"):
        sys.setswitchinterval(0.0005)


async def run_polling(settings: Settings) -> None:
    await db.migrate(settings.database.url)
    await db.connect(settings.database.url)
    bots = [make_bot(a) for a in settings.accounts()]
    for bot in bots:
        bot.session.middleware(PacedPolling())
    services = build_services(settings)
    dp = build_dispatcher(settings, services=services)
    poll_through_inbox(dp, Inbox(processed_record(dp)))
    background = start_background(services, bots, sole=True)
    background.append(asyncio.create_task(run_pruner(), name="prune-processed-updates"))
    settle(settings)
    try:
        await dp.start_polling(*bots, handle_signals=True, allowed_updates=allowed_updates(dp))
    finally:
        for task in background:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        for bot in bots:
            await bot.session.close()
        await db.close()


def processed_record(dp):
    """Where the dispatcher records processed updates: Redis with the chat's turn, else the database."""
    return getattr(dp.fsm.events_isolation, "record", None) or DatabaseRecord()


def start_background(services: Services, bots, *, sole: bool = False) -> list[asyncio.Task]:
    """The outbox sender and the periodic checks (promised dates, survey reminders); `sole`: the only
    sender of the deployment (polling)."""
    from bot.delivery.outbox_sender import run_sender
    from bot.jobs import run_deadline_checks

    return [
        asyncio.create_task(run_sender(services, bots, sole=sole), name="outbox-sender"),
        asyncio.create_task(run_deadline_checks(services), name="periodic-checks"),
    ]


async def run_webhook(settings: Settings) -> None:
    """A web process: the webhook of every bot, /healthz and /metrics (bot/delivery/webhook.py). Migrations
    are the release step's job (`python -m bot migrate`), never a web process's."""
    from bot.delivery.webhook import make_app

    await db.connect(settings.database.url)
    bots = _counted_bots(settings)
    app = make_app(settings, build_dispatcher(settings), bots)
    settle(settings)
    pruner = asyncio.create_task(run_pruner(), name="prune-processed-updates")
    try:
        await _serve(app, settings.webhook.host, settings.webhook.port)
    finally:
        pruner.cancel()
        with suppress(asyncio.CancelledError):
            await pruner
        await db.close()


async def run_worker(settings: Settings) -> None:
    """The outbox sender and the promised-date checks; /healthz and /metrics on METRICS_PORT if set."""
    await db.connect(settings.database.url)
    bots = _counted_bots(settings)
    background = start_background(build_services(settings), bots)
    settle(settings)
    if port := os.environ.get("METRICS_PORT"):
        from aiohttp import web

        from bot.delivery.webhook import add_status_routes

        app = web.Application()
        add_status_routes(app, token=settings.webhook.metrics_token)
        background.append(asyncio.create_task(_serve(app, settings.webhook.host, int(port)), name="status"))
    try:
        await asyncio.gather(*background)
    finally:
        for task in background:
            task.cancel()
        for bot in bots:
            await bot.session.close()
        await db.close()


def _counted_bots(settings: Settings) -> list:
    """The deployment's bots, their Bot API 429 answers counted in the metrics."""
    from bot.metrics import CountRateLimited

    bots = [make_bot(a) for a in settings.accounts()]
    for bot in bots:
        bot.session.middleware(CountRateLimited(bot.platform))
    return bots


async def _serve(app, host: str, port: int) -> None:
    """Serve an aiohttp application until SIGTERM or SIGINT."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("serving on %s:%s", host, port)
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await runner.cleanup()
