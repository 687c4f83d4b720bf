"""Webhook throughput and latency: a bare aiogram echo bot, one Mizban web process and two, in one run.

    python bench/webhook_bench.py [--rounds 4] [--seconds 3] [--concurrency 32] [--api lean|standin]

Everything runs on this machine: the Bot API (bench/lean_api.py, or the project's stand-in with
`--api standin`), PostgreSQL (database mizban_bench, recreated and migrated with `python -m bot
migrate`), Redis (db 14), the web processes and this load generator, which plays the Bot API's
webhook pusher over keep-alive connections: `concurrency` chats at once, each chat's next update
sent only when the previous one is answered, spread round-robin over the web processes (as a
reverse proxy would).

In production the Bot API and its pusher are not on the desk's machine. Here they are kept lean and
scheduled as SCHED_BATCH, so that the cores measured are the bots': a SCHED_BATCH process does not
preempt the running one when it wakes, and without that each update's Bot API call and next POST
interrupted a busy web process (`--preempt` restores Linux's default).

Every update is a private /start. Mizban answers it with its greeting and main menu (citizen
lookup; the chat's turn in Redis, with its FSM state and the duplicate check; one sendMessage), the
echo bot with the text. Latency is from POST to the webhook's answer, which comes after handling.
The CPU seconds of every process, and of PostgreSQL and Redis, show where the machine's cores went."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "123456:BENCH-token"
SECRET = "bench-secret"
PG_ADMIN = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/mizban_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TICK = os.sysconf("SC_CLK_TCK")


# -- CPU time from /proc -----------------------------------------------------------------------------
def _stat(pid: int) -> tuple[str, float]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    comm, rest = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
    return comm, (int(rest[11]) + int(rest[12])) / TICK  # utime + stime


def cpu_of(pid: int) -> float:
    try:
        return _stat(pid)[1]
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def cpu_of_command(name: str) -> float:
    """Every process whose command is `name` (PostgreSQL's backends, redis-server)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm, seconds = _stat(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            total += seconds if comm == name else 0.0
    return total


# -- the bare echo bot (run as a subprocess of this script) ------------------------------------------
def echo_bot(port: int, api_url: str) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler
    from aiohttp import web

    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    if os.environ.get("BENCH_BARE_KEEPS_MODELS"):  # --bare-keeps-models: Mizban's one fix to aiogram's hot path
        from bot.delivery.session import KeepResponseModels

        bot.session.middleware(KeepResponseModels())
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    app = web.Application()
    SimpleRequestHandler(dp, bot, handle_in_background=False, secret_token=SECRET).register(app, path="/webhook")
    app.router.add_get("/healthz", lambda request: web.json_response({}))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# -- processes -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    def __init__(self, name: str, args: list[str], port: int, hook: str = "", env: dict | None = None):
        self.name, self.url, self.hook = name, f"http://127.0.0.1:{port}", hook
        self.popen = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def ready(self, session: aiohttp.ClientSession, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.popen.returncode}")
            try:
                async with session.get(self.url + path) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        raise SystemExit(f"{self.name} not ready in {timeout}s")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()


def echo(n: int, api_url: str, keep_models: bool) -> Proc:
    port = free_port()
    return Proc(
        f"echo bot {n}",
        [__file__, "--echo", str(port), api_url],
        port,
        "/webhook",
        {"BENCH_BARE_KEEPS_MODELS": "1"} if keep_models else {},
    )


def mizban(n: int, api_url: str, workdir: Path) -> Proc:
    port = free_port()
    config = workdir / f"web{n}.toml"
    config.write_text(f'[webhook]\nhost = "127.0.0.1"\nport = {port}\n[documents]\ndir = "{workdir / "docs"}"\n')
    env = {
        "BOT_CONFIG": str(config),
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": api_url,
        "BOT_PLATFORM": "telegram",
        "DATABASE_URL": PG_URL,
        "REDIS_URL": REDIS_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_BASE_URL": "",
    }
    return Proc(f"mizban web {n}", ["-m", "bot", "webhook"], port, f"/webhook/{TOKEN.split(':')[0]}/{SECRET}", env)


async def fresh_database() -> None:
    import asyncpg

    database = PG_URL.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "DATABASE_URL": PG_URL, "BOT_TOKEN": TOKEN},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis.asyncio as aioredis

    redis = aioredis.Redis.from_url(REDIS_URL)
    await redis.flushdb()
    await redis.aclose()


# -- load ------------------------------------------------------------------------------------------
class Load:
    def __init__(self, citizens: list[int]):
        self.citizens = citizens
        self.update_id = 0

    def update(self, user_id: int) -> dict:
        self.update_id += 1
        person = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": "fa"}
        return {
            "update_id": self.update_id,
            "message": {
                "message_id": self.update_id,
                "date": int(time.time()),
                "text": "/start",
                "from": person,
                "chat": {"id": user_id, "type": "private", "first_name": person["first_name"]},
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }

    async def run(self, targets: list[str], seconds: float, concurrency: int) -> tuple[int, list[float], int]:
        latencies: list[float] = []
        errors = 0
        end = time.monotonic() + seconds
        turn = iter(range(10**12))

        async def chat_stream(k: int) -> None:
            nonlocal errors
            mine = self.citizens[k::concurrency]
            i = 0
            pushers: dict[str, Pusher] = {}
            try:
                while time.monotonic() < end:
                    url = targets[next(turn) % len(targets)]
                    pusher = pushers.get(url) or pushers.setdefault(url, await Pusher.open(url))
                    body = orjson.dumps(self.update(mine[i % len(mine)]))
                    started = time.perf_counter()
                    errors += await pusher.post(body) != 200
                    latencies.append(time.perf_counter() - started)
                    i += 1
            finally:
                for pusher in pushers.values():
                    pusher.close()

        await asyncio.gather(*(chat_stream(k) for k in range(concurrency)))
        return len(latencies), latencies, errors


class Pusher:
    """One keep-alive HTTP/1.1 connection to a webhook, POSTing JSON (the Bot API's pusher keeps
    its connections open too). A few lines of asyncio streams cost this process a quarter of what
    aiohttp's client did per update, and the machine's cores are shared with what is measured."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes):
        self.reader, self.writer, self.head = reader, writer, head

    @classmethod
    async def open(cls, url: str) -> Pusher:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        head = (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: "
        ).encode()
        return cls(reader, writer, head)

    async def post(self, body: bytes) -> int:
        self.writer.write(b"%s%d\r\n\r\n%s" % (self.head, len(body), body))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@dataclass
class Scenario:
    """One configuration, measured over every round."""

    name: str
    procs: list[Proc]
    count: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    rounds: list[float] = field(default_factory=list)  # updates per second in each round

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0


async def measure(
    sc: Scenario, watched: dict[str, int], load: Load, seconds: float, concurrency: int, profile: Path | None = None
) -> None:
    """One turn of a scenario: an uncounted warm-up, then `seconds` measured."""
    targets = [p.url + p.hook for p in sc.procs]
    await load.run(targets, min(1.0, seconds / 4), concurrency)  # warm-up: connections, caches
    profilers = (
        [
            subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "--gil",
                    "--rate",
                    "400",
                    "--format",
                    "raw",
                    "-o",
                    str(profile / f"{p.name.replace(' ', '-')}.folded"),
                    "--pid",
                    str(p.popen.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for p in sc.procs
        ]
        if profile
        else []
    )
    before = {k: cpu_of(pid) for k, pid in watched.items()}
    shared_before = {"postgres": cpu_of_command("postgres"), "redis": cpu_of_command("redis-server")}
    self_before = time.process_time()
    started = time.monotonic()
    count, latencies, errors = await load.run(targets, seconds, concurrency)
    elapsed = time.monotonic() - started
    sc.elapsed += elapsed
    sc.rounds.append(count / elapsed)
    cpu = {k: cpu_of(pid) - before[k] for k, pid in watched.items()}
    cpu["postgres"] = cpu_of_command("postgres") - shared_before["postgres"]
    cpu["redis"] = cpu_of_command("redis-server") - shared_before["redis"]
    cpu["load generator"] = time.process_time() - self_before
    for name, seconds_used in cpu.items():
        sc.cpu[name] = sc.cpu.get(name, 0.0) + seconds_used
    for profiler in profilers:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(30)
    sc.count += count
    sc.errors += errors
    sc.latencies += latencies


# -- the machine -----------------------------------------------------------------------------------
def _spin(n: int = 3_000_000) -> float:
    started = time.process_time()
    total = 0
    for i in range(n):
        total += i
    return time.process_time() - started


def parallel_capacity() -> float:
    """How many one-core CPU-bound processes' worth of work the machine does with every core busy:
    os.cpu_count() on dedicated cores, less where virtual cores share physical ones (or a host)."""
    import multiprocessing

    alone = min(_spin() for _ in range(2))
    cores = os.cpu_count() or 1
    with multiprocessing.Pool(cores) as pool:
        together = pool.map(_spin, [3_000_000] * cores)
    return sum(alone / t for t in together)


def report(rows: list[Scenario], capacity: tuple[float, float]) -> None:
    print(f"\n{'scenario':<22}{'updates/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   CPU seconds (busy cores)")
    for row in rows:
        cpu = ", ".join(f"{k} {v:.1f} ({v / row.elapsed:.2f})" for k, v in row.cpu.items() if v >= 0.05)
        total = sum(row.cpu.values()) / row.elapsed
        print(
            f"{row.name:<22}{row.rate:>10.0f}{1000 * percentile(row.latencies, 0.5):>9.1f}"
            f"{1000 * percentile(row.latencies, 0.99):>9.1f}{row.errors:>8}   {cpu}; all {total:.2f} of "
            f"{os.cpu_count()} cores"
        )
    print(
        f"\nthe machine, all {os.cpu_count()} cores busy, does the work of {capacity[0]:.2f} (before) and "
        f"{capacity[1]:.2f} (after) cores alone: the ceiling of any scaling measured here"
    )
    bare, one, two, bare_two = rows

    def each_round(a: Scenario, b: Scenario) -> str:
        ratios = [x / y for x, y in zip(a.rounds, b.rounds)]
        return f"rounds {' '.join(f'{r:.2f}' for r in ratios)}, median {statistics.median(ratios):.2f}"

    print(f"one worker / bare bot: {one.rate / bare.rate:.2f} (target >= 0.5; {each_round(one, bare)})")
    print(f"two workers / one worker: {two.rate / one.rate:.2f} (target >= 1.3; {each_round(two, one)})")
    print(f"the bare bot's two processes / one: {bare_two.rate / bare.rate:.2f} ({each_round(bare_two, bare)})")


async def main(args: argparse.Namespace) -> None:
    await fresh_database()
    capacity_before = parallel_capacity()
    workdir = Path(tempfile.mkdtemp(prefix="mizban-bench-"))
    api_port = free_port()
    if args.api == "standin":
        api = Proc("stand-in", ["-m", "standin", "--port", str(api_port), "--lenient"], api_port)
    else:
        api = Proc("lean Bot API", [str(ROOT / "bench" / "lean_api.py"), str(api_port)], api_port)
    api_url = api.url
    procs: list[Proc] = [api]
    async with aiohttp.ClientSession() as session:
        try:
            await api.ready(session, "/_standin/stats")
            citizens = list(range(500_000_001, 500_000_001 + args.citizens))
            for user_id in citizens if args.api == "standin" else ():  # the stand-in knows its chats
                async with session.post(f"{api_url}/_standin/users", json={"user_id": user_id, "token": TOKEN}) as r:
                    r.raise_for_status()
            load = Load(citizens)
            echo1, echo2 = echo(1, api_url, args.bare_keeps_models), echo(2, api_url, args.bare_keeps_models)
            web1, web2 = mizban(1, api_url, workdir), mizban(2, api_url, workdir)
            procs += [echo1, echo2, web1, web2]
            await asyncio.gather(*(p.ready(session, "/healthz") for p in procs[1:]))
            rows = [
                Scenario("bare aiogram echo", [echo1]),
                Scenario("mizban, 1 worker", [web1]),
                Scenario("mizban, 2 workers", [web1, web2]),
                Scenario("bare echo, 2 processes", [echo1, echo2]),
            ]
            watched = {p.name: p.popen.pid for p in procs}
            if not args.preempt:
                for pid in (api.popen.pid, os.getpid()):  # the apparatus: the Bot API and this load generator
                    os.sched_setscheduler(pid, os.SCHED_BATCH, os.sched_param(0))
            for turn in range(args.rounds):  # taking turns evens out what else the machine does meanwhile
                for row in rows:
                    shown = {k: v for k, v in watched.items() if k == api.name or any(p.name == k for p in row.procs)}
                    await measure(
                        row,
                        shown,
                        load,
                        args.seconds,
                        args.concurrency,
                        args.profile if turn == 0 and len(row.procs) == 1 else None,
                    )
        finally:
            for proc in procs:
                proc.stop()
    print(
        f"{args.rounds} rounds of {args.seconds:.0f} s per scenario, scenarios taking turns; {args.concurrency} "
        f"chats in flight, {args.citizens} citizens, PostgreSQL and Redis on this machine; {api.name} and load "
        f"generator {'scheduled as any process' if args.preempt else 'as SCHED_BATCH'}"
    )
    report(rows, (capacity_before, parallel_capacity()))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--echo":
        echo_bot(int(sys.argv[2]), sys.argv[3])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per scenario and round")
    parser.add_argument("--rounds", type=int, default=4, help="turns each scenario takes")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--citizens", type=int, default=400)
    parser.add_argument(
        "--api",
        choices=["lean", "standin"],
        default="lean",
        help="the Bot API the bots call: bench/lean_api.py, or the project's stand-in, which "
        "checks every call against api.json and costs this machine three to four times more",
    )
    parser.add_argument(
        "--preempt",
        action="store_true",
        help="schedule the Bot API and the load generator as any process (by default they are "
        "SCHED_BATCH, and do not interrupt the bots when they wake)",
    )
    parser.add_argument(
        "--bare-keeps-models",
        action="store_true",
        help="the bare bot holds pydantic's Response models as Mizban does (bot/app.py); without "
        "it, pydantic rebuilds them whenever the garbage collector drops them",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="write py-spy profiles (folded stacks) of the echo bot and of the one-worker scenario's web process here",
    )
    asyncio.run(main(parser.parse_args()))
