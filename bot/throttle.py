"""Per-citizen rate limits: messages and button presses in private chats, tracking look-ups.

Counted with the `limits` library in fixed windows: in Redis when configured (every process counts
together), else in this process's memory. A message over the rate is answered once per window with
a polite "please wait N seconds" and then dropped until the window ends (the person was told); a
button press over the rate gets the same words as its answer."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter


class Throttle:
    def __init__(self, settings):
        if settings.redis.url:
            storage = RedisStorage(f"async+{settings.redis.url}", implementation="redispy", key_prefix="mizban-limits")
        else:
            storage = MemoryStorage()
        self.limiter = FixedWindowRateLimiter(storage)
        self.rates: dict[str, RateLimitItem] = {
            "messages": parse(settings.limits.messages),
            "tracking": parse(settings.limits.tracking),
        }

    async def allow(self, name: str, *who: Any) -> bool:
        """Count one more and say whether it is within the rate."""
        return await self.limiter.hit(self.rates[name], name, *map(str, who))

    async def first_refusal(self, name: str, *who: Any) -> bool:
        """Whether this is the first refusal of the current window (the one that is answered)."""
        rate = self.rates[name]
        once = type(rate)(1, rate.multiples, namespace="NOTICE")
        return await self.limiter.hit(once, name, *map(str, who))

    async def wait_seconds(self, name: str, *who: Any) -> int:
        stats = await self.limiter.get_window_stats(self.rates[name], name, *map(str, who))
        return max(1, math.ceil(stats.reset_time - time.time()))


async def refused(throttle: Throttle, name: str, message: Message, l10n, *who: Any) -> bool:
    """For a handler: True (and, the first time in the window, a polite wait) when over the rate."""
    if await throttle.allow(name, *who):
        return False
    if await throttle.first_refusal(name, *who):
        await message.answer(l10n(f"limit-{name}", seconds=await throttle.wait_seconds(name, *who)))
    return True


class CitizenRate(BaseMiddleware):
    """Messages and button presses in a private chat: at most `limits.messages` per person (counted by
    the services' throttle)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = data.get("event_chat")
        user = data.get("event_from_user")
        if chat is None or chat.type != "private" or user is None:
            return await handler(event, data)
        who = (data.get("platform", "telegram"), user.id)
        throttle: Throttle = data["services"].throttle
        if await throttle.allow("messages", *who):
            return await handler(event, data)
        l10n = data["l10n"]
        seconds = await throttle.wait_seconds("messages", *who)
        if isinstance(event, CallbackQuery):
            await event.answer(l10n.button("limit-messages", seconds=seconds))
        elif isinstance(event, Message) and await throttle.first_refusal("messages", *who):
            await event.answer(l10n("limit-messages", seconds=seconds))
        return None
