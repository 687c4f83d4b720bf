"""Test harness: the real dispatcher, a real Bot whose calls go to the in-process Bot API stand-in
(every call checked against the official spec), and a fresh database per test on SQLite and, where
reachable, PostgreSQL (mandatory when CI or REQUIRE_POSTGRES is set).

The desk is a Telegram bot; in a module marked `pytestmark = pytest.mark.both_platforms` every test
that uses the desk runs twice: against Telegram and against Bale (the stand-in then answers as Bale
documents, standin/bale.py; on SQLite only)."""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlparse

import pytest
from aiohttp.test_utils import TestClient, TestServer
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.app import build_dispatcher
from bot.config import Settings
from bot.delivery.webhook import make_app
from bot.platforms import DeskBot
from standin.core import Standin
from standin.session import StandinSession
from tests.factories import (
    BALE_TOKEN,
    PG_REQUIRED,
    PG_SERVER,
    REDIS_URL,
    SECRET,
    SPEC,
    TOKEN,
    Web,
    fresh_database,
    make_settings,
    reachable,
    report_data_set,
)

PLATFORMS = ("telegram", "bale")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "both_platforms: run the module's desk tests on Telegram and on Bale")


def pytest_generate_tests(metafunc) -> None:
    if "platform" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_platforms"):
        metafunc.parametrize("platform", PLATFORMS, indirect=True)


def pytest_collection_modifyitems(config, items) -> None:
    """A Bale variant runs on SQLite only: the database lies below the messenger, and every Telegram
    variant runs on PostgreSQL too (this keeps the suite's time in bounds)."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (drop if params.get("platform") == "bale" and params.get("db_url") == "postgres" else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def platform(request) -> str:
    """The desk's messenger: "telegram", or each of both in a module marked both_platforms."""
    return getattr(request, "param", "telegram")


@pytest.fixture(scope="session")
def pg_url():
    """A database of this test run's own on the PostgreSQL server (runs in parallel never collide)."""
    if not reachable("127.0.0.1", 5432):
        yield None
        return
    import asyncpg

    name = f"mizban_test_{os.getpid()}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_SERVER)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    yield PG_SERVER.rsplit("/", 1)[0] + "/" + name
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path, pg_url) -> str:
    # tortoise caches each model's SQL per connection *name*; the tests switch dialects under one name
    EXECUTOR_CACHE.clear()
    if request.param == "sqlite":
        return f"sqlite://{tmp_path}/desk.sqlite3"
    if pg_url is None:
        if PG_REQUIRED:
            pytest.fail("PostgreSQL is required (CI/REQUIRE_POSTGRES) but 127.0.0.1:5432 is not reachable")
        pytest.skip("PostgreSQL not reachable")
    return pg_url


@pytest.fixture
async def db(db_url):
    await fresh_database(db_url)
    yield db_url
    await Tortoise.close_connections()


class Desk:
    """One deployment under test: the stand-in world, the bot, the dispatcher."""

    def __init__(self, standin: Standin, bot: DeskBot, dp, settings: Settings):
        self.standin, self.bot, self.dp, self.settings = standin, bot, dp, settings

    @property
    def platform(self) -> str:
        return self.bot.platform

    def citizen(self, first_name: str = "Ali", **kw):
        return self.standin.user(first_name, **kw)

    def group(self, title: str = "Unit group", **kw):
        return self.standin.group(title, **kw)

    @property
    def catalog(self):
        return self.dp.workflow_data["services"].catalog

    async def deliver_outbox(self) -> int:
        """Deliver every pending outbox row now (the sender's logic, without its waiting)."""
        from bot.delivery.outbox_sender import deliver_pending

        return await deliver_pending(
            self.settings, {self.bot.platform: self.bot}, services=self.dp.workflow_data["services"]
        )

    def wire(self, dp) -> None:
        """Deliver the stand-in's updates to `dp` from now on (another process of the same deployment)."""
        _wire(self.standin, self.bot, dp)

    async def restart(self) -> Desk:
        """A new dispatcher and bot over the same database and stand-in (a process restart)."""
        await self.bot.session.close()
        bot = DeskBot(
            TOKEN,
            platform=self.platform,
            session=StandinSession(self.standin),
            payment_token=self.settings.payment_token,
        )
        dp = build_dispatcher(self.settings)
        _wire(self.standin, bot, dp)
        self.bot, self.dp = bot, dp
        return self


def _wire(standin: Standin, bot, dp) -> None:
    async def on_update(token: str, update: dict) -> None:
        await dp.feed_raw_update(bot, update)

    standin.on_update = on_update


@pytest.fixture(autouse=True)
def patient_press_answers(monkeypatch) -> None:
    """A press handler that answers with an alert must get to do so however slow the machine is at
    that moment: in tests the empty answer given for a handler still working waits 30 s, not the
    desk's 0.5 s (the test of that answer sets its own)."""
    from bot.delivery import callback_answers

    monkeypatch.setattr(callback_answers, "ANSWER_WITHIN", 30.0)


@pytest.fixture
def standin() -> Standin:
    return Standin(SPEC, strict=True)


@pytest.fixture
async def make_desk(db, tmp_path, standin, platform):
    """`await make_desk(**settings_overrides)`: a deployment under test (see `desk`), on `platform`."""
    made: list[Desk] = []

    async def factory(**overrides) -> Desk:
        settings = make_settings(tmp_path, platform=platform, **overrides)
        standin.add_bot(TOKEN, platform=platform)
        bot = DeskBot(TOKEN, platform=platform, session=StandinSession(standin), payment_token=settings.payment_token)
        dp = build_dispatcher(settings)
        _wire(standin, bot, dp)
        made.append(Desk(standin, bot, dp, settings))
        return made[-1]

    yield factory
    for d in made:
        await d.bot.session.close()
    assert not standin.violations, f"Bot API spec violations: {standin.violations}"


@pytest.fixture
async def desk(make_desk) -> Desk:
    """The desk with the shipped sample catalogue."""
    return await make_desk()


@pytest.fixture
async def redis_url():
    """An emptied Redis database for the test (TEST_REDIS_URL); skipped where Redis is not reachable, but
    mandatory in CI."""
    url = urlparse(REDIS_URL)
    if not reachable(url.hostname or "127.0.0.1", url.port or 6379):
        if PG_REQUIRED:
            pytest.fail(f"Redis is required in CI but {url.netloc} is not reachable")
        pytest.skip("Redis not reachable")
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield REDIS_URL
    await client.flushdb()
    await client.aclose()


@pytest.fixture
async def report_data(db):
    """The report tests' fixed data set (tests/factories.py), in a fresh database."""
    return await report_data_set()


@pytest.fixture
async def web(db, tmp_path, standin):
    """`await web(**settings)`: Telegram (and Bale when `bale=True`) bots behind one web app, the
    stand-in delivering every update through HTTP, twice when `twice` is set on the result."""
    made: list[TestClient] = []

    async def factory(bale: bool = False, **overrides) -> Web:
        overrides.setdefault("webhook", {"secret": SECRET, "path": "/hook"})
        if bale:
            overrides["bots"] = [{"token": BALE_TOKEN, "api_url": "https://tapi.bale.ai", "platform": "bale"}]
        settings = make_settings(tmp_path, **overrides)
        bots = {}
        for account in settings.accounts():
            standin.add_bot(account.token, platform=account.platform)
            bots[account.token] = DeskBot(account.token, platform=account.platform, session=StandinSession(standin))
        dp = build_dispatcher(settings)
        client = TestClient(TestServer(make_app(settings, dp, list(bots.values()))))
        await client.start_server()
        made.append(client)
        hosted = Web(client, settings, bots, dp)

        async def push(token: str, update: dict) -> None:
            hosted.update_ids.append(update["update_id"])
            for _ in range(2 if hosted.twice else 1):
                await hosted.post(bots[token], update)

        standin.on_update = push
        return hosted

    yield factory
    for client in made:
        await client.close()
    assert not standin.violations, standin.violations
