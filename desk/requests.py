"""Service requests: submission (exactly once), receipt data, look-ups by their owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from desk import tracking, workflow
from desk.calendar import WorkCalendar
from desk.catalog import Catalog, ServiceCard, snapshot
from models import Citizen, Document, Request, RequestEvent, RequestStatus
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
) -> Submission:
    """Accept a filled form. The same `submit_token` always returns the same request."""
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
                )
                if document_ids:
                    await Document.filter(id__in=document_ids, citizen=citizen, request=None).update(request=request)
                await RequestEvent.create(
                    request=request,
                    kind="submitted",
                    actor="citizen",
                    actor_platform=citizen.platform,
                    actor_user_id=citizen.user_id,
                    actor_name=citizen.full_name,
                    stage_code=request.stage_code,
                )
                await workflow.on_submitted(request)
            return Submission(request, created=True)
        except IntegrityError:
            existing = await Request.get_or_none(submit_token=submit_token)
            if existing is not None:
                return Submission(existing, created=False)
    raise RuntimeError("could not allocate a tracking code")


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


def stage_dates(request: Request, events: list[RequestEvent]) -> list[tuple[dict, datetime | None, str]]:
    """Each stage of the card with when it was reached and its state: done | current | todo."""
    reached: dict[str, datetime] = {}
    for ev in events:
        if ev.stage_code and ev.stage_code not in reached:
            reached[ev.stage_code] = ev.at
    stages = request.card["stages"]
    codes = [s["code"] for s in stages]
    current = codes.index(request.stage_code) if request.stage_code in codes else 0
    closed = request.status in RequestStatus.CLOSED
    out = []
    for i, stage in enumerate(stages):
        state = "done" if i < current or (closed and i == current) else "current" if i == current else "todo"
        out.append((stage, reached.get(stage["code"]), state))
    return out
