"""Official holidays from python-holidays' Iran calendar (lunar ones included) with bot.toml's own
additions and removals; promised dates around Tasua and Ashura; the admins' warning when the coming
60 days are not covered."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import jobs
from bot.config import Calendar
from desk import holidays
from desk.requests import promised_date
from models import OutboxMessage, Role

TEHRAN = ZoneInfo("Asia/Tehran")


def tehran(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TEHRAN).astimezone(UTC)


# Worked out by hand (Iran's calendar as published by its calendar centre): Muharram 1447 began on
# 1404/04/06 (2025-06-27), so Tasua (9 Muharram) is 1404/04/14 = Saturday 2025-07-05 and Ashura
# 1404/04/15 = Sunday 2025-07-06 (1404/01/01 = 2025-03-21, + 3 months of 31 days + 13 days).
# Muharram 1448 began on 1405/03/26 (2026-06-16): Tasua 1405/04/03 = Wednesday 2026-06-24, Ashura
# 1405/04/04 = Thursday 2026-06-25, and Friday 2026-06-26 is the weekend.
TASUA_1404, ASHURA_1404 = date(2025, 7, 5), date(2025, 7, 6)
TASUA_1405, ASHURA_1405 = date(2026, 6, 24), date(2026, 6, 25)


def test_the_library_knows_the_lunar_holidays():
    days = holidays.library_holidays()
    for day in (TASUA_1404, ASHURA_1404, TASUA_1405, ASHURA_1405):
        assert day in days
    assert "Tasua" in days[TASUA_1405] and "Ashura" in days[ASHURA_1405]
    assert date(2025, 3, 31) in days  # Eid al-Fitr 1404 (1404/01/11)
    assert date(2026, 3, 21) in days  # Nowruz 1405
    assert holidays.library_known_until() >= date(2026, 12, 31)


@pytest.fixture
def card(desk):
    service = next(iter(desk.catalog.services.values()))
    return lambda days: service.model_copy(update={"duration_days": days})


@pytest.mark.parametrize(
    "submitted, days, due",
    [
        # Tuesday 1405/04/02, one working day: Wed Tasua, Thu Ashura, Fri weekend -> Saturday 1405/04/06
        (tehran(2026, 6, 23), 1, date(2026, 6, 27)),
        (tehran(2026, 6, 23, 23, 50), 1, date(2026, 6, 27)),  # just before midnight, still Tuesday
        (tehran(2026, 6, 23), 3, date(2026, 6, 29)),  # Sat, Sun, Mon 1405/04/08
        (tehran(2026, 6, 24), 1, date(2026, 6, 28)),  # sent on Tasua: counts from Saturday -> Sunday
        # Thursday 1404/04/12, one working day: Fri weekend, Sat Tasua, Sun Ashura -> Monday 1404/04/16
        (tehran(2025, 7, 3), 1, date(2025, 7, 7)),
        (tehran(2025, 7, 2, 23, 50), 1, date(2025, 7, 3)),  # Wednesday night: Thursday is a working day
        (tehran(2025, 7, 2, 23, 50), 2, date(2025, 7, 7)),
    ],
)
async def test_promised_dates_skip_tasua_and_ashura(desk, card, submitted, days, due):
    calendar = desk.dp.workflow_data["services"].calendar  # what the running desk uses, from bot.toml
    assert promised_date(calendar, card(days), submitted, TEHRAN) == due


def test_local_additions_and_removals():
    cal = Calendar(add_holidays=["1405/04/09"], remove_holidays=["۱۴۰۵/۰۴/۰۴"]).work_calendar()
    assert TASUA_1405 in cal.holidays and ASHURA_1405 not in cal.holidays
    assert date(2026, 6, 30) in cal.holidays  # 1405/04/09, a local closure
    # Tuesday + 1: Wed Tasua, Thu (worked) -> Thursday
    assert cal.add_working_days(date(2026, 6, 23), 1) == date(2026, 6, 25)
    with pytest.raises(ValueError, match="1405/13/01"):
        Calendar(add_holidays=["1405/13/01"]).work_calendar()
    with pytest.raises(ValueError, match="checked_until"):
        Calendar(checked_until="soon").work_calendar()


def test_coverage():
    cal = Calendar().work_calendar()
    known = holidays.library_known_until()
    assert cal.known_until == known
    assert not holidays.uncovered(cal, date(known.year, 10, 1))  # 91 days ahead are known
    assert holidays.uncovered(cal, date(known.year, 11, 2))  # 59 days
    checked = Calendar(checked_until=f"{known.year - 621 + 1}/06/31").work_calendar()
    assert checked.known_until > known and not holidays.uncovered(checked, date(known.year, 12, 1))


async def test_admins_warned_once_a_day_while_the_coming_days_are_not_covered(desk):
    admin = desk.standin.user("Admin", user_id=900)  # settings.admins == ["900"]
    granted = desk.citizen("Granted")
    await Role.create(platform="telegram", user_id=granted.id, role="admin")
    # the installed library confirms its lunar dates up to 2026-12-31 = 1405/10/10
    assert holidays.library_known_until() == date(2026, 12, 31)
    assert await jobs.check_calendar(desk.dp.workflow_data["services"], today=date(2026, 10, 1)) == 0  # 91 days known
    assert await jobs.check_calendar(desk.dp.workflow_data["services"], today=date(2026, 12, 1)) == 2
    assert await jobs.check_calendar(desk.dp.workflow_data["services"], today=date(2026, 12, 1)) == 0  # once a day
    await desk.deliver_outbox()
    assert "۱۴۰۵/۱۰/۱۰" in admin.last["plain"] and "تاسوعا" in admin.last["plain"]
    assert "checked_until" in granted.last["plain"]
    assert (
        await jobs.check_calendar(desk.dp.workflow_data["services"], today=date(2026, 12, 2)) == 2
    )  # the next day again
    rows = await OutboxMessage.filter(method=holidays.WARNING_KIND).values_list("chat_id", "payload")
    assert sorted(chat for chat, _ in rows) == sorted([900, 900, granted.id, granted.id])
    assert {p["day"] for _, p in rows} == {"2026-12-01", "2026-12-02"}


async def test_checked_until_ends_the_warning(make_desk):
    desk = await make_desk(calendar={"checked_until": "1406/01/31"})
    assert await jobs.check_calendar(desk.dp.workflow_data["services"], today=date(2026, 12, 1)) == 0
    assert (
        await jobs.check_calendar(desk.dp.workflow_data["services"], today=date(2027, 3, 25)) == 1
    )  # 1406/01/05: 26 days left; admin 900
