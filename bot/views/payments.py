"""Fees paid in the chat: the invoice, the screens around it, a payment's lines on the receipt, the
tracking view and the staff card, and the renderer of the invoice a stage asks for."""

from __future__ import annotations

from aiogram.methods import SendInvoice, SendMessage
from aiogram.types import InlineKeyboardMarkup, LabeledPrice

from bot.callbacks import FormCb, RequestCb
from bot.l10n import L10n
from bot.platforms import INVOICE_CURRENCY, invoice_amount
from bot.views.keyboards import button
from bot.views.notifications import Outgoing, renderer
from bot.views.render import pick
from desk import payments
from desk.outbox import OutboxKind
from models import Payment, PaymentStatus, Request

TITLE_LIMIT = 32  # sendInvoice's title (Telegram and Bale)
DESCRIPTION_LIMIT = 255
LABEL_LIMIT = 32


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def invoice(
    l10n: L10n, chat_id: int, *, platform: str, provider_token: str, card: dict, at: str, payload: str
) -> SendInvoice:
    """The invoice for what the card asks to be paid at `at`, in the messenger's unit of rials."""
    service = pick(card["title"], l10n.lang)
    prices = [
        LabeledPrice(
            label=_cut(pick(fee.get("title"), l10n.lang) or l10n.button("pay-price-label"), LABEL_LIMIT),
            amount=invoice_amount(platform, fee["amount"]),
        )
        for fee in payments.fees_at(card, at)
    ]
    return SendInvoice(
        chat_id=chat_id,
        title=_cut(l10n.button("pay-invoice-title", service=service), TITLE_LIMIT),
        description=_cut(l10n.button("pay-invoice-description", service=service), DESCRIPTION_LIMIT),
        payload=payload,
        provider_token=provider_token,
        currency=INVOICE_CURRENCY,
        prices=prices,
    )


def rials(platform: str, total_amount: int) -> int:
    """An amount a messenger reported (its unit) in rials."""
    return total_amount // invoice_amount(platform, 1)


def pay_again_keyboard(l10n: L10n, token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n.button("pay-again"), FormCb(action="pay", value=token))],
            [
                button(l10n.button("pay-edit"), FormCb(action="keep")),
                button(l10n.button("form-cancel"), FormCb(action="cancel")),
            ],
        ]
    )


def payment_lines(l10n: L10n, rows: list[Payment]) -> str:
    """Each payment: amount, when, the messenger's charge id, and a refund if recorded."""
    lines = []
    for p in rows:
        line = l10n(
            "pay-line",
            amount=l10n.num(p.amount),
            at=l10n.date(p.paid_at, with_time=True),
            charge=p.telegram_charge_id,
        )
        if p.status == PaymentStatus.REFUNDED and p.refunded_at is not None:
            line += " " + l10n("pay-line-refunded", at=l10n.date(p.refunded_at, with_time=True))
        lines.append(line)
    return "\n".join(lines)


@renderer(OutboxKind.PAYMENT_INVOICE)
async def render_invoice(out: Outgoing):
    """The stage the request reached asks for a fee: the invoice when this bot takes payments, else
    the card's payment instructions."""
    request = await Request.get_or_none(id=out.data["request"])
    stage = out.data["stage"]
    if request is None or await payments.is_paid(payments.request_payload(request.id, stage)):
        return
    l10n = out.l10n
    fees = payments.fees_at(request.card, stage)
    if not fees:
        return
    stage_title = next((pick(s["title"], l10n.lang) for s in request.card["stages"] if s["code"] == stage), stage)
    args = {
        "code": l10n.code(request.tracking_code),
        "service": pick(request.card["title"], l10n.lang),
        "stage": stage_title,
        "amount": l10n.num(payments.amount_at(request.card, stage)),
    }
    view = InlineKeyboardMarkup(
        inline_keyboard=[[button(l10n.button("receipt-view"), RequestCb(code=request.tracking_code))]]
    )
    token = getattr(out.bot, "payment_token", "")
    if not token:
        how = "\n".join(
            l10n("pay-stage-how", how=pick(f["how"], l10n.lang), account=f.get("account") or "-") for f in fees
        )
        yield SendMessage(chat_id=out.chat_id, text=l10n("pay-stage-instructions", **args, how=how), reply_markup=view)
        return
    yield SendMessage(chat_id=out.chat_id, text=l10n("pay-stage-invoice", **args), reply_markup=view)
    yield invoice(
        l10n,
        out.chat_id,
        platform=out.platform,
        provider_token=token,
        card=request.card,
        at=stage,
        payload=payments.request_payload(request.id, stage),
    )
