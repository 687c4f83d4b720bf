"""The questionnaire (capability 9): one message edited in place step by step, with Back; left and
resumed at will (the step is stored with the response); only the request's owner can answer."""

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import flows
from bot.callbacks import RequestCb, SurveyCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.states import SurveyStates
from bot.views.render import pick
from bot.views.survey import survey_view
from desk import requests, survey
from models import Citizen, SurveyResponse

router = Routes("survey")
router.message.filter(PrivateChat())


async def _show(
    message: Message,
    l10n: L10n,
    citizen: Citizen,
    response: SurveyResponse,
    state: FSMContext,
    *,
    bot: Bot | None = None,
    message_id: int | None = None,
) -> None:
    """Edit the questionnaire message to the current step and remember which message it is."""
    scores = await survey.answered_scores(response)
    text, kb = survey_view(l10n, response, response.request, citizen, scores)
    if bot is not None:
        await bot.edit_message_text(chat_id=citizen.chat_id, message_id=message_id, text=text, reply_markup=kb)
    else:
        await message.edit_text(text, reply_markup=kb)
        message_id = message.message_id
    await survey.remember_message(response, message_id)
    await _context(state, response)


async def _context(state: FSMContext, response: SurveyResponse) -> None:
    """While the questionnaire is open, text is its free-text answer or gets a hint (never a search)."""
    kind = survey.load_form().step(response.step).kind
    if response.completed_at is not None or kind == "done":
        if await state.get_state() in (SurveyStates.suggestion.state, SurveyStates.answering.state):
            await flows.leave(state)
        return
    step = SurveyStates.suggestion if kind == "suggestion" else SurveyStates.answering
    await flows.enter(state, step, survey_request=response.request_id)


@router.callback_query(RequestCb.filter(F.action == "survey"))
async def from_request_view(
    query: CallbackQuery, callback_data: RequestCb, l10n: L10n, citizen: Citizen, state: FSMContext
):
    """Start or resume from the request's tracking view (the view becomes the questionnaire)."""
    request = await requests.find_for_owner(citizen, callback_data.code)
    try:
        response = await survey.open_for(citizen, request.id if request else 0)
    except survey.SurveyRefused:
        await query.answer(l10n.button("survey-not-found"), show_alert=True)
        return
    await query.answer()
    await _show(query.message, l10n, citizen, response, state)


@router.callback_query(SurveyCb.filter())
async def on_button(query: CallbackQuery, callback_data: SurveyCb, l10n: L10n, citizen: Citizen, state: FSMContext):
    try:
        response = await survey.open_for(citizen, callback_data.request)
    except survey.SurveyRefused:  # a stranger's request id is refused like one that does not exist
        await query.answer(l10n.button("survey-not-found"), show_alert=True)
        return
    action, value = callback_data.action, callback_data.value
    if action == "later":
        await query.answer()
        await flows.leave(state)
        text = l10n(
            "survey-left",
            code=l10n.code(response.request.tracking_code),
            service=pick(response.request.snapshot.title, l10n.lang),
        )
        if response.completed_at is None:
            await query.message.edit_text(text)
        return
    if action == "back":
        await survey.back(response)
    elif action in ("pick", "skip"):
        if not await survey.answer(response, citizen, callback_data.step, value if action == "pick" else ""):
            await query.answer(l10n.button("survey-stale"))  # an old button: show where we are
            await _show(query.message, l10n, citizen, response, state)
            return
    await query.answer()
    await _show(query.message, l10n, citizen, response, state)


@router.message(StateFilter(SurveyStates.suggestion), Magic(F.text))
async def suggestion(message: Message, bot: Bot, l10n: L10n, citizen: Citizen, state: FSMContext):
    request_id = (await state.get_data()).get("survey_request")
    try:
        response = await survey.open_for(citizen, request_id or 0)
    except survey.SurveyRefused:
        await flows.leave(state)
        return
    await survey.answer(response, citizen, response.step, message.text)
    await flows.leave(state)
    if response.message_id:
        await _show(message, l10n, citizen, response, state, bot=bot, message_id=response.message_id)
    else:
        await message.answer(l10n("survey-done"))


@router.message(StateFilter(SurveyStates.answering, SurveyStates.suggestion))
async def hint(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext):
    """Something typed or sent while the questionnaire waits for a button: a hint, and the
    questionnaire again below it (the earlier message may have scrolled away)."""
    data = await state.get_data()
    try:
        response = await survey.open_for(citizen, data.get("survey_request") or 0)
    except survey.SurveyRefused:
        await flows.leave(state)
        await message.answer(l10n("unknown-input"))
        return
    suggestion = await state.get_state() == SurveyStates.suggestion.state
    await message.answer(l10n("survey-text-only" if suggestion else "survey-use-buttons"))
    text, kb = survey_view(l10n, response, response.request, citizen, await survey.answered_scores(response))
    sent = await message.answer(text, reply_markup=kb)
    await survey.remember_message(response, sent.message_id)
