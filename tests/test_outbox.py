"""The outbox sender: limits, 429 with retry_after, 5xx backoff, 403 marking, leases across a
crash, renderers, and the registry other features plug into."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from aiogram.exceptions import TelegramServerError
from aiogram.methods import SendMessage

from bot.delivery.limits import MARGIN, Limits, RedisLimits, SlidingWindow
from bot.delivery.outbox_sender import Sender
from bot.views.notifications import _RENDERERS, renderer
from desk import outbox
from models import Citizen, OutboxMessage, OutboxStatus
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
        assert all(b - a >= 0.3 for a, b in zip(at, at[1:]))  # 0.3 s (+5% margin) apart


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
    window.record(0.0)
    window.record(0.1)  # a burst up to the limit is fine
    assert window.wait(0.5) == pytest.approx(0.5)  # the third waits for the oldest to leave
    assert window.wait(1.0) == 0


class FakeTime:
    """A clock that moves only when the limiter sleeps."""

    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_limits_share_the_overall_window_between_chats():
    fake = FakeTime()
    limits = Limits(5, 0, 0, clock=fake.clock, sleep=fake.sleep)
    for chat in range(7):  # 5 fit at once; the 6th waits for the window (+margin), the 7th goes with it
        await limits.acquire("telegram", chat, False)
    assert fake.sleeps == [pytest.approx(1 / MARGIN)]
    fake.now += 0.5
    for chat in range(7, 11):  # three more fill the window again; the 11th waits for the 6th to leave
        await limits.acquire("telegram", chat, False)
    assert fake.sleeps == [pytest.approx(1 / MARGIN), pytest.approx(1 / MARGIN - 0.5)]


async def test_a_chats_messages_are_spaced_by_its_interval_on_the_limiters_clock():
    fake = FakeTime()
    limits = Limits(0, 1.0, 20, clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        await limits.acquire("telegram", 1, False)
    await limits.acquire("telegram", 2, False)  # another chat does not wait for the first one
    assert fake.sleeps == [pytest.approx(1 / MARGIN)] * 2
    for _ in range(21):
        await limits.acquire("telegram", -5, True)  # a group: 20 at once, the 21st waits the minute
    assert fake.sleeps[2:] == [pytest.approx(60 / MARGIN)]


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
