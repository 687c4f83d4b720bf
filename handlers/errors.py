"""One answer for every invalid input: a desk.validators.ValidationError raised by a handler is
explained to the person in their language (`error-<code>` with the error's parameters), as a
reply in a group, as a message in a private chat."""

from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.l10n import L10n
from bot.routes import Routes
from desk.validators import ValidationError

router = Routes("errors")


@router.errors(ExceptionTypeFilter(ValidationError))
async def invalid_input(event: ErrorEvent, l10n: L10n):
    update = event.update
    message = update.message or (update.callback_query.message if update.callback_query else None)
    if message is None:
        return
    text = l10n.error(event.exception)
    if message.chat.type == "private":
        await message.answer(text)
    else:
        await message.reply(text)
