"""Several senders over one outbox on PostgreSQL (the production shape: one sender per `worker`/`run`
process): claims never overlap and give each chat to one sender at a time, and with the limiter
shared in Redis the senders together stay within the bot's limits. Skipped when PostgreSQL or Redis
is unreachable, failed then under CI/REQUIRE_POSTGRES."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import defaultdict
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from aiogram.methods import SendMessage

from bot.delivery.limits import Limits, RedisLimits
from bot.delivery.outbox_sender import Sender
from bot.views.notifications import renderer
from desk import outbox
from models import OutboxMessage, OutboxStatus
from tests.factories import PG_REQUIRED

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
MESSAGES, CHATS = 120, 60
TELEGRAM_RATE = 30  # messages/s per bot


@renderer("senders-text")
async def _senders_text(out):
    yield SendMessage(chat_id=out.chat_id, text=str(out.data["n"]))


def _unavailable(what: str) -> None:
    if PG_REQUIRED:
        pytest.fail(f"{what} is required (CI/REQUIRE_POSTGRES) but not reachable")
    pytest.skip(f"{what} not reachable")


@pytest.fixture
def db_url(pg_url) -> str:
    """PostgreSQL only: one SQLite file has one writer, so it has one sender."""
    if pg_url is None:
        _unavailable("PostgreSQL")
    return pg_url


@pytest.fixture
async def redis_limits(desk):
    """`make()`: a limiter shared through Redis, as each sender process would build it, under keys
    of this test's own (runs in parallel never collide; nothing else in the database is touched)."""
    import redis.asyncio

    prefix = f"mizban-test:{uuid.uuid4().hex}:"
    probe = redis.asyncio.Redis.from_url(REDIS_URL)
    try:
        await probe.ping()
    except (OSError, redis.asyncio.ConnectionError):
        await probe.aclose()
        _unavailable(f"Redis ({urlparse(REDIS_URL).netloc})")
    made: list[RedisLimits] = []

    def make(outbox_settings=None) -> RedisLimits:
        made.append(RedisLimits.from_url(REDIS_URL, outbox_settings or desk.settings.outbox, prefix=prefix))
        return made[-1]

    yield make
    for limits in made:
        await limits.close()
    keys = [key async for key in probe.scan_iter(match=f"{prefix}*")]
    if keys:
        await probe.delete(*keys)
    await probe.aclose()


async def _queue_round_robin(chats: list[int], per_chat: int) -> None:
    """Every chat's first message, then every chat's second...: a chat's rows are far apart, so
    senders claiming in turns get rows of one chat in different claims."""
    for n in range(per_chat):
        for chat in chats:
            await outbox.enqueue(platform="telegram", chat_id=chat, kind="senders-text", data={"n": n})


async def test_concurrent_claims_never_overlap_and_keep_a_chat_with_one_sender(desk):
    chats = list(range(1, 11))
    await _queue_round_robin(chats, 4)
    ids_by_chat = defaultdict(list)
    for row in await OutboxMessage.all().order_by("id"):
        ids_by_chat[row.chat_id].append(row.id)

    claims = await asyncio.gather(*(outbox.claim(7) for _ in range(4)))  # four senders at once
    claimed = [r.id for rows in claims for r in rows]
    assert len(claimed) == len(set(claimed)) > 0  # FOR UPDATE SKIP LOCKED: no row twice
    owner: dict[int, int] = {}
    for sender, rows in enumerate(claims):
        for row in rows:
            assert owner.setdefault(row.chat_id, sender) == sender  # a chat's rows went to one sender
    for chat, ids in ids_by_chat.items():  # and they are the chat's oldest rows
        mine = sorted(r.id for rows in claims for r in rows if r.chat_id == chat)
        assert mine == ids[: len(mine)]

    # a fifth sender finds only chats nobody holds, and only from their first row
    fifth = await outbox.claim(100)
    assert {r.chat_id for r in fifth}.isdisjoint(owner)
    assert all(ids_by_chat[r.chat_id][0] <= r.id for r in fifth)
    taken = {r.id for r in fifth} | set(claimed)
    # the first sender, naming what it holds, goes on with its own chats' next rows
    first = claims[0]
    more = await outbox.claim(100, held=[r.id for r in first])
    assert more and {r.chat_id for r in more} <= {r.chat_id for r in first}
    assert taken.isdisjoint(r.id for r in more)
    # a row waiting for its retry holds its chat back for everyone
    waiting = await outbox.claim(1)
    assert waiting == []  # everything is leased now
    await OutboxMessage.filter(chat_id=chats[0]).update(next_attempt_at=outbox.now())
    head = await OutboxMessage.filter(chat_id=chats[0]).order_by("id").first()
    await OutboxMessage.filter(id=head.id).update(next_attempt_at=outbox.now() + outbox.LEASE)
    assert await outbox.claim(100) == []


class Arrivals:
    """When the stand-in accepted each message (its clock), per chat."""

    def __init__(self, standin):
        self.times: list[float] = []
        original = standin.count_sent

        def count_sent(account, chat):
            original(account, chat)
            self.times.append(standin.clock())

        standin.count_sent = count_sent

    def busiest_second(self) -> int:
        times, most, start = sorted(self.times), 0, 0
        for end, at in enumerate(times):
            while times[start] <= at - 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most

    def rate(self) -> float:
        """Messages per second of the seconds used: Telegram's window admits 30 at once, so n
        messages take at least n/30 - 1 seconds from the first to the last, and n/30 windows."""
        return len(self.times) / (max(self.times) - min(self.times) + 1.0)


async def _two_senders(desk, limits: list[Limits]):
    desk.standin.rate_limits = True  # the stand-in answers 429 beyond Telegram's limits
    users = [desk.citizen(f"User {i}") for i in range(CHATS)]
    await _queue_round_robin([u.id for u in users], MESSAGES // CHATS)
    arrivals = Arrivals(desk.standin)
    # small claims, so the two senders take turns through the outbox and split chats between claims
    senders = [Sender(desk.settings, {"telegram": desk.bot}, limits=lim, max_in_flight=20) for lim in limits]
    delivered = await asyncio.wait_for(asyncio.gather(*(s.deliver_pending() for s in senders)), 60)
    return users, senders, delivered, arrivals


async def test_two_senders_share_the_limits_through_redis(desk, redis_limits):
    users, senders, delivered, arrivals = await _two_senders(desk, [redis_limits(), redis_limits()])

    # nothing lost, nothing sent twice, each chat's messages in order
    assert sum(delivered) == MESSAGES and all(delivered)  # both senders took part
    rows = await OutboxMessage.all()
    assert {r.status for r in rows} == {OutboxStatus.SENT} and len(rows) == MESSAGES
    for user in users:
        assert user.texts() == ["0", "1"]
    sends = [c for c in desk.standin.calls if c.method == "sendMessage"]
    # within the limits together: at most 30 arrivals in any second, and no 429 (a send counts from
    # its answer, so no arrival can jitter ahead of the window, however loaded the machine)
    assert len(arrivals.times) == MESSAGES
    assert arrivals.busiest_second() <= TELEGRAM_RATE
    assert max(arrivals.times) - min(arrivals.times) >= MESSAGES / TELEGRAM_RATE - 1
    assert arrivals.rate() <= TELEGRAM_RATE
    assert desk.standin.stats["429"] == 0 and len(sends) == MESSAGES
    # (how fast they go is measured by bench/, not here)


async def test_the_shared_limiter_holds_a_send_in_flight_until_its_answer(desk, redis_limits):
    """Two a second: two sends in flight fill the window whatever the time, and the answer dates a send."""
    limits = redis_limits(SimpleNamespace(global_per_second=2, private_interval_seconds=0, group_per_minute=0))
    refused = asyncio.Event()
    script = limits._script

    async def told(**kw):
        overall_ms, chat_ms = await script(**kw)
        if overall_ms == -1:
            refused.set()  # the window is full of sends in flight: wait for an answer
        return [overall_ms, chat_ms]

    limits._script = told
    started: list[int] = []
    answers = [asyncio.Event(), asyncio.Event()]

    async def send(chat: int, answer: asyncio.Event | None = None) -> None:
        async with limits.sending("telegram", chat, False):
            started.append(chat)
            if answer is not None:
                await answer.wait()

    in_flight = [asyncio.create_task(send(chat, answers[chat - 1])) for chat in (1, 2)]
    third = asyncio.create_task(send(3))
    await refused.wait()
    assert started == [1, 2] and not third.done()
    window = f"{limits.prefix}telegram"
    (server_now, _), scores = await limits.redis.time(), await limits.redis.zrange(window, 0, -1, withscores=True)
    assert len(scores) == 2 and all(score > server_now + 60 for _, score in scores)  # held, not dated yet
    for answer in answers:
        answer.set()
    await asyncio.gather(*in_flight)
    (server_now, _), scores = await limits.redis.time(), await limits.redis.zrange(window, 0, -1, withscores=True)
    answered = sorted(score for _, score in scores)
    assert len(answered) == 2 and answered[1] <= server_now + 1  # dated by their answers
    await third
    assert started == [1, 2, 3]
    ((_, last),) = await limits.redis.zrange(window, 0, -1, withscores=True)  # the first two have left
    assert last - answered[0] >= 1.0  # the third went a second after the first answer


async def test_two_senders_each_pacing_itself_would_break_the_limits(desk):
    """The control: the same run with a limiter per process goes past 30 messages/s (hence Redis)."""
    users, senders, delivered, arrivals = await _two_senders(
        desk, [Limits.from_settings(desk.settings.outbox) for _ in range(2)]
    )
    assert sum(delivered) == MESSAGES  # 429s are waited out, nothing is lost
    assert desk.standin.stats["429"] > 0  # the stand-in refused what went past 30 messages/s
    assert arrivals.busiest_second() <= TELEGRAM_RATE  # so what it accepted stayed within the limit
    for user in users:
        assert user.texts() == ["0", "1"]
