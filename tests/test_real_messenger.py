"""The desk against a messenger that behaves like the real servers: 429s and 5xx on any call, edits
refused on messages older than 48 hours, Telegram's UTF-16 length limits, bidirectional controls in
what people type. Driven through the real dispatcher and the stand-in (each behaviour switched on
per test)."""

from __future__ import annotations

import pytest
from tenacity import wait_none
from tortoise.exceptions import DBConnectionError

from bot.delivery import callback_answers, polling, resilience
from bot.delivery.fsm_storage import DatabaseStorage, RowStorage
from bot.views.render import split_text, utf16_len
from models import Document, FsmRecord, OutboxMessage, OutboxStatus, Request
from tests.factories import FAST, PDF, TEST_CATALOG, fill_profile, make_world, open_service

MENU = "فهرست خدمات"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """The retries' backoff is the library's business; the tests need not wait for it (429s still wait)."""
    monkeypatch.setattr(resilience, "BACKOFF", wait_none())


# -- transport faults --------------------------------------------------------------------------------
async def test_a_reply_refused_with_429_and_5xx_is_sent_after_waiting(desk):
    user = desk.citizen()
    desk.standin.fail("sendMessage", 1, status=429, retry_after=1)
    desk.standin.fail("sendMessage", 2, status=502)
    await user.send("/start")
    assert "خوش آمدید" in user.last["plain"] and MENU in str(user.keyboard())
    assert [c.method for c in desk.standin.calls].count("sendMessage") == 4
    assert len(user.texts()) == 1


async def test_a_reply_the_messenger_keeps_refusing_waits_in_the_outbox(desk):
    user = desk.citizen()
    desk.standin.fail("sendMessage", resilience.RETRY_ATTEMPTS, status=500)
    await user.send("/start")
    assert user.texts() == []
    row = await OutboxMessage.get(method=resilience.REPLY_KIND)
    assert row.chat_id == user.id and row.status == OutboxStatus.PENDING
    assert await desk.deliver_outbox() == 1
    assert "خوش آمدید" in user.last["plain"] and MENU in str(user.keyboard())
    assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.SENT


@pytest.fixture
async def permit_desk(make_desk):
    """The test catalogue (its building permit form has a document and a long notes field)."""
    return await make_desk(catalog={"dir": str(TEST_CATALOG)})


async def _up_to_the_deed(desk, user) -> None:
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await user.send("Owner")
    await user.send("120")
    await user.press("رد کردن")
    await user.press("مسکونی")
    await user.press("تمام")
    await user.press("خیر")
    await user.send("1193653471")


async def test_get_file_failing_is_retried_and_then_the_file_asked_again(permit_desk):
    desk = permit_desk
    user = desk.citizen()
    await _up_to_the_deed(desk, user)
    desk.standin.fail("getFile", 1, status=500)
    await user.send_document("deed.pdf", PDF)
    assert "۱ از ۲" in user.last["plain"]
    assert await Document.filter(file_name="deed.pdf").count() == 1
    desk.standin.fail("getFile", resilience.RETRY_ATTEMPTS, status=502)
    await user.send_document("plan.pdf", PDF)
    assert "دوباره بفرستید" in user.last["plain"]
    assert await Document.filter(file_name="plan.pdf").count() == 0


# -- presses -----------------------------------------------------------------------------------------
async def test_a_press_is_answered_before_its_work_and_an_alert_still_shows(desk):
    user = desk.citizen()
    await user.send("/start")
    seen = len(desk.standin.calls)
    answer = await user.press(MENU)
    methods = [c.method for c in desk.standin.calls[seen:]]
    assert answer is not None and methods[0] == "answerCallbackQuery" and methods.count("answerCallbackQuery") == 1
    assert "شهرداری تهران" in str(user.keyboard())
    answer = await user.press_data("garbage")  # a handler that answers with an alert keeps it
    assert answer["show_alert"] and "معتبر نیست" in answer["text"]


async def test_a_slow_press_is_answered_while_its_handler_works(desk, monkeypatch):
    monkeypatch.setattr(callback_answers, "ANSWER_WITHIN", 0)
    user = desk.citizen()
    await user.send("/start")
    answer = await user.press(MENU)
    assert answer == {"callback_query_id": answer["callback_query_id"]}  # answered empty, once
    assert "شهرداری تهران" in str(user.keyboard())


async def test_a_button_on_a_message_older_than_48_hours_shows_its_result_as_a_new_message(desk):
    user = desk.citizen()
    await user.send("/start")
    menu = user.last
    desk.standin.age(user, menu["message_id"], hours=49)
    answer = await user.press(MENU)
    assert answer is not None
    assert user.last["message_id"] != menu["message_id"] and "شهرداری تهران" in str(user.keyboard())
    old = next(m for m in user.messages if m["message_id"] == menu["message_id"])
    assert old["plain"] == menu["plain"]  # untouched: Telegram refused to edit it


async def test_a_staff_button_on_an_old_card_does_its_work(make_desk):
    desk = await make_desk(outbox=FAST)
    world = await make_world(desk)
    request = await world.submit()
    desk.standin.age(world.group, request.card_message_id, hours=72)
    answer = await world.press(world.clerk, "برمی‌دارم", request)
    assert "به نام شما" in answer["text"]
    request = await Request.get(id=request.id)
    assert request.assignee_user_id == world.clerk.id
    assert "Clerk" in world.group.last["plain"] and world.group.last["message_id"] != request.card_message_id


# -- long and strange text ---------------------------------------------------------------------------
def test_split_text_counts_utf16_and_keeps_tags_whole():
    text = "<b>title</b>\n\n" + "😀 word " * 1500 + "\n<i>" + "x" * 5000 + "</i>"
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts) and len(parts) > 2
    assert all(p.count("<i>") == p.count("</i>") and p.count("<b>") == p.count("</b>") for p in parts)
    assert "".join(parts).count("😀") == 1500


async def test_a_long_staff_question_reaches_the_citizen_whole(make_desk):
    desk = await make_desk(outbox=FAST)
    world = await make_world(desk)
    request = await world.submit()
    await world.press(world.clerk, "پرسش از متقاضی", request)
    question = " ".join(["سؤال"] * 600) + " 😀" * 400 + " END"  # 3,000 characters, 3,400 UTF-16 units
    await world.group.send(world.clerk, question)
    await desk.deliver_outbox()
    texts = "\n".join(world.user.texts())
    assert "{???}" not in texts and texts.count("سؤال") >= 600 and "END" in texts


async def test_a_review_longer_than_telegram_counts_is_sent_in_parts_with_its_buttons_last(permit_desk):
    desk = permit_desk
    user = desk.citizen()
    await _up_to_the_deed(desk, user)
    await user.send_document("deed.pdf", PDF)
    await user.press("تمام")
    await user.press("رد کردن")  # facade
    await user.press("رد کردن")  # where
    seen = len(user.messages)
    await user.send("😀" * 1900 + " ab")  # notes: 1,903 characters, 3,803 UTF-16 code units
    review = user.messages[seen:]
    assert len(review) >= 2 and all(utf16_len(m["plain"]) <= 4096 for m in review)
    assert "ثبت نهایی" in str(review[-1]["reply_markup"]) and not any(m["reply_markup"] for m in review[:-1])
    assert "".join(m["plain"] for m in review).count("😀") == 1900


async def test_a_right_to_left_override_in_a_name_cannot_reorder_the_card(make_desk):
    desk = await make_desk(outbox=FAST)
    world = await make_world(desk)
    world.citizen.full_name = "Sara \u202eKarimi"
    await world.citizen.save()
    request = await world.submit()
    card = world.card(request)["plain"]
    assert "\u202e" not in card
    assert "\u2068Sara Karimi\u2069" in card  # a Latin name isolated in the Persian card
    code = desk.dp.workflow_data["services"].locales.get("fa").code(request.tracking_code)
    assert code.startswith("\u2066") and code in card  # the code reads left to right


async def test_stickers_voice_and_the_wrong_kind_get_what_the_step_expects(permit_desk):
    desk = permit_desk
    user = desk.citizen()
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    for kind in ("sticker", "voice", "video_note", "animation"):
        await user.send_media(kind)
        assert "به صورت متن" in user.last["plain"], kind  # the owner's name is asked
    await user.send_document("deed.pdf", PDF)
    assert "به صورت متن" in user.last["plain"]
    assert await Document.all().count() == 0
    await user.send("Owner")
    await user.send("120")
    await user.press("رد کردن")
    await user.send_media("sticker")
    assert "دکمه" in user.last["plain"]  # usage: a choice
    await user.press("مسکونی")
    await user.press("تمام")
    await user.press("خیر")
    await user.send("1193653471")
    await user.send("here is the deed")
    assert "فایل را بفرستید" in user.last["plain"]
    await user.send_media("voice")
    assert "فایل را بفرستید" in user.last["plain"]


async def test_an_edited_answer_is_applied_and_an_older_one_explained(permit_desk):
    desk = permit_desk
    user = desk.citizen()
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    owner = await user.send("Ownr")
    area = await user.send("120")
    await user.edit(area["message_id"], "150")  # the latest answer: applied
    assert "تغییر کرد" in user.texts()[-2]
    await user.edit(owner["message_id"], "Owner")  # an older one: how to change it
    assert "✏️" in user.last["plain"]
    state = await desk.dp.fsm.get_context(desk.bot, user.id, user.id).get_data()
    assert state["answers"]["area"] == 150 and state["answers"]["owner_name"] == "Ownr"
    await user.send("/start")
    await user.edit(owner["message_id"], "x")
    assert "ویرایش" in user.last["plain"] or "✏️" in user.last["plain"]


# -- order, crashes and outages ----------------------------------------------------------------------
async def test_a_form_step_writes_its_state_and_data_in_one_write(permit_desk, monkeypatch):
    desk = permit_desk
    user = desk.citizen()
    writes = []
    original = DatabaseStorage.write

    async def counted(self, key, changes):
        writes.append(set(changes))
        await original(self, key, changes)

    async def separate(*args, **kwargs):
        raise AssertionError("state or data written on its own while an update is handled")

    monkeypatch.setattr(DatabaseStorage, "write", counted)
    monkeypatch.setattr(RowStorage, "set_state", separate)
    monkeypatch.setattr(RowStorage, "set_data", separate)
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await user.send("Owner")
    assert {"state", "data"} in writes
    record = await FsmRecord.get(key__contains=str(user.id))
    assert record.state == "FormStates:filling" and record.data["answers"]["owner_name"] == "Owner"


async def test_polling_handles_an_update_again_after_a_database_outage(desk, monkeypatch):
    from bot import middlewares

    monkeypatch.setattr(polling, "OUTAGE_WAIT", wait_none())
    polling.handle_again_after_outages(desk.dp)
    lookups = {"failed": 0}
    first = middlewares.CITIZEN.first

    async def unreachable_twice(*args):
        if lookups["failed"] < 2:
            lookups["failed"] += 1
            raise DBConnectionError(ConnectionRefusedError(111, "Connection refused"))
        return await first(*args)

    monkeypatch.setattr(middlewares.CITIZEN, "first", unreachable_twice)
    user = desk.citizen()
    await user.send("/start")
    assert lookups["failed"] == 2 and "خوش آمدید" in user.last["plain"] and len(user.texts()) == 1
