"""Complaints: the citizen writes one from the request's tracking view; a supervisor or admin
presses Answer on the notification and writes the answer, which the citizen receives."""

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import ComplaintCb, FormCb, RequestCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.states import ComplaintStates
from bot.views.keyboards import button
from desk import complaints, requests
from models import Citizen, Complaint

router = Routes("complaints")
router.message.filter(PrivateChat())


def _cancel(l10n: L10n) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[button(l10n.button("form-cancel"), FormCb(action="cancel"))]])


@router.callback_query(RequestCb.filter(F.action == "complain"))
async def start(query: CallbackQuery, callback_data: RequestCb, l10n: L10n, citizen: Citizen, state: FSMContext):
    request = await requests.find_for_owner(citizen, callback_data.code)
    if request is None:
        await query.answer(l10n.button("track-not-found"), show_alert=True)
        return
    await query.answer()
    await state.set_state(ComplaintStates.text)
    await state.update_data(complaint_request=request.id)
    await query.message.answer(
        l10n("complaint-write", code=l10n.code(request.tracking_code)), reply_markup=_cancel(l10n)
    )


@router.message(StateFilter(ComplaintStates.text), Magic(F.text))
async def lodge(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, settings):
    request_id = (await state.get_data()).get("complaint_request")
    request = await citizen.requests.filter(id=request_id or 0).first()
    await state.clear()
    if request is None:
        await message.answer(l10n("track-not-found"))
        return
    if len(message.text) > complaints.MAX_TEXT:
        await state.set_state(ComplaintStates.text)
        await state.update_data(complaint_request=request.id)
        await message.answer(l10n("complaint-too-long", max=complaints.MAX_TEXT), reply_markup=_cancel(l10n))
        return
    complaint = await complaints.lodge(settings, citizen, request, message.text)
    await message.answer(l10n("complaint-lodged", number=complaint.id, code=l10n.code(request.tracking_code)))


@router.callback_query(ComplaintCb.filter(F.action == "answer"))
async def answer_button(
    query: CallbackQuery, callback_data: ComplaintCb, l10n: L10n, state: FSMContext, settings, platform: str
):
    complaint = await Complaint.get_or_none(id=callback_data.complaint)
    if complaint is None or not await complaints.may_answer(settings, platform, query.from_user.id, complaint):
        await query.answer(l10n.button("complaint-not-allowed"), show_alert=True)
        return
    if complaint.status != "open":
        await query.answer(l10n.button("complaint-already", name=complaint.answered_by or ""), show_alert=True)
        return
    await query.answer()
    await state.set_state(ComplaintStates.answer)
    await state.update_data(complaint=complaint.id)
    await query.message.answer(l10n("complaint-answer-write", number=complaint.id), reply_markup=_cancel(l10n))


@router.message(StateFilter(ComplaintStates.answer), Magic(F.text))
async def answer_text(message: Message, l10n: L10n, state: FSMContext, settings, platform: str):
    complaint = await Complaint.get_or_none(id=(await state.get_data()).get("complaint") or 0)
    await state.clear()
    if complaint is None or not await complaints.may_answer(settings, platform, message.from_user.id, complaint):
        await message.answer(l10n("complaint-not-allowed"))
        return
    done = await complaints.answer(complaint.id, message.text, message.from_user.full_name)
    if done is None:
        complaint = await Complaint.get(id=complaint.id)
    await message.answer(
        l10n(
            "complaint-answer-sent" if done else "complaint-already",
            number=complaint.id,
            name=complaint.answered_by or "",
        )
    )
