"""/start, the main menu, /lang and /cancel (/help: handlers/help.py)."""

from aiogram import F
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot import flows
from bot.callbacks import LangCb, MenuCb
from bot.filters import PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.views import keyboards
from bot.views import steps as step_views
from bot.views.catalog import send_service
from bot.views.render import pick
from desk import forms
from models import Citizen

router = Routes("start")
router.message.filter(PrivateChat())


async def _home(l10n: L10n, citizen: Citizen, state: FSMContext, raw_state: str | None, catalog) -> tuple[str, object]:
    """The greeting and the menu, with Continue and Discard for a form left unfinished (paused by
    bot.middlewares.ContextMiddleware before this handler ran)."""
    text = l10n("start-greeting", name=citizen.full_name or citizen.first_name)
    draft = await flows.paused_form(state) if raw_state is not None else None  # idle: no extra read
    if draft is None:
        return text, keyboards.main_menu(l10n)
    card = catalog.services.get(draft["svc"])
    service = pick(card.title, l10n.lang) if card else draft["svc"]
    line = step_views.paused_line(l10n, service, forms.given_answers(card, draft))
    return text + "\n\n" + line, keyboards.main_menu(l10n, resume=True)


@router.message(CommandStart(deep_link=True))
async def start_deep_link(
    message: Message,
    command: CommandObject,
    l10n: L10n,
    citizen,
    state: FSMContext,
    raw_state: str | None,
    services: Services,
):
    arg = command.args or ""
    if arg.startswith("s_") and arg[2:] in services.catalog.services:
        await send_service(message, l10n, services.catalog.services[arg[2:]], services.catalog)
        return
    text, kb = await _home(l10n, citizen, state, raw_state, services.catalog)
    await message.answer(text, reply_markup=kb)


@router.message(CommandStart())
async def start(
    message: Message, l10n: L10n, citizen: Citizen, state: FSMContext, raw_state: str | None, services: Services
):
    text, kb = await _home(l10n, citizen, state, raw_state, services.catalog)
    await message.answer(text, reply_markup=kb)


@router.callback_query(MenuCb.filter(F.action == "home"))
async def home(
    query: CallbackQuery, l10n: L10n, citizen: Citizen, state: FSMContext, raw_state: str | None, services: Services
):
    text, kb = await _home(l10n, citizen, state, raw_state, services.catalog)
    await query.message.edit_text(text, reply_markup=kb)
    await query.answer()


@router.message(Command("lang"))
async def lang_command(message: Message, l10n: L10n):
    await message.answer(l10n("lang-choose"), reply_markup=keyboards.languages(l10n))


@router.callback_query(MenuCb.filter(F.action == "lang"))
async def lang_button(query: CallbackQuery, l10n: L10n):
    await query.message.answer(l10n("lang-choose"), reply_markup=keyboards.languages(l10n))
    await query.answer()


@router.callback_query(LangCb.filter())
async def lang_set(query: CallbackQuery, callback_data: LangCb, citizen: Citizen, services: Services):
    if callback_data.lang not in ("fa", "en"):
        await query.answer()
        return
    citizen.language = callback_data.lang
    await citizen.save(update_fields=["language", "updated_at"])
    l10n = services.locales.get(citizen.language)
    await query.message.edit_text(l10n("lang-set"), reply_markup=keyboards.main_menu(l10n))
    await query.answer()


@router.message(Command("cancel"))
async def cancel(message: Message, l10n: L10n, state: FSMContext, raw_state: str | None, services: Services):
    """/cancel: leaves a short step (back to a paused form), or discards a form (confirmed when it
    has answers)."""
    if raw_state in flows.STEPS:
        await flows.leave(state)
        await message.answer(l10n("cancelled"), reply_markup=ReplyKeyboardRemove())
    elif raw_state is not None and await flows.paused_form(state) is not None:
        await flows.ask_discard(message, l10n, state, services)
    elif raw_state is not None:
        await state.clear()
        await message.answer(l10n("cancelled"), reply_markup=ReplyKeyboardRemove())
    else:
        await message.answer(l10n("nothing-to-cancel"), reply_markup=ReplyKeyboardRemove())
