"""A process's heartbeat in Redis: a key that expires `ttl` seconds after its last beat, renewed every
`every` seconds while the process runs. Another process that finds the key gone takes the first one
for killed: web processes' chat turns (bot/delivery/turns.py) and outbox senders' leases
(bot/delivery/outbox_sender.py) lapse by it within seconds instead of waiting out their own expiry."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, redis, prefix: str, *, ttl: float, every: float, owner: str | None = None) -> None:
        self.redis, self.prefix, self.ttl, self.every = redis, prefix, ttl, every
        self.owner = owner or os.urandom(4).hex()  # this process, as its turns and leases name it
        self._task: asyncio.Task | None = None
        self._first = asyncio.Event()

    @property
    def beating(self) -> bool:
        return self._first.is_set()

    def key(self, owner: str) -> str:
        return self.prefix + owner

    async def start(self, also: Callable[[], Awaitable[None]] | None = None) -> None:
        """Beat now and then every `every` seconds, each beat followed by `also`; returns after the
        first (so nothing this process does names it before its key exists). Calling it again, or
        while it starts, only waits for that first beat. A failure is logged: the key then runs out."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(also), name=f"heartbeat {self.prefix}")
        await self._first.wait()

    async def _run(self, also: Callable[[], Awaitable[None]] | None) -> None:
        while True:
            try:
                await self.redis.set(self.key(self.owner), 1, ex=int(self.ttl))
                if also is not None:
                    await also()
            except Exception:
                log.exception("heartbeat %s failed", self.prefix)
            self._first.set()
            await asyncio.sleep(self.every)

    async def gone(self, owners: Iterable[str]) -> list[str]:
        """Those of `owners` (other processes) whose heartbeat ran out."""
        owners = [o for o in owners if o != self.owner]
        if not owners:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for o in owners:
                pipe.exists(self.key(o))
            flags = await pipe.execute()
        return [o for o, flag in zip(owners, flags) if not flag]

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
