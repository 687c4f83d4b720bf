"""What people read when the desk cannot reach a chat: notices to admins and supervisors about a
unit's group (lost, limited, back, the daily reminder), the `/groups` overview, and the notice under
a request's card that a message did not reach its citizen (desk/reachability.py)."""

from __future__ import annotations

from datetime import datetime

from aiogram.methods import SendMessage

from bot.l10n import L10n
from bot.views.notifications import Outgoing, renderer
from bot.views.render import pick
from bot.views.staff import is_current_card, reply_to, unit_title
from models import Request, RequestEvent, UnitGroup


def reason_text(l10n: L10n, reason: str | None) -> str:
    """A known reason in words (removed, kicked, restricted, demoted), else the messenger's answer."""
    if not reason:
        return "—"
    key = f"group-reason-{reason}"
    return l10n.button(key) if l10n.has(key) else reason  # l10n escapes its arguments


@renderer("group-health")
async def render_group_health(out: Outgoing):
    l10n, data = out.l10n, out.data
    since = datetime.fromisoformat(data["since"]) if data.get("since") else None
    yield SendMessage(
        chat_id=out.chat_id,
        text=l10n(
            f"group-health-{data['state']}",
            unit=unit_title(out.ctx.catalog, data["unit"], l10n.lang),
            code=data["unit"],
            group=data.get("title") or "—",
            reason=reason_text(l10n, data.get("reason")),
            since=l10n.date(since, with_time=True) if since else "—",
        ),
    )


@renderer("citizen-unreachable")
async def render_citizen_unreachable(out: Outgoing):
    """Under the card: what staff sent did not reach the citizen, who blocked the bot."""
    request = await Request.get_or_none(id=out.data["request"])
    if request is None:
        return
    l10n = out.l10n
    events = await RequestEvent.filter(id__in=out.data.get("events") or []).order_by("id")
    what = ", ".join(
        dict.fromkeys(
            l10n.button(f"staff-event-{e.kind}") if l10n.has(f"staff-event-{e.kind}") else e.kind for e in events
        )
    )
    here = is_current_card(request, out.platform, out.chat_id, None)
    yield SendMessage(
        chat_id=out.chat_id,
        text=l10n("staff-citizen-unreachable", code=l10n.code(request.tracking_code), what=what or "—"),
        reply_parameters=reply_to(request.card_message_id if here else None),
        message_thread_id=request.card_thread_id if here else None,
    )


def groups_text(l10n: L10n, catalog, groups: list[UnitGroup], units: list[str] | None) -> str:
    """Every unit (or these units) with its group and whether the bot can post there."""
    bound = {g.unit_code: g for g in groups}
    lines = [l10n("groups-title")]
    for code, unit in catalog.units.items():
        if units is not None and code not in units:
            continue
        group = bound.get(code)
        title = pick(unit.title, l10n.lang)
        if group is None:
            lines.append(l10n("groups-line-none", unit=title, code=code))
            continue
        lines.append(
            l10n(
                f"groups-line-{group.health}",
                unit=title,
                code=code,
                group=group.title or str(group.chat_id),
                platform=group.platform,
                reason=reason_text(l10n, group.health_reason),
                since=l10n.date(group.health_since, with_time=True) if group.health_since else "—",
            )
        )
    return "\n".join(lines)
