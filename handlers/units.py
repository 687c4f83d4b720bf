"""Admin commands: /bind UNIT_CODE and /unbind in a unit's group, /grant and /revoke roles, and
/overdue for staff and admins; membership changes of a group (chat_member updates, members left or
added) take effect on staff rights at once."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.types import ChatMemberUpdated, Message

from bot import commands
from bot.access import authorise, membership_changed
from bot.filters import GroupChat, Magic
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.views.render import esc, pick
from bot.views.staff import repost_keyboard
from desk import reachability, staff, workflow
from desk.text import normalize_digits
from models import UnitGroup

router = Routes("units")
in_group = GroupChat()


async def _is_admin(settings, platform: str, message: Message) -> bool:
    return message.from_user is not None and await staff.is_admin(settings, platform, message.from_user.id)


@router.chat_member()
async def member_changed(event: ChatMemberUpdated, services: Services, platform: str):
    new = event.new_chat_member
    member = staff.counts_as_member(new.status, getattr(new, "is_member", None))
    await membership_changed(services, platform, event.chat.id, new.user.id, member)


@router.message(in_group, Magic(F.left_chat_member | F.new_chat_members))
async def members_left_or_joined(message: Message, services: Services, platform: str):
    if message.left_chat_member:
        await membership_changed(services, platform, message.chat.id, message.left_chat_member.id, False)
    for user in message.new_chat_members or []:  # asked again at their first action (their status may be restricted)
        await membership_changed(services, platform, message.chat.id, user.id, None)


@router.message(Command("bind"), in_group)
async def bind(message: Message, command: CommandObject, bot: Bot, l10n: L10n, platform: str, services: Services):
    if not await _is_admin(services.settings, platform, message):
        await message.reply(l10n("staff-admins-only"))
        return
    code = (command.args or "").strip().lower()
    unit = services.catalog.units.get(code)
    if unit is None:
        units = "\n".join(
            f"• <code>{u.code}</code> — {esc(pick(u.title, l10n.lang))}" for u in services.catalog.units.values()
        )
        await message.reply(l10n("unit-bind-usage") + "\n" + units)
        return
    before = await staff.bind(
        unit_code=unit.code,
        platform=platform,
        chat_id=message.chat.id,
        title=message.chat.title or "",
        forum=bool(message.chat.is_forum),
        by=message.from_user.id,
    )
    await reachability.group_back(services.settings, platform, message.chat.id)  # the bot is here: other units' too
    group = await UnitGroup.get(unit_code=unit.code)
    cards = await workflow.cards_for_group(unit.code, group)
    await message.reply(
        l10n(
            "unit-bound",
            unit=pick(unit.title, l10n.lang),
            code=unit.code,
            cards=cards,
            any_cards=cards > 0,
            moved=before is not None,
        )
    )
    await commands.for_group(bot, services.locales, message.chat.id, bound=True)


@router.message(Command("unbind"), in_group)
async def unbind(message: Message, command: CommandObject, bot: Bot, l10n: L10n, platform: str, services: Services):
    if not await _is_admin(services.settings, platform, message):
        await message.reply(l10n("staff-admins-only"))
        return
    units = await staff.unbind(platform, message.chat.id, (command.args or "").strip().lower() or None)
    await message.reply(l10n("unit-unbound", units=", ".join(units)) if units else l10n("unit-not-bound"))
    if units and not await staff.units_of_chat(platform, message.chat.id):
        await commands.for_group(bot, services.locales, message.chat.id, bound=False)


def _parse_role(args: str | None, platform: str) -> tuple[str, int, str, str | None] | None:
    """`USER_ID admin|supervisor [UNIT]` or `USER_ID evaluator PROVINCE`, USER_ID optionally as
    platform:id (bale:123)."""
    parts = normalize_digits(args or "").split()
    if len(parts) < 2 or parts[1] not in staff.ROLES:
        return None
    who, role, rest = parts[0], parts[1], parts[2:]
    on, _, uid = who.rpartition(":")
    if not uid.isdigit() or (role == "admin" and rest) or (role == "supervisor" and len(rest) > 1):
        return None
    if role == "evaluator":
        return (on or platform, int(uid), role, " ".join(rest)) if rest else None
    return on or platform, int(uid), role, rest[0].lower() if rest else None


@router.message(Command("grant", "revoke"))
async def grant_or_revoke(
    message: Message, command: CommandObject, bot: Bot, l10n: L10n, platform: str, services: Services
):
    if not await _is_admin(services.settings, platform, message):
        await message.reply(l10n("staff-admins-only"))
        return
    parsed = _parse_role(command.args, platform)
    provinces = {u.province.get("fa") for u in services.catalog.units.values()} | {
        u.province.get("en") for u in services.catalog.units.values()
    }
    if parsed is not None and parsed[2] == "evaluator":
        known = parsed[3] in provinces
    else:
        known = parsed is not None and (parsed[3] is None or parsed[3] in services.catalog.units)
    if parsed is None or not known:
        await message.reply(l10n("staff-role-usage"))
        return
    on, user_id, role, unit = parsed
    if command.command == "grant":
        await staff.grant(on, user_id, role, unit, by=message.from_user.id)
        await message.reply(l10n("staff-granted", user=f"{on}:{user_id}", role=role, unit=unit or "*"))
    else:
        removed = await staff.revoke(on, user_id, role, unit)
        await message.reply(
            l10n("staff-revoked" if removed else "staff-role-none", user=f"{on}:{user_id}", role=role, unit=unit or "*")
        )
    if on == platform:  # their private chat's menu follows their roles
        await commands.for_person(bot, services.settings, services.locales, user_id)


@router.message(Command("overdue"))
async def overdue(message: Message, bot: Bot, l10n: L10n, platform: str, services: Services):
    """In a unit group: that unit's late and nearly late requests; an admin in private: all of them."""
    actor = staff.Actor(platform, message.from_user.id, message.from_user.full_name)
    admin = await staff.is_admin(services.settings, platform, actor.user_id)
    units = None if admin and message.chat.type == "private" else await staff.units_of_chat(platform, message.chat.id)
    if units is not None:
        units = [code for code in units if await authorise(services, bot, actor, code)]
        if not units:
            await message.reply(l10n("staff-denied"))
            return
    today = services.clock.today()
    soon, late = await workflow.due(today, services.calendar, units)
    if not soon and not late:
        await message.reply(l10n("staff-overdue-none"))
        return
    lines = [l10n("staff-overdue-title")]
    for key, rows in (("staff-overdue-late", late), ("staff-overdue-soon", soon)):
        for r in rows:
            lines.append(
                l10n(
                    key,
                    code=l10n.code(r.tracking_code),
                    service=pick(r.snapshot.title, l10n.lang),
                    promised=r.promised_date,
                    assignee=r.assignee_name or l10n.button("staff-nobody"),
                    days=services.calendar.working_days_between(r.promised_date, today)
                    if r.promised_date < today
                    else 0,
                )
            )
    listed = [r for rows in (late, soon) for r in rows]
    await message.reply("\n".join(lines), reply_markup=repost_keyboard(l10n, listed))
