"""Assembly: the dispatcher with its routers, middlewares, storage and shared services."""
from __future__ import annotations

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder

from bot.config import Settings
from bot.fsm_storage import DatabaseStorage
from bot.l10n import Locales
from bot.middlewares import CitizenMiddleware
from desk.calendar import WorkCalendar, parse_holidays
from desk.catalog import load_catalog
from desk.documents import DocumentStore


def make_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation | None]:
    """Redis when configured (several workers share it), else the desk's own database."""
    if settings.redis.url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        key_builder = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        storage = RedisStorage.from_url(settings.redis.url, key_builder=key_builder)
        return storage, RedisEventIsolation(storage.redis, key_builder=key_builder)
    from aiogram.fsm.storage.memory import SimpleEventIsolation

    return DatabaseStorage(), SimpleEventIsolation()


def build_dispatcher(settings: Settings, *, storage: BaseStorage | None = None,
                     events_isolation: BaseEventIsolation | None = None) -> Dispatcher:
    from handlers import routers

    if storage is None:
        storage, events_isolation = make_storage(settings)
    kwargs = {"events_isolation": events_isolation} if events_isolation is not None else {}
    dp = Dispatcher(storage=storage, **kwargs)
    locales = Locales(default=settings.default_language)
    dp.update.outer_middleware(CitizenMiddleware(locales))
    dp.workflow_data.update(
        settings=settings,
        locales=locales,
        catalog=load_catalog(settings.resolve(settings.catalog.dir)),
        store=DocumentStore(settings.resolve(settings.documents.dir)),
        calendar=WorkCalendar(weekend=set(settings.calendar.weekend),
                              holidays=parse_holidays(settings.calendar.holidays)),
    )
    dp.include_routers(*routers())
    return dp
