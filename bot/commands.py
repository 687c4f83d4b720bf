"""The messenger's command menu, per audience and language (setMyCommands with scopes), and the
command lists /help shows to each role.

- citizens: every private chat (`BotCommandScopeAllPrivateChats`);
- staff: every group (`BotCommandScopeAllGroupChats`), each bound group (`BotCommandScopeChat`), and
  the groups' administrators (`BotCommandScopeAllChatAdministrators`, and in a bound group
  `BotCommandScopeChatAdministrators`, which Telegram reads before the group's own list: /bind and
  /unbind too);
- admins and supervisors: their own private chat (`BotCommandScopeChat`), the citizen's commands
  plus theirs.

Each is set in Persian (`fa`), English (`en`) and as the default (the desk's language), at start-up
(the dispatcher's startup event, in polling and webhook modes alike), when a group is bound and
when a role is granted or revoked. Bale does not document setMyCommands: the calls are skipped
there (bot/platforms.py), and a refusal anywhere only costs the menu (it is logged)."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
    BotCommandScopeDefault,
)

from bot.l10n import LANGUAGES, L10n, Locales
from bot.platforms import has_command_menus
from desk import staff
from models import Role, UnitGroup

log = logging.getLogger("mizban.commands")
MENUS_AFTER = 5.0  # seconds after start-up: the first updates are answered first

CITIZEN = ("start", "track", "mine", "profile", "cancel", "lang", "help")
STAFF = ("overdue", "help")
GROUP_ADMIN = ("overdue", "bind", "unbind", "groups", "help")
SUPERVISOR = (*CITIZEN[:-1], "stats", "chart", "export", "groups", "overdue", "help")
ADMIN = (*CITIZEN[:-1], "stats", "chart", "export", "audit", "overdue", "groups", "grant", "revoke", "reload", "help")
BY_ROLE = {"citizen": CITIZEN, "staff": STAFF, "supervisor": SUPERVISOR, "admin": ADMIN}


def commands(l10n: L10n, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(command=name, description=l10n.button(f"cmd-{name}")) for name in names]


async def _set(bot: Bot, locales: Locales, names: tuple[str, ...], scope) -> None:
    """One scope in every language: Persian, English, and the default (the desk's language)."""
    for lang in (*LANGUAGES, None):
        try:
            await bot.set_my_commands(commands(locales.get(lang), names), scope=scope, language_code=lang)
        except TelegramAPIError as e:  # the menu is a convenience: never a reason to fail
            log.warning("setMyCommands (%s, %s) refused: %s", scope.type, lang, e)


async def _delete(bot: Bot, scope) -> None:
    for lang in (*LANGUAGES, None):
        try:
            await bot.delete_my_commands(scope=scope, language_code=lang)
        except TelegramAPIError as e:
            log.warning("deleteMyCommands (%s, %s) refused: %s", scope.type, lang, e)


async def on_startup(bots: list[Bot], services, dispatcher, app=None, **_) -> None:
    """The dispatcher's startup event: the menus are set in the background, MENUS_AFTER seconds
    later (a dozen calls per bot, and the other language's strings read, must not delay the first
    answers: the citizens waiting while the bot was down); the task is kept in the dispatcher's
    data. A web process
    sets them where it sets its webhooks (WEBHOOK_BASE_URL configured), and leaves the Bot API
    alone otherwise, as it does for the webhooks."""
    if app is not None and not services.settings.webhook.base_url:
        return
    dispatcher.workflow_data["command_menus"] = asyncio.create_task(
        _publish_in_background(bots, services.settings, services.locales, after=MENUS_AFTER), name="command-menus"
    )


async def _publish_in_background(bots: list[Bot], settings, locales: Locales, *, after: float = 0.0) -> None:
    """The menus are a convenience: a failure (the Bot API or the database going away meanwhile,
    a shutdown) is logged, never left as an unretrieved task error; the next start sets them again."""
    try:
        await asyncio.sleep(after)
        await publish(bots, settings, locales)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.warning("command menus not set", exc_info=True)


async def publish(bots: list[Bot], settings, locales: Locales) -> None:
    """Every audience's menu, on each bot that has command menus."""
    for bot in bots:
        if not has_command_menus(bot):
            continue
        await _set(bot, locales, CITIZEN, BotCommandScopeDefault())
        await _set(bot, locales, CITIZEN, BotCommandScopeAllPrivateChats())
        await _set(bot, locales, STAFF, BotCommandScopeAllGroupChats())
        await _set(bot, locales, GROUP_ADMIN, BotCommandScopeAllChatAdministrators())
        platform = getattr(bot, "platform", "telegram")
        admins = {int(a) for a in settings.admins if a.isdigit() and platform == "telegram"}
        admins |= {int(a.split(":", 1)[1]) for a in settings.admins if a.startswith(f"{platform}:")}
        roles = await Role.filter(platform=platform).values_list("user_id", "role")
        admins |= {user_id for user_id, role in roles if role == "admin"}
        for user_id in sorted(admins):
            await _set(bot, locales, ADMIN, BotCommandScopeChat(chat_id=user_id))
        for user_id in sorted({u for u, role in roles if role == "supervisor"} - admins):
            await _set(bot, locales, SUPERVISOR, BotCommandScopeChat(chat_id=user_id))
        # bound groups again: a /bind whose menu call failed is repaired by the next start
        for group in await UnitGroup.filter(platform=platform).only("id", "chat_id"):
            await for_group(bot, locales, group.chat_id, bound=True)


async def for_group(bot: Bot, locales: Locales, chat_id: int, *, bound: bool) -> None:
    """A group just bound gets the staff menu, and its administrators theirs (a group's own list
    would hide the one for all groups' administrators); an unbound one falls back to the general ones."""
    if not has_command_menus(bot):
        return
    for names, scope in (
        (STAFF, BotCommandScopeChat(chat_id=chat_id)),
        (GROUP_ADMIN, BotCommandScopeChatAdministrators(chat_id=chat_id)),
    ):
        await (_set(bot, locales, names, scope) if bound else _delete(bot, scope))


async def for_person(bot: Bot, settings, locales: Locales, user_id: int) -> None:
    """After /grant or /revoke: the menu of the person's private chat follows their roles."""
    if not has_command_menus(bot):
        return
    platform = getattr(bot, "platform", "telegram")
    role = await role_of(settings, platform, user_id)
    scope = BotCommandScopeChat(chat_id=user_id)
    await (_delete(bot, scope) if role == "citizen" else _set(bot, locales, BY_ROLE[role], scope))


async def role_of(settings, platform: str, user_id: int) -> str:
    """admin, supervisor or citizen: what /help and the private menu show."""
    if await staff.is_admin(settings, platform, user_id):
        return "admin"
    if await Role.exists(platform=platform, user_id=user_id, role="supervisor"):
        return "supervisor"
    return "citizen"
