"""Conversation steps several routers share: opening a service's form (after the profile it
needs), showing the form's next step, dropping a half-filled draft, asking for the profile.
They move the chat's FSM state and answer with bot/views/; the rules are desk/'s.

What a citizen is in the middle of is kept in the FSM: a form (filling, on its review, or paused
by a command or the menu) and, on top of it, at most one short step (a profile question, a
complaint, a message to staff, the survey). Leaving a short step comes back to the paused form, if
any; the form's draft stays in the FSM data under its own keys (desk/forms.py) the whole time. A
command or a menu button during a form pauses it (bot/middlewares.ContextMiddleware): the menu then
offers Continue and Discard, and text typed meanwhile is a search, not an answer."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove

from bot.l10n import L10n
from bot.services import Services
from bot.states import ComplaintStates, ConversationStates, FormStates, ProfileStates, SurveyStates
from bot.views import form as form_views
from bot.views import keyboards
from bot.views import steps as step_views
from bot.views.render import pick
from desk import forms, requests
from desk.catalog import LocationField, MobileField
from desk.documents import DocumentStore
from desk.staff import Actor
from models import Channel, Citizen

# --- what the citizen is in the middle of --------------------------------------------------------
FORM = (FormStates.filling.state, FormStates.review.state)
PAUSED = FormStates.paused.state
# short steps a command leaves (their own keys in the FSM data, removed on leaving)
STEPS = {
    ProfileStates.name.state: ("single", "then_service", "profile_asked"),
    ProfileStates.national_id.state: ("single", "then_service", "profile_asked"),
    ProfileStates.mobile.state: ("single", "then_service", "profile_asked"),
    ComplaintStates.text.state: ("complaint_request",),
    ConversationStates.replying.state: ("request",),
    SurveyStates.suggestion.state: ("survey_request",),
    SurveyStates.answering.state: ("survey_request",),
}
STEP_KEYS = {key for keys in STEPS.values() for key in keys}


def has_form(data: dict) -> bool:
    return "svc" in data and "answers" in data


async def pause(state: FSMContext) -> bool:
    """A form being filled is paused (its draft kept); True when there was one."""
    if await state.get_state() in FORM:
        await state.set_state(FormStates.paused)
        return True
    return False


async def enter(state: FSMContext, step, **data) -> None:
    """Start a short step, keeping a paused form's draft underneath."""
    current = await state.get_data()
    kept = {k: v for k, v in current.items() if k not in STEP_KEYS} if has_form(current) else {}
    if not has_form(current):
        kept = {k: v for k, v in current.items() if k == "search"}
    await state.set_state(step)
    await state.set_data({**kept, **data})


async def leave(state: FSMContext) -> None:
    """End the short step: back to the paused form if there is one, else nothing in progress
    (the last search is remembered for its Next and Previous buttons)."""
    data = await state.get_data()
    if has_form(data):
        await state.set_state(FormStates.paused)
        await state.set_data({k: v for k, v in data.items() if k not in STEP_KEYS})
        return
    await state.set_state(None)
    await state.set_data({k: v for k, v in data.items() if k == "search"})


async def paused_form(state: FSMContext) -> dict | None:
    """The draft of a form the citizen left unfinished (paused, or interrupted by a step)."""
    data = await state.get_data()
    return data if has_form(data) else None


# --- the form -------------------------------------------------------------------------------------


async def ask_discard(message: Message, l10n: L10n, state: FSMContext, services: Services) -> None:
    """Discard the unfinished form: at once when it has no answers of the citizen's own, else after
    a confirmation (FormCb discard / keep)."""
    draft = await paused_form(state)
    card = services.catalog.services.get(draft["svc"]) if draft else None
    count = forms.given_answers(card, draft) if draft else 0
    if count == 0:
        await discard_draft(state, services.store)
        await message.answer(l10n("cancelled"), reply_markup=keyboards.main_menu(l10n))
        return
    assert draft is not None  # answers were given
    text, kb = step_views.discard_confirm(l10n, pick(card.title, l10n.lang) if card else draft["svc"], count)
    await message.answer(text, reply_markup=kb)


async def discard_draft(state: FSMContext, store: DocumentStore) -> None:
    """Forget a half-filled form and delete the files it uploaded (attached to no request yet)."""
    await forms.discard_files(await state.get_data(), store)
    await state.clear()


async def open_form(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, card) -> None:
    """A service's form from the start; the profile first when it is incomplete."""
    if not citizen.has_profile:
        await begin_profile(message, l10n, citizen, state, then_service=card.code)
        return
    await start_form(message, l10n, citizen, state, card)


async def start_form(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, card) -> None:
    draft = forms.new_draft(
        card, {"full_name": citizen.full_name, "national_id": citizen.national_id, "mobile": citizen.mobile}
    )
    await message.answer(
        l10n("form-intro", service=pick(card.title, l10n.lang), count=len(card.form)),
        reply_markup=ReplyKeyboardRemove(),
    )
    await show_form(message, l10n, state, card, draft)


async def start_walk_in(message: Message, l10n: L10n, state: FSMContext, card, by: str) -> None:
    """Desk staff fill a service's form for a walk-in citizen: nothing prefilled from the staff
    member's own profile; submitting registers the request in person (channel: in person)."""
    draft = forms.new_draft(card, {}) | {"walkin": by}
    await message.answer(
        l10n("walkin-intro", service=pick(card.title, l10n.lang), count=len(card.form)),
        reply_markup=ReplyKeyboardRemove(),
    )
    await show_form(message, l10n, state, card, draft)


async def show_form(message: Message, l10n: L10n, state: FSMContext, card, draft: dict) -> None:
    """Save the draft and show what comes next: the current field's question, or the review."""
    if forms.done(card, draft):
        await state.set_state(FormStates.review)
        await state.set_data(draft)
        await form_views.send_review(message, l10n, card, draft)
        return
    await state.set_state(FormStates.filling)
    await state.set_data(draft)
    field = forms.current(card, draft)
    if isinstance(field, LocationField):
        await message.answer(l10n("form-location-button"), reply_markup=keyboards.share_location(l10n))
    elif isinstance(field, MobileField):
        await message.answer(l10n("form-mobile-button"), reply_markup=keyboards.share_contact(l10n))
    await message.answer(
        form_views.question(l10n, card, draft, field),
        reply_markup=form_views.field_keyboard(l10n, card, draft, field),
    )


async def submit_form(
    state: FSMContext,
    citizen: Citizen,
    card,
    draft: dict,
    services,
    *,
    registered_by: Actor | None = None,
    open_limit: int | None = None,
) -> requests.Submission:
    """Submit the draft (once: its token) and end the form. `registered_by`: desk staff registering
    a walk-in citizen's request, whose owner is found from the answers. `open_limit`: the open
    requests the owner may hold for this service (ValidationError "open-requests" beyond; a paid
    form is submitted whatever, its limit was checked when it was opened)."""
    owner = await requests.walk_in_citizen(card, draft["answers"]) if registered_by else citizen
    if open_limit is not None:
        await requests.check_open_limit(owner, card.code, open_limit)
    result = await requests.submit(
        citizen=owner,
        card=card,
        catalog=services.catalog,
        answers=forms.answers_for_request(card, draft),
        document_ids=forms.document_ids(draft, card),
        submit_token=draft["token"],
        calendar=services.calendar,
        tz=services.clock.tz,
        channel=Channel.IN_PERSON if registered_by else Channel.MESSENGER,
        registered_by=registered_by,
        uploader=citizen,
    )
    await state.clear()
    return result


# --- the profile ----------------------------------------------------------------------------------

PROFILE_STEPS = {"name": ProfileStates.name, "national_id": ProfileStates.national_id, "mobile": ProfileStates.mobile}


async def ask_profile(message: Message, l10n: L10n, state: FSMContext, step: str) -> None:
    """Ask one profile question, with Back (to the question before it in this round) and Cancel."""
    asked = [s for s in (await state.get_data()).get("profile_asked", []) if s != step] + [step]
    await state.set_state(PROFILE_STEPS[step])
    await state.update_data(profile_asked=asked)
    if step == "mobile":  # the share button is a reply keyboard, on a message of its own
        await message.answer(l10n("form-mobile-button"), reply_markup=keyboards.share_contact(l10n))
    await message.answer(
        l10n(f"profile-ask-{step.replace('_', '-')}"), reply_markup=step_views.step_nav(l10n, back=len(asked) > 1)
    )


async def begin_profile(
    message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, *, then_service: str
) -> None:
    """Ask for whatever the profile lacks, then open the service's form."""
    await state.set_data({"then_service": then_service})
    await message.answer(l10n("profile-intro"))
    step = next_missing(citizen)
    assert step is not None, "begin_profile is called only for a profile that lacks something"
    await ask_profile(message, l10n, state, step)


def next_missing(citizen: Citizen) -> str | None:
    for step, attr in (("name", "full_name"), ("national_id", "national_id"), ("mobile", "mobile")):
        if not getattr(citizen, attr):
            return step
    return None
