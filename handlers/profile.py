"""The citizen's profile: name, national ID and mobile, filled once and reused (capability 1)."""

from aiogram import F
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot import flows
from bot.callbacks import MenuCb, ProfileCb, StepCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.states import ProfileStates
from bot.views import keyboards
from bot.views.profile import profile_text
from desk import validators
from models import Citizen

router = Routes("profile")
router.message.filter(PrivateChat())


@router.message(Command("profile"))
async def show_profile(message: Message, l10n: L10n, citizen: Citizen):
    await message.answer(profile_text(l10n, citizen), reply_markup=keyboards.profile(l10n))


@router.callback_query(MenuCb.filter(F.action == "profile"))
async def show_profile_button(query: CallbackQuery, l10n: L10n, citizen: Citizen):
    await query.message.edit_text(profile_text(l10n, citizen), reply_markup=keyboards.profile(l10n))
    await query.answer()


@router.callback_query(ProfileCb.filter(F.action.in_(flows.PROFILE_STEPS)))
async def edit_one(query: CallbackQuery, callback_data: ProfileCb, l10n: L10n, state: FSMContext):
    await flows.enter(state, flows.PROFILE_STEPS[callback_data.action], single=True)  # a paused form stays
    await flows.ask_profile(query.message, l10n, state, callback_data.action)
    await query.answer()


@router.callback_query(StateFilter(*flows.PROFILE_STEPS.values()), StepCb.filter(F.action == "back"))
async def step_back(query: CallbackQuery, l10n: L10n, state: FSMContext):
    asked = (await state.get_data()).get("profile_asked", [])
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    if len(asked) < 2:
        return
    await state.update_data(profile_asked=asked[:-1])
    if asked[-1] == "mobile":
        await query.message.answer(l10n("form-going-back"), reply_markup=ReplyKeyboardRemove())
    await flows.ask_profile(query.message, l10n, state, asked[-2])


@router.callback_query(StateFilter(*flows.PROFILE_STEPS.values()), StepCb.filter(F.action == "cancel"))
async def step_cancel(query: CallbackQuery, l10n: L10n, state: FSMContext):
    """Leave the profile questions: what was answered is kept, a paused form waits on the menu."""
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await flows.leave(state)
    await query.message.answer(l10n("profile-cancelled"), reply_markup=ReplyKeyboardRemove())


async def _saved(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, catalog, **fields) -> None:
    for k, v in fields.items():
        setattr(citizen, k, v)
    await citizen.save(update_fields=[*fields, "updated_at"])
    data = await state.get_data()
    step = None if data.get("single") else flows.next_missing(citizen)
    if step:
        await flows.ask_profile(message, l10n, state, step)
        return
    await flows.leave(state)
    await message.answer(l10n("profile-saved"), reply_markup=ReplyKeyboardRemove())
    if (card := catalog.services.get(data.get("then_service") or "")) is not None:
        await flows.start_form(message, l10n, citizen, state, card)
    else:
        await message.answer(profile_text(l10n, citizen), reply_markup=keyboards.profile(l10n))


@router.message(StateFilter(ProfileStates.name), Magic(F.text))
async def got_name(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services):
    name = validators.short_text(message.text, 100)
    await _saved(message, l10n, citizen, state, services.catalog, full_name=name)


@router.message(StateFilter(ProfileStates.national_id), Magic(F.text))
async def got_national_id(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services):
    nid = validators.national_id(message.text)
    await _saved(message, l10n, citizen, state, services.catalog, national_id=nid)


@router.message(StateFilter(ProfileStates.mobile), Magic(F.contact))
async def got_contact(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services):
    if message.contact.user_id != message.from_user.id:
        await message.answer(l10n("error-not-own-contact"), reply_markup=keyboards.share_contact(l10n))
        return
    mobile = validators.mobile_from_contact(message.contact.phone_number)
    await _saved(message, l10n, citizen, state, services.catalog, mobile=mobile, mobile_verified=True)


@router.message(StateFilter(ProfileStates.mobile), Magic(F.text))
async def got_mobile(message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services):
    try:
        mobile = validators.mobile(message.text)
    except validators.ValidationError as e:
        await message.answer(l10n.error(e), reply_markup=keyboards.share_contact(l10n))
        return
    await _saved(message, l10n, citizen, state, services.catalog, mobile=mobile, mobile_verified=False)


@router.message(StateFilter(ProfileStates.name, ProfileStates.national_id, ProfileStates.mobile))
async def wrong_kind(message: Message, l10n: L10n):
    await message.answer(l10n("error-send-text"))
