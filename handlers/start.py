"""/start, the main menu, /help, /lang and /cancel."""

from aiogram import F
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.callbacks import LangCb, MenuCb
from bot.filters import PrivateChat
from bot.flows import discard_draft
from bot.l10n import L10n
from bot.routes import Routes
from bot.states import FormStates
from bot.views import keyboards
from bot.views.catalog import send_service
from models import Citizen

router = Routes("start")
router.message.filter(PrivateChat())


def _home(l10n: L10n, citizen: Citizen, raw_state: str | None) -> tuple[str, object]:
    """The greeting and the menu; `raw_state` is the FSM state aiogram read for this update."""
    resume = raw_state in (FormStates.filling.state, FormStates.review.state)
    return l10n("start-greeting", name=citizen.full_name or citizen.first_name), keyboards.main_menu(
        l10n, resume=resume
    )


@router.message(CommandStart(deep_link=True))
async def start_deep_link(message: Message, command: CommandObject, l10n: L10n, catalog, citizen, raw_state):
    arg = command.args or ""
    if arg.startswith("s_") and arg[2:] in catalog.services:
        await send_service(message, l10n, catalog.services[arg[2:]], catalog)
        return
    text, kb = _home(l10n, citizen, raw_state)
    await message.answer(text, reply_markup=kb)


@router.message(CommandStart())
async def start(message: Message, l10n: L10n, citizen: Citizen, raw_state: str | None):
    text, kb = _home(l10n, citizen, raw_state)
    await message.answer(text, reply_markup=kb)


@router.callback_query(MenuCb.filter(F.action == "home"))
async def home(query: CallbackQuery, l10n: L10n, citizen: Citizen, raw_state: str | None):
    text, kb = _home(l10n, citizen, raw_state)
    await query.message.edit_text(text, reply_markup=kb)
    await query.answer()


@router.message(Command("help"))
async def help_command(message: Message, l10n: L10n):
    await message.answer(l10n("help"), reply_markup=keyboards.main_menu(l10n))


@router.callback_query(MenuCb.filter(F.action == "help"))
async def help_button(query: CallbackQuery, l10n: L10n):
    await query.message.answer(l10n("help"))
    await query.answer()


@router.message(Command("lang"))
async def lang_command(message: Message, l10n: L10n):
    await message.answer(l10n("lang-choose"), reply_markup=keyboards.languages(l10n))


@router.callback_query(MenuCb.filter(F.action == "lang"))
async def lang_button(query: CallbackQuery, l10n: L10n):
    await query.message.answer(l10n("lang-choose"), reply_markup=keyboards.languages(l10n))
    await query.answer()


@router.callback_query(LangCb.filter())
async def lang_set(query: CallbackQuery, callback_data: LangCb, citizen: Citizen, locales):
    if callback_data.lang not in ("fa", "en"):
        await query.answer()
        return
    citizen.language = callback_data.lang
    await citizen.save(update_fields=["language", "updated_at"])
    l10n = locales.get(citizen.language)
    await query.message.edit_text(l10n("lang-set"), reply_markup=keyboards.main_menu(l10n))
    await query.answer()


@router.message(Command("cancel"))
async def cancel(message: Message, l10n: L10n, state: FSMContext):
    had = await state.get_state() is not None
    await discard_draft(state)
    await message.answer(l10n("cancelled" if had else "nothing-to-cancel"), reply_markup=ReplyKeyboardRemove())
