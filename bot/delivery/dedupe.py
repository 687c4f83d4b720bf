"""A webhook update delivered twice is processed once; an update whose handling failed, or was cut
short by a crash, is processed when the Bot API delivers it again.

An update is recorded as processed (bot id, update id) once it has been handled, and a delivery of
an update already recorded is dropped. The check, the handling and the record happen under
aiogram's event isolation lock of the update's chat and user (in Redis, shared by every web
process, when Redis is configured), so two deliveries of one update are never handled at once: the
second waits for the first and then finds it recorded. The record is an expiring Redis key when
Redis is configured, else a ProcessedUpdate row (pruned after two days). With Redis, the check is
made as the lock is taken and the record written as it is released (bot/delivery/turns.py)."""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import Update
from tortoise.exceptions import IntegrityError

from bot.delivery.fsm_storage import pending_writes
from models import ProcessedUpdate
from models.prepared import PreparedSelect

log = logging.getLogger(__name__)
# Telegram keeps an unanswered update for 24 hours; ids are reused only after a week of silence.
KEEP = timedelta(days=2)
PRUNE_EVERY = 3600.0

RECORDED = PreparedSelect(ProcessedUpdate, only=("id",), bot_id=0, update_id=0)


class DatabaseRecord:
    """Processed update ids in the desk's database (one web process, or no Redis)."""

    async def seen(self, bot_id: int, update_id: int) -> bool:
        return bool(await RECORDED.rows(bot_id, update_id))

    async def seen_among(self, bot_id: int, update_ids: list[int]) -> set[int]:
        """Those of `update_ids` already processed (one query)."""
        if not update_ids:
            return set()
        found = await ProcessedUpdate.filter(bot_id=bot_id, update_id__in=update_ids).values_list("update_id")
        return {int(row[0]) for row in found}

    async def add(self, bot_id: int, update_id: int) -> None:
        try:
            await ProcessedUpdate.create(bot_id=bot_id, update_id=update_id)
        except IntegrityError:  # recorded meanwhile by a delivery outside any isolation lock
            pass


class RedisRecord:
    """Processed update ids as Redis keys that expire after KEEP."""

    def __init__(self, redis, prefix: str = "mizban:update"):
        self.redis, self.prefix = redis, prefix

    def key(self, bot_id: int, update_id: int) -> str:
        return f"{self.prefix}:{bot_id}:{update_id}"

    async def seen(self, bot_id: int, update_id: int) -> bool:
        return bool(await self.redis.exists(self.key(bot_id, update_id)))

    async def seen_among(self, bot_id: int, update_ids: list[int]) -> set[int]:
        """Those of `update_ids` already processed (one round trip)."""
        if not update_ids:
            return set()
        async with self.redis.pipeline(transaction=False) as pipe:
            for update_id in update_ids:
                pipe.exists(self.key(bot_id, update_id))
            flags = await pipe.execute()
        return {u for u, flag in zip(update_ids, flags) if flag}

    async def add(self, bot_id: int, update_id: int) -> None:
        await self.redis.set(self.key(bot_id, update_id), 1, ex=int(KEEP.total_seconds()))


@dataclass
class Delivery:
    """One webhook delivery, passed to the dispatcher as `delivery=` and set in CURRENT_DELIVERY
    while it is handled: tells whether it was dropped."""

    bot_id: int
    update_id: int
    seen: bool | None = None  # already processed, when the chat's turn checked it (bot/delivery/turns.py)
    handled: bool = False
    duplicate: bool = False
    arrived: float = field(default_factory=time.monotonic)  # when the delivery reached this process


CURRENT_DELIVERY: ContextVar[Delivery | None] = ContextVar("delivery", default=None)


class FirstDelivery(BaseMiddleware):
    """An outer update middleware, registered after aiogram's FSM middleware (which holds the event
    isolation lock while the update is handled): drops a delivery of an update already processed."""

    def __init__(self, record: DatabaseRecord | RedisRecord):
        self.record = record

    async def __call__(self, handler, event: Update, data: dict[str, Any]) -> Any:  # type: ignore[override]
        bot_id, delivery = data["bot"].id, data.get("delivery")
        by_turn = delivery is not None and delivery.seen is not None  # checked, and recorded, by the turn
        seen = delivery.seen if delivery is not None and by_turn else await self.record.seen(bot_id, event.update_id)
        if seen:
            if delivery:
                delivery.duplicate = True
            return UNHANDLED
        result = await handler(event, data)
        if delivery:
            delivery.handled = True
        if not by_turn and not pending_writes():  # else recorded with them, when they are written
            await self.record.add(bot_id, event.update_id)
        return result


async def prune(keep: timedelta = KEEP) -> int:
    return await ProcessedUpdate.filter(at__lt=datetime.now(UTC) - keep).delete()


async def run_pruner(every: float = PRUNE_EVERY) -> None:
    while True:
        try:
            if removed := await prune():
                log.info("pruned %d processed update ids", removed)
        except Exception:  # a database hiccup must not end the web process
            log.exception("pruning processed update ids failed")
        await asyncio.sleep(every)
