"""/help for whoever asks: a citizen, a supervisor or an admin in their private chat, staff in a
unit's group; and the menu's Help button."""

from aiogram import F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot import commands
from bot.callbacks import MenuCb
from bot.filters import GroupChat, PrivateChat
from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.views import keyboards
from bot.views.help import help_text

router = Routes("help")


@router.message(Command("help"), PrivateChat())
async def help_command(message: Message, l10n: L10n, services: Services, platform: str):
    role = await commands.role_of(services.settings, platform, message.from_user.id)
    await message.answer(help_text(l10n, role), reply_markup=keyboards.main_menu(l10n))


@router.message(Command("help"), GroupChat())
async def help_in_group(message: Message, services: Services):
    await message.reply(help_text(services.locales.get(None), "staff"))  # groups read the desk's language


@router.callback_query(MenuCb.filter(F.action == "help"))
async def help_button(query: CallbackQuery, l10n: L10n, services: Services, platform: str):
    role = await commands.role_of(services.settings, platform, query.from_user.id)
    await query.message.answer(help_text(l10n, role))
    await query.answer()
