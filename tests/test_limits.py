"""What one citizen may do, bounded (bot.toml [limits]): their message rate (the first message over
it is answered with a polite wait, once), their conversation relayed to the unit's group in batches
(never dropped), tracking look-ups, open requests per service, complaints per request, storage
quotas, a field's file count however the file arrives, safe stored names, and Cancel deleting files."""

from __future__ import annotations

from pathlib import Path

from desk import tracking
from models import Complaint, Document, OutboxMessage, Request, RequestEvent
from tests.factories import FAST, PDF, TEST_CATALOG, fill_permit_form, fill_profile, make_world, open_service

WAIT = "صبر کنید"
FREE = {"messages": "100000 per minute", "tracking": "100000 per minute"}  # the tests type fast


def limits(**kw) -> dict:
    return {**FREE, **kw}


async def test_a_citizen_writing_too_fast_is_told_once_to_wait(make_desk):
    desk = await make_desk(limits={"messages": "5 per minute"})
    user = desk.citizen("Fast")
    for _ in range(40):
        await user.send("/start")
    texts = user.texts()
    assert len([t for t in texts if WAIT in t]) == 1  # one polite wait, not 35, not none
    assert len(texts) == 5 + 1 and WAIT in texts[-1] and "ثانیه" in texts[-1]
    # a button press over the rate is answered with the same words (a press needs an answer)
    answer = await user.press_data("m:catalog")
    assert WAIT in answer["text"] and len(user.texts()) == 6
    other = desk.citizen("Calm")  # someone else is not affected
    await other.send("/start")
    assert WAIT not in other.last["plain"]


async def test_the_rate_is_shared_by_every_process_with_redis(make_desk, redis_url):
    desk = await make_desk(limits={"messages": "3 per minute"}, redis={"url": redis_url})
    user = desk.citizen("Fast")
    for _ in range(3):
        await user.send("/start")
    await desk.restart()  # another process, the same Redis: the count goes on
    await user.send("/start")
    assert WAIT in user.last["plain"]


async def test_a_flood_of_messages_reaches_the_group_batched_not_dropped(make_desk):
    desk = await make_desk(outbox=FAST, limits=limits(relay_per_minute=3, messages="1000 per minute"))
    world = await make_world(desk)
    request = await world.submit()
    await world.group.reply(world.clerk, request.card_message_id, "Please send the year")
    await desk.deliver_outbox()
    note = world.user.last["message_id"]
    before = len(world.group.messages)
    for i in range(100):
        await world.user.reply(note, f"line {i}")
    rows = await OutboxMessage.filter(request_id=request.id, method="citizen-message").count()
    assert rows <= 3 + 1  # three on their own, the rest in one batch (the sender had not run meanwhile)
    assert await OutboxMessage.filter(request_id=request.id, method="staff-card-edit", status="pending").count() <= 4
    await desk.deliver_outbox()
    relayed = [m["plain"] for m in world.group.messages[before:]]
    assert len(relayed) <= 3 + 1 + 1  # and the card's edits are edits, not messages
    everything = "\n".join(relayed)
    for i in range(100):
        assert f"line {i}\n" in everything + "\n", i  # every line arrived
    assert await RequestEvent.filter(request=request, kind="citizen_message").count() == 100


async def test_tracking_look_ups_are_limited(make_desk):
    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)}, limits={"tracking": "3 per minute"})
    user = desk.citizen("Guesser")
    await user.send("/start")
    for _ in range(3):
        await user.send(tracking.new_code())
        assert "پیدا نشد" in user.last["plain"] or "یافت نشد" in user.last["plain"] or WAIT not in user.last["plain"]
    await user.send(tracking.new_code())
    assert "ثانیه دیگر" in user.last["plain"]
    await user.send(f"/track {tracking.new_code()}")
    assert len([t for t in user.texts() if "ثانیه دیگر" in t]) == 1  # told once per window


async def _file_a_permit(user) -> None:
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")


async def test_open_requests_per_service_are_limited(make_desk):
    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)}, limits=limits(open_requests_per_service=1))
    user = desk.citizen("Many")
    await _file_a_permit(user)
    await fill_profile(user)
    await fill_permit_form(user)
    await user.press("ثبت نهایی")
    assert await Request.all().count() == 1
    await _file_a_permit(user)
    assert "۱ درخواست باز" in user.last["plain"]
    assert await Request.all().count() == 1


async def test_complaints_per_request_are_limited(make_desk):
    desk = await make_desk(outbox=FAST, limits=limits(complaints_per_request=2))
    world = await make_world(desk)
    request = await world.submit()
    for i in range(2):
        await world.user.send(f"/track {request.tracking_code}")
        await world.user.press("شکایت")
        await world.user.send(f"complaint {i}")
    await world.user.send(f"/track {request.tracking_code}")
    await world.user.press("شکایت")
    assert "۲ شکایت" in world.user.last["plain"]
    await world.user.send("complaint 3")
    assert await Complaint.filter(request=request).count() == 2


def DEED(button: dict) -> bool:  # a button predicate
    return "سند" in button["text"]


def _stored(desk, doc: Document) -> Path:
    return Path(desk.settings.documents.dir) / doc.path


async def test_files_a_field_count_quota_names_and_cancel(make_desk):
    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)}, limits=limits(request_storage_mb=0.01))
    user = desk.citizen("Files")
    await _file_a_permit(user)
    await fill_profile(user)
    await fill_permit_form(user)  # one deed (limit 2 files)
    # the review: edit the deed field, again and again
    for i in range(6):
        await user.press(DEED)
        await user.send_document(f"more-{i}.pdf", PDF + bytes([i]))
        if "ثبت نهایی" not in str(user.last.get("reply_markup")):  # not back on the review yet
            await user.press("تمام")
    deeds = (await Document.filter(field="deed").count(), len(user.texts()))
    assert deeds[0] == 2, deeds  # never more than the field's two
    assert any("حداکثر ۲ فایل" in t for t in user.texts())
    # the request's storage quota (10 KB): a big file does not fit
    await user.send("/cancel")
    await _file_a_permit(user)
    await fill_permit_form(user)
    await user.press(DEED)
    await user.send_document("big.pdf", PDF + b"0" * 20_000)
    assert "۰٫۰۱ مگابایت" in user.last["plain"]
    # a PDF named .exe, with a right-to-left override and folders in its name: kept as a .pdf
    await user.send_document("../../evil\u202efdp.exe", PDF + b"1")
    doc = await Document.filter(request=None).order_by("-id").first()
    assert doc.file_name == "evilfdp.pdf" and doc.path.endswith(".pdf") and doc.kind == "pdf"
    # Cancel deletes the form's files: rows and files on disk
    drafts = list(await Document.filter(request=None))
    paths = [_stored(desk, d) for d in drafts]
    assert drafts and all(p.exists() for p in paths)
    await user.press("لغو")
    await user.press("بله، کنار بگذار")  # a form with answers is discarded once confirmed
    assert await Document.filter(request=None).count() == 0
    assert not any(p.exists() for p in paths)


async def test_a_citizens_storage_quota(make_desk):
    desk = await make_desk(catalog={"dir": str(TEST_CATALOG)}, limits=limits(citizen_storage_mb=0.0001))
    user = desk.citizen("Hoarder")
    await _file_a_permit(user)
    await fill_profile(user)
    await fill_permit_form(user)  # the first deed fits (about 50 bytes of 104)
    await user.press(DEED)
    await user.send_document("second.pdf", PDF + b"%" * 80)
    assert "همهٔ فایل‌های شما" in user.last["plain"]
    assert await Document.all().count() == 1
