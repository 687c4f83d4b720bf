"""The audit (seed 002) against hand-computed values on a fixed data set: two agencies in two
provinces, services at every place of delivery, electronic and in-person requests, documents taken
at the request and later, stage notifications by two messengers, surveys with respondent profiles;
then a declaration that stays frozen, an evaluation by the province's evaluator, and the roll-ups.

The period is the second two-month period of 1404 (Khordad–Tir: 2025-05-22..2025-07-22)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desk import audit
from desk.catalog import load_catalog
from models import (
    AuditDeclaration,
    AuditEvaluation,
    Channel,
    Citizen,
    DeskAssessment,
    Document,
    OutboxMessage,
    Request,
    RequestEvent,
    SurveyAnswer,
    SurveyResponse,
)
from tests.factories import TEST_CATALOG, at, jd

P2 = audit.Period(jd(1404, 3, 1), jd(1404, 4, 31))
ADMIN, EVALUATOR, OTHER_EVALUATOR, SUPERVISOR = 900, 901, 902, 903
LINK = "https://t.me/deskbot?start=s_{}"

AGENCIES = """
[[agency]]
code = "muni"
title = { fa = "شهرداری تهران", en = "Tehran Municipality" }
parent = { fa = "وزارت کشور", en = "Ministry of the Interior" }

[[agency]]
code = "tax"
title = { fa = "اداره کل امور مالیاتی قزوین", en = "Qazvin Tax Office" }
parent = { fa = "سازمان امور مالیاتی کشور", en = "National Tax Administration" }

[[unit]]
code = "muni-hq"
agency = "muni"
title = { fa = "ستاد شهرداری", en = "Municipality HQ" }
place = "hq"
province = { fa = "تهران", en = "Tehran" }
city = { fa = "تهران", en = "Tehran" }

[[unit]]
code = "tax-qz"
agency = "tax"
title = { fa = "اداره مالیات قزوین", en = "Qazvin tax office" }
place = "line"
province = { fa = "قزوین", en = "Qazvin" }
city = { fa = "قزوین", en = "Qazvin" }
"""

# code: (agency, unit, type, delivery, with a document field, last stage electronic, faq, phone, registry id)
SERVICES = {
    "permit": ("muni", "muni-hq", "G2C", "edesk", True, False, True, "137", "11010101"),
    "license": ("muni", "muni-hq", "G2B", "in_person", True, True, True, None, None),
    "certificate": ("muni", "muni-hq", "G2C", "both", False, True, False, None, None),
    "archive": ("muni", "muni-hq", "G2C", "outside", False, True, True, None, None),
    "interagency": ("muni", "muni-hq", "G2G", "edesk", False, True, True, None, None),
    "clearance": ("tax", "tax-qz", "G2C", "edesk", False, True, True, "1526", None),
    "refund": ("tax", "tax-qz", "G2B", "both", True, True, True, None, None),
}


def _card(code: str, spec: tuple) -> str:
    agency, unit, kind, delivery, files, last_electronic, faq, phone, registry = spec
    text = (TEST_CATALOG / "services" / "permit.toml").read_text(encoding="utf-8")
    text = text.replace('code = "permit"', f'code = "{code}"').replace('agency = "muni"', f'agency = "{agency}"')
    text = text.replace('unit = "muni-d5"', f'unit = "{unit}"').replace('type = "G2C"', f'type = "{kind}"')
    text = text.replace('delivery = "edesk"', f'delivery = "{delivery}"')
    if delivery in ("in_person", "outside"):
        text = text.replace('delivery = "', 'not_edesk_reason = "قانون حضور مالک را لازم می‌داند"\ndelivery = "', 1)
    if not files:
        text = re.sub(r'\[\[form\]\]\nname = "(deed|facade)".*?(?=\n\[\[form\]\]|\Z)', "", text, flags=re.S)
    if last_electronic:  # drop the site visit: the last stage is the electronic review
        text = re.sub(r'\[\[stages\]\]\ncode = "visit".*?(?=\n\[\[form\]\])', "", text, flags=re.S)
    if not faq:
        text = re.sub(r"^faq = .*\n", "faq = []\n", text, flags=re.M)
    extra = (f'phone = "{phone}"\n' if phone else "") + (f'registry_id = "{registry}"\n' if registry else "")
    return text.replace("version = 3\n", "version = 3\n" + extra)


@pytest.fixture
def catalog_dir(tmp_path) -> Path:
    root = tmp_path / "catalog"
    (root / "services").mkdir(parents=True)
    (root / "agencies.toml").write_text(AGENCIES, encoding="utf-8")
    for code, spec in SERVICES.items():
        (root / "services" / f"{code}.toml").write_text(_card(code, spec), encoding="utf-8")
    return root


_n = iter(range(1, 10_000))


async def _request(citizen, service: str, day: tuple, *, channel=Channel.MESSENGER, answered=None) -> Request:
    n = next(_n)
    agency, unit = SERVICES[service][:2]
    return await Request.create(
        tracking_code=f"A{n:07d}",
        submit_token=f"audit{n}",
        citizen=citizen,
        service_code=service,
        service_version=3,
        card={},
        agency_code=agency,
        unit_code=unit,
        answers=[],
        status="answered" if answered else "in_progress",
        submitted_at=at(*day),
        promised_date=jd(*day),
        answered_at=at(*answered) if answered else None,
        channel=channel,
        registered_by="کارمند میز" if channel == Channel.IN_PERSON else None,
    )


async def _documents(request: Request, role: str, count: int) -> None:
    for i in range(count):
        await Document.create(
            request=request,
            citizen_id=request.citizen_id,
            field="deed" if role == "form" else None,
            role=role,
            kind="pdf",
            file_name=f"d{i}.pdf",
            size=10,
            sha256="0" * 64,
            path=f"x/{request.id}-{role}-{i}",
            platform="telegram",
            tg_file_id=f"f{request.id}{role}{i}",
        )


async def _notified(request: Request, platform: str, status: str = "sent") -> None:
    await OutboxMessage.create(
        platform=platform,
        chat_id=1,
        method="notify",
        payload={},
        request=request,
        status=status,
        next_attempt_at=at(1404, 3, 2),
    )


async def _survey(request: Request, day: tuple, profile: dict, scores: dict[int, int], *, done=True) -> None:
    response = await SurveyResponse.create(
        request=request,
        citizen_id=request.citizen_id,
        form_version="t",
        respondent=profile,
        invited_at=at(*day),
        completed_at=at(*day) if done else None,
    )
    for item, score in scores.items():
        await SurveyAnswer.create(response=response, item=item, axis="a", score=score)


@pytest.fixture
async def data(db):
    """The fixed data set (see each line for what it stands for in the forms)."""
    a = await Citizen.create(platform="telegram", user_id=1, chat_id=1)
    b = await Citizen.create(platform="bale", user_id=2, chat_id=2)
    # permit (e-desk, has a document field, last stage is a paper site visit): 3 requests in the period
    p1 = await _request(a, "permit", (1404, 3, 3), answered=(1404, 3, 10))
    p2 = await _request(b, "permit", (1404, 4, 5))
    await _request(a, "permit", (1404, 4, 30))
    await _request(a, "permit", (1404, 5, 2))  # the next period: not counted
    await _documents(p1, "form", 2)
    await RequestEvent.create(request=p1, kind="result", actor="staff", text="done")
    await _notified(p1, "telegram")
    await _notified(p2, "bale")
    await _notified(p2, "telegram", status="pending")  # not sent: not counted
    await _survey(p1, (1404, 3, 11), {"gender": "female", "visits": "1"}, {1: 4, 2: 3, 16: 4})
    # clearance (tax, e-desk, no document field, electronic delivery): one request, delivered, no survey
    c1 = await _request(b, "clearance", (1404, 3, 20), answered=(1404, 3, 21))
    await RequestEvent.create(request=c1, kind="result", actor="staff", text="ok")
    # license (in person): two walk-ins; 3 documents at the request, 1 asked for later; one closed with a survey
    l1 = await _request(a, "license", (1404, 3, 4), channel=Channel.IN_PERSON, answered=(1404, 3, 8))
    l2 = await _request(b, "license", (1404, 4, 1), channel=Channel.IN_PERSON)
    await _documents(l1, "form", 2)
    await _documents(l2, "form", 1)
    await _documents(l2, "message", 1)
    await _survey(l1, (1404, 3, 9), {"gender": "male", "visits": "2"}, {1: 2, 2: 2, 16: 3})
    # certificate (both): one in-person request without documents, not closed
    await _request(a, "certificate", (1404, 3, 15), channel=Channel.IN_PERSON)
    # the agency rated its in-person desk (§2-a)
    await DeskAssessment.create(
        agency_code="muni", item=1, level="good", by_platform="telegram", by_user_id=ADMIN, by_name="مدیر میز"
    )
    return {"permit": p1}


async def test_forms_come_from_cards_and_what_the_desk_did(data, catalog_dir):
    catalog = load_catalog(catalog_dir)
    forms = await audit.forms(catalog, "muni", P2, tz="Asia/Tehran", service_link=LINK.format)
    h = forms.header
    assert (h.agency_title, h.parent_title, h.province, h.hq) == ("شهرداری تهران", "وزارت کشور", "تهران", True)
    # §1: G2C and G2B only (the G2G service is left out), one place each, numeric totals and ratios
    assert [(r.code, r.type, r.place) for r in forms.s1] == [
        ("archive", "G2C", "outside"),
        ("certificate", "G2C", "both"),
        ("license", "G2B", "in_person"),
        ("11010101", "G2C", "edesk"),  # the official service ID when the registry gave one
    ]
    assert forms.counts == {"a": 4, "b": 1, "c": 1, "d": 1, "e": 1}
    assert forms.ratios == (0.25, 0.5)
    # §2: the named admin's rating; items not rated stay empty
    assert [(r.item, r.level, r.by) for r in forms.s2] == [
        (1, "good", "مدیر میز"),
        (2, None, None),
        (3, None, None),
        (4, None, None),
    ]
    # §3: derived from what each card publishes; the phone from the card
    s3 = {r.code: r for r in forms.s3}
    assert s3["11010101"].phone == "137" and s3["license"].phone == ""
    assert s3["certificate"].items["faq"] is False and s3["license"].items["faq"] is True
    assert all(v for k, v in s3["license"].items.items())
    # §4 (in person and both): receipts, documents at the request 3 of 4, the survey offered to the closed one
    s4 = {r.code: r for r in forms.s4}
    assert set(s4) == {"license", "certificate"}
    assert (s4["license"].requests, s4["license"].receipt, s4["license"].documents_pct, s4["license"].survey) == (
        2,
        True,
        75.0,
        True,
    )
    assert (s4["certificate"].requests, s4["certificate"].documents_pct, s4["certificate"].survey) == (1, None, None)
    # §5 (e-desk and both): what really happened, not "has" everywhere
    s5 = {r.code: r for r in forms.s5}
    assert set(s5) == {"11010101", "certificate"}
    permit = s5["11010101"]
    assert permit.address == LINK.format("permit") and permit.requests == 3
    assert (permit.upload, permit.form, permit.tracking_code, permit.stage_tracking) == (True, True, True, True)
    assert permit.delivery is False  # its last stage is a paper site visit
    assert permit.sms is False and permit.notified_by == ["bale", "telegram"]  # messengers, not SMS
    assert permit.survey is True
    certificate = s5["certificate"]  # no electronic request in the period
    assert (certificate.requests, certificate.upload, certificate.form, certificate.survey) == (0, False, False, False)
    # §6: the period's completed questionnaires of the agency's services, with the respondent profile
    assert forms.s6.responses == 2
    assert forms.s6.scores["1"] == {"4": 1, "2": 1} and forms.s6.scores["16"] == {"4": 1, "3": 1}
    assert forms.s6.profile == {"gender": {"female": 1, "male": 1}, "visits": {"1": 1, "2": 1}}


async def test_another_agency_in_another_province(data, catalog_dir):
    catalog = load_catalog(catalog_dir)
    forms = await audit.forms(catalog, "tax", P2, tz="Asia/Tehran", service_link=LINK.format)
    assert (forms.header.province, forms.header.hq) == ("قزوین", False)
    assert forms.counts == {"a": 2, "b": 0, "c": 1, "d": 1, "e": 0}
    clearance = {r.code: r for r in forms.s5}["clearance"]
    assert (clearance.upload, clearance.delivery, clearance.survey, clearance.notified_by) == (False, True, False, [])
    assert forms.s6.responses == 0


async def test_a_declaration_is_frozen(data, catalog_dir):
    catalog = load_catalog(catalog_dir)
    forms = await audit.forms(catalog, "muni", P2, tz="Asia/Tehran", service_link=LINK.format)
    declaration = await audit.declare(forms, by=("telegram", ADMIN, "مدیر میز"), today=jd(1404, 5, 3))
    with pytest.raises(audit.AuditError):
        await audit.declare(forms, by=("telegram", ADMIN, "مدیر میز"), today=jd(1404, 5, 3))
    # later changes to the data do not rewrite the declaration
    await _request(await Citizen.get(user_id=1), "license", (1404, 3, 6), channel=Channel.IN_PERSON)
    await DeskAssessment.filter(agency_code="muni", item=1).update(level="weak")
    stored = audit.Forms.from_json((await AuditDeclaration.get(id=declaration.id)).forms)
    assert {r.code: r.requests for r in stored.s4}["license"] == 2
    assert stored.s2[0].level == "good"
    assert (stored.header.declared_on, stored.header.declared_by) == (jd(1404, 5, 3).isoformat(), "مدیر میز")


def admin(desk):
    return desk.standin.user("Admin", user_id=ADMIN)


def _cells(book: bytes, sheet: str) -> list[list]:
    ws = load_workbook(io.BytesIO(book))[sheet]
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]


def _document(desk, message: dict) -> bytes:
    return desk.standin.files.get(message["document"]["file_id"]).data


@pytest.fixture
async def world(make_desk, data, catalog_dir):
    desk = await make_desk(catalog={"dir": str(catalog_dir)})
    return desk


async def test_the_cycle_through_the_bot(world):
    desk = world
    boss = admin(desk)
    evaluator = desk.standin.user("Evaluator", user_id=EVALUATOR)
    stranger = desk.standin.user("Other", user_id=OTHER_EVALUATOR)
    await boss.send("/grant 901 evaluator تهران")
    # Latin words in a Persian line are isolated (FSI…PDI), so they cannot reorder it
    assert boss.last["plain"] == "نقش \u2068evaluator\u2069 (تهران) به \u2068telegram:901\u2069 داده شد."
    await boss.send("/grant 902 evaluator قزوین")
    await boss.send("/grant 903 evaluator Atlantis")
    assert boss.last["plain"].startswith("شیوهٔ نوشتن:")
    await boss.send("/deskstate muni 2 excellent باز در همهٔ روزهای کاری")
    assert boss.last["plain"] == "وضعیت ردیف ۲ بخش ۲ به نام شما ثبت شد: بسیار عالی"
    await boss.send("/declare muni ۱۴۰۴/۲")
    number = (await AuditDeclaration.get(agency_code="muni")).id
    assert boss.last["plain"].startswith(
        f"اظهارنامهٔ شمارهٔ {number}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    )
    # only the evaluator of the agency's province evaluates
    await stranger.send(f"/evaluate {number} s1 license")
    assert stranger.last["plain"] == "این کار فقط از ارزیاب استان تهران برمی‌آید."
    await boss.send(f"/evaluate {number} done")
    assert boss.last["plain"] == "این کار فقط از ارزیاب استان تهران برمی‌آید."
    for line in (
        f"/evaluate {number} s1 license",
        f"/evaluate {number} s2 2 good",
        f"/evaluate {number} s5 11010101 نتیجه باید در پیام‌رسان تحویل شود",
        f"/evaluate {number} s3 certificate سوالات متداول منتشر نشده",
        f'/evaluate {number} s3 archive =HYPERLINK("http://x")',
        f"/evaluate {number} note تابلوی راهنما کم است",
    ):
        await evaluator.send(line)
        assert "ثبت شد" in evaluator.last["plain"], line
    await evaluator.send(f"/evaluate {number} s4 archive x")  # not an in-person service of the declaration
    assert evaluator.last["plain"] == "خدمت \u2068archive\u2069 در جدول \u2068s4\u2069 این اظهارنامه نیست."
    await evaluator.send(f"/evaluate {number} done")
    await evaluator.send(f"/evaluate {number} s2 3 weak")
    assert evaluator.last["plain"] == "ارزیابی این اظهارنامه پایان یافته است و تغییر نمی‌کند."
    evaluation = await AuditEvaluation.get(declaration_id=number)
    assert evaluation.s1_conflicts == ["license"] and evaluation.s2_levels == {"2": "good"}
    assert evaluation.by_name == "Evaluator" and evaluation.completed_at is not None

    # the workbook: declared and evaluated side by side
    await evaluator.send("/audit muni 1404/2")
    book = _document(desk, evaluator.last)
    s1 = _cells(book, "بخش ۱")
    assert ["مجموع", 4, 1, 1, 1, 1] in s1
    assert ["خدماتی که محل ارائه آنها با اظهارات دستگاه تناقض دارد:"] in s1
    title_of_license = next(r[0] for r in s1 if len(r) > 1 and r[1] == "license")
    assert [title_of_license, "license"] in s1
    assert any(r[:2] == ["نام و امضای تهیه کننده:", "Admin"] and r[3] == "Evaluator" for r in s1 if len(r) == 4)
    s2 = _cells(book, "بخش ۲")
    assert [2, "فعالیت پیوسته میز خدمت در طول هفته", "✓", "باز در همهٔ روزهای کاری — ثبت‌شده توسط: Admin"] in s2
    assert [2, "فعالیت پیوسته میز خدمت در طول هفته", "✓"] in s2  # the evaluator's row
    assert ["نقاط قابل اصلاح یا بهبود:", "تابلوی راهنما کم است"] in s2
    s3 = load_workbook(io.BytesIO(book))["بخش ۳"]
    formula = next(c for row in s3.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert (formula.value, formula.data_type) == ('\'=HYPERLINK("http://x")', "s")  # text, never a formula
    s5 = _cells(book, "بخش ۵")
    permit_row = next(r for r in s5 if len(r) > 2 and r[1] == "11010101")
    assert permit_row[3:11] == ["دارد", "دارد", "ندارد", "دارد", "دارد", "ندارد", "دارد", "بله، تلگرام"]
    assert permit_row[11] == 3
    assert any(r[1:] == ["11010101", "نتیجه باید در پیام‌رسان تحویل شود"] for r in s5 if len(r) == 3)

    # the province's table 1 and the agencies' table 2 come from the stored declarations
    await evaluator.send("/rollup 1404/2")
    rolled = _document(desk, evaluator.last)
    wb = load_workbook(io.BytesIO(rolled))
    assert len(wb.sheetnames) == 2  # an evaluator gets table 2 empty and the table 1 of their province
    t1 = _cells(rolled, wb.sheetnames[1])
    assert ["شهرداری تهران", "وزارت کشور", 4, 1, 1, 1, 1, "اظهار دستگاه"] in t1
    assert ["شهرداری تهران", "وزارت کشور", 4, 0, 1, 1, 2, "پس از ارزیابی"] in t1  # license moved to "outside"
    await boss.send("/rollup 1404/h1")
    t2 = _cells(_document(desk, boss.last), "جدول ۲ پیوست ۳")
    assert ["شهرداری تهران", "وزارت کشور", 4, 1, 1, 1, 1, "اظهار دستگاه"] in t2


async def test_live_workbook_and_who_may_see_it(world):
    desk = world
    citizen = desk.citizen("Nobody")
    await citizen.send("/audit muni 1404/2")
    assert citizen.last["plain"] == "این فرمان فقط برای مدیران (و سرپرستان، برای واحد خودشان) است."
    boss = admin(desk)
    await boss.send("/audit muni 1404/2")
    assert "هنوز اظهار نشده" in boss.last["caption"]
    book = _document(desk, boss.last)
    assert [
        "تاریخ تهیه اظهارنامه توسط دستگاه:",
        "اظهار نشده: محاسبه از داده‌های روز",
        "تاریخ ارزیابی و صحه گذاری اظهار نامه:",
    ] in _cells(book, "بخش ۱")
    assert load_workbook(io.BytesIO(book)).sheetnames == ["بخش ۱", "بخش ۲", "بخش ۳", "بخش ۴", "بخش ۵", "بخش ۶"]
    assert all(ws.sheet_view.rightToLeft for ws in load_workbook(io.BytesIO(book)))
    await boss.send("/declare muni 1410/6")
    assert boss.last["plain"] == "این دوره تا ۱۴۱۰/۱۲/۲۹ ادامه دارد؛ پس از پایان آن اظهار کنید."
    assert not await AuditDeclaration.exists()


async def test_identity_card(world):
    desk = world
    user = desk.citizen("Ali")
    await user.send("/card permit")
    rows = _cells(_document(desk, user.last), "شناسنامه خدمت")
    assert ["۱- عنوان خدمت:", "استعلام پروانه ساختمان"] in rows
    assert ["۲- شناسه خدمت:", "11010101"] in rows
    assert ["نام دستگاه اجرایی:", "شهرداری تهران"] in rows and ["نام دستگاه مادر:", "وزارت کشور"] in rows
    assert ["نوع خدمت", "خدمت به شهروندان (G2C)"] in rows and ["سطح خدمت", "شهری"] in rows
    assert ["آمار تعداد خدمت گیرندگان", "۱۲۰۰ در: ماه"] in rows
    assert ["هزینه خدمت (ریال) به خدمت گیرندگان"] in rows
    assert ["پرداخت بصورت الکترونیک", "بلی"] in rows
    assert ["تلفن و مرکز تماس", "137"] in rows
    stages = _cells(_document(desk, user.last), "مراحل خدمت")
    assert ["بازدید محلی", "غیرالکترونیکی", "جهت احراز اصالت مدرک"] in stages
    await user.send("/card nothing")
    assert user.last["plain"] == "شیوهٔ نوشتن: /card SERVICE_CODE"
