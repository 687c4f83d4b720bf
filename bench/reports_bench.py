"""Reports benchmark: fill N requests (default 1,000,000) with their events and surveys, then time
/stats for a Jalali year (with the previous year beside it) and /audit, on PostgreSQL and SQLite.

    python -m bench.reports_bench                      # 1,000,000 rows, both databases
    python -m bench.reports_bench --requests 100000 --db sqlite
    python -m bench.reports_bench --pg postgres://postgres@127.0.0.1:5432/bench
    python -m bench.reports_bench --sqlite /tmp/bench.sqlite3      # keep the SQLite file...
    python -m bench.reports_bench --reuse --sqlite /tmp/bench.sqlite3   # ...and time it again

The PostgreSQL database is emptied (schema public dropped) first. Rows are written with COPY on
PostgreSQL and executemany in chunks on SQLite. Every figure is computed in the database
(desk/reports.py); the script prints the timings and the figures."""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tortoise import Tortoise

from bot.config import ROOT
from bot.db import tortoise_config
from bot.reports import audit
from desk import reports
from desk.catalog import load_catalog
from desk.survey import load_form

START = datetime(2024, 3, 20, tzinfo=UTC)  # 1403/01/01
SPAN = timedelta(days=730)
UNITS = [(f"unit-{i}", f"agency-{i % 4}", "hq" if i % 5 == 0 else "line") for i in range(20)]
SERVICES = [f"service-{i}" for i in range(50)]
CHUNK = 20_000
# The indexes the report queries use (declared in the models; created here too, in case the
# schema was made before they were added).
INDEXES = [
    "CREATE INDEX IF NOT EXISTS request_answered_at ON request (answered_at)",
    "CREATE INDEX IF NOT EXISTS request_submitted_at ON request (submitted_at)",
    "CREATE INDEX IF NOT EXISTS survey_response_completed_at ON survey_response (completed_at)",
]


def rows(n: int, seed: int = 4):
    """Requests, events, survey responses and answers, deterministic for a seed."""
    rnd = random.Random(seed)
    axes = {item.number: axis.code for item, axis in load_form().items}
    for i in range(1, n + 1):
        submitted = START + SPAN * rnd.random()
        unit, agency, place = UNITS[rnd.randrange(len(UNITS))]
        promised = (submitted + timedelta(days=rnd.choice((0, 3, 5, 10)))).date()
        answered = submitted + timedelta(days=rnd.expovariate(1 / 4)) if rnd.random() < 0.9 else None
        status = "answered" if answered else "in_progress"
        request = (
            i,
            f"{i:012d}",
            1 + i % 1000,
            f"b{i}",
            rnd.choice(SERVICES),
            1,
            "{}",
            agency,
            unit,
            place,
            status,
            "[]",
            submitted,
            promised,
            answered,
            submitted,
            submitted,
            False,
            False,
        )
        events = [(2 * i - 1, i, "submitted", "citizen", True, submitted)]
        if answered:
            events.append((2 * i, i, "answered", "staff", True, answered))
        survey = answers = None
        if answered and rnd.random() < 0.3:
            completed = answered + timedelta(hours=rnd.random() * 48)
            survey = (i, i, 1 + i % 1000, "1396-2-6", 22, "{}", completed, answered, completed, completed)
            answers = [
                (16 * (i - 1) + item, i, item, axes[item], rnd.choice((1, 2, 3, 3, 4, 4))) for item in range(1, 17)
            ]
        yield request, events, survey, answers


REQUEST_COLS = [
    "id",
    "tracking_code",
    "citizen_id",
    "submit_token",
    "service_code",
    "service_version",
    "card",
    "agency_code",
    "unit_code",
    "unit_place",
    "status",
    "answers",
    "submitted_at",
    "promised_date",
    "answered_at",
    "created_at",
    "updated_at",
    "due_soon_notified",
    "overdue_notified",
]
EVENT_COLS = ["id", "request_id", "kind", "actor", "public", "at"]
SURVEY_COLS = [
    "id",
    "request_id",
    "citizen_id",
    "form_version",
    "step",
    "respondent",
    "completed_at",
    "invited_at",
    "created_at",
    "updated_at",
]
ANSWER_COLS = ["id", "response_id", "item", "axis", "score"]
TABLES = [
    ("request", REQUEST_COLS),
    ("request_event", EVENT_COLS),
    ("survey_response", SURVEY_COLS),
    ("survey_answer", ANSWER_COLS),
]


async def fill(n: int, postgres: bool) -> float:
    conn = Tortoise.get_connection("default")
    t0 = time.perf_counter()
    now = datetime.now(UTC)
    citizens = [(i, "telegram", i, i, "", False, now, now) for i in range(1, 1001)]
    await write(
        conn,
        postgres,
        "citizen",
        ["id", "platform", "user_id", "chat_id", "first_name", "mobile_verified", "created_at", "updated_at"],
        citizens,
    )
    buffers = {table: [] for table, _ in TABLES}

    async def flush():
        for table, cols in TABLES:
            if buffers[table]:
                await write(conn, postgres, table, cols, buffers[table])
                buffers[table].clear()

    for request, events, survey, answers in rows(n):
        buffers["request"].append(request)
        buffers["request_event"] += events
        if survey:
            buffers["survey_response"].append(survey)
            buffers["survey_answer"] += answers
        if len(buffers["request"]) >= CHUNK:
            await flush()
    await flush()
    for sql in INDEXES:
        await conn.execute_script(sql)
    await conn.execute_script("VACUUM ANALYZE" if postgres else "ANALYZE")
    return time.perf_counter() - t0


async def write(conn, postgres: bool, table: str, cols: list[str], values: list[tuple]) -> None:
    if postgres:
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(table, records=values, columns=cols)
        return

    def cell(v):
        if isinstance(v, datetime):
            return str(v)
        if isinstance(v, date):
            return v.isoformat()
        return v

    marks = ", ".join("?" for _ in cols)
    sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({marks})'
    await conn.execute_many(sql, [[cell(v) for v in row] for row in values])


async def measure(label: str, url: str, n: int, reuse: bool = False) -> None:
    await Tortoise.init(config=tortoise_config(url))
    postgres = url.startswith("postgres")
    if reuse:
        print(f"\n== {label}: reusing the rows already there")
    else:
        if postgres:
            await Tortoise.get_connection("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.generate_schemas()
        filled = await fill(n, postgres)
        print(f"\n== {label}: {n:,} requests filled in {filled:.1f} s")
    q = reports.Query(date(2025, 3, 21), date(2026, 3, 20), "year")  # 1404
    for attempt in ("cold", "warm"):
        t0 = time.perf_counter()
        r = await reports.report(q, now=START + SPAN)
        elapsed = time.perf_counter() - t0
        print(f"/stats year 1404 with 1403 beside it ({attempt}): {elapsed:.3f} s")
    for name, f in (("1404", r.current), ("1403", r.previous)):
        print(
            f"  {name}: accepted {f.accepted:,} answered {f.answered:,} open {f.open:,} overdue {f.overdue:,} "
            f"mean {f.mean_days:.2f} d median {f.median_days:.2f} d on time {f.on_time:.1%} "
            f"responses {f.responses:,} satisfied {f.satisfied:.1%}"
        )
    t0 = time.perf_counter()
    one = reports.Query(q.start, q.end, "year", {"unit_code": "unit-3"})
    await reports.report(one, now=START + SPAN)
    print(f"/stats year unit-3: {time.perf_counter() - t0:.3f} s")
    t0 = time.perf_counter()
    data = await audit.build(
        load_catalog(ROOT / "tests" / "data" / "catalog"), q, lambda k: k, "fa", service_link=lambda code: code
    )
    print(f"/audit (survey part over the year): {time.perf_counter() - t0:.3f} s, {len(data):,} bytes")
    await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("both", "postgres", "sqlite"), default="both")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sqlite", help="SQLite file to fill (or reuse); default a temporary one")
    parser.add_argument("--reuse", action="store_true", help="time the rows of an earlier run (SQLite: needs --sqlite)")
    args = parser.parse_args()
    if args.db in ("both", "postgres"):
        asyncio.run(measure("PostgreSQL", args.pg, args.requests, args.reuse))
    if args.db in ("both", "sqlite"):
        if args.sqlite:
            if not args.reuse:
                Path(args.sqlite).unlink(missing_ok=True)
            asyncio.run(measure("SQLite", f"sqlite://{Path(args.sqlite).resolve()}", args.requests, args.reuse))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                asyncio.run(measure("SQLite", f"sqlite://{Path(tmp) / 'bench.sqlite3'}", args.requests))


if __name__ == "__main__":
    main()
