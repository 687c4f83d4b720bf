"""The services built once at start-up: the dispatcher's handlers and the background jobs share
them, and the clock says what day it is in the desk's time zone."""

from datetime import UTC, date, datetime

from bot.app import build_dispatcher
from bot.services import build_services
from desk.clock import Clock
from tests.factories import make_settings


def test_the_clock_counts_days_in_the_desks_time_zone():
    # 21:00 UTC on 20 March is already 00:30 on the 21st in Tehran (UTC+3:30)
    clock = Clock("Asia/Tehran", now=lambda: datetime(2026, 3, 20, 21, 0, tzinfo=UTC))
    assert clock.today() == date(2026, 3, 21)
    assert clock.now().utcoffset().total_seconds() == 3.5 * 3600
    assert Clock("UTC", now=lambda: datetime(2026, 3, 20, 21, 0, tzinfo=UTC)).today() == date(2026, 3, 20)


def test_the_dispatcher_uses_the_services_it_is_given(tmp_path):
    settings = make_settings(tmp_path)
    services = build_services(settings)
    dp = build_dispatcher(settings, services=services)
    assert dp.workflow_data["services"] is services
    assert {"catalog", "settings", "calendar", "locales", "store"}.isdisjoint(dp.workflow_data)
    reloaded = services.with_catalog(services.catalog)
    assert reloaded.members is services.members and reloaded.clock is services.clock
