"""Fees paid in the chat: what a card asks to be paid and when, checking a pre-checkout query
against the form or request it is for, recording a payment, staff recording a refund.

A card's fee with `pay_at` (desk/catalog.Fee) is paid in the chat when the bot has a payment
provider token: `"submit"` before the form is submitted (the form is submitted once paid), or a
stage code (the citizen is sent an invoice when staff move the request to that stage). The
invoice's payload says what it is for: `f:<the form's submit token>` or `r:<request id>:<stage>`.
Everything a pre-checkout query or a successful_payment claims is checked here against the
database and the draft, never trusted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from desk.outbox import OutboxKind, enqueue
from desk.staff import Actor
from models import Citizen, Payment, PaymentStatus, Request, RequestEvent, RequestStatus

SUBMIT = "submit"


def fees_at(card: dict, at: str) -> list[dict]:
    """The card's fees paid in the chat at `at` ("submit" or a stage code); `card` as snapshot() gives it."""
    fees = [card.get("fee") or {}, *(card.get("other_fees") or [])]
    return [f for f in fees if f.get("epayment") and f.get("pay_at") == at and f.get("amount", 0) > 0]


def amount_at(card: dict, at: str) -> int:
    """What is paid in the chat at `at`, in rials (0: nothing)."""
    return sum(f["amount"] for f in fees_at(card, at))


# -- payloads ------------------------------------------------------------------------------------------
def form_payload(token: str) -> str:
    return f"f:{token}"


def request_payload(request_id: int, stage: str) -> str:
    return f"r:{request_id}:{stage}"


@dataclass(frozen=True)
class Purpose:
    """What an invoice's payload says it is for: a form's token, or a request at a stage."""

    token: str | None = None
    request_id: int | None = None
    stage: str = SUBMIT


def parse_payload(payload: str) -> Purpose | None:
    kind, _, rest = payload.partition(":")
    if kind == "f" and rest:
        return Purpose(token=rest)
    if kind == "r":
        rid, _, stage = rest.partition(":")
        if rid.isdigit() and stage:
            return Purpose(request_id=int(rid), stage=stage)
    return None


# -- checks before the messenger charges -------------------------------------------------------------
def check_form(purpose: Purpose, draft_token: str | None, draft_card: dict | None, paid: bool, total: int) -> str:
    """Why a form's pre-checkout query is refused ("" when it may be paid). `total` is the query's
    amount in rials; `draft_card` is the card of the form still open in the chat (None: none)."""
    if paid:
        return "paid"
    if draft_card is None or draft_token != purpose.token:
        return "form-gone"
    if total != amount_at(draft_card, SUBMIT):
        return "amount"
    return ""


async def check_request(purpose: Purpose, citizen: Citizen, total: int) -> str:
    """Why a request's pre-checkout query is refused ("" when it may be paid)."""
    request = await Request.get_or_none(id=purpose.request_id, citizen_id=citizen.id)
    if request is None or request.status not in RequestStatus.OPEN:
        return "request-gone"
    if await is_paid(request_payload(request.id, purpose.stage)):
        return "paid"
    if total != amount_at(request.card, purpose.stage):
        return "amount"
    return ""


async def is_paid(payload: str) -> bool:
    return await Payment.exists(payload=payload, status=PaymentStatus.PAID)


# -- recording -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Charge:
    """A successful_payment as the messenger reported it."""

    payload: str
    currency: str
    total_amount: int  # the currency's smallest unit
    amount: int  # rials
    provider_charge_id: str
    telegram_charge_id: str


async def record(citizen: Citizen, charge: Charge, purpose: Purpose) -> tuple[Payment, bool]:
    """Record a payment once (a redelivered successful_payment finds it): (payment, created)."""
    existing = await Payment.get_or_none(telegram_charge_id=charge.telegram_charge_id)
    if existing is not None:
        return existing, False
    payment = await Payment.create(
        citizen=citizen,
        platform=citizen.platform,
        purpose=purpose.stage,
        payload=charge.payload,
        amount=charge.amount,
        currency=charge.currency,
        total_amount=charge.total_amount,
        provider_charge_id=charge.provider_charge_id,
        telegram_charge_id=charge.telegram_charge_id,
        paid_at=datetime.now(UTC),
        request_id=purpose.request_id,
    )
    return payment, True


async def attach(payment: Payment, request: Request) -> None:
    """A form's payment belongs to the request it submitted; the history says it was paid."""
    async with in_transaction():
        if await Payment.filter(id=payment.id, request_id=None).update(request_id=request.id):
            await _paid_event(request, payment)


async def paid_at_stage(payment: Payment) -> Request | None:
    """A payment asked for at a stage: the history says so and the staff card shows it (refreshed)."""
    from desk import workflow

    async with in_transaction():
        request = await Request.get_or_none(id=payment.request_id)
        if request is None:
            return None
        await _paid_event(request, payment)
        await workflow.refresh_card(request, None)
    return request


async def _paid_event(request: Request, payment: Payment) -> RequestEvent:
    citizen = await Citizen.get(id=payment.citizen_id)
    return await RequestEvent.create(
        request=request,
        kind="paid",
        actor="citizen",
        actor_platform=citizen.platform,
        actor_user_id=citizen.user_id,
        actor_name=citizen.full_name or citizen.first_name,
        stage_code=request.stage_code,
        data={"payment": payment.id, "amount": payment.amount},
    )


async def of_request(request: Request) -> list[Payment]:
    return list(await Payment.filter(request_id=request.id).order_by("id"))


# -- at a stage --------------------------------------------------------------------------------------
async def on_stage(request: Request) -> None:
    """Staff moved the request to a stage: when the card asks for a fee there (and it is not paid
    yet), the citizen is sent an invoice (inside the caller's transaction)."""
    stage = request.stage_code or ""
    amount = amount_at(request.card, stage)
    if not amount or await is_paid(request_payload(request.id, stage)):
        return
    citizen = await Citizen.get(id=request.citizen_id)
    if citizen.chat_id is None:
        return
    await enqueue(
        platform=citizen.platform,
        chat_id=citizen.chat_id,
        kind=OutboxKind.PAYMENT_INVOICE,
        data={"request": request.id, "stage": stage, "amount": amount},
        request=request,
        waiting=citizen.blocked_at is not None,
    )


# -- figures -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Totals:
    paid: int = 0  # rials paid in the chat (refunded ones included)
    count: int = 0
    refunded: int = 0  # rials of those recorded as refunded


async def totals(start: datetime, end: datetime, scope: dict) -> Totals:
    """Fees paid in the chat in [start, end) on requests matching `scope` (a reports.Query's filter)."""
    rows = await Payment.filter(
        paid_at__gte=start, paid_at__lt=end, **{f"request__{k}": v for k, v in scope.items()}
    ).values_list("amount", "status")
    return Totals(
        paid=sum(a for a, _ in rows),
        count=len(rows),
        refunded=sum(a for a, status in rows if status == PaymentStatus.REFUNDED),
    )


async def by_request(ids: list[int]) -> dict[int, list[Payment]]:
    out: dict[int, list[Payment]] = {}
    for p in await Payment.filter(request_id__in=ids).order_by("id"):
        if p.request_id is not None:
            out.setdefault(p.request_id, []).append(p)
    return out


# -- refunds -----------------------------------------------------------------------------------------
async def refund(request_id: int, actor: Actor, *, actor_chat=None) -> str:
    """Staff record that the request's payments were refunded: "done" or "none" (nothing to refund).
    The money goes back outside the chat (the provider's panel); this is the desk's record of it."""
    from desk import workflow

    async with in_transaction():
        request = await Request.get(id=request_id)
        at = datetime.now(UTC)
        paid = list(await Payment.filter(request_id=request_id, status=PaymentStatus.PAID).order_by("id"))
        if not paid:
            return "none"
        changed = await Payment.filter(id__in=[p.id for p in paid], status=PaymentStatus.PAID).update(
            status=PaymentStatus.REFUNDED,
            refunded_at=at,
            refunded_by_platform=actor.platform,
            refunded_by_user_id=actor.user_id,
            refunded_by_name=actor.name[:128],
        )
        if not changed:
            return "none"
        event = await RequestEvent.create(
            request=request,
            kind="refunded",
            actor="staff",
            actor_platform=actor.platform,
            actor_user_id=actor.user_id,
            actor_name=actor.name,
            stage_code=request.stage_code,
            data={"payments": [p.id for p in paid], "amount": sum(p.amount for p in paid)},
        )
        await workflow.notify_citizen(request, event)
        await workflow.refresh_card(request, actor_chat)
    return "done"
