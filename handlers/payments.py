"""Fees paid in the chat: the form's Pay button (an invoice), the messenger's pre-checkout query
(answered at once: the form or request and the amount must still match) and its successful_payment
(recorded; a form paid before submitting is then submitted). Rules: desk/payments.py."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, PreCheckoutQuery

from bot import flows
from bot.callbacks import FormCb, RequestCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.platforms import INVOICE_CURRENCY, DeskBot
from bot.routes import Routes
from bot.services import Services
from bot.states import FormStates
from bot.views import form as form_views
from bot.views import payments as views
from bot.views.keyboards import button, markup
from bot.views.render import pick
from desk import forms, payments
from desk.catalog import snapshot
from models import Citizen, Request

router = Routes("payments")


def _open_form(data: dict, catalog):
    """The card of the complete form open in the chat, if any."""
    card = catalog.services.get(data.get("svc", "")) if flows.has_form(data) else None
    return card if card is not None and not forms.missing_required(card, data) else None


@router.callback_query(FormCb.filter(F.action == "pay"))
async def pay(
    query: CallbackQuery, callback_data: FormCb, bot: DeskBot, l10n: L10n, state: FSMContext, services: Services
):
    """Pay (or Pay again): the invoice for the fee paid before submitting; the form stays as it is."""
    data = await state.get_data()
    card = _open_form(data, services.catalog)
    fee = form_views.pays_before_submit(bot, card) if card else 0
    if card is None or data.get("token") != callback_data.value or not fee or data.get("walkin"):
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await query.answer()
    await state.set_state(FormStates.review)
    await query.message.edit_reply_markup(reply_markup=None)
    await query.message.answer(
        l10n("pay-kept", amount=l10n.num(fee)), reply_markup=views.pay_again_keyboard(l10n, data["token"])
    )
    await bot(
        views.invoice(
            l10n,
            query.message.chat.id,
            platform=bot.platform,
            provider_token=bot.payment_token,
            card=snapshot(card),
            at=payments.SUBMIT,
            payload=payments.form_payload(data["token"]),
        )
    )


@router.pre_checkout_query()
async def pre_checkout(
    query: PreCheckoutQuery, bot: DeskBot, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services
):
    """Answered before anything slow: the messenger charges only on ok (it waits 10 seconds)."""
    purpose = payments.parse_payload(query.invoice_payload)
    total = views.rials(bot.platform, query.total_amount)
    data: dict = {}
    if purpose is None or query.currency != INVOICE_CURRENCY:
        reason = "unknown"
    elif purpose.token is not None:
        data = await state.get_data()
        card = _open_form(data, services.catalog)
        reason = payments.check_form(
            purpose,
            data.get("token"),
            snapshot(card) if card else None,
            await payments.is_paid(query.invoice_payload),
            total,
        )
    else:
        reason = await payments.check_request(purpose, citizen, total)
    if not reason:
        await query.answer(ok=True)
        return
    await query.answer(ok=False, error_message=l10n.button(f"pay-refused-{reason}"))
    again = purpose is not None and purpose.token is not None and purpose.token == data.get("token")
    await bot.send_message(
        query.from_user.id,
        l10n(f"pay-refused-{reason}") + "\n" + l10n("pay-nothing-charged"),
        reply_markup=views.pay_again_keyboard(l10n, purpose.token) if again else None,
    )


@router.message(PrivateChat(), Magic(F.successful_payment))
async def paid(message: Message, bot: DeskBot, l10n: L10n, citizen: Citizen, state: FSMContext, services: Services):
    done = message.successful_payment
    purpose = payments.parse_payload(done.invoice_payload) or payments.Purpose(stage="unknown")
    if purpose.request_id is not None and not await Request.exists(id=purpose.request_id, citizen_id=citizen.id):
        purpose = payments.Purpose(stage=purpose.stage)  # kept, but on no request of someone else's
    charge = payments.Charge(
        payload=done.invoice_payload,
        currency=done.currency,
        total_amount=done.total_amount,
        amount=views.rials(bot.platform, done.total_amount),
        provider_charge_id=done.provider_payment_charge_id,
        telegram_charge_id=done.telegram_payment_charge_id,
    )
    payment, created = await payments.record(citizen, charge, purpose)
    if purpose.token is not None:
        data = await state.get_data()
        card = _open_form(data, services.catalog)
        if payment.request_id is None and card is not None and data.get("token") == purpose.token:
            result = await flows.submit_form(state, citizen, card, data, services)
            await payments.attach(payment, result.request)
            await form_views.send_receipt(message, l10n, result.request)
            return
        if payment.request_id is not None:  # a redelivered payment: its receipt again
            await form_views.send_receipt(message, l10n, await Request.get(id=payment.request_id), again=True)
            return
        await message.answer(l10n("pay-orphan", charge=charge.telegram_charge_id))
        return
    request = await payments.paid_at_stage(payment) if created and payment.request_id else None
    request = request or (await Request.get_or_none(id=payment.request_id) if payment.request_id else None)
    if request is None:
        await message.answer(l10n("pay-orphan", charge=charge.telegram_charge_id))
        return
    await message.answer(
        l10n(
            "pay-received",
            amount=l10n.num(payment.amount),
            code=l10n.code(request.tracking_code),
            service=pick(request.card["title"], l10n.lang),
            charge=payment.telegram_charge_id,
        ),
        reply_markup=markup([button(l10n.button("receipt-view"), RequestCb(code=request.tracking_code))]),
    )
