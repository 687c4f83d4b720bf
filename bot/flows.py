"""Conversation steps several routers share: opening a service's form (after the profile it
needs), showing the form's next step, dropping a half-filled draft, asking for the profile.
They move the chat's FSM state and answer with bot/views/; the rules are desk/'s."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove

from bot.l10n import L10n
from bot.states import FormStates, ProfileStates
from bot.views import form as form_views
from bot.views import keyboards
from bot.views.render import pick
from desk import forms
from models import Citizen

# --- the form -------------------------------------------------------------------------------------


async def discard_draft(state: FSMContext) -> None:
    """Forget a half-filled form (its uploaded files are not attached to any request)."""
    await forms.discard_files(await state.get_data())
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
    if field.type == "location":
        await message.answer(l10n("form-location-button"), reply_markup=keyboards.share_location(l10n))
    elif field.type == "mobile":
        await message.answer(l10n("form-mobile-button"), reply_markup=keyboards.share_contact(l10n))
    await message.answer(
        form_views.question(l10n, card, draft, field),
        reply_markup=form_views.field_keyboard(l10n, card, draft, field),
    )


# --- the profile ----------------------------------------------------------------------------------

PROFILE_STEPS = {"name": ProfileStates.name, "national_id": ProfileStates.national_id, "mobile": ProfileStates.mobile}


async def ask_profile(message: Message, l10n: L10n, state: FSMContext, step: str) -> None:
    await state.set_state(PROFILE_STEPS[step])
    if step == "mobile":
        await message.answer(l10n("profile-ask-mobile"), reply_markup=keyboards.share_contact(l10n))
    else:
        await message.answer(l10n(f"profile-ask-{step.replace('_', '-')}"))


async def begin_profile(
    message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, *, then_service: str
) -> None:
    """Ask for whatever the profile lacks, then open the service's form."""
    await state.set_data({"then_service": then_service})
    await message.answer(l10n("profile-intro"))
    await ask_profile(message, l10n, state, next_missing(citizen))


def next_missing(citizen: Citizen) -> str | None:
    for step, attr in (("name", "full_name"), ("national_id", "national_id"), ("mobile", "mobile")):
        if not getattr(citizen, attr):
            return step
    return None
