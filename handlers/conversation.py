"""The citizen's side of the conversation with staff: "Reply" on a notification, a reply to a
notification, or, while a request waits for them, their next message goes under its card.

This router must come before the catalogue search (which takes any other private text): it only
takes a message that belongs to a request and leaves everything else alone."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ReplyCb
from bot.delivery.files import save_file, source_of
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.states import ConversationStates
from desk import workflow
from models import Citizen, OutboxMessage, Request, RequestStatus

router = Routes("conversation")
router.message.filter(PrivateChat())
CONTENT = Magic(F.text | F.document | F.photo)


async def request_addressed(message: Message, citizen: Citizen | None) -> dict | bool:
    """The open request this free message is about: the one whose notification it replies to,
    else the one waiting for the citizen's answer."""
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
                return {"request": request}
    request = await workflow.waiting_for(citizen)
    return {"request": request} if request is not None else False


@router.callback_query(ReplyCb.filter())
async def start_reply(query: CallbackQuery, callback_data: ReplyCb, l10n: L10n, citizen: Citizen, state: FSMContext):
    request = await Request.get_or_none(id=callback_data.request, citizen=citizen)
    if request is None:
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    if request.status in RequestStatus.CLOSED:
        await query.answer(l10n.button("notify-reply-closed"), show_alert=True)
        return
    await state.set_state(ConversationStates.replying)
    await state.set_data({"request": request.id})
    await query.answer()
    await query.message.answer(l10n("notify-reply-prompt", code=l10n.code(request.tracking_code)))


@router.message(StateFilter(ConversationStates.replying), CONTENT)
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
    await state.clear()
    if request is None or request.status in RequestStatus.CLOSED:
        await message.answer(l10n("notify-reply-closed"))
        return
    await _pass_on(message, bot, l10n, citizen, request, services, platform)


@router.message(StateFilter(ConversationStates.replying))
async def replying_other(message: Message, l10n: L10n):
    await message.answer(l10n("notify-reply-kinds"))


@router.message(StateFilter(None), CONTENT, request_addressed)
async def free_message(
    message: Message,
    bot: Bot,
    l10n: L10n,
    citizen: Citizen,
    request: Request,
    platform: str,
    services: Services,
):
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
    )
    await message.answer(l10n("notify-reply-sent", code=l10n.code(request.tracking_code)))
