"""Every difference between the messengers lives here.

Telegram and Bale speak nearly the same Bot API; Bale is reached through its own API base
(https://tapi.bale.ai) and documents a smaller part of it. What Bale documents, and where each fact
comes from, is tabulated in docs/BALE.md; this module holds Mizban's side of that table:

- `Messenger`: what the rest of the code asks of a messenger instead of comparing platform names
  (webhook authentication and options, deep links, download limit);
- `BaleRequests`: a request middleware of Bale bots that sends only what Bale documents, with the
  fallbacks of docs/BALE.md (plain text with Bale's own markdown neutralised, `reply_to_message_id`
  instead of `reply_parameters`, no topics, no command menu, a copy's caption as a message of its own,
  rate limits without `retry_after`, Bale's error texts told in Telegram's words)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

from aiogram import Bot
from aiogram.client.default import Default, DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import CopyMessage, SendMessage
from aiogram.types import MessageId

from bot.config import BotAccount
from bot.delivery.callback_answers import AnswerFirst
from bot.delivery.resilience import EditsOfOldMessages, LongTexts, RepliesToOutbox, RetryTransient
from bot.delivery.session import KeepResponseModels
from bot.views.render import plain

log = logging.getLogger(__name__)

NOT_MODIFIED = "message is not modified"
ZWNJ = "\u200c"


@dataclass(frozen=True)
class Messenger:
    """What a messenger's Bot API offers where the desk's code asks (sources: docs/BALE.md); the rest of
    the differences are handled by a Bale bot's request middleware below."""

    name: str
    webhook_secret_header: bool  # setWebhook takes secret_token and deliveries carry X-Telegram-Bot-Api-Secret-Token
    webhook_options: bool  # setWebhook takes allowed_updates
    deep_link_base: str  # https://<host>/<bot username>?start=<payload>
    download_limit_mb: int  # files the bot downloads with getFile
    # invoices: amounts are in the currency's smallest unit; IRR has 2 decimal digits in ISO 4217
    # (Telegram's unit), Bale counts whole rials (docs/BALE.md, Payments)
    rial_digits: int


TELEGRAM = Messenger(
    name="telegram",
    webhook_secret_header=True,
    webhook_options=True,
    deep_link_base="https://t.me",
    download_limit_mb=20,
    rial_digits=2,
)
BALE = Messenger(
    name="bale",
    webhook_secret_header=False,
    webhook_options=False,
    deep_link_base="https://ble.ir",
    download_limit_mb=20,
    rial_digits=0,
)
MESSENGERS = {m.name: m for m in (TELEGRAM, BALE)}


def messenger(platform: str) -> Messenger:
    return MESSENGERS[platform]


def deep_link(platform: str, username: str, payload: str) -> str:
    """A link that opens the bot with `/start payload` (payload: Telegram's [A-Za-z0-9_-]{1,64})."""
    return f"{messenger(platform).deep_link_base}/{username}?start={quote(payload, safe='')}"


INVOICE_CURRENCY = "IRR"  # card fees are in rials


def invoice_amount(platform: str, rials: int) -> int:
    """A fee in rials as an invoice's price on this messenger (its currency's smallest unit)."""
    return rials * 10 ** messenger(platform).rial_digits


def set_webhook_params(platform: str, secret: str, allowed_updates: list[str]) -> dict:
    """setWebhook's parameters besides the URL: Bale documents the URL only (the secret is in its path)."""
    m = messenger(platform)
    params: dict = {}
    if m.webhook_secret_header:
        params["secret_token"] = secret
    if m.webhook_options:
        params["allowed_updates"] = allowed_updates
    return params


# -- formatting ---------------------------------------------------------------------------------------
_BALE_OPENER = re.compile(r"(?<!\S)([*_])")
_BALE_CLOSER = re.compile(r"([*_])(?!\S)")
_BALE_LINK = re.compile(r"\](?=\()")


def neutralise_bale_markdown(text: str) -> str:
    """Bale renders markdown in every text (bold `*x*` and italic `_x_` with a space, or the text's
    edge, before the opening and after the closing marker; links `[text](url)`) and documents no
    escape. Mizban's own texts use none of these, so each one in an outgoing text came from a person
    or a card. A zero-width non-joiner (U+200C, common in Persian text) goes between a space and a
    marker after it (no opening marker is left) and between a marker and a space after it (no closing
    one), and between `]` and `(` (no link). What a person typed stays as it was on screen;
    `snake_case` and addresses, where no marker touches a space, are not changed at all."""
    text = _BALE_OPENER.sub(ZWNJ + r"\1", text)
    text = _BALE_CLOSER.sub(r"\1" + ZWNJ, text)
    return _BALE_LINK.sub("]" + ZWNJ, text)


def bale_text(text: str, parse_mode) -> str:
    """An outgoing text or caption as Bale gets it: the HTML of Mizban's views made plain, Bale's own
    markdown neutralised."""
    if isinstance(parse_mode, Default) or str(parse_mode).lower() == "html":
        text = plain(text)
    return neutralise_bale_markdown(text)


# -- what Bale documents --------------------------------------------------------------------------------
COMMON = {"chat_id", "reply_markup"}
SENT = COMMON | {"reply_to_message_id"}
# method -> the parameters Bale documents (docs/BALE.md cites the page of each)
BALE_PARAMS: dict[str, set[str]] = {
    "getMe": set(),
    "getUpdates": {"offset", "limit", "timeout"},
    "setWebhook": {"url"},
    "deleteWebhook": set(),
    "getWebhookInfo": set(),
    "sendMessage": SENT | {"text"},
    "sendDocument": SENT | {"document", "caption"},
    "sendPhoto": SENT | {"photo", "caption"},
    "sendMediaGroup": {"chat_id", "media", "reply_to_message_id"},
    "sendLocation": SENT | {"latitude", "longitude", "horizontal_accuracy"},
    "sendContact": SENT | {"phone_number", "first_name", "last_name"},
    "sendChatAction": {"chat_id", "action"},
    "copyMessage": {"chat_id", "from_chat_id", "message_id"},
    "forwardMessage": {"chat_id", "from_chat_id", "message_id"},
    "editMessageText": COMMON | {"message_id", "text"},
    "editMessageCaption": COMMON | {"message_id", "caption"},
    "editMessageReplyMarkup": COMMON | {"message_id"},
    "deleteMessage": {"chat_id", "message_id"},
    "answerCallbackQuery": {"callback_query_id", "text", "show_alert"},
    "getFile": {"file_id"},
    "getChat": {"chat_id"},
    "getChatMember": {"chat_id", "user_id"},
    "getChatAdministrators": {"chat_id"},
    "sendInvoice": SENT | {"title", "description", "payload", "provider_token", "prices", "photo_url", "currency"},
    "answerPreCheckoutQuery": {"pre_checkout_query_id", "ok", "error_message"},
}
# undocumented on Bale and optional for the desk: not sent at all
BALE_SKIPPED = {"setMyCommands", "deleteMyCommands", "setChatMenuButton"}
BALE_MEDIA_FIELDS = {"type", "media", "caption"}
BALE_RATE_LIMITED = "bot limit exceed"
BALE_NOT_FOUND = "no such group or user"  # Bale's "chat not found" (and "user not found")
BALE_RETRY_AFTER = 5  # seconds, when Bale's rate-limit answer names none


class BaleRequests(BaseRequestMiddleware):
    """A Bale bot's requests: only what Bale documents, with Mizban's fallbacks (docs/BALE.md)."""

    async def __call__(self, make_request, bot, method):
        name = method.__api_method__
        if name in BALE_SKIPPED:
            return True
        if isinstance(method, CopyMessage) and method.caption:
            return await self._copy_with_text(make_request, bot, method)
        adapt_for_bale(method)
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter:
            raise
        except TelegramAPIError as e:  # Bale's texts told in Telegram's words, which the rest of the desk knows
            if BALE_RATE_LIMITED in e.message:
                raise TelegramRetryAfter(method=method, message=e.message, retry_after=BALE_RETRY_AFTER) from e
            if BALE_NOT_FOUND in e.message:
                raise TelegramBadRequest(method=method, message=f"Bad Request: chat not found ({e.message})") from e
            raise

    async def _copy_with_text(self, make_request, bot, method: CopyMessage):
        """Bale documents copyMessage with chat_id, from_chat_id and message_id only: the caption (with
        its reply and buttons) goes first as a message of its own, the copy right after it. The text's
        message id is returned: that message carries the words and the reply, as the copy would have."""
        text = SendMessage(
            chat_id=method.chat_id,
            text=method.caption or "",
            parse_mode=method.parse_mode,
            reply_parameters=method.reply_parameters,
            reply_to_message_id=method.reply_to_message_id,
            reply_markup=method.reply_markup,
        )
        adapt_for_bale(text)
        first = await make_request(bot, text)
        copy = CopyMessage(chat_id=method.chat_id, from_chat_id=method.from_chat_id, message_id=method.message_id)
        adapt_for_bale(copy)
        await make_request(bot, copy)
        return MessageId(message_id=first.message_id)


def adapt_for_bale(method) -> None:
    """Change a request in place into what Bale documents."""
    name = method.__api_method__
    if hasattr(method, "parse_mode"):
        for attr in ("text", "caption"):
            value = getattr(method, attr, None)
            if isinstance(value, str):
                setattr(method, attr, bale_text(value, method.parse_mode))
    reply = getattr(method, "reply_parameters", None)
    if reply is not None and getattr(method, "reply_to_message_id", None) is None:
        method.reply_to_message_id = reply.message_id
    for item in getattr(method, "media", None) or []:
        if isinstance(item, str) or not hasattr(item, "caption"):
            continue
        if isinstance(item.caption, str):
            item.caption = bale_text(item.caption, item.parse_mode)
        for key in type(item).model_fields:
            if key not in BALE_MEDIA_FIELDS and getattr(item, key, None) is not None:
                setattr(item, key, None)
    allowed = BALE_PARAMS.get(name)
    if allowed is None:
        log.warning("Bale does not document %s; sent as it is", name)
        return
    for key in type(method).model_fields:
        if key not in allowed and getattr(method, key, None) is not None:
            setattr(method, key, None)


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

    def __init__(self, token: str, *, platform: str, session: BaseSession | None = None, payment_token: str = ""):
        super().__init__(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        self.platform = platform
        self.payment_token = payment_token  # fees paid in the chat (empty: the card's instructions instead)
        # outermost first: each may make calls of its own, which pass through all of them again
        self.session.middleware(KeepResponseModels())
        self.session.middleware(AnswerFirst())
        self.session.middleware(EditsOfOldMessages())
        self.session.middleware(LongTexts())
        self.session.middleware(RepliesToOutbox())
        self.session.middleware(RetryTransient())
        self.session.middleware(UnchangedEditIsDone())
        if platform == BALE.name:
            self.session.middleware(BaleRequests())


def make_bot(account: BotAccount, session: BaseSession | None = None) -> DeskBot:
    if session is None:
        from bot.delivery.session import DeskSession

        session = DeskSession(api=TelegramAPIServer.from_base(account.api_url.rstrip("/")))
    return DeskBot(account.token, platform=account.platform, session=session, payment_token=account.payment_token)


def has_command_menus(bot) -> bool:
    """setMyCommands and its scopes: not on Bale, where they are undocumented (BALE_SKIPPED; users
    set commands through Bale's BotFather), so the desk does not even queue the calls there."""
    return not (getattr(bot, "platform", "telegram") == "bale" and "setMyCommands" in BALE_SKIPPED)
