"""Who the acting person is for a unit: desk/staff.py's rules, with the group membership the
messenger reports (getChatMember, answers cached for a minute: in Redis when configured, so every
process sees the same answer; a membership change the bot sees replaces it at once, in every process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from desk import staff

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.config import Settings
    from bot.services import Services


def member_check(bot: Bot):
    """Membership of a chat as the messenger reports it now."""

    async def is_member(chat_id: int, user_id: int) -> bool:
        try:
            m = await bot.get_chat_member(chat_id, user_id)
        except TelegramAPIError:
            return False
        return staff.counts_as_member(m.status, getattr(m, "is_member", None))

    return is_member


class RedisMembershipCache:
    """desk/staff.MembershipCache's interface over Redis: one answer for every process."""

    PREFIX = "mizban:member"

    def __init__(self, url: str, ttl: float = staff.MEMBERSHIP_TTL):
        self.url, self.ttl = url, max(1, int(ttl))
        self._redis: Redis | None = None

    @property
    def redis(self) -> Redis:
        if self._redis is None:  # connects on first use (and redis loads only where it is configured)
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self.url)
        return self._redis

    def _key(self, platform: str, chat_id: int, user_id: int) -> str:
        return f"{self.PREFIX}:{platform}:{chat_id}:{user_id}"

    async def check(self, platform: str, chat_id: int, user_id: int, ask: staff.IsMember) -> bool:
        key = self._key(platform, chat_id, user_id)
        hit = await self.redis.get(key)
        if hit is not None:
            return hit in (b"1", "1")
        answer = await ask(chat_id, user_id)
        await self.redis.set(key, "1" if answer else "0", ex=self.ttl)
        return answer

    async def remember(self, platform: str, chat_id: int, user_id: int, member: bool | None) -> None:
        key = self._key(platform, chat_id, user_id)
        if member is None:
            await self.redis.delete(key)
        else:
            await self.redis.set(key, "1" if member else "0", ex=self.ttl)


def membership_cache(settings: Settings) -> staff.Memberships:
    """Where getChatMember answers are kept: in Redis when configured (every process sees a change),
    else in this process."""
    return RedisMembershipCache(settings.redis.url) if settings.redis.url else staff.MembershipCache()


async def authorise(services: Services, bot: Bot, actor: staff.Actor, unit_code: str) -> staff.Access:
    """The actor's level for a unit's requests (getChatMember answers cached for a minute)."""
    return await staff.access(services.settings, actor, unit_code, member_check(bot), services.members)


async def membership_changed(
    services: Services, platform: str, chat_id: int, user_id: int, member: bool | None
) -> None:
    """A member left, was removed or joined (None: ask the messenger next time): rights follow at once."""
    await services.members.remember(platform, chat_id, user_id, member)


def actor_of(user, platform: str) -> staff.Actor:
    return staff.Actor(platform, user.id, user.full_name)
