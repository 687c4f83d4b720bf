"""The local sandbox: the real dispatcher, polling the in-process Bot API stand-in, shown in a browser.

`python -m bot` with no token: a world of its own in `data/sandbox/` (its SQLite database and documents
folder, migrated; `--reset` deletes that folder's database and documents, nothing else), the stand-in
served on a free local port as the bot's API server, the usual polling and background tasks
(bot.runner.run_polling), and a page on http://127.0.0.1:PORT/ (sandbox/) showing a citizen's chat,
the units' staff group and an admin's chat side by side. The page drives the stand-in's people through
the stand-in's own control handlers, so it does exactly what the end-to-end tests do.

It never touches a real desk: it refuses to start when a bot token, a database or a documents folder
of a real desk is configured (`--use-configured-data` overrides, and says what it will use). Its page
answers only its own origin: the Host header must name the loopback address it serves, a browser's
request must come from the page itself (Origin, Sec-Fetch-Site), and every API call carries the
run's secret, which only the page's HTML holds. Its stand-in takes Bot API calls from the bot only."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import shutil
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot import db
from bot.config import Database, Documents, Settings
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
SANDBOX_KEY: web.AppKey[Sandbox] = web.AppKey("sandbox")
SECRET_KEY = web.AppKey("secret", str)
DATA_DIR = Path("data/sandbox")  # relative to the project, like every configured path
DATABASE_FILE = "sandbox.sqlite3"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
SAME_SITE = {"same-origin", "none"}  # Sec-Fetch-Site of the page's own requests, and of typing the address


class Refused(SystemExit):
    """The sandbox will not start (or reset) with these settings; the message says why and what to do."""


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def sandbox_settings(settings: Settings, data_dir: Path | None = None, *, use_configured: bool = False) -> Settings:
    """The settings of the sandbox's world: its database and documents in its own folder.

    A configured bot token, or a database or documents folder outside that folder, means a real desk
    is configured: refused, unless `use_configured` (then that database and folder are used, and
    printed). A configured Redis is never used (its keys are a real desk's)."""
    data_dir = settings.resolve(data_dir or DATA_DIR)
    database, documents = settings.database.url, settings.resolve(settings.documents.dir)
    default_database = database == Database().url
    default_documents = documents == settings.resolve(Documents().dir)
    path = sqlite_path(database)
    own_database = default_database or (path is not None and _inside(path, data_dir))
    own_documents = default_documents or _inside(documents, data_dir)
    real = []
    if settings.accounts():
        real.append("a bot token (BOT_TOKEN, token or [[bots]] in bot.toml)")
    if not own_database:
        real.append(f"the database {_safe_url(database)} (DATABASE_URL)")
    if not own_documents:
        real.append(f"the documents folder {documents} (DOCUMENTS_DIR)")
    if real and not use_configured:
        raise Refused(
            "The sandbox keeps a world of its own in "
            f"{data_dir} and will not start beside a real desk's settings: "
            + "; ".join(real)
            + ". Unset them to try the desk, or pass --use-configured-data to run the sandbox against them anyway."
        )
    update: dict = {"redis": settings.redis.model_copy(update={"url": ""})}
    if default_database:
        update["database"] = Database(url=f"sqlite://{data_dir / DATABASE_FILE}")
    if default_documents:
        update["documents"] = settings.documents.model_copy(update={"dir": data_dir / "documents"})
    chosen = settings.model_copy(update=update)
    if real:
        print(
            "The sandbox will use the configured "
            f"database {_safe_url(chosen.database.url)} and documents folder "
            f"{chosen.resolve(chosen.documents.dir)}: it rebinds units' groups to its own group and writes "
            "requests there (the configured bot tokens and Redis are not used).",
            flush=True,
        )
    return chosen


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.partition(':')[0]}@{tail}"


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


def reset_data(settings: Settings, data_dir: Path | None = None) -> None:
    """Delete the sandbox's SQLite database and stored documents: only inside its own folder."""
    data_dir = settings.resolve(data_dir or DATA_DIR)
    path = sqlite_path(settings.database.url)
    documents = settings.resolve(settings.documents.dir)
    if path is None or not _inside(path, data_dir) or not _inside(documents, data_dir):
        raise Refused(f"--reset deletes the sandbox's own data only (an SQLite database and documents in {data_dir})")
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.rmtree(documents, ignore_errors=True)


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
async def index(request: web.Request) -> web.Response:
    """The page, with the run's secret in it (the one thing a page of another origin cannot read)."""
    html = (PAGE_DIR / "index.html").read_text(encoding="utf-8")
    meta = f'<meta name="sandbox-secret" content="{request.app[SECRET_KEY]}">'
    return web.Response(
        text=html.replace("</head>", f"  {meta}\n</head>", 1),
        content_type="text/html",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"},
    )


def _host_is_loopback(request: web.Request) -> bool:
    """The Host header names a loopback address and the port this server listens on (no DNS rebinding)."""
    host, _, port = request.host.rpartition(":")
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return host.lower() in LOOPBACK and sockname is not None and port == str(sockname[1])


def _same_origin(request: web.Request) -> bool:
    """A browser's request made by the page itself (requests without these headers are not a browser's)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}":
        return False
    return request.headers.get("Sec-Fetch-Site", "none") in SAME_SITE


@web.middleware
async def only_the_page(request: web.Request, handler):
    """Every request: the expected Host; the API: the page's own origin and the run's secret."""
    if not _host_is_loopback(request):
        raise web.HTTPMisdirectedRequest(text="unexpected Host")
    if request.path.startswith("/api/"):
        given = request.headers.get("X-Sandbox-Secret") or request.query.get("secret", "")
        if not _same_origin(request) or not hmac.compare_digest(given.encode(), request.app[SECRET_KEY].encode()):
            raise web.HTTPForbidden(text="not the sandbox page")
        if request.method == "POST" and request.content_type != "application/json":
            raise web.HTTPUnsupportedMediaType(text="JSON only")
    return await handler(request)


@web.middleware
async def only_the_bot(request: web.Request, handler):
    """The sandbox's stand-in: Bot API calls from the bot on this machine, never a browser's."""
    if (
        not _host_is_loopback(request)
        or request.path.startswith("/_standin/")
        or "Origin" in request.headers
        or "Sec-Fetch-Site" in request.headers
    ):
        raise web.HTTPForbidden(text="the sandbox's Bot API serves its bot only")
    return await handler(request)


async def world(request: web.Request) -> web.Response:
    return web.json_response(await request.app[SANDBOX_KEY].world())


async def new_citizen(request: web.Request) -> web.Response:
    body = await request.json() if request.can_read_body else {}
    citizen = request.app[SANDBOX_KEY].add_citizen((body.get("first_name") or "").strip()[:64] or None)
    return web.json_response(_person(citizen))


async def command_menu(request: web.Request) -> web.Response:
    """The command menu a person sees in a chat (a private chat's own person; in the group, the
    `user_id` writing), as the messenger would choose it among the lists the bot set."""
    standin = request.app[STANDIN_KEY]
    chat = standin.chats.get(int(request.match_info["chat_id"]))
    if chat is None:
        raise web.HTTPNotFound(text="no such chat")
    if isinstance(chat, FakeUser):
        user_id = chat.id
    elif not request.query.get("user_id", "").isdigit():
        raise web.HTTPBadRequest(text="user_id: who looks at the group's menu")
    else:
        user_id = int(request.query["user_id"])
    if not isinstance(standin.chats.get(user_id), FakeUser):
        raise web.HTTPNotFound(text="no such person")
    return web.json_response({"commands": standin.bot(chat.token).menu(chat.id, user_id)})


async def file(request: web.Request) -> web.Response:
    """A file someone sent (a bot's document or photo, a citizen's upload), to show or download."""
    stored = request.app[STANDIN_KEY].files.get(request.match_info["file_id"])
    if stored is None:
        raise web.HTTPNotFound()
    content_type = "image/jpeg" if stored.width else stored.mime_type or "application/octet-stream"
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{quote(stored.name or 'file', safe='')}"}
    return web.Response(body=stored.data, content_type=content_type, headers=headers)


def page_app(sandbox: Sandbox, secret: str | None = None) -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024, middlewares=[only_the_page])
    app[STANDIN_KEY] = sandbox.standin
    app[SANDBOX_KEY] = sandbox
    app[SECRET_KEY] = secret or secrets.token_urlsafe(32)
    app.router.add_get("/", index)
    app.router.add_static("/static/", PAGE_DIR)
    app.router.add_get("/api/world", world)
    app.router.add_post("/api/citizens", new_citizen)
    app.router.add_get("/api/files/{file_id}", file)
    app.router.add_get("/api/chats/{chat_id:-?[0-9]+}/commands", command_menu)
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


def standin_app(standin: Standin) -> web.Application:
    app = make_app(standin)
    app.middlewares.append(only_the_bot)
    return app


async def run_sandbox(
    settings: Settings,
    *,
    reset: bool = False,
    port: int = 8000,
    host: str = "127.0.0.1",
    data_dir: Path | None = None,
    use_configured: bool = False,
) -> None:
    if host not in LOOPBACK:
        raise Refused("the sandbox serves its page on this machine only (127.0.0.1)")
    settings = sandbox_settings(settings, data_dir, use_configured=use_configured)
    if reset:
        reset_data(settings, data_dir)
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

    standin_runner, api_port = await _serve(standin_app(standin), host, 0)
    try:
        page_runner, page_port = await _serve(page_app(sandbox), host, port)
    except OSError as e:
        await standin_runner.cleanup()
        raise SystemExit(f"cannot serve the sandbox page on {host}:{port} ({e.strerror}); try --port") from e
    settings = settings.model_copy(
        update={
            "token": TOKEN,
            "api_url": f"http://{host}:{api_port}",
            "platform": "telegram",
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
