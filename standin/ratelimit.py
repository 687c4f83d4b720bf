"""Telegram's broadcast limits as sliding windows: 30 msg/s per bot, 1 msg/s per private chat, 20 msg/min per group."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable

GLOBAL = (30, 1.0)
PRIVATE_CHAT = (1, 1.0)
GROUP_CHAT = (20, 60.0)


class RateLimiter:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._sent: dict[Hashable, deque[float]] = {}

    def _windows(self, token: str, chat_id: int, group: bool) -> list[tuple[Hashable, int, float]]:
        per_chat = GROUP_CHAT if group else PRIVATE_CHAT
        return [(token, *GLOBAL), ((token, chat_id), *per_chat)]

    def retry_after(self, token: str, chat_id: int, group: bool) -> int | None:
        """Whole seconds to wait before this bot may send to this chat again, or None if it may send now."""
        now = self.clock()
        wait = 0.0
        for key, limit, period in self._windows(token, chat_id, group):
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - period:
                sent.popleft()
            if len(sent) >= limit:
                wait = max(wait, sent[len(sent) - limit] + period - now)
        return max(1, math.ceil(wait)) if wait > 0 else None

    def record(self, token: str, chat_id: int, group: bool) -> None:
        now = self.clock()
        for key, _, _ in self._windows(token, chat_id, group):
            self._sent.setdefault(key, deque()).append(now)
