"""Staff in unit groups (issue 3), driven through the real dispatcher and the Bot API stand-in:
binding, the card, every button, inputs, the conversation both ways, authorisation, races,
restarts, forum topics, a Bale group serving Telegram citizens, and promised dates."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import StaffCb
from desk import requests
from desk.text import fa_digits
from desk.tracking import format_code
from models import Citizen, Document, OutboxMessage, Request, RequestEvent, RequestStatus, Role, UnitGroup
from tests.factories import (
    EXPIRED,
    FAST,
    OTHER_UNIT,
    PDF,
    SERVICE,
    TITLE,
    UNIT,
    VALID_NID,
    World,
    make_document,
    make_world,
)

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)


@pytest.fixture
async def desk(make_desk):
    return await make_desk(outbox=FAST)


@pytest.fixture
async def world(desk) -> World:
    return await make_world(desk)


def texts_after(chat, count: int) -> list[str]:
    return [m["plain"] for m in chat.messages[count:]]


# -- binding and the card --------------------------------------------------------------------------------
async def test_bind_needs_an_admin_and_a_known_unit(desk):
    clerk = desk.citizen("Clerk")
    group = desk.group("Some group", members={clerk.id: "member"})
    await group.send(clerk, f"/bind {UNIT}")
    assert "فقط برای مدیران" in group.last["plain"]
    assert not await UnitGroup.exists(unit_code=UNIT)
    admin = desk.citizen("Admin", user_id=900)
    await group.send(admin, "/bind no-such-unit")
    assert UNIT in group.last["plain"]  # the usage lists the units
    await group.send(admin, f"/bind {UNIT}")
    assert "وصل شد" in group.last["plain"]
    assert (await UnitGroup.get(unit_code=UNIT)).chat_id == group.id
    await group.send(admin, "/unbind")
    assert "برداشته شد" in group.last["plain"]
    assert not await UnitGroup.exists(unit_code=UNIT)


async def test_card_shows_the_request_with_masked_identity_and_its_documents(world):
    request = await world.submit(with_document=True)
    card = world.card(request)
    text = card["plain"]
    lines = text.split("\n")
    assert lines[0] == f"🗂 درخواست \u2066{fa_digits(format_code(request.tracking_code))}\u2069"  # read left to right
    assert lines[1] == f"خدمت: {TITLE}"
    assert "Sara <Karimi>" in text  # escaped on the way, shown as typed
    identity = text.split("کد ملی:")[1].split("\n")[0]
    assert "۰۰۱••••۶۷۹" in identity and "۰۹۱" in identity and "۰۹۱۲۱۲۳۴۵۶۷" not in identity  # masked profile IDs
    assert "TF-<42>" in text  # the answers
    labels = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert any("برمی‌دارم" in t for t in labels) and any("تحویل نتیجه" in t for t in labels)
    row = await OutboxMessage.get(method="staff-card")
    assert row.status == "sent" and request.card_chat_id == world.group.id
    # the card is the group's only message for the request; its documents come on demand, privately
    assert world.group.messages[-1]["message_id"] == card["message_id"]
    assert not any("document" in m for m in world.group.messages)
    answer = await world.press(world.clerk, "مدارک (۱)", request)
    assert answer["show_alert"] and "شروع" in answer["text"]  # no private chat with the bot yet
    await world.clerk.send("/start")
    answer = await world.press(world.clerk, "مدارک (۱)", request)
    assert "خصوصی" in answer["text"] and not answer.get("show_alert")
    doc = world.clerk.messages[-1]
    assert doc["document"]["file_name"] == "deed.pdf"  # in the clerk's own chat
    assert "مدارک درخواست" in doc["plain"]
    assert not any("document" in m for m in world.group.messages)
    # a citizen pressing a forged Documents button gets the refusal, and no file
    forged = StaffCb(action="docs", request=request.id).pack()
    await world.user.send("/start")
    answer = await world.user.press_data(forged)
    assert "اجازه" in answer["text"] and not any("document" in m for m in world.user.messages)


async def test_bind_after_submission_sends_the_waiting_cards(desk):
    world = await make_world(desk)
    await world.group.send(world.admin, "/unbind")
    request = await world.submit()
    assert request.card_message_id is None
    other = desk.group("New office", members={world.admin.id: "administrator"})
    await other.send(world.admin, f"/bind {UNIT}")
    await desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.card_chat_id == other.id and "درخواست" in other.messages[-1]["plain"]


# -- taking, stages, races ---------------------------------------------------------------------------------
async def test_take_and_next_stage_notify_the_citizen(world):
    request = await world.submit()
    seen = len(world.user.messages)
    answer = await world.press(world.clerk, "برمی‌دارم", request)
    assert "به نام شما" in answer["text"]
    request = await Request.get(id=request.id)
    assert (request.assignee_user_id, request.status) == (world.clerk.id, RequestStatus.IN_PROGRESS)
    assert "Clerk" in world.card(request)["plain"]
    code = world.desk.dp.workflow_data["services"].locales.get("fa").code(request.tracking_code)
    assert any("در حال رسیدگی" in t and code in t for t in texts_after(world.user, seen))
    await world.press(world.clerk, "مرحلهٔ بعد", request)
    request = await Request.get(id=request.id)
    assert request.stage_code == request.snapshot.stages[1].code
    assert code in world.user.last["plain"] and "مرحلهٔ" in world.user.last["plain"]
    # the same "next stage" press again (an old card): nothing moves twice
    old = StaffCb(action="stage", request=request.id, arg=request.stage_code).pack()
    answer = await world.desk.standin.press(world.group, world.clerk, world.group.history[request.card_message_id], old)
    assert "پیش‌تر انجام شده" in answer["text"]
    kinds = [e.kind for e in await RequestEvent.filter(request=request)]
    assert kinds == ["submitted", "taken", "stage"]
    event = await RequestEvent.get(request=request, kind="taken")
    assert (event.actor, event.actor_user_id, event.public) == ("staff", world.clerk.id, True)


async def test_two_takes_at_once_one_wins(world):
    request = await world.submit()
    answers = await asyncio.gather(
        world.group.press(world.clerk, "برمی‌دارم", request.card_message_id),
        world.group.press(world.clerk2, "برمی‌دارم", request.card_message_id),
    )
    request = await Request.get(id=request.id)
    winner = {world.clerk.id: "Clerk", world.clerk2.id: "Clerk Two"}[request.assignee_user_id]
    texts = sorted(a["text"] for a in answers)
    assert any("به نام شما" in t for t in texts)
    assert any(f"{winner} برداشته" in t for t in texts)
    assert await RequestEvent.filter(request=request, kind="taken").count() == 1


async def test_others_cannot_change_a_taken_request_but_a_supervisor_can(world):
    request = await world.submit()
    await world.press(world.clerk, "برمی‌دارم", request)
    answer = await world.press(world.clerk2, "مرحلهٔ بعد", request)
    assert "Clerk برداشته" in answer["text"]
    assert (await Request.get(id=request.id)).stage_code == request.snapshot.stages[0].code
    await world.group.send(world.admin, f"/grant {world.clerk2.id} supervisor {UNIT}")
    assert await Role.exists(user_id=world.clerk2.id, role="supervisor", unit_code=UNIT)
    await world.press(world.clerk2, "مرحلهٔ بعد", request)
    assert (await Request.get(id=request.id)).stage_code == request.snapshot.stages[1].code
    await world.group.send(world.clerk, f"/grant {world.clerk.id} admin")
    assert "فقط برای مدیران" in world.group.last["plain"]
    await world.group.send(world.admin, f"/revoke {world.clerk2.id} supervisor {UNIT}")
    assert not await Role.exists(user_id=world.clerk2.id)


# -- authorisation -----------------------------------------------------------------------------------------
async def test_citizen_pressing_a_staff_button_is_refused(world):
    request = await world.submit()
    forged = StaffCb(action="take", request=request.id).pack()
    answer = await world.user.press_data(forged)
    assert "اجازهٔ این کار را ندارید" in answer["text"]
    request = await Request.get(id=request.id)
    assert request.assignee_user_id is None and request.status == RequestStatus.SUBMITTED
    assert await RequestEvent.filter(request=request).count() == 1


async def test_staff_of_another_unit_and_forged_callbacks_are_refused(world):
    desk = world.desk
    request = await world.submit()
    stranger = desk.citizen("Other unit clerk")
    other = desk.group("Legal", members={world.admin.id: "administrator", stranger.id: "member"})
    await other.send(world.admin, f"/bind {OTHER_UNIT}")
    anchor = other.history[max(other.history)]
    for data in (
        StaffCb(action="take", request=request.id).pack(),
        StaffCb(action="to", request=request.id, arg=OTHER_UNIT).pack(),
        StaffCb(action="take", request=999_999).pack(),
    ):
        answer = await desk.standin.press(other, stranger, anchor, data)
        assert "اجازهٔ این کار را ندارید" in answer["text"]
    # a member who left the unit's group is refused on the card itself
    world.group.members[world.clerk.id] = "kicked"
    answer = await world.group.press(world.clerk, "برمی‌دارم", request.card_message_id)
    assert "اجازهٔ این کار را ندارید" in answer["text"]
    request = await Request.get(id=request.id)
    assert (request.unit_code, request.assignee_user_id) == (UNIT, None)
    # garbage callback data falls to the generic "expired" answer, nothing changes
    answer = await desk.standin.press(world.group, world.clerk2, world.group.history[request.card_message_id], "st:x")
    assert (answer["text"], answer["show_alert"]) == (EXPIRED, True)
    assert (await Request.get(id=request.id)).status == RequestStatus.SUBMITTED


# -- inputs: ask, inquiry, note, reject, result -----------------------------------------------------------
async def test_ask_the_citizen_and_their_answers_come_back_under_the_card(world):
    request = await world.submit()
    await world.press(world.clerk, "پرسش از متقاضی", request)
    assert "پرسش خود" in world.group.last["plain"]
    await world.group.send(world.clerk, "Which year? <b>")
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.status == RequestStatus.WAITING_CITIZEN and request.assignee_user_id == world.clerk.id
    note = world.user.last
    assert "Which year? <b>" in note["plain"] and "پاسخ به کارشناس" in str(note["reply_markup"])
    # a free message goes to the request waiting for the citizen
    await world.user.send("It was 1402")
    assert "فرستاده شد" in world.user.last["plain"]
    await world.desk.deliver_outbox()
    back = world.group.last
    assert "It was 1402" in back["plain"] and back["reply_to_message"]["message_id"] == request.card_message_id
    assert (await Request.get(id=request.id)).status == RequestStatus.IN_PROGRESS
    # the Reply button, then a document: copied to the group under the card
    await world.user.press("پاسخ به کارشناس", message=note["message_id"])
    await world.user.send_document("receipt.pdf", PDF, caption="my receipt")
    await world.desk.deliver_outbox()
    copied = world.group.last
    assert copied["document"]["file_name"] == "receipt.pdf" and "my receipt" in copied["plain"]
    if world.desk.platform == "bale":  # a copy takes no caption or reply on Bale: the words come first
        words = world.group.messages[-2]
        assert "my receipt" in words["plain"] and words["reply_to_message"]["message_id"] == request.card_message_id
    else:
        assert copied["reply_to_message"]["message_id"] == request.card_message_id
    kinds = [e.kind for e in await RequestEvent.filter(request=request)]
    assert kinds.count("citizen_message") == 2 and "question" in kinds
    assert await Document.filter(request=request, role="message").count() == 1
    # once staff close the conversation, other private text is a catalogue search again
    await world.group.press(world.clerk, "بستن گفت‌وگو")  # under the newest relayed message
    await world.user.send("مالیات")
    assert "فرستاده شد" not in world.user.last["plain"]


async def test_staff_reply_to_the_card_reaches_the_citizen(world):
    request = await world.submit()
    await world.group.reply(world.clerk, request.card_message_id, "Please bring the original <i>deed</i>")
    assert "فرستاده شد" in world.group.last["plain"]
    await world.desk.deliver_outbox()
    code = world.desk.dp.workflow_data["services"].locales.get("fa").code(request.tracking_code)
    assert "Please bring the original <i>deed</i>" in world.user.last["plain"] and code in world.user.last["plain"]
    assert await RequestEvent.exists(request=request, kind="staff_message", public=True)
    # and the citizen's reply to that notification is threaded back under the card
    await world.user.reply(world.user.last["message_id"], "OK, tomorrow")
    await world.desk.deliver_outbox()
    assert "OK, tomorrow" in world.group.last["plain"]
    assert world.group.last["reply_to_message"]["message_id"] == request.card_message_id


async def test_inquiry_and_its_answer(world):
    request = await world.submit()
    await world.press(world.clerk, "ثبت استعلام", request)
    await world.group.send(world.clerk, "Registry office")
    await world.group.send(world.clerk, "Ownership of plot 12")
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.status == RequestStatus.WAITING_INQUIRY
    assert "Registry office" in world.user.last["plain"] and "Ownership of plot 12" in world.user.last["plain"]
    assert "پاسخ استعلام رسید" in str(world.card(request)["reply_markup"])
    await world.press(world.clerk, "پاسخ استعلام رسید", request)
    await world.group.send(world.clerk, "Confirmed")
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.status == RequestStatus.IN_PROGRESS and "استعلام" in world.user.last["plain"]
    event = await RequestEvent.get(request=request, kind="inquiry_answered")
    assert event.text == "Confirmed" and event.data["to"] == "Registry office"


async def test_internal_note_is_never_shown_to_the_citizen(world):
    request = await world.submit()
    seen = len(world.user.messages)
    await world.press(world.clerk, "یادداشت داخلی", request)
    await world.group.send(world.clerk, "Looks like a duplicate")
    await world.desk.deliver_outbox()
    assert len(world.user.messages) == seen
    event = await RequestEvent.get(request=request, kind="note")
    assert event.public is False and event.text == "Looks like a duplicate"
    assert "Looks like a duplicate" in world.card(await Request.get(id=request.id))["plain"]


async def test_deliver_the_result_with_files(world):
    request = await world.submit()
    await world.press(world.clerk, "تحویل نتیجه", request)
    answer = await world.group.press(world.clerk, "ارسال نتیجه")
    assert "هنوز متن یا فایلی" in answer["text"]
    await world.group.send(world.clerk, "Your clearance is attached.")
    await world.desk.standin.incoming(
        world.group,
        world.clerk,
        {"document": world.desk.standin.files.add(PDF, name="clearance.pdf", mime_type="application/pdf").document()},
    )
    await world.group.press(world.clerk, "ارسال نتیجه")
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.status == RequestStatus.ANSWERED and request.answered_at is not None
    assert request.result_text == "Your clearance is attached."
    code = world.desk.dp.workflow_data["services"].locales.get("fa").code(request.tracking_code)
    result_msgs = [m for m in world.user.messages if code in m["plain"] and "نتیجه" in m["plain"]]
    assert any("Your clearance is attached." in m["plain"] for m in result_msgs)
    assert any(m.get("document", {}).get("file_name") == "clearance.pdf" for m in world.user.messages)
    assert await Document.filter(request=request, role="result").count() == 1
    card = world.card(request)
    assert "پاسخ داده شده" in card["plain"] and "برمی‌دارم" not in str(card["reply_markup"])
    from models import SurveyResponse

    assert await SurveyResponse.exists(request_id=request.id)  # the survey hook ran
    # pressing an old button on the closed request changes nothing
    old = StaffCb(action="take", request=request.id).pack()
    answer = await world.desk.standin.press(
        world.group, world.clerk2, world.group.history[request.card_message_id], old
    )
    assert "بسته شده" in answer["text"]


async def test_reject_with_a_reason(world):
    request = await world.submit()
    await world.press(world.clerk, "رد درخواست", request)
    await world.group.send(world.clerk, "Tax file not found")
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert (request.status, request.reject_reason) == (RequestStatus.REJECTED, "Tax file not found")
    code = fa_digits(format_code(request.tracking_code))
    notice = f"⛔️ درخواست \u2066{code}\u2069 ({TITLE}) رد شد.\nدلیل: \u2068Tax file not found\u2069"
    assert world.user.texts().count(notice) == 1


# -- transfer, restart, forum, cross-messenger ----------------------------------------------------------------
async def test_transfer_to_another_unit(world):
    desk = world.desk
    request = await world.submit()
    legal = desk.group("Legal", members={world.admin.id: "administrator"})
    await legal.send(world.admin, f"/bind {OTHER_UNIT}")
    await world.press(world.clerk, "ارجاع به واحد دیگر", request)
    assert "حقوقی" in str(world.card(request)["reply_markup"])
    await world.group.press(world.clerk, "حقوقی", request.card_message_id)
    await desk.deliver_outbox()
    moved = await Request.get(id=request.id)
    assert (moved.unit_code, moved.card_chat_id, moved.assignee_user_id) == (OTHER_UNIT, legal.id, None)
    old = world.group.history[request.card_message_id].view()
    assert "در اختیار" in old["plain"] and not old.get("reply_markup")
    assert "ارجاع" in world.user.last["plain"]
    # the old card's buttons no longer act for the old unit's staff
    answer = await desk.standin.press(
        world.group,
        world.clerk,
        world.group.history[request.card_message_id],
        StaffCb(action="take", request=request.id).pack(),
    )
    assert "اجازهٔ این کار را ندارید" in answer["text"]


async def test_restart_between_an_action_and_its_notification(world):
    request = await world.submit()
    await world.group.press(world.clerk, "برمی‌دارم", request.card_message_id)  # no delivery yet
    seen = len(world.user.messages)
    desk = await world.desk.restart()
    assert await desk.deliver_outbox() >= 1
    assert any("در حال رسیدگی" in t for t in texts_after(world.user, seen))
    assert await OutboxMessage.filter(status="pending").count() == 0
    # the old card still answers after the restart: state comes from the database
    answer = await world.group.press(world.clerk2, "به‌روزرسانی", request.card_message_id)
    assert answer == {"callback_query_id": answer["callback_query_id"]}  # answered, silently
    assert "Clerk" in world.group.history[request.card_message_id].view()["plain"]


async def test_forum_group_gets_one_topic_per_request(desk):
    if desk.platform == "bale":
        pytest.skip("Bale has no forum groups (docs/BALE.md)")
    world = await make_world(desk, forum=True)
    request = await world.submit()
    # one topic, named after the request, holding its card
    code = f"\u2066{fa_digits(format_code(request.tracking_code))}\u2069"  # read left to right
    assert world.group.topics == {request.card_thread_id: f"{code} — {TITLE}"}
    assert world.card(request)["message_thread_id"] == request.card_thread_id
    await world.press(world.clerk, "پرسش از متقاضی", request)
    await world.group.send(world.clerk, "Need your tax file number")
    await desk.deliver_outbox()
    await world.user.send("TF-1")
    await desk.deliver_outbox()
    assert world.group.last["message_thread_id"] == request.card_thread_id and "TF-1" in world.group.last["plain"]


async def test_a_bale_group_serves_telegram_citizens(desk):
    if desk.platform == "bale":
        pytest.skip("a Telegram desk with a Bale bot beside it")
    from bot.delivery.outbox_sender import deliver_pending
    from bot.platforms import DeskBot
    from standin.session import StandinSession

    bale_token = "654321:BALE-token"
    desk.standin.add_bot(bale_token, platform="bale")
    bale = DeskBot(bale_token, platform="bale", session=StandinSession(desk.standin))
    bots = {desk.standin.bots[t].token: b for t, b in ((desk.bot.token, desk.bot), (bale_token, bale))}

    async def on_update(token, update):
        await desk.dp.feed_raw_update(bots[token], update)

    desk.standin.on_update = on_update
    admin = desk.standin.user("Admin", bot=bale_token)
    desk.settings.admins.append(f"bale:{admin.id}")
    clerk = desk.standin.user("Bale clerk", bot=bale_token)
    group = desk.standin.group("Fars on Bale", members={admin.id: "administrator", clerk.id: "member"}, bot=bale_token)
    await group.send(admin, f"/bind {UNIT}")
    assert (await UnitGroup.get(unit_code=UNIT)).platform == "bale"
    user = desk.citizen("Sara")
    await user.send("/start")
    citizen = await Citizen.get(platform="telegram", user_id=user.id)
    citizen.full_name, citizen.national_id, citizen.mobile = "Sara", VALID_NID, "09121234567"
    await citizen.save()
    world = World(desk, group, admin, clerk, clerk, user, citizen)
    card = desk.catalog.services[SERVICE]
    doc = await make_document(desk, citizen, "deed.pdf")
    sub = await requests.submit(
        citizen=citizen,
        card=card,
        catalog=desk.catalog,
        answers=[{"name": f.name, "type": f.type, "value": None} for f in card.form],
        document_ids=[doc.id],
        submit_token="x",
        calendar=desk.dp.workflow_data["services"].calendar,
        tz=ZoneInfo("Asia/Tehran"),
    )
    await deliver_pending(desk.settings, {"telegram": desk.bot, "bale": bale})
    request = await Request.get(id=sub.request.id)
    assert request.card_platform == "bale" and world.card(request)
    # the documents, asked for on Bale: the Telegram file id is not reused there, the file is
    # uploaded from the document store
    await clerk.send("/start")
    await group.press(clerk, "مدارک", request.card_message_id)
    await deliver_pending(desk.settings, {"telegram": desk.bot, "bale": bale})
    assert clerk.messages[-1]["document"]["file_name"] == "deed.pdf"
    upload = [c for c in desk.standin.calls if c.method == "sendDocument" and c.token == bale_token][-1]
    assert upload.files  # an upload, not a file id
    await group.press(clerk, "برمی‌دارم", request.card_message_id)
    await deliver_pending(desk.settings, {"telegram": desk.bot, "bale": bale})
    assert "در حال رسیدگی" in user.last["plain"]  # the Telegram bot told the citizen
    await bale.session.close()


# -- promised dates ---------------------------------------------------------------------------------------------
async def test_due_soon_and_overdue_are_announced_once_and_listed(world):
    from bot.jobs import check_deadlines

    late, soon = await world.submit(), await world.submit()
    today = date(2025, 1, 4)  # a Saturday, a working day
    calendar = world.desk.dp.workflow_data["services"].calendar
    await Request.filter(id=late.id).update(promised_date=today - timedelta(days=3))
    await Request.filter(id=soon.id).update(promised_date=calendar.add_working_days(today, 1))
    assert await check_deadlines(world.desk.dp.workflow_data["services"], today) == 2
    assert await check_deadlines(world.desk.dp.workflow_data["services"], today) == 0  # once each
    await world.desk.deliver_outbox()
    texts = world.group.texts()[-2:]
    assert any("گذشته" in t for t in texts) and any("یک روز کاری" in t for t in texts)
    assert (await Request.get(id=late.id)).overdue_notified and (await Request.get(id=soon.id)).due_soon_notified
    await world.group.send(world.clerk, "/overdue")
    listing = world.group.last["plain"]
    assert "❗" in listing  # real dates: the late one is listed as late
    await world.user.send("/overdue")
    assert "اجازهٔ این کار را ندارید" in world.user.last["plain"]


async def test_each_prompt_is_its_own_pending_action_and_costs_one_message(world):
    first, second = await world.submit(), await world.submit()
    before = len(world.group.messages)
    await world.press(world.clerk, "پرسش از متقاضی", first)
    prompt_one = world.group.last
    await world.press(world.clerk, "رد درخواست", second)
    prompt_two = world.group.last
    assert len(world.group.messages) == before + 2  # one new message per action: its prompt
    # a reply to the first prompt completes the first, although the second was asked later
    await world.group.reply(world.clerk, prompt_one["message_id"], "Which year?")
    await world.desk.deliver_outbox()
    assert (await Request.get(id=first.id)).status == RequestStatus.WAITING_CITIZEN
    assert (await Request.get(id=second.id)).status == RequestStatus.SUBMITTED
    settled = next(m for m in world.group.messages if m["message_id"] == prompt_one["message_id"])
    assert settled["plain"] == "پرسش برای متقاضی فرستاده شد." and not settled.get("reply_markup")
    bot_messages = [m for m in world.group.messages[before:] if m["from"]["is_bot"]]
    assert len(bot_messages) == 2  # no confirmation message: the prompt itself shows the outcome
    # the second prompt is still open: its Cancel cancels it
    await world.group.press(world.clerk, "انصراف", message=prompt_two["message_id"])
    cancelled = next(m for m in world.group.messages if m["message_id"] == prompt_two["message_id"])
    assert cancelled["plain"] == "لغو شد." and not cancelled.get("reply_markup")
    # someone else's Cancel does not touch a prompt
    await world.press(world.clerk, "رد درخواست", second)
    mine = world.group.last
    answer = await world.group.press(world.clerk2, "انصراف", message=mine["message_id"])
    assert answer["text"] == "این پرسش از شما نیست یا پیش‌تر بسته شده است."
    await world.group.send(world.clerk, "Not a valid request")
    assert (await Request.get(id=second.id)).status == RequestStatus.REJECTED


async def test_a_prompt_sent_twice_after_a_crash_works_on_the_copy_without_a_record(world):
    """A process killed after sending a prompt and before recording it: the press is handled again
    and the prompt sent again. The copy the clerk replies to takes over the recorded one."""
    request = await world.submit()
    await world.press(world.clerk, "تحویل نتیجه", request)
    shown = world.group.last
    context = world.desk.dp.fsm.get_context(world.desk.bot, chat_id=world.group.id, user_id=world.clerk.id)
    data = await context.get_data()
    prompts = data["prompts"]
    prompts["987654"] = prompts.pop(str(shown["message_id"]))  # recorded under the other copy
    await context.set_data({"prompts": prompts})
    await world.group.reply(world.clerk, shown["message_id"], "Your clearance is ready.")
    collected = next(m for m in world.group.messages if m["message_id"] == shown["message_id"])
    assert "دریافت شد" in collected["plain"]
    await world.group.press(world.clerk, "ارسال نتیجه", message=shown["message_id"])
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.status == RequestStatus.ANSWERED and request.result_text == "Your clearance is ready."
    assert (await context.get_data()).get("prompts") in (None, {})


async def test_the_card_says_whose_turn_it_is(world):
    request = await world.submit()
    await world.press(world.clerk, "پرسش از متقاضی", request)
    await world.group.send(world.clerk, "Which year?")
    await world.desk.deliver_outbox()
    card = world.card(await Request.get(id=request.id))
    assert "منتظر پاسخ شهروند" in card["plain"] and "در انتظار پاسخ شما" not in card["plain"]


async def test_a_card_is_posted_again_by_command_and_from_overdue(world):
    request = await world.submit()
    old = request.card_message_id
    await world.group.send(world.clerk, f"/repost {request.tracking_code}")
    await world.desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.card_message_id != old and world.group.last["message_id"] == request.card_message_id
    assert request.tracking_code[-4:] in world.group.last["plain"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    moved = next(m for m in world.group.messages if m["message_id"] == old)
    assert moved["plain"].startswith("کارت درخواست") and moved["plain"].endswith("از آن کارت استفاده کنید.")
    assert not moved.get("reply_markup")
    await world.group.send(world.clerk, "/repost 123")
    assert world.group.last["plain"].startswith("شیوهٔ نوشتن: /repost")
    # a late request listed by /overdue has a button that posts its card again
    await Request.filter(id=request.id).update(promised_date=date(2020, 1, 1))
    await world.group.send(world.clerk, "/overdue")
    listing = world.group.last
    current = request.card_message_id
    answer = await world.group.press(world.clerk, lambda b: b["text"].startswith("🔁"), message=listing["message_id"])
    assert answer["text"] == "کارت دوباره در پایین گروه فرستاده شد."
    await world.desk.deliver_outbox()
    assert (await Request.get(id=request.id)).card_message_id not in (old, current)
