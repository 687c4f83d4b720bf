"""The notifications outbox: rows written in the same transaction as the change that caused
them (call `enqueue` inside `in_transaction()`), delivered later by the sender.

A row holds an *intent* (`kind` + `data`), not a rendered message: the bot layer renders it in
the recipient's language when it is sent (bot/outbox_render.py), so the domain never imports
the messenger framework.

Delivery is at-least-once. A sender *claims* due rows by leasing them (their next attempt is
moved `LEASE` into the future, in one transaction; on PostgreSQL with FOR UPDATE SKIP LOCKED so
several senders never claim the same row) and marks a row sent only after the Bot API accepted
it. A sender that dies between the API call and that mark leaves the row leased: it is claimed
again when the lease runs out and the message may arrive twice. Losing a notification is worse
than a rare duplicate, and renderers that edit or store ids are idempotent anyway.
"""
from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models import Citizen, OutboxMessage, OutboxStatus, Request

LEASE = timedelta(seconds=120)
MAX_BACKOFF_SECONDS = 15 * 60
# Run a little under the documented limits: the server measures arrival times, which jitter.
MARGIN = 0.95


def now() -> datetime:
    return datetime.now(timezone.utc)


async def enqueue(*, platform: str, chat_id: int, kind: str, data: dict | None = None,
                  is_group: bool = False, request: Request | None = None) -> OutboxMessage:
    """Queue a message to someone other than the person acting."""
    return await OutboxMessage.create(platform=platform, chat_id=chat_id, is_group=is_group,
                                      method=kind, payload=data or {}, request=request,
                                      next_attempt_at=now())


# -- claiming ------------------------------------------------------------------------------------
async def claim(limit: int, *, exclude_chats: Iterable[int] = (), lease: timedelta = LEASE) -> list[OutboxMessage]:
    """Lease up to `limit` due rows (oldest first) to this sender and count the attempt."""
    exclude = list(exclude_chats)
    async with in_transaction() as conn:
        query = OutboxMessage.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now())
        if exclude:
            query = query.exclude(chat_id__in=exclude)
        rows = await query.order_by("id").limit(limit).select_for_update(skip_locked=True).using_db(conn)
        if rows:
            await OutboxMessage.filter(id__in=[r.id for r in rows]).using_db(conn).update(
                next_attempt_at=now() + lease, attempts=F("attempts") + 1)
    for row in rows:
        row.attempts += 1
    return rows


async def release(ids: list[int], at: datetime | None = None) -> None:
    """Give leased rows back (due at `at`, default now) without counting an attempt."""
    if ids:
        await OutboxMessage.filter(id__in=ids, status=OutboxStatus.PENDING).update(
            next_attempt_at=at or now(), attempts=F("attempts") - 1)


# -- outcomes ------------------------------------------------------------------------------------
async def mark_sent(row: OutboxMessage, message_id: int | None) -> None:
    row.status, row.sent_at, row.sent_message_id = OutboxStatus.SENT, now(), message_id
    await row.save(update_fields=["status", "sent_at", "sent_message_id"])


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: exponential, capped, jittered."""
    return min(MAX_BACKOFF_SECONDS, 2 ** min(attempts, 20)) * random.uniform(0.8, 1.2)


async def retry_later(row: OutboxMessage, error: str, *, delay: float | None = None, max_attempts: int) -> bool:
    """Schedule another try; after `max_attempts` the row is given up (dead). True if it will be retried."""
    if row.attempts >= max_attempts:
        await mark_dead(row, error)
        return False
    row.last_error = error[:2000]
    row.next_attempt_at = now() + timedelta(seconds=backoff(row.attempts) if delay is None else delay)
    await row.save(update_fields=["last_error", "next_attempt_at"])
    return True


async def mark_dead(row: OutboxMessage, error: str) -> None:
    row.status, row.last_error = OutboxStatus.DEAD, error[:2000]
    await row.save(update_fields=["status", "last_error"])


async def chat_unreachable(row: OutboxMessage, error: str) -> int:
    """The chat refused the bot (403: blocked, kicked): mark the citizen, stop every pending row
    for that chat. Returns how many rows were given up."""
    async with in_transaction():
        if not row.is_group:
            await Citizen.filter(platform=row.platform, chat_id=row.chat_id, blocked_at=None).update(blocked_at=now())
        return await OutboxMessage.filter(platform=row.platform, chat_id=row.chat_id,
                                          status=OutboxStatus.PENDING).update(
            status=OutboxStatus.DEAD, last_error=error[:2000])


# -- rate limits ---------------------------------------------------------------------------------
class SlidingWindow:
    """At most `limit` events in any `period` seconds: how Telegram counts (so a group may take its
    20 messages at once, then waits for the oldest to leave the minute)."""

    def __init__(self, limit: int, period: float):
        self.limit, self.period = limit, period
        self.times: deque[float] = deque()

    def wait(self, at: float) -> float:
        """Seconds until one more event fits (0: now)."""
        while self.times and self.times[0] <= at - self.period:
            self.times.popleft()
        return 0.0 if len(self.times) < self.limit else self.times[len(self.times) - self.limit] + self.period - at

    def record(self, at: float) -> None:
        self.times.append(at)


class Limits:
    """The Bot API broadcast limits: one window per bot overall and one per chat, each a little
    longer than documented (MARGIN), since the server times arrivals, which jitter. A limit of 0
    switches it off (tests). Each chat is sent to by one task at a time (the sender's chat worker);
    the overall window is shared, behind a fair lock so waiting chats take turns."""

    def __init__(self, global_per_second: float, private_interval_seconds: float, group_per_minute: float):
        self._overall_spec = (int(global_per_second), 1 / MARGIN) if global_per_second else None
        self._private_spec = (1, private_interval_seconds / MARGIN) if private_interval_seconds else None
        self._group_spec = (int(group_per_minute), 60 / MARGIN) if group_per_minute else None
        self._overall: dict[str, SlidingWindow | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._chats: dict[tuple[str, int], SlidingWindow | None] = {}

    @classmethod
    def from_settings(cls, outbox_settings) -> "Limits":
        return cls(outbox_settings.global_per_second, outbox_settings.private_interval_seconds,
                   outbox_settings.group_per_minute)

    async def acquire(self, platform: str, chat_id: int, is_group: bool) -> None:
        """Wait until one more message may go to this chat, and count it."""
        clock = time.monotonic
        key = (platform, chat_id)
        if key not in self._chats:
            if len(self._chats) > 10_000:  # forget chats whose windows are empty
                self._chats = {k: w for k, w in self._chats.items() if w is not None and w.wait(clock()) > 0}
            spec = self._group_spec if is_group else self._private_spec
            self._chats[key] = SlidingWindow(*spec) if spec else None
        chat = self._chats[key]
        if chat is not None and (delay := chat.wait(clock())) > 0:
            await asyncio.sleep(delay)
        if platform not in self._overall:
            self._overall[platform] = SlidingWindow(*self._overall_spec) if self._overall_spec else None
            self._locks[platform] = asyncio.Lock()
        overall = self._overall[platform]
        async with self._locks[platform]:
            if overall is not None and (delay := overall.wait(clock())) > 0:
                await asyncio.sleep(delay)
            at = clock()
            for window in (overall, chat):
                if window is not None:
                    window.record(at)

    def chat_capacity(self, is_group: bool, seconds: float) -> int:
        """How many messages one chat can take within `seconds` (at least one)."""
        spec = self._group_spec if is_group else self._private_spec
        return max(1, int(seconds / spec[1] * spec[0])) if spec else 10_000
