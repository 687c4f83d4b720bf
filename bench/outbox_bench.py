"""Outbox sender benchmark: N notifications to many private chats and a few groups, through the
Bot API stand-in over HTTP (127.0.0.1) enforcing Telegram's limits with 429 + retry_after, sent by
a real aiogram bot (AiohttpSession) from a real database.

    python -m bench.outbox_bench [--messages 2000 --chats 500 --groups 5 --timeout 240 --db URL]
                                 [--senders 2 --redis redis://127.0.0.1:6379/14]

Prints messages/s, 429s received, messages lost, the busiest second, and the share of the allowed
rate achieved (the allowed rate: the fastest any sender could go without breaking a limit).
`--senders N` runs N senders at once over the outbox (each with its own limiter client, as N worker
processes would; use PostgreSQL) and prints the combined figures: with `--redis` they share the
limits in Redis, without it each paces itself (N times the rate: the 429s show it)."""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from aiogram.methods import SendMessage
from aiohttp import web
from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import BotAccount, Settings
from bot.db import tortoise_config
from bot.delivery.limits import Limits, RedisLimits
from bot.delivery.outbox_sender import Sender
from bot.platforms import make_bot
from bot.runner import settle
from bot.views.notifications import renderer
from desk import outbox
from models import OutboxMessage, OutboxStatus
from standin.core import Standin
from standin.ratelimit import GLOBAL, GROUP_CHAT, PRIVATE_CHAT
from standin.server import make_app

TOKEN = "424242:BENCH-token"


@renderer("bench-text")
async def bench_text(out):
    yield SendMessage(chat_id=out.chat_id, text=f"<b>#{out.data['n']}</b> notification")


def allowed_seconds(per_chat: Counter, groups: set[int]) -> float:
    """The least time the limits allow for this load (sliding windows, first message at t=0)."""
    need = (math.ceil(sum(per_chat.values()) / GLOBAL[0]) - 1) * GLOBAL[1]
    for chat, n in per_chat.items():
        limit, period = GROUP_CHAT if chat in groups else PRIVATE_CHAT
        need = max(need, (n - 1) // limit * period)
    return need


def busiest_second(times: list[float]) -> int:
    """The most messages the server accepted within any one second."""
    times, most, start = sorted(times), 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def run(
    messages: int,
    chats: int,
    groups: int,
    timeout: float,
    db_url: str | None,
    senders: int = 1,
    redis_url: str | None = None,
) -> int:
    standin = Standin(strict=True, rate_limits=True)
    standin.add_bot(TOKEN)
    accepted: list[float] = []  # when the stand-in accepted each message
    count_sent = standin.count_sent

    def count_and_time(account, chat) -> None:
        count_sent(account, chat)
        accepted.append(standin.clock())

    standin.count_sent = count_and_time
    users = [standin.user(f"User {i}") for i in range(chats)]
    group_chats = [standin.group(f"Unit {i}") for i in range(groups)]
    runner = web.AppRunner(make_app(standin), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]

    tmp = tempfile.TemporaryDirectory()
    url = db_url or f"sqlite://{tmp.name}/bench.sqlite3"
    await Tortoise.init(config=tortoise_config(url))
    await Tortoise.generate_schemas()
    await OutboxMessage.all().delete()
    settings = Settings(token=TOKEN, api_url=f"http://127.0.0.1:{port}", platform="telegram", database={"url": url})
    bot = make_bot(BotAccount(token=TOKEN, api_url=settings.api_url, platform="telegram"))

    # 5% of the notifications go to the groups, as many to each and at most a minute's worth (20:
    # a group's next minute would otherwise decide the time alone); the rest spread at random over
    # the private chats; all enqueued in random order, as a busy desk would
    rng = random.Random(7)
    to_groups = min(messages // 20, groups * GROUP_CHAT[0])
    targets = [(group_chats[i % groups].id, True) for i in range(to_groups)]
    targets += [(u.id, False) for u in rng.choices(users, k=messages - len(targets))]
    rng.shuffle(targets)
    rows = [
        OutboxMessage(
            platform="telegram",
            chat_id=chat,
            is_group=is_group,
            method="bench-text",
            payload={"n": i},
            next_attempt_at=outbox.now(),
        )
        for i, (chat, is_group) in enumerate(targets)
    ]
    await OutboxMessage.bulk_create(rows, batch_size=500)
    per_chat = Counter(chat for chat, _ in targets)

    prefix = f"mizban-bench:{random.getrandbits(64):x}:"
    limits = [
        RedisLimits.from_url(redis_url, settings.outbox, prefix=prefix)
        if redis_url
        else Limits.from_settings(settings.outbox)
        for _ in range(senders)
    ]
    running = [Sender(settings, {"telegram": bot}, limits=lim) for lim in limits]
    settle(settings)  # as a process does once it has started (bot/runner.py)
    started = time.monotonic()
    try:
        await asyncio.wait_for(asyncio.gather(*(s.deliver_pending() for s in running)), timeout)
        finished = True
    except TimeoutError:
        finished = False
    elapsed = time.monotonic() - started
    if redis_url:
        keys = [key async for key in limits[0].redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await limits[0].redis.delete(*keys)
    for lim in limits:
        await lim.close()

    received = sum(
        1
        for chat in standin.chats.values()
        for m in chat.history.values()
        if m.bot_token == TOKEN and "notification" in m.plain
    )
    sent_rows = await OutboxMessage.filter(status=OutboxStatus.SENT).count()
    dead_rows = await OutboxMessage.filter(status=OutboxStatus.DEAD).count()
    allowed = allowed_seconds(per_chat, {g.id for g in group_chats})
    print(f"notifications: {messages} to {chats} chats and {groups} groups ({to_groups} to groups)")
    print(
        f"senders: {senders}, limits {'shared in Redis' if redis_url else 'in each process'}, "
        f"database {url.split(':', 1)[0]}"
    )
    print(f"finished: {finished} in {elapsed:.1f} s")
    if senders > 1:
        print("rows sent by each sender: " + ", ".join(str(s.stats.sent) for s in running))
    print(f"messages/s: {received / elapsed:.1f} (limit {GLOBAL[0] / GLOBAL[1]:.0f}/s)")
    print(f"busiest second: {busiest_second(accepted)} messages (limit {GLOBAL[0]})")
    print(f"429s received: {standin.stats['429']}")
    print(f"messages lost: {messages - received} (rows sent {sent_rows}, dead {dead_rows})")
    print(f"duplicates: {max(0, received - sent_rows)}")
    print(f"allowed rate achieved: {100 * allowed / elapsed:.1f}% (the limits allow it in {allowed:.1f} s)")
    print(f"spec violations: {len(standin.violations)}")

    await bot.session.close()
    await Tortoise.close_connections()
    await runner.cleanup()
    tmp.cleanup()
    return 0 if finished and received == messages else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=240, help="give up after this many seconds")
    parser.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--senders", type=int, default=1, help="senders running at once (use PostgreSQL)")
    parser.add_argument("--redis", default=None, help="Redis URL: the senders share the limits there")
    args = parser.parse_args()
    if args.senders > 1 and not (args.db or "").startswith("postgres"):
        parser.error("--senders above 1 needs --db postgres://... (SQLite has one writer)")
    return asyncio.run(run(args.messages, args.chats, args.groups, args.timeout, args.db, args.senders, args.redis))


if __name__ == "__main__":
    raise SystemExit(main())
