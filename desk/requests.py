"""Service requests: submission (exactly once), receipt data, look-ups by their owner."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from desk import summaries, tracking, workflow
from desk.calendar import WorkCalendar
from desk.catalog import Catalog, ServiceCard, snapshot
from desk.staff import Actor
from desk.validators import ValidationError
from models import Channel, Citizen, Document, Request, RequestEvent, RequestStatus
from models.card import StageSnapshot
from models.prepared import PreparedSelect

# A citizen's look-ups (tracking, "my requests"): on the hot path, so built once.
OWNED = PreparedSelect(Request, tracking_code="", citizen_id=0)
MINE = PreparedSelect(
    Request,
    only=("id", "tracking_code", "service_code", "card", "status", "submitted_at"),
    order_by=("-submitted_at", "-id"),
    paged=True,
    citizen_id=0,
)
PUBLIC_EVENTS = PreparedSelect(RequestEvent, order_by=("id",), request_id=0, public=True)


@dataclass
class Submission:
    request: Request
    created: bool  # False: the same form was submitted before (a double tap)


async def check_open_limit(citizen: Citizen, service_code: str, limit: int) -> None:
    """A citizen may hold at most `limit` open requests of one service (ValidationError "open-requests")."""
    if await Request.filter(citizen=citizen, service_code=service_code, status__in=RequestStatus.OPEN).count() >= limit:
        raise ValidationError("open-requests", max=limit)


def promised_date(calendar: WorkCalendar, card: ServiceCard, submitted: datetime, tz) -> date:
    local_day = submitted.astimezone(tz).date()
    return calendar.add_working_days(local_day, card.duration_days) if card.duration_days else local_day


async def submit(
    *,
    citizen: Citizen,
    card: ServiceCard,
    catalog: Catalog,
    answers: list[dict],
    document_ids: list[int],
    submit_token: str,
    calendar: WorkCalendar,
    tz,
    channel: Channel = Channel.MESSENGER,
    registered_by: Actor | None = None,
    uploader: Citizen | None = None,
) -> Submission:
    """Accept a filled form. The same `submit_token` always returns the same request.

    A request registered in person (`channel`) is filled by desk staff (`registered_by`) for a
    walk-in citizen: the documents were uploaded from the staff member's chat (`uploader`) and
    become the citizen's; the citizen, if they use the messenger, is told their tracking code."""
    existing = await Request.get_or_none(submit_token=submit_token)
    if existing is not None:
        return Submission(existing, created=False)
    unit = catalog.units[card.unit]
    submitted = datetime.now(UTC)
    for _ in range(5):  # a fresh code on the (astronomically rare) collision
        try:
            async with in_transaction():
                request = await Request.create(
                    tracking_code=tracking.new_code(),
                    citizen=citizen,
                    submit_token=submit_token,
                    service_code=card.code,
                    service_version=card.version,
                    card=snapshot(card),
                    agency_code=card.agency,
                    unit_code=card.unit,
                    unit_place=unit.place,
                    status=RequestStatus.SUBMITTED,
                    stage_code=card.stages[0].code,
                    answers=answers,
                    submitted_at=submitted,
                    promised_date=promised_date(calendar, card, submitted, tz),
                    channel=channel,
                    registered_by=registered_by.name if registered_by else None,
                )
                if document_ids:
                    await Document.filter(id__in=document_ids, citizen=uploader or citizen, request=None).update(
                        request=request, citizen=citizen
                    )
                by = registered_by or Actor(citizen.platform, citizen.user_id, citizen.full_name or "")
                event = await RequestEvent.create(
                    request=request,
                    kind="submitted",
                    actor="staff" if registered_by else "citizen",
                    actor_platform=by.platform,
                    actor_user_id=by.user_id,
                    actor_name=by.name,
                    stage_code=request.stage_code,
                )
                await summaries.request_added(request)
                await workflow.on_submitted(request)
                if registered_by is not None:
                    await workflow.notify_citizen(request, event)
            return Submission(request, created=True)
        except IntegrityError:
            existing = await Request.get_or_none(submit_token=submit_token)
            if existing is not None:
                return Submission(existing, created=False)
    raise RuntimeError("could not allocate a tracking code")


WALK_IN = "desk"  # the platform of a walk-in citizen who does not use the messenger


async def walk_in_citizen(card: ServiceCard, answers: dict) -> Citizen:
    """The owner of a request registered in person: the citizen's own messenger account when one
    with the national ID answered in the form exists (so they follow the request in the chat),
    else a record of the desk's own for the walk-in."""

    def answered(attr: str):
        return next((answers.get(f.name) for f in card.form if getattr(f, "prefill", None) == attr), None)

    national_id = answered("national_id") or next(
        (answers.get(f.name) for f in card.form if f.type == "national_id"), None
    )
    if national_id:
        known = (
            await Citizen.filter(national_id=national_id, chat_id__isnull=False)
            .exclude(platform=WALK_IN)
            .order_by("-updated_at")
            .first()
        )
        if known is not None:
            return known
    profile = {"full_name": answered("full_name"), "national_id": national_id, "mobile": answered("mobile")}
    if national_id:
        citizen, _ = await Citizen.get_or_create(platform=WALK_IN, user_id=int(national_id), defaults=profile)
        return citizen
    return await Citizen.create(platform=WALK_IN, user_id=-secrets.randbelow(2**62), **profile)


async def find_for_owner(citizen: Citizen, code: str) -> Request | None:
    """A request by its tracking code, only for its owner: a stranger's code and a code that does
    not exist give the same answer."""
    normal = tracking.normalize(code)
    if normal is None:
        return None
    return await OWNED.first(normal, citizen.id)


async def list_for_owner(citizen: Citizen, *, offset: int = 0, limit: int = 8) -> tuple[list[Request], int]:
    total = await MINE.count(citizen.id)
    rows = await MINE.all(citizen.id, limit, offset) if total > offset else []
    return rows, total


async def public_history(request: Request) -> list[RequestEvent]:
    return await PUBLIC_EVENTS.all(request.id, True)


def stage_dates(request: Request, events: list[RequestEvent]) -> list[tuple[StageSnapshot, datetime | None, str]]:
    """Each stage of the card with when it was reached and its state: done | current | todo."""
    reached: dict[str, datetime] = {}
    for ev in events:
        if ev.stage_code and ev.stage_code not in reached:
            reached[ev.stage_code] = ev.at
    stages = request.snapshot.stages
    codes = [s.code for s in stages]
    current = codes.index(request.stage_code) if request.stage_code in codes else 0
    closed = request.status in RequestStatus.CLOSED
    out = []
    for i, stage in enumerate(stages):
        state = "done" if i < current or (closed and i == current) else "current" if i == current else "todo"
        out.append((stage, reached.get(stage.code), state))
    return out
