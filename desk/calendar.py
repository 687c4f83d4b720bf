"""Working-day arithmetic, Jalali display and Jalali report periods."""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime

from desk.text import fa_digits, normalize_digits
from desk.validators import ValidationError, jalali_date

IRAN_WEEKEND = frozenset({4})  # Friday; add 3 for agencies closed on Thursday too
DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    weekend: frozenset[int] = IRAN_WEEKEND  # Python weekday numbers (Monday = 0)
    holidays: frozenset[date] = frozenset()
    known_until: date | None = None  # the last day whose holidays are known (desk/holidays.py); None: unknown
    _weekday_holidays: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        extra = sorted(h for h in self.holidays if h.weekday() not in self.weekend)
        object.__setattr__(self, "_weekday_holidays", tuple(extra))

    def is_working_day(self, d: date) -> bool:
        return d.weekday() not in self.weekend and d not in self.holidays

    def _first_working(self, d: date) -> date:
        while not self.is_working_day(d):
            d += DAY
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The date n working days after start. A start on a weekend or holiday counts as the next
        working day, so a request sent on Friday with n=1 is due on Sunday."""
        if n < 0:
            raise ValueError("n must not be negative")
        d = self._first_working(start)
        for _ in range(n):
            d = self._first_working(d + DAY)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after a up to and including b (a non-working a counts from the next working
        day), the inverse of add_working_days; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        a = self._first_working(a)
        if b <= a:
            return 0
        weeks, rest = divmod((b - a).days, 7)
        count = weeks * (7 - len(self.weekend))
        count += sum((a.weekday() + i) % 7 not in self.weekend for i in range(1, rest + 1))
        return count - (bisect_right(self._weekday_holidays, b) - bisect_right(self._weekday_holidays, a))


def parse_holidays(values: Iterable[str]) -> set[date]:
    """Jalali holiday strings from bot.toml ("1404/01/01") -> Gregorian dates. The official calendar
    itself comes from desk/holidays.py."""
    result = set()
    for value in values:
        try:
            result.add(jalali_date(value))
        except ValidationError as e:
            raise ValueError(f"holiday {value!r}: {e.code}") from None
    return result


def jalali(d: date | datetime, *, digits: str = "fa", with_time: bool = False, tz: str = "Asia/Tehran") -> str:
    """Display a date as 1404/02/15 (Persian digits by default). Datetimes are stored in UTC (naive
    ones are taken as UTC) and shown in tz."""
    if isinstance(d, datetime):
        local = (d if d.tzinfo else d.replace(tzinfo=UTC)).astimezone(ZoneInfo(tz))
        text = jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d %H:%M" if with_time else "%Y/%m/%d")
    else:
        text = jdatetime.date.fromgregorian(date=d).strftime("%Y/%m/%d")
    return fa_digits(text) if digits == "fa" else text


PERIOD_MONTHS = {"month": 1, "bimonth": 2, "season": 3, "half": 6, "year": 12}


def period(kind: str, today: date) -> tuple[date, date]:
    """The Jalali month / two-month / season / half / year containing today, as Gregorian dates."""
    months = PERIOD_MONTHS[kind]
    j = jdatetime.date.fromgregorian(date=today)
    first = (j.month - 1) // months * months + 1
    start = jdatetime.date(j.year, first, 1)
    following = jdatetime.date(j.year + 1, 1, 1) if first + months > 12 else jdatetime.date(j.year, first + months, 1)
    return start.togregorian(), following.togregorian() - DAY


def previous(start: date, end: date, kind: str | None = None) -> tuple[date, date]:
    """The period before (start, end): the previous Jalali period of that kind, or, for a custom
    range (kind None), the same number of days just before start."""
    if kind in PERIOD_MONTHS:
        return period(kind, start - DAY)
    return start - (end - start) - DAY, start - DAY


_DATE = r"\d{4}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{1,2}"
_RANGE = re.compile(rf"({_DATE})\s*(?:-|–|\.\.|to|\u062a\u0627|\s)\s*({_DATE})")


def parse_range(text: str) -> tuple[date, date]:
    """ "1404/01/01-1404/03/31" (also "... to ...", or the Persian word for "to") -> (start, end) Gregorian dates."""
    m = _RANGE.fullmatch(normalize_digits(text))
    if not m:
        raise ValidationError("range-format")
    start, end = jalali_date(m.group(1)), jalali_date(m.group(2))
    if end < start:
        raise ValidationError("range-order")
    return start, end
