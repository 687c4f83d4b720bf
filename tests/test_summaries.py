"""The per-day report summaries (desk/summaries.py) against a full recomputation, after a seeded
random sequence of submissions, answers, rejections, transfers and questionnaires made through the
desk's own functions (SQLite and PostgreSQL); the figures read from them against the figures of a
scan of the requests; the migration's backfill."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

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
        if roll < 0.4 or not open_ids:
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
async def test_summaries_equal_a_full_recomputation_after_random_changes(db, clock, seed):
    rng = random.Random(seed)
    await random_changes(rng, clock, 160)
    assert await Request.filter(status=RequestStatus.ANSWERED).count() > 20
    assert await Request.filter(unit_code="muni-d5").count() > 5  # transfers happened
    assert await SurveyResponse.filter(completed_at__isnull=False).count() > 3
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
        for at in (now, now - timedelta(hours=7), datetime(2026, 1, 1, tzinfo=UTC)):
            fast, slow = await reports.figures(q, now=at), await scan(reports.figures)(q, now=at)
            for name in ("accepted", "answered", "open", "overdue", "responses", "scores"):
                assert getattr(fast, name) == getattr(slow, name), (name, q, at)
            for name in ("mean_days", "on_time", "item_means", "axis_means", "satisfied"):
                assert getattr(fast, name) == pytest.approx(getattr(slow, name)), (name, q, at)
            assert fast.median_days == await whole_day_median(q)
        assert await reports.requests_per_week(q) == await scan(reports.requests_per_week)(q)
        assert await reports.answer_time_histogram(q, cap=5) == await scan(reports.answer_time_histogram)(q, cap=5)
        assert await reports.accepted(q) == await scan(reports.accepted)(q)


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
    # what migration 0004 runs over a database that already holds requests (going back past the
    # later migrations and forward again is covered by test_migrations' upgrade of a populated desk)
    await Tortoise.init(config=tortoise_config(db_url))
    await summaries.rebuild()
    assert await summaries.stored() == expected
    await Tortoise.close_connections()
