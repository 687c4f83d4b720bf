"""Who the acting person is for a unit: desk/staff.py's rules, with the group membership the
messenger reports (getChatMember, answers cached for a minute)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.services import Services
from desk import staff


def member_check(bot: Bot):
    """Membership of a chat as the messenger reports it now."""

    async def is_member(chat_id: int, user_id: int) -> bool:
        try:
            m = await bot.get_chat_member(chat_id, user_id)
        except TelegramAPIError:
            return False
        return staff.counts_as_member(m.status, getattr(m, "is_member", None))

    return is_member


async def authorise(services: Services, bot: Bot, actor: staff.Actor, unit_code: str) -> staff.Access:
    """The actor's level for a unit's requests (getChatMember answers cached for a minute)."""
    return await staff.access(services.settings, actor, unit_code, member_check(bot), services.members)


def actor_of(user, platform: str) -> staff.Actor:
    return staff.Actor(platform, user.id, user.full_name)
