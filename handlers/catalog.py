"""The catalogue: agencies -> services, search by typing, and each service's information package."""

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import CatalogCb, MenuCb, SearchCb, ServiceCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.states import FormStates
from bot.throttle import refused
from bot.views import keyboards
from bot.views.catalog import send_service
from bot.views.render import pick
from bot.views.tracking import show_request_by_code
from desk import tracking

router = Routes("catalog")


@router.callback_query(MenuCb.filter(F.action == "catalog"))
@router.callback_query(CatalogCb.filter(F.agency == ""))
async def show_agencies(query: CallbackQuery, l10n: L10n, services: Services):
    await query.message.edit_text(l10n("catalog-agencies"), reply_markup=keyboards.agencies(l10n, services.catalog))
    await query.answer()


@router.callback_query(CatalogCb.filter())
async def show_services(query: CallbackQuery, callback_data: CatalogCb, l10n: L10n, services: Services):
    agency = services.catalog.agencies.get(callback_data.agency)
    if agency is None:
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    cards = services.catalog.by_agency(agency.code)
    await query.message.edit_text(
        l10n("catalog-services", agency=pick(agency.title, l10n.lang), count=len(cards)),
        reply_markup=keyboards.agency_services(l10n, services.catalog, agency.code, callback_data.page),
    )
    await query.answer()


@router.callback_query(ServiceCb.filter(F.section != "apply"))
async def show_service(query: CallbackQuery, callback_data: ServiceCb, l10n: L10n, services: Services):
    card = services.catalog.services.get(callback_data.code)
    if card is None or callback_data.section not in ("main", *keyboards.INFO_SECTIONS):
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await send_service(query.message, l10n, card, services.catalog, section=callback_data.section, edit=True)
    await query.answer()


@router.message(StateFilter(None, FormStates.paused), PrivateChat(), Magic(F.text), Magic(~F.text.startswith("/")))
async def search(message: Message, l10n: L10n, citizen, state: FSMContext, services: Services):
    """Free text outside a form: a tracking code is looked up, anything else searches services."""
    if tracking.looks_like_code(message.text):
        if await refused(services.throttle, "tracking", message, l10n, citizen.id):
            return
        await show_request_by_code(message, l10n, citizen, message.text)
        return
    words = message.text[:200]
    found = services.catalog.search(words, l10n.lang)
    if not found:
        await message.answer(l10n("search-none", query=words), reply_markup=keyboards.main_menu(l10n))
        return
    await state.update_data(search=words)  # for the pages' buttons
    await message.answer(
        l10n("search-found", count=len(found), query=words),
        reply_markup=keyboards.search_results(l10n, found, 0, words),
    )


@router.callback_query(SearchCb.filter())
async def search_page(query: CallbackQuery, callback_data: SearchCb, l10n: L10n, state: FSMContext, services: Services):
    words = (await state.get_data()).get("search")
    same = words and keyboards.search_key(words) == callback_data.key
    found = services.catalog.search(words, l10n.lang) if same else []
    pages = (len(found) + keyboards.PAGE - 1) // keyboards.PAGE
    if not found or not 0 <= callback_data.page < pages:
        await query.answer(l10n.button("search-expired"), show_alert=True)
        return
    await query.message.edit_text(
        l10n("search-found", count=len(found), query=words),
        reply_markup=keyboards.search_results(l10n, found, callback_data.page, words),
    )
    await query.answer()
