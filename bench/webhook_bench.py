"""Webhook throughput and latency: a bare aiogram echo bot, one Mizban web process and two, in one run.

    python bench/webhook_bench.py [--seconds 6] [--concurrency 32] [--citizens 400]

Everything runs on this machine: the Bot API stand-in (HTTP), PostgreSQL (database mizban_bench,
recreated and migrated with `python -m bot migrate`), Redis (db 14), the web processes and this
load generator, which plays the Bot API's webhook pusher: `concurrency` chats at once, each chat's
next update sent only when the previous one is answered, spread round-robin over the web processes
(as a reverse proxy would). Every update is a private /start; Mizban answers it with its greeting
and main menu (citizen lookup, FSM state in Redis, event isolation lock, duplicate check, one
sendMessage), the echo bot with the text. Latency is from POST to the webhook's answer, which
comes after handling. The CPU seconds of every process, and of PostgreSQL and Redis, show where the
machine's cores went."""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

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
    comm, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
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
        self.popen = subprocess.Popen([sys.executable, *args], cwd=ROOT, env={**os.environ, **(env or {})},
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

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


def mizban(n: int, api_url: str, workdir: Path) -> Proc:
    port = free_port()
    config = workdir / f"web{n}.toml"
    config.write_text(f'[webhook]\nhost = "127.0.0.1"\nport = {port}\n[documents]\ndir = "{workdir / "docs"}"\n')
    env = {"BOT_CONFIG": str(config), "BOT_TOKEN": TOKEN, "BOT_API_URL": api_url, "DATABASE_URL": PG_URL,
           "REDIS_URL": REDIS_URL, "WEBHOOK_SECRET": SECRET, "WEBHOOK_BASE_URL": ""}
    return Proc(f"mizban web {n}", ["-m", "bot", "webhook"], port, f"/webhook/{TOKEN.split(':')[0]}", env)


async def fresh_database() -> None:
    import asyncpg

    database = PG_URL.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": PG_URL, "BOT_TOKEN": TOKEN},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
        return {"update_id": self.update_id, "message": {
            "message_id": self.update_id, "date": int(time.time()), "text": "/start", "from": person,
            "chat": {"id": user_id, "type": "private", "first_name": person["first_name"]},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}

    async def run(self, session: aiohttp.ClientSession, targets: list[str], seconds: float,
                  concurrency: int) -> tuple[int, list[float], int]:
        latencies: list[float] = []
        errors = 0
        end = time.monotonic() + seconds
        turn = iter(range(10**12))

        async def chat_stream(k: int) -> None:
            nonlocal errors
            mine = self.citizens[k::concurrency]
            i = 0
            while time.monotonic() < end:
                url = targets[next(turn) % len(targets)]
                started = time.perf_counter()
                async with session.post(url, json=self.update(mine[i % len(mine)]),
                                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as resp:
                    await resp.read()
                    errors += resp.status != 200
                latencies.append(time.perf_counter() - started)
                i += 1

        await asyncio.gather(*(chat_stream(k) for k in range(concurrency)))
        return len(latencies), latencies, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def scenario(name: str, procs: list[Proc], others: dict[str, int], load: Load,
                   session: aiohttp.ClientSession, seconds: float, concurrency: int) -> dict:
    targets = [p.url + p.hook for p in procs]
    await load.run(session, targets, min(1.0, seconds / 4), concurrency)  # warm-up: connections, caches
    watched = {p.name: p.popen.pid for p in procs} | others
    before = {k: cpu_of(pid) for k, pid in watched.items()}
    shared_before = {"postgres": cpu_of_command("postgres"), "redis": cpu_of_command("redis-server")}
    self_before = time.process_time()
    started = time.monotonic()
    count, latencies, errors = await load.run(session, targets, seconds, concurrency)
    elapsed = time.monotonic() - started
    cpu = {k: cpu_of(pid) - before[k] for k, pid in watched.items()}
    cpu["postgres"] = cpu_of_command("postgres") - shared_before["postgres"]
    cpu["redis"] = cpu_of_command("redis-server") - shared_before["redis"]
    cpu["load generator"] = time.process_time() - self_before
    return {"name": name, "rate": count / elapsed, "p50": percentile(latencies, 0.5) * 1000,
            "p99": percentile(latencies, 0.99) * 1000, "errors": errors, "elapsed": elapsed, "cpu": cpu}


def report(rows: list[dict]) -> None:
    print(f"\n{'scenario':<22}{'updates/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   CPU seconds (busy cores)")
    for row in rows:
        cpu = ", ".join(f"{k} {v:.1f} ({v / row['elapsed']:.2f})" for k, v in row["cpu"].items() if v >= 0.05)
        total = sum(row["cpu"].values()) / row["elapsed"]
        print(f"{row['name']:<22}{row['rate']:>10.0f}{row['p50']:>9.1f}{row['p99']:>9.1f}{row['errors']:>8}   "
              f"{cpu}; all {total:.2f} of {os.cpu_count()} cores")
    by = {row["name"]: row["rate"] for row in rows}
    one, two, bare = by.get("mizban, 1 worker"), by.get("mizban, 2 workers"), by.get("bare aiogram echo")
    if one and bare:
        print(f"\none worker / bare bot: {one / bare:.2f} (target >= 0.5)")
    if one and two:
        print(f"two workers / one worker: {two / one:.2f} (target >= 1.3)")


async def main(args: argparse.Namespace) -> None:
    await fresh_database()
    workdir = Path(tempfile.mkdtemp(prefix="mizban-bench-"))
    standin_port = free_port()
    standin = Proc("stand-in", ["-m", "standin", "--port", str(standin_port), "--lenient"], standin_port)
    api_url = standin.url
    procs: list[Proc] = [standin]
    rows = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        try:
            await standin.ready(session, "/_standin/stats")
            citizens = list(range(500_000_001, 500_000_001 + args.citizens))
            for user_id in citizens:
                async with session.post(f"{api_url}/_standin/users", json={"user_id": user_id, "token": TOKEN}) as r:
                    r.raise_for_status()
            load = Load(citizens)
            others = {"stand-in": standin.popen.pid}

            echo_port = free_port()
            echo = Proc("echo bot", [__file__, "--echo", str(echo_port), api_url], echo_port, "/webhook")
            procs.append(echo)
            await echo.ready(session, "/healthz")
            rows.append(await scenario("bare aiogram echo", [echo], others, load, session, args.seconds,
                                       args.concurrency))
            echo.stop()

            web1, web2 = mizban(1, api_url, workdir), mizban(2, api_url, workdir)
            procs += [web1, web2]
            await asyncio.gather(web1.ready(session, "/healthz"), web2.ready(session, "/healthz"))
            rows.append(await scenario("mizban, 1 worker", [web1], others | {web2.name: web2.popen.pid}, load,
                                       session, args.seconds, args.concurrency))
            rows.append(await scenario("mizban, 2 workers", [web1, web2], others, load, session, args.seconds,
                                       args.concurrency))
        finally:
            for proc in procs:
                proc.stop()
    print(f"{args.seconds:.0f} s per scenario, {args.concurrency} chats in flight, {args.citizens} citizens, "
          f"PostgreSQL and Redis on this machine")
    report(rows)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--echo":
        echo_bot(int(sys.argv[2]), sys.argv[3])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--citizens", type=int, default=400)
    asyncio.run(main(parser.parse_args()))
