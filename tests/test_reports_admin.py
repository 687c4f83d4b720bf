"""The admin commands through the real dispatcher (authorisation, Persian output, charts, XLSX
files), and the audit workbook against hand-counted values."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from desk import audit
from desk.catalog import Agency, Catalog, Text, load_catalog
from models import Role
from tests.factories import FAST, TEST_CATALOG

pytestmark = pytest.mark.both_platforms  # on Telegram and on Bale (tests/conftest.py)


@pytest.fixture
async def desk(make_desk, report_data):
    return await make_desk(catalog={"dir": str(TEST_CATALOG)}, outbox=FAST)


def admin(desk):
    return desk.standin.user("Admin", user_id=900)  # settings.admins == ["900"]


def document_bytes(desk, message: dict) -> bytes:
    return desk.standin.files.get(message["document"]["file_id"]).data


async def test_stats_for_admin_in_persian(desk):
    user = admin(desk)
    await user.send("/stats ۱۴۰۴/۰۲/۰۱-۱۴۰۴/۰۲/۳۱")
    text = user.last["plain"]
    assert "۱۴۰۴/۰۲/۰۱ تا ۱۴۰۴/۰۲/۳۱" in text and "دورهٔ قبل: ۱۴۰۴/۰۱/۰۱ تا ۱۴۰۴/۰۱/۳۱" in text
    assert "پذیرفته‌شده: ۷ / ۲" in text
    assert "پاسخ‌داده‌شده: ۴ / ۲" in text
    assert "میانگین زمان پذیرش تا پاسخ: ۳٫۳ روز / ۱٫۳ روز" in text
    assert "میانهٔ زمان پذیرش تا پاسخ، به روز کامل: ۳٫۰ روز / ۱٫۰ روز" in text  # 1 2 4 5 and 0 2 whole days
    assert "پاسخ تا موعد وعده‌داده‌شده: ۵۰٪ / ۱۰۰٪" in text
    assert "پرسشنامه‌های تکمیل‌شده: ۲ / ۱" in text and "سهم راضی (امتیاز «زیاد» یا بالاتر): ۴۷٪ / ۱۰۰٪" in text
    assert "کلیت فرایند: ۱٫۸ / ۴٫۰" in text
    assert not any(ch.isascii() and ch.isdigit() for ch in text)


async def test_stats_english_and_empty(desk):
    user = desk.standin.user("Admin", user_id=900, language_code="en")
    await user.send("/stats 1390/01/01-1390/01/31 line")
    text = user.last["plain"]
    assert "Accepted: 0 / 0" in text and "Mean time from acceptance to answer: — / —" in text
    assert "line units" in text
    await user.send("/stats nonsense")
    assert 'understand "nonsense"' in user.last["plain"]


async def test_only_admins_and_supervisors_of_their_unit(desk):
    citizen = desk.citizen("Nobody")
    for command in (
        "/stats",
        "/chart",
        "/export",
        "/audit",
        "/declare",
        "/rollup",
        "/evaluate 1 done",
        "/deskstate muni 1 good",
    ):
        await citizen.send(command)
        assert "فقط برای مدیران" in citizen.last["plain"], command
    boss = desk.citizen("Boss")
    await Role.create(platform=desk.platform, user_id=boss.id, role="supervisor", unit_code="muni-d5")
    await boss.send("/stats 1404/02/01-1404/02/31")  # narrowed to the own unit: line figures
    assert "واحد muni-d5" in boss.last["plain"] and "پذیرفته‌شده: ۴ /" in boss.last["plain"]
    await boss.send("/stats 1404/02/01-1404/02/31 unit muni-hq")
    assert "muni-d5" in boss.last["plain"] and "پذیرفته" not in boss.last["plain"]
    await boss.send("/stats 1404/02/01-1404/02/31 agency muni")
    assert "پذیرفته" not in boss.last["plain"]
    await boss.send("/audit muni")  # a supervisor sees the audit of the own agency
    assert boss.last["document"]["file_name"].startswith("audit-muni-")
    granted = desk.citizen("Granted")
    await Role.create(platform=desk.platform, user_id=granted.id, role="admin")
    await granted.send("/stats 1404/02/01-1404/02/31 hq")
    assert "پذیرفته‌شده: ۳ /" in granted.last["plain"]


async def test_chart_sends_three_pictures(desk):
    user = admin(desk)
    await user.send("/chart 1404/02/01-1404/02/31")
    photos = [m for m in user.messages if "photo" in m]
    assert len(photos) == 3
    assert "درخواست‌های پذیرفته‌شده در هر هفته" in photos[0]["plain"]
    content = desk.standin.files.get(photos[2]["photo"][-1]["file_id"]).data
    assert content.startswith(b"\x89PNG")


async def test_export_workbook(desk):
    user = admin(desk)
    await user.send("/export 1404/02/01-1404/02/31")
    assert "۷ درخواست" in user.last["plain"]
    wb = load_workbook(io.BytesIO(document_bytes(desk, user.last)))
    ws = wb.active
    assert ws.sheet_view.rightToLeft
    rows = list(ws.values)
    assert rows[0][:3] == ("کد رهگیری", "خدمت", "دستگاه") and len(rows) == 1 + 7
    first = rows[1]
    assert first[5] == "پاسخ داده شده" and first[9] == 2.0  # r1: two days
    header = rows[0]
    assert first[header.index("پرسش 16")] == 1 and first[header.index("پرسش 1")] == 4


def _catalog() -> Catalog:
    base = load_catalog(TEST_CATALOG)
    card = base.services["permit"]
    other = Agency(code="tax", title=Text(fa="سازمان امور مالیاتی"), parent=Text(fa="وزارت اقتصاد"))
    services = {
        "a1": card.model_copy(update={"code": "a1", "delivery": "in_person"}),
        "a2": card.model_copy(update={"code": "a2", "delivery": "edesk"}),
        "a3": card.model_copy(update={"code": "a3", "delivery": "both"}),
        "a4": card.model_copy(update={"code": "a4", "delivery": "outside", "agency": "tax"}),
        "a5": card.model_copy(update={"code": "a5", "delivery": "edesk", "agency": "tax", "type": "G2B"}),
        "g": card.model_copy(update={"code": "g", "delivery": "edesk", "type": "G2G"}),  # not audited
    }
    return Catalog(services, {**base.agencies, "tax": other}, base.units)


def test_place_counts_and_ratios():
    cards = audit.audited(_catalog())
    counts = audit.place_counts(cards)
    assert counts == {"a": 5, "b": 1, "c": 2, "d": 1, "e": 1}
    assert audit.ratios(counts) == (0.2, 0.6)
    assert audit.ratios(audit.place_counts([])) == (None, None)
