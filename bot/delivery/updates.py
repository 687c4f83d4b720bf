"""Which updates the desk asks the Bot API for (`allowed_updates` of getUpdates and setWebhook).

The types the dispatcher's handlers use, plus those the messenger's lifecycle needs whatever the
handlers say: the bot removed from or demoted in a group, a citizen blocking it (my_chat_member),
staff joining and leaving groups (chat_member, which Telegram sends only when asked), edited
messages. Without a list Telegram sends its default set, which leaves chat_member out; with an
outdated list it silently drops the rest."""

from __future__ import annotations

from aiogram import Dispatcher

LIFECYCLE = ("message", "edited_message", "callback_query", "my_chat_member", "chat_member")


def allowed_updates(dp: Dispatcher) -> list[str]:
    return sorted(set(dp.resolve_used_update_types()) | set(LIFECYCLE))
