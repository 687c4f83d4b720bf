"""What tells a citizen where they are: the paused form on the menu, the confirmation before a form
with answers is discarded, Back and Cancel of the short steps."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import FormCb, StepCb
from bot.l10n import L10n
from bot.views.keyboards import button, markup


def paused_line(l10n: L10n, service: str, count: int) -> str:
    """The menu's line about an unfinished form (Continue and Discard are its buttons)."""
    return l10n("menu-paused-form", service=service, count=count)


def discard_confirm(l10n: L10n, service: str, count: int) -> tuple[str, InlineKeyboardMarkup]:
    return l10n("form-discard-confirm", service=service, count=count), markup(
        [button(l10n.button("form-discard-yes"), FormCb(action="discard"))],
        [button(l10n.button("form-discard-no"), FormCb(action="keep"))],
    )


def step_nav(l10n: L10n, *, back: bool = True) -> InlineKeyboardMarkup:
    """Back (to the previous question or screen) and Cancel under a short step's question."""
    row = [button(l10n.button("form-back"), StepCb(action="back"))] if back else []
    row.append(button(l10n.button("form-cancel"), StepCb(action="cancel")))
    return markup(row)
