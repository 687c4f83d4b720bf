"""Staff in their unit groups: the card's buttons, the inputs they ask for (a reason, a question,
the result's files...) and a reply to the card, which goes to the citizen.

Every action is authorised here, on the server, from the database and getChatMember, whatever the
button says; desk/workflow.py then makes the change idempotently."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import authorise
from bot.callbacks import StaffCb
from bot.delivery.files import save_file, source_of
from bot.filters import GroupChat, Magic
from bot.l10n import L10n
from bot.routes import Routes
from bot.states import StaffStates
from bot.views.keyboards import button
from bot.views.render import pick
from bot.views.staff import card_view, transfer_keyboard
from desk import staff, validators, workflow
from desk.documents import KINDS
from desk.staff import Access, Actor, Level
from models import OutboxMessage, Request, RequestStatus, UnitGroup

log = logging.getLogger("mizban.staff")
router = Routes("staff")
groups = router.include(Routes("staff-groups"))
groups.message.filter(GroupChat())

# what each action asks for before it is done; "deliver" collects text and files until "send"
INPUTS = {
    "ask": ["staff-ask-question"],
    "inquiry": ["staff-ask-inquiry-to", "staff-ask-inquiry-what"],
    "inquiry_done": ["staff-ask-inquiry-answer"],
    "reject": ["staff-ask-reason"],
    "note": ["staff-ask-note"],
    "deliver": ["staff-ask-result"],
}
CHANGES = {"take", "stage", "transfer", "to", *INPUTS} - {"note"}  # "note" is open to every staff member


def actor_of(user, platform: str) -> Actor:
    return Actor(platform, user.id, user.full_name)


def group_l10n(locales) -> L10n:
    """Cards are written in the desk's language: a group is shared by people of either."""
    return locales.get(None)


def today(settings):
    return datetime.now(ZoneInfo(settings.calendar.timezone)).date()


async def show_card(
    bot: Bot,
    request: Request,
    chat_id: int,
    message_id: int,
    *,
    locales,
    catalog,
    settings,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edit a card in the acting staff member's chat (others get theirs through the outbox)."""
    text, kb = await card_view(
        group_l10n(locales),
        request,
        catalog,
        today(settings),
        platform=bot.platform,
        chat_id=chat_id,
        message_id=message_id,
    )
    try:
        await bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup or kb)
    except TelegramBadRequest as e:
        log.warning("could not edit card %s/%s: %s", chat_id, message_id, e.message)


async def refresh_here(bot: Bot, request: Request, chat_id: int, **kw) -> None:
    """After an action: the request's card, when it lives in this chat."""
    request = await Request.get(id=request.id)
    if (request.card_platform, request.card_chat_id) == (bot.platform, chat_id) and request.card_message_id:
        await show_card(bot, request, chat_id, request.card_message_id, **kw)


def outcome_text(l10n: L10n, outcome: workflow.Outcome, done_key: str) -> str:
    if outcome.code == "taken":
        return l10n.button("staff-taken-by", name=outcome.by or "")
    return l10n.button(done_key if outcome.done else f"staff-outcome-{outcome.code}")


# -- the card's buttons ---------------------------------------------------------------------------------
@router.callback_query(StaffCb.filter())
async def staff_button(
    query: CallbackQuery,
    callback_data: StaffCb,
    bot: Bot,
    l10n: L10n,
    platform: str,
    settings,
    catalog,
    locales,
    dispatcher,
    state: FSMContext,
):
    request = await Request.get_or_none(id=callback_data.request)
    actor = actor_of(query.from_user, platform)
    access = await authorise(dispatcher, bot, settings, actor, request.unit_code) if request else Access(Level.NONE)
    if not access:  # a citizen, another unit's staff, a forged or foreign button: the same refusal
        await query.answer(l10n.button("staff-denied"), show_alert=True)
        return
    action = callback_data.action
    if action in CHANGES and action != "take" and not staff.may_change(access, request, actor):
        await query.answer(l10n.button("staff-taken-by", name=request.assignee_name or ""), show_alert=True)
        return
    chat_id = query.message.chat.id if query.message else None
    here = (platform, chat_id)
    card_kw = dict(locales=locales, catalog=catalog, settings=settings)
    on_card = query.message is not None and query.message.message_id == request.card_message_id

    if action == "take":
        outcome = await workflow.take(request.id, actor, actor_chat=here)
        await query.answer(outcome_text(l10n, outcome, "staff-taken-ok"), show_alert=outcome.code == "taken")
    elif action == "stage":
        outcome = await workflow.move_to_stage(request.id, actor, callback_data.arg, actor_chat=here)
        await query.answer(outcome_text(l10n, outcome, "staff-stage-ok"))
    elif action == "transfer":
        if request.status in RequestStatus.CLOSED:
            await query.answer(l10n.button("staff-outcome-closed"), show_alert=True)
        else:
            await query.answer()
            await show_card(
                bot,
                request,
                chat_id,
                query.message.message_id,
                **card_kw,
                markup=transfer_keyboard(l10n, request, await _transfer_targets(request, catalog, l10n)),
            )
        return
    elif action == "to":
        unit = catalog.units.get(callback_data.arg)
        if unit is None:
            await query.answer(l10n.button("staff-denied"), show_alert=True)
            return
        outcome = await workflow.transfer(request.id, actor, unit.code, unit.place, actor_chat=here)
        await query.answer(outcome_text(l10n, outcome, "staff-transfer-ok"), show_alert=not outcome.done)
    elif action in INPUTS:
        if request.status in RequestStatus.CLOSED:
            await query.answer(l10n.button("staff-outcome-closed"), show_alert=True)
            return
        if action == "inquiry_done" and request.status != RequestStatus.WAITING_INQUIRY:
            await query.answer(l10n.button("staff-outcome-already"))
            await show_card(bot, request, chat_id, query.message.message_id, **card_kw)
            return
        await query.answer()
        await _ask(query.message, l10n, request, action, state, actor)
        return
    elif action in ("send", "cancel"):
        await _finish_input(query, l10n, bot, request, actor, access, state, action, here, card_kw)
        return
    else:  # refresh, and anything this version does not know
        await query.answer()
    if query.message is not None:
        await show_card(bot, await Request.get(id=request.id), chat_id, query.message.message_id, **card_kw)
    if not on_card:
        await refresh_here(bot, request, chat_id, **card_kw)


async def _transfer_targets(request: Request, catalog, l10n: L10n) -> list[tuple[str, str]]:
    """Units that can receive it: bound to a group, other than its own."""
    bound = set(await UnitGroup.all().values_list("unit_code", flat=True))
    return [
        (code, pick(unit.title, l10n.lang))
        for code, unit in catalog.units.items()
        if code in bound and code != request.unit_code
    ]


# -- inputs: a question, a reason, the result... -----------------------------------------------------------
async def _ask(message: Message, l10n: L10n, request: Request, action: str, state: FSMContext, actor: Actor):
    await state.set_state(StaffStates.input)
    await state.set_data({"request": request.id, "action": action, "step": 0, "values": [], "docs": []})
    rows = []
    if action == "deliver":
        rows.append([button(l10n.button("staff-btn-send"), StaffCb(action="send", request=request.id))])
    rows.append([button(l10n.button("staff-btn-cancel"), StaffCb(action="cancel", request=request.id))])
    await message.answer(
        l10n(INPUTS[action][0], name=actor.name, code=l10n.code(request.tracking_code)),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=rows),
    )


@groups.message(StateFilter(StaffStates.input), Magic(F.text | F.document | F.photo), Magic(~F.text.startswith("/")))
async def got_input(
    message: Message,
    bot: Bot,
    l10n: L10n,
    platform: str,
    state: FSMContext,
    settings,
    store,
    catalog,
    locales,
    dispatcher,
):
    data = await state.get_data()
    request = await Request.get_or_none(id=data.get("request"))
    action = data.get("action")
    if request is None or action not in INPUTS:
        await state.clear()
        return
    if action == "deliver":
        try:
            doc = await save_file(message, bot, store, settings, platform=platform, citizen=None, role="result")
        except validators.ValidationError as e:
            await message.reply(l10n.error(e, size=settings.documents.max_size_mb, kinds=", ".join(sorted(KINDS))))
            return
        text = message.text or message.caption
        await state.update_data(
            values=data["values"] + ([text] if text else []), docs=data["docs"] + ([doc.id] if doc else [])
        )
        await message.reply(l10n("staff-result-collected", files=len(data["docs"]) + bool(doc)))
        return
    if not message.text:
        await message.reply(l10n("staff-text-only"))
        return
    values, step = data["values"] + [message.text], data["step"] + 1
    if step < len(INPUTS[action]):
        await state.update_data(values=values, step=step)
        await message.reply(
            l10n(INPUTS[action][step], name=message.from_user.full_name, code=l10n.code(request.tracking_code))
        )
        return
    await state.clear()
    actor = actor_of(message.from_user, platform)
    await _complete(
        message,
        l10n,
        bot,
        request,
        actor,
        action,
        values,
        [],
        (platform, message.chat.id),
        dict(locales=locales, catalog=catalog, settings=settings),
        dispatcher,
        settings,
    )


async def _finish_input(query: CallbackQuery, l10n, bot, request, actor, access, state, action, here, card_kw):
    data = await state.get_data()
    mine = await state.get_state() == StaffStates.input.state and data.get("request") == request.id
    if action == "cancel" or not mine:
        if mine:
            await state.clear()
        await query.answer(l10n.button("staff-cancelled" if mine else "staff-outcome-already"))
        await query.message.edit_reply_markup(reply_markup=None)
        return
    if not staff.may_change(access, await Request.get(id=request.id), actor):  # taken by another meanwhile
        await state.clear()
        await query.answer(l10n.button("staff-taken-by", name=request.assignee_name or ""), show_alert=True)
        return
    if not data["values"] and not data["docs"]:
        await query.answer(l10n.button("staff-result-empty"), show_alert=True)
        return
    await state.clear()
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    outcome = await workflow.deliver(
        request.id, actor, "\n\n".join(data["values"]) or None, data["docs"], actor_chat=here
    )
    await query.message.answer(outcome_text(l10n, outcome, "staff-deliver-ok"))
    await refresh_here(bot, request, here[1], **card_kw)


async def _complete(
    message: Message, l10n, bot, request, actor, action, values, docs, here, card_kw, dispatcher, settings
):
    # authorised again: membership or the assignee may have changed while they typed
    access = await authorise(dispatcher, bot, settings, actor, request.unit_code)
    allowed = access and (action == "note" or staff.may_change(access, await Request.get(id=request.id), actor))
    if not allowed:
        await message.reply(l10n("staff-denied"))
        return
    kw = {"actor_chat": here}
    if action == "ask":
        outcome = await workflow.ask(request.id, actor, values[0], **kw)
    elif action == "inquiry":
        outcome = await workflow.inquiry(request.id, actor, values[0], values[1], **kw)
    elif action == "inquiry_done":
        outcome = await workflow.inquiry_answered(request.id, actor, values[0], **kw)
    elif action == "reject":
        outcome = await workflow.reject(request.id, actor, values[0], **kw)
    else:
        outcome = await workflow.note(request.id, actor, values[0], **kw)
    await message.reply(outcome_text(l10n, outcome, f"staff-{action}-ok"))
    await refresh_here(bot, request, here[1], **card_kw)


# -- a reply to the card goes to the citizen ------------------------------------------------------------------
async def card_replied(message: Message, platform: str) -> dict | bool:
    replied = message.reply_to_message
    if replied is None or not (replied.from_user and replied.from_user.is_bot) or (message.text or "").startswith("/"):
        return False
    request = await Request.get_or_none(
        card_platform=platform, card_chat_id=message.chat.id, card_message_id=replied.message_id
    )
    if request is None:  # a reply to a citizen's message passed on under the card
        row = (
            await OutboxMessage.filter(platform=platform, chat_id=message.chat.id, sent_message_id=replied.message_id)
            .exclude(request_id=None)
            .first()
        )
        request = row and await Request.get_or_none(id=row.request_id)
    return {"request": request} if request is not None else False


@groups.message(Magic(F.text | F.document | F.photo), card_replied)
async def reply_to_citizen(
    message: Message, bot: Bot, l10n: L10n, platform: str, request: Request, settings, store, dispatcher
):
    actor = actor_of(message.from_user, platform)
    access = await authorise(dispatcher, bot, settings, actor, request.unit_code)
    if not access or not staff.may_change(access, request, actor):
        await message.reply(
            l10n("staff-denied") if not access else l10n("staff-taken-by", name=request.assignee_name or "")
        )
        return
    try:
        doc = await save_file(message, bot, store, settings, platform=platform, citizen=None, role="message")
    except validators.ValidationError as e:
        await message.reply(l10n.error(e, size=settings.documents.max_size_mb, kinds=", ".join(sorted(KINDS))))
        return
    outcome = await workflow.staff_message(
        request.id,
        actor,
        text=message.text or message.caption,
        source=source_of(message, platform),
        document_ids=[doc.id] if doc else [],
    )
    await message.reply(outcome_text(l10n, outcome, "staff-message-sent"))
