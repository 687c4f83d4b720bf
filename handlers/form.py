"""Filling a service's form, its documents, the review screen and the one-time submission."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot import flows
from bot.access import actor_of
from bot.callbacks import FormCb, MenuCb, ServiceCb
from bot.delivery.files import IMAGE_KINDS, keep_file, quota
from bot.filters import Magic, PrivateChat
from bot.flows import discard_draft, show_form
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.states import FormStates
from bot.views import form as form_views
from bot.views import keyboards
from bot.views.render import pick
from desk import forms, requests, validators
from desk.catalog import (
    Catalog,
    ChoiceField,
    DocumentField,
    Field,
    FileField,
    LocationField,
    MobileField,
    MultiChoiceField,
    YesNoField,
)
from models import Citizen, Request

router = Routes("form")
router.message.filter(PrivateChat())
router.edited_message.filter(PrivateChat())


# --- starting, resuming, cancelling -------------------------------------------------------------


@router.callback_query(ServiceCb.filter(F.section == "apply"))
async def apply(
    query: CallbackQuery,
    callback_data: ServiceCb,
    l10n: L10n,
    citizen: Citizen,
    state: FSMContext,
    services: Services,
):
    await query.answer()
    card = services.catalog.services.get(callback_data.code)
    if card is None:
        await query.message.answer(l10n("button-expired"))
        return
    await requests.check_open_limit(citizen, card.code, services.settings.limits.open_requests_per_service)
    await discard_draft(state, services.store)
    await flows.open_form(query.message, l10n, citizen, state, card)


@router.callback_query(MenuCb.filter(F.action == "resume"))
async def resume(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    await query.answer()
    data = await flows.paused_form(state) or {}
    card = services.catalog.services.get(data.get("svc", ""))
    if card is None:
        await query.message.answer(l10n("form-none"))
        return
    await show_form(query.message, l10n, state, card, {k: v for k, v in data.items() if k not in flows.STEP_KEYS})


@router.callback_query(FormCb.filter(F.action == "cancel"))
async def cancel(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    """Cancel (or the menu's Discard): a form with answers is discarded only once confirmed."""
    if await flows.paused_form(state) is None:
        await query.answer(l10n.button("form-none"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await flows.ask_discard(query.message, l10n, state, services)


@router.callback_query(FormCb.filter(F.action == "discard"))
async def discard(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    if await flows.paused_form(state) is None:
        await query.answer(l10n.button("form-none"), show_alert=True)
        return
    await query.answer()
    await discard_draft(state, services.store)
    await query.message.edit_text(l10n("form-discarded"), reply_markup=keyboards.main_menu(l10n))


@router.callback_query(FormCb.filter(F.action == "keep"))
async def keep(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    draft = await flows.paused_form(state)
    card = services.catalog.services.get(draft["svc"]) if draft else None
    if card is None:
        await query.answer(l10n.button("form-none"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await show_form(query.message, l10n, state, card, draft)


# --- asking ---------------------------------------------------------------------------------------


async def _load(state: FSMContext, catalog: Catalog):
    data = await state.get_data()
    card = catalog.services.get(data.get("svc", ""))
    return card, data


# --- answers ----------------------------------------------------------------------------------------


async def _accept(message: Message, l10n: L10n, state: FSMContext, card, draft: dict, value) -> None:
    draft["answers"][forms.current(card, draft).name] = value
    forms.advance(card, draft)
    await show_form(message, l10n, state, card, draft)


@router.message(StateFilter(FormStates.filling), Magic(F.text), Magic(~F.text.startswith("/")))
async def got_text(message: Message, l10n: L10n, state: FSMContext, services: Services):
    card, draft = await _load(state, services.catalog)
    field = card and forms.current(card, draft)
    if field is None:
        await message.answer(l10n("form-none"))
        return
    if isinstance(field, FileField | LocationField):
        await message.answer(l10n(f"error-send-{field.type}"))
        return
    value = field.parse(message.text, services.clock.today())
    draft["last_text"] = {"message_id": message.message_id, "field": field.name}  # an edit of it is applied
    await _accept(message, l10n, state, card, draft, value)


@router.edited_message(StateFilter(FormStates.filling, FormStates.review))
async def edited_answer(message: Message, l10n: L10n, state: FSMContext, services: Services):
    """The person edited a message: the answer it gave is changed when it is the latest text answer,
    else they are told how to change an answer (the review's Edit buttons)."""
    card, draft = await _load(state, services.catalog)
    last = draft.get("last_text") or {}
    if card is None or message.text is None or last.get("message_id") != message.message_id:
        await message.answer(l10n("form-edit-on-review"))
        return
    field = card.field(last["field"])
    draft["answers"][field.name] = field.parse(message.text, services.clock.today())
    await message.answer(l10n("form-answer-changed", label=pick(field.label, l10n.lang)))
    await show_form(message, l10n, state, card, draft)


@router.message(StateFilter(FormStates.filling), Magic(F.contact))
async def got_contact(message: Message, l10n: L10n, state: FSMContext, services: Services):
    card, draft = await _load(state, services.catalog)
    field = card and forms.current(card, draft)
    if not isinstance(field, MobileField):
        await message.answer(l10n("error-unexpected"))
        return
    if message.contact.user_id != message.from_user.id:
        await message.answer(l10n("error-not-own-contact"))
        return
    value = validators.mobile_from_contact(message.contact.phone_number)
    await message.answer(l10n("form-contact-received"), reply_markup=ReplyKeyboardRemove())
    await _accept(message, l10n, state, card, draft, value)


@router.message(StateFilter(FormStates.filling), Magic(F.location))
async def got_location(message: Message, l10n: L10n, state: FSMContext, services: Services):
    card, draft = await _load(state, services.catalog)
    field = card and forms.current(card, draft)
    if not isinstance(field, LocationField):
        await message.answer(l10n("error-unexpected"))
        return
    await message.answer(l10n("form-location-received"), reply_markup=ReplyKeyboardRemove())
    await _accept(
        message, l10n, state, card, draft, {"lat": message.location.latitude, "lon": message.location.longitude}
    )


@router.message(StateFilter(FormStates.filling), Magic(F.document | F.photo))
async def got_file(
    message: Message,
    bot: Bot,
    l10n: L10n,
    citizen: Citizen,
    state: FSMContext,
    services: Services,
):
    card, draft = await _load(state, services.catalog)
    field = card and forms.current(card, draft)
    if not isinstance(field, FileField):
        await message.answer(form_views.expected(l10n, field))
        return
    earlier = list(draft["answers"].get(field.name) or [])
    if len(earlier) >= field.max_files:  # however the file arrives (an album, a field edited on the review)
        raise validators.ValidationError("files-full", max=field.max_files)
    limit_mb = min(field.max_size_mb, services.settings.documents.max_size_mb)
    accept = field.accept if isinstance(field, DocumentField) else IMAGE_KINDS
    doc = await keep_file(
        message,
        bot,
        services.store,
        platform=citizen.platform,
        citizen=citizen,
        role="form",
        accept=accept,
        max_mb=limit_mb,
        field=field.name,
        quota=quota(services.settings, citizen, forms.document_ids(draft, card)),
    )
    files = earlier + [doc.id]
    draft["answers"][field.name] = files
    if len(files) >= field.max_files:
        forms.advance(card, draft)
        await show_form(message, l10n, state, card, draft)
        return
    await state.set_data(draft)
    await message.answer(
        l10n("form-file-received", name=doc.file_name, count=len(files), max=field.max_files),
        reply_markup=form_views.field_keyboard(l10n, card, draft, field),
    )


@router.message(StateFilter(FormStates.filling))
async def got_other(message: Message, l10n: L10n, state: FSMContext, services: Services):
    """A sticker, a voice note, a video note, an animation...: what this question expects."""
    card, draft = await _load(state, services.catalog)
    await message.answer(form_views.expected(l10n, card and forms.current(card, draft)))


@router.message(StateFilter(FormStates.review), Magic(~F.text.startswith("/")))
async def got_other_on_review(message: Message, l10n: L10n):
    await message.answer(l10n("error-use-buttons"))


# --- buttons ----------------------------------------------------------------------------------------


async def _button_field(
    query: CallbackQuery, l10n: L10n, state: FSMContext, catalog: Catalog, types: type[Field] | tuple[type[Field], ...]
):
    card, draft = await _load(state, catalog)
    field = card and forms.current(card, draft)
    if await state.get_state() != FormStates.filling.state or not isinstance(field, types):
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return None, None, None
    await query.answer()
    return card, draft, field


@router.callback_query(FormCb.filter(F.action == "pick"))
async def pick_option(query: CallbackQuery, callback_data: FormCb, l10n: L10n, state: FSMContext, services: Services):
    card, draft, field = await _button_field(query, l10n, state, services.catalog, ChoiceField)
    if field is None:
        return
    if callback_data.value not in {o.value for o in field.options}:
        await query.message.answer(l10n("error-use-buttons"))
        return
    await query.message.edit_reply_markup(reply_markup=None)
    await _accept(query.message, l10n, state, card, draft, callback_data.value)


@router.callback_query(FormCb.filter(F.action.in_({"yes", "no"})))
async def yes_no(query: CallbackQuery, callback_data: FormCb, l10n: L10n, state: FSMContext, services: Services):
    card, draft, field = await _button_field(query, l10n, state, services.catalog, YesNoField)
    if field is None:
        return
    await query.message.edit_reply_markup(reply_markup=None)
    await _accept(query.message, l10n, state, card, draft, callback_data.action == "yes")


@router.callback_query(FormCb.filter(F.action == "toggle"))
async def toggle(query: CallbackQuery, callback_data: FormCb, l10n: L10n, state: FSMContext, services: Services):
    card, draft, field = await _button_field(query, l10n, state, services.catalog, MultiChoiceField)
    if field is None or callback_data.value not in {o.value for o in field.options}:
        return
    chosen = list(draft["answers"].get(field.name) or [])
    chosen.remove(callback_data.value) if callback_data.value in chosen else chosen.append(callback_data.value)
    draft["answers"][field.name] = [o.value for o in field.options if o.value in chosen]
    await state.set_data(draft)
    await query.message.edit_reply_markup(reply_markup=form_views.field_keyboard(l10n, card, draft, field))


@router.callback_query(FormCb.filter(F.action == "done"))
async def done(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    card, draft, field = await _button_field(query, l10n, state, services.catalog, (MultiChoiceField, FileField))
    if field is None:
        return
    if field.required and not draft["answers"].get(field.name):
        await query.message.answer(l10n("error-required"))
        return
    if isinstance(field, MultiChoiceField):
        low, high = field.limits(services.clock.today())
        validators.multi_choice(draft["answers"].get(field.name) or [], [o.value for o in field.options], low, high)
    await query.message.edit_reply_markup(reply_markup=None)
    forms.advance(card, draft)
    await show_form(query.message, l10n, state, card, draft)


@router.callback_query(FormCb.filter(F.action == "skip"))
async def skip(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    card, draft, field = await _button_field(query, l10n, state, services.catalog, Field)
    if field is None:
        return
    if field.required:
        await query.message.answer(l10n("error-required"))
        return
    await query.message.edit_reply_markup(reply_markup=None)
    if isinstance(field, form_views.REPLY_KEYBOARD_FIELDS):  # take the share-location/contact keyboard away too
        await query.message.answer(l10n("form-skipped"), reply_markup=ReplyKeyboardRemove())
    await _accept(query.message, l10n, state, card, draft, None)


@router.callback_query(FormCb.filter(F.action == "back"))
async def go_back(query: CallbackQuery, l10n: L10n, state: FSMContext, services: Services):
    card, draft = await _load(state, services.catalog)
    if card is None:
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    leaving = forms.current(card, draft)
    if isinstance(leaving, form_views.REPLY_KEYBOARD_FIELDS):
        await query.message.answer(l10n("form-going-back"), reply_markup=ReplyKeyboardRemove())
    forms.back(card, draft)
    await show_form(query.message, l10n, state, card, draft)


@router.callback_query(FormCb.filter(F.action == "edit"))
async def edit_answer(query: CallbackQuery, callback_data: FormCb, l10n: L10n, state: FSMContext, services: Services):
    card, draft = await _load(state, services.catalog)
    if (
        card is None
        or await state.get_state() != FormStates.review.state
        or not forms.edit(card, draft, callback_data.value)
    ):
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await show_form(query.message, l10n, state, card, draft)


@router.callback_query(FormCb.filter(F.action == "submit"))
async def submit(
    query: CallbackQuery,
    callback_data: FormCb,
    l10n: L10n,
    citizen: Citizen,
    state: FSMContext,
    services: Services,
):
    earlier = await Request.get_or_none(submit_token=callback_data.value, citizen=citizen)
    card, draft = await _load(state, services.catalog)
    if earlier is None and (
        card is None
        or await state.get_state() != FormStates.review.state
        or draft.get("token") != callback_data.value
        or forms.missing_required(card, draft)
    ):
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await query.answer()
    if earlier is not None:
        await form_views.send_receipt(query.message, l10n, earlier, again=True)
        return
    walk_in = draft.get("walkin")  # desk staff registering a walk-in citizen's request
    if not walk_in and form_views.pays_before_submit(query.bot, card):  # a forged or old Submit button
        await query.message.answer(l10n("pay-first"))
        return
    result = await flows.submit_form(
        state,
        citizen,
        card,
        draft,
        services,
        registered_by=actor_of(query.from_user, citizen.platform) if walk_in else None,
        open_limit=services.settings.limits.open_requests_per_service,
    )
    await query.message.edit_reply_markup(reply_markup=None)
    await form_views.send_receipt(query.message, l10n, result.request, again=not result.created)
    if walk_in:
        owner = await result.request.citizen
        await query.message.answer(l10n("walkin-registered", messenger=owner.chat_id is not None))
