"""/export speaks the reader's language: option labels rather than codes, agency and unit names,
events in words, a location with a map link, Jalali dates and Persian digits, a Jalali file name."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from desk.catalog import load_catalog, snapshot
from models import Citizen, Request, RequestEvent
from tests.factories import TEST_CATALOG


@pytest.fixture
async def desk(make_desk):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)})


async def test_export_shows_labels_not_codes(desk):
    card = load_catalog(TEST_CATALOG).services["permit"]
    citizen = await Citizen.create(platform="telegram", user_id=5, chat_id=5, full_name="Sara")
    request = await Request.create(
        tracking_code="123456789012",
        submit_token="x",
        citizen=citizen,
        service_code="permit",
        service_version=card.version,
        card=snapshot(card),
        agency_code="muni",
        unit_code="muni-d5",
        unit_place="line",
        answers=[
            {"name": "usage", "type": "choice", "value": "res"},
            {"name": "features", "type": "multichoice", "value": ["lift", "parking"]},
            {"name": "corner", "type": "yesno", "value": False},
            {"name": "built", "type": "date", "value": "2025-05-01"},
            {"name": "where", "type": "location", "value": {"lat": 35.7, "lon": 51.4}},
        ],
        submitted_at=datetime(2025, 5, 10, 8, 0, tzinfo=UTC),
        promised_date=datetime(2025, 5, 17).date(),
        stage_code="review",
    )
    await RequestEvent.create(request=request, kind="stage", actor="staff", stage_code="review")
    admin = desk.standin.user("Admin", user_id=900)
    await admin.send("/export 1404/02/01-1404/02/31")
    assert admin.last["document"]["file_name"] == "requests-1404-02-01-1404-02-31.xlsx"
    data = desk.standin.files.get(admin.last["document"]["file_id"]).data
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    header, row = rows[0], rows[1]
    cell = dict(zip(header, row, strict=True))
    assert (cell["دستگاه"], cell["واحد"]) == ("شهرداری تهران", "شهرداری منطقه ۵")
    assert cell["زمان پذیرش"] == "۱۴۰۴/۰۲/۲۰ ۱۱:۳۰" and cell["موعد وعده‌داده‌شده"] == "۱۴۰۴/۰۲/۲۷"
    answers = cell["پاسخ‌های فرم"].split("\n")
    assert answers[0] == "کاربری: مسکونی"
    assert answers[1] == "امکانات: آسانسور، پارکینگ"
    assert answers[2] == "ملک دونبش است؟: خیر"
    assert answers[3] == "تاریخ ساخت: ۱۴۰۴/۰۲/۱۱"
    assert answers[4] == (
        "موقعیت ملک: 📍 ۳۵٫۷۰۰۰۰، ۵۱٫۴۰۰۰۰ — "
        "https://www.openstreetmap.org/?mlat=35.70000&mlon=51.40000#map=17/35.70000/51.40000"
    )
    assert cell["مراحل"].endswith("رفتن به مرحله — بررسی کارشناسی")
    assert "stage" not in cell["مراحل"] and "res" not in cell["پاسخ‌های فرم"]
