"""The messenger's lifecycle: the bot removed, banned, restricted, demoted or added back in a group
(my_chat_member), a citizen blocking or unblocking the bot, a group upgraded to a supergroup (its
service messages), and /groups, the admins' overview of each unit's group. desk/reachability.py
decides what follows."""

from __future__ import annotations

from aiogram import F
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import ChatMemberUpdated, Message

from bot.filters import Magic
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.views.reachability import groups_text
from desk import reachability, staff

router = Routes("group-health")
GONE = ("left", "kicked")
ADMINS = ("administrator", "creator")


@router.my_chat_member()
async def bot_status(event: ChatMemberUpdated, platform: str, services: Services):
    new, old = event.new_chat_member, event.old_chat_member
    if event.chat.type == ChatType.PRIVATE:
        if new.status in GONE:
            await reachability.citizen_blocked(platform, event.chat.id, "kicked")
        else:
            await reachability.citizen_returned(platform, event.chat.id)
        return
    if new.status in GONE:
        await reachability.group_lost(services.settings, platform, event.chat.id, new.status)
    elif new.status == "restricted" and not new.can_send_messages:
        await reachability.group_lost(services.settings, platform, event.chat.id, "restricted")
    elif new.status not in ADMINS and old.status in ADMINS:
        await reachability.group_back(services.settings, platform, event.chat.id)
        await reachability.group_limited(services.settings, platform, event.chat.id, "demoted")
    else:
        await reachability.group_back(services.settings, platform, event.chat.id)


@router.message(Magic(F.migrate_to_chat_id))
async def upgraded(message: Message, platform: str):
    """In the old group: it became the supergroup `migrate_to_chat_id`."""
    await reachability.move_chat(platform, message.chat.id, message.migrate_to_chat_id)


@router.message(Magic(F.migrate_from_chat_id))
async def upgraded_from(message: Message, platform: str):
    """In the new supergroup: it was the group `migrate_from_chat_id`."""
    await reachability.move_chat(platform, message.migrate_from_chat_id, message.chat.id)


@router.message(Command("groups"))
async def groups(message: Message, l10n: L10n, platform: str, services: Services):
    """Each unit's group and whether the bot can post there: admins see every unit, supervisors theirs."""
    user_id = message.from_user.id
    units = None
    if not await staff.is_admin(services.settings, platform, user_id):
        supervised = await staff.supervised_units(platform, user_id)
        if not supervised:
            await message.reply(l10n("staff-admins-only"))
            return
        units = None if None in supervised else [u for u in supervised if u]
    await message.reply(groups_text(l10n, services.catalog, await reachability.groups(), units))
