"""The sandbox's own parts without a browser: its people, what the page's API serves, --reset."""

import base64
import json
from types import SimpleNamespace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.sandbox.server import (
    ADMIN_ID,
    FIRST_CITIZEN_ID,
    GROUP_ID,
    PAGE_DIR,
    STAFF_ID,
    Sandbox,
    page_app,
    phone_of,
    reset_data,
    service_units,
)
from models import Citizen
from tests.journey import PDF

PEOPLE = json.loads((PAGE_DIR / "people.json").read_text(encoding="utf-8"))


@pytest.fixture
async def page(db, standin):
    standin.add_bot("5000000000:mizban-sandbox")
    sandbox = Sandbox(standin, PEOPLE, ["muni-d5", "muni-hq"])
    await sandbox.restore_citizens()
    async with TestClient(TestServer(page_app(sandbox))) as client:
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


def test_reset_deletes_the_database_and_documents_only(tmp_path):
    database, documents, other = tmp_path / "desk.sqlite3", tmp_path / "documents", tmp_path / "keep.txt"
    documents.mkdir()
    (documents / "a.pdf").write_bytes(PDF)
    for path in (database, tmp_path / "desk.sqlite3-wal", other):
        path.write_text("x")
    reset_data(Settings(database={"url": f"sqlite://{database}"}, documents={"dir": str(documents)}))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    with pytest.raises(SystemExit, match="SQLite"):
        reset_data(Settings(database={"url": "postgres://u@127.0.0.1/db"}))


def test_the_group_serves_every_unit_with_a_service():
    card = lambda unit: SimpleNamespace(unit=unit)
    catalog = SimpleNamespace(services={"a": card("hq"), "b": card("d5"), "c": card("d5")})
    assert service_units(catalog) == ["d5", "hq"]
    with pytest.raises(SystemExit, match="empty"):
        service_units(SimpleNamespace(services={}))
