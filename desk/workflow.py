"""The staff side of a request's life: submitted, taken, moved through its stages, asked about,
inquired, answered, rejected, transferred, discussed. Each function changes the request with a
conditional UPDATE (two people acting at once cannot both win), records the history in
RequestEvent and queues the notifications in the outbox, all in one transaction. Authorisation
is the caller's job (desk/staff.py); the state is always read from the database, never from the
button that was pressed, so every action is idempotent and an old card answers sensibly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tortoise.transactions import in_transaction

from desk import payments, summaries, survey
from desk.outbox import OutboxKind, enqueue
from desk.staff import Actor, StaffAction
from models import (
    Citizen,
    Conversation,
    Document,
    OutboxMessage,
    OutboxStatus,
    Request,
    RequestEvent,
    RequestStatus,
    UnitGroup,
)
from models.prepared import PreparedSelect

OPEN, CLOSED = RequestStatus.OPEN, RequestStatus.CLOSED
# asked on every free text a citizen sends (handlers/conversation.py): built once
WAITING = PreparedSelect(Request, order_by=("-updated_at", "-id"), citizen_id=0, status="")


@dataclass
class Outcome:
    """What became of an action. `code`: done | already | closed | taken | same-unit | no-stage."""

    code: str
    request: Request
    by: str | None = None  # who took it, when code == "taken"

    @property
    def done(self) -> bool:
        return self.code == "done"


def now() -> datetime:
    return datetime.now(UTC)


# -- notifications (always inside the caller's transaction) ---------------------------------------
async def on_submitted(request: Request) -> None:
    """Send the new request's card to its unit's group, if one is bound."""
    group = await UnitGroup.get_or_none(unit_code=request.unit_code)
    if group is not None:
        await enqueue(
            platform=group.platform,
            chat_id=group.chat_id,
            kind=OutboxKind.STAFF_CARD,
            data={"request": request.id},
            is_group=True,
            request=request,
        )


async def notify_citizen(request: Request, event: RequestEvent, **extra) -> None:
    """Tell the request's owner about an event (while they have blocked the bot it waits for their
    return: desk/reachability.py)."""
    citizen = await Citizen.get(id=request.citizen_id)
    if citizen.chat_id is not None:
        await enqueue(
            platform=citizen.platform,
            chat_id=citizen.chat_id,
            kind=OutboxKind.NOTIFY,
            data={"request": request.id, "event": event.id, **extra},
            request=request,
            waiting=citizen.blocked_at is not None,
        )


async def repost_card(request: Request) -> bool:
    """The request's card again, as a new message in its unit's group (the old one scrolled away or
    was lost); the old card, if any, then points to the new one. False: no group to post it to."""
    group = await UnitGroup.get_or_none(unit_code=request.unit_code)
    if group is None:
        return False
    async with in_transaction():
        await enqueue(
            platform=group.platform,
            chat_id=group.chat_id,
            kind=OutboxKind.STAFF_CARD,
            data={"request": request.id, "again": request.card_message_id},
            is_group=True,
            request=request,
        )
    return True


async def refresh_card(request: Request, actor_chat: tuple[str, int] | None) -> None:
    """Re-render the card unless the actor is in the card's chat (the handler edits it directly)."""
    if request.card_message_id is None or request.card_platform is None:
        return
    if actor_chat != (request.card_platform, request.card_chat_id):
        await enqueue(
            platform=request.card_platform,
            chat_id=request.card_chat_id,
            kind=OutboxKind.STAFF_CARD_EDIT,
            data={"request": request.id, "message_id": request.card_message_id},
            is_group=True,
            request=request,
        )


async def _event(
    request: Request,
    kind: str,
    actor: Actor | None,
    *,
    public: bool = True,
    text: str | None = None,
    data: dict | None = None,
) -> RequestEvent:
    return await RequestEvent.create(
        request=request,
        kind=kind,
        actor="staff" if actor else "system",
        public=public,
        text=text,
        data=data,
        actor_platform=actor and actor.platform,
        actor_user_id=actor and actor.user_id,
        actor_name=actor and actor.name,
        stage_code=request.stage_code,
    )


async def _settle(request_id: int, **changes) -> tuple[int, Request]:
    """Apply changes to an open request with a conditional UPDATE; returns (rows changed, fresh row)."""
    async with summaries.tracking(request_id):
        changed = await Request.filter(id=request_id, status__in=OPEN).update(**changes) if changes else 0
    return changed, await Request.get(id=request_id)


def _assign(actor: Actor) -> dict:
    return {"assignee_platform": actor.platform, "assignee_user_id": actor.user_id, "assignee_name": actor.name[:128]}


def _closed(request: Request) -> Outcome | None:
    return Outcome("closed", request) if request.status in CLOSED else None


async def _take_if_free(request_id: int, actor: Actor) -> None:
    """Acting on a request nobody took makes it yours."""
    await Request.filter(id=request_id, status__in=OPEN, assignee_user_id=None).update(**_assign(actor))


# -- actions ---------------------------------------------------------------------------------------
async def take(request_id: int, actor: Actor, *, actor_chat=None) -> Outcome:
    async with in_transaction():
        changed = await Request.filter(id=request_id, status__in=OPEN, assignee_user_id=None).update(**_assign(actor))
        request = await Request.get(id=request_id)
        if not changed:
            if closed := _closed(request):
                return closed
            mine = (request.assignee_platform, request.assignee_user_id) == (actor.platform, actor.user_id)
            return Outcome("already", request) if mine else Outcome("taken", request, by=request.assignee_name)
        first = request.status == RequestStatus.SUBMITTED
        if first:
            await Request.filter(id=request_id, status=RequestStatus.SUBMITTED).update(status=RequestStatus.IN_PROGRESS)
            request.status = RequestStatus.IN_PROGRESS
        event = await _event(request, "taken", actor)
        if first:
            await notify_citizen(request, event)
        await refresh_card(request, actor_chat)
    return Outcome("done", request)


async def move_to_stage(request_id: int, actor: Actor, stage_code: str, *, actor_chat=None) -> Outcome:
    """Move forward to `stage_code` (the button carries the target, so a second press finds it reached)."""
    async with in_transaction():
        request = await Request.get(id=request_id)
        if closed := _closed(request):
            return closed
        codes = [s.code for s in request.snapshot.stages]
        if stage_code not in codes:
            return Outcome("no-stage", request)
        current = codes.index(request.stage_code) if request.stage_code in codes else -1
        if codes.index(stage_code) <= current:
            return Outcome("already", request)
        changed = await Request.filter(id=request_id, status__in=OPEN, stage_code=request.stage_code).update(
            stage_code=stage_code,
            **({"status": RequestStatus.IN_PROGRESS} if request.status == RequestStatus.SUBMITTED else {}),
        )
        await _take_if_free(request_id, actor)
        request = await Request.get(id=request_id)
        if not changed:
            return _closed(request) or Outcome("already", request)
        event = await _event(request, "stage", actor)
        await notify_citizen(request, event)
        await payments.on_stage(request)  # a fee the card asks for at this stage: the invoice
        await refresh_card(request, actor_chat)
    return Outcome("done", request)


async def ask(request_id: int, actor: Actor, question: str, *, actor_chat=None) -> Outcome:
    """Ask the citizen something; the request waits for their answer."""
    return await _simple(
        request_id,
        actor,
        "question",
        question,
        actor_chat,
        status=RequestStatus.WAITING_CITIZEN,
        conversation=Conversation.OPEN,  # everything the citizen sends now goes under the card
        conversation_at=now(),
    )


async def inquiry(request_id: int, actor: Actor, to_whom: str, what: str, *, actor_chat=None) -> Outcome:
    """Record an inter-agency inquiry (estelam); the request waits for its answer."""
    return await _simple(
        request_id, actor, "inquiry", what, actor_chat, status=RequestStatus.WAITING_INQUIRY, data={"to": to_whom}
    )


async def inquiry_answered(request_id: int, actor: Actor, answer: str, *, actor_chat=None) -> Outcome:
    async with in_transaction():
        changed = await Request.filter(id=request_id, status=RequestStatus.WAITING_INQUIRY).update(
            status=RequestStatus.IN_PROGRESS
        )
        request = await Request.get(id=request_id)
        if not changed:
            return _closed(request) or Outcome("already", request)
        asked = await RequestEvent.filter(request_id=request_id, kind="inquiry").order_by("-id").first()
        event = await _event(
            request,
            "inquiry_answered",
            actor,
            text=answer,
            data={"to": (asked.data or {}).get("to") if asked else None},
        )
        await _take_if_free(request_id, actor)
        await notify_citizen(request, event)
        await refresh_card(request, actor_chat)
    return Outcome("done", await Request.get(id=request_id))


async def note(request_id: int, actor: Actor, text: str, *, actor_chat=None) -> Outcome:
    """An internal note: kept in the history, never shown to the citizen."""
    async with in_transaction():
        request = await Request.get(id=request_id)
        await _event(request, "note", actor, public=False, text=text)
        await refresh_card(request, actor_chat)
    return Outcome("done", request)


async def _simple(
    request_id: int,
    actor: Actor,
    kind: str,
    text: str,
    actor_chat,
    *,
    status: str,
    data: dict | None = None,
    **changes,
) -> Outcome:
    async with in_transaction():
        changed, request = await _settle(request_id, status=status, **changes)
        if not changed:
            return _closed(request) or Outcome("already", request)
        await _take_if_free(request_id, actor)
        event = await _event(request, kind, actor, text=text, data=data)
        await notify_citizen(request, event)
        await refresh_card(request, actor_chat)
    return Outcome("done", await Request.get(id=request_id))


async def deliver(
    request_id: int, actor: Actor, text: str | None, document_ids: list[int], *, actor_chat=None
) -> Outcome:
    """The electronic result (capability 6): text and/or files, sent to the citizen in the chat."""
    async with in_transaction():
        at = now()
        changed, request = await _settle(
            request_id,
            status=RequestStatus.ANSWERED,
            answered_at=at,
            result_text=text or None,
            conversation=Conversation.NONE,  # the request ended: so did its conversation
        )
        if not changed:
            return _closed(request) or Outcome("already", request)
        await _take_if_free(request_id, actor)
        if document_ids:
            await Document.filter(id__in=document_ids, request=None).update(request_id=request_id, role="result")
        event = await _event(request, "result", actor, text=text, data={"documents": document_ids})
        await notify_citizen(request, event)
        await refresh_card(request, actor_chat)
        await survey.on_request_closed(request)  # the survey invitation
    return Outcome("done", await Request.get(id=request_id))


async def reject(request_id: int, actor: Actor, reason: str, *, actor_chat=None) -> Outcome:
    async with in_transaction():
        changed, request = await _settle(
            request_id,
            status=RequestStatus.REJECTED,
            answered_at=now(),
            reject_reason=reason,
            conversation=Conversation.NONE,
        )
        if not changed:
            return _closed(request) or Outcome("already", request)
        await _take_if_free(request_id, actor)
        event = await _event(request, "rejected", actor, text=reason)
        await notify_citizen(request, event)
        await refresh_card(request, actor_chat)
        await survey.on_request_closed(request)  # the survey invitation
    return Outcome("done", await Request.get(id=request_id))


async def transfer(request_id: int, actor: Actor, unit_code: str, unit_place: str, *, actor_chat=None) -> Outcome:
    """Hand the request to another unit: its group gets a fresh card, the old card says where it went."""
    async with in_transaction():
        request = await Request.get(id=request_id)
        if closed := _closed(request):
            return closed
        if request.unit_code == unit_code:
            return Outcome("same-unit", request)
        async with summaries.tracking(request_id):
            changed = await Request.filter(id=request_id, status__in=OPEN, unit_code=request.unit_code).update(
                unit_code=unit_code,
                unit_place=unit_place,
                assignee_platform=None,
                assignee_user_id=None,
                assignee_name=None,
                card_platform=None,
                card_chat_id=None,
                card_message_id=None,
                card_thread_id=None,
                due_soon_notified=False,
                overdue_notified=False,
            )
        if not changed:
            return Outcome("already", await Request.get(id=request_id))
        event = await _event(request, "transferred", actor, data={"from": request.unit_code, "to": unit_code})
        old_card = (request.card_platform, request.card_chat_id, request.card_message_id)
        request = await Request.get(id=request_id)
        if old_card[0] is not None and old_card[2] is not None and actor_chat != old_card[:2]:
            await enqueue(
                platform=old_card[0],
                chat_id=old_card[1],
                kind=OutboxKind.STAFF_CARD_EDIT,
                is_group=True,
                data={"request": request.id, "message_id": old_card[2]},
                request=request,
            )
        await on_submitted(request)
        await notify_citizen(request, event)
    return Outcome("done", request)


async def complete(
    action: StaffAction, request_id: int, actor: Actor, values: list[str], *, actor_chat=None
) -> Outcome:
    """An action that asked for text (desk/staff.ACTIONS' inputs), done with what was typed."""
    kw = {"actor_chat": actor_chat}
    if action == StaffAction.ASK:
        return await ask(request_id, actor, values[0], **kw)
    if action == StaffAction.INQUIRY:
        return await inquiry(request_id, actor, values[0], values[1], **kw)
    if action == StaffAction.INQUIRY_DONE:
        return await inquiry_answered(request_id, actor, values[0], **kw)
    if action == StaffAction.REJECT:
        return await reject(request_id, actor, values[0], **kw)
    if action == StaffAction.NOTE:
        return await note(request_id, actor, values[0], **kw)
    raise ValueError(f"{action} is not done with typed text")


# -- the conversation ------------------------------------------------------------------------------
async def staff_message(
    request_id: int, actor: Actor, *, text: str | None, source: dict, document_ids: list[int]
) -> Outcome:
    """A staff member replied to the card: the message goes to the citizen."""
    async with in_transaction():
        request = await Request.get(id=request_id)
        if closed := _closed(request):
            return closed
        await _take_if_free(request_id, actor)
        await Request.filter(id=request_id).update(conversation=Conversation.OPEN, conversation_at=now())
        if document_ids:
            await Document.filter(id__in=document_ids, request=None).update(request_id=request_id)
        event = await _event(request, "staff_message", actor, text=text, data={"documents": document_ids})
        await notify_citizen(request, event, source=source)
    return Outcome("done", request)


async def citizen_message(
    request: Request,
    citizen: Citizen,
    *,
    text: str | None,
    source: dict,
    document_ids: list[int],
    relay_per_minute: int | None = None,
) -> Outcome:
    """The citizen wrote about a request: it goes under the card (past `relay_per_minute` texts a
    minute, in one batch); a request waiting for them resumes."""
    async with in_transaction():
        if request.status == RequestStatus.WAITING_CITIZEN:
            await Request.filter(id=request.id, status=RequestStatus.WAITING_CITIZEN).update(
                status=RequestStatus.IN_PROGRESS
            )
        if document_ids:
            await Document.filter(id__in=document_ids, request=None, citizen=citizen).update(request_id=request.id)
        request = await Request.get(id=request.id)
        event = await RequestEvent.create(
            request=request,
            kind="citizen_message",
            actor="citizen",
            actor_platform=citizen.platform,
            actor_user_id=citizen.user_id,
            actor_name=citizen.full_name or citizen.first_name,
            text=text,
            data={"documents": document_ids},
            stage_code=request.stage_code,
        )
        group = await UnitGroup.get_or_none(unit_code=request.unit_code)
        if group is not None:
            if relay_per_minute is not None and not document_ids and await _over_relay_rate(request, relay_per_minute):
                if await _into_batch(request, event):
                    await _refresh_card_once(request)
                    return Outcome("done", request)
            await enqueue(
                platform=group.platform,
                chat_id=group.chat_id,
                kind=OutboxKind.CITIZEN_MESSAGE,
                is_group=True,
                data={"request": request.id, "event": event.id, "source": source},
                request=request,
            )
            await refresh_card(request, None)
    return Outcome("done", request)


async def close_conversation(request_id: int, actor: Actor, *, actor_chat=None) -> Outcome:
    """Staff end the conversation: the citizen's messages no longer go under the card (they are told)."""
    async with in_transaction():
        changed = (
            await Request.filter(id=request_id)
            .exclude(conversation=Conversation.NONE)
            .update(conversation=Conversation.NONE)
        )
        request = await Request.get(id=request_id)
        if not changed:
            return _closed(request) or Outcome("already", request)
        event = await _event(request, "conversation_closed", actor)
        if request.status in OPEN:
            await notify_citizen(request, event)
        await refresh_card(request, actor_chat)
    return Outcome("done", request)


# A citizen writing fast (or a script) must not fill the unit's group, whose messages all share one
# rate (20 a minute on Telegram): past `relay_per_minute` messages of one request in a minute, a text
# joins the request's newest message not yet taken by the sender, which then carries them all.
async def _over_relay_rate(request: Request, per_minute: int) -> bool:
    since = now() - timedelta(minutes=1)
    recent = OutboxMessage.filter(request_id=request.id, method=OutboxKind.CITIZEN_MESSAGE, created_at__gte=since)
    return await recent.count() >= per_minute


async def _into_batch(request: Request, event: RequestEvent) -> bool:
    """Add the event to the request's newest relay no sender has claimed (False: none is left)."""
    row = (
        await OutboxMessage.filter(
            request_id=request.id,
            method=OutboxKind.CITIZEN_MESSAGE,
            status=OutboxStatus.PENDING,
            attempts=0,
        )
        .order_by("-id")
        .first()
    )
    if row is None:
        return False
    payload = {**row.payload, "more": [*(row.payload.get("more") or []), event.id]}
    # only while still unclaimed: a sender that claimed it meanwhile holds its row lock until it commits
    return bool(await OutboxMessage.filter(id=row.id, attempts=0, status=OutboxStatus.PENDING).update(payload=payload))


async def _refresh_card_once(request: Request) -> None:
    """The card's edit, unless one is already waiting (it shows the card as it is when sent)."""
    waiting = await OutboxMessage.filter(
        request_id=request.id, method=OutboxKind.STAFF_CARD_EDIT, status=OutboxStatus.PENDING, attempts=0
    ).exists()
    if not waiting:
        await refresh_card(request, None)


async def documents_to(request: Request, platform: str, chat_id: int) -> int:
    """Queue the request's documents to a staff member's private chat; returns how many there are."""
    count = await Document.filter(request=request, role="form").count()
    if count:
        await enqueue(platform=platform, chat_id=chat_id, kind="staff-documents", data={"request": request.id})
    return count


async def waiting_for(citizen: Citizen) -> Request | None:
    """The citizen's request waiting for their answer (the newest question first)."""
    return await WAITING.first(citizen.id, RequestStatus.WAITING_CITIZEN)


# -- unit groups and promised dates -----------------------------------------------------------------
async def cards_for_group(unit_code: str, group: UnitGroup) -> int:
    """After /bind: the unit's open requests get their card in the (new) group."""
    async with in_transaction():
        rows = (
            await Request.filter(unit_code=unit_code, status__in=OPEN)
            .order_by("id")
            .values_list("id", "card_platform", "card_chat_id")
        )
        ids = [rid for rid, platform, chat in rows if (platform, chat) != (group.platform, group.chat_id)]
        await Request.filter(id__in=list(ids)).update(
            card_platform=None, card_chat_id=None, card_message_id=None, card_thread_id=None
        )
        for rid in ids:
            await enqueue(
                platform=group.platform,
                chat_id=group.chat_id,
                kind=OutboxKind.STAFF_CARD,
                is_group=True,
                data={"request": rid},
                request=await Request.get(id=rid),
            )
    return len(ids)


async def due(today: date, calendar, units: list[str] | None = None) -> tuple[list[Request], list[Request]]:
    """Open requests (of these units) due within one working day, and overdue ones."""
    query = Request.filter(status__in=OPEN)
    if units is not None:
        query = query.filter(unit_code__in=units)
    soon_until = calendar.add_working_days(today, 1)
    rows = await query.filter(promised_date__lte=soon_until).order_by("promised_date", "id")
    return [r for r in rows if r.promised_date >= today], [r for r in rows if r.promised_date < today]


async def announce_due(today: date, calendar) -> int:
    """Announce each due-soon and each overdue request once in its unit's group."""
    soon, overdue = await due(today, calendar)
    count = 0
    for request, which, flag in [
        *((r, "soon", "due_soon_notified") for r in soon),
        *((r, "overdue", "overdue_notified") for r in overdue),
    ]:
        if getattr(request, flag):
            continue
        async with in_transaction():
            if not await Request.filter(id=request.id, **{flag: False}).update(**{flag: True}):
                continue  # another checker got there first
            group = await UnitGroup.get_or_none(unit_code=request.unit_code)
            if group is not None:
                await enqueue(
                    platform=group.platform,
                    chat_id=group.chat_id,
                    kind=OutboxKind.STAFF_DUE,
                    is_group=True,
                    data={"request": request.id, "which": which},
                    request=request,
                )
                count += 1
    return count
