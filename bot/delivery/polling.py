"""Long polling at a bounded rate.

The Bot API answers getUpdates as soon as one update waits, and aiogram polls again as soon as an
answer is in. A bot that is busy with the updates it has (waiting on its database, say) then fetches
the next ones one poll per update, and a poll costs about as much as handling an update
(bench/citizen_bench.py counts them). Polling at most every `interval` seconds makes each poll
bring what arrived meanwhile; an update waits at most `interval` longer (20 ms: nothing a person
notices beside a messenger's own round trip)."""

from __future__ import annotations

import asyncio
import time

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.methods import GetUpdates


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
