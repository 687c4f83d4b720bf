"""Report summaries: per-day counters of requests and survey answers (models/summary.py), kept in the
same transaction as each change, so /stats, /chart and /audit read one row per day of their period
instead of every request, at a cost that does not grow with the number of requests.

What counts, per local day (SUMMARY_TZ) and per scope (the whole desk, the request's unit, agency,
service and place):
- accepted requests on their acceptance day, and how many of them were already past their promised
  date then (`submitted_late`); answered ones on their answer day, with how many were on time
  (answered on or before the promised date), their answer times summed in milliseconds (the mean
  is exact) and a histogram of whole days (report_answer_time: the median is exact at day
  resolution, i.e. it is the median of the answer times rounded down to whole days);
- for the requests open at a past instant: `due` on the later of the acceptance day and the
  promised date, `settled` on the later of the answer day and the promised date; the requests
  overdue at the start of day D are the `due` before D minus the `settled` before D;
- for the requests open now: today's own row holds what changed since midnight, as long as no
  request was accepted or answered after now (the present, whatever the day's volume): open grows
  by `submitted` - `answered`, overdue by `submitted_late` - (`answered` - `on_time`), the answers
  of today being late exactly when their promised date is before today;
- completed questionnaires on their completion day, with the count of each (item, axis, score).

Every counter is kept per day (span "d") and per Jalali month (span "m"): a period reads the whole
months inside it and the days at its edges, so a year costs 12 month rows and a few day rows.

Every change of the fields these depend on goes through `request_added`, `tracking(request_id)`
(around an UPDATE: the request's counters before and after are compared) or `survey_completed`,
called inside the change's transaction. `rebuild()` recomputes everything from the requests (the
migrations' backfill) and `expected()` gives what the tables should hold, for checks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import jdatetime
from tortoise import connections

from models import Request, SurveyAnswer, SurveyResponse

SUMMARY_TZ = "Asia/Tehran"
ZONE = ZoneInfo(SUMMARY_TZ)
DAY_MS = 86_400_000
# Request columns -> the summary dimension a report scope maps to; "" is the whole desk.
DIMS = {"unit_code": "unit", "agency_code": "agency", "service_code": "service", "unit_place": "place"}
DAY_COUNTERS = ("submitted", "due", "answered", "on_time", "answer_ms", "settled", "surveys", "submitted_late")
FACT_FIELDS = ("submitted_at", "answered_at", "promised_date", *DIMS)

Key = tuple  # (dim, code, span, day, ...)


def local_day(at: datetime) -> date:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(ZONE).date()


@lru_cache(maxsize=4096)
def month_start(day: date) -> date:
    """The first day of the Jalali month containing day."""
    return jdatetime.date.fromgregorian(date=day).replace(day=1).togregorian()


def months(first: date, last: date) -> list[tuple[date, date]]:
    """The Jalali months (first day, last day) that meet [first, last]."""
    out, start = [], month_start(first)
    while start <= last:
        following = month_start(start + timedelta(days=31))
        out.append((start, following - timedelta(days=1)))
        start = following
    return out


def spans(day: date) -> tuple[tuple[str, date], tuple[str, date]]:
    return ("d", day), ("m", month_start(day))


def scopes(row: dict) -> list[tuple[str, str]]:
    return [("", ""), *((dim, row[column]) for column, dim in DIMS.items())]


def summary_scope(scope: dict) -> tuple[str, str] | None:
    """The (dim, code) rows that answer a report's scope, or None when no summary does."""
    if not scope:
        return "", ""
    if len(scope) == 1:
        ((column, code),) = scope.items()
        if column in DIMS and isinstance(code, str):
            return DIMS[column], code
    return None


@dataclass
class Delta:
    """Counter changes, by row."""

    days: dict[Key, list[int]]
    times: dict[Key, int]
    scores: dict[Key, int]

    @classmethod
    def empty(cls) -> Delta:
        return cls(defaultdict(lambda: [0] * len(DAY_COUNTERS)), defaultdict(int), defaultdict(int))

    def day(self, dim: str, code: str, day: date, counter: str, n: int) -> None:
        for span in spans(day):
            self.days[(dim, code, *span)][DAY_COUNTERS.index(counter)] += n

    def add_request(self, row: dict, sign: int = 1) -> None:
        """A request's counters (row: the FACT_FIELDS), added (sign 1) or taken away (-1)."""
        submitted, promised = local_day(row["submitted_at"]), row["promised_date"]
        answered_at = row["answered_at"]
        for dim, code in scopes(row):
            self.day(dim, code, submitted, "submitted", sign)
            self.day(dim, code, submitted, "submitted_late", sign * (promised < submitted))
            self.day(dim, code, max(submitted, promised), "due", sign)
            if answered_at is None:
                continue
            answered = local_day(answered_at)
            took = answered_at - row["submitted_at"]
            self.day(dim, code, answered, "answered", sign)
            self.day(dim, code, answered, "on_time", sign * (answered <= promised))
            self.day(dim, code, answered, "answer_ms", sign * (took // timedelta(milliseconds=1)))
            self.day(dim, code, max(answered, promised), "settled", sign)
            for span in spans(answered):
                self.times[(dim, code, *span, max(0, took // timedelta(days=1)))] += sign

    def add_survey(self, row: dict, completed_at: datetime, answers: Iterable[tuple[int, str, int]]) -> None:
        """A completed questionnaire of the request `row` (its DIMS columns): its answers (item, axis, score)."""
        day = local_day(completed_at)
        answers = list(answers)
        for dim, code in scopes(row):
            self.day(dim, code, day, "surveys", 1)
            for item, axis, score in answers:
                for span in spans(day):
                    self.scores[(dim, code, *span, item, axis, score)] += 1

    def nonzero(self) -> Delta:
        return Delta(
            {k: v for k, v in self.days.items() if any(v)},
            {k: v for k, v in self.times.items() if v},
            {k: v for k, v in self.scores.items() if v},
        )


# -- writing ---------------------------------------------------------------------------------------
def _conn():
    return connections.get("default")


def _dialect(conn) -> str:
    return conn.capabilities.dialect


def _day_value(conn, day: date):
    return day.isoformat() if _dialect(conn) == "sqlite" else day


def _upsert_sql(conn, table: str, keys: list[str], counters: list[str]) -> str:
    cols = keys + counters
    marks = ", ".join("?" if _dialect(conn) == "sqlite" else f"${i}" for i in range(1, len(cols) + 1))
    sets = ", ".join(f'"{c}" = "{table}"."{c}" + excluded."{c}"' for c in counters)
    quoted = ", ".join(f'"{c}"' for c in cols)
    conflict = ", ".join(f'"{c}"' for c in keys)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({marks}) ON CONFLICT ({conflict}) DO UPDATE SET {sets}'


async def apply(delta: Delta, conn=None) -> None:
    """Add the changes to the tables (rows in a fixed order, so concurrent writers lock them alike)."""
    conn = conn or _conn()
    delta = delta.nonzero()
    day = lambda d: _day_value(conn, d)
    batches = [
        (
            "report_day",
            ["dim", "code", "span", "day"],
            list(DAY_COUNTERS),
            [[*k[:3], day(k[3]), *v] for k, v in sorted(delta.days.items())],
        ),
        (
            "report_answer_time",
            ["dim", "code", "span", "day", "days"],
            ["n"],
            [[*k[:3], day(k[3]), k[4], v] for k, v in sorted(delta.times.items())],
        ),
        (
            "report_score",
            ["dim", "code", "span", "day", "item", "axis", "score"],
            ["n"],
            [[*k[:3], day(k[3]), *k[4:], v] for k, v in sorted(delta.scores.items())],
        ),
    ]
    for table, keys, counters, rows in batches:
        if rows:
            await conn.execute_many(_upsert_sql(conn, table, keys, counters), rows)


async def _facts(request_id: int) -> dict | None:
    rows = await Request.filter(id=request_id).values(*FACT_FIELDS)
    return rows[0] if rows else None


async def request_added(request: Request) -> None:
    """A new request (call in the transaction that created it)."""
    delta = Delta.empty()
    delta.add_request({f: getattr(request, f) for f in FACT_FIELDS})
    await apply(delta)


@asynccontextmanager
async def tracking(request_id: int):
    """Around a change to a request (in its transaction): its counters move with it.

    A completed questionnaire stays counted where it was (requests change scope only while open,
    and are surveyed once closed)."""
    before = await _facts(request_id)
    yield
    after = await _facts(request_id)
    if before == after:
        return
    delta = Delta.empty()
    if before is not None:
        delta.add_request(before, -1)
    if after is not None:
        delta.add_request(after)
    await apply(delta)


async def survey_completed(response: SurveyResponse) -> None:
    """A questionnaire just completed (call in the transaction that set completed_at)."""
    rows = await Request.filter(id=response.request_id).values(*DIMS)
    answers = await SurveyAnswer.filter(response_id=response.id).values_list("item", "axis", "score")
    delta = Delta.empty()
    assert response.completed_at is not None
    delta.add_survey(rows[0], response.completed_at, answers)
    await apply(delta)


# -- recomputing -----------------------------------------------------------------------------------
CHUNK = 20_000


async def expected(conn=None) -> Delta:
    """What the tables should hold, computed from every request and questionnaire (read in chunks)."""
    conn = conn or _conn()
    delta = Delta.empty()
    after = 0
    cols = ", ".join(f'"{c}"' for c in ("id", *FACT_FIELDS))
    mark = "?" if _dialect(conn) == "sqlite" else "$1"
    while True:
        rows = await conn.execute_query_dict(
            f'SELECT {cols} FROM "request" WHERE "id" > {mark} ORDER BY "id" LIMIT {CHUNK}', [after]
        )
        if not rows:
            break
        for row in rows:
            delta.add_request(_typed(row))
        after = rows[-1]["id"]
    surveys = await conn.execute_query_dict(
        'SELECT s."id", s."completed_at", ' + ", ".join(f'q."{c}"' for c in DIMS) + ' FROM "survey_response" s '
        'JOIN "request" q ON q."id" = s."request_id" WHERE s."completed_at" IS NOT NULL ORDER BY s."id"'
    )
    answers: dict[int, list] = defaultdict(list)
    for row in await conn.execute_query_dict(
        'SELECT a."response_id", a."item", a."axis", a."score" FROM "survey_answer" a '
        'JOIN "survey_response" s ON s."id" = a."response_id" WHERE s."completed_at" IS NOT NULL'
    ):
        answers[row["response_id"]].append((row["item"], row["axis"], row["score"]))
    for row in surveys:
        completed_at = _stamp(row["completed_at"])
        assert completed_at is not None  # only completed questionnaires are read
        delta.add_survey(row, completed_at, answers[row["id"]])
    return delta.nonzero()


def _stamp(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _typed(row: dict) -> dict:
    """A raw row (SQLite gives text) with datetimes and dates."""
    promised = row["promised_date"]
    return {
        **row,
        "submitted_at": _stamp(row["submitted_at"]),
        "answered_at": _stamp(row["answered_at"]),
        "promised_date": promised if isinstance(promised, date) else date.fromisoformat(promised),
    }


async def stored(conn=None) -> Delta:
    """What the tables hold (rows with every counter zero left out)."""
    conn = conn or _conn()
    delta = Delta.empty()
    day = lambda v: v if isinstance(v, date) else date.fromisoformat(v)
    cols = ", ".join(f'"{c}"' for c in DAY_COUNTERS)
    for r in await conn.execute_query_dict(f'SELECT "dim", "code", "span", "day", {cols} FROM "report_day"'):
        delta.days[(r["dim"], r["code"], r["span"], day(r["day"]))] = [int(r[c]) for c in DAY_COUNTERS]
    for r in await conn.execute_query_dict(
        'SELECT "dim", "code", "span", "day", "days", "n" FROM "report_answer_time"'
    ):
        delta.times[(r["dim"], r["code"], r["span"], day(r["day"]), r["days"])] = r["n"]
    for r in await conn.execute_query_dict(
        'SELECT "dim", "code", "span", "day", "item", "axis", "score", "n" FROM "report_score"'
    ):
        key = (r["dim"], r["code"], r["span"], day(r["day"]), r["item"], r["axis"], r["score"])
        delta.scores[key] = r["n"]
    return delta.nonzero()


async def rebuild(conn=None) -> None:
    """Empty the summaries and recompute them from the requests and questionnaires (the backfill of
    the migration that added them; also after data was written around the desk's code). On
    PostgreSQL the database aggregates; on SQLite (no time zone database) Python does, in chunks."""
    conn = conn or _conn()
    for table in TABLES:
        await conn.execute_script(f'DELETE FROM "{table}"')
    if _dialect(conn) == "postgres":
        for sql in _rebuild_sql():
            await conn.execute_script(sql)
        await roll_up_months(conn)
    else:
        await apply(await expected(conn), conn)


async def backfill_submitted_late(conn=None) -> None:
    """Migration 0007 (the `submitted_late` counter): the counter of the requests already summarised,
    or every summary when there are none yet (a desk upgrading from before them: migration 0004 left
    them to this one, as its code writes today's columns)."""
    conn = conn or _conn()
    (row,) = await conn.execute_query_dict('SELECT EXISTS (SELECT 1 FROM "report_day") AS kept')
    if not row["kept"]:
        await rebuild(conn)
        return
    # the local day is the UTC day or the one after it (Tehran is ahead of UTC): a request promised
    # before its local acceptance day is promised on or before its UTC day, a cheap first sieve
    utc_day = "date(submitted_at)" if _dialect(conn) == "sqlite" else "(submitted_at AT TIME ZONE 'UTC')::date"
    cols = ", ".join(f'"{c}"' for c in FACT_FIELDS)
    rows = await conn.execute_query_dict(f'SELECT {cols} FROM "request" WHERE promised_date <= {utc_day}')
    delta = Delta.empty()
    for fact in map(_typed, rows):
        submitted = local_day(fact["submitted_at"])
        if fact["promised_date"] < submitted:
            for dim, code in scopes(fact):
                delta.day(dim, code, submitted, "submitted_late", 1)
    await apply(delta, conn)


TABLES = {  # table: (its key columns after dim, code, span, day; its counters)
    "report_day": ([], list(DAY_COUNTERS)),
    "report_answer_time": (["days"], ["n"]),
    "report_score": (["item", "axis", "score"], ["n"]),
}


async def roll_up_months(conn=None) -> None:
    """Month rows (span "m") from the day rows, for summaries filled in SQL with day rows only."""
    conn = conn or _conn()
    sqlite = _dialect(conn) == "sqlite"
    (row,) = await conn.execute_query_dict('SELECT MIN("day") AS first, MAX("day") AS last FROM "report_day"')
    if row["first"] is None:
        return
    as_date = lambda v: v if isinstance(v, date) else date.fromisoformat(v)
    literal = (lambda d: f"'{d.isoformat()}'") if sqlite else (lambda d: f"DATE '{d.isoformat()}'")
    table_of_months = " UNION ALL ".join(
        f"SELECT {literal(first)} AS first, {literal(last)} AS last"
        for first, last in months(as_date(row["first"]), as_date(row["last"]))
    )
    for table, (keys, counters) in TABLES.items():
        cols = ", ".join(f't."{c}"' for c in keys)
        names = ", ".join(f'"{c}"' for c in [*keys, *counters])
        sums = ", ".join(f'SUM(t."{c}")' for c in counters)
        group = ", ".join(["t.dim", "t.code", "m.first", *(f't."{c}"' for c in keys)])
        await conn.execute_script(
            f"""INSERT INTO "{table}" (dim, code, span, day, {names})
                SELECT t.dim, t.code, 'm', m.first, {cols + ", " if cols else ""}{sums}
                FROM "{table}" t JOIN ({table_of_months}) m ON t.day BETWEEN m.first AND m.last
                WHERE t.span = 'd' GROUP BY {group}"""
        )


def _rebuild_sql() -> list[str]:
    """PostgreSQL: each figure grouped by the request's own columns first, then summed per scope
    (day rows; roll_up_months adds the month rows)."""
    tz = SUMMARY_TZ
    day = lambda col: f"(({col}) AT TIME ZONE '{tz}')::date"
    s, a = day("submitted_at"), day("answered_at")
    took = "(answered_at - submitted_at)"
    ms = f"FLOOR(EXTRACT(EPOCH FROM {took}) * 1000)::bigint"
    whole_days = f"GREATEST(0, FLOOR(EXTRACT(EPOCH FROM {took}) / 86400))::int"
    cols = "unit_code, agency_code, service_code, unit_place"
    expand = (
        "CROSS JOIN LATERAL (VALUES ('', ''), ('unit', unit_code), ('agency', agency_code), "
        "('service', service_code), ('place', unit_place)) AS d(dim, code)"
    )
    zeros = dict.fromkeys(DAY_COUNTERS, "0")

    def part(day_sql: str, where: str = "", **counters: str) -> str:
        values = {**zeros, **counters}
        select = ", ".join(f"SUM({v})::bigint AS {k}" for k, v in values.items())
        return f"SELECT {day_sql} AS day, {cols}, {select} FROM request {where} GROUP BY 1, {cols}"

    fine = " UNION ALL ".join(
        [
            part(s, submitted="1", submitted_late=f"({s} > promised_date)::int"),
            part(f"GREATEST({s}, promised_date)", due="1"),
            part(
                a,
                "WHERE answered_at IS NOT NULL",
                answered="1",
                on_time=f"({a} <= promised_date)::int",
                answer_ms=ms,
            ),
            part(f"GREATEST({a}, promised_date)", "WHERE answered_at IS NOT NULL", settled="1"),
        ]
    )
    counters = ", ".join(f'"{c}"' for c in DAY_COUNTERS)
    sums = ", ".join(f"SUM({c})" for c in DAY_COUNTERS)
    survey_day = day("s.completed_at")
    return [
        f"""INSERT INTO report_day (dim, code, span, day, {counters})
            SELECT dim, code, 'd', day, {sums} FROM ({fine}) f {expand} GROUP BY dim, code, day""",
        f"""INSERT INTO report_answer_time (dim, code, span, day, days, n)
            SELECT dim, code, 'd', day, days, SUM(n) FROM (
                SELECT {a} AS day, {whole_days} AS days, {cols}, COUNT(*) AS n FROM request
                WHERE answered_at IS NOT NULL GROUP BY 1, 2, {cols}
            ) f {expand} GROUP BY dim, code, day, days""",
        f"""INSERT INTO report_score (dim, code, span, day, item, axis, score, n)
            SELECT dim, code, 'd', day, item, axis, score, SUM(n) FROM (
                SELECT {survey_day} AS day, a.item, a.axis, a.score, {cols}, COUNT(*) AS n
                FROM survey_answer a JOIN survey_response s ON s.id = a.response_id
                JOIN request q ON q.id = s.request_id
                WHERE s.completed_at IS NOT NULL GROUP BY 1, 2, 3, 4, {cols}
            ) f {expand} GROUP BY dim, code, day, item, axis, score""",
        f"""INSERT INTO report_day (dim, code, span, day, {counters})
            SELECT dim, code, 'd', day, {", ".join("SUM(n)" if c == "surveys" else "0" for c in DAY_COUNTERS)} FROM (
                SELECT {survey_day} AS day, {cols}, COUNT(*) AS n
                FROM survey_response s JOIN request q ON q.id = s.request_id
                WHERE s.completed_at IS NOT NULL GROUP BY 1, {cols}
            ) f {expand} GROUP BY dim, code, day
            ON CONFLICT (dim, code, span, day) DO UPDATE SET surveys = report_day.surveys + excluded.surveys""",
    ]
