"""Where a citizen's message goes depends on what they are in the middle of, and they can see it:
a command or the menu pauses a form (the menu offers Continue and Discard, text is then a search),
a form with answers is discarded only once confirmed, search results are paged like the catalogue,
and every short step has Back and Cancel."""

from __future__ import annotations

import shutil

import pytest

from bot.callbacks import SearchCb
from models import Citizen, Document, FsmRecord, Request
from tests.factories import FAST, TEST_CATALOG, VALID_NID, closed_request, fill_permit_form, fill_profile, open_service


@pytest.fixture
async def desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)})


async def start_permit(user) -> None:
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")


async def draft_of(user) -> dict:
    record = await FsmRecord.filter(key__contains=str(user.id)).first()
    return record.data if record else {}


async def state_of(user) -> str | None:
    record = await FsmRecord.filter(key__contains=str(user.id)).first()
    return record.state if record else None


def buttons(message: dict) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


# -- a command or the menu pauses a form --------------------------------------------------------------
async def test_start_mid_form_pauses_it_and_the_next_word_is_a_search(desk):
    user = desk.citizen("Sara")
    await start_permit(user)
    await fill_profile(user)
    await user.send("Owner One")  # owner_name
    assert "مساحت" in user.last["plain"]  # the open question is the area
    await user.send("/start")
    menu = user.last
    assert "استعلام پروانه ساختمان" in menu["plain"] and "نیمه‌کاره" in menu["plain"] and "۱ پاسخ" in menu["plain"]
    assert "▶️ ادامهٔ فرم نیمه‌کاره" in buttons(menu) and "🗑 کنار گذاشتن فرم" in buttons(menu)
    assert await state_of(user) == "FormStates:paused"
    await user.send("پروانه")  # a search, not the area's answer
    assert "خدمت برای «پروانه» پیدا شد" in user.last["plain"]
    assert "استعلام پروانه ساختمان" in str(user.keyboard())
    draft = await draft_of(user)
    assert "area" not in draft["answers"] and draft["answers"]["owner_name"] == "Owner One"
    # Continue: the same question, the answers kept
    await user.press("ادامهٔ فرم نیمه‌کاره", message=menu["message_id"])
    assert "مساحت" in user.last["plain"] and await state_of(user) == "FormStates:filling"
    await user.send("120")
    assert (await draft_of(user))["answers"]["area"] == 120


async def test_other_commands_and_menu_buttons_pause_the_form_too(desk):
    user = desk.citizen()
    await start_permit(user)
    await fill_profile(user)
    await user.send("/mine")
    assert await state_of(user) == "FormStates:paused"
    await user.send("ساختمان")
    assert "پیدا شد" in user.last["plain"]
    await user.press("ادامهٔ فرم", message=(await _menu(user))["message_id"])
    assert "نام مالک" in user.last["plain"]
    # an older message's menu button (the service package's Back) pauses it as well
    package = next(m for m in user.messages if "معرفی" in str(m.get("reply_markup")) or "ثبت درخواست" in str(m))
    await user.press("بازگشت", message=package["message_id"])
    assert await state_of(user) == "FormStates:paused"
    await user.send("Someone")
    assert "پیدا نشد" in user.last["plain"]  # a search again
    assert "owner_name" not in (await draft_of(user))["answers"]


async def _menu(user) -> dict:
    await user.send("/start")
    return user.last


# -- discarding asks first ----------------------------------------------------------------------------
async def test_cancel_on_the_review_asks_before_throwing_the_form_away(desk):
    user = desk.citizen()
    await start_permit(user)
    await fill_profile(user)
    await fill_permit_form(user)
    review = user.last
    assert "بازبینی" in review["plain"]
    doc = await Document.get()
    await user.press("لغو", message=review["message_id"])
    assert "۶ پاسخ" in user.last["plain"] and "کنار می‌گذارید" in user.last["plain"]
    assert await state_of(user) == "FormStates:review" and await Document.exists(id=doc.id)
    await user.press("نه، ادامه می‌دهم")
    assert "بازبینی" in user.last["plain"]
    await user.press("لغو")
    await user.press("بله، کنار بگذار")
    assert "کنار گذاشته شد" in user.last["plain"]
    assert await state_of(user) is None and not await Document.exists(id=doc.id)
    assert not (await draft_of(user)).get("answers")
    assert await Request.all().count() == 0


async def test_menu_discard_and_slash_cancel_confirm_but_an_empty_form_goes_at_once(desk):
    user = desk.citizen()
    await start_permit(user)
    await fill_profile(user)
    await user.send("Owner")
    await user.send("/start")
    await user.press("کنار گذاشتن فرم")
    assert "کنار می‌گذارید" in user.last["plain"]
    await user.press("نه، ادامه می‌دهم")
    assert "مساحت" in user.last["plain"]
    await user.send("/cancel")
    assert "کنار می‌گذارید" in user.last["plain"]
    await user.press("بله، کنار بگذار")
    assert await state_of(user) is None
    # a form without answers of the citizen's own is discarded without a question
    await start_permit(user)
    assert "نام مالک" in user.last["plain"]
    await user.press("لغو")
    assert "لغو شد" in user.last["plain"] and await state_of(user) is None


# -- search results are paged ---------------------------------------------------------------------------
@pytest.fixture
async def big_desk(make_desk, tmp_path):
    """The test catalogue plus 95 generated services: 40 with «پروانه» in their title, 55 only in
    their description (weaker matches)."""
    root = tmp_path / "catalog"
    shutil.copytree(TEST_CATALOG, root)
    template = (root / "services" / "permit.toml").read_text("utf-8")
    for n in range(95):
        strong = n < 40
        title = f"پروانه نمونه {n:02d}" if strong else f"مجوز نمونه {n:02d}"
        text = template.replace('code = "permit"', f'code = "gen-{n:02d}"')
        text = text.replace(
            'title = { fa = "استعلام پروانه ساختمان", en = "Building permit inquiry" }',
            f'title = {{ fa = "{title}", en = "Generated {n:02d}" }}',
        )
        text = text.replace('keywords = ["پروانه", "ساختمان", "permit"]', 'keywords = ["نمونه"]')
        text = text.replace("استعلام وضعیت پروانهٔ ساختمانی ملک.", "دربارهٔ پروانه و مجوز نمونه.")
        (root / "services" / f"gen-{n:02d}.toml").write_text(text, "utf-8")
    return await make_desk(catalog={"dir": str(root)})


async def test_every_match_is_reachable_best_first(big_desk):
    user = big_desk.citizen()
    await user.send("/start")
    await user.send("پروانه")
    results = user.last
    assert "۹۶ خدمت" in results["plain"]
    seen: list[str] = []
    for page in range(12):
        labels = [row[0] for row in user.keyboard(results["message_id"])][:-2]
        assert len(labels) == 8, page
        seen += labels
        nav = user.keyboard(results["message_id"])[-2]
        assert any(b.endswith("از ۱۲") for b in nav)
        if page < 11:
            await user.press("بعدی", message=results["message_id"])
            assert user.last["message_id"] == results["message_id"]  # edited in place
    assert len(set(seen)) == 96  # every match, once
    strong = [i for i, t in enumerate(seen) if t.startswith("پروانه نمونه") or t == "استعلام پروانه ساختمان"]
    assert strong == list(range(41))  # title matches first
    assert "بعدی ▶️" not in str(user.keyboard(results["message_id"]))
    await user.press("قبلی", message=results["message_id"])
    assert seen[80] in str(user.keyboard(results["message_id"]))
    # a service from the last pages opens
    await user.press(seen[85], message=results["message_id"])
    assert seen[85] in user.last["plain"]


async def test_an_older_searchs_buttons_do_not_show_another_searchs_results(big_desk):
    user = big_desk.citizen()
    await user.send("پروانه")
    first = user.last
    await user.send("مجوز")
    answer = await user.press("بعدی", message=first["message_id"])
    assert answer and answer.get("show_alert") and "دوباره" in answer["text"]
    forged = await user.press_data(SearchCb(page=40, key="x").pack(), message=first["message_id"])
    assert forged and forged.get("show_alert")


# -- the profile's steps have Back and Cancel ---------------------------------------------------------------
async def test_profile_steps_have_back_and_cancel(desk):
    user = desk.citizen()
    await start_permit(user)
    assert "نام و نام خانوادگی" in user.last["plain"] and "✖️ لغو" in buttons(user.last)
    await user.send("Ali Rezaei")
    assert "کد ملی" in user.last["plain"] and {"◀️ قبلی", "✖️ لغو"} <= set(buttons(user.last))
    await user.press("قبلی")
    assert "نام و نام خانوادگی" in user.last["plain"]
    await user.send("Ali Karimi")
    await user.send(VALID_NID)
    mobile = [m for m in user.messages if "تلفن همراه" in m["plain"]]
    assert mobile and "قبلی" in str(user.messages[-1].get("reply_markup"))
    await user.press("لغو")
    assert "لغو شد" in user.last["plain"] and await state_of(user) is None
    citizen = await Citizen.get(user_id=user.id)
    assert (citizen.full_name, citizen.national_id, citizen.mobile) == ("Ali Karimi", VALID_NID, None)
    await user.send("پروانه")
    assert "پیدا شد" in user.last["plain"]


# -- the survey keeps its text; complaints have Back and Cancel ----------------------------------------
async def test_text_during_the_survey_is_never_a_search(make_desk):
    from models import SurveyResponse

    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)
    user = desk.citizen()
    await user.send("/start")
    citizen = await Citizen.get(user_id=user.id)
    await closed_request(citizen)
    await desk.deliver_outbox()
    await user.press("شروع")
    questionnaire = user.last
    await user.send("پروانه")  # would find the permit service outside the survey
    hint, again = user.messages[-2:]
    assert "با دکمه‌های آن پاسخ دهید" in hint["plain"] and "پیدا شد" not in hint["plain"]
    assert again["message_id"] != questionnaire["message_id"] and "بعداً" in str(again["reply_markup"])
    response = await SurveyResponse.get()
    assert response.message_id == again["message_id"] and response.step == 0
    await user.press("بعداً", message=again["message_id"])
    assert await state_of(user) is None
    await user.send("پروانه")
    assert "پیدا شد" in user.last["plain"]


async def test_a_complaint_can_go_back_or_be_cancelled_and_keeps_a_paused_form(make_desk):
    from models import Complaint

    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)
    user = desk.citizen()
    await start_permit(user)
    await fill_profile(user)
    await user.send("Owner")
    citizen = await Citizen.get(user_id=user.id)
    request = await closed_request(citizen, status="in_progress")
    await user.send(f"/track {request.tracking_code}")
    await user.press("ثبت شکایت")
    assert {"◀️ قبلی", "✖️ لغو"} <= set(buttons(user.last))
    await user.press("قبلی")
    view = user.last
    assert "وضعیت" in view["plain"] and "ثبت شکایت" in str(view["reply_markup"])
    await user.send("this is a search now")
    assert "پیدا نشد" in user.last["plain"]
    await user.press("ثبت شکایت", message=view["message_id"])
    await user.press("لغو")
    assert "شکایتی ثبت نشد" in user.last["plain"]
    assert await Complaint.all().count() == 0
    assert await state_of(user) == "FormStates:paused"  # the form waits on the menu
    assert (await draft_of(user))["answers"]["owner_name"] == "Owner"
