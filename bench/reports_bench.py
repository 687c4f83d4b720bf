"""Reports benchmark: /stats, /chart and the audit's survey figures on 1,000,000 and 10,000,000
requests, PostgreSQL and SQLite side by side.

    python -m bench.reports_bench                                   # 1M and 10M, both databases
    python -m bench.reports_bench --sizes 1000000 --db sqlite
    python -m bench.reports_bench --pg postgres://postgres@127.0.0.1:5432/bench --sqlite /tmp/bench.sqlite3

The PostgreSQL database (default mizban_bench on 127.0.0.1, created if missing) is emptied first
(schema public dropped); SQLite uses a temporary file unless --sqlite names one. Each database
makes its rows itself: generate_series on PostgreSQL, a recursive CTE on SQLite, every value a
function of the row number (the same requests on both), in one statement per million with the
tables' plain indexes dropped while they fill (built again after, by sorting): 20 units of 4
agencies, 50 services, the Jalali years 1403 and 1404 up to the bench's now (19:30 on 1404/12/28,
Tehran), 90% answered within 0-9 days (those whose answer would come after now still open), a
completed questionnaire for one answered request in 33. So nothing is recorded after now, as on a
desk. The first size is filled, timed, then grown to the next one. The summaries are then
rebuilt: on PostgreSQL by desk/summaries.rebuild() (what the migration does); on SQLite by the same
aggregation in SQL with Tehran's fixed +03:30 offset, then summaries.roll_up_months() (the rows are
all after its last change of offset; rebuild() there goes through Python, which is exact for any
date but takes minutes for 10M rows).

Each figure is timed five times and the median printed, in milliseconds; "scanning" is the same
/stats with the summaries switched off (every figure from the requests, what /stats did before
them), timed once. The whole run prints how long it took (about 40 minutes on two shared cores)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

from tortoise import Tortoise

from bot.db import tortoise_config
from desk import reports, summaries
from desk.survey import load_form

EPOCH = 1710892800  # 2024-03-20 00:00 UTC, the evening before 1403/01/01
NOW = datetime(2026, 3, 19, 16, tzinfo=UTC)  # 19:30 on 1404/12/28 in Tehran: the data end here
SPAN_SECONDS = int(NOW.timestamp()) - EPOCH
YEAR_1404 = reports.Query(date(2025, 3, 21), date(2026, 3, 20), "year")
AFTER = datetime(2026, 3, 21, 12, tzinfo=UTC)  # 1404 is over
RUNS = 5
TABLES = ("request", "survey_response", "survey_answer")


def request_sql(postgres: bool, lo: int, hi: int) -> str:
    """INSERT the requests lo..hi; every column a function of the row number i."""
    took = "(((i * 40503) % 259200) + ((i * 69069) % 259200) + ((i * 1103515245) % 259200))"
    sub = f"((i * 2654435761) % {SPAN_SECONDS})"
    promised = "(CASE (i * 7) % 4 WHEN 0 THEN 0 WHEN 1 THEN 3 WHEN 2 THEN 5 ELSE 10 END)"
    answered = f"(i % 10 <> 0 AND {sub} + {took} < {SPAN_SECONDS})"  # those answered by now
    if postgres:
        stamp = lambda s: f"(TIMESTAMPTZ '2024-03-20 00:00:00+00' + ({s}) * INTERVAL '1 second')"
        local_day = f"(({stamp(sub)} AT TIME ZONE 'Asia/Tehran')::date + {promised})"
        code, source = "lpad(i::text, 12, '0')", f"generate_series({lo}::bigint, {hi}) AS g(i)"
        prefix, false = "", "false"
    else:
        stamp = lambda s: f"(datetime({EPOCH} + {s}, 'unixepoch') || '+00:00')"
        local_day = f"date({EPOCH} + {sub} + 12600 + {promised} * 86400, 'unixepoch')"
        code, source = "printf('%012d', i)", "g"
        prefix, false = f"WITH RECURSIVE g(i) AS (SELECT {lo} UNION ALL SELECT i + 1 FROM g WHERE i < {hi}) ", "0"
    unit = "((i * 104729) % 20)"
    return f"""INSERT INTO request (id, tracking_code, citizen_id, submit_token, service_code, service_version, card,
            agency_code, unit_code, unit_place, status, answers, submitted_at, promised_date, answered_at,
            created_at, updated_at, due_soon_notified, overdue_notified, channel)
        {prefix}SELECT i, {code}, 1 + i % 1000, 'b' || i, 'service-' || ((i * 7919) % 50), 1, '{{}}',
            'agency-' || ({unit} % 4), 'unit-' || {unit}, CASE WHEN {unit} % 5 = 0 THEN 'hq' ELSE 'line' END,
            CASE WHEN {answered} THEN 'answered' ELSE 'in_progress' END, '[]', {stamp(sub)}, {local_day},
            CASE WHEN {answered} THEN {stamp(f"{sub} + {took}")} END, {stamp(sub)}, {stamp(sub)}, {false}, {false},
            CASE WHEN i % 7 = 0 THEN 'in_person' ELSE 'messenger' END
        FROM {source}"""


def survey_sql(postgres: bool, lo: int, hi: int) -> list[str]:
    later = "completed"
    if postgres:
        completed = "answered_at + (id % 48) * INTERVAL '1 hour'"
    else:
        completed = "datetime(answered_at, '+' || (id % 48) || ' hours') || '+00:00'"
    items = " UNION ALL ".join(f"SELECT {i.number} AS item, '{a.code}' AS axis" for i, a in load_form().items)
    return [
        f"""INSERT INTO survey_response (id, request_id, citizen_id, form_version, step, respondent, completed_at,
                invited_at, created_at, updated_at)
            SELECT id, id, citizen_id, '1396-2-6', 22, '{{}}', {completed} AS {later}, answered_at, answered_at,
                answered_at
            FROM request WHERE answered_at IS NOT NULL AND id % 33 = 0 AND id BETWEEN {lo} AND {hi}""",
        f"""INSERT INTO survey_answer (response_id, item, axis, score)
            SELECT s.id, it.item, it.axis, 1 + (s.id * it.item * 7) % 4
            FROM survey_response s CROSS JOIN ({items}) it WHERE s.id BETWEEN {lo} AND {hi}""",
    ]


def sqlite_summary_sql() -> list[str]:
    """desk/summaries.py's aggregation in SQLite SQL, with Tehran's fixed offset (see the module's note)."""
    day = lambda col: f"date({col}, '+12600 seconds')"
    s, a = day("submitted_at"), day("answered_at")
    secs = "CAST(round((julianday(answered_at) - julianday(submitted_at)) * 86400) AS INTEGER)"
    cols = "unit_code, agency_code, service_code, unit_place"
    dims = "(SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) d"
    dim = "CASE k WHEN 0 THEN '' WHEN 1 THEN 'unit' WHEN 2 THEN 'agency' WHEN 3 THEN 'service' ELSE 'place' END"
    code = (
        "CASE k WHEN 0 THEN '' WHEN 1 THEN unit_code WHEN 2 THEN agency_code WHEN 3 THEN service_code "
        "ELSE unit_place END"
    )
    counters = summaries.DAY_COUNTERS

    def part(day_sql: str, where: str = "", **values: str) -> str:
        select = ", ".join(f"SUM({values.get(c, '0')}) AS {c}" for c in counters)
        return f"SELECT {day_sql} AS day, {cols}, {select} FROM request {where} GROUP BY 1, {cols}"

    fine = " UNION ALL ".join(
        [
            part(s, submitted="1", submitted_late=f"({s} > promised_date)"),
            part(f"max({s}, promised_date)", due="1"),
            part(
                a,
                "WHERE answered_at IS NOT NULL",
                answered="1",
                on_time=f"({a} <= promised_date)",
                answer_ms=f"{secs} * 1000",
            ),
            part(f"max({a}, promised_date)", "WHERE answered_at IS NOT NULL", settled="1"),
            "SELECT "
            + day("s.completed_at")
            + f" AS day, {cols}, "
            + ", ".join("COUNT(*)" if c == "surveys" else "0" for c in counters)
            + f" FROM survey_response s JOIN request q ON q.id = s.request_id GROUP BY 1, {cols}",
        ]
    )
    names = ", ".join(counters)
    sums = ", ".join(f"SUM({c})" for c in counters)
    return [
        f"""INSERT INTO report_day (dim, code, span, day, {names})
            SELECT {dim}, {code}, 'd', day, {sums} FROM ({fine}) f, {dims} GROUP BY 1, 2, 4""",
        f"""INSERT INTO report_answer_time (dim, code, span, day, days, n)
            SELECT {dim}, {code}, 'd', day, days, SUM(n) FROM (
                SELECT {a} AS day, max(0, {secs} / 86400) AS days, {cols}, COUNT(*) AS n FROM request
                WHERE answered_at IS NOT NULL GROUP BY 1, 2, {cols}) f, {dims} GROUP BY 1, 2, 4, 5""",
        f"""INSERT INTO report_score (dim, code, span, day, item, axis, score, n)
            SELECT {dim}, {code}, 'd', day, item, axis, score, SUM(n) FROM (
                SELECT {day("s.completed_at")} AS day, a.item, a.axis, a.score, {cols}, COUNT(*) AS n
                FROM survey_answer a JOIN survey_response s ON s.id = a.response_id
                JOIN request q ON q.id = s.request_id GROUP BY 1, 2, 3, 4, {cols}
            ) f, {dims} GROUP BY 1, 2, 4, 5, 6, 7""",
    ]


async def plain_indexes(postgres: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of the filled tables that back no constraint."""
    conn = Tortoise.get_connection("default")
    names = ", ".join(f"'{t}'" for t in TABLES)
    if postgres:
        sql = (
            f"SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename IN ({names}) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
    else:
        sql = f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({names}) AND sql IS NOT NULL"
    return [(row["name"], row["sql"]) for row in await conn.execute_query_dict(sql)]


async def grow(postgres: bool, lo: int, hi: int) -> tuple[float, float]:
    """Add requests lo..hi (with their questionnaires), then rebuild the summaries: (seconds, seconds)."""
    conn = Tortoise.get_connection("default")
    t0 = time.perf_counter()
    if lo == 1:
        now = "now()" if postgres else "datetime('now')"
        await conn.execute_script(
            "INSERT INTO citizen (id, platform, user_id, chat_id, first_name, mobile_verified, created_at, updated_at) "
            f"SELECT i, 'telegram', i, i, '', {'false' if postgres else '0'}, {now}, {now} FROM "
            + (
                "generate_series(1, 1000) g(i)"
                if postgres
                else "(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 1000) SELECT i FROM g)"
            )
        )
    indexes = await plain_indexes(postgres)
    for name, _ in indexes:
        await conn.execute_script(f'DROP INDEX "{name}"')
    step = 1_000_000
    for first in range(lo, hi + 1, step):
        last = min(hi, first + step - 1)
        await conn.execute_script(request_sql(postgres, first, last))
        for sql in survey_sql(postgres, first, last):
            await conn.execute_script(sql)
    for _, sql in indexes:
        await conn.execute_script(sql)
    await conn.execute_script("ANALYZE")
    filled = time.perf_counter() - t0
    t0 = time.perf_counter()
    if postgres:
        await summaries.rebuild()
        await conn.execute_script("VACUUM ANALYZE")
    else:
        for table in summaries.TABLES:
            await conn.execute_script(f"DELETE FROM {table}")
        for sql in sqlite_summary_sql():
            await conn.execute_script(sql)
        await summaries.roll_up_months()
        await conn.execute_script("ANALYZE")
    return filled, time.perf_counter() - t0


async def timed(fn) -> float:
    runs = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        await fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


async def chart(q: reports.Query):
    await reports.requests_per_week(q)
    await reports.answer_time_histogram(q, cap=30)
    await reports.survey_figures(q, reports.Figures())


FIGURES = {
    "/stats year 1404 (1403 beside it)": lambda: reports.report(YEAR_1404, now=AFTER),
    "/stats year 1404 while it runs (today's row)": lambda: reports.report(YEAR_1404, now=NOW),
    "/stats year 1404 as of an hour ago (that hour's requests read)": lambda: reports.report(
        YEAR_1404, now=NOW - timedelta(hours=1)
    ),
    "/stats season, one unit": lambda: reports.report(
        reports.Query(date(2025, 12, 22), date(2026, 3, 20), "season", {"unit_code": "unit-3"}), now=AFTER
    ),
    "/stats year, one service": lambda: reports.report(
        reports.Query(YEAR_1404.start, YEAR_1404.end, "year", {"service_code": "service-7"}), now=AFTER
    ),
    "/chart year (weeks, answer times, axes)": lambda: chart(YEAR_1404),
    "/audit survey figures (year)": lambda: reports.survey_figures(YEAR_1404, reports.Figures()),
}


async def scan_year() -> float:
    reports.USE_SUMMARIES = False
    try:
        t0 = time.perf_counter()
        await reports.report(YEAR_1404, now=AFTER)
        return (time.perf_counter() - t0) * 1000
    finally:
        reports.USE_SUMMARIES = True


async def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of the URL when it does not exist yet."""
    import asyncpg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    try:
        await (await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))).close()
    except asyncpg.InvalidCatalogNameError:
        admin = await asyncpg.connect(parsed._replace(scheme="postgresql", path="/postgres").geturl())
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()


async def measure(label: str, url: str, sizes: list[int], results: dict) -> None:
    postgres = url.startswith("postgres")
    if postgres:
        await ensure_database(url)
    await Tortoise.init(config=tortoise_config(url))
    conn = Tortoise.get_connection("default")
    if postgres:
        await conn.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    else:  # a bench file: no durability needed while it fills; a larger page cache for the index builds
        await conn.execute_script("PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000")
    await Tortoise.generate_schemas()
    done = 0
    for n in sizes:
        column = f"{label} {n:,}"
        filled, rebuilt = await grow(postgres, done + 1, n)
        done = n
        print(f"{column}: requests filled in {filled:.0f} s, summaries in {rebuilt:.0f} s", flush=True)
        figures = {name: await timed(fn) for name, fn in FIGURES.items()}
        figures["/stats year 1404, scanning the requests (before; one run)"] = await scan_year()
        if n == sizes[0]:  # today's open and overdue from the rows are those of the requests
            reports.USE_SUMMARIES = False
            try:
                scanned = (await reports.report(YEAR_1404, now=NOW)).current
            finally:
                reports.USE_SUMMARIES = True
            print(
                f"  1404 at now, scanning the requests: open {scanned.open:,} overdue {scanned.overdue:,}", flush=True
            )
        for moment, at in (("1404", AFTER), ("1404 at now", NOW)):
            f = (await reports.report(YEAR_1404, now=at)).current
            print(
                f"  {moment}: accepted {f.accepted:,} answered {f.answered:,} open {f.open:,} overdue {f.overdue:,} "
                f"mean {f.mean_days:.2f} d median {f.median_days:.1f} d (whole days) on time {f.on_time:.1%} "
                f"responses {f.responses:,} satisfied {f.satisfied:.1%}",
                flush=True,
            )
        results[column] = figures
        for name, ms in figures.items():
            print(f"  {name}: {ms:.1f} ms", flush=True)
    await Tortoise.close_connections()


def table(results: dict) -> None:
    columns = list(results)
    names = list(dict.fromkeys(name for figures in results.values() for name in figures))
    width = max(map(len, names))
    print("\n" + " " * width + " | " + " | ".join(f"{c:>18}" for c in columns))
    for name in names:
        cells = [f"{results[c][name]:>15.1f} ms" if name in results[c] else " " * 18 for c in columns]
        print(f"{name:<{width}} | " + " | ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000000,10000000", help="request counts, growing (default 1M and 10M)")
    parser.add_argument("--db", choices=("both", "postgres", "sqlite"), default="both")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/mizban_bench")
    parser.add_argument("--sqlite", help="SQLite file to fill (emptied first); default a temporary one")
    args = parser.parse_args()
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    results: dict = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db in ("both", "postgres"):
            asyncio.run(measure("PostgreSQL", args.pg, sizes, results))
        if args.db in ("both", "sqlite"):
            path = Path(args.sqlite).resolve() if args.sqlite else Path(tmp) / "bench.sqlite3"
            for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                stale.unlink(missing_ok=True)
            asyncio.run(measure("SQLite", f"sqlite://{path}", sizes, results))
    table(results)
    print(f"\nthe whole bench: {(time.perf_counter() - t0) / 60:.0f} min")


if __name__ == "__main__":
    main()
