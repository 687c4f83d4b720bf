"""Periodic checks of the worker: promised dates (requests one working day before theirs, and
overdue ones, are announced once each in their unit's group: desk/workflow.announce_due), the
one survey reminder (desk/survey.send_reminders), the daily reminder to admins and supervisors of
each unit whose group the bot cannot post in (desk/reachability.remind_lost_groups) and the holiday
calendar's coverage (admins are warned once a day while the next 60 days' holidays are not known:
desk/holidays), and once a day the retention periods (desk/retention.py). The outbox delivers
what they queue."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

from bot.config import Settings
from bot.services import Services
from desk import holidays, reachability, retention, survey, workflow
from desk.documents import DocumentStore

log = logging.getLogger("mizban.deadlines")
INTERVAL_SECONDS = 15 * 60
RETENTION_EVERY = 24 * 60 * 60
FIRST_CHECK_AFTER = 10.0  # seconds after a start: its first updates are answered first


async def check_deadlines(services: Services, today: date | None = None) -> int:
    """Announce what is due now, once; returns the announcements queued."""
    return await workflow.announce_due(today or services.clock.today(), services.calendar)


async def check_calendar(services: Services, today: date | None = None) -> int:
    """Warn the admins (once a day) when the coming days' holidays are not known; returns the warnings queued."""
    return await holidays.warn_if_uncovered(services.settings, services.calendar, today or services.clock.today())


async def apply_retention(settings: Settings, store: DocumentStore | None = None) -> retention.Removed:
    """Delete what the retention periods of bot.toml say is no longer kept (see desk/retention.py)."""
    r = settings.retention
    return await retention.apply(
        store or DocumentStore(settings.resolve(settings.documents.dir)),
        outbox_sent_days=r.outbox_sent_days,
        closed_request_days=r.closed_request_days,
        draft_files_days=r.draft_files_days,
    )


async def run_deadline_checks(services: Services) -> None:
    """Check every quarter of an hour, forever (the flags make repeated checks harmless); apply the
    retention periods at start and then once a day."""
    last_retention = None
    await asyncio.sleep(FIRST_CHECK_AFTER)  # the first updates after a start come first
    while True:
        try:
            clock = asyncio.get_running_loop().time()
            if last_retention is None or clock - last_retention >= RETENTION_EVERY:
                last_retention = clock
                log.info("retention: %s", await apply_retention(services.settings, services.store))
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
