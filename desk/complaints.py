"""Complaints about a request (the complaint procedure of the information package): lodged by the
request's owner, sent to the unit's supervisors (else the admins), answered once, the answer sent
back to the citizen. Notifications go through the outbox in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from desk import staff
from desk.outbox import OutboxKind, enqueue
from desk.validators import ValidationError
from models import Citizen, Complaint, Request, Role

MAX_TEXT = 2000


def admin_chats(settings) -> set[tuple[str, int]]:
    """(platform, private chat id) of the admins named in the settings ("123" is Telegram, "bale:123")."""
    out = set()
    for entry in settings.admins:
        platform, _, user_id = entry.rpartition(":")
        if user_id.isdigit():
            out.add((platform or "telegram", int(user_id)))
    return out


async def recipients(settings, unit_code: str) -> set[tuple[str, int]]:
    """The unit's supervisors (including supervisors of every unit); if none, the admins."""
    supervisors = await Role.filter(role="supervisor", unit_code=unit_code).values_list("platform", "user_id")
    if supervisors:
        return set(supervisors)
    everywhere = await Role.filter(role="supervisor", unit_code__isnull=True).values_list("platform", "user_id")
    if everywhere:
        return set(everywhere)
    admins = await Role.filter(role="admin").values_list("platform", "user_id")
    return admin_chats(settings) | set(admins)


async def check_limit(request: Request, limit: int) -> None:
    """At most `limit` complaints about one request (each alerts its handlers): ValidationError "complaints-limit"."""
    if await Complaint.filter(request=request).count() >= limit:
        raise ValidationError("complaints-limit", max=limit)


async def lodge(settings, citizen: Citizen, request: Request, text: str) -> Complaint:
    """Record the complaint and notify whoever handles it."""
    text = text.strip()[:MAX_TEXT]
    await check_limit(request, settings.limits.complaints_per_request)
    async with in_transaction():
        complaint = await Complaint.create(request=request, citizen=citizen, text=text)
        for platform, chat_id in sorted(await recipients(settings, request.unit_code)):
            await enqueue(
                platform=platform,
                chat_id=chat_id,
                kind=OutboxKind.COMPLAINT_NEW,
                data={"complaint": complaint.id},
                request=request,
            )
    return complaint


async def may_answer(settings, platform: str, user_id: int, complaint: Complaint) -> bool:
    request = await Request.get(id=complaint.request_id)
    return await staff.is_admin(settings, platform, user_id) or await staff.is_supervisor(
        platform, user_id, request.unit_code
    )


async def answer(complaint_id: int, text: str, by_name: str) -> Complaint | None:
    """Answer an open complaint and send the answer to the citizen; None if it was answered already
    (two supervisors answering at once: the first one wins)."""
    async with in_transaction():
        changed = await Complaint.filter(id=complaint_id, status="open").update(
            status="answered", answer=text.strip()[:MAX_TEXT], answered_by=by_name[:128], answered_at=datetime.now(UTC)
        )
        if not changed:
            return None
        complaint = await Complaint.get(id=complaint_id).select_related("citizen", "request")
        citizen = complaint.citizen
        if citizen.chat_id is not None and citizen.blocked_at is None:
            await enqueue(
                platform=citizen.platform,
                chat_id=citizen.chat_id,
                kind=OutboxKind.COMPLAINT_ANSWER,
                data={"complaint": complaint.id},
                request=complaint.request,
            )
    return complaint
