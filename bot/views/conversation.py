"""The conversation with staff as the citizen sees it: which request they are writing about, and
the buttons to leave it or switch to another request."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import ThreadCb
from bot.l10n import L10n
from bot.views.keyboards import button, markup
from bot.views.render import pick
from models import Request


def thread_keyboard(l10n: L10n, request: Request, *, others: bool) -> InlineKeyboardMarkup:
    return markup(
        [
            button(l10n.button("thread-leave"), ThreadCb(request=request.id, action="leave")),
            *([button(l10n.button("thread-switch"), ThreadCb(request=request.id, action="switch"))] if others else []),
        ]
    )


def writing_about(l10n: L10n, request: Request, key: str = "thread-writing") -> str:
    """ "You are writing about request X (service)": shown when the conversation starts and after each message."""
    return l10n(key, code=l10n.code(request.tracking_code), service=pick(request.card["title"], l10n.lang))


def switch_keyboard(l10n: L10n, current: Request, requests: list[Request]) -> InlineKeyboardMarkup:
    return markup(
        *(
            [
                button(
                    l10n.button(
                        "thread-switch-to", code=l10n.code(r.tracking_code), service=pick(r.card["title"], l10n.lang)
                    ),
                    ThreadCb(request=r.id, action="write"),
                )
            ]
            for r in requests
        ),
        [button(l10n.button("thread-leave"), ThreadCb(request=current.id, action="leave"))],
    )


def close_keyboard(l10n: L10n, request_id: int) -> InlineKeyboardMarkup:
    """Under a citizen's message in the staff group: end the conversation."""
    return markup([button(l10n.button("thread-close"), ThreadCb(request=request_id, action="close"))])
