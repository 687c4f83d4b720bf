"""Whether the desk can reach the chats it writes to, and what it does when it cannot.

- A unit's group that became a supergroup (the messenger gives it a new chat id): the binding, the
  queued notifications and the cards' references move to the new chat (`move_chat`).
- A group that removed, kicked or restricted the bot, or that is gone: the units bound to it are
  marked as having no working group (`group_lost`); its notifications wait (they are not dead) and
  go out when the bot is back in the group (`group_back`) or the unit is bound to another group
  (desk/staff.bind); every admin and the unit's supervisors are told at once and reminded daily
  (`remind_lost_groups`).
- A citizen who blocked the bot: what the desk owed them waits for their return (`citizen_blocked`,
  `citizen_returned`); staff are told under the request's card that it did not reach them.

The messenger's signals (a my_chat_member update, a service message, a 403 or 400 answer) are read
by the bot layer, which calls these functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from desk.outbox import enqueue, now, park_chat, wake_chat
from models import Citizen, GroupHealth, OutboxMessage, OutboxStatus, Request, Role, UnitGroup

REMIND_EVERY = timedelta(days=1)
# outbox kinds written to a citizen on a staff member's behalf: when they wait, staff are told
STAFF_TO_CITIZEN = {"notify"}


# -- who is told --------------------------------------------------------------------------------
async def overseers(settings, unit_code: str) -> list[tuple[str, int]]:
    """Every admin (configured and granted) and the unit's supervisors, as (platform, user id);
    a private chat's id is its user's id."""
    people: dict[tuple[str, int], None] = {}
    for entry in settings.admins:
        platform, _, uid = str(entry).rpartition(":")
        if uid.isdigit():
            people[(platform or "telegram", int(uid))] = None
    for platform, user_id in await Role.filter(
        Q(role="admin") | Q(Q(unit_code=unit_code) | Q(unit_code__isnull=True), role="supervisor")
    ).values_list("platform", "user_id"):
        people[(platform, user_id)] = None
    return list(people)


async def tell_overseers(settings, group: UnitGroup, state: str) -> int:
    """Queue a notice about a unit's group (state: lost | limited | back | reminder) to its overseers."""
    data = {
        "unit": group.unit_code,
        "state": state,
        "title": group.title,
        "platform": group.platform,
        "reason": group.health_reason or "",
        "since": group.health_since.isoformat() if group.health_since else None,
    }
    people = await overseers(settings, group.unit_code)
    for platform, user_id in people:
        await enqueue(platform=platform, chat_id=user_id, kind="group-health", data=data)
    return len(people)


# -- a unit's group -----------------------------------------------------------------------------
async def group_lost(settings, platform: str, chat_id: int, reason: str) -> list[UnitGroup]:
    """The bot cannot post in this group any more: its units have no working group. Returns the
    units' groups that were working until now (their overseers are told once)."""
    async with in_transaction():
        newly = []
        for group in await UnitGroup.filter(platform=platform, chat_id=chat_id):
            if (
                await UnitGroup.filter(id=group.id)
                .exclude(health=GroupHealth.LOST)
                .update(
                    health=GroupHealth.LOST, health_since=now(), health_reason=reason[:255], health_reminded_at=now()
                )
            ):
                newly.append(await UnitGroup.get(id=group.id))
        if await UnitGroup.exists(platform=platform, chat_id=chat_id):
            await park_chat(platform, chat_id, reason)
        else:  # nobody will bring it back: a chat no unit is bound to
            await OutboxMessage.filter(platform=platform, chat_id=chat_id, status=OutboxStatus.PENDING).update(
                status=OutboxStatus.DEAD, last_error=reason[:2000]
            )
        for group in newly:
            await tell_overseers(settings, group, "lost")
    return newly


async def group_limited(settings, platform: str, chat_id: int, reason: str) -> list[UnitGroup]:
    """The bot was demoted from administrator: cards still go out, but staff's typed answers may not
    reach it (they reply to its messages instead). Overseers are told once."""
    async with in_transaction():
        changed = []
        for group in await UnitGroup.filter(platform=platform, chat_id=chat_id, health=GroupHealth.OK):
            if await UnitGroup.filter(id=group.id, health=GroupHealth.OK).update(
                health=GroupHealth.LIMITED, health_since=now(), health_reason=reason[:255], health_reminded_at=now()
            ):
                changed.append(await UnitGroup.get(id=group.id))
                await tell_overseers(settings, changed[-1], "limited")
    return changed


async def group_back(settings, platform: str, chat_id: int) -> list[UnitGroup]:
    """The bot may post in this group again: what waited is delivered, overseers are told."""
    async with in_transaction():
        back = []
        for group in await UnitGroup.filter(platform=platform, chat_id=chat_id).exclude(health=GroupHealth.OK):
            if await UnitGroup.filter(id=group.id, health=group.health).update(
                health=GroupHealth.OK, health_since=None, health_reason=None, health_reminded_at=None
            ):
                back.append(group)
                await tell_overseers(settings, group, "back")
        await wake_chat(platform, chat_id)
    return back


async def rebound(unit_code: str, before: UnitGroup, group: UnitGroup) -> int:
    """A unit moved to another group (/bind): what waited for the old group about this unit goes to
    the new one. Cards and card edits are left out: /bind sends every open request's card afresh
    (desk.workflow.cards_for_group). Call inside the bind's transaction."""
    waiting = OutboxMessage.filter(
        platform=before.platform,
        chat_id=before.chat_id,
        status__in=[OutboxStatus.WAITING, OutboxStatus.PENDING],
        request__unit_code=unit_code,
    )
    ids = list(await waiting.values_list("id", flat=True))
    if not ids:
        return 0
    await OutboxMessage.filter(id__in=ids, method__in=["staff-card", "staff-card-edit"]).delete()
    return await OutboxMessage.filter(id__in=ids).update(
        platform=group.platform, chat_id=group.chat_id, status=OutboxStatus.PENDING, next_attempt_at=now(), lease=None
    )


async def move_chat(platform: str, old_chat_id: int, new_chat_id: int) -> int:
    """A group became a supergroup (a new chat id, the same messages): the bindings, the queued
    rows and the cards' references follow it. Returns the units moved; repeating it is harmless."""
    async with in_transaction():
        units = await UnitGroup.filter(platform=platform, chat_id=old_chat_id).update(chat_id=new_chat_id)
        await OutboxMessage.filter(
            platform=platform,
            chat_id=old_chat_id,
            status__in=[OutboxStatus.PENDING, OutboxStatus.WAITING],
        ).update(chat_id=new_chat_id, next_attempt_at=now(), lease=None)
        await Request.filter(card_platform=platform, card_chat_id=old_chat_id).update(card_chat_id=new_chat_id)
    return units


async def remind_lost_groups(settings, at: datetime | None = None) -> int:
    """Daily while it lasts: overseers are reminded of each unit without a working group."""
    at = at or now()
    count = 0
    for group in await UnitGroup.filter(health=GroupHealth.LOST, health_reminded_at__lte=at - REMIND_EVERY):
        async with in_transaction():
            if await UnitGroup.filter(id=group.id, health_reminded_at=group.health_reminded_at).update(
                health_reminded_at=at
            ):
                await tell_overseers(settings, group, "reminder")
                count += 1
    return count


async def health_of(unit_code: str) -> str:
    """ok | lost | limited | none (no group bound): whether a request's card reaches its unit now."""
    group = await UnitGroup.get_or_none(unit_code=unit_code)
    return group.health if group is not None else "none"


async def groups() -> list[UnitGroup]:
    return list(await UnitGroup.all().order_by("unit_code"))


# -- a citizen ----------------------------------------------------------------------------------
async def citizen_blocked(platform: str, chat_id: int, reason: str) -> list[OutboxMessage]:
    """The citizen blocked the bot: what the desk owed them waits for their return, and staff are
    told, under each request's card, that what they sent did not reach them."""
    async with in_transaction():
        await Citizen.filter(platform=platform, chat_id=chat_id, blocked_at=None).update(blocked_at=now())
        parked = await park_chat(platform, chat_id, reason)
        await tell_staff_unreachable([r for r in parked if r.method in STAFF_TO_CITIZEN])
    return parked


async def tell_staff_unreachable(rows: list[OutboxMessage]) -> int:
    """One notice per request under its card: these rows did not reach the citizen."""
    by_request: dict[int, list[int]] = {}
    for row in rows:
        if row.request_id is not None and (row.payload or {}).get("event"):
            by_request.setdefault(row.request_id, []).append(row.payload["event"])
    told = 0
    for request in await Request.filter(id__in=list(by_request), card_message_id__isnull=False):
        if request.card_platform is None:  # a card always has its chat; for the type checker
            continue
        await enqueue(
            platform=request.card_platform,
            chat_id=request.card_chat_id,
            kind="citizen-unreachable",
            is_group=True,
            data={"request": request.id, "events": by_request[request.id]},
            request=request,
        )
        told += 1
    return told


async def citizen_returned(platform: str, chat_id: int) -> int:
    """The citizen talks to the bot again: what waited for them is delivered."""
    async with in_transaction():
        await Citizen.filter(platform=platform, chat_id=chat_id, blocked_at__isnull=False).update(blocked_at=None)
        return await wake_chat(platform, chat_id)


async def reachable(request: Request) -> bool:
    """Whether the request's citizen can be written to now (they have not blocked the bot)."""
    citizen = await Citizen.get(id=request.citizen_id)
    return citizen.chat_id is not None and citizen.blocked_at is None
