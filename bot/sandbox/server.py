"""The local sandbox: the real dispatcher, polling the in-process Bot API stand-in, shown in a browser.

`python -m bot` with no token: the desk's own database (migrated; `--reset` starts afresh), the stand-in
served on a free local port as the bot's API server, the usual polling and background tasks
(bot.runner.run_polling), and a page on http://127.0.0.1:PORT/ (sandbox/) showing a citizen's chat,
the units' staff group and an admin's chat side by side. The page drives the stand-in's people through
the stand-in's own control handlers, so it does exactly what the end-to-end tests do."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot import db
from bot.config import Settings
from bot.runner import run_polling
from desk.catalog import load_catalog
from models import Citizen, UnitGroup
from standin import server as standin_server
from standin.chats import FakeUser
from standin.core import Standin
from standin.server import STANDIN_KEY, make_app

log = logging.getLogger("mizban.sandbox")

PAGE_DIR = Path(__file__).resolve().parent / "page"
TOKEN = "5000000000:mizban-sandbox"
FIRST_CITIZEN_ID = 100_000_001
ADMIN_ID = 900_000_001
STAFF_ID = 900_000_002
GROUP_ID = -1_009_000_000_001
LANGUAGE = "fa"
SANDBOX_KEY = web.AppKey("sandbox", object)


def sqlite_path(url: str) -> Path | None:
    """The file of an embedded SQLite database (resolved as bot.db resolves it), else None."""
    resolved = db.tortoise_config(url)["connections"]["default"]
    if (
        not isinstance(resolved, str)
        or not resolved.startswith("sqlite://")
        or resolved.startswith("sqlite://:memory:")
    ):
        return None
    return Path(resolved.removeprefix("sqlite://").partition("?")[0])


def reset_data(settings: Settings) -> None:
    """Delete the SQLite database and the stored documents."""
    path = sqlite_path(settings.database.url)
    if path is None:
        raise SystemExit("--reset works on the embedded SQLite database only; DATABASE_URL is not SQLite")
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.rmtree(settings.resolve(settings.documents.dir), ignore_errors=True)


def phone_of(user_id: int) -> str:
    """A sandbox person's own mobile number (what their contact button shares)."""
    return f"+989{user_id % 10**9:09d}"


class Sandbox:
    """The people of the sandbox world: citizens, one staff member, one admin, and one staff group that
    serves every unit delivering a service (so whichever service a visitor picks, staff see it)."""

    def __init__(self, standin: Standin, people: dict, unit_codes: list[str]) -> None:
        self.standin = standin
        self.names: list[str] = people["citizens"]
        self.unit_codes = unit_codes
        self.admin = standin.user(people["admin"], user_id=ADMIN_ID, language_code=LANGUAGE)
        self.staff = standin.user(people["staff"], user_id=STAFF_ID, language_code=LANGUAGE)
        self.group = standin.group(
            people["group"], chat_id=GROUP_ID, members={ADMIN_ID: "administrator", STAFF_ID: "member"}
        )
        self.citizens: list[FakeUser] = []

    def add_citizen(self, first_name: str | None = None, user_id: int | None = None) -> FakeUser:
        user_id = user_id or max((c.id + 1 for c in self.citizens), default=FIRST_CITIZEN_ID)
        name = first_name or self.names[(user_id - FIRST_CITIZEN_ID) % len(self.names)]
        citizen = self.standin.user(name, user_id=user_id, language_code=LANGUAGE)
        self.citizens.append(citizen)
        return citizen

    async def restore_citizens(self) -> None:
        """The citizens the desk already knows (the database persists; the stand-in's chats do not)."""
        known = (
            await Citizen.filter(
                platform="telegram",
                user_id__gte=FIRST_CITIZEN_ID,
                user_id__lt=ADMIN_ID,
            )
            .order_by("user_id")
            .values_list("user_id", "first_name")
        )
        for user_id, first_name in known:
            self.add_citizen(first_name or None, user_id)
        if not self.citizens:
            self.add_citizen()

    async def bind_group(self) -> None:
        """The admin binds the group to each unit, as a real admin would (unless it is bound already)."""
        bound = set(await UnitGroup.filter(chat_id=GROUP_ID).values_list("unit_code", flat=True))
        for unit_code in self.unit_codes:
            if unit_code not in bound:
                await self.group.send(self.admin, f"/bind {unit_code}")

    async def world(self) -> dict:
        chats = [*self.citizens, self.group, self.staff, self.admin]
        bound = await UnitGroup.filter(chat_id=GROUP_ID).values_list("unit_code", flat=True)
        return {
            "bot": self.standin.bot(TOKEN).user,
            "citizens": [_person(c) for c in self.citizens],
            "staff": _person(self.staff),
            "admin": _person(self.admin),
            "group": {**self.group.chat, "units": self.unit_codes, "bound": sorted(bound)},
            "messages": {str(chat.id): [m.view() for m in chat.history.values()] for chat in chats},
        }


def _person(user: FakeUser) -> dict:
    return {**user.user, "phone": phone_of(user.id)}


def service_units(catalog) -> list[str]:
    """The units that deliver the catalogue's services (the ones the sandbox's group serves)."""
    units = sorted({card.unit for card in catalog.services.values()})
    if not units:
        raise SystemExit("the service catalogue is empty: nothing to show in the sandbox")
    return units


# -- the page ------------------------------------------------------------------------------------------
async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(PAGE_DIR / "index.html")


async def world(request: web.Request) -> web.Response:
    return web.json_response(await request.app[SANDBOX_KEY].world())


async def new_citizen(request: web.Request) -> web.Response:
    body = await request.json() if request.can_read_body else {}
    citizen = request.app[SANDBOX_KEY].add_citizen((body.get("first_name") or "").strip()[:64] or None)
    return web.json_response(_person(citizen))


async def file(request: web.Request) -> web.Response:
    """A file someone sent (a bot's document or photo, a citizen's upload), to show or download."""
    stored = request.app[STANDIN_KEY].files.get(request.match_info["file_id"])
    if stored is None:
        raise web.HTTPNotFound()
    content_type = "image/jpeg" if stored.width else stored.mime_type or "application/octet-stream"
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{quote(stored.name or 'file', safe='')}"}
    return web.Response(body=stored.data, content_type=content_type, headers=headers)


def page_app(sandbox: Sandbox) -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[STANDIN_KEY] = sandbox.standin
    app[SANDBOX_KEY] = sandbox
    app.router.add_get("/", index)
    app.router.add_static("/static/", PAGE_DIR)
    app.router.add_get("/api/world", world)
    app.router.add_post("/api/citizens", new_citizen)
    app.router.add_get("/api/files/{file_id}", file)
    # what a person does, through the stand-in's own control handlers (the ones the e2e tests use)
    app.router.add_post("/api/users/{user_id}/send", standin_server.user_sends)
    app.router.add_post("/api/groups/{chat_id}/send", standin_server.group_sends)
    app.router.add_get("/api/events", standin_server.events)
    return app


async def _serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]


async def run_sandbox(settings: Settings, *, reset: bool = False, port: int = 8000, host: str = "127.0.0.1") -> None:
    if reset:
        reset_data(settings)
    units = service_units(load_catalog(settings.resolve(settings.catalog.dir)))
    people = json.loads((PAGE_DIR / "people.json").read_text(encoding="utf-8"))
    standin = Standin()
    standin.add_bot(TOKEN)
    sandbox = Sandbox(standin, people, units)
    await db.migrate(settings.database.url)
    await db.connect(settings.database.url)
    try:
        await sandbox.restore_citizens()
        await sandbox.bind_group()
    finally:
        await db.close()

    standin_runner, api_port = await _serve(make_app(standin), host, 0)
    try:
        page_runner, page_port = await _serve(page_app(sandbox), host, port)
    except OSError as e:
        await standin_runner.cleanup()
        raise SystemExit(f"cannot serve the sandbox page on {host}:{port} ({e.strerror}); try --port") from e
    settings = settings.model_copy(
        update={
            "token": TOKEN,
            "api_url": f"http://{host}:{api_port}",
            "bots": [],
            "admins": [*settings.admins, str(ADMIN_ID)],
        }
    )
    log.info("Bot API stand-in at %s", settings.api_url)
    print(f"Mizban sandbox: http://{host}:{page_port}/  (Ctrl+C to stop)", flush=True)
    try:
        await run_polling(settings)  # migrates (nothing left to do), connects, polls, runs the outbox sender
    finally:
        for runner in (page_runner, standin_runner):
            with suppress(asyncio.CancelledError):
                await runner.cleanup()
