"""Periodic checks of the worker: promised dates (requests one working day before theirs, and
overdue ones, are announced once each in their unit's group: desk/workflow.announce_due) and the
one survey reminder (desk/survey.send_reminders), and the daily reminder to admins and supervisors of
each unit whose group the bot cannot post in (desk/reachability.remind_lost_groups). The outbox
delivers what they queue."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from desk import reachability, survey, workflow
from desk.calendar import WorkCalendar, parse_holidays

log = logging.getLogger("mizban.deadlines")
INTERVAL_SECONDS = 15 * 60


def calendar_of(settings: Settings) -> WorkCalendar:
    return WorkCalendar(weekend=set(settings.calendar.weekend), holidays=parse_holidays(settings.calendar.holidays))


async def check_deadlines(settings: Settings, today: date | None = None) -> int:
    """Announce what is due now, once; returns the announcements queued."""
    today = today or datetime.now(ZoneInfo(settings.calendar.timezone)).date()
    return await workflow.announce_due(today, calendar_of(settings))


async def run_deadline_checks(settings: Settings) -> None:
    """Check every quarter of an hour, forever (the flags make repeated checks harmless)."""
    while True:
        try:
            if count := await check_deadlines(settings):
                log.info("announced %s due or overdue requests", count)
            if count := await survey.send_reminders(settings):
                log.info("queued %s survey reminders", count)
            if count := await reachability.remind_lost_groups(settings):
                log.info("reminded overseers of %s units without a working group", count)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("deadline check failed; trying again later")
        await asyncio.sleep(INTERVAL_SECONDS)
