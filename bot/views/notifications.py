"""Rendering outbox intents into Bot API calls, in the recipient's language, at send time.

An outbox row holds an intent (`kind` + `data`, see desk/outbox.py). A renderer turns it into the
calls to make. Renderers are registered by kind in the view modules `load_renderers` imports:

    from bot.views.notifications import Outgoing, renderer

    @renderer("survey-invite")
    async def survey_invite(out: Outgoing):
        sent = yield SendMessage(chat_id=out.chat_id, text=out.l10n("survey-invite", ...))
        # `sent` is the Bot API result (a Message); yield more calls, or store its id

A renderer is an async generator: it yields aiogram method objects (SendMessage, EditMessageText,
SendDocument...) one at a time and receives each call's result back, so a later call can reply to
an earlier message. Yielding nothing sends nothing (the intent became moot, e.g. the card it
would edit is gone). The sender owns rate limits, retries and marking the row sent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiogram import methods
from aiogram.methods import TelegramMethod

from bot.config import Settings
from bot.l10n import L10n, Locales
from bot.services import Services
from desk.calendar import WorkCalendar
from desk.catalog import Catalog
from desk.documents import DocumentStore
from desk.outbox import OutboxKind
from models import Citizen, OutboxMessage

log = logging.getLogger("mizban.outbox")

Render = Callable[["Outgoing"], AsyncGenerator[TelegramMethod, Any]]
_RENDERERS: dict[str, Render] = {}
_loaded = False


def renderer(kind: str) -> Callable[[Render], Render]:
    """Register the renderer of an outbox kind."""

    def register(fn: Render) -> Render:
        if kind in _RENDERERS and _RENDERERS[kind] is not fn:
            raise ValueError(f"two renderers for outbox kind {kind!r}")
        _RENDERERS[kind] = fn
        return fn

    return register


def renderer_for(kind: str) -> Render | None:
    load_renderers()
    return _RENDERERS.get(kind)


def load_renderers() -> None:
    global _loaded
    if _loaded:
        return
    # importing a view module registers its renderers (they import this module: hence here, not on top)
    from bot.views import calendar, complaints, payments, reachability, staff, survey  # noqa: F401

    _loaded = True


class Context:
    """What renderers share during one sender run: the desk's services (bot/services.py)."""

    def __init__(self, services: Services):
        self.services = services

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def locales(self) -> Locales:
        return self.services.locales

    @property
    def catalog(self) -> Catalog:
        return self.services.catalog

    @property
    def store(self) -> DocumentStore:
        return self.services.store

    @property
    def calendar(self) -> WorkCalendar:
        return self.services.calendar

    def today(self) -> date:
        """Today in the desk's time zone (promised dates are local days)."""
        return self.services.clock.today()


@dataclass
class Outgoing:
    """One outbox row being delivered by one bot."""

    row: OutboxMessage
    bot: Any  # bot.platforms.DeskBot (has .platform)
    ctx: Context
    citizen: Citizen | None = None  # the recipient, for a private chat the desk knows
    l10n: L10n = field(init=False)

    def __post_init__(self) -> None:
        if lang := self.data.get("lang"):
            self.l10n = self.ctx.locales.get(lang)
        elif self.citizen is not None:
            self.l10n = self.ctx.locales.pick(self.citizen.language, self.citizen.messenger_language)
        else:
            self.l10n = self.ctx.locales.get(None)

    @property
    def data(self) -> dict:
        return self.row.payload or {}

    @property
    def chat_id(self) -> int:
        return self.row.chat_id

    @property
    def platform(self) -> str:
        return self.row.platform


async def outgoing(row: OutboxMessage, bot, ctx: Context, citizens: dict | None = None) -> Outgoing:
    """The row ready to render; `citizens`: the recipients of a claim's rows, looked up together
    (`recipients`), else the row's is looked up now."""
    citizen = None
    if row.is_group:
        pass
    elif citizens is not None:
        citizen = citizens.get((row.platform, row.chat_id))
    else:
        citizen = await Citizen.filter(platform=row.platform, chat_id=row.chat_id).order_by("id").first()
    return Outgoing(row=row, bot=bot, ctx=ctx, citizen=citizen)


async def recipients(rows: list[OutboxMessage]) -> dict[tuple[str, int], Citizen]:
    """The citizens the rows' private chats belong to, by (platform, chat_id): one query per messenger
    for a whole claim instead of one per row."""
    chats: dict[str, set[int]] = {}
    for row in rows:
        if not row.is_group:
            chats.setdefault(row.platform, set()).add(row.chat_id)
    found: dict[tuple[str, int], Citizen] = {}
    for platform, ids in chats.items():
        for citizen in await Citizen.filter(platform=platform, chat_id__in=list(ids)).order_by("id"):
            found.setdefault((platform, citizen.chat_id), citizen)
    return found


@renderer(OutboxKind.REPLY)
async def reply(out: Outgoing):
    """A direct reply the messenger did not take at the time (bot/delivery/resilience.py): the same call."""
    method = _METHODS.get(out.data.get("method") or "")
    if method is not None:
        yield method.model_validate(out.data.get("params") or {})


_METHODS = {
    cls.__api_method__: cls
    for cls in (getattr(methods, name) for name in methods.__all__)
    if isinstance(cls, type) and issubclass(cls, TelegramMethod) and cls is not TelegramMethod
}
