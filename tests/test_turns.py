"""A chat's turn in Redis (bot/delivery/turns.py): the isolation lock, the FSM state and the duplicate check in
one round trip, the release and the duplicate record in another; through the web process and alone.
Needs Redis (db 12); skipped without it, except in CI."""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlparse

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey

from bot.delivery import dedupe
from bot.delivery.turns import TURN_SECONDS, RedisTurns, TurnStorage
from models import Citizen, ProcessedUpdate, Request
from tests.factories import (
    PDF,
    PG_REQUIRED,
    TEST_CATALOG,
    TOKEN,
    VALID_NID,
    fail_deliveries,
    fill_permit_form,
    fill_profile,
    open_service,
    reachable,
)

REDIS_URL = os.environ.get("TEST_REDIS_URL_TURNS", "redis://127.0.0.1:6379/12")
BOT_ID = int(TOKEN.split(":")[0])


@pytest.fixture
async def redis_url():
    url = urlparse(REDIS_URL)
    if not reachable(url.hostname, url.port or 6379):
        if PG_REQUIRED:
            pytest.fail(f"Redis is required in CI but {url.netloc} is not reachable")
        pytest.skip("Redis not reachable")
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_URL)
    await client.flushdb()
    yield REDIS_URL
    await client.flushdb()
    await client.aclose()


def count_commands(redis) -> list[str]:
    """Every command the client sends from now on, by name."""
    sent: list[str] = []
    execute = redis.execute_command

    async def counted(*args, **options):
        sent.append(str(args[0]).upper())
        return await execute(*args, **options)

    redis.execute_command = counted
    return sent


async def test_an_update_takes_two_redis_round_trips_and_duplicates_are_dropped(web, standin, redis_url):
    hosted = await web(redis={"url": redis_url})
    storage = hosted.dp.fsm.storage
    assert isinstance(storage, TurnStorage) and isinstance(hosted.dp.fsm.events_isolation, RedisTurns)
    # with no order window (the window adds one round trip to a delivery that reaches its turn
    # before the window has passed, the order tests below)
    hosted.dp.fsm.events_isolation.order_window = 0
    sent = count_commands(storage.redis)
    hosted.twice = True
    user = standin.user("Sara <&>")
    await user.send("/start")
    await user.press("فهرست خدمات")
    assert hosted.statuses == [200, 200, 200, 200]
    assert len(user.texts()) == 1 and "Sara &lt;&amp;&gt;" in standin.calls[0].params["text"]
    assert [c.method for c in standin.calls] == [
        "sendMessage",
        "answerCallbackQuery",
        "editMessageText",
    ]  # the press answered first
    # each delivery: its chat's queue joined and the turn taken (state and duplicate check with it),
    # then ended (record with it); a script new to the Redis server is loaded once
    assert [c for c in sent if c != "SCRIPT LOAD"] == ["EVALSHA"] * 8
    assert sorted(await storage.redis.keys("mizban:update:*")) == [
        f"mizban:update:{BOT_ID}:{n}".encode() for n in sorted(hosted.update_ids)
    ]
    assert await storage.redis.keys("*:lock") == []
    assert await ProcessedUpdate.all().count() == 0  # with Redis, the record is there


async def test_a_failed_update_leaves_no_record_and_no_lock(web, standin, redis_url):
    hosted = await web(redis={"url": redis_url})
    redis = hosted.dp.fsm.storage.redis
    user = standin.user("Reza")
    bot = hosted.bots[TOKEN]
    delivered = fail_deliveries(hosted, standin, user)
    await user.send("/start")
    assert hosted.statuses == [500] and user.texts() == []
    assert await redis.keys("mizban:update:*") == [] and await redis.keys("*:lock") == []
    user.blocked = False
    assert await hosted.post(bot, delivered[0]) == 200  # the redelivery is processed, at once
    assert len(user.texts()) == 1
    assert len(await redis.keys("mizban:update:*")) == 1


async def test_a_whole_form_is_filled_and_submitted_through_redis_turns(web, standin, redis_url):
    hosted = await web(redis={"url": redis_url}, catalog={"dir": str(TEST_CATALOG)})
    hosted.twice = True  # every update delivered twice: the form still moves one step per answer
    user = standin.user("Ali")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await fill_permit_form(user)
    await user.press("ثبت نهایی")
    assert "رسید" in user.last["plain"]
    assert await Request.all().count() == 1
    assert await hosted.dp.fsm.storage.redis.keys("*:lock") == []


async def test_a_turn_reads_the_state_once_sees_its_own_changes_and_waits_for_the_previous_one(redis_url):
    storage = TurnStorage.from_url(redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True))
    turns = RedisTurns(storage, dedupe.RedisRecord(storage.redis))
    key = StorageKey(bot_id=BOT_ID, chat_id=5, user_id=5)
    state_key = storage.key_builder.build(key, "state")
    try:
        await storage.set_state(key, "Form:name")
        async with turns.lock(key):
            assert storage.fetched == {state_key: "Form:name"}
            sent = count_commands(storage.redis)
            assert await storage.get_state(key) == "Form:name" and sent == []  # fetched with the turn
            await storage.set_state(key, "Form:phone")
            assert await storage.get_state(key) == "Form:phone"  # its own change, from Redis
        assert storage.fetched == {}

        order: list[str] = []

        async def turn(name: str, hold: float) -> None:
            async with turns.lock(key):
                order.append(f"{name} in")
                await asyncio.sleep(hold)
                order.append(f"{name} out")

        first = asyncio.create_task(turn("first", 0.15))
        await asyncio.sleep(0.02)
        await turn("second", 0)
        await first
        assert order == ["first in", "first out", "second in", "second out"]

        # a delivery: checked as the turn is taken, recorded as it ends, only once it was handled
        delivery = dedupe.Delivery(BOT_ID, 41)
        token = dedupe.CURRENT_DELIVERY.set(delivery)
        try:
            async with turns.lock(key):
                assert delivery.seen is False
            assert not await storage.redis.exists(f"mizban:update:{BOT_ID}:41")  # not handled: not recorded
            async with turns.lock(key):
                delivery.handled = True
            assert await storage.redis.exists(f"mizban:update:{BOT_ID}:41")
            again = dedupe.Delivery(BOT_ID, 41)
            dedupe.CURRENT_DELIVERY.set(again)
            async with turns.lock(key):
                assert again.seen is True
        finally:
            dedupe.CURRENT_DELIVERY.reset(token)
        assert await storage.redis.keys("*:lock") == []

        await storage.redis.script_flush()  # a restarted Redis has forgotten the scripts: loaded again
        async with turns.lock(key):
            assert await storage.get_state(key) == "Form:phone"
        assert await storage.redis.keys("*:lock") == []
    finally:
        await storage.close()


async def test_polling_with_redis_a_half_filled_form_survives_a_restart(make_desk, redis_url):
    desk = await make_desk(redis={"url": redis_url}, catalog={"dir": str(TEST_CATALOG)})
    assert isinstance(desk.dp.fsm.events_isolation, RedisTurns)
    user = desk.citizen("Ali")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await user.send("Owner <&>")  # the form's first answer, then the process stops
    await desk.dp.fsm.storage.close()
    await desk.restart()  # a new dispatcher over the same Redis and database
    await user.send("120")
    await user.press("رد کردن")
    await user.press("مسکونی")
    await user.press("تمام")
    await user.press("خیر")
    await user.send("1193653471")
    await user.send_document("deed.pdf", PDF)
    await user.press("تمام")
    for _ in range(3):
        await user.press("رد کردن")
    assert "Owner <&>" in user.last["plain"]  # the review, with the answer given before the restart
    await user.press("ثبت نهایی")
    request = await Request.get()
    answers = {a["name"]: a["value"] for a in request.answers}
    assert answers["owner_name"] == "Owner <&>" and answers["area"] == 120
    assert await desk.dp.fsm.storage.redis.keys("*:lock") == []


async def test_when_ending_a_turn_fails_the_update_still_counts_as_handled(web, standin, redis_url, caplog):
    hosted = await web(redis={"url": redis_url})
    turns = hosted.dp.fsm.events_isolation
    end = turns._end

    async def redis_gone(*args, **kwargs):
        raise ConnectionError("Redis went away")

    turns._end = redis_gone
    user = standin.user("Sara")
    await user.send("/start")
    assert hosted.statuses == [200] and len(user.texts()) == 1  # answered 200: no redelivery, no second greeting
    assert "ending the turn" in caplog.text
    turns._end = end
    # as if expired: the lock and the update's place in its chat's queue
    await hosted.dp.fsm.storage.redis.delete(*await hosted.dp.fsm.storage.redis.keys("*:lock*"))
    await user.send("/start")
    assert hosted.statuses == [200, 200] and len(user.texts()) == 2


async def test_two_updates_of_a_chat_delivered_at_once_to_two_processes_are_handled_in_order(web, standin, redis_url):
    """The Bot API sends a citizen's name and national ID at the same moment, the later one to the
    other web process a moment sooner: the name is still read as the name."""
    first_process = await web(redis={"url": redis_url}, catalog={"dir": str(TEST_CATALOG)})
    second_process = await web(redis={"url": redis_url}, catalog={"dir": str(TEST_CATALOG)})
    bot = first_process.bots[TOKEN]
    user = standin.user("Sara")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    asked = user.texts()[-1]
    held: list[dict] = []

    async def hold(token: str, update: dict) -> None:
        held.append(update)

    standin.on_update = hold
    await user.send("Sara Karimi")
    await user.send(VALID_NID)
    name, nid = held
    assert name["update_id"] < nid["update_id"]

    async def later(update: dict) -> int:
        await asyncio.sleep(0.01)
        return await first_process.post(bot, update)

    statuses = await asyncio.gather(second_process.post(bot, nid), later(name))
    assert list(statuses) == [200, 200]
    citizen = await Citizen.get(user_id=user.id)
    assert (citizen.full_name, citizen.national_id) == ("Sara Karimi", VALID_NID)
    assert asked != user.texts()[-2] != user.texts()[-1]  # asked the national ID, then the mobile
    assert await first_process.dp.fsm.storage.redis.keys("*:queue*") == []


async def test_a_queued_update_whose_process_died_stops_holding_its_chat(redis_url):
    storage = TurnStorage.from_url(redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True))
    turns = RedisTurns(storage, dedupe.RedisRecord(storage.redis))
    key = StorageKey(bot_id=BOT_ID, chat_id=6, user_id=6)
    lock_key = storage.key_builder.build(key, "lock")
    try:
        # update 70 joined the queue, then its process was killed before taking the turn
        await storage.redis.zadd(f"{lock_key}:queue", {"70": 70})
        now_ms = int((await storage.redis.time())[0]) * 1000
        await storage.redis.hset(f"{lock_key}:queued", "70", now_ms - (TURN_SECONDS * 1000 + 1))
        delivery = dedupe.Delivery(BOT_ID, 71)
        token = dedupe.CURRENT_DELIVERY.set(delivery)
        try:
            async with turns.lock(key):
                delivery.handled = True
        finally:
            dedupe.CURRENT_DELIVERY.reset(token)
        assert await storage.redis.exists(f"mizban:update:{BOT_ID}:71")
        assert await storage.redis.keys(f"{lock_key}*") == []
    finally:
        await storage.close()


async def test_a_turn_held_by_a_killed_process_lapses_with_its_heartbeat(redis_url):
    """A web process killed while handling an update: the Bot API delivers it again, to another
    process, which takes the chat's turn as soon as the dead process's heartbeat has run out (not
    after the turn's 60 s); while the holder is alive, the turn waits."""
    storage = TurnStorage.from_url(redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True))
    killed, other = RedisTurns(storage, storage.record), RedisTurns(storage, storage.record)
    other.order_window = killed.order_window = 0
    key = StorageKey(bot_id=BOT_ID, chat_id=8, user_id=8)
    holding, release = asyncio.Event(), asyncio.Event()

    async def handle(turns, update_id: int, entered: asyncio.Event | None = None) -> None:
        delivery = dedupe.Delivery(BOT_ID, update_id)
        token = dedupe.CURRENT_DELIVERY.set(delivery)
        try:
            async with turns.lock(key):
                if entered:
                    entered.set()
                    await release.wait()
        finally:
            dedupe.CURRENT_DELIVERY.reset(token)

    try:
        first = asyncio.create_task(handle(killed, 80, holding))
        await holding.wait()
        second = asyncio.create_task(handle(other, 80))  # the same update, delivered again elsewhere
        await asyncio.sleep(0.3)
        assert not second.done()  # the holder is alive: its turn stands
        # SIGKILL: the holder stops where it is (its turn is never ended) and so does its heartbeat
        await killed.heartbeat.stop()
        await storage.redis.delete(f"mizban:alive:{killed.owner}")  # its key ran out
        await asyncio.wait_for(second, 2)
        assert not first.done()
    finally:
        release.set()
        await asyncio.gather(first, return_exceptions=True)
        await other.close()
        await storage.close()
