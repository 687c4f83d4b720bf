"""One chat's turn in Redis: the event isolation lock, the FSM state and the duplicate check in one
round trip, the release and the duplicate record in another.

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

The update comes from the webhook's Delivery (bot/delivery/dedupe.py), found through a context variable; an
update fed another way (polling, tests) takes the turn without the duplicate check. A turn's lock
expires after 60 s, as aiogram's does, so a crashed process holds a chat up no longer than that.
All keys of one turn must live on one Redis server (a Redis Cluster would need them in one hash
slot)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage

from bot.delivery.dedupe import CURRENT_DELIVERY, KEEP, RedisRecord
from bot.delivery.fsm_storage import OneWrite

log = logging.getLogger(__name__)
TURN_SECONDS = 60
WAIT_SECONDS = 0.02  # between tries while the chat's previous update is being handled

TAKE = """
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local processed = 0
  if KEYS[3] then processed = redis.call('exists', KEYS[3]) end
  return {1, redis.call('get', KEYS[2]) or false, processed}
end
return {0}
"""

END = """
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
if KEYS[2] then redis.call('set', KEYS[2], '1', 'EX', ARGV[2]) end
return 1
"""


class TurnStorage(OneWrite, RedisStorage):
    """aiogram's RedisStorage whose first get_state of a key in a turn is the state the turn fetched,
    and whose state and data of a turn are written in one MULTI (bot/delivery/fsm_storage.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fetched: dict[str, str | None] = {}  # state key -> state, while its turn has not read it

    async def get_state(self, key: StorageKey) -> str | None:
        redis_key = self.key_builder.build(key, "state")
        if redis_key in self.fetched:
            return self.fetched.pop(redis_key)
        return await super().get_state(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        self.fetched.pop(self.key_builder.build(key, "state"), None)
        await super().set_state(key, state)

    async def write(self, key: StorageKey, changes: dict) -> None:
        state_key, data_key = self.key_builder.build(key, "state"), self.key_builder.build(key, "data")
        async with self.redis.pipeline(transaction=True) as multi:
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
            await multi.execute()


class RedisTurns(BaseEventIsolation):
    def __init__(self, storage: TurnStorage, record: RedisRecord):
        self.storage, self.redis, self.record = storage, storage.redis, record
        self.key_builder: KeyBuilder = storage.key_builder
        self._take = self.redis.register_script(TAKE)
        self._end = self.redis.register_script(END)
        self._tokens = (f"{os.getpid()}-{os.urandom(4).hex()}-{n}" for n in itertools.count())

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock_key, state_key = self.key_builder.build(key, "lock"), self.key_builder.build(key, "state")
        delivery = CURRENT_DELIVERY.get()
        record_key = self.record.key(delivery.bot_id, delivery.update_id) if delivery else None
        token = next(self._tokens)
        keys = [lock_key, state_key] + ([record_key] if record_key else [])
        while True:
            taken = await self._take(keys=keys, args=[token, TURN_SECONDS * 1000])
            if taken[0]:
                break
            await asyncio.sleep(WAIT_SECONDS)
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
                    keys=[lock_key] + ([record_key] if handled and record_key else []),
                    args=[token, int(KEEP.total_seconds())],
                )
            except Exception:
                log.exception("ending the turn of %s failed; its lock expires in %d s", lock_key, TURN_SECONDS)

    async def close(self) -> None:
        pass
