"""Who may do what: unit groups (/bind), roles (/grant), and the check made before every staff action.

Staff of a unit are the members of the unit's bound group, as the messenger reports them (the
caller passes `is_member`, which asks the Bot API; answers are cached briefly). Supervisors (of
one unit, or of all when the role has no unit) and admins (bot.toml / BOT_ADMINS, or granted)
come from Role rows. Nothing here trusts what a button says: everything is read from the
database and the messenger."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Protocol, cast

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from desk import outbox
from models import GroupHealth, Request, Role, UnitGroup

MEMBER_STATUSES = {"creator", "administrator", "member"}
ROLES = ("admin", "supervisor", "evaluator")
MEMBERSHIP_TTL = 60.0

IsMember = Callable[[int, int], Awaitable[bool]]  # (chat_id, user_id) on the acting bot's messenger


class Level(IntEnum):
    NONE = 0
    STAFF = 1  # a member of the unit's group
    SUPERVISOR = 2  # may act on requests taken by someone else
    ADMIN = 3


class StaffAction(StrEnum):
    """What a button on a request's card (or under a staff input) asks for."""

    TAKE = "take"
    STAGE = "stage"  # to the stage the button names
    TRANSFER = "transfer"  # show the units it may go to
    TO = "to"  # transfer to the unit the button names
    ASK = "ask"
    INQUIRY = "inquiry"
    INQUIRY_DONE = "inquiry_done"
    REJECT = "reject"
    NOTE = "note"
    DELIVER = "deliver"
    SEND = "send"  # deliver what was collected
    CANCEL = "cancel"  # drop the input being typed
    REFRESH = "refresh"
    DOCS = "docs"  # the request's documents, to the presser's private chat
    REPOST = "repost"  # the card again, as a new message at the bottom of the group
    REFUND = "refund"  # record that the fees paid in the chat were refunded (arg "yes": confirmed)


@dataclass(frozen=True)
class ActionRule:
    assignee_only: bool = False  # nobody took it, or the actor did (supervisors and admins: always)
    inputs: tuple[str, ...] = ()  # what it asks for, in order, before it is done ("result": text and files)
    open_only: bool = False  # refused once the request is closed


# Every action on a card: who may press it (besides being staff of the request's unit) and what it needs.
ACTIONS: dict[StaffAction, ActionRule] = {
    StaffAction.TAKE: ActionRule(),  # workflow.take tells who has it when someone else was first
    StaffAction.STAGE: ActionRule(assignee_only=True),
    StaffAction.TRANSFER: ActionRule(assignee_only=True, open_only=True),
    StaffAction.TO: ActionRule(assignee_only=True),
    StaffAction.ASK: ActionRule(assignee_only=True, inputs=("question",), open_only=True),
    StaffAction.INQUIRY: ActionRule(assignee_only=True, inputs=("to", "what"), open_only=True),
    StaffAction.INQUIRY_DONE: ActionRule(assignee_only=True, inputs=("answer",), open_only=True),
    StaffAction.REJECT: ActionRule(assignee_only=True, inputs=("reason",), open_only=True),
    StaffAction.NOTE: ActionRule(inputs=("note",), open_only=True),  # open to every staff member of the unit
    StaffAction.DELIVER: ActionRule(assignee_only=True, inputs=("result",), open_only=True),
    StaffAction.SEND: ActionRule(),  # checked when pressed against the collected result (DELIVER's rule)
    StaffAction.CANCEL: ActionRule(),
    StaffAction.REFRESH: ActionRule(),
    StaffAction.DOCS: ActionRule(),  # any staff member of the unit
    StaffAction.REPOST: ActionRule(),  # any staff member of the unit
    StaffAction.REFUND: ActionRule(assignee_only=True),  # closed requests too: a refund may come after the answer
}
INPUT_ACTIONS = frozenset(action for action, rule in ACTIONS.items() if rule.inputs)


@dataclass(frozen=True)
class Actor:
    platform: str
    user_id: int
    name: str


@dataclass
class Access:
    level: Level
    group: UnitGroup | None = None

    def __bool__(self) -> bool:
        return self.level > Level.NONE


def counts_as_member(status: str, is_member: bool | None = None) -> bool:
    """A chat member status from getChatMember (restricted members count while still in the chat)."""
    return status in MEMBER_STATUSES or (status == "restricted" and bool(is_member))


class Memberships(Protocol):
    """Where getChatMember answers are kept (this process's MembershipCache, or a shared one)."""

    async def check(self, platform: str, chat_id: int, user_id: int, ask: IsMember) -> bool: ...

    async def remember(self, platform: str, chat_id: int, user_id: int, member: bool | None) -> None: ...


class MembershipCache:
    """getChatMember answers for a minute, so a burst of presses makes one API call. A membership
    change the bot sees (a member left, was removed or joined) replaces the answer at once."""

    def __init__(self, ttl: float = MEMBERSHIP_TTL, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._seen: dict[tuple[str, int, int], tuple[float, bool]] = {}

    async def check(self, platform: str, chat_id: int, user_id: int, ask: IsMember) -> bool:
        key = (platform, chat_id, user_id)
        hit = self._seen.get(key)
        if hit is not None and self.clock() - hit[0] < self.ttl:
            return hit[1]
        answer = await ask(chat_id, user_id)
        if len(self._seen) > 50_000:
            self._seen.clear()
        self._seen[key] = (self.clock(), answer)
        return answer

    async def remember(self, platform: str, chat_id: int, user_id: int, member: bool | None) -> None:
        """What the messenger just reported about a member (None: not known, ask next time)."""
        if member is None:
            self._seen.pop((platform, chat_id, user_id), None)
        else:
            self._seen[(platform, chat_id, user_id)] = (self.clock(), member)

    def clear(self) -> None:
        self._seen.clear()


# -- roles ---------------------------------------------------------------------------------------
async def is_admin(settings, platform: str, user_id: int) -> bool:
    return settings.is_admin(platform, user_id) or await Role.exists(platform=platform, user_id=user_id, role="admin")


async def is_supervisor(platform: str, user_id: int, unit_code: str) -> bool:
    """A supervisor of this unit, or of every unit (a role without a unit)."""
    return await Role.filter(
        Q(unit_code=unit_code) | Q(unit_code__isnull=True), platform=platform, user_id=user_id, role="supervisor"
    ).exists()


async def supervised_units(platform: str, user_id: int) -> list[str | None]:
    """Units this person supervises (None in the list: every unit)."""
    units = await Role.filter(platform=platform, user_id=user_id, role="supervisor").values_list("unit_code", flat=True)
    return cast(list[str | None], units)


async def grant(platform: str, user_id: int, role: str, unit_code: str | None, by: int) -> bool:
    """Give a role; False if it was already there."""
    if role not in ROLES:
        raise ValueError(role)
    unit_code = unit_code if role in ("supervisor", "evaluator") else None  # an evaluator's: the province
    _, created = await Role.get_or_create(
        platform=platform, user_id=user_id, role=role, unit_code=unit_code, defaults={"granted_by": by}
    )
    return created


async def revoke(platform: str, user_id: int, role: str, unit_code: str | None) -> int:
    query = Role.filter(platform=platform, user_id=user_id, role=role)
    if role in ("supervisor", "evaluator") and unit_code:
        query = query.filter(unit_code=unit_code)
    return await query.delete()


# -- unit groups ---------------------------------------------------------------------------------
async def bind(*, unit_code: str, platform: str, chat_id: int, title: str, forum: bool, by: int) -> UnitGroup | None:
    """Make this group the unit's group (a unit has one group; binding again moves it).
    Returns the group the unit had before, if it was another one."""
    from desk import reachability

    async with in_transaction():
        before = await UnitGroup.get_or_none(unit_code=unit_code)
        if before is None:
            await UnitGroup.create(
                unit_code=unit_code, platform=platform, chat_id=chat_id, title=title[:255], forum=forum, bound_by=by
            )
            return None
        moved = (before.platform, before.chat_id) != (platform, chat_id)
        # /bind is sent in the group, so the bot is there: the unit has a working group again
        await UnitGroup.filter(id=before.id).update(
            platform=platform,
            chat_id=chat_id,
            title=title[:255],
            forum=forum,
            bound_by=by,
            health=GroupHealth.OK,
            health_since=None,
            health_reason=None,
            health_reminded_at=None,
        )
        if moved:
            await reachability.rebound(unit_code, before, await UnitGroup.get(id=before.id))
        await outbox.wake_chat(platform, chat_id)
        return before if moved else None


async def unbind(platform: str, chat_id: int, unit_code: str | None = None) -> list[str]:
    """Unbind this group (from one unit, or from all of them); returns the units unbound."""
    query = UnitGroup.filter(platform=platform, chat_id=chat_id)
    if unit_code:
        query = query.filter(unit_code=unit_code)
    units = cast(list[str], await query.values_list("unit_code", flat=True))
    await query.delete()
    return units


async def units_of_chat(platform: str, chat_id: int) -> list[str]:
    return cast(
        list[str], await UnitGroup.filter(platform=platform, chat_id=chat_id).values_list("unit_code", flat=True)
    )


async def group_of(unit_code: str) -> UnitGroup | None:
    return await UnitGroup.get_or_none(unit_code=unit_code)


# -- the check before every action ----------------------------------------------------------------
async def access(
    settings, actor: Actor, unit_code: str, is_member: IsMember, cache: Memberships | None = None
) -> Access:
    """The actor's level for a unit's requests. Staff must be in the unit's group on the same
    messenger: a Telegram user cannot vouch for membership of a Bale group."""
    group = await UnitGroup.get_or_none(unit_code=unit_code)
    if await is_admin(settings, actor.platform, actor.user_id):
        return Access(Level.ADMIN, group)
    if await is_supervisor(actor.platform, actor.user_id, unit_code):
        return Access(Level.SUPERVISOR, group)
    if group is None or group.platform != actor.platform:
        return Access(Level.NONE, group)
    member = (
        await cache.check(actor.platform, group.chat_id, actor.user_id, is_member)
        if cache
        else await is_member(group.chat_id, actor.user_id)
    )
    return Access(Level.STAFF if member else Level.NONE, group)


def may_change(access_: Access, request: Request, actor: Actor) -> bool:
    """Staff may change a request nobody took or that they took; supervisors and admins any."""
    if access_.level >= Level.SUPERVISOR:
        return True
    if access_.level < Level.STAFF:
        return False
    return request.assignee_user_id is None or (
        request.assignee_platform == actor.platform and request.assignee_user_id == actor.user_id
    )


def may(access_: Access, request: Request, actor: Actor, action: StaffAction) -> bool:
    """May this actor do this action on this request now (ACTIONS' rule over their access)?"""
    if not access_:
        return False
    return not ACTIONS[action].assignee_only or may_change(access_, request, actor)
