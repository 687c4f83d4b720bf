"""The desk's services, built once at start-up and shared by the dispatcher's handlers (as
`services: Services`, from the dispatcher's data) and the background jobs (the outbox sender, the
periodic checks)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from bot.config import Settings
from bot.l10n import Locales
from bot.throttle import Throttle
from desk.calendar import WorkCalendar
from desk.catalog import Catalog, load_catalog
from desk.clock import Clock
from desk.documents import DocumentStore
from desk.staff import MembershipCache, Memberships


@dataclass(frozen=True)
class Services:
    settings: Settings
    catalog: Catalog  # /reload puts a new Services with the new catalogue in the dispatcher's data
    locales: Locales
    clock: Clock
    store: DocumentStore  # the files people sent
    throttle: Throttle  # per-citizen rates (bot.toml [limits])
    members: Memberships = field(default_factory=MembershipCache)  # getChatMember answers, briefly (Redis if set)

    @cached_property
    def calendar(self) -> WorkCalendar:
        """The working calendar, built when first needed (reading python-holidays' calendars takes
        about half a second, which a bot would otherwise spend before its first answer)."""
        return self.settings.calendar.work_calendar()

    def with_catalog(self, catalog: Catalog) -> Services:
        return replace(self, catalog=catalog)


def build_services(settings: Settings, *, locales: Locales | None = None, clock: Clock | None = None) -> Services:
    from bot.access import membership_cache

    return Services(
        settings=settings,
        catalog=load_catalog(settings.resolve(settings.catalog.dir)),
        locales=locales or Locales(default=settings.default_language),
        clock=clock or Clock(settings.calendar.timezone),
        store=DocumentStore(settings.resolve(settings.documents.dir)),
        throttle=Throttle(settings),
        members=membership_cache(settings),
    )
