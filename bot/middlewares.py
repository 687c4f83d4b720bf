"""Middlewares: who is acting, in which language, on which messenger (every update); for a staff
card's button, the request and what the actor may do with it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot import flows
from bot.access import actor_of, authorise
from bot.l10n import Locales
from bot.states import ConversationStates
from desk import conversations, reachability, staff
from models import Citizen, Request
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
            if private_chat:  # an admin told of a group before they ever wrote: those notices go out now
                await reachability.citizen_returned(platform, private_chat)
        elif (
            private_chat
            and getattr(event, "my_chat_member", None) is None  # blocking and unblocking: handlers/group_health.py
            and (
                citizen.chat_id != private_chat
                or citizen.blocked_at is not None
                or citizen.messenger_language != user.language_code
            )
        ):
            returned = citizen.blocked_at is not None
            citizen.chat_id, citizen.blocked_at = private_chat, None
            citizen.messenger_language = user.language_code
            await citizen.save(update_fields=["chat_id", "blocked_at", "messenger_language", "updated_at"])
            if returned:  # they had blocked the bot: what waited for them goes out now
                await reachability.citizen_returned(platform, private_chat)
        data["citizen"] = citizen
        data["l10n"] = self.locales.pick(citizen.language, user.language_code)
        return await handler(event, data)


class StaffCardMiddleware(BaseMiddleware):
    """For a button on a request's card (StaffCb, after its handler's filter matched): loads the
    request and the actor's access once, injects `request`, `actor` and `access`, and refuses
    whoever may not press it (desk/staff.ACTIONS), whatever the button says."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, CallbackQuery)
        pressed, l10n = data["callback_data"], data["l10n"]
        request = await Request.get_or_none(id=pressed.request)
        actor = actor_of(event.from_user, data["platform"])
        access = (
            await authorise(data["services"], data["bot"], actor, request.unit_code)
            if request is not None
            else staff.Access(staff.Level.NONE)
        )
        if request is None or not access:  # a citizen, another unit's staff, a forged or foreign button
            await event.answer(l10n.button("staff-denied"), show_alert=True)
            return None
        if not staff.may(access, request, actor, pressed.action):
            await event.answer(l10n.button("staff-taken-by", name=request.assignee_name or ""), show_alert=True)
            return None
        data.update(request=request, actor=actor, access=access)
        return await handler(event, data)


# the buttons that belong to each kind of step (any other button leaves it)
OWN_BUTTONS = {
    "FormStates": {"f"},
    "ProfileStates": {"p", "sp"},
    "ComplaintStates": {"sp"},
    "ConversationStates": {"rp", "th", "sp"},
    "SurveyStates": {"sv"},
}


class ContextMiddleware(BaseMiddleware):
    """A command, or a button of another screen, while a citizen is in the middle of something: a
    form being filled is paused (its draft kept; the menu offers Continue and Discard, and text is
    a search meanwhile), a short step (a profile question, a complaint, a message to staff, the
    survey) is left, back to a paused form if any. Then the update goes where it was meant to, and
    every filter sees the state it left (`raw_state`). /cancel is left to its handler."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        raw = data.get("raw_state")
        if raw is not None and (raw in flows.FORM or raw in flows.STEPS) and self._elsewhere(event, raw):
            state = data["state"]
            if raw in flows.FORM:
                await flows.pause(state)
            else:
                if raw == ConversationStates.replying.state and isinstance(event, Message) and data.get("citizen"):
                    # a command steps out of the conversation: the next text is the citizen's again
                    await conversations.leave((await state.get_data()).get("request") or 0, data["citizen"])
                await flows.leave(state)
            data["raw_state"] = await state.get_state()
        return await handler(event, data)

    @staticmethod
    def _elsewhere(event: TelegramObject, raw: str) -> bool:
        if isinstance(event, Message):
            text = event.text or ""
            return text.startswith("/") and not text.startswith("/cancel") and event.chat.type == "private"
        if isinstance(event, CallbackQuery):
            prefix = (event.data or "").split(":", 1)[0]
            return prefix not in OWN_BUTTONS.get(raw.split(":", 1)[0], ())
        return False
