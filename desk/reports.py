"""Management reports (capability 10): request and survey figures for a Jalali period, with the
previous period beside them. Every figure is an aggregate query in the database (SQLite and
PostgreSQL); no request row is loaded into Python."""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from tortoise import Tortoise
from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.functions import Count

from desk.calendar import PERIOD_MONTHS, parse_range, period, previous
from desk.survey import load_form
from desk.text import normalize_digits
from desk.validators import ValidationError
from models import Request, SurveyAnswer, SurveyResponse

SCOPES = {"unit": "unit_code", "agency": "agency_code", "service": "service_code"}
PLACES = ("hq", "line")
DEFAULT_TZ = "Asia/Tehran"


@dataclass(frozen=True)
class Query:
    """What to report on: [start, end] local dates (inclusive), the period kind (None for a range),
    and a filter on requests ({"unit_code": ...}, {"unit_place": "hq"}...)."""
    start: date
    end: date
    kind: str | None = None
    scope: dict = field(default_factory=dict)

    def previous(self) -> "Query":
        start, end = previous(self.start, self.end, self.kind)
        return Query(start, end, self.kind, self.scope)


@dataclass
class Figures:
    accepted: int = 0
    answered: int = 0
    open: int = 0
    overdue: int = 0
    mean_days: float | None = None
    median_days: float | None = None
    on_time: float | None = None  # share (0..1) of the answered ones answered by the promised date
    responses: int = 0
    item_means: dict[int, float] = field(default_factory=dict)
    axis_means: dict[str, float] = field(default_factory=dict)
    satisfied: float | None = None  # share (0..1) of ratings at or above the form's satisfied_from


@dataclass
class Report:
    query: Query
    current: Figures
    before: Query
    previous: Figures


_DATE = r"\d{4}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{1,2}"
_RANGE = re.compile(rf"{_DATE}\s*(?:-|–|to|\u062a\u0627)\s*{_DATE}")


def parse_args(text: str, today: date) -> Query:
    """`/stats` arguments: [month|bimonth|season|half|year|1404/01/01-1404/03/31]
    [unit CODE | agency CODE | service CODE | hq | line]. Raises ValidationError."""
    text = normalize_digits(text or "")
    kind, span, scope = "month", None, {}
    if m := _RANGE.search(text):
        span, kind = parse_range(m.group(0)), None
        text = text[:m.start()] + " " + text[m.end():]
    words = text.split()
    i = 0
    while i < len(words):
        word = words[i].lower()
        if word in PERIOD_MONTHS and span is None:
            kind = word
        elif word in PLACES:
            scope = {"unit_place": word}
        elif word in SCOPES and i + 1 < len(words):
            scope = {SCOPES[word]: words[i + 1]}
            i += 1
        else:
            raise ValidationError("arg", arg=words[i])
        i += 1
    start, end = span or period(kind, today)
    return Query(start, end, kind, scope)


class Aggregate(RawSQL):
    """A raw SQL aggregate (AVG/SUM of an expression): tortoise must not GROUP BY around it."""
    is_aggregate = True


# --- SQL pieces that differ between SQLite and PostgreSQL ------------------------------------------

def _dialect() -> str:
    return Tortoise.get_connection("default").capabilities.dialect


def _checked_tz(tz: str) -> str:
    ZoneInfo(tz)  # raises for an unknown zone
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", tz):
        raise ValueError(f"bad time zone {tz!r}")
    return tz


def days_sql(later: str, earlier: str) -> str:
    """Days (fractional) between two timestamp columns."""
    if _dialect() == "sqlite":
        return f"(julianday({later}) - julianday({earlier}))"
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


def _on_time_sql(tz: str) -> str:
    """1 when answered_at falls on or before the promised date (a local calendar day), else 0."""
    if _dialect() == "sqlite":  # SQLite has no zone database: the zone's current UTC offset
        offset = datetime.now(ZoneInfo(tz)).utcoffset().total_seconds() / 86400
        cond = f"julianday(answered_at) < julianday(promised_date) + 1 - {offset:.6f}"
    else:
        cond = f"answered_at < ((promised_date + 1)::timestamp AT TIME ZONE '{_checked_tz(tz)}')"
    return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"


def bucket_sql(column: str, origin: datetime, days: int) -> str:
    """The whole number of `days`-long buckets between `origin` and a timestamp column."""
    stamp = origin.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    if _dialect() == "sqlite":
        return f"CAST((julianday({column}) - julianday('{stamp}')) / {days} AS INTEGER)"
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({column} - TIMESTAMPTZ '{stamp}+00')) / {days * 86400}) AS INTEGER)"


# --- the figures ---------------------------------------------------------------------------------

def bounds(q: Query, tz: str = DEFAULT_TZ) -> tuple[datetime, datetime]:
    """The period as UTC instants [start, end): local midnight to the local midnight after end."""
    zone = ZoneInfo(tz)
    start = datetime.combine(q.start, time(0), zone).astimezone(timezone.utc)
    end = datetime.combine(q.end + timedelta(days=1), time(0), zone).astimezone(timezone.utc)
    return start, end


async def accepted(q: Query, tz: str = DEFAULT_TZ) -> int:
    start, end = bounds(q, tz)
    return await Request.filter(submitted_at__gte=start, submitted_at__lt=end, **q.scope).count()


async def request_figures(q: Query, *, now: datetime, tz: str = DEFAULT_TZ) -> Figures:
    start, end = bounds(q, tz)
    f = Figures()
    f.accepted = await accepted(q, tz)
    # open and overdue as of the end of the period, or now for a period still running
    as_of = min(end, now)
    as_of_day = as_of.astimezone(ZoneInfo(tz)).date()
    still_open = Request.filter(Q(answered_at=None) | Q(answered_at__gte=as_of), submitted_at__lt=as_of, **q.scope)
    late = Aggregate(f"SUM(CASE WHEN promised_date < '{as_of_day.isoformat()}' THEN 1 ELSE 0 END)")
    row = (await still_open.annotate(n=Count("id"), late=late).values("n", "late"))[0]
    f.open, f.overdue = row["n"], int(row["late"] or 0)
    answered = Request.filter(answered_at__gte=start, answered_at__lt=end, **q.scope)
    days = days_sql("answered_at", "submitted_at")
    aggregates = {"n": Count("id"), "mean": Aggregate(f"AVG({days})"), "on_time": Aggregate(_on_time_sql(tz))}
    if _dialect() != "sqlite":  # PostgreSQL has the median as an aggregate
        aggregates["median"] = Aggregate(f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {days})")
    row = (await answered.annotate(**aggregates).values(*aggregates))[0]
    f.answered = row["n"]
    if f.answered:
        f.mean_days = float(row["mean"])
        f.on_time = int(row["on_time"]) / f.answered
        f.median_days = float(row["median"]) if "median" in row else await _median(answered, f.answered)
    return f


async def _median(queryset, n: int) -> float:
    """The median answer time on SQLite: ORDER BY ... OFFSET reads only the middle one or two rows."""
    middle = (await queryset.annotate(d=RawSQL(days_sql("answered_at", "submitted_at")))
              .order_by("d").offset((n - 1) // 2).limit(2 - n % 2).values_list("d", flat=True))
    return sum(float(d) for d in middle) / len(middle)


def _completed(q: Query, tz: str):
    """Questionnaires completed in the period, for requests in scope."""
    start, end = bounds(q, tz)
    scope = {f"request__{k}": v for k, v in q.scope.items()}
    return SurveyResponse.filter(completed_at__gte=start, completed_at__lt=end, **scope)


def _answers(q: Query, tz: str):
    # by a subquery, not a join: tortoise groups by every column when aggregating over a join
    return SurveyAnswer.filter(response_id__in=Subquery(_completed(q, tz).values("id")))


async def survey_figures(q: Query, f: Figures, tz: str = DEFAULT_TZ) -> Figures:
    """Questionnaires completed in the period: one pass over their answers, grouped by item (16
    rows); axis means and the satisfied share are sums of those groups."""
    f.responses = await _completed(q, tz).count()
    if not f.responses:
        return f
    threshold = int(load_form().satisfied_from)
    rows = await (_answers(q, tz).group_by("item", "axis")
                  .annotate(n=Count("id"), total=Aggregate("SUM(score)"),
                            sat=Aggregate(f"SUM(CASE WHEN score >= {threshold} THEN 1 ELSE 0 END)"))
                  .values("item", "axis", "n", "total", "sat"))
    axes: dict[str, list[int]] = {}
    for row in sorted(rows, key=lambda r: r["item"]):
        n, total = row["n"], int(row["total"])
        f.item_means[row["item"]] = total / n
        acc = axes.setdefault(row["axis"], [0, 0])
        acc[0], acc[1] = acc[0] + total, acc[1] + n
    f.axis_means = {axis: total / n for axis, (total, n) in axes.items()}
    answers = sum(r["n"] for r in rows)
    f.satisfied = sum(int(r["sat"]) for r in rows) / answers if answers else None
    return f


async def figures(q: Query, *, now: datetime, tz: str = DEFAULT_TZ) -> Figures:
    return await survey_figures(q, await request_figures(q, now=now, tz=tz), tz)


async def report(q: Query, *, now: datetime | None = None, tz: str = DEFAULT_TZ) -> Report:
    now = now or datetime.now(timezone.utc)
    before = q.previous()
    current, previous_ = await asyncio.gather(figures(q, now=now, tz=tz), figures(before, now=now, tz=tz))
    return Report(q, current, before, previous_)


async def score_counts(q: Query, tz: str = DEFAULT_TZ) -> dict[int, dict[int, int]]:
    """{item: {score: count}} of the questionnaires completed in the period (audit §6)."""
    rows = await _answers(q, tz).group_by("item", "score").annotate(n=Count("id")).values("item", "score", "n")
    out: dict[int, dict[int, int]] = {}
    for row in rows:
        out.setdefault(row["item"], {})[row["score"]] = row["n"]
    return out


async def requests_per_week(q: Query, tz: str = DEFAULT_TZ) -> list[int]:
    """Requests accepted in each 7-day week of the period, counted from its first day."""
    start, end = bounds(q, tz)
    weeks = ((q.end - q.start).days // 7) + 1
    rows = await (Request.filter(submitted_at__gte=start, submitted_at__lt=end, **q.scope)
                  .annotate(w=RawSQL(bucket_sql("submitted_at", start, 7))).group_by("w")
                  .annotate(n=Count("id")).values("w", "n"))
    counts = [0] * weeks
    for row in rows:
        counts[min(int(row["w"]), weeks - 1)] += row["n"]
    return counts


async def answer_time_histogram(q: Query, *, cap: int = 30, tz: str = DEFAULT_TZ) -> list[int]:
    """How many requests answered in the period took 0, 1, ... cap-1, and cap or more whole days."""
    start, end = bounds(q, tz)
    days = days_sql("answered_at", "submitted_at")
    rows = await (Request.filter(answered_at__gte=start, answered_at__lt=end, **q.scope)
                  .annotate(d=RawSQL(f"CAST(FLOOR({days}) AS INTEGER)" if _dialect() != "sqlite"
                                     else f"CAST({days} AS INTEGER)"))
                  .group_by("d").annotate(n=Count("id")).values("d", "n"))
    counts = [0] * (cap + 1)
    for row in rows:
        counts[max(0, min(int(row["d"]), cap))] += row["n"]
    return counts
