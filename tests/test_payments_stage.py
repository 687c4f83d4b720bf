"""A fee asked for at a stage: staff move the request there, the citizen gets the invoice through the
outbox and pays in the chat; the payment on the staff card, the tracking view, /stats and /export;
staff record a refund (authorised on the server); without a provider token, the instructions."""

import io
import re
import shutil

import pytest
from openpyxl import load_workbook

from bot.callbacks import StaffCb
from desk.staff import StaffAction
from models import Payment, PaymentStatus, Request, RequestEvent
from tests.factories import FAST, make_world, visible

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)

PROVIDER = "284685063:TEST:provider"
WALLET = "WALLET-TEST-1111111111111111"
FEE = 500_000  # rials, asked for at the tax clearance's "debt-check" stage (the catalogue copy below)


def catalog_with_stage_fee(tmp_path) -> str:
    """The shipped catalogue, with the tax clearance's fee paid in the chat at its second stage."""
    root = tmp_path / "catalog"
    shutil.copytree("catalog", root)
    card = root / "services" / "tax-clearance.toml"
    text = re.sub(r"^fee = \{ amount = 0,", f"fee = {{ amount = {FEE},", card.read_text("utf-8"), flags=re.M)
    text = re.sub(r"(^fee = .*)epayment = true \}$", r'\1epayment = true, pay_at = "debt-check" }', text, flags=re.M)
    card.write_text(text, "utf-8")
    return str(root)


async def stage_world(make_desk, tmp_path, platform, *, token=True):
    overrides = {"catalog": {"dir": catalog_with_stage_fee(tmp_path)}, "outbox": FAST}
    if token:
        overrides["payment_token"] = WALLET if platform == "bale" else PROVIDER
    desk = await make_desk(**overrides)
    w = await make_world(desk)
    request = await w.submit()
    await w.press(w.clerk, "برمی", request)
    await w.press(w.clerk, "مرحلهٔ بعد", request)  # to "debt-check": the fee is asked for there
    return desk, w, await Request.get(id=request.id)


async def test_invoice_at_the_stage_paid_and_refunded(make_desk, tmp_path, platform):
    desk, w, request = await stage_world(make_desk, tmp_path, platform)
    assert request.stage_code == "debt-check"
    invoice = w.user.invoice()
    assert invoice["payload"] == f"r:{request.id}:debt-check"
    assert invoice["total_amount"] == (FEE if platform == "bale" else FEE * 100)
    assert "۵۰۰٬۰۰۰ ریال" in visible(w.user.messages[-2]["plain"])
    invoices = len([c for c in desk.standin.calls if c.method == "sendInvoice"])
    outcome = await w.user.pay()
    assert outcome["answer"]["ok"] is True and outcome["charged"]
    payment = await Payment.get()
    assert (payment.request_id, payment.amount, payment.purpose) == (request.id, FEE, "debt-check")
    assert "پرداخت دریافت شد" in visible(w.user.last["plain"])
    await desk.deliver_outbox()
    card = visible(w.card(request)["plain"])
    assert "پرداخت‌ها".replace("\u200c", "") in card and "۵۰۰٬۰۰۰ ریال" in card and payment.telegram_charge_id in card
    # the same invoice again: refused before anything is charged
    again = await w.user.pay()
    assert again["answer"]["ok"] is False and not again["charged"]
    assert await Payment.all().count() == 1
    assert len([c for c in desk.standin.calls if c.method == "sendInvoice"]) == invoices
    # tracking view
    await w.user.send(f"/track {request.tracking_code}")
    assert payment.telegram_charge_id in visible(w.user.last["plain"])
    # a member of the unit who did not take the request may not record a refund; the assignee may
    await w.press(w.clerk2, "ثبت بازپرداخت", request)
    assert (await Payment.get()).status == PaymentStatus.PAID
    await w.press(w.clerk, "ثبت بازپرداخت", request)
    await w.press(w.clerk, "بله، هزینه بازپرداخت شد", request)
    refunded = await Payment.get()
    assert refunded.status == PaymentStatus.REFUNDED and refunded.refunded_by_user_id == w.clerk.id
    assert refunded.refunded_at is not None and refunded.refunded_by_name == "Clerk"
    assert await RequestEvent.filter(request_id=request.id, kind="refunded").count() == 1
    assert "بازپرداخت شد" in visible(w.user.last["plain"])  # the citizen is told
    assert "بازپرداخت شد" in visible(w.card(request)["plain"])
    # a forged refund button from someone outside the unit is refused
    stranger = desk.citizen("Stranger")
    forged = StaffCb(action=StaffAction.REFUND, request=request.id, arg="yes").pack()
    await desk.standin.press(w.group, stranger, w.group.history[request.card_message_id], forged)
    assert await RequestEvent.filter(request_id=request.id, kind="refunded").count() == 1
    # /stats and /export include the amounts
    await w.admin.send("/stats year")
    assert "۵۰۰٬۰۰۰" in visible(w.admin.last["plain"]) and "پرداخت در گفتگو" in visible(w.admin.last["plain"])
    await w.admin.send("/export year")
    data = desk.standin.files.get(w.admin.last["document"]["file_id"]).data
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    header, row = rows[0], rows[1]
    assert row[header.index("پرداخت در گفتگو (ریال)")] == FEE
    assert row[header.index("بازپرداخت (ریال)")] == FEE
    assert payment.telegram_charge_id in row[header.index("شناسه‌های پرداخت")]


async def test_without_a_provider_token_the_stage_tells_how_to_pay(make_desk, tmp_path, platform):
    desk, w, request = await stage_world(make_desk, tmp_path, platform, token=False)
    assert not [c for c in desk.standin.calls if c.method == "sendInvoice"]
    told = visible(w.user.last["plain"])
    assert "۵۰۰٬۰۰۰ ریال" in told and "درگاه پرداخت" in told  # the card's own instructions
    assert "ثبت بازپرداخت" not in str(w.card(request)["reply_markup"])
