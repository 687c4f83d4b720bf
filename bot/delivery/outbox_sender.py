"""The outbox sender: delivers queued notifications within the Bot API limits (desk/outbox.py has
the claiming, the retry policy and the limiters; bot/views/notifications.py turns rows into calls).

Each chat's rows go out in order, one chat per task; all chats share the bot's overall limiter.
Several senders (one per `worker`/`run` process) may run over one outbox: claims give each chat to
one sender at a time (desk.outbox.claim), and with Redis configured the limiter is shared
(bot/delivery/limits.py), so together they stay within the bot's limits.
A 429 pauses only that chat for retry_after and the same call is tried again; 5xx and network
errors put the row (and the rest of that chat's batch, to keep the order) back with an
exponential backoff. A chat that refuses the bot (403, "chat not found", no right to send) stops:
a citizen's rows wait for their return, a group's for the bot to be back in it, and people are told
(desk/reachability.py). A group that became a supergroup ("group chat was upgraded", with the new
chat's id) takes its binding, rows and cards along, and the row is sent again to the new chat.
A row is sent only if its lease is still this claim's: one that waited in a queue past its lease
may have been claimed again, and that claim sends it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
)

from bot.config import Settings
from bot.delivery.heartbeat import Heartbeat
from bot.delivery.limits import LimiterUnavailable, Limits, RedisLimits
from bot.delivery.resilience import SENDER_CALL, split_long
from bot.services import Services, build_services
from bot.views.notifications import Context, outgoing, recipients, renderer_for
from desk import outbox, reachability
from models import OutboxMessage

log = logging.getLogger("mizban.outbox")

INLINE_RETRY_AFTER = 60  # longer 429 waits put the row back instead of holding its chat's task
POLL_SECONDS = 1.0
LIMITER_RETRY_SECONDS = 5.0  # Redis (the shared limiter) unreachable: rows wait this long
DONE, RETRY, GONE = "done", "retry", "gone"  # a row settled; put back for later; its chat refuses the bot
STALE = "stale"  # its lease ran out while it waited here: another claim has it
# 400 answers that mean the chat itself cannot be written to (as a 403 does), not a wrong call
UNREACHABLE_400 = ("chat not found", "not enough rights to send", "have no rights to send", "need administrator rights")


@dataclass
class Stats:
    sent: int = 0  # rows delivered
    calls: int = 0  # Bot API calls made for them
    retry_after: int = 0  # 429 answers received
    retried: int = 0  # rows put back for later
    dead: int = 0  # rows given up
    parked: int = 0  # rows waiting for their chat to be reachable again
    stale: int = 0  # rows not sent because another claim took them (their lease ran out here)


class Sender:
    """One sender process: its limiters live as long as it does."""

    def __init__(
        self,
        settings: Settings,
        bots: dict,
        *,
        services: Services | None = None,
        ctx: Context | None = None,
        limits: Limits | None = None,
        max_in_flight: int | None = None,
    ):
        self.settings = settings
        self.bots = bots
        self.ctx = ctx or Context(services or build_services(settings))
        self.limits = limits or make_limits(settings)
        # the limits belong to the bot (its token), whatever the process
        self.bot_keys = {platform: f"{platform}:{getattr(bot, 'id', '')}" for platform, bot in bots.items()}
        self.lease_seconds = outbox.LEASE.total_seconds()
        # about ten seconds of work at the overall rate; rows past that stay unclaimed for others
        self.max_in_flight = max_in_flight or max(50, int(settings.outbox.global_per_second * 10))
        # claimed a second's sending at a time: a claim's rows start their work together, and a
        # bigger batch holds the event loop long enough to delay the sends whose turn comes meanwhile
        self.claim_batch = max(10, int(settings.outbox.global_per_second))
        self.stats = Stats()
        self.owner = secrets.token_hex(4)  # begins this sender's leases (desk.outbox.reclaim)

    async def deliver_pending(self) -> int:
        """Deliver every row due now (and those that fall due meanwhile); returns rows delivered."""
        before = self.stats.sent
        queues: dict[tuple[str, int], deque[OutboxMessage]] = {}
        workers: dict[tuple[str, int], asyncio.Task] = {}
        held: set[int] = set()  # leased here and not settled yet (queued or being sent)
        citizens: dict = {}  # the recipients of the queued chats (looked up per claim, dropped with the queue)
        progress = asyncio.Event()

        def in_flight() -> int:
            return sum(len(q) for q in queues.values()) + len(workers)

        loop = asyncio.get_running_loop()
        claim_after = 0.0  # a claim found all that was due: the next one waits a little (loop time)
        try:
            while True:
                room = self.max_in_flight - in_flight()
                if not workers or (room >= min(self.claim_batch, self.max_in_flight) and loop.time() >= claim_after):
                    full = [
                        chat
                        for (_, chat), q in queues.items()
                        if q and len(q) >= self.limits.chat_capacity(q[0].is_group, self.lease_seconds / 2)
                    ]
                    asked = max(1, min(room, self.claim_batch))
                    rows = await outbox.claim(asked, exclude_chats=full, held=held, owner=self.owner)
                    if len(rows) < asked:
                        claim_after = loop.time() + POLL_SECONDS
                    citizens.update(await recipients(rows))
                    for row in rows:
                        held.add(row.id)
                        key = (row.platform, row.chat_id)
                        queues.setdefault(key, deque()).append(row)
                        if key not in workers:
                            workers[key] = asyncio.create_task(
                                self._chat_worker(key, queues, workers, held, progress, citizens)
                            )
                if not workers:
                    return self.stats.sent - before
                progress.clear()
                await progress.wait()
        finally:  # cancelled or failed: leased rows come back when their lease ends
            for task in list(workers.values()):
                task.cancel()

    async def _chat_worker(self, key, queues, workers, held: set[int], progress: asyncio.Event, citizens) -> None:
        queue = queues[key]
        try:
            while queue:
                row = queue.popleft()
                outcome = await self._deliver(row, citizens, behind=len(queue))
                held.discard(row.id)
                if outcome == GONE:
                    held.difference_update(r.id for r in queue)
                    queue.clear()  # the chat refused the bot: its other rows wait with it
                elif outcome == RETRY and queue:
                    # keep this chat's order: the rest waits for the row that failed
                    pending = list(queue)
                    queue.clear()
                    await outbox.release([r.id for r in pending], row.next_attempt_at)
                    held.difference_update(r.id for r in pending)
                progress.set()
        except Exception:  # a bug must not leave the run waiting forever; the lease brings rows back
            log.exception("outbox worker for %s failed", key)
        finally:
            del workers[key]
            if not queue:
                queues.pop(key, None)
                citizens.pop(key, None)
            progress.set()

    async def _deliver(self, row: OutboxMessage, citizens: dict | None = None, *, behind: int = 0) -> str:
        """Send one row: DONE (sent or given up), RETRY (put back for later) or GONE (403).
        `citizens`: the recipients looked up with the row's claim (else the row's is looked up);
        `behind`: the rows waiting after it in its chat (they go first in the bot's turns)."""
        max_attempts = self.settings.outbox.max_attempts
        bot = self.bots.get(row.platform)
        render = renderer_for(row.method)
        if render is None:
            log.error("no renderer for outbox kind %r (row %s)", row.method, row.id)
            await outbox.mark_dead(row, f"no renderer for {row.method!r}")
            self.stats.dead += 1
            return DONE
        if bot is None:
            return await self._retry(row, f"no bot for platform {row.platform!r}", max_attempts)
        if not await outbox.renew(row):
            self.stats.stale += 1
            return STALE
        calls = render(await outgoing(row, bot, self.ctx, citizens))
        result = None
        try:
            method = await calls.asend(None)
            while True:
                result = await self._send(bot, row, method, behind)
                method = await calls.asend(result)
        except StopAsyncIteration:
            await outbox.mark_sent(row, getattr(result, "message_id", None))
            self.stats.sent += 1
            return DONE
        except TelegramForbiddenError as e:
            return await self._unreachable(row, e.message)
        except TelegramMigrateToChat as e:
            log.info("chat %s:%s became %s", row.platform, row.chat_id, e.migrate_to_chat_id)
            await reachability.move_chat(row.platform, row.chat_id, e.migrate_to_chat_id)
            row.chat_id, row.next_attempt_at = e.migrate_to_chat_id, outbox.now()
            await outbox.release([row.id], row.next_attempt_at)  # not the row's fault: no attempt counted
            self.stats.retried += 1
            return RETRY
        except TelegramRetryAfter as e:
            return await self._retry(row, e.message, max_attempts, delay=e.retry_after)
        except LimiterUnavailable as e:  # not the message's fault: no attempt is counted
            log.warning("outbox limiter unavailable, row %s waits: %s", row.id, e)
            row.next_attempt_at = outbox.now() + timedelta(seconds=LIMITER_RETRY_SECONDS)
            await outbox.release([row.id], row.next_attempt_at)
            self.stats.retried += 1
            return RETRY
        except TelegramBadRequest as e:  # the call itself is wrong: trying again will not help
            if any(words in e.message.lower() for words in UNREACHABLE_400):
                return await self._unreachable(row, e.message)
            log.warning("outbox row %s (%s) refused: %s", row.id, row.method, e.message)
            await outbox.mark_dead(row, e.message)
            self.stats.dead += 1
            return DONE
        except (TimeoutError, TelegramNetworkError, OSError) as e:
            return await self._retry(row, str(e) or type(e).__name__, max_attempts)
        except Exception as e:  # 5xx (TelegramServerError) and anything unexpected
            log.warning("outbox row %s (%s) failed: %r", row.id, row.method, e)
            return await self._retry(row, repr(e), max_attempts)
        finally:
            await calls.aclose()

    async def _unreachable(self, row: OutboxMessage, error: str) -> str:
        """The chat refuses the bot: its rows wait (a group's units are marked, a citizen's staff told)."""
        log.info("chat %s:%s refused the bot: %s", row.platform, row.chat_id, error)
        if row.is_group:
            await reachability.group_lost(self.settings, row.platform, row.chat_id, error)
            self.stats.parked += 1
        else:
            self.stats.parked += max(1, len(await reachability.citizen_blocked(row.platform, row.chat_id, error)))
        return GONE

    async def _retry(self, row: OutboxMessage, error: str, max_attempts: int, *, delay: float | None = None) -> str:
        if await outbox.retry_later(row, error, delay=delay, max_attempts=max_attempts):
            self.stats.retried += 1
            return RETRY
        self.stats.dead += 1
        return DONE

    async def _send(self, bot, row: OutboxMessage, method, behind: int):
        """A call, or the parts a text too long for one message becomes, each a call of its own within
        the limits: a 429 on a part is waited out for that part, the ones sent are not sent again."""
        parts, main = split_long(method)
        result = None
        for i, part in enumerate(parts):
            answer = await self._call(bot, row, part, behind + len(parts) - 1 - i)
            if i == main:
                result = answer
        return result

    async def _call(self, bot, row: OutboxMessage, method, behind: int = 0):
        """One Bot API call within the limits (`behind`: rows waiting after it in its chat); a short
        429 is waited out and tried again."""
        while True:
            mark = SENDER_CALL.set(True)  # this policy, not the one of direct replies
            try:
                async with self.limits.sending(self.bot_keys[row.platform], row.chat_id, row.is_group, behind):
                    self.stats.calls += 1
                    return await bot(method)
            except TelegramRetryAfter as e:
                self.stats.retry_after += 1
                if e.retry_after > INLINE_RETRY_AFTER:
                    raise
                await asyncio.sleep(e.retry_after)
            finally:
                SENDER_CALL.reset(mark)


def make_limits(settings: Settings) -> Limits:
    """Shared through Redis when it is configured (any number of senders), else in process (one)."""
    if settings.redis.url:
        return RedisLimits.from_url(settings.redis.url, settings.outbox)
    return Limits.from_settings(settings.outbox)


async def deliver_pending(settings: Settings, bots: dict, services: Services | None = None) -> int:
    """Deliver everything due now, once (tests, scripts); returns the rows delivered."""
    sender = Sender(settings, bots, services=services)
    try:
        return await sender.deliver_pending()
    finally:
        await sender.limits.close()


async def run_sender(services: Services, bots: list, *, sole: bool = False) -> None:
    """Deliver the outbox forever (the worker process, or next to polling). `sole`: no other sender
    runs (polling): what a killed predecessor had leased is due at once. Else, with Redis, each
    sender keeps a heartbeat there and takes over a gone sender's leases within GONE_SECONDS."""
    sender = Sender(services.settings, {bot.platform: bot for bot in bots}, services=services)
    watch = None
    if sole:
        if taken := await outbox.reclaim():
            log.info("%d notification(s) leased before a restart are due again", taken)
    elif services.settings.redis.url:
        beating = asyncio.Event()
        watch = asyncio.create_task(
            watch_senders(services.settings.redis.url, sender.owner, started=beating), name="outbox-senders"
        )
        await beating.wait()  # its key exists before its first claim names it
    try:
        while True:
            try:
                delivered = await sender.deliver_pending()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or Redis went away, say: try again shortly
                log.exception("outbox sender failed; retrying")
                delivered = 0
                await asyncio.sleep(5)
            if not delivered:
                await asyncio.sleep(POLL_SECONDS)
    finally:
        if watch is not None:
            watch.cancel()
        await sender.limits.close()


BEAT_SECONDS = 5.0
GONE_SECONDS = 15  # a sender whose heartbeat is this old is gone: its leased rows are claimed again
SENDERS = "mizban:outbox-sender:"


async def watch_senders(redis_url: str, owner: str, *, started: asyncio.Event | None = None) -> None:
    """This sender's heartbeat (bot/delivery/heartbeat.py), and at each beat the leases of senders
    without one given back (desk.outbox.reclaim): a killed worker's notifications wait seconds, not
    the lease. `started` is set after the first beat."""
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    heartbeat = Heartbeat(redis, SENDERS, ttl=GONE_SECONDS, every=BEAT_SECONDS, owner=owner)

    async def take_over() -> None:
        gone = await heartbeat.gone(await outbox.leased_owners())
        if gone and (taken := await outbox.reclaim(gone)):
            log.warning("%d notification(s) leased by a sender that is gone are due again", taken)

    try:
        await heartbeat.start(also=take_over)
        if started is not None:
            started.set()
        await asyncio.Event().wait()  # until cancelled
    finally:
        await heartbeat.stop()
        await redis.aclose()
