import random
from datetime import UTC, date, datetime, timedelta

import pytest

from desk.calendar import WorkCalendar, jalali, parse_holidays, parse_range, period, previous
from desk.text import fa_digits
from desk.validators import ValidationError

# 2025-05-08 is a Thursday, 2025-05-09 a Friday.
THU, FRI, SAT, SUN, MON = (date(2025, 5, d) for d in (8, 9, 10, 11, 12))


def test_working_days_with_weekend_and_holidays():
    cal = WorkCalendar(weekend={3, 4}, holidays={SUN})
    assert not cal.is_working_day(THU) and not cal.is_working_day(FRI) and not cal.is_working_day(SUN)
    assert cal.is_working_day(SAT)
    assert cal.add_working_days(SAT, 0) == SAT
    assert cal.add_working_days(SAT, 1) == MON  # Sunday is a holiday
    assert cal.add_working_days(FRI, 0) == SAT  # a Friday request counts from Saturday
    assert cal.add_working_days(FRI, 1) == MON
    assert cal.add_working_days(date(2025, 5, 7), 1) == SAT  # Wednesday + 1 skips Thu, Fri
    with pytest.raises(ValueError):
        cal.add_working_days(SAT, -1)


def test_working_days_between_is_the_inverse_and_matches_counting():
    rng = random.Random(7)
    holidays = {date(2025, 1, 1) + timedelta(days=rng.randrange(400)) for _ in range(40)}
    cal = WorkCalendar(weekend={4}, holidays=holidays)
    for _ in range(300):
        a = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        n = rng.randrange(40)
        b = cal.add_working_days(a, n)
        assert cal.working_days_between(a, b) == n
        c = a + timedelta(days=rng.randrange(60))
        start = a
        while not cal.is_working_day(start):
            start += timedelta(days=1)
        brute = sum(cal.is_working_day(start + timedelta(days=i)) for i in range(1, (c - start).days + 1))
        assert cal.working_days_between(a, c) == brute
        assert cal.working_days_between(c, a) == -cal.working_days_between(a, c)


def test_parse_holidays():
    assert parse_holidays(["1404/01/01", fa_digits("1404/01/02")]) == {date(2025, 3, 21), date(2025, 3, 22)}
    with pytest.raises(ValueError, match="1404/12/30"):
        parse_holidays(["1404/12/30"])


def test_jalali_display_in_tehran_time():
    utc = datetime(2025, 3, 20, 21, 0, tzinfo=UTC)  # 00:30 on Nowruz in Tehran
    assert jalali(utc, digits="en", with_time=True) == "1404/01/01 00:30"
    assert jalali(utc.replace(tzinfo=None), digits="en") == "1404/01/01"  # naive = UTC
    assert jalali(utc) == fa_digits("1404/01/01")
    assert jalali(date(2025, 5, 5)) == fa_digits("1404/02/15")


@pytest.mark.parametrize(
    "kind, today, start, end",
    [
        ("month", date(2025, 3, 20), "1403/12/01", "1403/12/30"),  # leap Esfand
        ("month", date(2026, 3, 1), "1404/12/01", "1404/12/29"),
        ("bimonth", date(2025, 6, 1), "1404/03/01", "1404/04/31"),
        ("season", date(2025, 9, 23), "1404/07/01", "1404/09/30"),
        ("half", date(2025, 9, 22), "1404/01/01", "1404/06/31"),
        ("year", date(2025, 3, 20), "1403/01/01", "1403/12/30"),
    ],
)
def test_periods(kind, today, start, end):
    assert period(kind, today) == parse_range(f"{start}-{end}")


def test_previous_periods():
    assert previous(*period("season", date(2025, 4, 1)), "season") == parse_range("1403/10/01-1403/12/30")
    assert previous(*period("year", date(2025, 4, 1)), "year") == parse_range("1403/01/01-1403/12/30")
    assert previous(date(2025, 3, 21), date(2025, 3, 30)) == (date(2025, 3, 11), date(2025, 3, 20))


def test_parse_range_spellings_and_errors():
    expected = (date(2025, 3, 21), date(2025, 6, 21))
    assert parse_range("1404/01/01-1404/03/31") == expected
    assert parse_range("1404-01-01-1404-03-31") == expected
    assert parse_range(fa_digits("1404/1/1") + " \u062a\u0627 " + fa_digits("1404/3/31")) == expected
    assert parse_range("1404/01/01 to 1404/03/31") == expected
    for bad, code in [("1404/01/01", "range-format"), ("1404/03/31-1404/01/01", "range-order")]:
        with pytest.raises(ValidationError) as e:
            parse_range(bad)
        assert e.value.code == code
    with pytest.raises(ValidationError):
        parse_range("1404/12/30-1405/01/10")
