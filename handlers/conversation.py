"""The citizen's side of the conversation with staff. While a request's conversation is open
(staff asked or wrote something, or the citizen chose to write about it), everything the citizen
sends — texts, files, photos, voice — goes under its card, until staff close it, the request ends,
or the citizen leaves it (Leave, or a command). Each message is acknowledged with the request it
went to, and Leave / Switch buttons.

This router must come before the catalogue search (which takes any other private text): it only
takes a message that belongs to a request and leaves everything else alone."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import flows
from bot.access import actor_of, authorise
from bot.callbacks import ReplyCb, ThreadCb
from bot.delivery.files import save_file, source_of
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.states import ConversationStates, FormStates
from bot.views import conversation as views
from bot.views.staff import is_current_card
from desk import conversations, workflow
from models import Citizen, OutboxMessage, Request, RequestStatus

router = Routes("conversation")
router.message.filter(PrivateChat())
CONTENT = Magic(F.text | F.document | F.photo | F.voice | F.audio | F.video | F.video_note)


async def request_addressed(message: Message, citizen: Citizen | None) -> dict | bool:
    """The open request this free message is about: the one whose notification it replies to,
    else the one whose conversation is open (the newest)."""
    if citizen is None or (message.text or "").startswith("/"):
        return False
    replied = message.reply_to_message
    if replied is not None and replied.from_user and replied.from_user.is_bot:
        row = (
            await OutboxMessage.filter(
                platform=citizen.platform, chat_id=message.chat.id, sent_message_id=replied.message_id
            )
            .exclude(request_id=None)
            .first()
        )
        if row is not None:
            request = await Request.get_or_none(id=row.request_id, citizen=citizen, status__in=RequestStatus.OPEN)
            if request is not None:
                return {"request": await conversations.write(request)}
    request = await conversations.current(citizen)
    return {"request": request} if request is not None else False


async def _focus(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, request: Request) -> None:
    """From now on the citizen writes about this request: say so, with Leave and Switch."""
    request = await conversations.write(request)
    await flows.enter(state, ConversationStates.replying, request=request.id)
    others = await conversations.others(citizen, request.id)
    await message.answer(
        views.writing_about(l10n, request, "thread-prompt"),
        reply_markup=views.thread_keyboard(l10n, request, others=bool(others)),
    )


@router.callback_query(ReplyCb.filter())
@router.callback_query(ThreadCb.filter(F.action == "write"))
async def start_reply(query: CallbackQuery, callback_data, l10n: L10n, citizen: Citizen, state: FSMContext):
    """ "Reply to staff" on a notification, "Write about this request" in its view, or a switch."""
    request = await Request.get_or_none(id=callback_data.request, citizen=citizen)
    if request is None:
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    if request.status in RequestStatus.CLOSED:
        await query.answer(l10n.button("notify-reply-closed"), show_alert=True)
        return
    await query.answer()
    await _focus(query.message, l10n, citizen, state, request)


@router.callback_query(ThreadCb.filter(F.action == "leave"))
async def leave(query: CallbackQuery, callback_data: ThreadCb, l10n: L10n, citizen: Citizen, state: FSMContext):
    request = await Request.get_or_none(id=callback_data.request, citizen=citizen)
    if request is None:
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await conversations.leave(request.id, citizen)
    data = await state.get_data()
    if await state.get_state() == ConversationStates.replying.state and data.get("request") == request.id:
        await flows.leave(state)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(views.writing_about(l10n, request, "thread-left"))


@router.callback_query(ThreadCb.filter(F.action == "switch"))
async def switch(query: CallbackQuery, callback_data: ThreadCb, l10n: L10n, citizen: Citizen):
    request = await Request.get_or_none(id=callback_data.request, citizen=citizen)
    others = await conversations.others(citizen, callback_data.request) if request else []
    if not others:
        await query.answer(l10n.button("thread-no-other"), show_alert=True)
        return
    await query.answer()
    await query.message.answer(l10n("thread-switch-which"), reply_markup=views.switch_keyboard(l10n, request, others))


@router.callback_query(ThreadCb.filter(F.action == "close"))
async def close(query: CallbackQuery, callback_data: ThreadCb, bot: Bot, l10n: L10n, platform: str, services: Services):
    """Staff end the conversation, from the button under a citizen's message in the group."""
    request = await Request.get_or_none(id=callback_data.request)
    actor = actor_of(query.from_user, platform)
    if request is None or not await authorise(services, bot, actor, request.unit_code):
        await query.answer(l10n.button("staff-denied"), show_alert=True)
        return
    outcome = await workflow.close_conversation(request.id, actor)  # the card is edited through the outbox
    await query.answer(l10n.button("thread-closed-ok" if outcome.done else "thread-closed-already"))
    # under a relayed message the button goes; the card itself is edited with its other buttons
    if query.message is not None and not is_current_card(
        request, platform, query.message.chat.id, query.message.message_id
    ):
        await query.message.edit_reply_markup(reply_markup=None)


@router.message(StateFilter(ConversationStates.replying), CONTENT, Magic(~F.text.startswith("/")))
async def replying(
    message: Message,
    bot: Bot,
    l10n: L10n,
    citizen: Citizen,
    state: FSMContext,
    platform: str,
    services: Services,
):
    request = await Request.get_or_none(id=(await state.get_data()).get("request"), citizen=citizen)
    if request is None or not conversations.is_open(request):
        await flows.leave(state)
        closed = request is None or request.status in RequestStatus.CLOSED
        await message.answer(l10n("notify-reply-closed" if closed else "thread-closed-by-staff"))
        return
    await _pass_on(message, bot, l10n, citizen, request, services, platform)


@router.message(StateFilter(ConversationStates.replying), Magic(~F.text.startswith("/")))
async def replying_other(message: Message, l10n: L10n):
    await message.answer(l10n("notify-reply-kinds"))


@router.message(StateFilter(None, FormStates.paused), CONTENT, request_addressed)
async def free_message(
    message: Message,
    bot: Bot,
    l10n: L10n,
    citizen: Citizen,
    request: Request,
    state: FSMContext,
    platform: str,
    services: Services,
):
    """A message while a conversation is open: it goes to staff, and the citizen is now in it."""
    await flows.enter(state, ConversationStates.replying, request=request.id)
    await _pass_on(message, bot, l10n, citizen, request, services, platform)


async def _pass_on(
    message: Message, bot: Bot, l10n: L10n, citizen: Citizen, request: Request, services: Services, platform: str
) -> None:
    doc = await save_file(message, bot, services, platform=platform, citizen=citizen, role="message")
    await workflow.citizen_message(
        request,
        citizen,
        text=message.text or message.caption,
        source=source_of(message, platform),
        document_ids=[doc.id] if doc else [],
        relay_per_minute=services.settings.limits.relay_per_minute,
    )
    others = await conversations.others(citizen, request.id)
    await message.answer(
        views.writing_about(l10n, request, "thread-sent"),
        reply_markup=views.thread_keyboard(l10n, request, others=bool(others)),
    )
