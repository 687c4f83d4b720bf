"""Telegram's sending limits, kept by the outbox sender: about 30 messages a second per bot, one a
second per private chat and 20 a minute per group. `Limits` keeps them in one process; `RedisLimits`
shares them between the senders of a deployment.

The server counts a message when it arrives, a moment the sender never sees: it only knows that it
lies between the call's start and its answer. So a send holds its place in each window from its
start (in flight) and is dated by its answer (the latest it can have arrived), and the next send
goes when the window, counted so, has room. The windows then never open before the server's do,
whatever the latency and its jitter, at the cost of one round trip per turn of a window (1% of the
rate at 10 ms). Dating a send by its start instead needs a margin as wide as the jitter, and a busy
process delays a call by tens of milliseconds: a 5% margin still drew 429s."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import redis.asyncio
from redis.exceptions import RedisError

log = logging.getLogger("mizban.outbox")


class SlidingWindow:
    """At most `limit` sends in any `period` seconds: how Telegram counts (so a group may take its
    20 messages at once, then waits for the oldest to leave the minute). A send counts from its
    `start`; `answered` dates it."""

    def __init__(self, limit: int, period: float):
        self.limit, self.period = limit, period
        self.times: deque[float] = deque()  # answered sends, oldest first
        self.in_flight = 0
        self._answer = asyncio.Event()

    def wait(self, at: float) -> float | None:
        """Seconds until one more send fits (0: now), or None: not before a send in flight is answered."""
        while self.times and self.times[0] <= at - self.period:
            self.times.popleft()
        over = len(self.times) + self.in_flight - self.limit  # how many must leave, less one
        if over < 0:
            return 0.0
        if over >= len(self.times):
            return None
        return max(0.0, self.times[over] + self.period - at)

    def start(self) -> None:
        self.in_flight += 1

    def answered(self, at: float) -> None:
        """A send in flight was answered (or failed) at `at`: it counts as arrived then."""
        self.in_flight -= 1
        self.times.append(at)
        self._answer.set()
        self._answer = asyncio.Event()

    async def next_answer(self) -> None:
        await self._answer.wait()

    def idle(self, at: float) -> bool:
        """Nothing in flight and nothing counted any more: the window may be forgotten."""
        self.wait(at)
        return not self.times and not self.in_flight


class Turns:
    """Who takes the bot's overall window next: the waiting send with the most messages behind it in
    its chat, the first come among equals. A chat's own limit spaces its messages (a second apart,
    20 a minute in a group), so a chat with many waiting should start early: served in arrival order,
    its last message would come seconds after everyone else's. (asyncio's locks serve waiters in
    arrival order only.)"""

    def __init__(self) -> None:
        self._held = False
        self._waiting: list[tuple[int, int, asyncio.Future]] = []
        self._arrivals = itertools.count()

    @asynccontextmanager
    async def turn(self, behind: int = 0) -> AsyncIterator[None]:
        if self._held:
            waiter = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (-behind, next(self._arrivals), waiter))
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():  # the turn was handed over: pass it on
                    self._next()
                raise
        self._held = True
        try:
            yield
        finally:
            self._next()

    def _next(self) -> None:
        while self._waiting:
            _, _, waiter = heapq.heappop(self._waiting)
            if not waiter.done():
                waiter.set_result(None)  # the turn passes straight to it
                return
        self._held = False


class Limits:
    """The Bot API broadcast limits: one window per bot overall and one per chat. A limit of 0
    switches it off (tests). Each chat is sent to by one task at a time (the sender's chat worker);
    the overall window is shared, taken in turns (Turns).

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
        self._overall_spec = (int(global_per_second), 1.0) if global_per_second else None
        self._private_spec = (1, float(private_interval_seconds)) if private_interval_seconds else None
        self._group_spec = (int(group_per_minute), 60.0) if group_per_minute else None
        self._overall: dict[str, SlidingWindow | None] = {}
        self._turns: dict[str, Turns] = {}
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

    @asynccontextmanager
    async def sending(self, bot: str, chat_id: int, is_group: bool, behind: int = 0) -> AsyncIterator[None]:
        """Wait until one more message may go from this bot (a name for it: platform and id) to
        this chat (`behind`: how many more wait for it there); the block sends it. It counts from the
        block's start, dated when the block ends (answered, or failed: a failed call may have arrived
        too)."""
        taken = await self._take(bot, chat_id, is_group, behind)
        try:
            yield
        finally:
            at = self._clock()
            for window in taken:
                window.answered(at)

    async def _take(self, bot: str, chat_id: int, is_group: bool, behind: int) -> list[SlidingWindow]:
        key = (bot, chat_id)
        if key not in self._chats:
            if len(self._chats) > 10_000:  # forget chats whose windows are empty
                at = self._clock()
                self._chats = {k: w for k, w in self._chats.items() if w is not None and not w.idle(at)}
            spec = self._group_spec if is_group else self._private_spec
            self._chats[key] = SlidingWindow(*spec) if spec else None
        chat = self._chats[key]
        if bot not in self._overall:
            self._overall[bot] = SlidingWindow(*self._overall_spec) if self._overall_spec else None
            self._turns[bot] = Turns()
        overall = self._overall[bot]
        while True:
            await self._room(chat)
            async with self._turns[bot].turn(behind):
                await self._room(overall)
                if chat is None or chat.wait(self._clock()) == 0:
                    taken = [window for window in (overall, chat) if window is not None]
                    for window in taken:
                        window.start()
                    return taken

    async def _room(self, window: SlidingWindow | None) -> None:
        """Wait until the window has room for one more send."""
        while window is not None:
            delay = window.wait(self._clock())
            if delay == 0:
                return
            if delay is None:
                await window.next_answer()
            else:
                await self._sleep(delay)

    def chat_capacity(self, is_group: bool, seconds: float) -> int:
        """How many messages one chat can take within `seconds` (at least one)."""
        spec = self._group_spec if is_group else self._private_spec
        return max(1, int(seconds / spec[1] * spec[0])) if spec else 10_000

    async def close(self) -> None:
        """Let go of what the limiter holds (nothing in process)."""


class LimiterUnavailable(Exception):
    """The shared limiter cannot be asked (Redis is down): send nothing, try again shortly."""


IN_FLIGHT_SECONDS = 90  # a send not answered by then (its sender died) stops holding its place
IN_FLIGHT_POLL = 0.01  # seconds between looks at a window full of sends in flight

# Both windows of one message, checked and taken in one step on the Redis server's clock (so
# senders on several machines agree). Sorted sets of sends: an answered send scored by its answer's
# time, one in flight by the time it stops holding its place (now + ARGV[6]), later than any answer.
# Returns the milliseconds to wait for {overall, chat} (-1: until a send in flight is answered) and
# takes both places only when both are 0. A limit of 0 is off.
ACQUIRE_LUA = """
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local flight = tonumber(ARGV[6])
local wait = {0, 0}
for i = 1, 2 do
  local limit, period = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  if limit > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - period)
    local n = redis.call('ZCARD', KEYS[i])
    if n >= limit then
      local leaving = tonumber(redis.call('ZRANGE', KEYS[i], n - limit, n - limit, 'WITHSCORES')[2])
      if leaving > now then
        wait[i] = -1
      else
        wait[i] = math.max(1, math.ceil((leaving + period - now) * 1000))
      end
    end
  end
end
if wait[1] == 0 and wait[2] == 0 then
  for i = 1, 2 do
    if tonumber(ARGV[2 * i - 1]) > 0 then
      redis.call('ZADD', KEYS[i], now + flight, ARGV[5])
      redis.call('PEXPIRE', KEYS[i], math.ceil((tonumber(ARGV[2 * i]) + flight) * 1000) + 1000)
    end
  end
end
return wait
"""

# A send was answered: dated now in each of its windows (if its place is still held there).
ANSWERED_LUA = """
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1])
end
return 0
"""


def _seconds(ms: int) -> float:
    return IN_FLIGHT_POLL if ms < 0 else ms / 1000


class RedisLimits(Limits):
    """The same limits shared by every sender of a deployment through Redis (`redis` is a
    redis.asyncio client), keyed by bot and chat: N senders together stay within one bot's rate.

    Hand-written because the Redis limiters on PyPI count whole-second windows and a send when it
    starts, and check one limit per call, while a message needs its bot's and its chat's window at
    once. Within a process the overall window is still taken in turns (Turns), so only one task per
    sender polls Redis while the bot is at its rate."""

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
        self._answered = redis.register_script(ANSWERED_LUA)

    @classmethod
    def from_url(cls, url: str, outbox_settings, **kw) -> RedisLimits:
        return cls(
            redis.asyncio.Redis.from_url(url),
            outbox_settings.global_per_second,
            outbox_settings.private_interval_seconds,
            outbox_settings.group_per_minute,
            **kw,
        )

    @asynccontextmanager
    async def sending(self, bot: str, chat_id: int, is_group: bool, behind: int = 0) -> AsyncIterator[None]:
        """Wait until one more message may go from this bot to this chat; the block sends it."""
        chat_spec = self._group_spec if is_group else self._private_spec
        windows = [(f"{self.prefix}{bot}", self._overall_spec), (f"{self.prefix}{bot}:{chat_id}", chat_spec)]
        member = secrets.token_hex(8)
        args = [*(self._overall_spec or (0, 0)), *(chat_spec or (0, 0)), member, IN_FLIGHT_SECONDS]
        turns = self._turns.setdefault(bot, Turns())
        while True:
            async with turns.turn(behind):
                while True:
                    try:
                        overall_ms, chat_ms = await self._script(keys=[key for key, _ in windows], args=args)
                    except (RedisError, OSError) as e:
                        raise LimiterUnavailable(str(e) or type(e).__name__) from e
                    if chat_ms or not overall_ms:
                        break
                    await asyncio.sleep(_seconds(overall_ms))  # the bot is at its rate: wait in turn
            if not chat_ms:
                break
            await asyncio.sleep(_seconds(chat_ms))  # this chat is at its rate: let other chats go
        try:
            yield
        finally:
            try:
                await self._answered(keys=[key for key, spec in windows if spec], args=[member])
            except (RedisError, OSError) as e:  # the place stays held until IN_FLIGHT_SECONDS: safe
                log.warning("the shared limiter missed an answer: %s", e)

    async def close(self) -> None:
        await self.redis.aclose()
