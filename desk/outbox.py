"""The notifications outbox: rows written in the same transaction as the change that caused
them (call `enqueue` inside `in_transaction()`), delivered later by the sender.

A row holds an *intent* (`kind` + `data`), not a rendered message: the bot layer renders it in
the recipient's language when it is sent (bot/views/notifications.py), so the domain never imports
the messenger framework.

Delivery is at-least-once. A sender *claims* due rows by leasing them (their next attempt is
moved `LEASE` + `RENEW_AFTER` into the future, in one transaction; on PostgreSQL with FOR UPDATE SKIP LOCKED so
several senders never claim the same row) and marks a row sent only after the Bot API accepted
it. A chat belongs to one sender at a time: a row is claimed only when every earlier pending row
of its chat is this sender's, so several senders keep each chat's order. A sender that dies between the API call and that mark leaves the row leased: it is claimed
again when the lease runs out, or as soon as the sender is known to be gone (`reclaim`: a claim's
lease starts with its sender's `owner` id), and the message may arrive twice. Losing a notification is worse
than a rare duplicate, and renderers that edit or store ids are idempotent anyway.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models import GroupHealth, OutboxMessage, OutboxStatus, Request, UnitGroup


class OutboxKind(StrEnum):
    """What an outbox row asks the bot to send (each has a renderer in bot/views/)."""

    STAFF_CARD = "staff-card"  # a request's card, new in its unit's group
    STAFF_CARD_EDIT = "staff-card-edit"  # the card shown again after a change
    STAFF_DUE = "staff-due"  # a request due soon or overdue, in its unit's group
    CITIZEN_MESSAGE = "citizen-message"  # the citizen wrote about a request: under its card
    NOTIFY = "notify"  # the citizen told about their request (an event, a staff message)
    SURVEY_INVITE = "survey-invite"
    SURVEY_REMIND = "survey-remind"
    COMPLAINT_NEW = "complaint-new"
    COMPLAINT_ANSWER = "complaint-answer"
    STAFF_DOCUMENTS = "staff-documents"  # a request's documents, to the staff member who asked for them
    GROUP_HEALTH = "group-health"  # to admins and supervisors: a unit's group lost, limited, back, reminder
    CITIZEN_UNREACHABLE = "citizen-unreachable"  # under the card: it did not reach the citizen (blocked)
    CALENDAR_UNCOVERED = "calendar-uncovered"  # to an admin: the coming days' holidays are not known
    PAYMENT_INVOICE = "payment-invoice"  # the citizen asked to pay a fee at the stage their request reached
    REPLY = "reply"  # a direct reply the messenger did not take at the time, sent as it was


LEASE = timedelta(seconds=120)  # what a leased row has left when its send starts (a limiter's wait, the call)
RENEW_AFTER = timedelta(seconds=30)  # claims lease this much longer: a row sent sooner needs no renewal
MAX_BACKOFF_SECONDS = 15 * 60


def now() -> datetime:
    return datetime.now(UTC)


async def enqueue(
    *,
    platform: str,
    chat_id: int,
    kind: OutboxKind | str,
    data: dict | None = None,
    is_group: bool = False,
    request: Request | None = None,
    waiting: bool = False,
) -> OutboxMessage:
    """Queue a message to someone other than the person acting (`waiting`: its chat cannot be reached
    now; it goes out when the chat is back, desk/reachability.py). A row to a group the bot lost
    waits too."""
    if is_group and not waiting:
        waiting = await UnitGroup.exists(platform=platform, chat_id=chat_id, health=GroupHealth.LOST)
    return await OutboxMessage.create(
        platform=platform,
        chat_id=chat_id,
        is_group=is_group,
        method=kind,
        payload=data or {},
        request=request,
        next_attempt_at=now(),
        status=OutboxStatus.WAITING if waiting else OutboxStatus.PENDING,
    )


# -- claiming ------------------------------------------------------------------------------------
CLAIM_ROUNDS = 3  # selects per claim when rows of chats held elsewhere took the room


async def claim(
    limit: int,
    *,
    exclude_chats: Iterable[int] = (),
    held: Iterable[int] = (),
    lease: timedelta = LEASE + RENEW_AFTER,
    owner: str = "",
) -> list[OutboxMessage]:
    """Lease up to `limit` due rows (oldest first) to this sender and count the attempt.

    `held` are the ids this sender already leased and has not settled yet. A row whose chat has an
    earlier pending row that is neither held nor claimed here (leased or being claimed by another
    sender, or waiting for its retry) is left alone: its chat's rows go out in order, by one sender."""
    held_ids, blocked = set(held), set(exclude_chats)
    rows: list[OutboxMessage] = []
    after = 0
    async with in_transaction() as conn:
        due_at = now()
        for _ in range(CLAIM_ROUNDS):
            query = OutboxMessage.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=due_at, id__gt=after)
            if blocked:
                query = query.exclude(chat_id__in=list(blocked))
            batch = (
                await query.order_by("id").limit(limit - len(rows)).select_for_update(skip_locked=True).using_db(conn)
            )
            if not batch:
                break
            after = batch[-1].id
            mine = held_ids | {r.id for r in rows} | {r.id for r in batch}
            first_foreign: dict[tuple[str, int], int] = {}
            for platform, chat_id, row_id in (
                await OutboxMessage.filter(
                    status=OutboxStatus.PENDING, chat_id__in=list({r.chat_id for r in batch}), id__lt=after
                )
                .using_db(conn)
                .order_by("id")
                .values_list("platform", "chat_id", "id")
            ):
                if row_id not in mine:
                    first_foreign.setdefault((platform, chat_id), row_id)
            left_out = False
            for row in batch:
                foreign = first_foreign.get((row.platform, row.chat_id))
                if foreign is not None and foreign < row.id:
                    blocked.add(row.chat_id)
                    left_out = True
                else:
                    rows.append(row)
            if not left_out or len(rows) >= limit:
                break
        token, until = (owner + secrets.token_hex(8))[:16], now() + lease
        if rows:
            await (
                OutboxMessage.filter(id__in=[r.id for r in rows])
                .using_db(conn)
                .update(next_attempt_at=until, attempts=F("attempts") + 1, lease=token)
            )
    for row in rows:
        row.attempts += 1
        row.lease, row.next_attempt_at = token, until
    return rows


async def renew(row: OutboxMessage, lease: timedelta = LEASE) -> bool:
    """Just before a leased row is sent: make sure it has `lease` left, if it is still this claim's.
    A row claimed less than RENEW_AFTER ago has (no query: no other claim can take it before its lease
    ends). False: its lease ran out while it waited in the sender's queue and another claim (of any
    sender) took it, or it was settled meanwhile: this copy must not be sent."""
    if row.lease is not None and row.next_attempt_at - now() >= lease:
        return True
    until = now() + lease
    renewed = await OutboxMessage.filter(id=row.id, status=OutboxStatus.PENDING, lease=row.lease).update(
        next_attempt_at=until
    )
    if renewed:
        row.next_attempt_at = until
    return bool(renewed)


def _leased():
    """Rows leased and not settled (their lease still running)."""
    return OutboxMessage.filter(status=OutboxStatus.PENDING, lease__isnull=False, next_attempt_at__gt=now())


async def leased_owners(width: int = 8) -> set[str]:
    """The owners (`claim`'s owner, its first `width` characters) of rows leased and not settled."""
    return {str(lease)[:width] for lease in await _leased().distinct().values_list("lease", flat=True)}


async def reclaim(owners: Iterable[str] | None = None) -> int:
    """Rows leased by senders that are gone (`owners`; None: every sender, when the caller is the only
    one, starting): due now, for the next claim. Returns how many."""
    query = _leased()
    if owners is not None:
        owners = list(owners)
        if not owners:
            return 0
        query = query.filter(Q(*(Q(lease__startswith=o) for o in owners), join_type="OR"))
    return await query.update(next_attempt_at=now(), lease=None)


async def release(ids: list[int], at: datetime | None = None) -> None:
    """Give leased rows back (due at `at`, default now) without counting an attempt."""
    if ids:
        await OutboxMessage.filter(id__in=ids, status=OutboxStatus.PENDING).update(
            next_attempt_at=at or now(), attempts=F("attempts") - 1
        )


# -- outcomes ------------------------------------------------------------------------------------
async def mark_sent(row: OutboxMessage, message_id: int | None) -> None:
    row.status, row.sent_at, row.sent_message_id = OutboxStatus.SENT, now(), message_id
    await row.save(update_fields=["status", "sent_at", "sent_message_id"])


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: exponential, capped, jittered."""
    return min(MAX_BACKOFF_SECONDS, 2 ** min(attempts, 20)) * random.uniform(0.8, 1.2)


async def retry_later(row: OutboxMessage, error: str, *, delay: float | None = None, max_attempts: int) -> bool:
    """Schedule another try; after `max_attempts` the row is given up (dead). True if it will be retried."""
    if row.attempts >= max_attempts:
        await mark_dead(row, error)
        return False
    row.last_error = error[:2000]
    row.next_attempt_at = now() + timedelta(seconds=backoff(row.attempts) if delay is None else delay)
    await row.save(update_fields=["last_error", "next_attempt_at"])
    return True


async def mark_dead(row: OutboxMessage, error: str) -> None:
    row.status, row.last_error = OutboxStatus.DEAD, error[:2000]
    await row.save(update_fields=["status", "last_error"])


async def park_chat(platform: str, chat_id: int, error: str) -> list[OutboxMessage]:
    """The chat cannot be reached now (a citizen blocked the bot, a group removed it): its pending
    rows wait, uncounted, until `wake_chat`. Returns the rows parked (call inside a transaction)."""
    rows = await OutboxMessage.filter(platform=platform, chat_id=chat_id, status=OutboxStatus.PENDING)
    if rows:
        await OutboxMessage.filter(id__in=[r.id for r in rows]).update(
            status=OutboxStatus.WAITING, last_error=error[:2000], lease=None
        )
    return rows


async def wake_chat(platform: str, chat_id: int) -> int:
    """The chat can be reached again: what waited for it is due now, in its order."""
    return await OutboxMessage.filter(platform=platform, chat_id=chat_id, status=OutboxStatus.WAITING).update(
        status=OutboxStatus.PENDING, next_attempt_at=now(), attempts=0
    )
