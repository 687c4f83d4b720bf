"""The citizen's whole journey through the real dispatcher, including every bad input of issue 2."""

import asyncio
from pathlib import Path

import pytest

from bot.callbacks import MenuCb
from desk import tracking
from models import Citizen, Document, FsmRecord, Request
from tests.factories import (
    EXE,
    EXPIRED,
    PDF,
    REFUSED,
    TEST_CATALOG,
    VALID_NID,
    fill_permit_form,
    fill_profile,
    open_service,
    visible,
)

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)


@pytest.fixture
async def desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)})


async def test_start_menu_and_information_package(desk):
    user = desk.citizen("Sara")
    await user.send("/start")
    assert "Sara" in user.last["plain"] and "میز خدمت" in user.last["plain"]
    assert ["📚 فهرست خدمات"] in user.keyboard()
    await user.press("فهرست خدمات")
    await user.press("شهرداری تهران")
    assert "استعلام پروانه ساختمان" in str(user.keyboard())
    await user.press("استعلام پروانه ساختمان")
    main = user.last["plain"]
    assert "۵ روز کاری" in main and "۲۵۰٬۰۰۰ ریال" in main
    for button, expected in [
        ("مراحل گردش کار", "بازدید محلی"),
        ("مدارک مورد نیاز", "سند مالکیت"),
        ("قوانین و مقررات", "مادهٔ ۱۰۰"),
        ("سوالات متداول", "چقدر طول می‌کشد؟"),
        ("هزینه‌ها", "IR000000000000000000000000"),
        ("رویهٔ شکایت", "۷ روز کاری"),
        ("مسئول و ساعات دسترسی", "ساعات اداری"),
    ]:
        await user.press(button)
        assert expected in user.last["plain"], button
        if button == "مراحل گردش کار":  # the site visit stage is marked as in person, and why
            assert "🏢 حضوری (نیاز به بررسی اصالت مدارک)" in user.last["plain"]
    assert len(user.messages) == 1  # browsing edits the menu message in place


async def test_deep_link_and_search(desk):
    user = desk.citizen()
    await user.send("/start s_permit")
    assert "استعلام پروانه ساختمان" in user.last["plain"]
    await user.send("پروانه")
    assert "استعلام پروانه ساختمان" in str(user.keyboard())
    await user.send("xyz-nothing")
    assert "پیدا نشد" in user.last["plain"]


async def test_english_user_gets_english(desk):
    user = desk.citizen("John", language_code="en")
    await user.send("/start")
    assert user.last["plain"].split("\n")[0] == "Hello John, welcome to the electronic service desk. 🌷"
    await user.send("/lang")
    await user.press("فارسی")
    await user.send("/start")
    assert "خوش آمدید" in user.last["plain"]


async def test_full_request_with_bad_inputs(desk):
    user = desk.citizen("Reza")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    # profile, with bad input at each step
    await user.send("x" * 10_000)
    assert "طولانی" in user.last["plain"]
    await user.send("Reza <b>&</b> *_")
    await user.send("1234567890")
    assert "معتبر نیست" in user.last["plain"]
    await user.send("۰۰۱۲۳۴۵۶۷۹")  # Persian digits
    await user.send_contact("+989350000000", user_id=user.id + 1)
    assert "فقط شمارهٔ خودتان" in user.last["plain"]
    await user.send_contact("989121234567")
    citizen = await Citizen.get(user_id=user.id)
    assert (citizen.full_name, citizen.national_id, citizen.mobile, citizen.mobile_verified) == (
        "Reza <b>&</b> *_",
        VALID_NID,
        "09121234567",
        True,
    )
    # the form
    await user.send("y" * 10_000)
    assert "طولانی" in user.last["plain"]
    await user.send("<b>Owner</b> & *co*_")
    await user.send("abc")
    assert "عدد" in user.last["plain"]
    await user.send("۱۲۰")
    await user.send("1404/12/30")  # 1404 is not a leap year
    assert "وجود ندارد" in user.last["plain"]
    await user.send("1403/12/30")  # 1403 is
    await user.send("something")
    assert "دکمه" in user.last["plain"]
    await user.press("مسکونی")
    await user.press("آسانسور")
    await user.press("پارکینگ")
    await user.press("آسانسور")  # toggled off again
    await user.press("تمام")
    await user.press("بله")
    await user.send("1193653471")
    await user.send_document("big.pdf", PDF, size=25 * 1024 * 1024)
    assert "حجم فایل" in user.last["plain"]
    await user.send_document("report.pdf", EXE)
    assert "نوع فایل" in user.last["plain"]
    await user.send_document("deed.pdf", PDF)
    assert "۱ از ۲" in user.last["plain"]
    await user.press("تمام")
    await user.press("رد کردن")  # facade
    # a restart mid-form loses nothing
    await desk.restart()
    await user.send_location(35.7, 51.4)
    await user.send("z" * 3000)
    assert "طولانی" in user.last["plain"]
    await user.send("Notes & <i>more</i>")
    review = user.last["plain"]
    assert "<b>Owner</b> & *co*_" in visible(review) and "Notes & <i>more</i>" in review
    assert "پارکینگ" in review and "آسانسور" not in review and "۱۴۰۳/۱۲/۳۰" in review and "deed.pdf" in review
    assert "۰۰۱۲۳۴۵۶۷۹" in review  # prefilled from the profile
    submit = next(b for row in user.last["reply_markup"]["inline_keyboard"] for b in row if "ثبت نهایی" in b["text"])
    await asyncio.gather(user.press("ثبت نهایی"), user.press("ثبت نهایی"))  # a double tap
    receipt = user.texts()[-2]
    await user.press_data(submit["callback_data"])  # and a late third one
    assert await Request.all().count() == 1
    request = await Request.get().prefetch_related("documents")
    assert tracking.is_valid(request.tracking_code)
    assert "پیش‌تر ثبت شده" in user.last["plain"]
    code_shown = user.last["plain"].split("کد رهگیری:")[1].split()[0]
    assert tracking.normalize(code_shown) == request.tracking_code
    assert "رسید" in receipt and request.promised_date > request.submitted_at.date()
    answers = {a["name"]: a["value"] for a in request.answers}
    assert answers["owner_name"] == "<b>Owner</b> & *co*_" and answers["area"] == 120
    assert answers["features"] == ["parking"] and answers["corner"] is True and answers["built"] == "2025-03-20"
    assert answers["where"] == {"lat": 35.7, "lon": 51.4}
    (doc,) = request.documents
    assert doc.kind == "pdf" and doc.size == len(PDF)
    stored = Path(desk.settings.documents.dir) / doc.path
    assert stored.read_bytes() == PDF
    assert await Document.filter(request=None).count() == 0
    assert await FsmRecord.filter(state__not_isnull=True).count() == 0


async def test_formatting_a_citizen_types_is_shown_as_typed(desk):
    """A person's `*`, `_`, `[..](..)` and tags are their words on both messengers: Telegram parses HTML
    (escaped), Bale its own markdown (neutralised)."""
    user = desk.citizen("Nima")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user, name="*Nima* _Karimi_")
    typed = "*Owner* _co_ [site](https://example.org) <b>x</b>"
    await fill_permit_form(user, owner=typed)
    review = user.last
    assert typed in visible(review["plain"])
    assert not [e for e in review.get("entities") or [] if e["type"] in ("italic", "text_link")]
    await user.press("ثبت نهایی")
    await user.send("/profile")
    assert "*Nima* _Karimi_" in visible(user.last["plain"])


async def test_second_request_does_not_ask_the_profile_again(desk):
    user = desk.citizen()
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await fill_permit_form(user)
    await user.press("ثبت نهایی")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    assert "نام مالک" in user.last["plain"]  # straight to the first question
    await fill_permit_form(user)
    skipped_location = [m for m in user.messages if m["plain"] == "⏭ این پرسش رد شد."]
    assert skipped_location and skipped_location[-1]["reply_markup"] == {"remove_keyboard": True}
    await user.press("ثبت نهایی")
    assert await Request.all().count() == 2


async def test_tracking_is_for_the_owner_only(desk):
    owner, stranger = desk.citizen("Owner"), desk.citizen("Stranger")
    await open_service(owner, "شهرداری تهران", "استعلام پروانه ساختمان")
    await owner.press("ثبت درخواست این خدمت")
    await fill_profile(owner)
    await fill_permit_form(owner)
    await owner.press("ثبت نهایی")
    request = await Request.get()
    persian = request.tracking_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    await owner.send(persian)
    assert "دریافت درخواست" in owner.last["plain"] and "ثبت شده" in owner.last["plain"]
    await owner.send(f"/track {request.tracking_code}")
    assert "بررسی کارشناسی" in owner.last["plain"]
    await stranger.send(request.tracking_code)
    not_yours = stranger.last["plain"]
    wrong = request.tracking_code[:-1] + str((int(request.tracking_code[-1]) + 1) % 10)
    fake = tracking.new_code()
    await stranger.send(fake)
    assert stranger.last["plain"] == not_yours  # someone else's code == a code that does not exist
    await owner.send(wrong)  # one mistyped digit is caught by the check digit
    assert "اشتباه تایپ شده" in owner.last["plain"]
    await owner.send("/mine")
    assert "استعلام پروانه ساختمان" in str(owner.keyboard())


async def test_forged_and_stale_buttons_change_nothing(desk):
    user = desk.citizen()
    await user.send("/start")
    answer = await user.press_data("f:submit:deadbeef")
    assert (answer["text"], answer["show_alert"]) == (EXPIRED, True)
    answer = await user.press_data("garbage")
    assert (answer["text"], answer["show_alert"]) == (EXPIRED, True)
    answer = await user.press_data("st:take:1:")
    assert (answer["text"], answer["show_alert"]) == (REFUSED, True)  # a staff button, pressed by a citizen
    assert await Request.all().count() == 0


async def test_a_double_tap_is_answered_once_more_and_changes_nothing(desk):
    user = desk.citizen()
    await user.send("/start")
    menu = user.last
    await user.press("فهرست خدمات")
    shown = user.last
    assert shown["message_id"] == menu["message_id"] and "شهرداری تهران" in str(user.keyboard())
    # the second tap of the same button arrives after the first one has already edited the message
    answer = await user.press_data(MenuCb(action="catalog").pack(), message=menu["message_id"])
    assert answer == {"callback_query_id": answer["callback_query_id"]}  # answered, silently
    assert user.last == shown
    refused = [c for c in desk.standin.calls if c.method == "editMessageText"][-1]
    assert refused.params["message_id"] == menu["message_id"]
