"""Periodic checks of the worker: promised dates (requests one working day before theirs, and
overdue ones, are announced once each in their unit's group: desk/workflow.announce_due), the
one survey reminder (desk/survey.send_reminders), the daily reminder to admins and supervisors of
each unit whose group the bot cannot post in (desk/reachability.remind_lost_groups) and the holiday
calendar's coverage (admins are warned once a day while the next 60 days' holidays are not known:
desk/holidays). The outbox
delivers what they queue."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.config import Settings
from desk import holidays, reachability, survey, workflow
from desk.calendar import WorkCalendar

log = logging.getLogger("mizban.deadlines")
INTERVAL_SECONDS = 15 * 60


def calendar_of(settings: Settings) -> WorkCalendar:
    return settings.calendar.work_calendar()


def _today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.calendar.timezone)).date()


async def check_deadlines(settings: Settings, today: date | None = None) -> int:
    """Announce what is due now, once; returns the announcements queued."""
    return await workflow.announce_due(today or _today(settings), calendar_of(settings))


async def check_calendar(settings: Settings, today: date | None = None) -> int:
    """Warn the admins (once a day) when the coming days' holidays are not known; returns the warnings queued."""
    return await holidays.warn_if_uncovered(settings, calendar_of(settings), today or _today(settings))


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
            if count := await check_calendar(settings):
                log.warning("the holiday calendar does not cover the coming days: %s admins warned", count)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("deadline check failed; trying again later")
        await asyncio.sleep(INTERVAL_SECONDS)
