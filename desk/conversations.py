"""A request's conversation seen from the citizen's side: which request their messages go to,
writing about a request of their own accord, stepping out, switching. Staff open a conversation by
asking or writing (desk/workflow.py) and close it; the request's end closes it too."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from desk.workflow import refresh_card
from models import Citizen, Conversation, Request, RequestStatus


async def current(citizen: Citizen) -> Request | None:
    """The open request the citizen's free messages go to: the newest open conversation."""
    return (
        await Request.filter(citizen=citizen, conversation=Conversation.OPEN, status__in=RequestStatus.OPEN)
        .order_by("-conversation_at", "-id")
        .first()
    )


async def others(citizen: Citizen, but: int) -> list[Request]:
    """The citizen's other requests whose conversation is open (left or not): where they can switch."""
    return list(
        await Request.filter(
            citizen=citizen,
            conversation__in=(Conversation.OPEN, Conversation.LEFT),
            status__in=RequestStatus.OPEN,
        )
        .exclude(id=but)
        .order_by("-conversation_at", "-id")
        .limit(8)
    )


async def write(request: Request) -> Request:
    """The citizen chose to write about this request (from its view, a notification, or a switch);
    the card says so (unless it already did)."""
    async with in_transaction():
        was = request.conversation
        await Request.filter(id=request.id, status__in=RequestStatus.OPEN).update(
            conversation=Conversation.OPEN, conversation_at=datetime.now(UTC)
        )
        request = await Request.get(id=request.id)
        if request.conversation != was:
            await refresh_card(request, None)
    return request


async def leave(request_id: int, citizen: Citizen) -> None:
    """The citizen stepped out: their next messages are theirs again (staff can still write; the
    card says the citizen stepped out)."""
    async with in_transaction():
        left = await Request.filter(id=request_id, citizen=citizen, conversation=Conversation.OPEN).update(
            conversation=Conversation.LEFT
        )
        if left:
            await refresh_card(await Request.get(id=request_id), None)


def is_open(request: Request) -> bool:
    return request.status in RequestStatus.OPEN and request.conversation != Conversation.NONE
