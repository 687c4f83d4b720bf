"""Fees paid in the chat, through the real dispatcher and the stand-in's payer: before the form is
submitted, declined and abandoned payments, and without a provider token."""

import pytest

from models import Payment, PaymentStatus, Request
from tests.factories import TEST_CATALOG, fill_permit_form, fill_profile, open_service, visible

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)

PROVIDER = "284685063:TEST:provider"  # Telegram's test provider tokens look like this
WALLET = "WALLET-TEST-1111111111111111"  # Bale's documented test wallet token (docs/BALE.md)
FEE = 250_000  # rials, the test catalogue's permit fee (pay_at = "submit")


@pytest.fixture
async def desk(make_desk, platform):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, payment_token=WALLET if platform == "bale" else PROVIDER)


async def to_review(desk, name="Reza"):
    user = desk.citizen(name)
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await fill_permit_form(user)
    return user


def expected_total(platform: str) -> int:
    return FEE if platform == "bale" else FEE * 100  # Bale: whole rials; Telegram: IRR's smallest unit


async def test_fee_paid_before_submit(desk):
    user = await to_review(desk)
    review = visible(user.last["plain"])
    assert "۲۵۰٬۰۰۰ ریال" in review and "پس از پرداخت ثبت" in review
    assert not [b for row in user.keyboard() for b in row if "ثبت نهایی" in b]  # no way around paying
    await user.press("پرداخت ۲۵۰٬۰۰۰ ریال و ثبت")
    invoice = user.invoice()
    assert invoice["currency"] == "IRR" and invoice["total_amount"] == expected_total(desk.platform)
    assert invoice["provider_token"] == (WALLET if desk.platform == "bale" else PROVIDER)
    assert "نگه داشته" in visible(user.messages[-2]["plain"])
    assert await Request.all().count() == 0  # not submitted before it is paid
    invoice_message = user.messages[-1]
    outcome = await user.pay()
    assert outcome["answer"]["ok"] is True and outcome["charged"]
    request = await Request.get()
    payment = await Payment.get()
    assert payment.request_id == request.id and payment.amount == FEE and payment.status == PaymentStatus.PAID
    assert payment.total_amount == expected_total(desk.platform) and payment.currency == "IRR"
    assert payment.telegram_charge_id == f"{desk.platform}-charge-1"
    assert payment.provider_charge_id == "provider-charge-1"
    receipt = visible(user.last["plain"])
    assert "رسید الکترونیکی" in receipt
    assert "۲۵۰٬۰۰۰ ریال" in receipt and f"{desk.platform}-charge-1" in receipt
    # the same invoice paid again is refused by the desk before anything is charged
    again = await user.pay(invoice_message)
    assert again["answer"]["ok"] is False and not again["charged"]
    assert await Payment.all().count() == 1 and await Request.all().count() == 1


async def test_declined_and_abandoned_payments_keep_the_form(desk):
    user = await to_review(desk)
    await user.press("پرداخت ۲۵۰٬۰۰۰ ریال و ثبت")
    declined = await user.pay(provider="decline")  # the card is declined: the desk hears nothing more
    assert declined["answer"]["ok"] is True and not declined["charged"]
    assert await Request.all().count() == 0 and await Payment.all().count() == 0
    # abandoned: the citizen leaves the invoice and comes back with Pay again
    await user.press("پرداخت دوباره")
    assert user.invoice()["total_amount"] == expected_total(desk.platform)
    await user.press("بازگشت به فرم")  # the review, the answers as they were
    assert "Owner" in visible(user.last["plain"])
    await user.press("پرداخت ۲۵۰٬۰۰۰ ریال و ثبت")
    paid = await user.pay()
    assert paid["charged"] and await Request.all().count() == 1 and await Payment.all().count() == 1


async def test_invoice_of_a_discarded_form_is_refused(desk):
    user = await to_review(desk)
    await user.press("پرداخت ۲۵۰٬۰۰۰ ریال و ثبت")
    invoice_message = user.messages[-1]
    await user.press("لغو", message=user.messages[-2])
    await user.press("بله، کنار بگذار")  # discard the form
    refused = await user.pay(invoice_message)
    assert refused["answer"]["ok"] is False and "باز نیست" in refused["answer"]["error_message"]
    assert "مبلغی کسر نشد" in visible(user.last["plain"])
    assert await Payment.all().count() == 0 and await Request.all().count() == 0


async def test_forged_submit_does_not_skip_the_payment(desk):
    user = await to_review(desk)
    token = next(
        b["callback_data"] for row in user.last["reply_markup"]["inline_keyboard"] for b in row if "پرداخت" in b["text"]
    )
    await user.press_data(token.replace(":pay:", ":submit:"))
    assert "پیش از ثبت فرم پرداخت" in visible(user.last["plain"])
    assert await Request.all().count() == 0


async def test_without_a_provider_token_the_form_is_submitted_as_today(make_desk):
    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)})
    user = await to_review(desk)
    assert "پرداخت" not in str(user.keyboard())
    await user.press("ثبت نهایی")
    assert await Request.all().count() == 1 and await Payment.all().count() == 0
    assert not [c for c in desk.standin.calls if c.method == "sendInvoice"]


async def test_an_invoice_for_an_old_amount_is_refused(desk):
    """The card's fee changed (a catalogue reload) after the invoice was sent: refused, nothing
    charged, and Pay again sends the new amount."""
    from desk.catalog import Catalog

    user = await to_review(desk)
    await user.press("پرداخت ۲۵۰٬۰۰۰ ریال و ثبت")
    old = desk.catalog
    card = old.services["permit"]
    card = card.model_copy(update={"fee": card.fee.model_copy(update={"amount": 300_000})})
    services = desk.dp.workflow_data["services"]
    desk.dp.workflow_data["services"] = services.with_catalog(
        Catalog({**old.services, "permit": card}, old.agencies, old.units)
    )
    refused = await user.pay()
    assert refused["answer"]["ok"] is False and not refused["charged"]
    assert "تغییر کرده" in visible(user.last["plain"]) and await Payment.all().count() == 0
    await user.press("پرداخت دوباره")
    assert user.invoice()["total_amount"] == (300_000 if desk.platform == "bale" else 300_000 * 100)
    assert (await user.pay())["charged"] and (await Payment.get()).amount == 300_000
