"""Last router: buttons nobody recognises (old, forged or from another version) and stray input."""

from aiogram.types import CallbackQuery, Message

from bot.filters import PrivateChat
from bot.l10n import L10n
from bot.routes import Routes

router = Routes("fallback")


@router.callback_query()
async def unknown_button(query: CallbackQuery, l10n: L10n):
    await query.answer(l10n.button("button-expired"), show_alert=True)


@router.message(PrivateChat())
async def unknown_message(message: Message, l10n: L10n):
    await message.answer(l10n("unknown-input"))


@router.edited_message(PrivateChat())
async def edited_message(message: Message, l10n: L10n):
    """An edit outside a form: the desk reads new messages only."""
    await message.answer(l10n("edit-not-read"))
