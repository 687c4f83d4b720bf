"""The sandbox's own parts without a browser: its people, what the page's API serves, --reset, and
that it is a world apart (real settings refused, only its own page may use its API)."""

import base64
import json
import re
from types import SimpleNamespace

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.__main__ import main
from bot.config import Settings
from bot.sandbox.server import (
    ADMIN_ID,
    DATABASE_FILE,
    FIRST_CITIZEN_ID,
    GROUP_ID,
    PAGE_DIR,
    STAFF_ID,
    TOKEN,
    Refused,
    Sandbox,
    page_app,
    phone_of,
    reset_data,
    sandbox_settings,
    service_units,
    sqlite_path,
    standin_app,
)
from models import Citizen
from tests.factories import PDF

PEOPLE = json.loads((PAGE_DIR / "people.json").read_text(encoding="utf-8"))
SECRET = "the-run-secret"


@pytest.fixture
async def page(db, standin):
    standin.add_bot(TOKEN)
    sandbox = Sandbox(standin, PEOPLE, ["muni-d5", "muni-hq"])
    await sandbox.restore_citizens()
    async with TestClient(TestServer(page_app(sandbox, SECRET)), headers={"X-Sandbox-Secret": SECRET}) as client:
        yield sandbox, client


async def test_the_world_the_page_starts_from(page):
    sandbox, client = page
    response = await client.get("/")
    assert response.status == 200 and 'dir="rtl"' in await response.text()
    assert (await client.get("/static/app.js")).status == 200
    world = await (await client.get("/api/world")).json()
    (citizen,) = world["citizens"]
    assert citizen["id"] == FIRST_CITIZEN_ID and citizen["first_name"] == PEOPLE["citizens"][0]
    assert (world["admin"]["id"], world["staff"]["id"], world["group"]["id"]) == (ADMIN_ID, STAFF_ID, GROUP_ID)
    assert world["group"]["units"] == ["muni-d5", "muni-hq"] and world["group"]["bound"] == []
    assert world["group"]["title"] == PEOPLE["group"]
    assert sandbox.group.status_of(STAFF_ID) == "member" and sandbox.group.status_of(ADMIN_ID) == "administrator"
    phones = {p["phone"] for p in [*world["citizens"], world["admin"], world["staff"]]}
    assert len(phones) == 3 and phone_of(FIRST_CITIZEN_ID) == "+989100000001"


async def test_new_citizens_and_what_they_send(page):
    sandbox, client = page
    second = await (await client.post("/api/citizens", json={})).json()
    named = await (await client.post("/api/citizens", json={"first_name": "  Nima  "})).json()
    assert second["id"] == FIRST_CITIZEN_ID + 1 and second["first_name"] == PEOPLE["citizens"][1]
    assert named["id"] == FIRST_CITIZEN_ID + 2 and named["first_name"] == "Nima"
    events = sandbox.standin.subscribe()
    sent = await client.post(
        f"/api/users/{second['id']}/send",
        json={"document": base64.b64encode(PDF).decode(), "filename": "deed.pdf", "mime": "application/pdf"},
    )
    document = (await sent.json())["message"]["document"]
    event = events.get_nowait()
    assert event["type"] == "message" and event["chat_id"] == second["id"]
    assert event["message"]["document"]["file_name"] == "deed.pdf"
    file = await client.get(f"/api/files/{document['file_id']}")
    assert await file.read() == PDF and file.content_type == "application/pdf"
    assert "deed.pdf" in file.headers["Content-Disposition"]
    assert (await client.get("/api/files/nope")).status == 404
    await client.post(f"/api/groups/{GROUP_ID}/send", json={"from": STAFF_ID, "text": "/help"})
    await client.post(
        f"/api/groups/{GROUP_ID}/send",
        json={
            "from": STAFF_ID,
            "document": base64.b64encode(PDF).decode(),
            "filename": "result.pdf",
            "mime": "application/pdf",
            "caption": "done",
            "reply_to": 1,
        },
    )
    world = await (await client.get("/api/world")).json()
    help_message, result = world["messages"][str(GROUP_ID)]
    assert help_message["text"] == "/help" and result["caption"] == "done"
    assert result["document"]["file_name"] == "result.pdf" and result["reply_to_message"]["message_id"] == 1
    assert [m["document"]["file_name"] for m in world["messages"][str(second["id"])]] == ["deed.pdf"]


CITIZEN_MENU = [
    ("start", "منوی اصلی"),
    ("track", "پیگیری درخواست با کد رهگیری"),
    ("mine", "درخواست‌های من"),
    ("profile", "مشخصات من"),
    ("cancel", "لغو کار جاری"),
    ("lang", "تغییر زبان / Language"),
    ("help", "راهنما"),
]


async def test_the_command_menu_each_person_sees(make_desk, monkeypatch):
    """The menus the desk set (at start-up and on the admin's /bind), as the page asks for them."""
    from bot import commands

    monkeypatch.setattr(commands, "MENUS_AFTER", 0.0)  # not a few seconds after start-up, as a bot does
    desk = await make_desk(admins=[str(ADMIN_ID)])
    sandbox = Sandbox(desk.standin, PEOPLE, service_units(desk.catalog))
    citizen = sandbox.add_citizen()
    await sandbox.bind_group()
    await desk.dp.emit_startup(bot=desk.bot, bots=[desk.bot], dispatcher=desk.dp, **desk.dp.workflow_data)
    await desk.dp.workflow_data["command_menus"]
    async with TestClient(TestServer(page_app(sandbox, SECRET)), headers={"X-Sandbox-Secret": SECRET}) as client:

        async def menu(chat_id: int, query: str = "") -> list[tuple[str, str]]:
            response = await client.get(f"/api/chats/{chat_id}/commands{query}")
            assert response.status == 200
            return [(c["command"], c["description"]) for c in (await response.json())["commands"]]

        assert await menu(citizen.id) == CITIZEN_MENU
        assert await menu(STAFF_ID) == CITIZEN_MENU  # staff have no role of their own in a private chat
        admin = await menu(ADMIN_ID)
        assert [command for command, _ in admin] == [
            *("start", "track", "mine", "profile", "cancel", "lang"),
            *("stats", "chart", "export", "audit", "overdue", "groups", "grant", "revoke", "reload", "help"),
        ]
        assert admin[6] == ("stats", "آمار درخواست‌ها")
        assert await menu(GROUP_ID, f"?user_id={ADMIN_ID}") == [
            ("overdue", "درخواست‌های نزدیک به موعد و گذشته از موعد"),
            ("bind", "وصل کردن این گروه به یک واحد"),
            ("unbind", "برداشتن اتصال این گروه"),
            ("groups", "گروه‌های واحدها و وضعیت آن‌ها"),
            ("help", "راهنما"),
        ]
        assert await menu(GROUP_ID, f"?user_id={STAFF_ID}") == [
            ("overdue", "درخواست‌های نزدیک به موعد و گذشته از موعد"),
            ("help", "راهنما"),
        ]
        assert (await client.get(f"/api/chats/{GROUP_ID}/commands")).status == 400  # whose menu?
        assert (await client.get(f"/api/chats/{GROUP_ID}/commands?user_id=7")).status == 404
        assert (await client.get("/api/chats/7/commands")).status == 404
        assert (await client.get(f"/api/chats/{citizen.id}/commands", headers={"X-Sandbox-Secret": ""})).status == 403


async def test_citizens_come_back_from_the_database(db, standin):
    for user_id, name in [(FIRST_CITIZEN_ID + 4, "Later"), (FIRST_CITIZEN_ID, "First"), (ADMIN_ID, "Admin")]:
        await Citizen.create(platform="telegram", user_id=user_id, first_name=name)
    await Citizen.create(platform="bale", user_id=FIRST_CITIZEN_ID + 1, first_name="Bale user")
    sandbox = Sandbox(standin, PEOPLE, ["muni-d5", "muni-hq"])
    await sandbox.restore_citizens()
    assert [(c.id, c.first_name) for c in sandbox.citizens] == [
        (FIRST_CITIZEN_ID, "First"),
        (FIRST_CITIZEN_ID + 4, "Later"),
    ]
    assert sandbox.add_citizen().id == FIRST_CITIZEN_ID + 5


def _defaults(**overrides) -> Settings:
    """Settings as a fresh checkout has them (no token, the default database and documents folder)."""
    return Settings(**{"token": "", "bots": [], "redis": {"url": ""}, **overrides})


def test_reset_deletes_the_sandbox_data_only(tmp_path):
    data_dir = tmp_path / "sandbox"
    settings = sandbox_settings(_defaults(), data_dir)
    database, documents = sqlite_path(settings.database.url), settings.resolve(settings.documents.dir)
    assert database == data_dir / DATABASE_FILE and documents == data_dir / "documents"
    documents.mkdir(parents=True)
    (documents / "a.pdf").write_bytes(PDF)
    for path in (database, data_dir / f"{DATABASE_FILE}-wal", data_dir / "keep.txt", tmp_path / "desk.sqlite3"):
        path.write_text("x")
    reset_data(settings, data_dir)
    assert sorted(p.name for p in data_dir.iterdir()) == ["keep.txt"] and (tmp_path / "desk.sqlite3").exists()
    # a desk's own database or documents folder is never deleted, whatever the settings say
    real = Settings(database={"url": f"sqlite://{tmp_path}/desk.sqlite3"}, documents={"dir": str(documents)})
    with pytest.raises(Refused, match="own data"):
        reset_data(real, data_dir)
    with pytest.raises(Refused, match="own data"):
        reset_data(Settings(database={"url": "postgres://u@127.0.0.1/db"}), data_dir)
    assert (tmp_path / "desk.sqlite3").exists()


def test_the_sandbox_refuses_a_real_desks_settings(tmp_path, capsys):
    data_dir = tmp_path / "sandbox"
    for real, named in [
        ({"token": "123:real"}, "bot token"),
        ({"bots": [{"token": "9:bale", "api_url": "https://tapi.bale.ai", "platform": "bale"}]}, "bot token"),
        ({"database": {"url": "postgres://desk:pw@db.internal/desk"}}, "postgres://desk@db.internal/desk"),
        ({"database": {"url": f"sqlite://{tmp_path}/desk.sqlite3"}}, "desk.sqlite3"),
        ({"documents": {"dir": str(tmp_path / "documents")}}, "documents folder"),
    ]:
        with pytest.raises(Refused, match="--use-configured-data") as refused:
            sandbox_settings(_defaults(**real), data_dir)
        assert named in str(refused.value) and "pw" not in str(refused.value)
    # its own folder is fine, and the explicit flag runs against a configured database, saying so
    own = _defaults(database={"url": f"sqlite://{data_dir}/x.sqlite3"}, redis={"url": "redis://127.0.0.1:6379/0"})
    chosen = sandbox_settings(own, data_dir)
    assert chosen.database.url == own.database.url and chosen.redis.url == ""
    assert chosen.resolve(chosen.documents.dir) == data_dir / "documents"
    chosen = sandbox_settings(
        _defaults(token="123:real", database={"url": "postgres://desk:pw@db/desk"}), data_dir, use_configured=True
    )
    assert chosen.database.url == "postgres://desk:pw@db/desk"
    said = capsys.readouterr().out
    assert "postgres://desk@db/desk" in said and "pw" not in said and "documents" in said


def test_the_command_refuses_to_start_with_a_token(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("BOT_TOKEN", "123:real-token")
    assert main(["sandbox", "--data", str(tmp_path / "sandbox")]) == 2
    assert "bot token" in capsys.readouterr().err and not (tmp_path / "sandbox").exists()
    monkeypatch.setenv("BOT_TOKEN", "")
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path}/desk.sqlite3")
    (tmp_path / "desk.sqlite3").write_text("a real desk")
    assert main(["sandbox", "--reset", "--data", str(tmp_path / "sandbox")]) == 2
    assert (tmp_path / "desk.sqlite3").read_text() == "a real desk"


async def test_only_the_page_itself_may_use_the_api(page):
    sandbox, client = page
    html = await (await client.get("/", headers={"X-Sandbox-Secret": ""})).text()
    assert re.search(r'<meta name="sandbox-secret" content="([^"]+)">', html).group(1) == SECRET
    admin_chat = str(ADMIN_ID)
    attack = {"Content-Type": "text/plain", "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}
    for headers, query in [
        ({"X-Sandbox-Secret": "", **attack}, ""),  # the text/plain cross-site POST of a page elsewhere
        ({"X-Sandbox-Secret": ""}, ""),  # no secret
        ({"X-Sandbox-Secret": "guess"}, ""),  # a wrong one
        ({"Origin": "http://evil.example"}, ""),  # the secret, but from another origin
        ({"Sec-Fetch-Site": "cross-site"}, ""),
        ({"X-Sandbox-Secret": ""}, "?secret=guess"),
    ]:
        sent = await client.post(f"/api/users/{ADMIN_ID}/send{query}", data='{"text": "/export"}', headers=headers)
        assert sent.status == 403, headers
        assert (await client.get(f"/api/world{query}", headers=headers)).status == 403
    plain = await client.post(
        f"/api/users/{ADMIN_ID}/send", data='{"text": "/export"}', headers=attack | {"Origin": ""}
    )
    assert plain.status in (403, 415)
    # a page served under another name (DNS rebinding) gets nothing, not even the page
    for path in ("/", "/api/world", "/static/app.js"):
        assert (await client.get(path, headers={"Host": "evil.example"})).status == 421
        assert (await client.get(path, headers={"Host": f"evil.example:{client.port}"})).status == 421
    assert (await client.get("/", headers={"Host": f"localhost:{client.port}"})).status == 200
    world = await (await client.get("/api/world")).json()
    assert world["messages"][admin_chat] == []  # nothing reached the admin's chat
    # the page's own requests: the secret in a header, or in the address for events and files
    same = {"Origin": f"http://127.0.0.1:{client.port}", "Sec-Fetch-Site": "same-origin"}
    assert (await client.get("/api/world", headers=same)).status == 200
    assert (await client.get(f"/api/world?secret={SECRET}", headers={"X-Sandbox-Secret": ""})).status == 200


async def test_a_websocket_from_another_origin_is_refused(page):
    sandbox, client = page
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(f"/api/events?secret={SECRET}", headers={"Origin": "http://evil.example"})
    assert refused.value.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await client.ws_connect(
            "/api/events", headers={"X-Sandbox-Secret": "", "Origin": f"http://127.0.0.1:{client.port}"}
        )
    ws = await client.ws_connect(f"/api/events?secret={SECRET}", headers={"Origin": f"http://127.0.0.1:{client.port}"})
    await client.post("/api/citizens", json={})
    await client.post(f"/api/users/{FIRST_CITIZEN_ID}/send", json={"text": "hello"})
    event = await ws.receive_json(timeout=10)
    assert event["chat_id"] == FIRST_CITIZEN_ID
    await ws.close()


async def test_the_sandbox_stand_in_serves_the_bot_only(standin):
    standin.add_bot(TOKEN)
    async with TestClient(TestServer(standin_app(standin))) as client:
        assert (await client.post(f"/bot{TOKEN}/getMe")).status == 200
        assert (await client.post(f"/bot{TOKEN}/getMe", headers={"Origin": "http://evil.example"})).status == 403
        assert (await client.get("/_standin/calls")).status == 403
        assert (await client.post("/_standin/users/1/send", json={"text": "/export"})).status == 403
        assert (await client.post(f"/bot{TOKEN}/getMe", headers={"Host": "evil.example"})).status == 403


def test_the_group_serves_every_unit_with_a_service():
    card = lambda unit: SimpleNamespace(unit=unit)
    catalog = SimpleNamespace(services={"a": card("hq"), "b": card("d5"), "c": card("d5")})
    assert service_units(catalog) == ["d5", "hq"]
    with pytest.raises(SystemExit, match="empty"):
        service_units(SimpleNamespace(services={}))
