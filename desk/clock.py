"""The desk's clock: now and today in the desk's time zone (promised dates and reports count local
days). One is built at start-up (bot/services.py); a test or a script may pass a fixed `now`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Clock:
    def __init__(self, timezone: str, now: Callable[[], datetime] = _utc_now):
        self.tz = ZoneInfo(timezone)
        self._now = now

    def now(self) -> datetime:
        """The current moment, aware, in the desk's time zone."""
        return self._now().astimezone(self.tz)

    def today(self) -> date:
        """Today's date in the desk's time zone."""
        return self.now().date()
