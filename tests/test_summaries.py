"""The per-day report summaries (desk/summaries.py) against a full recomputation, after a seeded
random sequence of submissions, answers, rejections, transfers and questionnaires made through the
desk's own functions (SQLite and PostgreSQL); the figures read from them against the figures of a
scan of the requests, today's open and overdue from today's row at the desk's now; the migrations'
backfill."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

import desk.requests
from bot.config import Calendar
from bot.db import migrate, tortoise_config
from desk import reports, summaries, survey, workflow
from desk.catalog import load_catalog
from desk.reports import Query
from desk.staff import Actor
from models import Citizen, Request, RequestStatus, SurveyResponse
from tests.factories import TEST_CATALOG

START = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
STAFF = Actor("telegram", 500, "Staff")


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock(monkeypatch):
    """The desk's time, moved by the test: submissions, answers and questionnaires happen at it."""
    clock = Clock(START)

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return clock.at if tz is None else clock.at.astimezone(tz)

    monkeypatch.setattr(desk.requests, "datetime", FrozenDatetime)
    monkeypatch.setattr(workflow, "now", clock.now)
    monkeypatch.setattr(survey, "now", clock.now)
    return clock


async def complete_survey(rng: random.Random, request: Request) -> None:
    citizen = await Citizen.get(id=request.citizen_id)
    response = await survey.open_for(citizen, request.id)
    form = survey.load_form()
    while (step := form.step(response.step)).kind != "done":
        value = str(rng.choice(sorted(form.scores))) if step.kind == "item" else ""
        assert await survey.answer(response, citizen, response.step, value)


async def random_changes(rng: random.Random, clock: Clock, steps: int) -> None:
    catalog = load_catalog(TEST_CATALOG)
    permit = catalog.services["permit"]
    cards = [permit, permit.model_copy(update={"code": "permit-b", "duration_days": 2})]
    same_day = permit.model_copy(update={"code": "permit-now", "duration_days": 0})
    calendar = Calendar().work_calendar()
    citizens = [await Citizen.create(platform="telegram", user_id=i, chat_id=i) for i in range(1, 6)]
    units = [(u.code, u.place) for u in catalog.units.values()]
    for n in range(steps):
        clock.at += timedelta(minutes=rng.randrange(0, 48 * 60))
        open_ids = list(await Request.filter(status__in=RequestStatus.OPEN).values_list("id", flat=True))
        closed = list(
            await Request.filter(status__in=RequestStatus.CLOSED, survey__completed_at__isnull=True).values_list(
                "id", flat=True
            )
        )
        roll = rng.random()
        if roll < 0.06:
            # a desk keeping its dates in UTC: a same-day service accepted after Tehran's midnight and
            # before UTC's is promised for the day before its (Tehran) acceptance day: overdue at once
            evening = datetime.combine(clock.at.date(), time(20, 45), UTC)
            clock.at = evening if clock.at < evening else evening + timedelta(days=1)
            clock.at += timedelta(minutes=rng.randrange(0, 180))
            await desk.requests.submit(
                citizen=rng.choice(citizens),
                card=same_day,
                catalog=catalog,
                answers=[],
                document_ids=[],
                submit_token=f"t{n}",
                calendar=calendar,
                tz=ZoneInfo("UTC"),
            )
        elif roll < 0.4 or not open_ids:
            await desk.requests.submit(
                citizen=rng.choice(citizens),
                card=rng.choice(cards),
                catalog=catalog,
                answers=[],
                document_ids=[],
                submit_token=f"t{n}",
                calendar=calendar,
                tz=summaries.ZONE,
            )
        elif roll < 0.62:
            assert (await workflow.deliver(rng.choice(open_ids), STAFF, "done", [])).code == "done"
        elif roll < 0.7:
            assert (await workflow.reject(rng.choice(open_ids), STAFF, "no")).code == "done"
        elif roll < 0.8:
            request = await Request.get(id=rng.choice(open_ids))
            unit, place = rng.choice([u for u in units if u[0] != request.unit_code])
            assert (await workflow.transfer(request.id, STAFF, unit, place)).code == "done"
        elif roll < 0.9 and closed:
            await complete_survey(rng, await Request.get(id=rng.choice(closed)))
        else:
            await workflow.note(rng.choice(open_ids), STAFF, "a note changes nothing that is counted")


async def no_scan(*args):
    raise AssertionError("requests read at the desk's now (nothing recorded after it)")


def scan(fn):
    """Run a report function with the summaries switched off (every figure from the requests)."""

    async def run(*args, **kwargs):
        reports.USE_SUMMARIES = False
        try:
            return await fn(*args, **kwargs)
        finally:
            reports.USE_SUMMARIES = True

    return run


async def whole_day_median(q: Query) -> float | None:
    start, end = reports.bounds(q)
    rows = await Request.filter(answered_at__gte=start, answered_at__lt=end, **q.scope).values_list(
        "submitted_at", "answered_at"
    )
    days = sorted((a - s) // timedelta(days=1) for s, a in rows)
    if not days:
        return None
    return (days[(len(days) - 1) // 2] + days[len(days) // 2]) / 2


@pytest.mark.parametrize("seed", [1, 2])
async def test_summaries_equal_a_full_recomputation_after_random_changes(db, clock, monkeypatch, seed):
    rng = random.Random(seed)
    await random_changes(rng, clock, 160)
    assert await Request.filter(status=RequestStatus.ANSWERED).count() > 20
    assert await Request.filter(unit_code="muni-d5").count() > 5  # transfers happened
    assert await SurveyResponse.filter(completed_at__isnull=False).count() > 3
    late = [
        r
        for r in await Request.filter(service_code="permit-now")
        if r.promised_date < summaries.local_day(r.submitted_at)
    ]
    assert len(late) > 3  # requests overdue on arrival
    kept = await summaries.stored()
    assert kept == await summaries.expected()
    # what the migration's backfill computes (on PostgreSQL in SQL) is the same
    await summaries.rebuild()
    assert await summaries.stored() == kept

    now = clock.at
    scopes = [{}, {"unit_code": "muni-d5"}, {"service_code": "permit-b"}, {"unit_place": "hq"}, {"agency_code": "muni"}]
    spans = [reports.period(kind, now.date()) for kind in ("month", "season", "year")]
    spans += [reports.period("month", date(2025, 4, 25)), (date(2025, 3, 10), date(2025, 5, 3))]
    for (start, end), scope in [(s, sc) for s in spans for sc in scopes]:
        q = Query(start, end, "month" if (end - start).days < 40 else None, scope)
        # the desk's now (a minute after the last change): today's open and overdue from today's row;
        # the instant of the last change and one before it: less the requests recorded after it
        for at in (now + timedelta(minutes=1), now, now - timedelta(hours=7), datetime(2026, 1, 1, tzinfo=UTC)):
            with monkeypatch.context() as patched:
                if at > now:
                    patched.setattr(reports, "_recorded_after", no_scan)
                fast = await reports.figures(q, now=at)
            slow = await scan(reports.figures)(q, now=at)
            for name in ("accepted", "answered", "open", "overdue", "responses", "scores"):
                assert getattr(fast, name) == getattr(slow, name), (name, q, at)
            for name in ("mean_days", "on_time", "item_means", "axis_means", "satisfied"):
                assert getattr(fast, name) == pytest.approx(getattr(slow, name)), (name, q, at)
            assert fast.median_days == await whole_day_median(q)
        assert await reports.requests_per_week(q) == await scan(reports.requests_per_week)(q)
        assert await reports.answer_time_histogram(q, cap=5) == await scan(reports.answer_time_histogram)(q, cap=5)
        assert await reports.accepted(q) == await scan(reports.accepted)(q)


async def test_todays_open_and_overdue_come_from_todays_row_at_the_desks_now(db, clock, monkeypatch):
    catalog = load_catalog(TEST_CATALOG)
    same_day = catalog.services["permit"].model_copy(update={"code": "permit-now", "duration_days": 0})
    citizen = await Citizen.create(platform="telegram", user_id=1, chat_id=1)

    async def submit(token: str, tz: ZoneInfo) -> Request:
        made = await desk.requests.submit(
            citizen=citizen,
            card=same_day,
            catalog=catalog,
            answers=[],
            document_ids=[],
            submit_token=token,
            calendar=Calendar().work_calendar(),
            tz=tz,
        )
        return made.request

    clock.at = datetime(2025, 5, 7, 8, 0, tzinfo=UTC)  # 1404/02/17, Tehran 11:30
    promised_earlier = await submit("a", summaries.ZONE)  # promised that day: overdue from the next one
    clock.at = datetime(2025, 5, 10, 21, 0, tzinfo=UTC)  # Tehran 00:30 on 1404/02/21, UTC still the 10th
    late_on_arrival = await submit("b", ZoneInfo("UTC"))
    assert late_on_arrival.promised_date == date(2025, 5, 10)  # the day before its Tehran acceptance day
    clock.at += timedelta(hours=1)
    assert (await workflow.deliver(promised_earlier.id, STAFF, "done", [])).code == "done"
    clock.at += timedelta(hours=1)

    q = reports.parse_args("month", date(2025, 5, 11))
    with monkeypatch.context() as patched:
        patched.setattr(reports, "_recorded_after", no_scan)
        now = await reports.request_figures(q, now=clock.at)
    assert (now.accepted, now.answered, now.open, now.overdue) == (2, 1, 1, 1)
    # open and overdue before the answer (the clock behind the data): the requests recorded after are read
    before = await reports.request_figures(q, now=clock.at - timedelta(minutes=90))
    assert (before.accepted, before.answered, before.open, before.overdue) == (2, 1, 2, 2)
    for at, f in ((clock.at, now), (clock.at - timedelta(minutes=90), before)):
        scanned = await scan(reports.request_figures)(q, now=at)
        assert (scanned.accepted, scanned.answered, scanned.open, scanned.overdue) == (
            f.accepted,
            f.answered,
            f.open,
            f.overdue,
        )
    assert await summaries.stored() == await summaries.expected()


async def test_a_change_made_around_the_desk_is_found_by_the_check(db, clock):
    await random_changes(random.Random(3), clock, 30)
    assert await summaries.stored() == await summaries.expected()
    some = await Request.filter(answered_at__isnull=False).first()
    await Request.filter(id=some.id).update(answered_at=some.answered_at + timedelta(days=3))
    assert await summaries.stored() != await summaries.expected()


def test_median_of_counts():
    assert reports.median_of_counts({}) is None
    assert reports.median_of_counts({3: 1}) == 3
    assert reports.median_of_counts({1: 1, 2: 1, 4: 1, 5: 1}) == 3
    assert reports.median_of_counts({0: 5, 9: 4}) == 0
    assert reports.median_of_counts({0: 5, 9: 5}) == 4.5


async def test_the_migration_backfills_the_summaries(db_url, clock):
    if db_url.startswith("postgres"):
        await Tortoise.init(config=tortoise_config(db_url))
        await Tortoise.get_connection("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.close_connections()
    await migrate(db_url)
    await Tortoise.init(config=tortoise_config(db_url))
    await random_changes(random.Random(4), clock, 40)
    expected = await summaries.stored()
    assert expected.days and expected == await summaries.expected()
    async with in_transaction() as conn:  # as a database from before the summaries
        await conn.execute_script(
            'DELETE FROM "report_day"; DELETE FROM "report_answer_time"; DELETE FROM "report_score"'
        )
    await Tortoise.close_connections()
    # what migration 0007 runs over a database that already holds requests (going back past the
    # later migrations and forward again is covered by test_migrations' upgrade of a populated desk)
    await Tortoise.init(config=tortoise_config(db_url))
    await summaries.backfill_submitted_late()
    assert await summaries.stored() == expected
    # ... and over summaries from before the counter it adds
    assert any(counters[summaries.DAY_COUNTERS.index("submitted_late")] for counters in expected.days.values())
    await Tortoise.get_connection("default").execute_script('UPDATE "report_day" SET "submitted_late" = 0')
    assert await summaries.stored() != expected
    await summaries.backfill_submitted_late()
    assert await summaries.stored() == expected
    await Tortoise.close_connections()
