"""Report figures against hand-computed values on a small fixed data set (SQLite and PostgreSQL): the
`report_data` fixture, made by tests/factories.py's report_data_set (r0..r10 below are its requests).

The requests are written directly, so the fixture rebuilds the per-day summaries as the migration
does; medians come from whole-day answer times (the summaries' day resolution).

Times are Tehran local (UTC+3:30), written as Jalali. Ordibehesht 1404 = 2025-04-21..2025-05-21,
Farvardin 1404 = 2025-03-21..2025-04-20; 1403 is a leap year (Esfand 30 = 2025-03-20)."""

from datetime import date

import pytest

from desk import reports
from desk.reports import Query
from tests.factories import at, jd, month

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)


AFTER = at(1404, 3, 2)


async def test_month_figures(report_data):
    f = await reports.figures(month(1404, 2), now=AFTER)
    assert (f.accepted, f.answered, f.open, f.overdue) == (7, 4, 4, 3)
    assert f.mean_days == pytest.approx((2.0 + 4.6 + 1.5 + 5.0) / 4)
    assert f.median_days == (2 + 4) / 2  # 2.0 4.6 1.5 5.0 in whole days: 1 2 4 5
    assert f.on_time == pytest.approx(0.5)
    assert f.responses == 2
    assert f.item_means == {**{i: 3.0 for i in range(1, 15)}, 15: 1.5, 16: 2.0}
    assert f.axis_means == pytest.approx(
        {"transparency": 3.0, "responsiveness": 3.0, "mastery": 3.0, "time": 3.0, "systematic": 3.0, "overall": 1.75}
    )
    assert f.satisfied == pytest.approx(15 / 32)


async def test_previous_period_and_report(report_data):
    r = await reports.report(month(1404, 2), now=AFTER)
    assert (r.before.start, r.before.end) == (jd(1404, 1, 1), jd(1404, 1, 31))
    p = r.previous
    assert (p.accepted, p.answered, p.open, p.overdue) == (2, 2, 1, 0)
    assert p.mean_days == pytest.approx((2.5 + 1 / 12) / 2)
    assert p.median_days == (2 + 0) / 2
    assert p.on_time == 1.0
    assert (p.responses, p.satisfied, p.axis_means["overall"]) == (1, 1.0, 4.0)
    assert r.current.accepted == 7


async def test_running_period_counts_open_as_of_now(report_data):
    f = await reports.request_figures(month(1404, 2), now=at(1404, 2, 20, 12))
    assert (f.open, f.overdue) == (3, 1)


async def test_scope_line_units(report_data):
    q = Query(jd(1404, 2, 1), jd(1404, 2, 31), "month", {"unit_place": "line"})
    f = await reports.figures(q, now=AFTER)
    assert (f.accepted, f.answered, f.open, f.overdue) == (4, 2, 2, 1)
    assert f.mean_days == pytest.approx(3.05) and f.median_days == (4 + 1) / 2
    assert f.on_time == 0.5
    assert (f.responses, f.item_means[16], f.satisfied) == (1, 3.0, 1 / 16)
    other = await reports.figures(Query(q.start, q.end, "month", {"unit_code": "nope"}), now=AFTER)
    assert (other.accepted, other.answered, other.responses, other.mean_days) == (0, 0, 0, None)


async def test_empty_period(report_data):
    f = await reports.figures(month(1400, 7), now=AFTER)
    assert (f.accepted, f.answered, f.open, f.overdue, f.responses) == (0, 0, 0, 0, 0)
    assert (f.mean_days, f.median_days, f.on_time, f.satisfied, f.item_means) == (None, None, None, None, {})


async def test_leap_year_edges(report_data):
    # 1403 is a leap year: the year and its last season end on Esfand 30 = 2025-03-20
    q = reports.parse_args("year", jd(1403, 6, 1))
    assert (q.start, q.end) == (date(2024, 3, 20), date(2025, 3, 20)) == (jd(1403, 1, 1), jd(1403, 12, 30))
    f = await reports.figures(q, now=AFTER)
    assert (f.accepted, f.answered, f.responses) == (1, 0, 1)  # r0 at 23:00 on Esfand 30
    assert f.open == 1  # answered only after the year ended
    season = reports.parse_args("season", jd(1403, 12, 30))
    assert (season.start, season.end) == (jd(1403, 10, 1), jd(1403, 12, 30))
    prev = season.previous()
    assert (prev.start, prev.end) == (jd(1403, 7, 1), jd(1403, 9, 30))
    assert reports.parse_args("year", jd(1404, 1, 1)).previous().end == date(2025, 3, 20)
    farvardin = await reports.figures(month(1404, 1), now=AFTER)
    assert farvardin.answered == 2  # r0 answered at 01:00 on Farvardin 1


async def test_range_argument(report_data):
    q = reports.parse_args("۱۴۰۴/۰۱/۰۱-۱۴۰۴/۰۲/۳۱ line", date(2025, 6, 1))
    assert (q.start, q.end, q.kind, q.scope) == (jd(1404, 1, 1), jd(1404, 2, 31), None, {"unit_place": "line"})
    f = await reports.figures(q, now=AFTER)
    assert (f.accepted, f.answered) == (5, 3)  # r2 r3 r5 r7 r8; r2 r3 r7
    assert q.previous().end == jd(1403, 12, 30)


async def test_charts_data(report_data):
    q = month(1404, 2)
    assert await reports.requests_per_week(q) == [3, 1, 2, 0, 1]
    hist = await reports.answer_time_histogram(q, cap=10)
    assert hist == [0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0]
    counts = await reports.score_counts(q)
    assert counts[16] == {1: 1, 3: 1} and counts[1] == {4: 1, 2: 1}


@pytest.mark.parametrize("text", ["foo", "unit", "1404/13/01-1404/01/01", "1404/03/01-1404/01/01"])
def test_bad_arguments(text):
    from desk.validators import ValidationError

    with pytest.raises(ValidationError):
        reports.parse_args(text, date(2025, 6, 1))
