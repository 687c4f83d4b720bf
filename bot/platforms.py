"""Every difference between the messengers lives here.

Telegram and Bale speak the same Bot API; Bale is reached through its own API base
(https://tapi.bale.ai) and does not render HTML formatting, so for Bale the formatting is
removed from outgoing texts (the words stay as typed)."""

from __future__ import annotations

import html
import re

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest

from bot.config import BotAccount

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
NOT_MODIFIED = "message is not modified"


def html_to_plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


class PlainTextForBale(BaseRequestMiddleware):
    """Bale: send texts without HTML markup."""

    async def __call__(self, make_request, bot, method):
        if getattr(method, "parse_mode", None) is not None:
            for attr in ("text", "caption"):
                value = getattr(method, attr, None)
                if isinstance(value, str):
                    setattr(method, attr, html_to_plain(value))
            method.parse_mode = None
        return await make_request(bot, method)


class UnchangedEditIsDone(BaseRequestMiddleware):
    """An edit that would change nothing (a second tap on the same button, a card refreshed with no
    news) is refused by the Bot API as "message is not modified": for the desk that edit is done."""

    async def __call__(self, make_request, bot, method):
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as e:
            if NOT_MODIFIED in e.message and method.__api_method__.startswith("editMessage"):
                return True
            raise


class DeskBot(Bot):
    """An aiogram Bot that knows which messenger it talks to."""

    def __init__(self, token: str, *, platform: str, session: BaseSession | None = None):
        super().__init__(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        self.platform = platform
        self.session.middleware(UnchangedEditIsDone())
        if platform == "bale":
            self.session.middleware(PlainTextForBale())


def make_bot(account: BotAccount, session: BaseSession | None = None) -> DeskBot:
    if session is None:
        from bot.delivery.session import DeskSession

        session = DeskSession(api=TelegramAPIServer.from_base(account.api_url.rstrip("/")))
    return DeskBot(account.token, platform=account.platform, session=session)
