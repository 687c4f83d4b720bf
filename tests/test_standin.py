"""The Bot API stand-in: spec checks, Telegram-like behaviour, aiogram in-process and over HTTP."""

from __future__ import annotations

import asyncio
import base64
import json

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeChatMember,
    BotCommandScopeDefault,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiohttp import web
from aiohttp.test_utils import TestServer

from standin import ApiError, ApiSpec, SpecViolation, Standin
from standin.html import HtmlError, parse_html
from standin.server import make_app
from standin.session import StandinSession

TOKEN = "123456:TEST-token"


@pytest.fixture(scope="module")
def spec() -> ApiSpec:
    return ApiSpec()


@pytest.fixture
async def world(spec):
    standin = Standin(spec)
    standin.add_bot(TOKEN)
    yield standin
    await standin.close()


@pytest.fixture
def bot(world) -> Bot:
    return Bot(TOKEN, session=StandinSession(world), default=DefaultBotProperties(parse_mode="HTML"))


def inline(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in buttons])


# -- the spec ------------------------------------------------------------------------------------
def test_spec_finds_violations(spec):
    assert spec.check_call("sendMessage", {"chat_id": "5", "text": "hi"}) == []
    problems = spec.check_call("sendMessage", {"chat_id": 5, "txt": "hi"})
    assert "sendMessage: unknown parameter 'txt'" in problems
    assert "sendMessage: missing required parameter 'text'" in problems
    assert spec.check_call("sendmessage", {"chat_id": 5, "text": "x"}) == [
        "sendmessage: method name differs in case from 'sendMessage'"
    ]
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "x", "disable_notification": "maybe"})
    assert spec.check_call("noSuchMethod", {}) == ["unknown method 'noSuchMethod'"]


def test_spec_checks_nested_objects_and_limits(spec):
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 65}]]}
    [problem] = spec.check_call("sendMessage", {"chat_id": 5, "text": "x", "reply_markup": json.dumps(markup)})
    assert "callback_data: 65 bytes" in problem
    # 22 Persian letters are 44 bytes: fine; 33 are 66 bytes: too long although only 33 characters
    ok = {"inline_keyboard": [[{"text": "a", "callback_data": "س" * 22}]]}
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "x", "reply_markup": ok}) == []
    bad = {"inline_keyboard": [[{"text": "a", "callback_data": "س" * 33}]]}
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "x", "reply_markup": bad})
    typo = {"keyboard": [[{"txt": "a"}]]}
    problems = spec.check_call("sendMessage", {"chat_id": 5, "text": "x", "reply_markup": typo})
    assert any("unknown field 'txt' of KeyboardButton" in p for p in problems)
    scope = {"type": "all_private_chats", "chat_id": 5}
    assert spec.check_call("setMyCommands", {"commands": [{"command": "a", "description": "b"}], "scope": scope})
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "a < b", "parse_mode": "HTML"})
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "<b>a</b> &lt; b", "parse_mode": "HTML"}) == []
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "<div>a</div>", "parse_mode": "HTML"})
    assert spec.check_call("sendMessage", {"chat_id": 5, "text": "x" * 4097})
    assert spec.check_call("sendPhoto", {"chat_id": 5, "photo": "id", "caption": "x" * 1025})
    assert spec.check_call("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201})
    assert spec.check_call("sendDocument", {"chat_id": 5, "document": "attach://f"}) == [
        "sendDocument.document: 'attach://f' names no uploaded file"
    ]
    assert spec.check_call("sendDocument", {"chat_id": 5, "document": "attach://f"}, {"f": ("a.pdf", b"x")}) == []


def test_html_entities_are_counted_in_utf16():
    parsed = parse_html('😀 <b>سلام</b> <a href="https://x.ir/?a=1&amp;b=2">link</a> &lt;&#39;')
    assert parsed.plain == "😀 سلام link <'"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "url": "https://x.ir/?a=1&b=2", "offset": 8, "length": 4},
    ]
    with pytest.raises(HtmlError, match='byte offset 7, expected "</i>", found "</b>"'):
        parse_html("<b><i>x</b></i>")


async def test_strict_standin_refuses_and_records_violations(world):
    with pytest.raises(SpecViolation, match="unknown parameter 'colour'"):
        await world.call(TOKEN, "sendMessage", {"chat_id": 1, "text": "x", "colour": "red"})
    assert world.violations == ["sendMessage: unknown parameter 'colour'"]
    assert world.calls[-1].method == "sendMessage"


# -- aiogram Bot in-process ----------------------------------------------------------------------
async def test_bot_sends_edits_and_gets_telegram_errors(world, bot):
    user = world.user("Sara")
    sent = await bot.send_message(user.id, "<b>Hello</b> &lt;3", reply_markup=inline(("Yes", "y")))
    assert sent.text == "Hello <3" and sent.entities[0].type == "bold"
    assert user.last["text"] == "<b>Hello</b> &lt;3" and user.last["plain"] == "Hello <3"
    assert user.keyboard() == [["Yes"]]
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "<b>Hello</b> &lt;3", chat_id=user.id, message_id=sent.message_id, reply_markup=inline(("Yes", "y"))
        )
    edited = await bot.edit_message_text("Bye", chat_id=user.id, message_id=sent.message_id)
    assert edited.edit_date and edited.reply_markup is None
    assert user.texts() == ["Bye"] and user.keyboard(sent.message_id) == []
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=999)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(42, "x")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.id, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(user.id, "1 < 2")
    await bot.delete_message(user.id, sent.message_id)
    assert user.messages == []
    user.blocked = True
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(user.id, "x")
    assert world.violations == [
        "sendMessage.text: 4097 UTF-16 code units after entities parsing, must be 1-4096",
        "sendMessage.text: can't parse entities: Can't find end of the tag starting at byte offset 2",
    ]


async def test_dispatcher_driven_by_fake_user(world, bot):
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Welcome", reply_markup=inline(("Services", "menu:services"), ("Help", "menu:help")))

    @dp.callback_query(F.data == "menu:services")
    async def services(query: CallbackQuery) -> None:
        await query.message.edit_text("Pick a service")
        await query.answer("Loading", show_alert=False)

    @dp.message(F.contact)
    async def contact(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Done")]], resize_keyboard=True)
        await message.answer(f"Got {message.contact.phone_number}", reply_markup=keyboard)

    world.on_update = lambda token, update: dp.feed_raw_update(bot, update)
    user = world.user("Reza", username="reza")
    mine = await user.send("/start")
    assert mine["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert user.texts() == ["Welcome"] and user.keyboard() == [["Services"], ["Help"]]
    answer = await user.press("Serv")
    assert answer == {"callback_query_id": answer["callback_query_id"], "text": "Loading", "show_alert": False}
    assert user.texts() == ["Pick a service"] and user.keyboard() == []
    await user.send_contact("+989121234567")
    assert user.last["plain"] == "Got +989121234567" and user.keyboard() == [["Done"]]
    update = world.calls[-1]
    assert update.method == "sendMessage" and update.params["reply_markup"]["resize_keyboard"] is True
    assert world.violations == []


async def test_press_builds_a_telegram_callback_query(world):
    updates = []

    async def record(token, update):
        updates.append(update)

    world.on_update = record
    user = world.user()
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    await world.call(TOKEN, "sendMessage", {"chat_id": user.id, "text": "Hi", "reply_markup": markup})
    assert await user.press("A") is None  # nobody answered
    await user.press_data("forged")
    first, second = updates
    query = first["callback_query"]
    assert second["update_id"] == first["update_id"] + 1
    assert query["from"] == user.user and query["data"] == "a"
    assert query["message"]["from"]["is_bot"] and query["message"]["chat"] == user.chat
    assert query["message"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    assert query["chat_instance"] == second["callback_query"]["chat_instance"]
    assert second["callback_query"]["data"] == "forged"
    with pytest.raises(LookupError, match="buttons: \\['A'\\]"):
        await user.press("B")


async def test_groups_topics_and_members(world, bot):
    world.on_update = lambda token, update: asyncio.sleep(0)
    clerk, boss = world.user("Clerk"), world.user("Boss")
    group = world.group("Desk staff", forum=True, members={boss.id: "creator"})
    group.add_member(clerk, "administrator")
    topic = await bot.create_forum_topic(group.id, "Requests")
    assert group.thread("Requests") == topic.message_thread_id
    sent = await bot.send_message(
        group.id, "New request", message_thread_id=topic.message_thread_id, reply_markup=inline(("Take", "take:1"))
    )
    assert sent.is_topic_message and sent.chat.id < -(10**12)
    reply = await group.reply(clerk, sent.message_id, "on it")
    assert reply["message_thread_id"] == topic.message_thread_id
    assert reply["reply_to_message"]["message_id"] == sent.message_id
    admins = await bot.get_chat_administrators(group.id)
    statuses = {a.user.id: a.status for a in admins}
    assert statuses == {boss.id: "creator", clerk.id: "administrator", 123456: "administrator"}
    assert (await bot.get_chat_member(group.id, 7)).status == "left"
    await group.press(clerk, "Take")
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(group.id, "x", message_thread_id=999)
    group.members[123456] = "kicked"
    with pytest.raises(TelegramForbiddenError, match="kicked"):
        await bot.send_message(group.id, "x")


async def test_the_menu_a_person_sees_is_the_first_list_set_as_telegram_documents(world, bot):
    """Each scope's list is one command named after it, set from the widest scope to the narrowest:
    after each step, who sees which list (the Bot API's "Determining list of commands")."""
    mina, john, nobody = world.user("Mina"), world.user("John", language_code="en-US"), world.user(language_code=None)
    boss, clerk = world.user("Boss"), world.user("Clerk")
    group = world.group("Desk staff", members={boss.id: "creator", mina.id: "administrator", clerk.id: "member"})
    group.chat["username"] = "desk_staff"
    account = world.bot(TOKEN)

    def seen() -> dict[str, str]:
        private = {p.first_name: p.id for p in (mina, john, nobody)}
        sees = {f"{name} alone": account.menu(chat_id) for name, chat_id in private.items()}
        sees |= {f"{p.first_name} in the group": account.menu(group.id, p.id) for p in (boss, mina, clerk)}
        return {who: " ".join(c["command"] for c in menu) for who, menu in sees.items()}

    async def set_(name: str, scope, language_code: str | None = None) -> None:
        await bot.set_my_commands([BotCommand(command=name, description=name)], scope, language_code)

    assert set(seen().values()) == {""}
    await set_("default", BotCommandScopeDefault())
    assert set(seen().values()) == {"default"}
    await set_("default_fa", BotCommandScopeDefault(), "fa")
    await set_("default_en", BotCommandScopeDefault(), "en")
    assert seen() == {
        "Mina alone": "default_fa",
        "John alone": "default_en",  # en-US reads the lists for "en"
        "Ali alone": "default",  # no language_code: the lists for every language
        "Boss in the group": "default_fa",
        "Mina in the group": "default_fa",
        "Clerk in the group": "default_fa",
    }
    await set_("private", BotCommandScopeAllPrivateChats())
    await set_("groups", BotCommandScopeAllGroupChats())
    await set_("admins_fa", BotCommandScopeAllChatAdministrators(), "fa")
    assert seen() == {
        "Mina alone": "private",
        "John alone": "private",
        "Ali alone": "private",
        "Boss in the group": "admins_fa",  # the creator counts as an administrator
        "Mina in the group": "admins_fa",
        "Clerk in the group": "groups",
    }
    await set_("chat", BotCommandScopeChat(chat_id="@desk_staff"))  # a group named by its username
    await set_("mina", BotCommandScopeChat(chat_id=mina.id))
    assert seen() == {
        "Mina alone": "mina",
        "John alone": "private",
        "Ali alone": "private",
        "Boss in the group": "chat",  # a group's own list comes before the lists for all administrators
        "Mina in the group": "chat",
        "Clerk in the group": "chat",
    }
    await set_("chat_admins", BotCommandScopeChatAdministrators(chat_id=group.id))
    await set_("clerk", BotCommandScopeChatMember(chat_id=group.id, user_id=clerk.id))
    await set_("boss_en", BotCommandScopeChatMember(chat_id=group.id, user_id=boss.id), "en")
    assert seen() == {
        "Mina alone": "mina",
        "John alone": "private",
        "Ali alone": "private",
        "Boss in the group": "chat_admins",  # his own list is in English only: Boss reads Persian
        "Mina in the group": "chat_admins",
        "Clerk in the group": "clerk",
    }
    # deleted, or set empty: the next scope's list shows again
    await bot.delete_my_commands(BotCommandScopeChatAdministrators(chat_id=group.id))
    await bot.set_my_commands([], BotCommandScopeChat(chat_id=mina.id))
    group.members[mina.id] = "member"
    assert seen()["Mina alone"] == "private"
    assert seen()["Boss in the group"] == seen()["Mina in the group"] == "chat"
    assert [c.command for c in await bot.get_my_commands(BotCommandScopeChat(chat_id=group.id))] == ["chat"]
    assert account.menu(group.id) == []  # in a group, the menu depends on who looks
    assert not world.violations


# -- files ---------------------------------------------------------------------------------------
async def test_files_round_trip_and_size_limit(world, bot):
    world.on_update = lambda token, update: asyncio.sleep(0)
    user = world.user()
    scan = await user.send_document("scan.pdf", b"%PDF-1.4 tiny", size=25 * 1024 * 1024)
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await bot.get_file(scan["document"]["file_id"])
    small = await user.send_document("id.pdf", b"%PDF-1.4 id card")
    file = await bot.get_file(small["document"]["file_id"])
    assert (await bot.download(file)).read() == b"%PDF-1.4 id card"
    photo = await user.send_photo(caption="me")
    assert photo["photo"][0]["width"] == 1 and photo["caption"] == "me"
    sent = await bot.send_document(user.id, BufferedInputFile(b"receipt", "receipt.txt"), caption="<i>Receipt</i>")
    assert sent.document.file_name == "receipt.txt" and sent.caption == "Receipt"
    assert world.calls[-1].files and user.last["document"]["file_size"] == 7
    again = await bot.send_document(user.id, sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    assert world.file_bytes((await bot.get_file(sent.document.file_id)).file_path) == b"receipt"
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(user.id, "nonsense")


# -- rate limits ---------------------------------------------------------------------------------
async def test_rate_limits_give_429_with_retry_after(spec):
    now = [1000.0]
    world = Standin(spec, rate_limits=True, clock=lambda: now[0])
    bot = Bot(TOKEN, session=StandinSession(world))
    user = world.user()
    await bot.send_message(user.id, "one")
    now[0] += 0.3
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(user.id, "two")
    assert caught.value.retry_after == 1
    now[0] += 0.7
    await bot.send_message(user.id, "two")
    group = world.group("Staff")
    for i in range(20):
        await world.call(TOKEN, "sendMessage", {"chat_id": group.id, "text": str(i)})
        now[0] += 0.5
    with pytest.raises(ApiError) as too_many:
        await world.call(TOKEN, "sendMessage", {"chat_id": group.id, "text": "21st"})
    # the first of the 20 was sent 10 s ago: it leaves the minute window in 50 s
    assert too_many.value.error_code == 429 and too_many.value.retry_after == 50
    now[0] += 50
    await world.call(TOKEN, "sendMessage", {"chat_id": group.id, "text": "21st"})
    now[0] += 10
    users = [world.user() for _ in range(31)]
    for other in users[:30]:
        await world.call(TOKEN, "sendMessage", {"chat_id": other.id, "text": "news"})
    with pytest.raises(ApiError, match="retry after 1"):
        await world.call(TOKEN, "sendMessage", {"chat_id": users[30].id, "text": "news"})
    assert world.stats == {"sent": 2 + 21 + 30, "429": 3}


# -- over HTTP -----------------------------------------------------------------------------------
@pytest.fixture
async def server(world):
    test_server = TestServer(make_app(world))
    await test_server.start_server()
    yield str(test_server.make_url("")).rstrip("/")
    await test_server.close()


async def test_long_polling_over_http(world, http_bot):
    bot = http_bot
    dp = Dispatcher()
    seen = []

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")
        seen.append(message.text)
        await dp.stop_polling()

    user = world.user()
    await user.send("salam")
    await asyncio.wait_for(dp.start_polling(bot, handle_signals=False, polling_timeout=1), 10)
    assert seen == ["salam"] and user.texts() == ["echo: salam"]
    assert [c.method for c in world.calls][:2] == ["getMe", "getUpdates"]
    assert world.violations == []


async def test_get_updates_offsets_and_conflicts(world):
    user = world.user()
    await user.send("a")
    await user.send("b")
    first, second = await world.call(TOKEN, "getUpdates", {})
    assert [first["message"]["text"], second["message"]["text"]] == ["a", "b"]
    assert await world.call(TOKEN, "getUpdates", {"offset": second["update_id"] + 1}) == []
    waiting = asyncio.create_task(world.call(TOKEN, "getUpdates", {"timeout": 5}))
    await asyncio.sleep(0)
    await user.send("c")
    [third] = await waiting
    assert third["update_id"] == second["update_id"] + 1
    stale = asyncio.create_task(world.call(TOKEN, "getUpdates", {"offset": third["update_id"] + 1, "timeout": 5}))
    await asyncio.sleep(0)
    assert await world.call(TOKEN, "getUpdates", {"timeout": 0}) == []
    with pytest.raises(ApiError, match="terminated by other getUpdates request"):
        await stale


async def test_webhook_push_with_secret_and_retry(world):
    received = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.Response(status=500 if len(received) == 1 else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    receiver = TestServer(app)
    await receiver.start_server()
    try:
        bot = Bot(TOKEN, session=StandinSession(world))
        await bot.set_webhook(str(receiver.make_url("/hook")), secret_token="s3cret")
        with pytest.raises(TelegramConflictError, match="webhook is active"):
            await bot.get_updates()
        user = world.user()
        await user.send("/start")
        for _ in range(100):
            if len(received) == 2 and not world.bot(TOKEN).pending:
                break
            await asyncio.sleep(0.02)
        (secret1, update1), (secret2, update2) = received
        assert secret1 == secret2 == "s3cret"
        assert update1 == update2 and update1["message"]["text"] == "/start"
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0 and "500" in info.last_error_message
    finally:
        await receiver.close()


async def test_webhook_push_is_concurrent_across_chats_ordered_within_one_and_survives_a_new_url(world):
    """Up to max_connections POSTs at once, one chat's updates one at a time in their order; a
    setWebhook while a POST is failing (another web process starting) loses nothing."""
    gate, received, inside = asyncio.Event(), [], []

    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        if not received:
            received.append(None)
            return web.Response(status=502)  # nothing listens yet
        inside.append(update["update_id"])
        if update["message"]["text"] != "one":
            await gate.wait()
        received.append(update)
        inside.remove(update["update_id"])
        return web.Response(status=200)

    async def until(condition) -> None:
        for _ in range(200):
            if condition():
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out: {received}, {inside}")

    app = web.Application()
    app.router.add_post("/hook", hook)
    receiver = TestServer(app)
    await receiver.start_server()
    try:
        bot = Bot(TOKEN, session=StandinSession(world))
        await bot.set_webhook(str(receiver.make_url("/hook")))
        ali, sara = world.user("Ali"), world.user("Sara")
        await ali.send("one")
        await until(lambda: received == [None])
        await bot.set_webhook(str(receiver.make_url("/hook")))  # the second web process sets it again
        await until(lambda: len(received) == 2)
        await ali.send("two")
        await ali.send("four")
        await sara.send("three")
        await until(lambda: len(inside) == 2)
        assert sorted(inside) == [2, 4]  # Ali's "two" and Sara's at once; Ali's "four" waits for "two"
        gate.set()
        await until(lambda: not world.bot(TOKEN).pending)
        texts = [u["message"]["text"] for u in received if u]
        assert texts[0] == "one" and sorted(texts) == ["four", "one", "three", "two"]
        assert texts.index("two") < texts.index("four")
    finally:
        await receiver.close()


@pytest.fixture
async def http_bot(server):
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server)))
    yield bot
    await bot.session.close()


async def test_http_bot_api_and_control_api(world, server, http_bot):
    bot = http_bot
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server}/_standin/users", json={"first_name": "Mina"}) as resp:
            user = await resp.json()
        doc = {"document": base64.b64encode(b"%PDF").decode(), "filename": "a.pdf", "mime": "application/pdf"}
        async with http.post(f"{server}/_standin/users/{user['id']}/send", json=doc) as resp:
            sent = (await resp.json())["message"]
        file = await bot.get_file(sent["document"]["file_id"])
        assert (await bot.download_file(file.file_path)).read() == b"%PDF"
        menu = inline(("Go", "go"))
        await bot.send_message(user["id"], "Hi <b>Mina</b>", parse_mode="HTML", reply_markup=menu)
        async with http.get(f"{server}/_standin/chats/{user['id']}/messages?from=bot") as resp:
            [message] = await resp.json()
        assert message["plain"] == "Hi Mina" and message["text"] == "Hi <b>Mina</b>"
        async with http.post(f"{server}/bot{TOKEN}/sendMessage", json={"chat_id": 1, "text": "x"}) as resp:
            assert resp.status == 400 and (await resp.json())["description"] == "Bad Request: chat not found"
        async with http.get(f"{server}/_standin/calls?method=getFile") as resp:
            assert len(await resp.json()) == 1
        async with http.get(f"{server}/_standin/stats") as resp:
            assert await resp.json() == {"sent": 1, "429": 0}
        async with http.ws_connect(f"{server}/_standin/events") as ws:
            world.answer_timeout = 0.05
            async with http.post(f"{server}/_standin/users/{user['id']}/send", json={"press": "Go"}) as resp:
                assert (await resp.json()) == {"answer": None}
            await bot.send_message(user["id"], "bye")
            event = await asyncio.wait_for(ws.receive_json(), 2)
            assert event["type"] == "message" and event["message"]["plain"] == "bye"


@pytest.mark.parametrize("messenger", ["telegram", "bale"])
async def test_invoices_and_the_payer(spec, messenger):
    """sendInvoice checked as the spec describes it (and Bale's mode as Bale documents it); a payer's
    pre_checkout_query must be answered (ok=False needs a reason) before successful_payment comes."""
    standin = Standin(spec, platform=messenger)
    standin.add_bot(TOKEN)
    user = standin.user("Payer")
    seen: list[dict] = []
    answers = iter([False, True, True])

    async def on_update(token: str, update: dict) -> None:
        seen.append(update)
        if query := update.get("pre_checkout_query"):
            ok = next(answers)
            params = {"pre_checkout_query_id": query["id"], "ok": ok}
            if not ok:
                with pytest.raises(ApiError, match="error_message"):
                    await standin.call(TOKEN, "answerPreCheckoutQuery", params)
                params["error_message"] = "no"
            await standin.call(TOKEN, "answerPreCheckoutQuery", params)
            with pytest.raises(ApiError, match="query is too old"):  # answered once
                await standin.call(TOKEN, "answerPreCheckoutQuery", params)

    standin.on_update = on_update
    base = {"chat_id": user.id, "title": "Fee", "description": "A fee", "payload": "p:1", "currency": "IRR"}
    prices = [{"label": "Fee", "amount": 1000}]
    with pytest.raises(ApiError, match="TITLE"):
        await standin.call(TOKEN, "sendInvoice", {**base, "title": "x" * 33, "provider_token": "t", "prices": prices})
    with pytest.raises(ApiError, match="PAYMENT_PROVIDER_INVALID"):  # money needs a provider
        await standin.call(TOKEN, "sendInvoice", {**base, "prices": prices})
    with pytest.raises(ApiError, match="AMOUNT"):
        await standin.call(
            TOKEN, "sendInvoice", {**base, "provider_token": "t", "prices": [{"label": "x", "amount": 0}]}
        )
    await standin.call(TOKEN, "sendInvoice", {**base, "provider_token": "t", "prices": prices})
    assert user.last["invoice"]["total_amount"] == 1000
    refused = await user.pay()
    assert refused == {
        "answer": {
            "pre_checkout_query_id": refused["answer"]["pre_checkout_query_id"],
            "ok": False,
            "error_message": "no",
        },
        "charged": False,
    }
    declined = await user.pay(provider="decline")
    assert declined["answer"]["ok"] and not declined["charged"]
    paid = await user.pay()
    assert paid["charged"] and paid["message"]["successful_payment"]["invoice_payload"] == "p:1"
    assert [u for u in seen if "message" in u][-1]["message"]["successful_payment"]["total_amount"] == 1000
    assert not standin.violations, standin.violations
    if messenger != "bale":
        return
    bale = Standin(spec, platform="bale")
    bale.add_bot(TOKEN)
    user = bale.user("Payer")
    with pytest.raises(ApiError, match="IRR"):  # Bale's wallet counts rials
        await bale.call(
            TOKEN,
            "sendInvoice",
            {**base, "chat_id": user.id, "currency": "USD", "provider_token": "t", "prices": prices},
        )
