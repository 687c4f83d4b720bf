"""Official holidays: python-holidays' Iran calendar (the solar holidays and the lunar ones: Tasua,
Ashura, Eid al-Fitr, ...), with the desk's own additions and removals from bot.toml, and how far
ahead the calendar is known.

The library confirms the lunar dates (they depend on the moon sighting announced in Iran) only up to
a year its maintainers have checked; after that it estimates them (a day off is common). A date up
to the last confirmed year, or up to `checked_until` in bot.toml (an admin checked the coming
year's official calendar and added or removed what differs), is *covered*. Admins are warned, at
most once a day, while the next COVER_DAYS days are not covered."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from tortoise.transactions import in_transaction

from desk.calendar import IRAN_WEEKEND, WorkCalendar, parse_holidays
from desk.complaints import admin_chats
from desk.outbox import OutboxKind, enqueue
from desk.validators import ValidationError, jalali_date
from models import OutboxMessage, Role

COVER_DAYS = 60
WARNING_KIND = OutboxKind.CALENDAR_UNCOVERED


YEARS_AROUND = 10  # the calendar covers this many years before and after the current one


@lru_cache(maxsize=1)
def _library() -> tuple[dict[date, str], date]:
    """The Iranian official holidays the library knows ({date: English name}) from YEARS_AROUND
    years ago to YEARS_AROUND years ahead, and the last day of the last year whose lunar dates it
    does not estimate. The library is imported here, when the calendar is first needed: its import
    alone is a noticeable part of a bot's start."""
    import holidays as pyholidays

    this_year = date.today().year
    years = range(
        max(pyholidays.IR.start_year, this_year - YEARS_AROUND),
        min(pyholidays.IR.end_year, this_year + YEARS_AROUND) + 1,
    )
    iran = pyholidays.country_holidays("IR", years=years, language="en_US", islamic_show_estimated=True)
    days = dict(iran.items())
    estimated = {d.year for d, name in days.items() if "(estimated)" in name}
    confirmed = [y for y in years if y not in estimated]
    return days, date(max(confirmed, default=years.start - 1), 12, 31)


def _library_version() -> str:
    import holidays as pyholidays

    return pyholidays.__version__


def library_holidays() -> dict[date, str]:
    return _library()[0]


def library_known_until() -> date:
    return _library()[1]


def official_calendar(
    *,
    weekend: Iterable[int] = IRAN_WEEKEND,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    checked_until: str = "",
) -> WorkCalendar:
    """The working calendar: the library's holidays plus `add` minus `remove` (Jalali strings from
    bot.toml), known up to the library's last confirmed year or `checked_until`, whichever is later."""
    days = (set(library_holidays()) | parse_holidays(add)) - parse_holidays(remove)
    known = library_known_until()
    if checked_until:
        try:
            known = max(known, jalali_date(checked_until))
        except ValidationError as e:
            raise ValueError(f"checked_until {checked_until!r}: {e.code}") from None
    return WorkCalendar(weekend=frozenset(weekend), holidays=frozenset(days), known_until=known)


def uncovered(calendar: WorkCalendar, today: date, days: int = COVER_DAYS) -> bool:
    """True when the holidays of the next `days` days are not all known."""
    return calendar.known_until is None or calendar.known_until < today + timedelta(days=days)


async def warn_if_uncovered(settings, calendar: WorkCalendar, today: date) -> int:
    """Queue a warning to every admin (bot.toml and granted ones) when the next COVER_DAYS days are
    not covered, at most once a local day. Returns the messages queued."""
    if not uncovered(calendar, today):
        return 0
    async with in_transaction():
        last = await OutboxMessage.filter(method=WARNING_KIND).order_by("-id").first()
        if last is not None and (last.payload or {}).get("day") == today.isoformat():
            return 0
        granted = await Role.filter(role="admin").values_list("platform", "user_id")
        recipients = sorted(admin_chats(settings) | set(granted))
        data = {
            "day": today.isoformat(),
            "known_until": calendar.known_until.isoformat() if calendar.known_until else None,
            "days": COVER_DAYS,
            "version": _library_version(),
        }
        for platform, chat_id in recipients:
            await enqueue(platform=platform, chat_id=chat_id, kind=WARNING_KIND, data=data)
    return len(recipients)
