"""The outbox sender: limits, 429 with retry_after, 5xx backoff, 403 marking, leases across a
crash, renderers, and the registry other features plug into."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramServerError
from aiogram.methods import SendMessage

from bot.delivery.limits import Limits, RedisLimits, SlidingWindow
from bot.delivery.outbox_sender import Sender
from bot.views.notifications import _RENDERERS, renderer
from desk import outbox
from models import Citizen, OutboxMessage, OutboxStatus
from standin.ratelimit import RateLimiter
from tests.factories import FAST


@renderer("test-text")
async def _test_text(out):
    yield SendMessage(chat_id=out.chat_id, text=f"<b>{out.data['n']}</b>")


@pytest.fixture
async def desk(make_desk):
    return await make_desk(outbox=FAST)


async def _queue(chat_id: int, n: int, *, is_group: bool = False) -> None:
    for i in range(n):
        await outbox.enqueue(platform="telegram", chat_id=chat_id, kind="test-text", data={"n": i}, is_group=is_group)


async def test_rows_go_out_in_order_and_are_marked_sent(desk):
    user = desk.citizen()
    await _queue(user.id, 5)
    assert await desk.deliver_outbox() == 5
    assert user.texts()[-5:] == ["0", "1", "2", "3", "4"]
    rows = await OutboxMessage.all().order_by("id")
    assert all(r.status == OutboxStatus.SENT and r.sent_message_id and r.attempts == 1 for r in rows)
    assert await desk.deliver_outbox() == 0  # nothing is sent twice


async def test_429_is_waited_out_and_nothing_is_lost(desk):
    desk.standin.rate_limits = True  # the stand-in answers 429 beyond 1 msg/s per private chat
    user = desk.citizen()
    await _queue(user.id, 3)
    sender = Sender(desk.settings, {"telegram": desk.bot})
    started = time.monotonic()
    assert await sender.deliver_pending() == 3
    assert sender.stats.retry_after >= 1 and desk.standin.stats["429"] >= 1
    assert time.monotonic() - started >= 1.5  # it waited as told
    assert user.texts()[-3:] == ["0", "1", "2"]


async def test_limits_space_a_chats_messages_so_no_429_comes(make_desk):
    desk = await make_desk(outbox={"global_per_second": 30, "private_interval_seconds": 0.3, "group_per_minute": 20})
    user, other = desk.citizen(), desk.citizen("Other")
    await _queue(user.id, 3)
    await _queue(other.id, 3)
    assert await desk.deliver_outbox() == 6
    sends = [c for c in desk.standin.calls if c.method == "sendMessage"]
    assert desk.standin.stats["429"] == 0 and len(sends) == 6
    # the two chats in parallel: each chat's first message before either chat's second
    assert {c.params["chat_id"] for c in sends[:2]} == {user.id, other.id}
    for chat in (user, other):
        assert chat.texts() == ["0", "1", "2"]
        at = [c.at for c in sends if c.params["chat_id"] == chat.id]
        assert all(b - a >= 0.3 for a, b in zip(at, at[1:]))  # 0.3 s after the previous answer


async def test_403_marks_the_citizen_blocked_and_their_rows_wait_for_their_return(desk):
    user = desk.citizen()
    await user.send("/start")
    await user.block_bot(announce=False)  # the bot learns it from the refused send only
    await _queue(user.id, 3)
    assert await desk.deliver_outbox() == 0
    citizen = await Citizen.get(user_id=user.id)
    assert citizen.blocked_at is not None
    rows = await OutboxMessage.filter(chat_id=user.id)
    assert {r.status for r in rows} == {OutboxStatus.WAITING} and "blocked" in rows[0].last_error
    sends = [c for c in desk.standin.calls if c.method == "sendMessage" and c.params["chat_id"] == user.id]
    assert len(sends) == 2  # /start's answer, then one refused try; the other rows wait unsent
    assert await desk.deliver_outbox() == 0  # waiting rows are not tried again
    # writing to the bot again unblocks, and what waited is delivered, in order
    await user.send("/start")
    assert (await Citizen.get(user_id=user.id)).blocked_at is None
    assert await desk.deliver_outbox() == 3
    assert user.texts()[-3:] == ["0", "1", "2"]
    assert {r.status for r in await OutboxMessage.filter(chat_id=user.id)} == {OutboxStatus.SENT}


class FlakyBot:
    """Fails the first `failures` calls with a 5xx, then passes calls to the real bot."""

    def __init__(self, bot, failures: int):
        self.bot, self.failures, self.platform = bot, failures, bot.platform

    async def __call__(self, method):
        if self.failures:
            self.failures -= 1
            raise TelegramServerError(method=method, message="Internal Server Error")
        return await self.bot(method)


async def test_5xx_backs_off_keeps_the_chat_order_then_delivers(desk):
    user = desk.citizen()
    await _queue(user.id, 2)
    sender = Sender(desk.settings, {"telegram": FlakyBot(desk.bot, failures=1)})
    assert await sender.deliver_pending() == 0
    first, second = await OutboxMessage.all().order_by("id")
    assert first.status == OutboxStatus.PENDING and first.attempts == 1 and "Internal" in first.last_error
    assert first.next_attempt_at > outbox.now() + timedelta(seconds=1)  # backed off
    assert second.attempts == 0 and second.next_attempt_at == first.next_attempt_at  # waits behind it
    await OutboxMessage.all().update(next_attempt_at=outbox.now())
    assert await sender.deliver_pending() == 2
    assert user.texts()[-2:] == ["0", "1"]


async def test_attempts_run_out_into_dead(make_desk):
    desk = await make_desk(outbox={**FAST, "max_attempts": 2})
    user = desk.citizen()
    await _queue(user.id, 1)
    sender = Sender(desk.settings, {"telegram": FlakyBot(desk.bot, failures=5)})
    await sender.deliver_pending()
    await OutboxMessage.all().update(next_attempt_at=outbox.now())
    await sender.deliver_pending()
    row = await OutboxMessage.get()
    assert (row.status, row.attempts) == (OutboxStatus.DEAD, 2)


async def test_a_crash_after_claiming_loses_nothing(desk):
    """A sender that claimed rows and died: they come back when the lease ends (at-least-once)."""
    user = desk.citizen()
    await _queue(user.id, 2)
    claimed = await outbox.claim(10)
    assert len(claimed) == 2 and await outbox.claim(10) == []  # leased: no one else takes them
    assert await desk.deliver_outbox() == 0
    await OutboxMessage.all().update(next_attempt_at=outbox.now() - timedelta(seconds=1))  # the lease ran out
    assert await desk.deliver_outbox() == 2
    assert user.texts()[-2:] == ["0", "1"]


async def test_a_gone_senders_leases_are_taken_over_at_once(desk):
    """A killed sender's rows are due again when it is known to be gone, not when the lease ends:
    given its owner id (a worker's heartbeat ran out), or every lease (the only sender, restarting)."""
    user, other = desk.citizen(), desk.citizen("Other")
    await _queue(user.id, 2)
    gone = await outbox.claim(2, owner="deadbeef")
    await _queue(other.id, 1)
    alive = await outbox.claim(1, owner="0badcafe")
    assert [r.lease[:8] for r in gone + alive] == ["deadbeef"] * 2 + ["0badcafe"]
    assert await outbox.leased_owners() == {"deadbeef", "0badcafe"}
    assert await outbox.reclaim(["deadbeef"]) == 2
    assert await desk.deliver_outbox() == 2 and user.texts()[-2:] == ["0", "1"] and other.texts() == []
    assert await outbox.reclaim() == 1  # the only sender, starting: every lease is its dead predecessor's
    assert await desk.deliver_outbox() == 1 and other.texts() == ["0"]


async def test_a_worker_without_a_heartbeat_loses_its_leases_to_the_others(desk, redis_url, monkeypatch):
    from bot.delivery import outbox_sender

    monkeypatch.setattr(outbox_sender, "BEAT_SECONDS", 0.05)
    user, other = desk.citizen(), desk.citizen("Other")
    await _queue(user.id, 1)
    await outbox.claim(1, owner="deadbeef")  # a worker killed after claiming: no heartbeat
    await _queue(other.id, 1)
    await outbox.claim(1, owner="1ivesend")  # another worker, alive
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    await client.set("mizban:outbox-sender:1ivesend", 1, ex=60)
    watch = asyncio.create_task(outbox_sender.watch_senders(redis_url, "5e1f5e1f"))
    try:
        deadline = time.monotonic() + 5
        while await outbox.leased_owners() != {"1ivesend"}:
            assert time.monotonic() < deadline, await outbox.leased_owners()
            await asyncio.sleep(0.02)
        assert await client.exists("mizban:outbox-sender:5e1f5e1f")  # its own heartbeat
    finally:
        watch.cancel()
        await asyncio.gather(watch, return_exceptions=True)
        await client.aclose()
    assert await desk.deliver_outbox() == 1 and user.texts() == ["0"]


async def test_unknown_kinds_are_given_up_and_kinds_register_once(desk):
    await outbox.enqueue(platform="telegram", chat_id=1, kind="no-such-kind")
    await desk.deliver_outbox()
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD
    with pytest.raises(ValueError):
        renderer("test-text")(lambda out: None)
    assert _RENDERERS["test-text"] is _test_text


def test_sliding_window_counts_like_telegram():
    window = SlidingWindow(2, 1.0)
    assert window.wait(0.0) == 0
    for at in (0.0, 0.1):  # a burst up to the limit is fine
        window.start()
        window.answered(at)
    assert window.wait(0.5) == pytest.approx(0.5)  # the third waits for the oldest to leave
    assert window.wait(1.0) == 0


def test_a_send_in_flight_holds_its_place_until_its_answer_dates_it():
    window = SlidingWindow(2, 1.0)
    window.start()
    window.start()
    assert window.wait(0.0) is None and window.wait(5.0) is None  # full until one is answered, however long
    window.answered(0.3)
    assert window.wait(0.5) == pytest.approx(0.8)  # a second after the answer, not after the start
    window.answered(0.4)
    assert window.wait(1.3) == 0 and window.idle(2.0)


class FakeTime:
    """A clock that moves only when the limiter sleeps or a test says so. `others_run`: a sleep lets
    the other tasks run (as a real one would) once the clock has moved."""

    def __init__(self, *, others_run: bool = False):
        self.now, self.sleeps, self.others_run = 0.0, [], others_run

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.others_run:
            await asyncio.sleep(0)


async def _send(limits: Limits, fake: FakeTime, chat: int, *, group: bool = False, rtt: float = 0.0, log=None):
    """One send through the limiter whose answer comes `rtt` seconds after it starts."""
    async with limits.sending("telegram", chat, group):
        if log is not None:
            log.append((round(fake.now, 6), chat))
        fake.now += rtt


async def test_the_overall_window_counts_a_send_from_its_answer():
    fake = FakeTime()
    limits = Limits(5, 0, 0, clock=fake.clock, sleep=fake.sleep)
    log: list = []
    for chat in range(7):  # each answered 0.2 s after its start
        await _send(limits, fake, chat, rtt=0.2, log=log)
    # five fit in the first second; the sixth goes a second after the first answer (0.2), not after
    # the first start (0); the seventh a second after the second answer
    assert log == [(0.0, 0), (0.2, 1), (0.4, 2), (0.6, 3), (0.8, 4), (1.2, 5), (1.4, 6)]


async def test_sends_in_flight_hold_the_window_and_waiting_chats_go_in_turn():
    fake = FakeTime()
    limits = Limits(2, 0, 0, clock=fake.clock, sleep=fake.sleep)
    log: list = []
    answered = [asyncio.Event(), asyncio.Event()]

    async def slow(chat: int, answer: asyncio.Event) -> None:
        async with limits.sending("telegram", chat, False):
            log.append((fake.now, chat))
            await answer.wait()

    first = [asyncio.create_task(slow(chat, answered[chat - 1])) for chat in (1, 2)]
    waiting = [asyncio.create_task(_send(limits, fake, chat, log=log)) for chat in (3, 4, 5)]
    for _ in range(5):
        await asyncio.sleep(0)  # let every task run as far as it can
    assert log == [(0.0, 1), (0.0, 2)] and fake.sleeps == []  # both places are held, however long
    fake.now = 3.0
    for answer in answered:  # both answers come at 3.0: the places free at 4.0
        answer.set()
    await asyncio.gather(*first, *waiting)
    # the waiting chats in the order they came: two a second after those answers, the third a
    # second after theirs
    assert log == [(0.0, 1), (0.0, 2), (4.0, 3), (4.0, 4), (5.0, 5)]


async def test_the_chat_with_the_most_messages_waiting_takes_the_next_turn():
    fake = FakeTime(others_run=True)
    limits = Limits(1, 0, 0, clock=fake.clock, sleep=fake.sleep)
    log: list = []

    async def send(chat: int, behind: int) -> None:
        async with limits.sending("telegram", chat, False, behind):
            log.append((fake.now, chat))

    await send(1, 0)  # the window is full until 1.0
    waiting = [asyncio.create_task(send(chat, behind)) for chat, behind in ((2, 0), (3, 4), (4, 0), (5, 4), (6, 1))]
    await asyncio.gather(*waiting)
    # the first to come waits for the window while the others line up; then the most messages
    # behind first, the first come among equals
    assert log == [(0.0, 1), (1.0, 2), (2.0, 3), (3.0, 5), (4.0, 6), (5.0, 4)]


async def test_a_chats_sends_are_spaced_from_its_last_answer():
    fake = FakeTime()
    limits = Limits(0, 1.0, 20, clock=fake.clock, sleep=fake.sleep)
    log: list = []
    for _ in range(3):
        await _send(limits, fake, 1, rtt=0.1, log=log)
    await _send(limits, fake, 2, log=log)  # another chat does not wait for the first one
    assert log == [(0.0, 1), (1.1, 1), (2.2, 1), (2.3, 2)]
    for _ in range(21):
        await _send(limits, fake, -5, group=True, log=log)  # a group: 20 at once, the 21st waits the minute
    assert [at for at, chat in log if chat == -5] == [2.3] * 20 + [62.3]


TELEGRAM_LIMITS = {"global_per_second": 30, "private_interval_seconds": 1.0, "group_per_minute": 20}


def _limited(desk, fake: FakeTime) -> dict[int, list[float]]:
    """The stand-in answers 429 past Telegram's limits on the fake clock; returns when it accepted
    each message, per chat."""
    desk.standin.rate_limits, desk.standin.clock = True, fake.clock
    desk.standin.limiter = RateLimiter(fake.clock)
    arrivals: dict[int, list[float]] = {}
    count_sent = desk.standin.count_sent

    def count(account, chat) -> None:
        count_sent(account, chat)
        arrivals.setdefault(chat.id, []).append(fake.now)

    desk.standin.count_sent = count
    return arrivals


async def test_the_stand_in_never_refuses_a_sender_whose_calls_take_uneven_time(make_desk):
    """The sender through the stand-in's limits on one clock, with calls that reach the server after
    0.01 to 0.09 s and are answered 0.02 s later: a limiter that dated a send by its start would
    draw 429s (a slow send, then a quick one a second later, arrive less than a second apart)."""
    desk = await make_desk(outbox=TELEGRAM_LIMITS)
    fake = FakeTime()
    arrivals = _limited(desk, fake)
    calls = iter(range(10**6))

    class Latency(BaseRequestMiddleware):
        async def __call__(self, make_request, bot, method):
            fake.now += 0.09 if next(calls) % 30 < 15 else 0.01  # on its way to the server
            result = await make_request(bot, method)
            fake.now += 0.02  # the answer on its way back
            return result

    desk.bot.session.middleware(Latency())
    users = [desk.citizen(f"User {i}") for i in range(20)]
    group = desk.group("Unit")
    for round_ in range(4):
        for user in users:
            await outbox.enqueue(platform="telegram", chat_id=user.id, kind="test-text", data={"n": round_})
    for n in range(25):
        await outbox.enqueue(platform="telegram", chat_id=group.id, kind="test-text", data={"n": n}, is_group=True)
    limits = Limits.from_settings(desk.settings.outbox, clock=fake.clock, sleep=fake.sleep)
    sender = Sender(desk.settings, {"telegram": desk.bot}, limits=limits)
    assert await sender.deliver_pending() == 80 + 25

    assert desk.standin.stats["429"] == 0 and sender.stats.calls == 105
    for user in users:
        assert user.texts() == ["0", "1", "2", "3"]
        assert all(b - a >= 1.0 for a, b in zip(arrivals[user.id], arrivals[user.id][1:]))
    assert [m["plain"] for m in group.messages] == [str(n) for n in range(25)]
    assert arrivals[group.id][20] - arrivals[group.id][0] >= 60.0
    times = sorted(t for ts in arrivals.values() for t in ts)
    assert all(times[i + 30] - times[i] >= 1.0 for i in range(len(times) - 30))  # 30 a second at most


async def test_an_unreachable_shared_limiter_sends_nothing_and_counts_no_attempt(desk):
    user = desk.citizen()
    await _queue(user.id, 2)
    limits = RedisLimits.from_url("redis://127.0.0.1:1/0", desk.settings.outbox)  # nothing listens there
    sender = Sender(desk.settings, {"telegram": desk.bot}, limits=limits)
    try:
        assert await sender.deliver_pending() == 0
    finally:
        await limits.close()
    assert user.texts() == []
    rows = await OutboxMessage.all().order_by("id")
    assert all(r.status == OutboxStatus.PENDING and r.attempts == 0 for r in rows)
    assert all(r.next_attempt_at > outbox.now() for r in rows)  # tried again shortly, in order


ONE, TWO = " ".join(["one"] * 1000), " ".join(["two"] * 1000)  # 3999 characters each


@renderer("test-long")
async def _test_long(out):
    yield SendMessage(chat_id=out.chat_id, text=f"{ONE}\n\n{TWO}")


async def test_a_text_too_long_for_one_message_goes_in_parts_each_within_the_limits(make_desk):
    """Its parts go to one chat: a second apart, each sent once (sent back to back, the second drew a
    429 and the whole text was sent again, its first part every second)."""
    desk = await make_desk(outbox=TELEGRAM_LIMITS)
    fake = FakeTime()
    arrivals = _limited(desk, fake)
    user = desk.citizen()
    await outbox.enqueue(platform="telegram", chat_id=user.id, kind="test-long")
    await outbox.enqueue(platform="telegram", chat_id=user.id, kind="test-text", data={"n": "after"})
    limits = Limits.from_settings(desk.settings.outbox, clock=fake.clock, sleep=fake.sleep)
    sender = Sender(desk.settings, {"telegram": desk.bot}, limits=limits)
    assert await asyncio.wait_for(sender.deliver_pending(), 120) == 2  # a hang guard (it sent forever)
    assert user.texts() == [ONE, TWO, "after"]
    assert arrivals[user.id] == [0.0, 1.0, 2.0] and desk.standin.stats["429"] == 0
    long_row, _ = await OutboxMessage.all().order_by("id")
    assert long_row.sent_message_id == user.messages[1]["message_id"]  # the part the row stands for
