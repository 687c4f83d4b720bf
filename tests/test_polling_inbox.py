"""Long polling through the inbox (bot/delivery/polling.py): an update the process was handling when
it died is handled after the restart, once; an update already handled (its state written with its
processed record) is not handled again, even if its inbox row outlived it."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest

from bot import middlewares
from bot.delivery import polling
from bot.delivery.dedupe import DatabaseRecord
from bot.delivery.updates import allowed_updates
from models import FsmRecord, InboxUpdate, ProcessedUpdate, Request
from tests.factories import TEST_CATALOG, fill_permit_form, fill_profile, open_service


@pytest.fixture
async def permit_desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)})


async def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def polling_process(desk):
    """The desk's dispatcher long-polling the stand-in through its inbox, as `python -m bot run` does;
    leaving the block kills it (its tasks cancelled where they are, nothing finished or cleaned)."""
    desk.standin.on_update = None  # updates wait in the stand-in's queue for getUpdates
    polling.poll_through_inbox(desk.dp, polling.Inbox(DatabaseRecord()))
    task = asyncio.create_task(
        desk.dp.start_polling(
            desk.bot, handle_signals=False, close_bot_session=False, allowed_updates=allowed_updates(desk.dp)
        )
    )
    try:
        yield
    finally:
        for t in [task, *desk.dp._handle_update_tasks]:
            t.cancel()
        await asyncio.gather(task, *desk.dp._handle_update_tasks, return_exceptions=True)


async def _inbox_emptied(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while await InboxUpdate.all().count():
        if time.monotonic() > deadline:
            raise AssertionError("the inbox kept a handled update")
        await asyncio.sleep(0.02)


async def _at_the_owner_question(desk):
    user = desk.citizen()
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    return user


async def _answers(user) -> dict:
    record = await FsmRecord.get(key__contains=str(user.id))
    return record.data["answers"]


async def test_an_update_cut_short_by_a_crash_is_handled_after_the_restart(permit_desk, monkeypatch):
    desk = permit_desk
    user = await _at_the_owner_question(desk)
    account = desk.standin.bots[desk.bot.token]
    asked = len(user.messages)
    hang, first = asyncio.Event(), middlewares.CITIZEN.first
    reached = asyncio.Event()

    async def stuck(*args):  # the process is busy with the update when it dies
        reached.set()
        await hang.wait()
        return await first(*args)

    monkeypatch.setattr(middlewares.CITIZEN, "first", stuck)
    async with polling_process(desk):
        await user.send("Owner Ahmadi")
        await reached.wait()
        await _until(lambda: not account.pending)  # fetched and confirmed: the Bot API will not send it again
    kept = await InboxUpdate.all().values_list("update_id", flat=True)
    assert len(kept) == 1  # kept before it was confirmed
    assert len(user.messages) == asked  # nothing answered it
    monkeypatch.setattr(middlewares.CITIZEN, "first", first)

    await desk.restart()
    async with polling_process(desk):
        await _until(lambda: len(user.messages) > asked)
        await _inbox_emptied()
    assert "مساحت" in user.last["plain"]  # the next question
    assert (await _answers(user))["owner_name"] == "Owner Ahmadi"
    assert await ProcessedUpdate.filter(update_id=kept[0]).exists()  # recorded with the form's answer


async def test_an_update_handled_before_a_crash_is_not_handled_again(permit_desk, monkeypatch):
    desk = permit_desk
    user = await _at_the_owner_question(desk)

    async def dies_before_deleting(self, bot_id: int) -> None:
        pass

    monkeypatch.setattr(polling.Inbox, "flush", dies_before_deleting)
    async with polling_process(desk):
        await user.send("Owner Ahmadi")
        await _until(lambda: "مساحت" in user.last["plain"])
        await _until(lambda: not desk.dp._handle_update_tasks)
    # the process died after handling it and before its inbox row was deleted
    assert await InboxUpdate.all().count() == 1
    monkeypatch.undo()
    seen = len(user.messages)
    await desk.restart()
    async with polling_process(desk):
        await user.send("120")  # the next update goes through after the inbox
        await _until(lambda: len(user.messages) > seen)
        await _inbox_emptied()
    answers = await _answers(user)
    # handled again, "Owner Ahmadi" would have been refused as the area, or stored as it
    assert answers["owner_name"] == "Owner Ahmadi" and answers["area"] == 120
    after = [m["plain"] for m in user.messages[seen:]]
    assert any("ساخت" in t for t in after) and not any("عدد" in t or "مساحت" in t for t in after), after


async def test_a_press_handled_again_after_its_answer_still_does_its_work(permit_desk):
    """A Submit press that a killed process had answered (the toast) but not finished: handled again
    after the restart, its answerCallbackQuery is refused as too old, and the receipt still comes."""
    desk = permit_desk
    user = desk.citizen()
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user)
    await fill_permit_form(user)
    deliver = desk.standin.on_update

    async def twice(token: str, update: dict) -> None:
        await deliver(token, update)
        await deliver(token, update)

    desk.standin.on_update = twice
    await user.press("ثبت نهایی")
    receipts = [m["plain"] for m in user.messages if "کد رهگیری" in m["plain"]]
    assert len(receipts) == 2 and await Request.all().count() == 1
    code = (await Request.get()).tracking_code
    assert all(desk.dp.workflow_data["services"].locales.get("fa").code(code) in r for r in receipts)
