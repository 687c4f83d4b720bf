"""Following a request (capability 5): /track CODE, a code sent as text, and "my requests"."""

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import MenuCb, MineCb, RequestCb
from bot.filters import PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.throttle import refused
from bot.views import keyboards
from bot.views.tracking import show_request_by_code
from desk import requests
from models import Citizen

router = Routes("tracking")


@router.message(Command("track"), PrivateChat())
async def track(message: Message, command: CommandObject, l10n: L10n, citizen: Citizen, services: Services):
    if not command.args:
        await message.answer(l10n("track-usage"))
        return
    if await refused(services.throttle, "tracking", message, l10n, citizen.id):
        return
    await show_request_by_code(message, l10n, citizen, command.args)


@router.callback_query(RequestCb.filter(F.action == "view"))
async def view(query: CallbackQuery, callback_data: RequestCb, l10n: L10n, citizen: Citizen):
    await query.answer()
    await show_request_by_code(query.message, l10n, citizen, callback_data.code)


async def _mine(l10n: L10n, citizen: Citizen, page: int):
    rows, total = await requests.list_for_owner(citizen, offset=page * keyboards.PAGE, limit=keyboards.PAGE)
    text = l10n("mine-title", count=total) if total else l10n("mine-empty")
    return text, keyboards.my_requests(l10n, rows, page, total)


@router.message(Command("mine"), PrivateChat())
async def mine_command(message: Message, l10n: L10n, citizen: Citizen):
    text, kb = await _mine(l10n, citizen, 0)
    await message.answer(text, reply_markup=kb)


@router.callback_query(MenuCb.filter(F.action == "mine"))
@router.callback_query(MineCb.filter())
async def mine(query: CallbackQuery, l10n: L10n, citizen: Citizen, callback_data=None):
    page = callback_data.page if isinstance(callback_data, MineCb) else 0
    text, kb = await _mine(l10n, citizen, max(page, 0))
    await query.message.edit_text(text, reply_markup=kb)
    await query.answer()
