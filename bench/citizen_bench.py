"""The citizen's hot path under load: Mizban (`python -m bot run`, SQLite, long polling) beside a bare
aiogram echo bot, both real processes polling the same Bot API stand-in over HTTP, in one run.

    python bench/citizen_bench.py [--seconds 3] [--rounds 4] [--users 32] [--max-updates 20000]
                                  [--pinned-echo] [--profile DIR] [--keep]

The stand-in (standin.server.make_app) runs inside this script on 127.0.0.1, together with the load:
`users` citizens at once, each sending its next update only when the bot has answered the previous
one, in cycles of seven updates:
  /start; press the catalogue button; an agency; a service; one information section;
  send the citizen's own tracking code; /mine.
Every citizen of Mizban has one request submitted before the run (desk.requests.submit), so the
look-ups find something. Each answer is checked (the menu has the catalogue button, no press is
refused, the tracking answers name the citizen's request); a wrong answer is counted as an error.

The bare bot answers a message with its text (sendMessage) and a press by editing the message to the
button's data and answering the query (editMessageText, answerCallbackQuery): the same Bot API calls
Mizban makes, with no database, FSM storage, localisation or routing. Its citizens press the same
callback data (forged presses on its newest message: its messages carry no buttons).

Latency runs from the user's update entering the stand-in to the bot's answer arriving at it: the
sendMessage of a message; for a press, the message or edit it shows (its answerCallbackQuery goes
before it), or its refusal (an alert).
The bots take turns for `rounds` rounds (whatever else the machine does then falls on both); each
turn has an uncounted warm-up, then stops after `seconds` or `max-updates` updates, whichever comes
first. CPU seconds are read from /proc for each bot process and from this process (the stand-in plus
the load generator, which both bots share). On a machine that other work shares, CPU milliseconds
per update are the steadier figure; the second ratio printed compares them."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIZBAN_TOKEN = "424242:BENCH-mizban"
ECHO_TOKEN = "434343:BENCH-echo"
TICK = os.sysconf("SC_CLK_TCK")
ANSWER_TIMEOUT = 15.0


# -- the bare echo bot (this file run with --echo) ---------------------------------------------------
def echo_bot(token: str, api_url: str, pinned: bool) -> None:
    import logging

    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import CallbackQuery, Message

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    dp = Dispatcher()
    if pinned:  # --pinned-echo: hold the Response models as Mizban does (bot/app.py), else rebuilt after each GC
        from aiogram import methods
        from aiogram.methods.base import Response

        dp["pinned"] = [
            Response[m.__returning__]
            for m in (methods.SendMessage, methods.EditMessageText, methods.AnswerCallbackQuery, methods.GetUpdates)
        ]

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "-")

    @dp.callback_query()
    async def press(query: CallbackQuery) -> None:
        await query.message.edit_text(query.data or "-")
        await query.answer()

    asyncio.run(dp.start_polling(bot, handle_signals=True))


# -- processes and CPU time ------------------------------------------------------------------------
def cpu_of(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    rest = raw[raw.rindex(")") + 2 :].split()
    return (int(rest[11]) + int(rest[12])) / TICK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        self.popen = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise SystemExit(f"{self.name} exited with {self.popen.returncode}; its log ends:\n{self.tail()}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


# -- the stand-in, with the answers the load waits for ------------------------------------------------
def make_standin():
    from standin.core import Standin

    class BenchStandin(Standin):
        """Resolves a waiting citizen's future when the awaited call for their chat arrives."""

        def __init__(self) -> None:
            super().__init__(strict=True)
            self.waiters: dict[int, tuple[str, asyncio.Future]] = {}

        async def call(self, token, method, params, files=None):
            arrived = time.perf_counter()
            result = await super().call(token, method, params, files)
            chat_id = None
            if method in ("sendMessage", "editMessageText"):
                chat_id = params.get("chat_id")
            elif method == "answerCallbackQuery":
                query = self.callback_queries.get(str(params.get("callback_query_id")))
                chat_id = query["chat"].id if query else None
            waiter = self.waiters.get(int(chat_id)) if chat_id is not None else None
            if waiter is None or waiter[1].done():
                return result
            # a message waits for its answer; a press for what it shows (a press is answered before
            # its handler's first message or edit), or for a refusal (an alert)
            shown = method in ("sendMessage", "editMessageText")
            refused = method == "answerCallbackQuery" and params.get("show_alert")
            if (waiter[0] == "sendMessage" and method == "sendMessage") or (
                waiter[0] == "press" and (shown or refused)
            ):
                del self.waiters[int(chat_id)]
                waiter[1].set_result((arrived, params))
            return result

        def expect(self, chat_id: int, method: str) -> asyncio.Future:
            future = asyncio.get_running_loop().create_future()
            self.waiters[chat_id] = (method, future)
            return future

    return BenchStandin()


# -- the load ------------------------------------------------------------------------------------
@dataclass
class Step:
    kind: str  # "send" | "press"
    payload: str  # text sent, or callback data pressed
    check: str = ""  # what the answer must contain (in its text or markup); "" = anything


def cycle(rng: random.Random, catalog, code: str) -> list[Step]:
    """One citizen's visit: start, browse to one information section, look up their own request."""
    from bot.callbacks import CatalogCb, MenuCb, RequestCb, ServiceCb
    from bot.views.keyboards import INFO_SECTIONS, PAGE

    agency = rng.choice([a for a in catalog.agencies if catalog.by_agency(a)])
    card = rng.choice(catalog.by_agency(agency)[:PAGE])
    mine = RequestCb(code=code).pack()
    return [
        Step("send", "/start", MenuCb(action="catalog").pack()),
        Step("press", MenuCb(action="catalog").pack()),
        Step("press", CatalogCb(agency=agency).pack()),
        Step("press", ServiceCb(code=card.code).pack()),
        Step("press", ServiceCb(code=card.code, section=rng.choice(INFO_SECTIONS)).pack()),
        Step("send", code, mine),
        Step("send", "/mine", mine),
    ]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0


async def citizen_loop(standin, user, steps, *, echo: bool, until: float, budget, result: Result) -> None:
    """Closed loop: the next update only once the previous one is answered."""
    for step in itertools.cycle(steps):
        if time.monotonic() >= until or next(budget, None) is None:
            return
        method = "sendMessage" if step.kind == "send" else "press"
        answered = standin.expect(user.id, method)
        started = time.perf_counter()
        try:
            if step.kind == "send":
                await user.send(step.payload)
            elif echo:  # the echo bot's messages carry no buttons: the same data, pressed on its last message
                await user.press_data(step.payload)
            else:  # a real press: the button must be on the bot's newest keyboard
                await user.press(lambda b, data=step.payload: b.get("callback_data") == data)
            arrived, params = await asyncio.wait_for(answered, ANSWER_TIMEOUT)
        except (LookupError, TimeoutError) as e:
            standin.waiters.pop(user.id, None)
            result.errors.append(f"{step.kind} {step.payload!r}: {type(e).__name__}: {e}"[:300])
            await asyncio.sleep(0.05)
            continue
        result.latencies.append(arrived - started)
        wrong = _wrong_answer(step, params, echo=echo)
        if wrong:
            result.errors.append(wrong)


def _wrong_answer(step: Step, params: dict, *, echo: bool) -> str | None:
    if step.kind == "press":
        if params.get("show_alert"):
            return f"press {step.payload!r} refused: {params.get('text')!r}"
        return None
    if echo:
        return None if params.get("text") == step.payload else f"echo of {step.payload!r} was {params.get('text')!r}"
    markup = params.get("reply_markup")
    seen = json.dumps(markup) if not isinstance(markup, str) else markup
    if step.check and step.check not in seen:
        return f"answer to {step.payload!r} lacks {step.check!r}: {str(params.get('text'))[:120]!r}"
    return None


async def phase(standin, users, scripts, *, echo: bool, seconds: float, max_updates: int) -> Result:
    result = Result()
    budget = iter(range(max_updates))
    started = time.monotonic()
    await asyncio.gather(
        *(
            citizen_loop(
                standin, user, scripts[user.id], echo=echo, until=started + seconds, budget=budget, result=result
            )
            for user in users
        )
    )
    result.elapsed = time.monotonic() - started
    return result


@dataclass
class Totals:
    """One bot's measured phases, over every round."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu_bot: float = 0.0
    cpu_self: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


async def measure(totals: Totals, proc: Proc, standin, users, scripts, args, *, echo: bool, profile: bool) -> None:
    warm = await phase(standin, users, scripts, echo=echo, seconds=args.warmup, max_updates=10**9)
    if not warm.latencies:
        proc.check_alive()
        raise SystemExit(
            f"{totals.name} answered nothing during the warm-up: {warm.errors[:3]}; Bot API spec "
            f"violations: {standin.violations[:3]}; its log ends:\n{proc.tail()}"
        )
    profiler = None
    if profile:  # py-spy samples the bot process during the measured phase (without pausing it)
        out = args.profile / f"{proc.name.split()[0]}.folded"
        profiler = subprocess.Popen(
            [
                "py-spy",
                "record",
                "--gil",
                "--rate",
                "400",
                "--format",
                "raw",
                "-o",
                str(out),
                "--pid",
                str(proc.popen.pid),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    before_bot, before_self = cpu_of(proc.popen.pid), time.process_time()
    result = await phase(standin, users, scripts, echo=echo, seconds=args.seconds, max_updates=args.max_updates)
    totals.cpu_bot += cpu_of(proc.popen.pid) - before_bot
    totals.cpu_self += time.process_time() - before_self
    proc.check_alive()
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(30)
    totals.latencies += result.latencies
    totals.errors += result.errors
    totals.elapsed += result.elapsed


async def wait_polling(standin, token: str, proc: Proc, timeout: float = 60.0) -> None:
    """Until the bot process long-polls the stand-in (getUpdates)."""
    deadline = time.monotonic() + timeout
    while not any(c.token == token and c.method == "getUpdates" for c in standin.calls):
        proc.check_alive()
        if time.monotonic() > deadline:
            raise SystemExit(f"{proc.name} did not poll within {timeout:.0f}s; see {proc.log}")
        await asyncio.sleep(0.1)


# -- the desk's data ---------------------------------------------------------------------------------
async def seed(db_url: str, user_ids: list[int]) -> dict[int, str]:
    """One citizen with a full profile and one submitted request each; returns their tracking codes."""
    from zoneinfo import ZoneInfo

    from bot import db
    from bot.config import load_settings
    from desk.catalog import load_catalog
    from desk.requests import submit
    from models import Citizen

    settings = load_settings()
    catalog = load_catalog(settings.resolve(settings.catalog.dir))
    calendar = settings.calendar.work_calendar()
    cards = list(catalog.services.values())
    codes = {}
    await db.connect(db_url)
    try:
        for i, user_id in enumerate(user_ids):
            citizen = await Citizen.create(
                platform="telegram",
                user_id=user_id,
                chat_id=user_id,
                first_name=f"Bench{i}",
                full_name=f"Bench Citizen {i}",
                national_id="0084575948",
                mobile="09121234567",
            )
            done = await submit(
                citizen=citizen,
                card=cards[i % len(cards)],
                catalog=catalog,
                answers=[],
                document_ids=[],
                submit_token=f"bench-{user_id}",
                calendar=calendar,
                tz=ZoneInfo(settings.calendar.timezone),
            )
            codes[user_id] = done.request.tracking_code
    finally:
        await db.close()
    return codes


# -- the report ----------------------------------------------------------------------------------
def report(rows: list[Totals], args) -> None:
    print(
        f"\n{args.rounds} round(s) of {args.seconds:.0f} s per bot (or {args.max_updates} updates), bots taking turns; "
        f"{args.users} citizens in flight; {os.cpu_count()} cores, load average now {os.getloadavg()[0]:.1f}"
    )
    print("mix per cycle: /start, catalogue, agency, service, info section (presses), own tracking code, /mine")
    print(
        f"{'bot':<26}{'updates':>8}{'upd/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'bot CPU s':>13}{'CPU ms/upd':>12}{'stand-in+load CPU s':>21}"
    )
    for r in rows:
        print(
            f"{r.name:<26}{r.count:>8}{r.rate:>8.0f}{r.pct(0.50):>9.1f}{r.pct(0.99):>9.1f}{len(r.errors):>8}"
            f"{r.cpu_bot:>7.1f} ({r.cpu_bot / r.elapsed:.2f}){1000 * r.cpu_bot / max(r.count, 1):>12.2f}"
            f"{r.cpu_self:>14.1f} ({r.cpu_self / r.elapsed:.2f})"
        )
    print("(CPU in parentheses: busy cores over the measured phases)")
    for r in rows:
        for error in r.errors[:5]:
            print(f"  {r.name}: {error}")
    bare, mizban = rows
    ratio = mizban.rate / bare.rate if bare.rate else float("nan")
    cost = (1000 * bare.cpu_bot / max(bare.count, 1)) / (1000 * mizban.cpu_bot / max(mizban.count, 1) or float("nan"))
    print(
        f"\nmizban / bare bot, updates per second: {ratio:.2f} (target >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})"
    )
    print(
        f"mizban / bare bot, updates per CPU second of the bot process: {cost:.2f} "
        f"(the same ratio when each bot has a core of its own)"
    )


async def main(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.config import load_settings
    from desk.catalog import load_catalog
    from standin.server import make_app

    workdir = Path(tempfile.mkdtemp(prefix="mizban-citizen-bench-"))
    db_url = f"sqlite://{workdir / 'desk.sqlite3'}"
    # each citizen here sends as fast as the bot answers, far past what one person may (bot.toml's
    # [limits]): the bench measures the bot's work, so its configuration lifts those limits
    config = (ROOT / "bot.toml").read_text()
    config = re.sub(r'(?m)^messages = ".*?"', 'messages = "100000 per 10 seconds"', config)
    config = re.sub(r'(?m)^tracking = ".*?"', 'tracking = "100000 per minute"', config)
    config = re.sub(r'(?m)^dir = "catalog"', f'dir = "{ROOT / "catalog"}"', config)
    (workdir / "bot.toml").write_text(config)
    base_env = {
        "BOT_CONFIG": str(workdir / "bot.toml"),
        "BOT_TOKEN": MIZBAN_TOKEN,
        "BOT_PLATFORM": "telegram",
        "DATABASE_URL": db_url,
        "DOCUMENTS_DIR": str(workdir / "docs"),
        "REDIS_URL": "",
        "BOT_ADMINS": "",
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=ROOT,
        check=True,
        env={**os.environ, **base_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    mizban_ids = list(range(700_000_001, 700_000_001 + args.users))
    echo_ids = list(range(800_000_001, 800_000_001 + args.users))
    codes = await seed(db_url, mizban_ids)

    standin = make_standin()
    standin.add_bot(MIZBAN_TOKEN)
    standin.add_bot(ECHO_TOKEN, username="echo_bot", first_name="Echo")
    runner = web.AppRunner(make_app(standin), access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    api_url = f"http://127.0.0.1:{port}"

    settings = load_settings()
    catalog = load_catalog(settings.resolve(settings.catalog.dir))
    rng = random.Random(args.seed)
    scripts = {uid: cycle(rng, catalog, codes[uid]) for uid in mizban_ids}
    for mine, theirs in zip(mizban_ids, echo_ids):  # the echo citizens replay the same updates
        scripts[theirs] = [Step(s.kind, s.payload) for s in scripts[mine]]
    mizban_users = [standin.user(f"Bench{i}", user_id=uid, bot=MIZBAN_TOKEN) for i, uid in enumerate(mizban_ids)]
    echo_users = [standin.user(f"Echo{i}", user_id=uid, bot=ECHO_TOKEN) for i, uid in enumerate(echo_ids)]

    echo = [__file__, "--echo", ECHO_TOKEN, api_url, "pinned" if args.pinned_echo else "plain"]
    procs = [
        Proc("bare aiogram echo", echo, {}, workdir / "echo.log"),
        Proc("mizban", ["-m", "bot", "run"], {**base_env, "BOT_API_URL": api_url}, workdir / "mizban.log"),
    ]
    rows = [Totals("bare aiogram echo"), Totals("mizban (SQLite, polling)")]
    try:
        for proc, token in zip(procs, (ECHO_TOKEN, MIZBAN_TOKEN)):
            await wait_polling(standin, token, proc)
        for turn in range(args.rounds):  # taking turns evens out whatever else the machine is doing
            profile = bool(args.profile) and turn == 0
            await measure(rows[0], procs[0], standin, echo_users, scripts, args, echo=True, profile=profile)
            await measure(rows[1], procs[1], standin, mizban_users, scripts, args, echo=False, profile=profile)
    finally:
        for proc in procs:
            proc.stop()
        await runner.cleanup()
    report(rows, args)
    for row, token in zip(rows, (ECHO_TOKEN, MIZBAN_TOKEN)):  # warm-ups included
        made = Counter(c.method for c in standin.calls if c.token == token)
        print(f"Bot API calls of {row.name}: " + ", ".join(f"{m} {n}" for m, n in made.most_common()))
    if standin.violations:
        print(f"Bot API spec violations: {len(standin.violations)}, e.g. {standin.violations[:3]}")
    if args.keep:
        print(f"kept {workdir} (database and process logs)")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--echo":
        echo_bot(sys.argv[2], sys.argv[3], sys.argv[4] == "pinned")
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per bot and round")
    parser.add_argument("--rounds", type=int, default=4, help="turns each bot takes")
    parser.add_argument("--warmup", type=float, default=1.5, help="uncounted seconds per bot first")
    parser.add_argument("--users", type=int, default=32, help="citizens in flight at once")
    parser.add_argument("--max-updates", type=int, default=20_000, help="stop a phase after this many updates")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database and the process logs")
    parser.add_argument(
        "--pinned-echo",
        action="store_true",
        help="the echo bot also holds aiogram's Response models (see bot/app.py): a stricter baseline",
    )
    parser.add_argument("--profile", type=Path, help="write py-spy profiles (folded stacks) of both bots here")
    raise SystemExit(asyncio.run(main(parser.parse_args())))
