"""Conversations with staff are threads, not single turns: while a request's conversation is open,
everything its citizen sends — several texts, files, photos, voice — reaches the staff thread under
the card, until staff close it or the request ends; the citizen sees which request they write
about and can leave or switch; the tracking view says who wrote each message."""

from __future__ import annotations

import pytest

from desk import workflow
from desk.staff import Actor
from models import Conversation, Document, FsmRecord, Request, RequestEvent, RequestStatus
from tests.factories import FAST, PDF, World, make_world


@pytest.fixture
async def world(make_desk) -> World:
    return await make_world(await make_desk(outbox=FAST))


async def ask(world: World, request: Request, question: str = "Which year?") -> None:
    await world.press(world.clerk, "پرسش از متقاضی", request)
    await world.group.send(world.clerk, question)
    await world.desk.deliver_outbox()


def relayed(world: World, request: Request) -> list[dict]:
    return [
        m
        for m in world.group.messages
        if (m.get("reply_to_message") or {}).get("message_id") == request.card_message_id and "پیام" in m["plain"]
    ]


def labels(message: dict) -> str:
    return " ".join(b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row)


async def state_of(user) -> tuple[str | None, dict]:
    record = await FsmRecord.filter(key__contains=str(user.id)).first()
    return (record.state, record.data) if record else (None, {})


async def test_every_message_reaches_the_staff_thread_until_staff_close_it(world):
    request = await world.submit()
    await ask(world, request)
    user = world.user
    await user.send("It was 1402")
    ack = user.last
    code = world.desk.dp.workflow_data["services"].locales.get("fa").code(request.tracking_code)
    assert "فرستاده شد" in ack["plain"] and code in ack["plain"]
    assert "🚪 بیرون آمدن از گفت‌وگو" in labels(ack)
    await user.send("and one more thing")  # a second text: not "I did not understand"
    await user.send_photo(caption="the receipt")
    await user.send_document("deed.pdf", PDF)
    await user.send_voice()
    await world.desk.deliver_outbox()
    under_card = relayed(world, request)
    assert len(under_card) == 5
    assert "It was 1402" in under_card[0]["plain"] and "and one more thing" in under_card[1]["plain"]
    assert "photo" in under_card[2] and "the receipt" in under_card[2]["plain"]
    assert under_card[3]["document"]["file_name"] == "deed.pdf" and "voice" in under_card[4]
    assert all("بستن گفت‌وگو" in labels(m) for m in under_card)
    events = await RequestEvent.filter(request=request, kind="citizen_message").count()
    assert events == 5 and await Document.filter(request=request, role="message").count() == 3
    # the tracking view says who wrote what, and that the conversation is open
    await user.send(f"/track {request.tracking_code}")
    view = user.last["plain"]
    assert "شما: and one more thing" in view and "شما: the receipt (📎 ۱ فایل)" in view
    assert "گفت‌وگو با کارشناس باز است" in view
    # (/track stepped out of the conversation: the next text is a search)
    await user.send("مالیات")
    assert "فرستاده شد" not in user.last["plain"]
    assert (await Request.get(id=request.id)).conversation == Conversation.LEFT
    # "write about this request" from the view goes back in
    await user.press("نوشتن دربارهٔ این درخواست", message=[m for m in user.messages if "وضعیت" in m["plain"]][-1])
    assert "اکنون دربارهٔ درخواست" in user.last["plain"] and code in user.last["plain"]
    await user.send("back again")
    assert "فرستاده شد" in user.last["plain"]
    await world.desk.deliver_outbox()
    # staff close it with the button under a message: the button goes, the citizen is told
    last = relayed(world, request)[-1]
    answer = await world.group.press(world.clerk, "بستن گفت‌وگو", message=last["message_id"])
    await world.desk.deliver_outbox()
    assert answer and "بسته شد" in answer["text"]
    assert not world.group.history[last["message_id"]].markup
    assert (await Request.get(id=request.id)).conversation == Conversation.NONE
    assert "گفت‌وگوی درخواست" in user.last["plain"] and "بست" in user.last["plain"]
    before = len(world.group.messages)
    await user.send("are you there?")
    assert "بسته است و پیام شما فرستاده نشد" in user.last["plain"]
    await world.desk.deliver_outbox()
    assert len(world.group.messages) == before
    assert await RequestEvent.filter(request=request, kind="conversation_closed").count() == 1


async def test_the_citizen_leaves_and_switches_between_requests(world):
    first, second = await world.submit(), await world.submit()
    await ask(world, first, "About the first?")
    await ask(world, second, "About the second?")
    user = world.user
    await user.send("this goes to the newest question")
    await world.desk.deliver_outbox()
    assert "this goes to the newest question" in relayed(world, second)[-1]["plain"] and not relayed(world, first)
    await user.press("درخواست دیگر")
    assert "کدام درخواست" in user.last["plain"]
    fa = world.desk.dp.workflow_data["services"].locales.get("fa")
    await user.press(fa.code(first.tracking_code))
    assert fa.code(first.tracking_code) in user.last["plain"]
    await user.send("now about the first")
    await world.desk.deliver_outbox()
    assert "now about the first" in relayed(world, first)[-1]["plain"]
    await user.press("بیرون آمدن از گفت‌وگو")
    assert "بیرون آمدید" in user.last["plain"]
    assert (await state_of(user))[0] is None
    assert (await Request.get(id=first.id)).conversation == Conversation.LEFT
    # the other conversation is still open: free text goes there
    await user.send("and the second again")
    await world.desk.deliver_outbox()
    assert "and the second again" in relayed(world, second)[-1]["plain"]


async def test_a_command_mid_conversation_makes_the_next_word_a_search(world):
    request = await world.submit()
    await ask(world, request)
    user = world.user
    await user.send("first answer")
    await user.send("/start")
    await user.send("مالیات")
    await world.desk.deliver_outbox()
    assert "فرستاده شد" not in user.last["plain"] and len(relayed(world, request)) == 1
    await user.send(f"/track {request.tracking_code}")
    assert "کارشناس: Which year?" in user.last["plain"] and "شما: first answer" in user.last["plain"]


async def test_the_end_of_the_request_ends_its_conversation(world):
    request = await world.submit()
    await ask(world, request)
    await world.user.send("answer")
    actor = Actor("telegram", world.clerk.id, "Clerk")
    await workflow.reject(request.id, actor, "no")
    await world.desk.deliver_outbox()
    stored = await Request.get(id=request.id)
    assert stored.status == RequestStatus.REJECTED and stored.conversation == Conversation.NONE
    await world.user.send("but why?")
    assert "بسته شده است" in world.user.last["plain"]


async def test_the_card_says_whether_a_conversation_is_open_and_closes_it(world):
    request = await world.submit()
    card = world.card(request)
    assert "گفت‌وگو باز است" not in card["plain"] and "بستن گفت‌وگو" not in labels(card)
    await ask(world, request)
    card = world.card(request)
    assert "💬 گفت‌وگو باز است: پیام‌های متقاضی اینجا می‌آید" in card["plain"]
    assert "بستن گفت‌وگو" in labels(card)
    # the citizen writes, then steps out (a command): the card says so
    await world.user.send("It was 1402")
    await world.user.send(f"/track {request.tracking_code}")
    await world.desk.deliver_outbox()
    assert "گفت‌وگو باز است؛ متقاضی از آن بیرون رفته است" in world.card(request)["plain"]
    # and writes again: open again
    await world.user.press(
        "نوشتن دربارهٔ این درخواست", message=[m for m in world.user.messages if "وضعیت" in m["plain"]][-1]
    )
    await world.desk.deliver_outbox()
    assert "💬 گفت‌وگو باز است: پیام‌های متقاضی اینجا می‌آید" in world.card(request)["plain"]
    # closed from the card: the card keeps its other buttons and no longer shows the conversation
    answer = await world.press(world.clerk, "بستن گفت‌وگو", request)
    await world.desk.deliver_outbox()
    assert answer and "بسته شد" in answer["text"]
    card = world.card(request)
    assert "گفت‌وگو باز است" not in card["plain"] and "بستن گفت‌وگو" not in labels(card)
    assert "پرسش از متقاضی" in labels(card)
    assert (await Request.get(id=request.id)).conversation == Conversation.NONE
