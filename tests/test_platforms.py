"""The messenger of a bot is stated, and a Bale bot sends only what Bale documents (bot/platforms.py),
checked against the stand-in's Bale mode (standin/bale.py)."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import CopyMessage, SendMessage
from aiogram.types import BotCommand, ReplyParameters
from pydantic import ValidationError

from bot.__main__ import main
from bot.config import BotAccount, Settings
from bot.platforms import DeskBot, deep_link, neutralise_bale_markdown
from standin.core import Standin
from standin.errors import ApiError
from standin.session import StandinSession
from tests.factories import SPEC

BALE_TOKEN = "654321:BALE-token"


def test_a_bot_without_platform_is_refused_unless_its_url_is_telegrams_own():
    assert BotAccount(token="1:a").platform == "telegram"
    assert BotAccount(token="1:a", api_url="https://api.telegram.org/").platform == "telegram"
    assert BotAccount(token="1:a", api_url="https://tapi.bale.ai", platform="Bale").platform == "bale"
    for url in ("https://tapi.bale.ai", "https://proxy.example.ir/telegram", "https://api.telegram.org.evil.example"):
        with pytest.raises(ValidationError, match='add platform = "telegram" or platform = "bale"'):
            BotAccount(token="1:a", api_url=url)
    with pytest.raises(ValidationError, match="not one of telegram, bale"):
        BotAccount(token="1:a", platform="eitaa")
    with pytest.raises(ValidationError, match="primary bot"):
        Settings(token="1:a", api_url="https://tapi.bale.ai")
    settings = Settings(token="1:a", api_url="https://tapi.bale.ai", platform="bale")
    assert [(a.token, a.platform) for a in settings.accounts()] == [("1:a", "bale")]


def test_start_refuses_a_bots_entry_without_platform(monkeypatch, capsys):
    import bot.__main__ as entry

    entry_bots = [{"token": "1:a", "api_url": "https://bale-proxy.example.ir"}]  # a [[bots]] entry of bot.toml
    monkeypatch.setattr(entry, "load_settings", lambda: Settings(bots=entry_bots))
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "bots.0" in err and "does not say which messenger" in err and "Traceback" not in err


def test_deep_links_and_markdown_neutralised():
    assert deep_link("telegram", "mizban_bot", "s_permit") == "https://t.me/mizban_bot?start=s_permit"
    assert deep_link("bale", "mizban_bot", "s_permit") == "https://ble.ir/mizban_bot?start=s_permit"
    assert (
        neutralise_bale_markdown("snake_case https://ble.ir/a_b?start=s_x") == "snake_case https://ble.ir/a_b?start=s_x"
    )
    assert neutralise_bale_markdown("*a* [b](c)") == "\u200c*a*\u200c [b]\u200c(c)"


@pytest.fixture
async def bale():
    standin = Standin(SPEC, strict=True)
    standin.add_bot(BALE_TOKEN, platform="bale")
    bot = DeskBot(BALE_TOKEN, platform="bale", session=StandinSession(standin))
    yield standin, bot
    await bot.session.close()


async def test_a_bale_bot_sends_only_what_bale_documents(bale):
    standin, bot = bale
    user = standin.user("Bahar", bot=BALE_TOKEN)
    group = standin.group("Office", bot=BALE_TOKEN, members={user.id: "member"})
    assert group.chat["type"] == "group"  # no supergroups on Bale
    await user.send("hello")
    first = user.history[1]
    sent = await bot.send_message(
        user.id,
        "<b>Hi</b> &amp; *you*",
        reply_parameters=ReplyParameters(message_id=first.message_id, allow_sending_without_reply=True),
        message_thread_id=7,
        disable_notification=True,
    )
    call = standin.calls[-1]
    assert call.params == {"chat_id": user.id, "text": "Hi & \u200c*you*\u200c", "reply_to_message_id": 1}
    assert sent.reply_to_message.message_id == 1
    assert user.last["plain"] == "Hi & \u200c*you*\u200c" and not user.last.get("entities")
    # the command menu is not documented on Bale: not sent at all
    assert await bot.set_my_commands([BotCommand(command="start", description="start")]) is True
    assert [c.method for c in standin.calls] == ["sendMessage"]
    # a copy with a caption: the words first (with the reply), then the copy
    result = await bot(CopyMessage(chat_id=user.id, from_chat_id=user.id, message_id=1, caption="<i>words</i>"))
    methods = [(c.method, c.params) for c in standin.calls[-2:]]
    assert methods == [
        ("sendMessage", {"chat_id": user.id, "text": "words"}),
        ("copyMessage", {"chat_id": user.id, "from_chat_id": user.id, "message_id": 1}),
    ]
    assert result.message_id == user.messages[-2]["message_id"]
    assert not standin.violations


async def test_the_bale_stand_in_refuses_what_bale_does_not_document(bale):
    standin, bot = bale
    user = standin.user("Bahar", bot=BALE_TOKEN)
    with pytest.raises(ApiError, match="does not document the parameter 'parse_mode'"):
        await standin.call(BALE_TOKEN, "sendMessage", {"chat_id": user.id, "text": "x", "parse_mode": "HTML"})
    with pytest.raises(ApiError, match="does not document the method 'createForumTopic'"):
        await standin.call(BALE_TOKEN, "createForumTopic", {"chat_id": user.id, "name": "x"})
    with pytest.raises(ApiError, match="secret_token"):
        await standin.call(BALE_TOKEN, "setWebhook", {"url": "https://x.example/h", "secret_token": "s"})
    with pytest.raises(ValueError, match="no forum"):
        standin.group("Forum", bot=BALE_TOKEN, forum=True)
    assert len(standin.violations) == 3
    standin.violations.clear()
    # Bale's own error texts
    user.blocked = True
    with pytest.raises(ApiError) as blocked:
        await standin.call(BALE_TOKEN, "sendMessage", {"chat_id": user.id, "text": "x"})
    assert (blocked.value.error_code, blocked.value.description) == (403, "Forbidden: permission_denied")
    with pytest.raises(TelegramBadRequest, match=r"chat not found \(no such group or user\)"):
        await bot.send_message(42, "x")  # told in Telegram's words, which the outbox knows
    # a member who left is "not found" on Bale
    group = standin.group("Office", bot=BALE_TOKEN, members={user.id: "left"})
    with pytest.raises(TelegramBadRequest, match="no such group or user"):
        await bot.get_chat_member(group.id, user.id)


async def test_bales_rate_limit_without_retry_after_is_waited_for(bale):
    standin, bot = bale
    user = standin.user("Bahar", bot=BALE_TOKEN)

    async def limited(*args, **kwargs):
        raise ApiError(429, "bot limit exceed")

    standin.call = limited
    with pytest.raises(TelegramRetryAfter) as e:
        await bot(SendMessage(chat_id=user.id, text="x"))
    assert e.value.retry_after > 0
