"""Production shape: two real `python -m bot webhook` processes on PostgreSQL and Redis behind one
Bot API (the HTTP stand-in started here), receiving updates alternately, some of them twice.

Like the Bot API, the stand-in sends one chat's next update only once the previous one is answered,
and several chats at once. Skipped when PostgreSQL or Redis is unreachable, unless CI or
REQUIRE_POSTGRES is set."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from tortoise import Tortoise

from bot.config import ROOT
from models import Citizen, ProcessedUpdate
from standin.core import Standin
from standin.server import make_app as make_standin_app
from tests.factories import PG_REQUIRED, PG_SERVER, SPEC, TOKEN, fresh_database, reachable

PG_URL = os.environ.get("TEST_WEBHOOK_POSTGRES_URL", PG_SERVER)  # for the reachability check
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SECRET = "prod-secret_42"
BOT_ID = int(TOKEN.split(":")[0])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_services() -> None:
    from urllib.parse import urlparse

    pg, redis = urlparse(PG_URL), urlparse(REDIS_URL)
    missing = [
        name
        for name, url in (("PostgreSQL", pg), ("Redis", redis))
        if not reachable(url.hostname or "127.0.0.1", url.port or 0)
    ]
    if missing:
        if PG_REQUIRED:
            pytest.fail(f"{' and '.join(missing)} required (CI/REQUIRE_POSTGRES) but not reachable")
        pytest.skip(f"{' and '.join(missing)} not reachable")


@dataclass
class Worker:
    url: str
    process: asyncio.subprocess.Process
    log: Path

    async def metrics(self, session: aiohttp.ClientSession) -> str:
        async with session.get(f"{self.url}/metrics") as resp:
            return await resp.text()


def metric_sum(text: str, name: str) -> float:
    return sum(float(v) for v in re.findall(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


async def start_worker(tmp_path: Path, n: int, api_url: str, base_url: str, port: int, database_url: str) -> Worker:
    config = tmp_path / f"web{n}.toml"
    config.write_text(
        f'[webhook]\nhost = "127.0.0.1"\nport = {port}\npath = "/webhook"\n'
        f'[documents]\ndir = "{tmp_path / "documents"}"\n'
    )
    env = {
        **os.environ,
        "BOT_CONFIG": str(config),
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": api_url,
        "BOT_PLATFORM": "telegram",
        "BOT_ADMINS": "",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_BASE_URL": base_url,
    }
    log = tmp_path / f"web{n}.log"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "webhook",
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=asyncio.subprocess.STDOUT,
    )
    return Worker(f"http://127.0.0.1:{port}", process, log)


async def wait_healthy(session: aiohttp.ClientSession, worker: Worker, timeout: float = 120) -> None:
    """Until the worker answers /healthz; `timeout` only guards against a hang (a loaded machine starts
    Python slowly), it measures nothing."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if worker.process.returncode is not None:
            pytest.fail(f"worker exited: {worker.log.read_text()[-3000:]}")
        try:
            async with session.get(f"{worker.url}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    pytest.fail(f"worker not healthy in {timeout}s: {worker.log.read_text()[-3000:]}")


@dataclass
class Deployment:
    standin: Standin
    workers: list[Worker]
    session: aiohttp.ClientSession
    redis: object
    statuses: list[int] = field(default_factory=list)
    duplicated: int = 0

    async def post(self, worker: Worker, update: dict) -> int:
        async with self.session.post(
            f"{worker.url}/webhook/{BOT_ID}/{SECRET}", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as resp:
            await resp.read()
            self.statuses.append(resp.status)
            return resp.status


@pytest.fixture
async def deployment(tmp_path, pg_url):
    require_services()
    import redis.asyncio as aioredis

    database_url = os.environ.get("TEST_WEBHOOK_POSTGRES_URL") or pg_url
    await fresh_database(database_url)
    redis = aioredis.Redis.from_url(REDIS_URL)
    await redis.flushdb()
    standin = Standin(SPEC, strict=True)
    standin.add_bot(TOKEN)
    server = TestServer(make_standin_app(standin), host="127.0.0.1")
    await server.start_server()
    session = aiohttp.ClientSession()
    ports = [_free_port(), _free_port()]
    api_url = f"http://127.0.0.1:{server.port}"
    workers = [
        await start_worker(tmp_path, n, api_url, f"http://127.0.0.1:{ports[0]}", port, database_url)
        for n, port in enumerate(ports)
    ]
    try:
        await asyncio.gather(*(wait_healthy(session, w) for w in workers))
        yield Deployment(standin, workers, session, redis)
    finally:
        for w in workers:
            if w.process.returncode is None:
                w.process.terminate()
        for w in workers:
            await asyncio.wait_for(w.process.wait(), 15)
        await session.close()
        await server.close()
        await redis.flushdb()
        await redis.aclose()
        await Tortoise.close_connections()


async def browse(user) -> None:
    """/start, the catalogue, the first agency, its first service, /start again."""
    await user.send("/start")
    await user.press("فهرست خدمات")
    await user.press(lambda button: True)
    await user.press(lambda button: True)
    await user.send("/start")


EXPECTED_CALLS = ["sendMessage", "editMessageText", "editMessageText", "editMessageText", "sendMessage"]
UPDATES_EACH = len(EXPECTED_CALLS)


async def test_two_web_processes_lose_nothing_and_process_each_update_once_in_order(deployment):
    dep, standin = deployment, deployment.standin
    # both processes set the webhook on start, with the secret
    hooks = [c.params for c in standin.calls if c.method == "setWebhook"]
    assert len(hooks) == 2 and {h["url"] for h in hooks} == {f"{dep.workers[0].url}/webhook/{BOT_ID}/{SECRET}"}
    assert {h["secret_token"] for h in hooks} == {SECRET}
    standin.calls.clear()

    turn = itertools.count()
    delivered: list[dict] = []

    async def alternate(token: str, update: dict) -> None:
        """Worker A, B, A, B...; every third update is delivered to both at the same moment."""
        i = next(turn)
        delivered.append(update)
        first, other = dep.workers[i % 2], dep.workers[(i + 1) % 2]
        if i % 3 == 0:
            dep.duplicated += 1
            await asyncio.gather(dep.post(first, update), dep.post(other, update))
        else:
            await dep.post(first, update)

    standin.on_update = alternate
    citizens = [standin.user(f"Citizen {n}") for n in range(8)]
    await asyncio.wait_for(asyncio.gather(*(browse(u) for u in citizens)), 40)

    # a late redelivery of already handled updates, to both processes: dropped
    for update in delivered[:4]:
        assert await dep.post(dep.workers[0], update) == 200
        assert await dep.post(dep.workers[1], update) == 200
    dep.duplicated += 8

    assert set(dep.statuses) == {200}
    assert not standin.violations
    unique = len(citizens) * UPDATES_EACH
    assert len(delivered) == unique and len({u["update_id"] for u in delivered}) == unique
    for user in citizens:  # each citizen: every update handled once, in the order sent
        calls = [c for c in standin.calls if str(c.params.get("chat_id")) == str(user.id)]
        assert [c.method for c in calls] == EXPECTED_CALLS, user.first_name
        first, last = user.texts()  # the catalogue steps edited the first greeting into the service
        assert user.first_name in last and user.first_name not in first
    assert len({user.texts()[0] for user in citizens}) == 1  # every citizen reached the same service
    assert len([c for c in standin.calls if c.method == "answerCallbackQuery"]) == 3 * len(citizens)
    assert len(await dep.redis.keys(f"mizban:update:{BOT_ID}:*")) == unique  # the record, with Redis
    assert await ProcessedUpdate.all().count() == 0
    assert await Citizen.filter(platform="telegram").count() == len(citizens)

    texts = [await w.metrics(dep.session) for w in dep.workers]
    handled = [metric_sum(t, "mizban_updates_total") for t in texts]
    assert all(h > 0 for h in handled) and sum(handled) == unique
    assert sum(metric_sum(t, "mizban_duplicate_updates_total") for t in texts) == dep.duplicated


async def test_web_process_requires_the_secret_and_reports_health(deployment):
    dep = deployment
    worker = dep.workers[1]
    async with dep.session.post(
        f"{worker.url}/webhook/{BOT_ID}/{SECRET}",
        json={"update_id": 1},
        headers={"X-Telegram-Bot-Api-Secret-Token": "nope"},
    ) as resp:
        assert resp.status == 401
    async with dep.session.get(f"{worker.url}/healthz") as resp:
        assert resp.status == 200 and await resp.json() == {"database": "ok", "redis": "ok"}
    text = await worker.metrics(dep.session)
    assert f'mizban_http_requests_total{{route="/webhook/{BOT_ID}/{{secret}}",status="401"}} 1.0' in text
    assert SECRET not in text
    assert await ProcessedUpdate.all().count() == 0
    # setWebhook asked for every update type the desk's lifecycle needs (chat_member is opt-in)
    lifecycle = {"message", "edited_message", "callback_query", "my_chat_member", "chat_member"}
    assert lifecycle <= set(dep.standin.bots[TOKEN].allowed_updates or ())
