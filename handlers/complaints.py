"""Complaints: the citizen writes one from the request's tracking view; a supervisor or admin
presses Answer on the notification and writes the answer, which the citizen receives."""

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import flows
from bot.callbacks import ComplaintCb, RequestCb, StepCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.states import ComplaintStates
from bot.views import steps as flow_views
from bot.views.tracking import show_request_by_code
from desk import complaints, requests
from models import Citizen, Complaint

router = Routes("complaints")
router.message.filter(PrivateChat())


def _cancel(l10n: L10n) -> InlineKeyboardMarkup:
    return flow_views.step_nav(l10n, back=False)


@router.callback_query(RequestCb.filter(F.action == "complain"))
async def start(
    query: CallbackQuery, callback_data: RequestCb, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services
):
    request = await requests.find_for_owner(citizen, callback_data.code)
    if request is None:
        await query.answer(l10n.button("track-not-found"), show_alert=True)
        return
    await query.answer()
    await complaints.check_limit(request, services.settings.limits.complaints_per_request)
    await flows.enter(state, ComplaintStates.text, complaint_request=request.id)
    await query.message.answer(
        l10n("complaint-write", code=l10n.code(request.tracking_code)), reply_markup=flow_views.step_nav(l10n)
    )


@router.callback_query(StateFilter(ComplaintStates.text), StepCb.filter())
async def leave_writing(query: CallbackQuery, callback_data: StepCb, l10n: L10n, citizen: Citizen, state: FSMContext):
    """Back: to the request's view; Cancel: nothing is lodged."""
    request = await citizen.requests.filter(id=(await state.get_data()).get("complaint_request") or 0).first()
    await flows.leave(state)
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    if callback_data.action == "back" and request is not None:
        await show_request_by_code(query.message, l10n, citizen, request.tracking_code)
    else:
        await query.message.answer(l10n("complaint-cancelled"))


@router.callback_query(StateFilter(ComplaintStates.answer), StepCb.filter(F.action == "cancel"))
async def leave_answering(query: CallbackQuery, l10n: L10n, state: FSMContext):
    await state.clear()
    await query.answer(l10n.button("cancelled"))
    await query.message.edit_reply_markup(reply_markup=None)


@router.message(StateFilter(ComplaintStates.text), Magic(F.text), Magic(~F.text.startswith("/")))
async def lodge(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services):
    request_id = (await state.get_data()).get("complaint_request")
    request = await citizen.requests.filter(id=request_id or 0).first()
    if request is None:
        await flows.leave(state)
        await message.answer(l10n("track-not-found"))
        return
    if len(message.text) > complaints.MAX_TEXT:
        await message.answer(
            l10n("complaint-too-long", max=complaints.MAX_TEXT), reply_markup=flow_views.step_nav(l10n)
        )
        return
    await flows.leave(state)
    complaint = await complaints.lodge(services.settings, citizen, request, message.text)
    await message.answer(l10n("complaint-lodged", number=complaint.id, code=l10n.code(request.tracking_code)))


@router.callback_query(ComplaintCb.filter(F.action == "answer"))
async def answer_button(
    query: CallbackQuery,
    callback_data: ComplaintCb,
    l10n: L10n,
    state: FSMContext,
    platform: str,
    services: Services,
):
    complaint = await Complaint.get_or_none(id=callback_data.complaint)
    if complaint is None or not await complaints.may_answer(services.settings, platform, query.from_user.id, complaint):
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
async def answer_text(message: Message, l10n: L10n, state: FSMContext, platform: str, services: Services):
    complaint = await Complaint.get_or_none(id=(await state.get_data()).get("complaint") or 0)
    await state.clear()
    if complaint is None or not await complaints.may_answer(
        services.settings, platform, message.from_user.id, complaint
    ):
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
