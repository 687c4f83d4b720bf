"""Every button press is answered at once, so the person's spinner never hangs on slow work.

A handler may still answer its press itself, with a toast or an alert (`query.answer(text,
show_alert=True)`), as long as it does so before its first message or edit, the usual shape
("button expired" checks come first). `AnswerPresses` (a dispatcher middleware) gives each press a
pending answer; `AnswerFirst` (a request middleware of the bot's session) sends the empty answer
right before the handler's first call that shows something (not a getChatMember, say), and drops the handler's own answer when the press was
already answered; a press handled too late for its answer (after a restart) goes on with its work.
A handler that does slow work before any call (a report, say) has its press
answered after ANSWER_WITHIN seconds anyway, and one that never answers has it answered when it
ends. Either way exactly one answerCallbackQuery goes out per press.

aiogram's CallbackAnswerMiddleware answers before (pre=True) or after the handler; with it, a
handler that shows an alert must be rewritten to hand its text over and the answer still waits for
slow work; this keeps `query.answer(...)` as handlers write it.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery

log = logging.getLogger("mizban.delivery")

ANSWER_WITHIN = 0.5  # seconds a handler may work before its press is answered for it


class PendingAnswer:
    def __init__(self, bot, query_id: str):
        self.bot, self.query_id = bot, query_id
        self.answered = False
        self.lock = asyncio.Lock()
        self.own: AnswerCallbackQuery | None = None  # the empty answer made here

    async def answer_now(self) -> None:
        """The empty answer, unless the press was answered already."""
        async with self.lock:
            if self.answered:
                return
            self.answered = True
            self.own = AnswerCallbackQuery(callback_query_id=self.query_id)
            try:
                await self.bot(self.own)
            except Exception as e:  # too late or the messenger is away: the press's work goes on
                log.info("answering press %s failed: %s", self.query_id, e)


PENDING: ContextVar[PendingAnswer | None] = ContextVar("pending_answer", default=None)


class AnswerPresses(BaseMiddleware):
    """`dp.callback_query.outer_middleware(AnswerPresses())`."""

    async def __call__(self, handler, event: CallbackQuery, data: dict[str, Any]) -> Any:  # type: ignore[override]
        pending = PendingAnswer(data["bot"], event.id)
        token = PENDING.set(pending)
        timer = asyncio.get_running_loop().call_later(
            ANSWER_WITHIN, lambda: asyncio.ensure_future(pending.answer_now())
        )
        try:
            return await handler(event, data)
        finally:
            timer.cancel()
            PENDING.reset(token)
            await pending.answer_now()


class AnswerFirst(BaseRequestMiddleware):
    async def __call__(self, make_request, bot, method):
        pending = PENDING.get()
        if pending is None or method is pending.own:
            return await make_request(bot, method)
        if not isinstance(method, AnswerCallbackQuery):
            if not pending.answered and not method.__api_method__.startswith("get"):
                await pending.answer_now()
            return await make_request(bot, method)
        if method.callback_query_id != pending.query_id:
            return await make_request(bot, method)
        async with pending.lock:
            if pending.answered:
                return True  # answered already (before another call, or after ANSWER_WITHIN)
            pending.answered = True
            try:
                return await make_request(bot, method)
            except TelegramBadRequest as e:
                if "query is too old" not in e.message and "query ID is invalid" not in e.message:
                    raise
                # a press handled late (after a restart, say): its toast is gone, its work is not
                log.info("press %s answered too late: %s", pending.query_id, e.message)
                return True
