"""Telegram's sending limits, kept by the outbox sender: about 30 messages a second per bot, one a
second per private chat and 20 a minute per group. `Limits` keeps them in one process; `RedisLimits`
shares them between the senders of a deployment."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable

import redis.asyncio
from redis.exceptions import RedisError

# Run a little under the documented limits: the server measures arrival times, which jitter.
MARGIN = 0.95


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
    the overall window is shared, behind a fair lock so waiting chats take turns.

    These windows live in this process: right for one sender. Several senders share RedisLimits."""

    def __init__(
        self,
        global_per_second: float,
        private_interval_seconds: float,
        group_per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ):
        self._clock, self._sleep = clock, sleep  # injectable: tests run the windows on a clock of their own
        self._overall_spec = (int(global_per_second), 1 / MARGIN) if global_per_second else None
        self._private_spec = (1, private_interval_seconds / MARGIN) if private_interval_seconds else None
        self._group_spec = (int(group_per_minute), 60 / MARGIN) if group_per_minute else None
        self._overall: dict[str, SlidingWindow | None] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._chats: dict[tuple[str, int], SlidingWindow | None] = {}

    @classmethod
    def from_settings(cls, outbox_settings, **kw) -> Limits:
        """The limits in bot.toml's [outbox]; `kw`: the clock and sleep (benches, tests)."""
        return cls(
            outbox_settings.global_per_second,
            outbox_settings.private_interval_seconds,
            outbox_settings.group_per_minute,
            **kw,
        )

    async def acquire(self, bot: str, chat_id: int, is_group: bool) -> None:
        """Wait until one more message may go from this bot (a name for it: platform and id) to
        this chat, and count it."""
        clock = self._clock
        key = (bot, chat_id)
        if key not in self._chats:
            if len(self._chats) > 10_000:  # forget chats whose windows are empty
                self._chats = {k: w for k, w in self._chats.items() if w is not None and w.wait(clock()) > 0}
            spec = self._group_spec if is_group else self._private_spec
            self._chats[key] = SlidingWindow(*spec) if spec else None
        chat = self._chats[key]
        if chat is not None and (delay := chat.wait(clock())) > 0:
            await self._sleep(delay)
        if bot not in self._overall:
            self._overall[bot] = SlidingWindow(*self._overall_spec) if self._overall_spec else None
            self._locks[bot] = asyncio.Lock()
        overall = self._overall[bot]
        async with self._locks[bot]:
            if overall is not None and (delay := overall.wait(clock())) > 0:
                await self._sleep(delay)
            at = clock()
            for window in (overall, chat):
                if window is not None:
                    window.record(at)

    def chat_capacity(self, is_group: bool, seconds: float) -> int:
        """How many messages one chat can take within `seconds` (at least one)."""
        spec = self._group_spec if is_group else self._private_spec
        return max(1, int(seconds / spec[1] * spec[0])) if spec else 10_000

    async def close(self) -> None:
        """Let go of what the limiter holds (nothing in process)."""


class LimiterUnavailable(Exception):
    """The shared limiter cannot be asked (Redis is down): send nothing, try again shortly."""


# Both windows of one message, checked and recorded in one step on the Redis server's clock (so
# senders on several machines agree). Sorted sets of send times; returns the milliseconds to wait
# for {overall, chat}, and records the message only when both are 0. A limit of 0 is off.
ACQUIRE_LUA = """
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local wait = {0, 0}
for i = 1, 2 do
  local limit, period = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  if limit > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - period)
    local n = redis.call('ZCARD', KEYS[i])
    if n >= limit then
      local oldest = redis.call('ZRANGE', KEYS[i], n - limit, n - limit, 'WITHSCORES')
      wait[i] = math.max(1, math.ceil((tonumber(oldest[2]) + period - now) * 1000))
    end
  end
end
if wait[1] == 0 and wait[2] == 0 then
  for i = 1, 2 do
    if tonumber(ARGV[2 * i - 1]) > 0 then
      redis.call('ZADD', KEYS[i], now, ARGV[5])
      redis.call('PEXPIRE', KEYS[i], math.ceil(tonumber(ARGV[2 * i]) * 1000) + 1000)
    end
  end
end
return wait
"""


class RedisLimits(Limits):
    """The same limits shared by every sender of a deployment through Redis (`redis` is a
    redis.asyncio client), keyed by bot and chat: N senders together stay within one bot's rate.

    Hand-written because the Redis limiters on PyPI count whole-second windows (no room for the
    margin) and check one limit per call, while a message needs its bot's and its chat's window
    at once. Within a process the overall window is still taken in turns (a fair lock), so only
    one task per sender polls Redis while the bot is at its rate."""

    def __init__(
        self,
        redis,
        global_per_second: float,
        private_interval_seconds: float,
        group_per_minute: float,
        *,
        prefix: str = "mizban:send:",
    ):
        super().__init__(global_per_second, private_interval_seconds, group_per_minute)
        self.redis, self.prefix = redis, prefix
        self._script = redis.register_script(ACQUIRE_LUA)

    @classmethod
    def from_url(cls, url: str, outbox_settings, **kw) -> RedisLimits:
        return cls(
            redis.asyncio.Redis.from_url(url),
            outbox_settings.global_per_second,
            outbox_settings.private_interval_seconds,
            outbox_settings.group_per_minute,
            **kw,
        )

    async def acquire(self, bot: str, chat_id: int, is_group: bool) -> None:
        """Wait until one more message may go from this bot to this chat, and count it."""
        chat_spec = self._group_spec if is_group else self._private_spec
        keys = [f"{self.prefix}{bot}", f"{self.prefix}{bot}:{chat_id}"]
        args = [*(self._overall_spec or (0, 0)), *(chat_spec or (0, 0)), secrets.token_hex(8)]
        turn = self._locks.setdefault(bot, asyncio.Lock())
        while True:
            async with turn:
                while True:
                    try:
                        overall_ms, chat_ms = await self._script(keys=keys, args=args)
                    except (RedisError, OSError) as e:
                        raise LimiterUnavailable(str(e) or type(e).__name__) from e
                    if chat_ms or not overall_ms:
                        break
                    await asyncio.sleep(overall_ms / 1000)  # the bot is at its rate: wait in turn
            if not chat_ms:
                return
            await asyncio.sleep(chat_ms / 1000)  # this chat is at its rate: let other chats go

    async def close(self) -> None:
        await self.redis.aclose()
