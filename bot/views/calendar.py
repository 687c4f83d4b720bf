"""Outbox renderer of the holiday calendar's coverage warning to an admin (desk/holidays.py)."""

from __future__ import annotations

from datetime import date

from aiogram.methods import SendMessage

from bot.views.notifications import Outgoing, renderer
from desk.holidays import WARNING_KIND


@renderer(WARNING_KIND)
async def render_uncovered(out: Outgoing):
    l10n, data = out.l10n, out.data
    known = data.get("known_until")
    yield SendMessage(
        chat_id=out.chat_id,
        text=l10n(
            "calendar-uncovered",
            until=l10n.date(date.fromisoformat(known)) if known else l10n("calendar-unknown"),
            days=data.get("days", 60),
            version=data.get("version", ""),
        ),
    )
