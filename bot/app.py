"""Assembly: the dispatcher with its routers, middlewares, storage and the shared services (bot/services.py)."""

from __future__ import annotations

from typing import Any, cast

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder

from bot import commands
from bot.config import Settings
from bot.delivery.callback_answers import AnswerPresses
from bot.delivery.fsm_storage import DatabaseStorage, WritesAtTheEnd
from bot.middlewares import CitizenMiddleware, ContextMiddleware
from bot.services import Services, build_services
from bot.throttle import CitizenRate


def _read_timeout_connection():
    """A Redis connection whose socket timeout (5 s) guards its reads only. redis-py puts each write
    under asyncio.wait_for, which on Python 3.11 starts a task per command: a third of a command's
    cost, twice per update (taking a chat's turn and ending it, bot/delivery/turns.py). A write to a Redis
    that stopped answering still ends at the read after it."""
    from redis.asyncio import Connection

    class ReadTimeoutConnection(Connection):
        async def send_packed_command(self, command, check_health: bool = True) -> None:
            timeout, self.socket_timeout = self.socket_timeout, None  # one command at a time per connection
            try:
                await super().send_packed_command(command, check_health)
            finally:
                self.socket_timeout = timeout

    return ReadTimeoutConnection


def make_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation | None]:
    """Redis when configured (several workers share it), else the desk's own database."""
    if settings.redis.url:
        from bot.delivery.turns import RedisTurns, TurnStorage

        key_builder = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        storage = cast(
            TurnStorage,
            TurnStorage.from_url(
                settings.redis.url,
                key_builder=key_builder,
                connection_kwargs={"connection_class": _read_timeout_connection()},
            ),
        )
        return storage, RedisTurns(storage)
    from bot.delivery.turns import LocalTurns

    return DatabaseStorage(), LocalTurns()


def build_dispatcher(
    settings: Settings,
    *,
    services: Services | None = None,
    storage: BaseStorage | None = None,
    events_isolation: BaseEventIsolation | None = None,
) -> Dispatcher:
    from handlers import routers

    if storage is None:
        storage, events_isolation = make_storage(settings)
    kwargs: dict[str, Any] = {"events_isolation": events_isolation} if events_isolation is not None else {}
    dp = Dispatcher(storage=storage, **kwargs)
    services = services or build_services(settings)
    dp.update.outer_middleware(WritesAtTheEnd())
    dp.update.outer_middleware(CitizenMiddleware(services.locales))
    dp.callback_query.outer_middleware(AnswerPresses())
    dp.message.outer_middleware(CitizenRate())  # per-citizen rates (services.throttle)
    dp.callback_query.outer_middleware(CitizenRate())
    dp.message.outer_middleware(ContextMiddleware())
    dp.callback_query.outer_middleware(ContextMiddleware())
    dp.workflow_data["services"] = services
    dp.include_routers(*routers())
    dp.startup.register(commands.on_startup)  # the command menus, per audience and language
    return dp
