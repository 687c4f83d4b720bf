"""Complaints through the real dispatcher: lodged from the tracking view, delivered to the unit's
supervisors (else the admins) through the outbox, answered once, the answer received by the citizen."""

from __future__ import annotations

import pytest

from bot.callbacks import ComplaintCb
from desk import complaints
from desk.text import fa_digits
from desk.tracking import format_code
from models import Citizen, Complaint, OutboxMessage, Role
from tests.factories import FAST, TEST_CATALOG, closed_request


@pytest.fixture
async def desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)


async def lodge(desk, text: str):
    user = desk.citizen("Sara")
    await user.send("/start")
    citizen = await Citizen.get(user_id=user.id)
    request = await closed_request(citizen, status="in_progress")
    await user.send(f"/track {request.tracking_code}")
    await user.press("ثبت شکایت")
    assert "شکایت خود" in user.last["plain"]
    await user.send(text)
    return user, request


async def test_round_trip_with_the_unit_supervisor(desk):
    boss = desk.citizen("Boss")
    await boss.send("/start")
    other_boss = desk.citizen("Other")
    await Role.create(platform="telegram", user_id=boss.id, role="supervisor", unit_code="muni-d5")
    await Role.create(platform="telegram", user_id=other_boss.id, role="supervisor", unit_code="muni-hq")
    user, request = await lodge(desk, "<b>کارمند</b> & پاسخ نداد")
    complaint = await Complaint.get(request=request)
    assert (complaint.status, complaint.text) == ("open", "<b>کارمند</b> & پاسخ نداد")
    assert f"شمارهٔ {fa_digits(complaint.id)}" in user.last["plain"]
    assert await OutboxMessage.filter(method="complaint-new").values_list("chat_id", flat=True) == [boss.id]
    await desk.deliver_outbox()
    assert "<b>کارمند</b> & پاسخ نداد" in boss.last["plain"]  # shown as text, escaped
    assert fa_digits(format_code(request.tracking_code)) in boss.last["plain"]
    assert other_boss.messages == []
    # the supervisor of another unit cannot answer it, even with a forged button
    await other_boss.send("/start")
    answer = await other_boss.press_data(ComplaintCb(complaint=complaint.id, action="answer").pack())
    assert "اجازه" in answer["text"]
    # the citizen cannot either
    answer = await user.press_data(ComplaintCb(complaint=complaint.id, action="answer").pack())
    assert "اجازه" in answer["text"]
    await boss.press("پاسخ به شکایت")
    await boss.send("پیگیری شد؛ پوزش می‌خواهیم.")
    assert "فرستاده شد" in boss.last["plain"]
    complaint = await Complaint.get(id=complaint.id)
    assert (complaint.status, complaint.answer, complaint.answered_by) == (
        "answered",
        "پیگیری شد؛ پوزش می‌خواهیم.",
        "Boss",
    )
    await desk.deliver_outbox()
    assert "پاسخ شکایت" in user.last["plain"] and "پیگیری شد؛ پوزش می‌خواهیم." in user.last["plain"]
    # a second answer is refused
    await boss.press("پاسخ به شکایت", message=boss.messages[1]["message_id"])
    assert "پیش‌تر پاسخ" in (await boss.press_data(ComplaintCb(complaint=complaint.id, action="answer").pack()))["text"]
    assert await Complaint.filter(status="answered").count() == 1


async def test_without_supervisors_the_admins_get_it(desk):
    admin = desk.standin.user("Admin", user_id=900)  # settings.admins == ["900"]
    granted = desk.citizen("Granted")
    await Role.create(platform="telegram", user_id=granted.id, role="admin")
    user, request = await lodge(desk, "دیر شد")
    assert sorted(await OutboxMessage.filter(method="complaint-new").values_list("chat_id", flat=True)) == sorted(
        [900, granted.id]
    )
    await desk.deliver_outbox()
    await admin.press("پاسخ به شکایت")
    await admin.send("بررسی می‌شود")
    await desk.deliver_outbox()
    assert "بررسی می‌شود" in user.last["plain"]


async def test_stranger_cannot_complain_about_another_request(desk):
    user, request = await lodge(desk, "first")
    stranger = desk.citizen("Mallory")
    await stranger.send(f"/track {request.tracking_code}")
    assert "پیدا نشد" in stranger.last["plain"]
    assert await Complaint.all().count() == 1


def test_admin_chats_from_settings():
    class S:
        admins = ["900", "bale:42", "junk"]

    assert complaints.admin_chats(S()) == {("telegram", 900), ("bale", 42)}
