"""The web process in-process (bot/delivery/webhook.py): secret token, duplicate deliveries, redelivery after a
failure, Telegram and Bale side by side, /healthz and /metrics; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import REGISTRY
from tortoise.backends.base.executor import EXECUTOR_CACHE

from bot.delivery import dedupe
from bot.delivery.webhook import make_app, webhook_path, webhook_secret
from models import Citizen, ProcessedUpdate
from tests.factories import (
    BALE_TOKEN,
    SECRET,
    TEST_CATALOG,
    TOKEN,
    VALID_NID,
    fail_deliveries,
    make_settings,
    open_service,
)


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture(autouse=True)
def _fresh_sql_cache():
    """Tortoise caches its SQL per connection name, not per dialect: an INSERT built for SQLite in an
    earlier test would reach PostgreSQL. (The harness's _fresh_database is the better place for this.)"""
    EXECUTOR_CACHE.clear()


async def test_wrong_or_missing_secret_is_refused_and_nothing_is_processed(web, standin):
    hosted = await web()
    bot = hosted.bots[TOKEN]
    update = {
        "update_id": 7,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "A"},
            "text": "/start",
        },
    }
    assert await hosted.post(bot, update, secret="wrong") == 401
    resp = await hosted.client.post(webhook_path(hosted.settings, bot), json=update)  # no header at all
    assert resp.status == 401
    # the right header on a path without the secret, or with a wrong one
    assert await hosted.post(bot, update, path=f"/hook/{bot.id}/wrong") == 401
    assert await hosted.post(bot, update, path=f"/hook/{bot.id}") == 404
    assert await hosted.post(bot, {"no": "update id"}) == 200  # malformed: dropped, see below
    assert standin.calls == []
    assert await ProcessedUpdate.all().count() == 0
    assert await Citizen.all().count() == 0


async def test_an_update_delivered_twice_is_processed_once(web, standin):
    hosted = await web()
    hosted.twice = True
    before = sample("mizban_duplicate_updates_total", platform="telegram")
    handled = sample("mizban_updates_total", platform="telegram", type="message")
    user = standin.user("Sara")
    await user.send("/start")
    await user.press("فهرست خدمات")
    assert hosted.statuses == [200, 200, 200, 200]
    assert len(user.texts()) == 1 and "فهرست خدمات" not in str(user.keyboard())
    assert [c.method for c in standin.calls] == [
        "sendMessage",
        "answerCallbackQuery",
        "editMessageText",
    ]  # the press answered first
    assert await ProcessedUpdate.filter(bot_id=hosted.bots[TOKEN].id).count() == 2
    assert await Citizen.filter(platform="telegram", user_id=user.id).count() == 1
    assert sample("mizban_duplicate_updates_total", platform="telegram") == before + 2
    assert sample("mizban_updates_total", platform="telegram", type="message") == handled + 1


async def test_a_failed_update_is_answered_500_and_its_redelivery_is_processed(web, standin):
    hosted = await web()
    user = standin.user("Reza")
    bot = hosted.bots[TOKEN]
    delivered = fail_deliveries(hosted, standin, user)
    await user.send("/start")
    assert hosted.statuses == [500]
    assert user.texts() == []
    assert await ProcessedUpdate.all().count() == 0  # forgotten, so the Bot API's redelivery counts
    user.blocked = False
    assert await hosted.post(bot, delivered[0]) == 200
    assert len(user.texts()) == 1 and "Reza" in user.texts()[0]
    assert await ProcessedUpdate.all().count() == 1


async def test_telegram_and_bale_bots_are_served_side_by_side(web, standin):
    hosted = await web(bale=True, webhook={"path": "/hook"})  # no secret configured: one per bot
    telegram, bale = hosted.bots[TOKEN], hosted.bots[BALE_TOKEN]
    assert bale.platform == "bale" and telegram.platform == "telegram"
    assert webhook_secret(hosted.settings, telegram) != webhook_secret(hosted.settings, bale)
    assert webhook_path(hosted.settings, bale) == f"/hook/654321/{webhook_secret(hosted.settings, bale)}"
    # the same numeric id on both messengers is two people
    on_telegram = standin.user("Tara", user_id=777, bot=TOKEN)
    await on_telegram.send("/start")
    on_bale = standin.user("Bahar", user_id=777, bot=BALE_TOKEN)
    await on_bale.send("/start")
    assert hosted.statuses == [200, 200]
    assert {(c.platform, c.first_name) for c in await Citizen.filter(user_id=777)} == {
        ("telegram", "Tara"),
        ("bale", "Bahar"),
    }
    tokens = [c.token for c in standin.calls if c.method == "sendMessage"]
    assert tokens == [TOKEN, BALE_TOKEN]
    sent = [c.params for c in standin.calls if c.method == "sendMessage"]
    assert sent[0]["parse_mode"] == "HTML" and "<b>" in sent[0]["text"]
    assert "parse_mode" not in sent[1] and "<b>" not in sent[1]["text"]  # Bale gets plain text
    # Bale's secret does not open Telegram's route
    assert await hosted.post(telegram, {"update_id": 99}, secret=webhook_secret(hosted.settings, bale)) == 401


async def test_a_bale_webhook_takes_updates_as_bale_posts_them(web, standin):
    """Bale's setWebhook takes the URL only and its deliveries carry no secret header (docs/BALE.md):
    the secret in the URL's path authenticates them. Telegram's keeps its header as well."""
    hosted = await web(bale=True, webhook={"path": "/hook", "base_url": "https://desk.example.ir"})
    telegram, bale = hosted.bots[TOKEN], hosted.bots[BALE_TOKEN]
    hooks = {c.token: c.params for c in standin.calls if c.method == "setWebhook"}
    secret = webhook_secret(hosted.settings, bale)
    assert hooks[BALE_TOKEN] == {"url": f"https://desk.example.ir/hook/{bale.id}/{secret}"}  # nothing else
    assert hooks[TOKEN]["secret_token"] == webhook_secret(hosted.settings, telegram)
    assert hooks[TOKEN]["url"].endswith(webhook_path(hosted.settings, telegram))
    path = hooks[BALE_TOKEN]["url"].removeprefix("https://desk.example.ir")

    def update(update_id: int, text: str) -> bytes:  # Bale's update ids start at 0
        message = {
            "message_id": update_id + 1,
            "from": {"id": 4242, "is_bot": False, "first_name": "Bahar"},
            "chat": {"id": 4242, "type": "private", "first_name": "Bahar"},
            "date": 1767225600,
            "text": text,
        }
        return json.dumps({"update_id": update_id, "message": message}).encode()

    standin.user("Bahar", user_id=4242, bot=BALE_TOKEN)
    plain = {"Content-Type": "application/json"}  # all a Bale delivery carries
    resp = await hosted.client.post(path, data=update(0, "/start"), headers=plain)
    assert resp.status == 200
    assert await Citizen.filter(platform="bale", user_id=4242).count() == 1
    sent = [c.params for c in standin.calls if c.method == "sendMessage" and c.token == BALE_TOKEN]
    assert len(sent) == 1 and "Bahar" in sent[0]["text"] and "parse_mode" not in sent[0]
    # a wrong secret, or none, opens nothing
    assert (
        await hosted.client.post(f"/hook/{bale.id}/{secret[:-1]}x", data=update(1, "/start"), headers=plain)
    ).status == 401
    assert (await hosted.client.post(f"/hook/{bale.id}", data=update(1, "/start"), headers=plain)).status == 404
    # Telegram's route wants its header too: the path alone is not enough there
    telegram_path = webhook_path(hosted.settings, telegram)
    assert (await hosted.client.post(telegram_path, data=update(1, "/start"), headers=plain)).status == 401
    assert await ProcessedUpdate.filter(bot_id=bale.id).count() == 1


async def test_healthz_reports_database_and_redis(web, tmp_path):
    from aiogram import Dispatcher
    from aiogram.fsm.storage.redis import RedisStorage

    hosted = await web()
    resp = await hosted.client.get("/healthz")
    assert resp.status == 200 and await resp.json() == {"database": "ok"}
    settings = make_settings(tmp_path)
    dp = Dispatcher(storage=RedisStorage.from_url("redis://127.0.0.1:1/0"))  # nothing listens on port 1
    async with TestClient(TestServer(make_app(settings, dp, []))) as client:
        resp = await client.get("/healthz")
        body = await resp.json()
    assert resp.status == 503 and body["database"] == "ok" and body["redis"].startswith("error")


async def test_metrics_show_updates_latency_outbox_and_statuses(web, standin):
    from desk.outbox import enqueue

    hosted = await web()
    await enqueue(platform="telegram", chat_id=1, kind="notify")
    await standin.user("Mina").send("/start")
    resp = await hosted.client.get("/metrics")
    text = await resp.text()
    assert resp.status == 200
    assert 'mizban_updates_total{platform="telegram",type="message"}' in text
    assert 'mizban_handler_seconds_bucket{le="0.005",type="message"}' in text
    assert "mizban_outbox_depth 1.0" in text
    assert "mizban_outbox_oldest_age_seconds" in text and "mizban_bot_api_429_total" in text
    assert 'mizban_http_requests_total{route="/hook/123456/{secret}",status="200"}' in text
    assert SECRET not in text
    assert "_created" not in text


async def test_old_processed_update_ids_are_pruned(db):
    record = dedupe.DatabaseRecord()
    await record.add(1, 1)
    await record.add(1, 2)
    await record.add(1, 2)  # recorded twice: still one row
    await ProcessedUpdate.filter(update_id=1).update(at=datetime.now(UTC) - timedelta(days=3))
    assert await dedupe.prune() == 1
    assert [u.update_id for u in await ProcessedUpdate.all()] == [2]
    assert await record.seen(1, 2) and not await record.seen(1, 1) and not await record.seen(2, 2)


async def test_two_deliveries_of_one_update_at_the_same_moment_are_processed_once(web, standin):
    import asyncio

    hosted = await web()
    bot = hosted.bots[TOKEN]
    delivered: list[dict] = []

    async def keep(token: str, update: dict) -> None:
        delivered.append(update)

    standin.on_update = keep
    user = standin.user("Sara")
    await user.send("/start")
    statuses = await asyncio.gather(*(hosted.post(bot, delivered[0]) for _ in range(3)))
    assert statuses == [200, 200, 200]
    assert [c.method for c in standin.calls] == ["sendMessage"] and len(user.texts()) == 1
    assert await ProcessedUpdate.filter(bot_id=bot.id).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"no": "update id"},
        {"update_id": "x", "message": {}},
        {"update_id": 9, "message": {"message_id": "not a number", "chat": 5}},
        {"update_id": 10, "callback_query": {"id": "1"}},
        {"update_id": 11, "something_new": {"a": 1}},
        {"update_id": 12},
        [1, 2, 3],
        "plain text",
    ],
)
async def test_a_malformed_update_is_logged_and_answered_200(web, standin, body, caplog):
    hosted = await web()
    before = sample("mizban_malformed_updates_total", platform="telegram")
    assert await hosted.post(hosted.bots[TOKEN], body) == 200
    assert sample("mizban_malformed_updates_total", platform="telegram") == before + 1
    assert "dropped a malformed update" in caplog.text and "not a number" not in caplog.text
    assert standin.calls == [] and await ProcessedUpdate.all().count() == 0
    resp = await hosted.client.post(
        webhook_path(hosted.settings, hosted.bots[TOKEN]),
        data=b"{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert resp.status == 200


async def test_metrics_can_require_a_token(web):
    hosted = await web(webhook={"secret": SECRET, "path": "/hook", "metrics_token": "m-token"})
    assert (await hosted.client.get("/metrics")).status == 401
    assert (await hosted.client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 401
    ok = await hosted.client.get("/metrics", headers={"Authorization": "Bearer m-token"})
    assert ok.status == 200 and "mizban_updates_total" in await ok.text()
    assert (await hosted.client.get("/healthz")).status == 200  # the health check stays open


def test_the_web_process_listens_on_localhost_by_default(monkeypatch):
    from bot.config import Settings

    monkeypatch.delenv("WEBHOOK_HOST", raising=False)
    assert Settings().webhook.host == "127.0.0.1"
    monkeypatch.setenv("WEBHOOK_HOST", "0.0.0.0")
    monkeypatch.setenv("METRICS_TOKEN", "t")
    settings = Settings()
    assert (settings.webhook.host, settings.webhook.metrics_token) == ("0.0.0.0", "t")


async def test_set_webhook_asks_for_every_update_type_the_desk_needs(web, standin):
    hosted = await web(webhook={"secret": SECRET, "path": "/hook", "base_url": "https://desk.example"})
    info = standin.bots[TOKEN].webhook_info()
    assert info["url"] == "https://desk.example" + webhook_path(hosted.settings, hosted.bots[TOKEN])
    # chat_member is sent only when asked for; my_chat_member tells of a group that removed the bot
    lifecycle = {"message", "edited_message", "callback_query", "my_chat_member", "chat_member"}
    assert lifecycle <= set(info["allowed_updates"])


async def test_two_updates_of_a_chat_delivered_at_once_are_handled_in_order_without_redis(web, standin):
    """One web process, no Redis: the national ID posted a moment before the name it follows still
    waits for the name."""
    hosted = await web(catalog={"dir": str(TEST_CATALOG)})
    bot = hosted.bots[TOKEN]
    user = standin.user("Sara")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    held: list[dict] = []

    async def hold(token: str, update: dict) -> None:
        held.append(update)

    standin.on_update = hold
    await user.send("Sara Karimi")
    await user.send(VALID_NID)
    name, nid = held

    async def later(update: dict) -> int:
        await asyncio.sleep(0.01)
        return await hosted.post(bot, update)

    assert list(await asyncio.gather(hosted.post(bot, nid), later(name))) == [200, 200]
    citizen = await Citizen.get(user_id=user.id)
    assert (citizen.full_name, citizen.national_id) == ("Sara Karimi", VALID_NID)
    assert hosted.dp.fsm.events_isolation.queues == {}
