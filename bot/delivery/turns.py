"""One chat's turn in Redis: the event isolation lock, the FSM state and the duplicate check in one
round trip (two for a webhook delivery: see Order below), the release and the duplicate record in
another.

aiogram's own (RedisEventIsolation with RedisStorage) takes five round trips per update: a redis-py
Lock (SET NX, then a release script), the state GET, and the desk's duplicate check and record
(bot/delivery/dedupe.py). Each costs a web process about 60 µs of Python and Redis a read and a write;
together they were a quarter of a web process's CPU time per update (bench/webhook_bench.py). Here
two Lua scripts do the same:

- taking the turn: `SET lock NX PX`; when it is taken, the chat's state and whether this delivery's
  update was already processed come back with it. The state is handed to the storage's next
  get_state for that key (aiogram's FSM middleware reads it right after taking the lock), so the
  state is read under the lock, as aiogram's own order has it (aiogram issue 1317);
- ending it: the lock deleted if it is still ours, and the update recorded as processed when it was
  handled, in one step, so no other delivery ever sees the lock free and the record missing. If
  that fails (Redis gone for a moment), the update's own outcome stands (its webhook answer, or its
  error) and the lock expires by itself.

**Order.** A Bot API server may deliver two updates of one chat at the same moment, to two web
processes: whichever took the lock first would be handled first, and a citizen's mobile number could
be read as the name asked for before it. So a webhook delivery joins its chat's queue (a sorted set
of update ids) as it asks for the turn, and takes the turn only when it is the lowest update id
waiting and has waited ORDER_WINDOW (50 ms) since it reached this process, long enough for an
earlier update sent with it to join the queue.

**Crashes.** Each process taking turns keeps a heartbeat key (ALIVE_SECONDS, renewed every
BEAT_SECONDS); a turn's token and a queue entry name their process. A turn or an entry of a process
whose heartbeat ran out (killed) lapses at once, so its chat waits seconds for the Bot API's next
delivery of the update, not the turn's 60 s; either also lapses after 60 s whatever happens. Updates sent to the bot one after the other (the Bot API answered) are handled in
their order without the window mattering; the window costs each webhook update 50 ms of latency,
no CPU.

The update comes from the webhook's Delivery (bot/delivery/dedupe.py), found through a context variable; an
update fed another way (polling, tests) takes the turn without the duplicate check. A turn's lock
expires after 60 s, as aiogram's does, so a crashed process holds a chat up no longer than that.
All keys of one turn must live on one Redis server (a Redis Cluster would need them in one hash
slot)."""

from __future__ import annotations

import asyncio
import bisect
import itertools
import logging
import time
from collections import defaultdict
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.delivery.dedupe import CURRENT_DELIVERY, KEEP, RedisRecord
from bot.delivery.fsm_storage import OneWrite
from bot.delivery.heartbeat import Heartbeat

log = logging.getLogger(__name__)
TURN_SECONDS = 60
WAIT_SECONDS = 0.02  # between tries while the chat's previous update is being handled
# Each process keeps a heartbeat key while it takes turns; a turn (or a queue entry) of a process whose
# heartbeat ran out (killed) lapses then, not after TURN_SECONDS.
ALIVE_SECONDS = 10
BEAT_SECONDS = 2.0
ALIVE_PREFIX = "mizban:alive:"
# A webhook delivery waits this long after its arrival for an earlier update of its chat that the
# Bot API sent at the same moment to another process (bot/delivery/turns.py's docstring).
ORDER_WINDOW = 0.05

TAKE = """
local uid, me, alive = ARGV[3], ARGV[7], ARGV[6]
local owners = KEYS[4] .. ':owners'  -- uid -> the process that queued it (beside the times, as before)
local function gone(owner)  -- a process whose heartbeat ran out (killed): its turns and entries lapse
  return owner and owner ~= '' and owner ~= me and redis.call('exists', alive .. owner) == 0
end
if uid ~= '' then
  local t = redis.call('time')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local stale = tonumber(ARGV[5])
  local since = redis.call('hget', KEYS[4], uid)
  if since and gone(redis.call('hget', owners, uid)) then since = nil end
  if not since then
    since = now
    redis.call('zadd', KEYS[3], uid, uid)
    redis.call('hset', KEYS[4], uid, now)
    redis.call('hset', owners, uid, me)
  end
  redis.call('pexpire', KEYS[3], stale)
  redis.call('pexpire', KEYS[4], stale)
  redis.call('pexpire', owners, stale)
  while true do
    local first = redis.call('zrange', KEYS[3], 0, 0)[1]
    if first == nil or first == uid then break end
    local at = tonumber(redis.call('hget', KEYS[4], first) or '0')
    if now - at <= stale and not gone(redis.call('hget', owners, first)) then return {0} end
    redis.call('zrem', KEYS[3], first)
    redis.call('hdel', KEYS[4], first)
    redis.call('hdel', owners, first)
  end
  local early = tonumber(ARGV[4]) - (now - tonumber(since))
  if early > 0 then return {0, early} end
end
local taken = redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
if not taken then
  local holder = redis.call('get', KEYS[1])
  if holder and gone(string.match(holder, '^o:(%x+):')) then
    taken = redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  end
end
if taken then
  local processed = 0
  if KEYS[5] then processed = redis.call('exists', KEYS[5]) end
  return {1, redis.call('get', KEYS[2]) or false, processed}
end
return {0}
"""

END = """
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
if ARGV[3] ~= '' then
  redis.call('zrem', KEYS[2], ARGV[3])
  redis.call('hdel', KEYS[3], ARGV[3])
  redis.call('hdel', KEYS[3] .. ':owners', ARGV[3])
end
if KEYS[4] then redis.call('set', KEYS[4], '1', 'EX', ARGV[2]) end
return 1
"""


class TurnStorage(OneWrite, RedisStorage):
    """aiogram's RedisStorage whose first get_state of a key in a turn is the state the turn fetched,
    and whose state and data of a turn are written in one MULTI (bot/delivery/fsm_storage.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fetched: dict[str, str | None] = {}  # state key -> state, while its turn has not read it
        self.record = RedisRecord(self.redis)  # processed updates, written with a turn's state and data

    async def get_state(self, key: StorageKey) -> str | None:
        redis_key = self.key_builder.build(key, "state")
        if redis_key in self.fetched:
            return self.fetched.pop(redis_key)
        return await super().get_state(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        self.fetched.pop(self.key_builder.build(key, "state"), None)
        await super().set_state(key, state)

    async def write(self, key: StorageKey, changes: dict) -> None:
        await self.write_all({key: changes}, None)

    async def write_all(self, writes: dict[StorageKey, dict], processed: tuple[int, int] | None) -> None:
        """Every key's changes and the update's processed record, in one MULTI."""
        async with self.redis.pipeline(transaction=True) as multi:
            for key, changes in writes.items():
                state_key, data_key = self.key_builder.build(key, "state"), self.key_builder.build(key, "data")
                if "state" in changes:
                    if changes["state"] is None:
                        multi.delete(state_key)
                    else:
                        multi.set(state_key, changes["state"], ex=self.state_ttl)
                if "data" in changes:
                    if changes["data"]:
                        multi.set(data_key, self.json_dumps(changes["data"]), ex=self.data_ttl)
                    else:
                        multi.delete(data_key)
            if processed:
                multi.set(self.record.key(*processed), 1, ex=int(KEEP.total_seconds()))
            await multi.execute()


class RedisTurns(BaseEventIsolation):
    def __init__(self, storage: TurnStorage, record: RedisRecord | None = None):
        self.storage, self.redis, self.record = storage, storage.redis, record or storage.record
        self.key_builder: KeyBuilder = storage.key_builder
        self._take = self.redis.register_script(TAKE)
        self._end = self.redis.register_script(END)
        self.order_window = ORDER_WINDOW
        # this process, named in its turns' tokens and its queue entries (a client of its own for it)
        self.heartbeat = Heartbeat(
            Redis(connection_pool=self.redis.connection_pool), ALIVE_PREFIX, ttl=ALIVE_SECONDS, every=BEAT_SECONDS
        )
        self.owner = self.heartbeat.owner
        self._tokens = (f"o:{self.owner}:{n}" for n in itertools.count())

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock_key, state_key = self.key_builder.build(key, "lock"), self.key_builder.build(key, "state")
        queue_key, since_key = f"{lock_key}:queue", f"{lock_key}:queued"
        delivery = CURRENT_DELIVERY.get()
        record_key = self.record.key(delivery.bot_id, delivery.update_id) if delivery else None
        update_id = str(delivery.update_id) if delivery else ""
        token = next(self._tokens)
        if not self.heartbeat.beating:
            await self.heartbeat.start()  # before the first turn names this process
        keys = [lock_key, state_key, queue_key, since_key] + ([record_key] if record_key else [])
        while True:
            # the order window counts from the delivery's arrival in this process
            window = max(0, self.order_window - (time.monotonic() - delivery.arrived)) if delivery else 0
            taken = await self._take(
                keys=keys,
                args=[
                    token,
                    TURN_SECONDS * 1000,
                    update_id,
                    int(window * 1000),
                    TURN_SECONDS * 1000,
                    ALIVE_PREFIX,
                    self.owner,
                ],
            )
            if taken[0]:
                break
            await asyncio.sleep(int(taken[1]) / 1000 if len(taken) > 1 else WAIT_SECONDS)
        state = taken[1].decode() if isinstance(taken[1], bytes) else taken[1]
        self.storage.fetched[state_key] = state
        if delivery:
            delivery.seen = bool(taken[2])
        try:
            yield None
        finally:
            self.storage.fetched.pop(state_key, None)
            handled = delivery is not None and delivery.handled and not delivery.seen
            try:
                await self._end(
                    keys=[lock_key, queue_key, since_key] + ([record_key] if handled and record_key else []),
                    args=[token, int(KEEP.total_seconds()), update_id],
                )
            except Exception:
                log.exception("ending the turn of %s failed; its lock expires in %d s", lock_key, TURN_SECONDS)

    async def close(self) -> None:
        await self.heartbeat.stop()


class LocalTurns(BaseEventIsolation):
    """One process's turns, when there is no Redis: aiogram's lock per chat (SimpleEventIsolation),
    and a webhook delivery's order kept as RedisTurns keeps it (the lowest update id waiting goes
    first, after the order window)."""

    def __init__(self) -> None:
        self.locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.queues: dict[str, list[int]] = {}
        self.order_window = ORDER_WINDOW

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        name = f"{key.bot_id}:{key.chat_id}:{key.thread_id}:{key.user_id}:{key.destiny}"
        delivery = CURRENT_DELIVERY.get()
        queue = self.queues.setdefault(name, []) if delivery else None
        if delivery and queue is not None:
            bisect.insort(queue, delivery.update_id)
        try:
            while delivery and queue is not None:
                early = self.order_window - (time.monotonic() - delivery.arrived)
                if queue[0] == delivery.update_id and early <= 0:
                    break
                await asyncio.sleep(early if queue[0] == delivery.update_id else WAIT_SECONDS)
            async with self.locks[name]:
                yield None
        finally:
            if delivery and queue is not None:
                queue.remove(delivery.update_id)
                if not queue:
                    self.queues.pop(name, None)

    async def close(self) -> None:
        self.locks.clear()
