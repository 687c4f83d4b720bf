"""Command menus per audience and language (setMyCommands with scopes, checked by the stand-in
against the Bot API spec), and /help per role, laid out right to left."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.factories import TOKEN

LRI, PDI = "\u2066", "\u2069"


def menu(desk, scope: dict, lang: str = "") -> list[str]:
    stored = desk.standin.bot(TOKEN).commands.get((json.dumps(scope, sort_keys=True), lang), [])
    return [c["command"] for c in stored]


def described(desk, scope: dict, lang: str) -> dict[str, str]:
    stored = desk.standin.bot(TOKEN).commands.get((json.dumps(scope, sort_keys=True), lang), [])
    return {c["command"]: c["description"] for c in stored}


@pytest.fixture
async def started(desk, monkeypatch):
    from bot import commands
    from models import Role, UnitGroup

    monkeypatch.setattr(commands, "MENUS_AFTER", 0.0)  # not a few seconds after start-up, as a bot does

    await Role.create(platform="telegram", user_id=777, role="supervisor", unit_code="inta-fars")
    await UnitGroup.create(unit_code="inta-fars", platform="telegram", chat_id=-1001234)  # bound before
    await desk.dp.emit_startup(bot=desk.bot, bots=[desk.bot], dispatcher=desk.dp, **desk.dp.workflow_data)
    await desk.dp.workflow_data["command_menus"]
    return desk


async def test_start_up_sets_each_audiences_menu_in_both_languages(started):
    desk = started
    for lang in ("fa", "en", ""):
        assert menu(desk, {"type": "all_private_chats"}, lang)[:3] == ["start", "track", "mine"]
        assert menu(desk, {"type": "all_group_chats"}, lang) == ["overdue", "help"]
        assert "bind" in menu(desk, {"type": "all_chat_administrators"}, lang)
        admin = menu(desk, {"type": "chat", "chat_id": 900}, lang)
        assert {"stats", "export", "audit", "grant", "track"} <= set(admin)
        supervisor = menu(desk, {"type": "chat", "chat_id": 777}, lang)
        assert "stats" in supervisor and "grant" not in supervisor and "audit" not in supervisor
        # a group bound earlier gets its menus again (a /bind whose own call failed is repaired)
        assert menu(desk, {"type": "chat", "chat_id": -1001234}, lang) == ["overdue", "help"]
        assert "bind" in menu(desk, {"type": "chat_administrators", "chat_id": -1001234}, lang)
    assert "stats" not in menu(desk, {"type": "all_private_chats"}, "fa")
    assert described(desk, {"type": "all_private_chats"}, "fa")["track"] == "پیگیری درخواست با کد رهگیری"
    assert described(desk, {"type": "all_private_chats"}, "en")["track"] == "Follow a request by its tracking code"
    assert described(desk, {"type": "default"}, "")["track"] == "پیگیری درخواست با کد رهگیری"  # the desk's language
    assert not desk.standin.violations


async def test_the_menus_wait_until_the_first_updates_are_answered(desk):
    await desk.dp.emit_startup(bot=desk.bot, bots=[desk.bot], dispatcher=desk.dp, **desk.dp.workflow_data)
    task = desk.dp.workflow_data["command_menus"]
    citizen = desk.citizen()
    await citizen.send("/start")
    assert citizen.last["text"] and not desk.standin.bot(TOKEN).commands  # answered; no menu set yet
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_grant_revoke_and_bind_update_the_menus(desk):
    admin = desk.citizen("Admin", user_id=900)
    await admin.send("/grant 555 supervisor inta-fars")
    assert "stats" in menu(desk, {"type": "chat", "chat_id": 555}, "fa")
    await admin.send("/grant 556 admin")
    assert "grant" in menu(desk, {"type": "chat", "chat_id": 556}, "en")
    await admin.send("/revoke 555 supervisor inta-fars")
    assert menu(desk, {"type": "chat", "chat_id": 555}, "fa") == []  # back to the citizens' menu
    clerk = desk.citizen("Clerk")
    group = desk.group("Fars", members={admin.id: "administrator", clerk.id: "member"})
    await group.send(admin, "/bind inta-fars")
    assert menu(desk, {"type": "chat", "chat_id": group.id}, "fa") == ["overdue", "help"]
    # what each sees in the group's menu, as Telegram chooses among the lists
    account = desk.standin.bot(TOKEN)
    assert [c["command"] for c in account.menu(group.id, admin.id)] == ["overdue", "bind", "unbind", "groups", "help"]
    assert [c["command"] for c in account.menu(group.id, clerk.id)] == ["overdue", "help"]
    await group.send(admin, "/unbind")
    assert menu(desk, {"type": "chat", "chat_id": group.id}, "fa") == []
    assert menu(desk, {"type": "chat_administrators", "chat_id": group.id}, "fa") == []


def sent_text(desk, chat_id: int) -> str:
    return [c for c in desk.standin.calls if c.method == "sendMessage" and c.params["chat_id"] == chat_id][-1].params[
        "text"
    ]


async def test_help_per_role_with_commands_isolated_in_persian_lines(desk):
    citizen = desk.citizen("Sara")
    await citizen.send("/help")
    text = sent_text(desk, citizen.id)
    assert f"{LRI}/track کد-رهگیری{PDI}" in text and f"{LRI}/profile{PDI}" in text
    assert "/stats" not in text and "/grant" not in text and "دستورهای مدیر" not in text
    # every line starts with Persian (its direction) and the command sits inside an isolate
    line = next(x for x in citizen.last["plain"].splitlines() if "/track" in x)
    assert line.startswith("• ") and line.index(LRI) < line.index("/track") < line.index(PDI)
    admin = desk.citizen("Admin", user_id=900)
    await admin.send("/help")
    text = sent_text(desk, admin.id)
    assert "دستورهای مدیر" in text and f"{LRI}/stats" in text and f"{LRI}/grant USER_ID" in text
    english = desk.citizen("John", language_code="en")
    await english.send("/help")
    assert "Follow a request" in english.last["plain"] and "/stats" not in english.last["plain"]
    group = desk.group("Fars", members={admin.id: "administrator"})
    await group.send(admin, "/help")
    text = sent_text(desk, group.id)
    assert f"{LRI}/overdue{PDI}" in text and "کارکنان" in text and "/track" not in text
