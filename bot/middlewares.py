"""Outer middleware: who is acting, in which language, on which messenger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.l10n import Locales
from models import Citizen
from models.prepared import PreparedSelect

# Every update looks its sender up: no cache (a profile edit, /lang or the outbox sender marking a
# blocked chat, in this process or another, must count at once), just a query built only once.
CITIZEN = PreparedSelect(Citizen, platform="", user_id=0)


class CitizenMiddleware(BaseMiddleware):
    """Loads (or creates) the acting person's Citizen row and their L10n, and injects
    `citizen`, `l10n` and `platform` into every handler."""

    def __init__(self, locales: Locales):
        self.locales = locales

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot = data["bot"]
        platform = getattr(bot, "platform", "telegram")
        data["platform"] = platform
        user: User | None = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is None or user.is_bot:
            data["citizen"] = None
            data["l10n"] = self.locales.get(None)
            return await handler(event, data)
        citizen = await CITIZEN.first(platform, user.id)
        private_chat = chat.id if chat is not None and chat.type == "private" else None
        if citizen is None:
            citizen, _ = await Citizen.get_or_create(
                platform=platform,
                user_id=user.id,
                defaults={
                    "first_name": user.first_name[:128],
                    "username": user.username,
                    "chat_id": private_chat,
                    "messenger_language": user.language_code,
                },
            )
        elif private_chat and (
            citizen.chat_id != private_chat
            or citizen.blocked_at is not None
            or citizen.messenger_language != user.language_code
        ):
            citizen.chat_id, citizen.blocked_at = private_chat, None
            citizen.messenger_language = user.language_code
            await citizen.save(update_fields=["chat_id", "blocked_at", "messenger_language", "updated_at"])
        data["citizen"] = citizen
        data["l10n"] = self.locales.pick(citizen.language, user.language_code)
        return await handler(event, data)
