"""Kill the desk at random moments while citizens and staff use it, and count what was lost.

    python scripts/crash_test.py [--mode polling|webhook|both] [--journeys 100] [--kill-every 2-6] [--seed 1]

Everything runs on this machine. The Bot API is the project's stand-in (standin/), served over HTTP
by this script, which also plays every person:

- **polling**: one `python -m bot run` on SQLite, long polling the stand-in;
- **webhook**: two `python -m bot webhook` web processes and a `python -m bot worker`, on PostgreSQL
  (database mizban_crash, recreated) and Redis (db 13, emptied), the stand-in pushing each update to
  this script's round-robin proxy in front of the two web processes (as nginx would: a web process
  that does not answer, the next is tried; none answering is a 502, and the update is pushed again).

`journeys` citizens at once open the building permit inquiry, fill their profile and the form,
upload a deed (PDF) and submit; one in five stops after the upload instead (a half-filled form).
For every submitted request the unit's clerk takes it from its card in the unit's group, asks for
the result, replies with it and presses Send; the citizen must be told both. A person acts only once
the bot has answered their previous step, and never sends anything twice.

Meanwhile a process chosen at random is killed with SIGKILL every `kill-every` seconds and started
again at once, until every journey has ended. Then, with nothing killed any more, the script waits
for the outbox to empty, checks every half-filled form by resuming it (/start, then the Continue
button), and prints what was lost: journeys stuck (an update neither answered nor processed),
requests, cards, notifications, documents and drafts; besides them what came twice (allowed after
a crash for notifications and replies; a card or a document twice is counted). All must be 0 lost.
Group rate limits are raised in this run's configuration (the outbox bench measures them); the
messenger's behaviour is otherwise the stand-in's, which checks every call against the Bot API."""

from __future__ import annotations

import argparse
import asyncio
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

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "515151:CRASH-test"
SECRET = "crash-secret"
ADMIN_ID = 990_001
UNIT = "tm-district-6"
SERVICE = "building-permit-inquiry"
PG_ADMIN = os.environ.get("CRASH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("CRASH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/mizban_crash")
REDIS_URL = os.environ.get("CRASH_REDIS_URL", "redis://127.0.0.1:6379/13")
STEP_TIMEOUT = 300.0  # a step's answer may wait for several restarts in a row
WAITS: list[float] = []  # how long each answer took to come (seconds), for the report
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALID_NID = "0012345679"
# a draft left after its deed holds the owner's ID, renovation code, postal code, subject and deed
# (the skipped location is not counted): the paused-form menu says "(5 answers)"
DRAFT_ANSWERS = 5
CODE = re.compile(r"کد رهگیری:\s*(\S+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the desk's processes ------------------------------------------------------------------------------
class Proc:
    """One of the desk's processes, killed and started again by name; its log accumulates."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.args, self.env, self.log = name, args, env, log
        self.popen: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as log:
            log.write(f"\n===== start {self.starts + 1} at {time.strftime('%H:%M:%S')} =====\n".encode())
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        self.starts += 1

    def kill(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def exited(self) -> bool:
        return self.popen is not None and self.popen.poll() is not None


@dataclass
class Kills:
    count: Counter = field(default_factory=Counter)
    unexpected_exits: Counter = field(default_factory=Counter)


async def killer(procs: list[Proc], stop: asyncio.Event, rng: random.Random, every: tuple[float, float], kills: Kills):
    """SIGKILL a random process every few seconds and start it again at once; a process that exited
    by itself is started again too (and counted)."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), rng.uniform(*every))
            return
        except TimeoutError:
            pass
        for proc in procs:
            if proc.exited():
                kills.unexpected_exits[proc.name] += 1
                proc.start()
        victim = rng.choice(procs)
        victim.kill()
        kills.count[victim.name] += 1
        victim.start()


async def watch_exits(procs: list[Proc], stop: asyncio.Event, kills: Kills) -> None:
    while not stop.is_set():
        await asyncio.sleep(1)
        for proc in procs:
            if proc.exited():
                kills.unexpected_exits[proc.name] += 1
                proc.start()


# -- the reverse proxy of webhook mode ----------------------------------------------------------------
def make_proxy(backends: list[str]) -> web.Application:
    turn = {"next": 0}
    session: dict[str, aiohttp.ClientSession] = {}

    async def forward(request: web.Request) -> web.Response:
        if "http" not in session:
            session["http"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        headers["Content-Type"] = request.headers.get("Content-Type", "application/json")
        start = turn["next"]
        turn["next"] = (start + 1) % len(backends)
        for i in range(len(backends)):
            base = backends[(start + i) % len(backends)]
            try:
                async with session["http"].post(base + request.path_qs, data=body, headers=headers) as resp:
                    return web.Response(
                        status=resp.status, body=await resp.read(), content_type=resp.content_type or None
                    )
            except (aiohttp.ClientError, TimeoutError):
                continue
        return web.Response(status=502, text="no web process answered")

    async def close(app: web.Application) -> None:
        if "http" in session:
            await session["http"].close()

    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", forward)
    app.on_cleanup.append(close)
    return app


# -- people -------------------------------------------------------------------------------------------
class Stuck(Exception):
    pass


def _plain(m: dict) -> str:
    return (m.get("plain") or "").replace("\u200c", "")


def _buttons(m: dict) -> list[str]:
    return [b.get("text", "") for row in (m.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def until(chat, what: str, test, *, since: int = 0, timeout: float | None = None) -> dict:
    """The first message of the bot in `chat` from index `since` on (or edited since) that passes `test`."""
    started = time.time() - 2  # an edit made by the step just before the wait began counts
    timeout = timeout or STEP_TIMEOUT
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recent = chat.messages[since:] + [m for m in chat.messages[:since] if m.get("edit_date", 0) >= started - 1]
        for m in recent:
            if test(m):
                WAITS.append(time.time() - started - 2)
                return m
        await asyncio.sleep(0.05)
    last = _plain(chat.messages[-1])[:100] if chat.messages else None
    raise Stuck(f"{what}: no answer in {timeout:.0f} s (last: {last!r})")


def says(*words: str):
    return lambda m: all(w in _plain(m) for w in words)


def has_button(text: str):
    return lambda m: any(text in b for b in _buttons(m))


@dataclass
class Journey:
    n: int
    draft: bool
    user: object = None
    code: str = ""
    stage: str = "start"
    stuck: str = ""
    receipt: bool = False
    took: bool = False
    result: bool = False
    resumed: bool = False
    draft_answers: int = 0


async def press(chat, text: str, *, since: int = 0) -> None:
    """Press the newest button `text` the bot showed from `since` on, once it is there."""
    m = await until(chat, f"button {text!r}", has_button(text), since=since)
    newest = max((x for x in chat.messages if any(text in b for b in _buttons(x))), key=lambda x: x["message_id"])
    await chat.press(lambda b: text in b.get("text", ""), message=newest["message_id"] if newest else m["message_id"])


async def citizen(j: Journey) -> None:
    user = j.user

    async def step(name: str, act, test) -> dict:
        j.stage = name
        since = len(user.messages)
        await act()
        return await until(user, name, test, since=since)

    await step("/start", lambda: user.send("/start"), says("میز خدمت"))
    await step("open the service", lambda: user.send(f"/start s_{SERVICE}"), has_button("ثبت درخواست"))
    await step("apply", lambda: press(user, "ثبت درخواست این خدمت"), says("نام و نام خانوادگی"))
    await step("name", lambda: user.send(f"Citizen {j.n}"), says("کد ملی"))
    await step("national id", lambda: user.send(VALID_NID), says("تلفن همراه"))
    await step("mobile", lambda: user.send_contact("+989121234567"), says("کد ملی مالک"))
    await step("owner id", lambda: user.send(VALID_NID), says("کد نوسازی"))
    await step("renovation code", lambda: user.send("12-345-678"), says("کد پستی"))
    await step("postal code", lambda: user.send("1193653471"), has_button("وضعیت پرونده"))
    await step("subject", lambda: press(user, "وضعیت پرونده"), has_button("رد کردن"))
    await step("skip location", lambda: press(user, "رد کردن"), says("سند"))
    await step("deed", lambda: user.send_document("deed.pdf", PDF), says("deed.pdf"))
    if j.draft:
        j.stage = "draft left"
        return
    await step("files done", lambda: press(user, "تمام"), says("بازبینی"))
    receipt = await step("submit", lambda: press(user, "ثبت نهایی"), says("کد رهگیری"))
    found = CODE.search(_plain(receipt))
    if not found:
        raise Stuck(f"receipt without a tracking code: {_plain(receipt)[:120]!r}")
    j.code, j.receipt = found.group(1), True
    j.stage = "waiting for staff"


async def staff(j: Journey, group, clerk) -> None:
    """The clerk's part of a submitted request, then the citizen's notifications."""
    user = j.user
    card = await until(group, "card", lambda m: j.code in _plain(m) and has_button("برمی‌دارم")(m))
    seen = len(user.messages)
    j.stage = "take"
    await group.press(clerk, lambda b: "برمی‌دارم" in b.get("text", ""), message=card["message_id"])
    await until(user, "told it is taken", says(j.code, "در حال رسیدگی"), since=seen)
    j.took = True
    j.stage = "deliver"
    since = len(group.messages)
    # the request's current card (a card posted twice by a crash: the copy pressed shows it without buttons)
    card = await until(group, "card's deliver button", lambda m: j.code in _plain(m) and has_button("تحویل نتیجه")(m))
    await group.press(clerk, lambda b: "تحویل نتیجه" in b.get("text", ""), message=card["message_id"])
    prompt = await until(
        group, "result prompt", lambda m: j.code in _plain(m) and has_button("ارسال نتیجه")(m), since=since
    )
    since = len(group.messages)
    await group.reply(clerk, prompt["message_id"], f"Result of request {j.n}: approved.")
    await until(group, "result collected", says(j.code, "دریافت شد"), since=since)
    seen = len(user.messages)
    j.stage = "send result"
    await group.press(clerk, lambda b: "ارسال نتیجه" in b.get("text", ""), message=prompt["message_id"])
    await until(user, "result", says(j.code, f"Result of request {j.n}: approved."), since=seen)
    j.result = True
    j.stage = "done"


async def journey(j: Journey, group, clerk) -> None:
    try:
        await citizen(j)
        if not j.draft:
            await staff(j, group, clerk)
    except Stuck as e:
        j.stuck = f"{j.stage}: {e}"
    except LookupError as e:  # a button that was not where the bot showed it
        j.stuck = f"{j.stage}: {type(e).__name__}: {e}"


async def resume_draft(j: Journey) -> None:
    """A half-filled form, after every crash: /start shows it paused; Continue asks for the deed again
    with the file already received listed."""
    user = j.user
    try:
        since = len(user.messages)
        await user.send("/start")
        menu = await until(user, "paused form", has_button("ادامهٔ فرم"), since=since)
        counted = re.search(r"\(([\d۰-۹]+) پاسخ\)", _plain(menu))
        j.draft_answers = int(counted.group(1).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))) if counted else -1
        since = len(user.messages)
        await press(user, "ادامهٔ فرم")
        await until(user, "resumed at the deed", says("سند"), since=since)
        j.resumed = True
    except (Stuck, LookupError) as e:
        j.stuck = f"resume: {e}"


# -- the desk's data ------------------------------------------------------------------------------------
async def stored(db_url: str, journeys: list[Journey], documents_dir: Path) -> dict:
    from bot import db
    from desk import tracking
    from models import Document, OutboxMessage, OutboxStatus, Request

    await db.connect(db_url)
    try:
        requests = {r.tracking_code: r for r in await Request.all()}
        wanted = {tracking.normalize(j.code) for j in journeys if j.receipt}
        docs = await Document.all()
        missing_files = [d.id for d in docs if not (documents_dir / d.path).is_file() and not Path(d.path).is_file()]
        outbox = Counter(m.status for m in await OutboxMessage.all())
        form_docs_of = Counter(d.request_id for d in docs if d.role == "form" and d.request_id)
        return {
            "requests": len(requests),
            "receipts without a request": len(wanted - set(requests)),
            "requests without a card": sum(1 for r in requests.values() if not r.card_message_id),
            "requests without their deed": sum(1 for r in requests.values() if form_docs_of[r.id] < 1),
            "documents": len(docs),
            "documents not on disk": len(missing_files),
            "outbox": dict(outbox),
            "outbox not sent": sum(n for s, n in outbox.items() if s != OutboxStatus.SENT),
            "card ids": {r.tracking_code: (r.card_chat_id, r.card_message_id) for r in requests.values()},
        }
    finally:
        await db.close()


async def outbox_drained(db_url: str, timeout: float) -> None:
    from bot import db
    from models import OutboxMessage, OutboxStatus

    await db.connect(db_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
                return
            await asyncio.sleep(1)
    finally:
        await db.close()


# -- one mode ----------------------------------------------------------------------------------------
def config_file(workdir: Path) -> Path:
    """bot.toml with a group's rate raised: the run measures losses, not the messenger's limits."""
    text = (ROOT / "bot.toml").read_text()
    text = re.sub(r"(?m)^group_per_minute = .*$", "group_per_minute = 6000", text)
    text = re.sub(r'(?m)^dir = "catalog"', f'dir = "{ROOT / "catalog"}"', text)
    path = workdir / "bot.toml"
    path.write_text(text)
    return path


async def recreate_postgres() -> None:
    import asyncpg

    name = PG_URL.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def run_mode(mode: str, args) -> dict:
    from standin.core import Standin
    from standin.server import make_app
    from standin.spec import ApiSpec

    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix=f"mizban-crash-{mode}-"))
    documents = workdir / "documents"
    standin = Standin(ApiSpec(ROOT / "tests" / "telegram-bot-api" / "api.json"), strict=True)
    standin.add_bot(TOKEN)
    runner = web.AppRunner(make_app(standin), access_log=None)
    await runner.setup()
    api_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", api_port).start()
    env = {
        "BOT_TOKEN": TOKEN,
        "BOT_PLATFORM": "telegram",
        "BOT_API_URL": f"http://127.0.0.1:{api_port}",
        "BOT_ADMINS": str(ADMIN_ID),
        "BOT_CONFIG": str(config_file(workdir)),
        "DOCUMENTS_DIR": str(documents),
    }
    proxy_runner = None
    if mode == "polling":
        db_url = f"sqlite://{workdir / 'desk.sqlite3'}"
        env |= {"DATABASE_URL": db_url, "REDIS_URL": ""}
        procs = [Proc("bot", ["run"], env, workdir / "bot.log")]
    else:
        import redis

        db_url = PG_URL
        await recreate_postgres()
        redis.Redis.from_url(REDIS_URL).flushdb()
        ports = [free_port(), free_port()]
        proxy_port = free_port()
        proxy_runner = web.AppRunner(make_proxy([f"http://127.0.0.1:{p}" for p in ports]), access_log=None)
        await proxy_runner.setup()
        await web.TCPSite(proxy_runner, "127.0.0.1", proxy_port).start()
        env |= {
            "DATABASE_URL": db_url,
            "REDIS_URL": REDIS_URL,
            "WEBHOOK_BASE_URL": f"http://127.0.0.1:{proxy_port}",
            "WEBHOOK_SECRET": SECRET,
        }
        procs = [
            Proc("web 1", ["webhook"], env | {"PORT": str(ports[0])}, workdir / "web1.log"),
            Proc("web 2", ["webhook"], env | {"PORT": str(ports[1])}, workdir / "web2.log"),
            Proc("worker", ["worker"], env, workdir / "worker.log"),
        ]
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=ROOT, check=True, env={**os.environ, **env}, capture_output=True
    )
    try:
        for proc in procs:
            proc.start()

        admin = standin.user("Admin", user_id=ADMIN_ID)
        clerk = standin.user("Clerk")
        group = standin.group("District 6 permits", members={ADMIN_ID: "administrator", clerk.id: "member"})
        since = len(group.messages)
        await group.send(admin, f"/bind {UNIT}")
        try:
            await until(group, "/bind", says("وصل شد"), since=since, timeout=120)
        except Stuck:
            print("the Bot API's webhook:", standin.bots[TOKEN].webhook_info(), file=sys.stderr)
            raise

        journeys = [Journey(n, draft=n % 5 == 4) for n in range(args.journeys)]
        for j in journeys:
            j.user = standin.user(f"Citizen{j.n}")
        stop = asyncio.Event()
        kills = Kills()
        started = time.monotonic()
        chaos = asyncio.create_task(killer(procs, stop, rng, args.kill_every, kills))
        await asyncio.gather(*(journey(j, group, clerk) for j in journeys))
        stop.set()
        await chaos
        elapsed = time.monotonic() - started
        keeper = asyncio.Event()
        watcher = asyncio.create_task(watch_exits(procs, keeper, kills))
        await outbox_drained(db_url, 180)
        await asyncio.gather(*(resume_draft(j) for j in journeys if j.draft and not j.stuck))
        await outbox_drained(db_url, 60)
        keeper.set()
        await watcher
    finally:  # whatever happened, no process of this run outlives it
        for proc in procs:
            proc.stop()
        if proxy_runner:
            await proxy_runner.cleanup()
        await runner.cleanup()
    data = await stored(db_url, journeys, documents)

    # what the group saw: a request's card is the bot's message headed by its code
    (workdir / "group.json").write_text(json.dumps(group.messages, ensure_ascii=False, indent=1))
    cards_seen: Counter = Counter()
    for m in group.messages:
        if m.get("from", {}).get("is_bot") and _plain(m).startswith("🗂"):
            head = _plain(m).split("\n", 1)[0]
            for j in journeys:
                if j.code and j.code in head:
                    cards_seen[j.code] += 1
    documents_in_group = Counter(
        m["document"]["file_unique_id"] for m in group.messages if m.get("document") and m.get("from", {}).get("is_bot")
    )
    takes_told = sum(1 for j in journeys if j.took)
    results_told = sum(1 for j in journeys if j.result)
    drafts = [j for j in journeys if j.draft]
    waits = sorted(WAITS)
    WAITS.clear()
    result = {
        "waits": waits,
        "mode": mode,
        "seconds": elapsed,
        "kills": dict(kills.count),
        "unexpected exits": dict(kills.unexpected_exits),
        "journeys": len(journeys),
        "submitted": sum(1 for j in journeys if j.receipt),
        "drafts": len(drafts),
        "stuck": [f"#{j.n} {j.stuck}" for j in journeys if j.stuck],
        "took": takes_told,
        "results": results_told,
        "drafts resumed": sum(1 for j in drafts if j.resumed),
        "draft answer counts": Counter(j.draft_answers for j in drafts),
        "cards per request": Counter(cards_seen.values()),
        "documents sent to the group twice": sum(1 for n in documents_in_group.values() if n > 1),
        "violations": list(standin.violations[:5]),
        **{k: v for k, v in data.items() if k != "card ids"},
        "workdir": str(workdir),
    }
    if not args.keep and not result["stuck"]:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def report(r: dict) -> None:
    submitted = r["submitted"]
    lost = {
        "journeys stuck (an update neither answered nor processed)": len(r["stuck"]),
        "requests lost (a receipt, no request)": r["receipts without a request"],
        "cards lost (a request without its card)": r["requests without a card"],
        "notifications lost (not sent, or not seen by the citizen)": r["outbox not sent"]
        + (submitted - r["took"])
        + (submitted - r["results"]),
        "documents lost (a request without its deed, or a file not on disk)": r["requests without their deed"]
        + r["documents not on disk"],
        "drafts lost (not resumed)": r["drafts"] - r["drafts resumed"],
        "draft answers lost": sum(
            (DRAFT_ANSWERS - n) * k for n, k in r["draft answer counts"].items() if 0 <= n < DRAFT_ANSWERS
        ),
    }
    print(f"\n== {r['mode']} ==  {r['journeys']} journeys in {r['seconds']:.0f} s, load now {os.getloadavg()[0]:.1f}")
    print(
        f"kills: {sum(r['kills'].values())} {r['kills']}; processes that exited by themselves: {r['unexpected exits']}"
    )
    print(
        f"submitted {submitted}, taken and told {r['took']}, results told {r['results']}, "
        f"drafts {r['drafts']} (resumed {r['drafts resumed']}, answers counted {dict(r['draft answer counts'])})"
    )
    print(f"requests stored {r['requests']}, documents stored {r['documents']}, outbox {r['outbox']}")
    waits = r["waits"]
    if waits:
        print(
            f"answers awaited: {len(waits)}; wait p50 {waits[len(waits) // 2]:.2f} s, "
            f"p99 {waits[int(len(waits) * 0.99)]:.1f} s, longest {waits[-1]:.1f} s"
        )
    for what, n in lost.items():
        print(f"  {what}: {n}")
    print(f"  cards per request seen in the group: {dict(r['cards per request'])}")
    print(f"  documents sent to the group twice: {r['documents sent to the group twice']}")
    for line in r["stuck"][:10]:
        print(f"  stuck {line}")
    if r["violations"]:
        print(f"  Bot API spec violations: {r['violations']}")
    if r["stuck"]:
        print(f"  logs kept in {r['workdir']}")
    r["lost"] = sum(lost.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["polling", "webhook", "both"], default="both")
    parser.add_argument("--journeys", type=int, default=100)
    parser.add_argument(
        "--kill-every",
        type=lambda s: tuple(float(x) for x in s.split("-")),
        default=(2.0, 6.0),
        help="seconds between kills, a range (default 2-6)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (database, logs)")
    parser.add_argument("--step-timeout", type=float, default=STEP_TIMEOUT, help="seconds a person waits for an answer")
    args = parser.parse_args()
    globals()["STEP_TIMEOUT"] = args.step_timeout
    modes = ["polling", "webhook"] if args.mode == "both" else [args.mode]
    lost = 0
    for mode in modes:
        result = asyncio.run(run_mode(mode, args))
        report(result)
        lost += result["lost"]
    print(f"\nlost in all: {lost}")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
