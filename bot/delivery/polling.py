"""Long polling at a bounded rate, through an inbox that survives a crash.

**Inbox.** aiogram's polling confirms an update (the next getUpdates' offset) as soon as it has
been fetched: a process killed while handling it would lose it, and the citizen's answer or press
with it. Here each batch is written to the database (`InboxUpdate`) before it is confirmed, and an
update's row is deleted once it has been handled; a process started after a crash first handles
what its inbox holds, in update id order, skipping an update already recorded as processed (its
state and data were written together with the record: bot/delivery/fsm_storage.py). An update that
had finished without changing any state but whose row was not yet deleted is handled again: the
person may see an answer twice, never none. The deletions of a poll's finished updates go in one
statement before the next poll.

**Pace.**
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

from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig
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


class Inbox:
    """Polled updates kept in the database until handled (the module's docstring)."""

    def __init__(self, record) -> None:
        self.record = record  # bot.delivery.dedupe.DatabaseRecord or RedisRecord
        self.finished: dict[int, list[int]] = {}  # bot id -> update ids handled since the last flush

    async def keep(self, bot_id: int, updates: list[Update]) -> None:
        from models import InboxUpdate

        rows = [
            InboxUpdate(
                bot_id=bot_id,
                update_id=u.update_id,
                body=u.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True),
            )
            for u in updates
        ]
        await InboxUpdate.bulk_create(rows, ignore_conflicts=True)  # a batch fetched again after a crash

    async def left(self, bot: Bot) -> list[Update]:
        """What a previous process received and did not finish, oldest first, less what it recorded."""
        from models import InboxUpdate

        rows = await InboxUpdate.filter(bot_id=bot.id).order_by("update_id").values_list("update_id", "body")
        seen = await self.record.seen_among(bot.id, [update_id for update_id, _ in rows])
        for update_id in seen:
            self.done(bot.id, update_id)
        return [Update.model_validate(body, context={"bot": bot}) for update_id, body in rows if update_id not in seen]

    def done(self, bot_id: int, update_id: int) -> None:
        self.finished.setdefault(bot_id, []).append(update_id)

    async def flush(self, bot_id: int) -> None:
        from models import InboxUpdate

        finished = self.finished.pop(bot_id, [])
        if finished:
            try:
                await InboxUpdate.filter(bot_id=bot_id, update_id__in=finished).delete()
            except Exception:
                self.finished.setdefault(bot_id, []).extend(finished)  # deleted at the next flush
                raise


async def _until_stored(step):
    """Run `step` until the database answers (an outage waits, as handling does: OUTAGE_WAIT)."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(unreachable),
        wait=lambda state: OUTAGE_WAIT(state),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    ):
        with attempt:
            return await step()


def poll_through_inbox(dp: Dispatcher, inbox: Inbox) -> None:
    """Polling: each update kept in `inbox` before it is confirmed, and removed once handled (the
    module's docstring); an update whose handling failed because the database or Redis was
    unreachable is handled again when they are back (handle_again_after_outages)."""
    handle_again_after_outages(dp)
    feed_update = dp.feed_update

    async def feed_and_finish(bot, update, **kwargs):
        try:
            result = await feed_update(bot, update, **kwargs)
        except BaseException as e:
            if not unreachable(e) and not isinstance(e, asyncio.CancelledError):
                inbox.done(bot.id, update.update_id)  # a bug, not an outage: handling it again fails again
            raise
        inbox.done(bot.id, update.update_id)
        return result

    dp.feed_update = feed_and_finish  # type: ignore[method-assign]

    async def listen(
        bot: Bot,
        polling_timeout: int = 30,
        backoff_config: BackoffConfig | None = None,
        allowed_updates: list[str] | None = None,
    ):
        """aiogram's Dispatcher._listen_updates, with the inbox between fetching and confirming."""
        from aiogram.dispatcher.dispatcher import DEFAULT_BACKOFF_CONFIG

        left = await _until_stored(lambda: inbox.left(bot))
        if left:
            log.info("handling %d update(s) received before a restart", len(left))
        again = {u.update_id for u in left}  # may be fetched once more if they were never confirmed
        for update in left:
            yield update
        backoff = Backoff(config=backoff_config or DEFAULT_BACKOFF_CONFIG)
        get_updates = GetUpdates(timeout=polling_timeout, allowed_updates=allowed_updates)
        kwargs = {"request_timeout": int(bot.session.timeout + polling_timeout)} if bot.session.timeout else {}
        while True:
            try:
                await inbox.flush(bot.id)
            except Exception as e:
                log.warning("removing handled updates from the inbox failed (%s); retried later", type(e).__name__)
            try:
                updates = await bot(get_updates, **kwargs)
            except Exception as e:  # the Bot API unreachable: poll again after a while, as aiogram does
                log.error("Failed to fetch updates - %s: %s", type(e).__name__, e)
                await backoff.asleep()
                continue
            backoff.reset()
            if not updates:
                continue
            await _until_stored(lambda batch=updates: inbox.keep(bot.id, batch))
            get_updates.offset = updates[-1].update_id + 1
            for update in updates:
                if update.update_id in again:
                    again.discard(update.update_id)
                    continue
                yield update

    dp._listen_updates = listen  # type: ignore[method-assign]
