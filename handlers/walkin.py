"""The in-person desk in the same system: `/walkin SERVICE_CODE` in a private chat lets desk staff
(members of the service's unit group, its supervisors, admins) fill the service's form for a walk-in
citizen. The request then follows the same workflow, with its channel recorded as in person; the
receipt is shown to the staff member to print or read out, and sent to the citizen's messenger when
they use it (handlers/form.py's submit, desk/requests.walk_in_citizen)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot import flows
from bot.access import actor_of, authorise
from bot.filters import PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from desk.staff import Level

router = Routes("walkin")
router.message.filter(PrivateChat())


@router.message(Command("walkin"))
async def walk_in(
    message: Message,
    command: CommandObject,
    bot: Bot,
    l10n: L10n,
    state: FSMContext,
    platform: str,
    services: Services,
):
    card = services.catalog.services.get((command.args or "").strip().lower())
    if card is None:
        await message.answer(l10n("walkin-usage"))
        return
    actor = actor_of(message.from_user, platform)
    access = await authorise(services, bot, actor, card.unit)
    if access.level < Level.STAFF:
        await message.answer(l10n("walkin-staff-only"))
        return
    await flows.discard_draft(state, services.store)
    await flows.start_walk_in(message, l10n, state, card, actor.name)
