"""The in-person desk in the same system: staff register a walk-in citizen's request with /walkin,
the request follows the same workflow with its channel recorded, the receipt goes to the staff
member and, when the citizen uses the messenger, to the citizen too."""

from __future__ import annotations

import pytest

from desk.text import fa_digits
from desk.tracking import format_code
from models import Channel, Citizen, Document, Request, RequestEvent
from tests.factories import FAST, PDF, TEST_CATALOG, VALID_NID, fill_profile, national_id, open_service

UNIT = "muni-d5"


@pytest.fixture
async def desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)


@pytest.fixture
async def staffed(desk):
    admin = desk.citizen("Admin", user_id=900)
    clerk = desk.citizen("Clerk")
    group = desk.group("District 5", members={admin.id: "administrator", clerk.id: "member"})
    await group.send(admin, f"/bind {UNIT}")
    return group, clerk


async def fill_for_walk_in(clerk, nid: str) -> None:
    """The permit form typed by desk staff: nothing is prefilled from the clerk's own profile."""
    await clerk.send("Walk-in Owner")  # owner_name
    await clerk.send(nid)  # owner_id: asked, not prefilled
    await clerk.send("120")  # area
    await clerk.press("رد کردن")  # built
    await clerk.press("مسکونی")
    await clerk.press("تمام")  # features
    await clerk.press("خیر")  # corner
    await clerk.send("1193653471")  # postal
    await clerk.send("09351112233")  # phone: typed, not the clerk's contact
    await clerk.send_document("deed.pdf", PDF)
    await clerk.press("تمام")
    for _ in range(3):
        await clerk.press("رد کردن")
    await clerk.press("ثبت نهایی")


async def test_staff_register_a_walk_in_for_a_citizen_who_uses_the_messenger(desk, staffed):
    group, clerk = staffed
    sara = desk.citizen("Sara")
    await open_service(sara, "شهرداری تهران", "استعلام پروانه ساختمان")
    await sara.press("ثبت درخواست این خدمت")
    await fill_profile(sara, name="Sara Karimi")  # her profile has VALID_NID
    await sara.send("/start")  # she leaves her own form aside

    await clerk.send("/walkin permit")
    assert clerk.last["plain"].startswith("۱ از ۱۳ — نام مالک")  # the first question: no profile asked of the clerk
    await fill_for_walk_in(clerk, VALID_NID)
    request = await Request.get()
    owner = await Citizen.get(id=request.citizen_id)
    assert (owner.platform, owner.user_id) == ("telegram", sara.id)  # Sara follows it in her chat
    assert (request.channel, request.registered_by) == (Channel.IN_PERSON, "Clerk")
    answers = {a["name"]: a["value"] for a in request.answers}
    assert answers["owner_id"] == VALID_NID and answers["phone"] == "09351112233"
    document = await Document.get(request_id=request.id)
    assert document.citizen_id == owner.id  # the document is the citizen's, not the clerk's
    event = await RequestEvent.get(request_id=request.id, kind="submitted")
    assert (event.actor, event.actor_name) == ("staff", "Clerk")
    texts = [m["plain"] for m in clerk.messages[-2:]]
    code = fa_digits(format_code(request.tracking_code))
    assert f"کد رهگیری: \u2066{code}\u2069" in texts[0]  # the receipt, to print or read out (left to right)
    assert texts[1] == (
        "این درخواست به صورت حضوری ثبت شد و رسید و کد رهگیری در پیام‌رسان مراجعه‌کننده هم برایش فرستاده می‌شود."
    )
    await desk.deliver_outbox()
    assert sara.last["plain"].startswith("درخواست شما برای «استعلام پروانه ساختمان» در میز خدمت حضوری ثبت شد.")
    assert any("Walk-in Owner" in m["plain"] for m in group.messages)  # the card reached the unit's group


async def test_a_walk_in_without_the_messenger_and_who_may_register(desk, staffed):
    group, clerk = staffed
    stranger = desk.citizen("Stranger")
    await stranger.send("/walkin permit")
    assert stranger.last["plain"].startswith("ثبت حضوری فقط از کارکنان واحد")
    await clerk.send("/walkin nothing")
    assert clerk.last["plain"].startswith("شیوهٔ نوشتن: /walkin")
    other = national_id("004455667")
    await clerk.send("/walkin permit")
    await fill_for_walk_in(clerk, other)
    request = await Request.get()
    owner = await Citizen.get(id=request.citizen_id)
    assert (owner.platform, owner.user_id, owner.national_id, owner.chat_id) == ("desk", int(other), other, None)
    assert owner.mobile == "09351112233"
    assert clerk.last["plain"].startswith("این درخواست به صورت حضوری ثبت شد. رسید بالا را چاپ کنید")
    assert not await Request.filter(citizen_id=(await Citizen.get(user_id=clerk.id)).id).exists()
