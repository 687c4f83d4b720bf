"""Long polling at a bounded rate.

The Bot API answers getUpdates as soon as one update waits, and aiogram polls again as soon as an
answer is in. A bot that is busy with the updates it has (waiting on its database, say) then fetches
the next ones one poll per update, and a poll costs about as much as handling an update
(bench/citizen_bench.py counts them). Polling at most every `interval` seconds makes each poll
bring what arrived meanwhile; an update waits at most `interval` longer (20 ms: nothing a person
notices beside a messenger's own round trip)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time

from aiogram import Dispatcher
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.methods import GetUpdates
from tenacity import AsyncRetrying, before_sleep_log, retry_if_exception, stop_after_delay, wait_exponential

log = logging.getLogger("mizban.polling")

OUTAGE_SECONDS = 15 * 60  # an update waits this long at most for the database or Redis to come back
OUTAGE_WAIT = wait_exponential(multiplier=0.5, max=10)


class PacedPolling(BaseRequestMiddleware):
    """A request middleware for a polling bot's session: `bot.delivery.session.middleware(PacedPolling())`."""

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self._last = 0.0

    async def __call__(self, make_request, bot, method):
        if isinstance(method, GetUpdates):
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last = time.monotonic()
        return await make_request(bot, method)


def unreachable(e: BaseException | None) -> bool:
    """Whether an update failed because the database or Redis could not be reached (not because of
    the update): then handling it again later can succeed."""
    import asyncpg
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from tortoise.exceptions import DBConnectionError

    outage = (
        OSError,
        TimeoutError,
        DBConnectionError,
        RedisConnectionError,
        RedisTimeoutError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.CannotConnectNowError,
    )
    for _ in range(5):  # the error and what caused it (tortoise wraps the driver's)
        if e is None:
            return False
        if isinstance(e, outage) or (isinstance(e, sqlite3.OperationalError) and "locked" in str(e)):
            return True
        e = e.__cause__ or e.__context__
    return False


def handle_again_after_outages(dp: Dispatcher) -> None:
    """Polling: an update whose handling failed because the database or Redis was unreachable is
    handled again when they are back (with backoff, for up to OUTAGE_SECONDS), not skipped: aiogram's
    polling has already moved past it, and no one would deliver it again (a webhook's update is
    delivered again by the Bot API server instead)."""
    feed_update = dp.feed_update

    async def feed_until_reachable(bot, update, **kwargs):
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(unreachable),
            wait=lambda state: OUTAGE_WAIT(state),
            stop=stop_after_delay(OUTAGE_SECONDS),
            before_sleep=before_sleep_log(log, logging.WARNING),
            reraise=True,
        ):
            with attempt:
                return await feed_update(bot, update, **kwargs)

    dp.feed_update = feed_until_reachable  # type: ignore[method-assign]
