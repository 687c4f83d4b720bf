"""Management reports (capability 10): request and survey figures for a Jalali period, with the
previous period beside them.

The figures are read from the per-day summaries (desk/summaries.py): one row per day of the period
(and of the days before it, for what was still open), whatever the number of requests, today
included. The median answer time is then exact at day resolution: the median of the answer times
rounded down to whole days. For a time zone other than the summaries' or a scope they do not keep, every figure is an
aggregate query over the requests instead (the `_scan` path; SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from tortoise import Tortoise
from tortoise.expressions import Q, RawSQL
from tortoise.functions import Count

from desk import staff, summaries
from desk.calendar import PERIOD_MONTHS, parse_range, period, previous
from desk.survey import load_form
from desk.text import normalize_digits
from desk.validators import ValidationError
from models import Request

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

    def previous(self) -> Query:
        start, end = previous(self.start, self.end, self.kind)
        return Query(start, end, self.kind, self.scope)


@dataclass(frozen=True)
class Refused:
    """Why a report was refused: `not-allowed` (neither admin nor supervisor), or `unit-only`
    (a supervisor asking beyond their `units`)."""

    reason: str
    units: tuple[str, ...] = ()


async def scoped(q: Query, settings, platform: str, user_id: int, *, admins_only: bool = False) -> Query | Refused:
    """The report this person may see: admins everything; a unit's supervisor that unit (their only
    unit when they named none); a supervisor of every unit everything but admins-only reports."""
    if await staff.is_admin(settings, platform, user_id):
        return q
    units = [] if admins_only else await staff.supervised_units(platform, user_id)
    if not units:
        return Refused("not-allowed")
    if None in units:  # a supervisor of every unit
        return q
    if not q.scope and len(units) == 1:
        return Query(q.start, q.end, q.kind, {"unit_code": units[0]})
    if q.scope.get("unit_code") in units:
        return q
    return Refused("unit-only", tuple(u for u in units if u is not None))


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
    scores: dict[int, dict[int, int]] = field(default_factory=dict)  # {item: {score: answers}}


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
    kind: str | None
    kind, span, scope = "month", None, {}
    if m := _RANGE.search(text):
        span, kind = parse_range(m.group(0)), None
        text = text[: m.start()] + " " + text[m.end() :]
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
    start, end = span or period(kind or "month", today)
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
    """Days (fractional, a float) between two timestamp columns."""
    if _dialect() == "sqlite":
        return f"(julianday({later}) - julianday({earlier}))"
    # date_part is double precision; EXTRACT is numeric since PostgreSQL 14, twice as slow to average and sort
    return f"(date_part('epoch', {later} - {earlier}) / 86400.0)"


def bucket_sql(column: str, origin: datetime, days: int) -> str:
    """The whole number of `days`-long buckets between `origin` and a timestamp column."""
    stamp = origin.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if _dialect() == "sqlite":
        return f"CAST((julianday({column}) - julianday('{stamp}')) / {days} AS INTEGER)"
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM ({column} - TIMESTAMPTZ '{stamp}+00')) / {days * 86400}) AS INTEGER)"


# --- the figures ---------------------------------------------------------------------------------
#
# A report needs the same figures for two periods (the current one and the one before it). Each
# table is read once for both: every query covers the union of the periods and splits its
# aggregates by period with COUNT/AVG/PERCENTILE_CONT ... FILTER (WHERE <period>), so the year
# report costs one pass over the answered requests and one over the survey answers, not two.


def bounds(q: Query, tz: str = DEFAULT_TZ) -> tuple[datetime, datetime]:
    """The period as UTC instants [start, end): local midnight to the local midnight after end."""
    zone = ZoneInfo(tz)
    start = datetime.combine(q.start, time(0), zone).astimezone(UTC)
    end = datetime.combine(q.end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def _stamp(at: datetime) -> str:
    """A UTC instant as an SQL literal, written as tortoise stores it (SQLite compares the text)."""
    text = at.astimezone(UTC).isoformat(" ")
    return f"'{text}'" if _dialect() == "sqlite" else f"TIMESTAMPTZ '{text}'"


def _in_span(column: str, span: tuple[datetime, datetime]) -> str:
    return f"{column} >= {_stamp(span[0])} AND {column} < {_stamp(span[1])}"


def _merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The spans with adjacent or overlapping ones (a period and the one before it) made one, so
    the index on the column is read as one range."""
    merged: list[list[datetime]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _union(column: str, spans: list[tuple[datetime, datetime]]) -> Q:
    """The rows whose `column` falls in any of the spans."""
    q = Q()
    for lo, hi in _merged(spans):
        bounds: dict[str, Any] = {f"{column}__gte": lo, f"{column}__lt": hi}
        q |= Q(**bounds)
    return q


async def accepted(q: Query, tz: str = DEFAULT_TZ) -> int:
    if (at := _summarised(q, tz)) is not None:
        (row,) = await _day_sums([q], at, {"n": ("submitted", "period")})
        return row["n"]
    start, end = bounds(q, tz)
    return await Request.filter(submitted_at__gte=start, submitted_at__lt=end, **q.scope).count()


async def _one_row(queryset, aggregates: dict[str, str]) -> dict:
    return (await queryset.annotate(**{k: Aggregate(v) for k, v in aggregates.items()}).values(*aggregates))[0]


async def _accepted(spans, scope: dict) -> list[int]:
    row = await _one_row(
        Request.filter(_union("submitted_at", spans), **scope),
        {f"a{i}": f"COUNT(*) FILTER (WHERE {_in_span('submitted_at', s)})" for i, s in enumerate(spans)},
    )
    return [row[f"a{i}"] for i in range(len(spans))]


async def _open(spans, scope: dict, now: datetime, tz: str) -> list[tuple[int, int]]:
    """(open, overdue) as of the end of each period, or now for a period still running."""
    as_of = [min(end, now) for _, end in spans]
    aggregates: dict[str, Any] = {}
    for i, at in enumerate(as_of):
        still_open = f"submitted_at < {_stamp(at)} AND (answered_at IS NULL OR answered_at >= {_stamp(at)})"
        day = at.astimezone(ZoneInfo(tz)).date().isoformat()
        aggregates[f"o{i}"] = f"COUNT(*) FILTER (WHERE {still_open})"
        aggregates[f"l{i}"] = f"COUNT(*) FILTER (WHERE {still_open} AND promised_date < '{day}')"
    # submitted_at is tested in the aggregates only: as a WHERE range it covers nearly every row, and
    # SQLite would read the table through that index instead of the answered_at one
    row = await _one_row(Request.filter(Q(answered_at=None) | Q(answered_at__gte=min(as_of)), **scope), aggregates)
    return [(row[f"o{i}"], row[f"l{i}"]) for i in range(len(spans))]


async def _answered(spans, scope: dict, tz: str, out: list[Figures]) -> None:
    """Answered in each period: how many, mean and median days from acceptance, share on time."""
    days = days_sql("answered_at", "submitted_at")
    on_time = _on_time_sql(tz)
    aggregates: dict[str, Any] = {}
    for i, span in enumerate(spans):
        within = _in_span("answered_at", span)
        aggregates |= {
            f"n{i}": f"COUNT(*) FILTER (WHERE {within})",
            f"mean{i}": f"AVG({days}) FILTER (WHERE {within})",
            f"on_time{i}": f"COUNT(*) FILTER (WHERE {within} AND {on_time})",
        }
        if _dialect() != "sqlite":  # PostgreSQL has the median as an aggregate
            aggregates[f"median{i}"] = f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {days}) FILTER (WHERE {within})"
    row = await _one_row(Request.filter(_union("answered_at", spans), **scope), aggregates)
    for i, (span, f) in enumerate(zip(spans, out)):
        f.answered = row[f"n{i}"]
        if f.answered:
            f.mean_days = float(row[f"mean{i}"])
            f.on_time = row[f"on_time{i}"] / f.answered
            f.median_days = (
                float(row[f"median{i}"])
                if f"median{i}" in row
                else await _median(
                    Request.filter(answered_at__gte=span[0], answered_at__lt=span[1], **scope), f.answered
                )
            )


async def _request_figures(qs: list[Query], out: list[Figures], now: datetime, tz: str) -> list[Figures]:
    if (at := _summarised(qs[0], tz)) is not None:
        return await _summary_request_figures(qs, out, now, tz, at)
    spans, scope = [bounds(q, tz) for q in qs], qs[0].scope
    counts, still_open, _ = await asyncio.gather(
        _accepted(spans, scope), _open(spans, scope, now, tz), _answered(spans, scope, tz, out)
    )
    for f, n, (open_, late) in zip(out, counts, still_open):
        f.accepted, f.open, f.overdue = n, open_, late
    return out


async def request_figures(q: Query, *, now: datetime, tz: str = DEFAULT_TZ) -> Figures:
    return (await _request_figures([q], [Figures()], now, tz))[0]


async def _median(queryset, n: int) -> float:
    """The median answer time on SQLite: ORDER BY ... OFFSET reads only the middle one or two rows."""
    middle = (
        await queryset.annotate(d=RawSQL(days_sql("answered_at", "submitted_at")))
        .order_by("d")
        .offset((n - 1) // 2)
        .limit(2 - n % 2)
        .values_list("d", flat=True)
    )
    return sum(float(d) for d in middle) / len(middle)


def _on_time_sql(tz: str) -> str:
    """True when answered_at falls on or before the promised date (a local calendar day)."""
    if _dialect() == "sqlite":  # SQLite has no zone database: the zone's current UTC offset
        offset = (datetime.now(ZoneInfo(tz)).utcoffset() or timedelta()).total_seconds() / 86400
        return f"julianday(answered_at) < julianday(promised_date) + 1 - {offset:.6f}"
    return f"answered_at < ((promised_date + 1)::timestamp AT TIME ZONE '{_checked_tz(tz)}')"


# Survey figures: the questionnaires completed in the period, for requests in scope. Raw SQL: the
# answers are joined to their questionnaire once, to know its period (tortoise would GROUP BY
# every column of an aggregate over a join).
SCOPE_COLUMNS = {*SCOPES.values(), "unit_place"}


def _survey_sql(select: str, spans, scope: dict, *, answers: bool, group_by: str = "") -> tuple[str, list]:
    if not set(scope) <= SCOPE_COLUMNS:
        raise ValueError(f"bad scope {scope!r}")
    mark = (lambda i: "?") if _dialect() == "sqlite" else (lambda i: f"${i}")
    sql = ["SELECT", select, "FROM survey_response r"]
    if answers:
        sql.append("JOIN survey_answer a ON a.response_id = r.id")
    if scope:
        sql.append("JOIN request q ON q.id = r.request_id")
    where = " OR ".join(f"({_in_span('r.completed_at', s)})" for s in _merged(spans))
    sql.append(f"WHERE ({where})")
    sql += [f"AND q.{column} = {mark(i)}" for i, column in enumerate(scope, 1)]
    sql.append(group_by)
    return " ".join(sql), list(scope.values())


def _per_period(spans) -> str:
    if len(spans) == 1:
        return "COUNT(*) AS p0"
    return ", ".join(f"COUNT(*) FILTER (WHERE {_in_span('r.completed_at', s)}) AS p{i}" for i, s in enumerate(spans))


async def _scores(spans, scope: dict) -> list[tuple[int, int, str, int, int]]:
    """(period, item, axis, score, answers) of the questionnaires completed in each period."""
    conn = Tortoise.get_connection("default")
    # SQLite groups by sorting every joined row: one narrow sort per period is cheaper than one wide
    # sort carrying completed_at; PostgreSQL hashes, so one pass serves both periods
    batches = [(i, [s]) for i, s in enumerate(spans)] if _dialect() == "sqlite" else [(0, spans)]
    out = []
    for first, batch in batches:
        sql = _survey_sql(
            f"a.item, a.axis, a.score, {_per_period(batch)}",
            batch,
            scope,
            answers=True,
            group_by="GROUP BY a.item, a.axis, a.score",
        )
        for row in await conn.execute_query_dict(*sql):
            out += [
                (first + i, row["item"], row["axis"], row["score"], row[f"p{i}"])
                for i in range(len(batch))
                if row[f"p{i}"]
            ]
    return out


async def _survey(qs: list[Query], figures: list[Figures], tz: str) -> list[Figures]:
    if (at := _summarised(qs[0], tz)) is not None:
        counts, scored = await asyncio.gather(
            _day_sums(qs, at, {"responses": ("surveys", "period")}), _summary_scores(qs, at)
        )
        responses = [row["responses"] for row in counts]
    else:
        spans, scope = [bounds(q, tz) for q in qs], qs[0].scope
        conn = Tortoise.get_connection("default")
        counted, scored = await asyncio.gather(
            conn.execute_query_dict(*_survey_sql(_per_period(spans), spans, scope, answers=False)),
            _scores(spans, scope),
        )
        responses = [counted[0][f"p{i}"] for i in range(len(qs))]
    threshold = int(load_form().satisfied_from)
    for i, f in enumerate(figures):
        f.responses = responses[i]
        rows = sorted(row[1:] for row in scored if row[0] == i)
        if not f.responses or not rows:
            continue
        items: dict[int, list[int]] = {}
        axes: dict[str, list[int]] = {}
        for item, axis, score, n in rows:
            f.scores.setdefault(item, {})[score] = n
            for acc in (items.setdefault(item, [0, 0]), axes.setdefault(axis, [0, 0])):
                acc[0], acc[1] = acc[0] + score * n, acc[1] + n
        f.item_means = {item: total / n for item, (total, n) in items.items()}
        f.axis_means = {axis: total / n for axis, (total, n) in axes.items()}
        answers = sum(n for *_, n in rows)
        f.satisfied = sum(n for _, _, score, n in rows if score >= threshold) / answers
    return figures


async def survey_figures(q: Query, f: Figures, tz: str = DEFAULT_TZ) -> Figures:
    """Questionnaires completed in the period: one pass over their answers, grouped by item and
    score; item and axis means, the satisfied share and the score counts are sums of those groups."""
    return (await _survey([q], [f], tz))[0]


async def figures(q: Query, *, now: datetime, tz: str = DEFAULT_TZ) -> Figures:
    return await survey_figures(q, await request_figures(q, now=now, tz=tz), tz)


async def report(q: Query, *, now: datetime | None = None, tz: str = DEFAULT_TZ) -> Report:
    """The figures of q and of the period before it, each table read once for both."""
    now = now or datetime.now(UTC)
    both, out = [q, q.previous()], [Figures(), Figures()]
    await asyncio.gather(_request_figures(both, out, now, tz), _survey(both, out, tz))
    return Report(q, out[0], both[1], out[1])


async def score_counts(q: Query, tz: str = DEFAULT_TZ) -> dict[int, dict[int, int]]:
    """{item: {score: count}} of the questionnaires completed in the period (audit §6)."""
    return (await survey_figures(q, Figures(), tz)).scores


async def requests_per_week(q: Query, tz: str = DEFAULT_TZ) -> list[int]:
    """Requests accepted in each 7-day week of the period, counted from its first day."""
    weeks = ((q.end - q.start).days // 7) + 1
    if (at := _summarised(q, tz)) is not None:
        counts = [0] * weeks
        for day, n in await _per_day(q, at, "submitted"):
            counts[(day - q.start).days // 7] += n
        return counts
    start, end = bounds(q, tz)
    rows = await (
        Request.filter(submitted_at__gte=start, submitted_at__lt=end, **q.scope)
        .annotate(w=RawSQL(bucket_sql("submitted_at", start, 7)))
        .group_by("w")
        .annotate(n=Count("id"))
        .values("w", "n")
    )
    counts = [0] * weeks
    for row in rows:
        counts[min(int(row["w"]), weeks - 1)] += row["n"]
    return counts


async def answer_time_histogram(q: Query, *, cap: int = 30, tz: str = DEFAULT_TZ) -> list[int]:
    """How many requests answered in the period took 0, 1, ... cap-1, and cap or more whole days."""
    if (at := _summarised(q, tz)) is not None:
        counts = [0] * (cap + 1)
        for days, n in (await _answer_times([q], at))[0].items():
            counts[max(0, min(days, cap))] += n
        return counts
    start, end = bounds(q, tz)
    days_expr = days_sql("answered_at", "submitted_at")
    rows = await (
        Request.filter(answered_at__gte=start, answered_at__lt=end, **q.scope)
        .annotate(
            d=RawSQL(
                f"CAST(FLOOR({days_expr}) AS INTEGER)" if _dialect() != "sqlite" else f"CAST({days_expr} AS INTEGER)"
            )
        )
        .group_by("d")
        .annotate(n=Count("id"))
        .values("d", "n")
    )
    counts = [0] * (cap + 1)
    for row in rows:
        counts[max(0, min(int(row["d"]), cap))] += row["n"]
    return counts


# --- the same figures from the per-day summaries ---------------------------------------------------
USE_SUMMARIES = True  # False: always scan the requests (the checks compare both)


def _summarised(q: Query, tz: str) -> tuple[str, str] | None:
    """The summary rows (dim, code) that answer q, or None when the requests must be scanned."""
    if not USE_SUMMARIES or tz != summaries.SUMMARY_TZ:
        return None
    return summaries.summary_scope(q.scope)


def _day_literal(d: date) -> str:
    return f"'{d.isoformat()}'" if _dialect() == "sqlite" else f"DATE '{d.isoformat()}'"


def _scope_params(at: tuple[str, str]) -> tuple[str, list]:
    marks = ("?", "?") if _dialect() == "sqlite" else ("$1", "$2")
    return f'"dim" = {marks[0]} AND "code" = {marks[1]}', list(at)


def _days(first: date, last: date) -> str:
    return f'("span" = \'d\' AND "day" BETWEEN {_day_literal(first)} AND {_day_literal(last)})'


def _in_period(q: Query) -> str:
    """The summary rows that cover the period once: month rows for the whole Jalali months inside
    it, day rows for the days at its edges."""
    whole = [(a, b) for a, b in summaries.months(q.start, q.end) if a >= q.start and b <= q.end]
    if not whole:
        return _days(q.start, q.end)
    parts = [f'("span" = \'m\' AND "day" BETWEEN {_day_literal(whole[0][0])} AND {_day_literal(whole[-1][0])})']
    if q.start < whole[0][0]:
        parts.append(_days(q.start, whole[0][0] - timedelta(days=1)))
    if q.end > whole[-1][1]:
        parts.append(_days(whole[-1][1] + timedelta(days=1), q.end))
    return "(" + " OR ".join(parts) + ")"


def _before(day: date) -> str:
    """The summary rows that cover every day before `day` once."""
    month = summaries.month_start(day)
    return (
        f'(("span" = \'m\' AND "day" < {_day_literal(month)}) OR '
        f'("span" = \'d\' AND "day" >= {_day_literal(month)} AND "day" < {_day_literal(day)}))'
    )


async def _day_sums(
    qs: list[Query],
    at: tuple[str, str],
    wanted: dict,
    before: list[date] | None = None,
    extra: dict[str, str] | None = None,
) -> list[dict]:
    """Sums of report_day columns per period: wanted {name: (expression, "period" | "before" |
    "on")}; a "before" sum covers every day before before[i] (what was still open then), an "on" sum
    the day before[i] itself. `extra` {name: SQL expression} is read in the same statement (the same
    snapshot) and given in every period's dict."""
    where, params = _scope_params(at)
    select: list[str] = []
    conds: dict[str, None] = {}
    for i, q in enumerate(qs):
        for name, (expr, over) in wanted.items():
            if over == "period":
                cond = _in_period(q)
            else:
                day = cast(list[date], before)[i]
                cond = _before(day) if over == "before" else _days(day, day)
            conds[cond] = None
            select.append(f"COALESCE(SUM({expr}) FILTER (WHERE {cond}), 0) AS {name}_{i}")
    select += [f"{sql} AS {name}" for name, sql in (extra or {}).items()]
    sql = f'SELECT {", ".join(select)} FROM "report_day" WHERE {where} AND ({" OR ".join(conds)})'
    (row,) = await Tortoise.get_connection("default").execute_query_dict(sql, params)
    extras = {name: row[name] for name in extra or {}}
    return [{**{name: int(row[f"{name}_{i}"]) for name in wanted}, **extras} for i in range(len(qs))]


async def _per_day(q: Query, at: tuple[str, str], column: str) -> list[tuple[date, int]]:
    where, params = _scope_params(at)
    sql = f'SELECT "day", "{column}" AS n FROM "report_day" WHERE {where} AND {_days(q.start, q.end)}'
    rows = await Tortoise.get_connection("default").execute_query_dict(sql, params)
    day = lambda v: v if isinstance(v, date) else date.fromisoformat(v)
    return [(day(r["day"]), r["n"]) for r in rows]


async def _grouped(table: str, group: list[str], qs: list[Query], at: tuple[str, str]) -> list[dict]:
    where, params = _scope_params(at)
    cols = ", ".join(f'"{c}"' for c in group)
    conds = [_in_period(q) for q in qs]
    sums = ", ".join(f'COALESCE(SUM("n") FILTER (WHERE {c}), 0) AS p{i}' for i, c in enumerate(conds))
    sql = (
        f'SELECT {cols}, {sums} FROM "{table}" WHERE {where} AND ({" OR ".join(dict.fromkeys(conds))}) GROUP BY {cols}'
    )
    return await Tortoise.get_connection("default").execute_query_dict(sql, params)


async def _answer_times(qs: list[Query], at: tuple[str, str]) -> list[dict[int, int]]:
    """{whole days: requests} answered in each period."""
    out: list[dict[int, int]] = [{} for _ in qs]
    for row in await _grouped("report_answer_time", ["days"], qs, at):
        for i in range(len(qs)):
            if row[f"p{i}"]:
                out[i][row["days"]] = int(row[f"p{i}"])
    return out


async def _summary_scores(qs: list[Query], at: tuple[str, str]) -> list[tuple[int, int, str, int, int]]:
    """(period, item, axis, score, answers), as _scores gives them."""
    return [
        (i, row["item"], row["axis"], row["score"], int(row[f"p{i}"]))
        for row in await _grouped("report_score", ["item", "axis", "score"], qs, at)
        for i in range(len(qs))
        if row[f"p{i}"]
    ]


def median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many} (the mean of the two middle ones for an even count)."""
    n = sum(counts.values())
    if not n:
        return None
    wanted, seen, middle = sorted({(n - 1) // 2, n // 2}), 0, []
    for value in sorted(counts):
        seen += counts[value]
        while wanted and wanted[0] < seen:
            middle.append(value)
            wanted.pop(0)
    return sum(middle) / len(middle) if len(middle) == 2 else float(middle[0])


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC)


def _recorded_from(at: datetime) -> str:
    """SQL: true when a request was accepted or answered at or after `at` (two index probes)."""
    stamp = _stamp(at)
    return (
        f'(EXISTS (SELECT 1 FROM "request" WHERE "submitted_at" >= {stamp}) '
        f'OR EXISTS (SELECT 1 FROM "request" WHERE "answered_at" >= {stamp}))'
    )


async def _recorded_after(q: Query, as_of: datetime, tz: str) -> tuple[int, int]:
    """(open, overdue) changes that today's row holds from as_of to the next midnight: the requests
    accepted or answered then, read through the submitted_at and answered_at indexes (so the cost
    follows what was recorded after as_of, not the day's volume). Only a report as of an instant
    the data have passed needs them (a clock behind the data). A request is answered after it is
    accepted, so today's answers late by then are those promised before today."""
    day = as_of.astimezone(ZoneInfo(tz)).date()
    span = (as_of, _midnight(day + timedelta(days=1), tz))
    came, went = _in_span("submitted_at", span), _in_span("answered_at", span)
    late = f"promised_date < '{day.isoformat()}'"
    row = await _one_row(
        Request.filter(
            Q(submitted_at__gte=span[0], submitted_at__lt=span[1])
            | Q(answered_at__gte=span[0], answered_at__lt=span[1]),
            **q.scope,
        ),
        {
            "came": f"COUNT(*) FILTER (WHERE {came})",
            "went": f"COUNT(*) FILTER (WHERE {went})",
            "came_late": f"COUNT(*) FILTER (WHERE {came} AND {late})",
            "went_late": f"COUNT(*) FILTER (WHERE {went} AND {late})",
        },
    )
    return row["came"] - row["went"], row["came_late"] - row["went_late"]


async def _summary_request_figures(
    qs: list[Query], out: list[Figures], now: datetime, tz: str, at: tuple[str, str]
) -> list[Figures]:
    """The figures from the summary rows. Open and overdue are as of the end of the period, or now
    for a period running today: the days before today from their rows, today's changes from
    today's row, less what was recorded after now when something was (never at the desk's own
    now; _recorded_after)."""
    as_of = [min(bounds(q, tz)[1], now) for q in qs]
    cut = [a.astimezone(ZoneInfo(tz)).date() for a in as_of]
    running = [i for i, (a, day) in enumerate(zip(as_of, cut)) if a > _midnight(day, tz)]
    wanted = {
        "accepted": ("submitted", "period"),
        "answered": ("answered", "period"),
        "on_time": ("on_time", "period"),
        "ms": ("answer_ms", "period"),
        "open": ('"submitted" - "answered"', "before"),
        "overdue": ('"due" - "settled"', "before"),
    }
    if running:
        wanted |= {
            "open_today": ('"submitted" - "answered"', "on"),
            "overdue_today": ('"submitted_late" - ("answered" - "on_time")', "on"),
        }
    extra = {f"after_{i}": _recorded_from(as_of[i]) for i in running}
    sums, times = await asyncio.gather(_day_sums(qs, at, wanted, cut, extra), _answer_times(qs, at))
    for i in running:
        if sums[i][f"after_{i}"]:
            later_open, later_overdue = await _recorded_after(qs[i], as_of[i], tz)
            sums[i]["open_today"] -= later_open
            sums[i]["overdue_today"] -= later_overdue
        sums[i]["open"] += sums[i]["open_today"]
        sums[i]["overdue"] += sums[i]["overdue_today"]
    for f, row, hist in zip(out, sums, times):
        f.accepted, f.answered = row["accepted"], row["answered"]
        f.open, f.overdue = row["open"], row["overdue"]
        if f.answered:
            f.mean_days = row["ms"] / summaries.DAY_MS / f.answered
            f.on_time = row["on_time"] / f.answered
            f.median_days = median_of_counts(hist)
    return out
