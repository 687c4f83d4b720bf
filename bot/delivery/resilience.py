"""Bot API calls that survive the messenger's bad moments (request middlewares of every bot's session,
installed by bot/platforms.py).

- **Retries** (`RetryTransient`): a 429 is waited out (its `retry_after`, up to MAX_RETRY_AFTER) and
  a 5xx or a network error is retried with exponential backoff, RETRY_ATTEMPTS calls in all. The
  policy is tenacity's; a call the Bot API refused for what it is (400, 403) is not retried. A
  network error may hide a call that did reach the server: the message may then arrive twice,
  which is better than not at all. getUpdates has its own retry loop (aiogram's polling), and the
  outbox sender its own policy (bot/delivery/outbox_sender.py sets SENDER_CALL), so both pass through.
- **The outbox as the last resort** (`RepliesToOutbox`): a reply still not sent after the retries
  (a sendMessage-type call to a chat; an edit is re-sent as a new message) is queued in the outbox
  (kind `reply`, rendered by bot/views/notifications.py) and goes out when the messenger is back,
  in its chat's order. The handler goes on as if it had been sent. An upload of bytes cannot wait
  in a database row and fails as before.
- **Edits of old messages** (`EditsOfOldMessages`): Telegram refuses to edit a message older than
  48 hours ("message can't be edited"); the edit's text (or caption) and buttons are sent as a new
  message instead, and removing the buttons of such a message is skipped.
- **Long texts** (`LongTexts`): a text over the messenger's limit (4096 UTF-16 code units, 1024 for
  a caption) is sent in several messages cut at paragraph or line boundaries
  (bot.views.render.split_text), its buttons under the last one. The outbox sender cuts them itself
  (`split_long`), so that each part takes its own place in the rate limits.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import UTC, datetime

from aiogram import methods
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import Chat, InlineKeyboardMarkup, InputFile, Message, MessageId
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from bot.views.render import MAX_CAPTION, MAX_TEXT, split_text, utf16_len
from desk import outbox

log = logging.getLogger("mizban.delivery")

RETRY_ATTEMPTS = 5
MAX_RETRY_AFTER = 30  # seconds; a longer 429 wait sends the reply through the outbox instead
BACKOFF = wait_exponential_jitter(initial=0.2, max=5.0)
SENDER_CALL: ContextVar[bool] = ContextVar("sender_call", default=False)  # the outbox sender's own calls
CANT_EDIT = ("message can't be edited", "message to edit not found")
REPLY_KIND = outbox.OutboxKind.REPLY
# the replies that can wait in the outbox: a message to a chat, made again from its parameters
QUEUEABLE = (
    methods.SendMessage,
    methods.SendDocument,
    methods.SendPhoto,
    methods.SendLocation,
    methods.CopyMessage,
    methods.ForwardMessage,
)


def transient(e: BaseException) -> bool:
    """Whether trying the same call again may succeed."""
    if isinstance(e, TelegramRetryAfter):
        return e.retry_after <= MAX_RETRY_AFTER
    return isinstance(e, TelegramServerError | TelegramNetworkError | ClientDecodeError | TimeoutError)


def _wait(state) -> float:
    e = state.outcome.exception()
    if isinstance(e, TelegramRetryAfter):
        return float(e.retry_after)
    return BACKOFF(state)


def _passes_through(method) -> bool:
    return isinstance(method, methods.GetUpdates) or SENDER_CALL.get()


class RetryTransient(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):
        if _passes_through(method):
            return await make_request(bot, method)
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(RETRY_ATTEMPTS), wait=_wait, retry=retry_if_exception(transient), reraise=True
        ):
            with attempt:
                return await make_request(bot, method)


def _uploads(method) -> bool:
    return any(isinstance(getattr(method, name, None), InputFile) for name in ("document", "photo"))


def as_reply(method):
    """The call that delivers `method`'s message later (an edit becomes a new message), or None."""
    if isinstance(method, methods.EditMessageText) and method.chat_id is not None:
        markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
        return methods.SendMessage(
            chat_id=method.chat_id, text=method.text, parse_mode=method.parse_mode, reply_markup=markup
        )
    if isinstance(method, QUEUEABLE) and not _uploads(method):
        return method
    return None


def placeholder(chat_id) -> Message:
    """What a handler gets back for a reply that waits in the outbox."""
    chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
    return Message(message_id=0, date=datetime.now(UTC), chat=Chat(id=chat_id, type=chat_type))


async def queue_reply(bot, method) -> bool:
    reply = as_reply(method)
    if reply is None or not isinstance(reply.chat_id, int):
        return False
    params = reply.model_dump(mode="json", exclude_none=True, exclude_defaults=True, warnings=False)
    await outbox.enqueue(
        platform=getattr(bot, "platform", "telegram"),
        chat_id=reply.chat_id,
        is_group=reply.chat_id < 0,
        kind=REPLY_KIND,
        data={"method": reply.__api_method__, "params": params},
    )
    return True


class RepliesToOutbox(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):
        try:
            return await make_request(bot, method)
        except Exception as e:
            if _passes_through(method) or not (transient(e) or isinstance(e, TelegramRetryAfter)):
                raise
            try:
                queued = await queue_reply(bot, method)
            except Exception:  # the database is away too: the original failure stands
                log.exception("could not queue a failed %s", method.__api_method__)
                raise e from None
            if not queued:
                raise
            log.warning("%s failed (%s): queued in the outbox", method.__api_method__, e)
            if isinstance(method, methods.CopyMessage):
                return MessageId(message_id=0)
            return placeholder(method.chat_id)


class EditsOfOldMessages(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as e:
            if not isinstance(
                method, methods.EditMessageText | methods.EditMessageCaption | methods.EditMessageReplyMarkup
            ):
                raise
            if not any(reason in e.message for reason in CANT_EDIT) or method.chat_id is None:
                raise
        markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
        if isinstance(method, methods.EditMessageText):
            return await bot(
                methods.SendMessage(
                    chat_id=method.chat_id, text=method.text, parse_mode=method.parse_mode, reply_markup=markup
                )
            )
        if isinstance(method, methods.EditMessageReplyMarkup) and not (markup and markup.inline_keyboard):
            return True  # the buttons of an old message stay; pressing them again is answered as expired
        caption = (
            {"caption": method.caption, "parse_mode": method.parse_mode}
            if isinstance(method, methods.EditMessageCaption)
            else {}
        )
        await bot(
            methods.CopyMessage(
                chat_id=method.chat_id,
                from_chat_id=method.chat_id,
                message_id=method.message_id,
                reply_markup=markup,
                **caption,
            )
        )
        return True


def split_long(method) -> tuple[list, int]:
    """The calls a method over the messenger's length limits becomes (its text or caption cut at
    paragraph or line boundaries, buttons under the last part), and which one's result stands for it;
    ([method], 0) when it fits. An edit edits with the first part and sends the rest; a file carries
    the first part of its caption and the rest follows as messages."""
    if isinstance(method, methods.SendMessage) and utf16_len(method.text) > MAX_TEXT:
        *before, last = split_text(method.text)
        parts = [method.model_copy(update={"text": part, "reply_markup": None}) for part in before]
        return [*parts, method.model_copy(update={"text": last})], len(parts)
    if (
        isinstance(method, methods.EditMessageText)
        and isinstance(method.text, str)
        and utf16_len(method.text) > MAX_TEXT
        and method.chat_id is not None
    ):
        first, *rest = split_text(method.text)
        chat_id = method.chat_id
        sends = [
            methods.SendMessage(
                chat_id=chat_id,
                text=part,
                parse_mode=method.parse_mode,
                reply_markup=method.reply_markup if i == len(rest) - 1 else None,
            )
            for i, part in enumerate(rest)
        ]
        return [method.model_copy(update={"text": first, "reply_markup": None}), *sends], 0
    caption = getattr(method, "caption", None)
    if (
        isinstance(method, methods.SendDocument | methods.SendPhoto)
        and isinstance(caption, str)
        and utf16_len(caption) > MAX_CAPTION
    ):
        head, *tail = split_text(caption, MAX_CAPTION)
        sends = [methods.SendMessage(chat_id=method.chat_id, text=part, parse_mode=method.parse_mode) for part in tail]
        return [method.model_copy(update={"caption": head}), *sends], 0
    return [method], 0


class LongTexts(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):
        calls, main = split_long(method)
        if len(calls) == 1:
            return await make_request(bot, method)
        result = None
        for i, call in enumerate(calls):
            if i == main:
                result = await make_request(bot, call)
            else:
                await bot(call)  # through every middleware again, as a call of its own
        return result
