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
from datetime import date

from bot.services import Services
from desk import holidays, reachability, survey, workflow

log = logging.getLogger("mizban.deadlines")
INTERVAL_SECONDS = 15 * 60


async def check_deadlines(services: Services, today: date | None = None) -> int:
    """Announce what is due now, once; returns the announcements queued."""
    return await workflow.announce_due(today or services.clock.today(), services.calendar)


async def check_calendar(services: Services, today: date | None = None) -> int:
    """Warn the admins (once a day) when the coming days' holidays are not known; returns the warnings queued."""
    return await holidays.warn_if_uncovered(services.settings, services.calendar, today or services.clock.today())


async def run_deadline_checks(services: Services) -> None:
    """Check every quarter of an hour, forever (the flags make repeated checks harmless)."""
    while True:
        try:
            if count := await check_deadlines(services):
                log.info("announced %s due or overdue requests", count)
            if count := await survey.send_reminders(services.settings):
                log.info("queued %s survey reminders", count)
            if count := await reachability.remind_lost_groups(services.settings):
                log.info("reminded overseers of %s units without a working group", count)
            if count := await check_calendar(services):
                log.warning("the holiday calendar does not cover the coming days: %s admins warned", count)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("deadline check failed; trying again later")
        await asyncio.sleep(INTERVAL_SECONDS)
