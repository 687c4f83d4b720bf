"""Everything the tests share except fixtures (those are in conftest.py): settings and servers,
sample files and identities, the steps of the citizen's journey, rows made directly in the database,
and the fixed data set of the report tests."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

import jdatetime
from aiohttp.test_utils import TestClient
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from bot.config import ROOT, Settings
from bot.db import tortoise_config
from bot.delivery.webhook import webhook_path, webhook_secret
from bot.platforms import DeskBot
from desk import reports, requests, summaries, survey, tracking
from desk.documents import DocumentStore
from desk.reports import Query
from models import Citizen, Document, Request, SurveyAnswer, SurveyResponse
from standin.spec import ApiSpec

SPEC = ApiSpec(ROOT / "tests" / "telegram-bot-api" / "api.json")
PG_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_REQUIRED = bool(os.environ.get("REQUIRE_POSTGRES") or os.environ.get("CI"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")  # the `redis_url` fixture's database
TOKEN = "123456:TEST-token"
BALE_TOKEN = "654321:BALE-token"
SECRET = "s3cret-token_1"  # the webhook secret of the `web` fixture
TEST_CATALOG = ROOT / "tests" / "data" / "catalog"
DATA = ROOT / "tests" / "data"
# The outbox sender without waiting: no rate limits, so a test delivers the outbox at once.
FAST = {"global_per_second": 0, "private_interval_seconds": 0, "group_per_minute": 0}


def reachable(host: str, port: int) -> bool:
    """Whether a server (PostgreSQL, Redis) answers on host:port."""
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


async def fresh_database(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))
    if url.startswith("postgres"):
        conn = Tortoise.get_connection("default")
        await conn.execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    await Tortoise.generate_schemas()


def make_settings(tmp_path: Path, **overrides) -> Settings:
    base = dict(
        token=TOKEN,
        api_url="http://standin.invalid",
        platform="telegram",
        admins=["bale:900" if overrides.get("platform") == "bale" else "900"],  # user 900 on the desk's messenger
        documents={"dir": str(tmp_path / "documents")},
        redis={"url": ""},
        database={"url": "sqlite://:memory:"},
        # tests drive people faster than anyone types; the rate limits have tests of their own (test_limits.py)
        limits={"messages": "100000 per minute", "tracking": "100000 per minute"},
    )
    base.update(overrides)
    return Settings(**base)


class Web:
    """A web process under test (the `web` fixture): its HTTP client, and the stand-in pushing updates to it."""

    def __init__(self, client: TestClient, settings: Settings, bots: dict[str, DeskBot], dp):
        self.client, self.settings, self.bots, self.dp = client, settings, bots, dp
        self.statuses: list[int] = []
        self.update_ids: list[int] = []  # every update the stand-in delivered
        self.twice = False  # deliver every update twice

    async def post(self, bot: DeskBot, update: dict, secret: str | None = None, path: str | None = None) -> int:
        """Post an update as the bot's messenger does: Telegram with its secret header, Bale with none."""
        secret = webhook_secret(self.settings, bot) if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if bot.platform == "telegram" else {}
        resp = await self.client.post(path or webhook_path(self.settings, bot), json=update, headers=headers)
        await resp.read()
        self.statuses.append(resp.status)
        return resp.status


def fail_deliveries(hosted: Web, standin, user) -> list[dict]:
    """From now on `user` has blocked the bot while each update is delivered (sendMessage answers
    403: the handler fails); returns the updates delivered, for redelivering them."""
    delivered: list[dict] = []

    async def blocked(token: str, update: dict) -> None:
        delivered.append(update)
        user.blocked = True
        await hosted.post(hosted.bots[TOKEN], update)

    standin.on_update = blocked
    return delivered


# -- texts a person sees (Persian, the default language)

EXPIRED = "این دکمه دیگر معتبر نیست. لطفاً از منوی اصلی ادامه دهید."  # a button the desk no longer knows
REFUSED = "شما اجازهٔ این کار را ندارید: این درخواست به واحد شما مربوط نیست یا عضو گروه آن واحد نیستید."


# -- sample files and identities -------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def national_id(prefix: str = "001234567") -> str:
    """A valid national ID with the given first nine digits."""
    r = sum(int(prefix[i]) * (10 - i) for i in range(9)) % 11
    return prefix + str(r if r < 2 else 11 - r)


VALID_NID = national_id()  # 0012345679


def visible(text: str) -> str:
    """A text as a person sees it: without the invisible U+200C that keeps Bale from reading a
    person's `*`, `_` or `[..](..)` as formatting (bot/platforms.py)."""
    return text.replace("\u200c", "")


async def fill_profile(user, *, name: str = "Ali Rezaei") -> None:
    """Answer the three profile questions the bot asks before a first form."""
    await user.send(name)
    await user.send(VALID_NID)
    await user.send_contact("+989121234567")


async def open_service(user, agency: str, service: str) -> None:
    await user.send("/start")
    await user.press("فهرست خدمات")
    await user.press(agency)
    await user.press(service)


async def fill_permit_form(user, *, owner: str = "Owner") -> None:
    """The test catalogue's permit form, every field answered the simple way, up to the review."""
    await user.send(owner)  # owner_name (owner_id is prefilled from the profile)
    await user.send("120")  # area
    await user.press("رد کردن")  # built (optional)
    await user.press("مسکونی")  # usage
    await user.press("تمام")  # features (none)
    await user.press("خیر")  # corner
    await user.send("1193653471")  # postal (phone is prefilled)
    await user.send_document("deed.pdf", PDF)
    await user.press("تمام")  # deed: one file is enough
    await user.press("رد کردن")  # facade
    await user.press("رد کردن")  # where
    await user.press("رد کردن")  # notes


# -- staff: a unit's group and a citizen (the sample catalogue's tax clearance) ----------------------

UNIT, OTHER_UNIT = "inta-fars", "inta-hq-legal"
SERVICE = "tax-clearance"
TITLE = "صدور گواهی ماده ۱۸۶ قانون مالیات‌های مستقیم (مفاصاحساب مالیاتی)"  # the service in the sample catalogue


class World:
    """A desk with a bound unit group (an admin and two clerks), and a citizen with a profile."""

    def __init__(self, desk, group, admin, clerk, clerk2, user, citizen):
        self.desk, self.group, self.admin, self.clerk, self.clerk2 = desk, group, admin, clerk, clerk2
        self.user, self.citizen = user, citizen

    async def submit(self, *, with_document: bool = False) -> Request:
        card = self.desk.catalog.services[SERVICE]
        values = {
            "national_id": VALID_NID,
            "tax_file": "TF-<42>",
            "purpose": card.field("purpose").options[0].value,
            "last_return_year": 1402,
            "mobile": "09121234567",
            "notes": None,
        }
        answers = [{"name": f.name, "type": f.type, "value": values.get(f.name)} for f in card.form]
        doc_ids = [(await make_document(self.desk, self.citizen, "deed.pdf")).id] if with_document else []
        sub = await requests.submit(
            citizen=self.citizen,
            card=card,
            catalog=self.desk.catalog,
            answers=answers,
            document_ids=doc_ids,
            submit_token=uuid.uuid4().hex,
            calendar=self.desk.dp.workflow_data["services"].calendar,
            tz=ZoneInfo("Asia/Tehran"),
        )
        await self.desk.deliver_outbox()
        return await Request.get(id=sub.request.id)

    def card(self, request: Request) -> dict:
        return next(m for m in self.group.messages if m["message_id"] == request.card_message_id)

    async def press(self, who, text: str, request: Request) -> dict | None:
        answer = await self.group.press(who, text, message=request.card_message_id)
        await self.desk.deliver_outbox()
        return answer


async def make_document(desk, citizen: Citizen, name: str, *, platform: str | None = None) -> Document:
    platform = platform or desk.platform
    stored = await DocumentStore(desk.settings.resolve(desk.settings.documents.dir)).save(PDF, name)
    file_id = desk.standin.files.add(PDF, name=name, mime_type="application/pdf").document()["file_id"]
    return await Document.create(
        citizen=citizen,
        role="form",
        kind="pdf",
        file_name=name,
        size=stored.size,
        sha256=stored.sha256,
        path=stored.path,
        platform=platform,
        tg_file_id=file_id if platform == desk.platform else "file-id-of-another-messenger",
    )


async def make_world(desk, *, forum: bool = False) -> World:
    admin = desk.citizen("Admin", user_id=900)
    clerk, clerk2 = desk.citizen("Clerk"), desk.citizen("Clerk Two")
    group = desk.group(
        "Fars tax office", forum=forum, members={admin.id: "administrator", clerk.id: "member", clerk2.id: "member"}
    )
    await group.send(admin, f"/bind {UNIT}")
    user = desk.citizen("Sara")
    await user.send("/start")
    citizen = await Citizen.get(platform=desk.platform, user_id=user.id)
    citizen.full_name, citizen.national_id, citizen.mobile = "Sara <Karimi>", VALID_NID, "09121234567"
    await citizen.save()
    return World(desk, group, admin, clerk, clerk2, user, citizen)


# -- rows made directly -----------------------------------------------------------------------------

CLOSED_CARD = {
    "title": {"fa": "استعلام پروانه ساختمان", "en": "Building permit inquiry"},
    "stages": [{"code": "review", "title": {"fa": "بررسی", "en": "Review"}}],
}
_closed = count(1)


async def closed_request(citizen: Citizen, status: str = "answered") -> Request:
    """A request of the test catalogue's permit service, answered now (so a questionnaire is due)."""
    n = next(_closed)
    now = datetime.now(UTC)
    async with in_transaction():
        request = await Request.create(
            tracking_code=tracking.new_code(),
            submit_token=f"sv{n}",
            citizen=citizen,
            service_code="permit",
            service_version=1,
            card=CLOSED_CARD,
            agency_code="muni",
            unit_code="muni-d5",
            unit_place="line",
            answers=[],
            status=status,
            submitted_at=now - timedelta(days=3),
            promised_date=date.today(),
            answered_at=now,
        )
        await survey.on_request_closed(request)
    return request


# -- the report tests' fixed data set ---------------------------------------------------------------
# Times are Tehran local (UTC+3:30), written as Jalali. Ordibehesht 1404 = 2025-04-21..2025-05-21,
# Farvardin 1404 = 2025-03-21..2025-04-20; 1403 is a leap year (Esfand 30 = 2025-03-20).

TEHRAN = ZoneInfo("Asia/Tehran")
_report_seq = count(1)
AXES = {
    **dict.fromkeys((1, 2, 3), "transparency"),
    **dict.fromkeys((4, 5, 6), "responsiveness"),
    **dict.fromkeys((7, 8, 9), "mastery"),
    **dict.fromkeys((10, 11), "time"),
    **dict.fromkeys((12, 13, 14), "systematic"),
    **dict.fromkeys((15, 16), "overall"),
}


def at(y, m, d, hh=12, mm=0) -> datetime:
    """A Jalali Tehran local time, in UTC."""
    local = jdatetime.datetime(y, m, d, hh, mm).togregorian().replace(tzinfo=TEHRAN)
    return local.astimezone(UTC)


def jd(y, m, d) -> date:
    return jdatetime.date(y, m, d).togregorian()


def month(y, m) -> Query:
    start = jd(y, m, 1)
    return Query(start, reports.period("month", start)[1], "month")


async def report_request(citizen, submitted, promised, answered=None, unit="muni-hq", service="permit", status=None):
    n = next(_report_seq)
    place = "hq" if unit == "muni-hq" else "line"
    return await Request.create(
        tracking_code=f"T{n:07d}",
        submit_token=f"tok{n}",
        citizen=citizen,
        service_code=service,
        service_version=1,
        card={},
        agency_code="muni",
        unit_code=unit,
        unit_place=place,
        answers=[],
        status=status or ("answered" if answered else "in_progress"),
        submitted_at=submitted,
        promised_date=promised,
        answered_at=answered,
    )


async def report_survey(request, completed, scores: dict[int, int]) -> None:
    response = await SurveyResponse.create(
        request=request,
        citizen_id=request.citizen_id,
        form_version="t",
        step=22 if completed else 8,
        completed_at=completed,
    )
    await SurveyAnswer.bulk_create(
        [SurveyAnswer(response=response, item=i, axis=AXES[i], score=s) for i, s in scores.items()]
    )


async def report_data_set() -> Citizen:
    """Eleven requests and five questionnaires around Ordibehesht 1404 (figures computed by hand in
    tests/test_reports.py)."""
    c = await Citizen.create(platform="telegram", user_id=1, chat_id=1)
    req, hq, line = report_request, "muni-hq", "muni-d5"
    r0 = await req(c, at(1403, 12, 30, 23, 0), jd(1404, 1, 5), at(1404, 1, 1, 1, 0), hq)  # 1/12 day
    r1 = await req(c, at(1404, 2, 1, 10), jd(1404, 2, 5), at(1404, 2, 3, 10), hq)  # 2.0, on time
    r2 = await req(c, at(1404, 2, 2, 10, 6), jd(1404, 2, 6), at(1404, 2, 7, 0, 30), line)  # 4.6, late by 30 min
    r3 = await req(c, at(1404, 2, 5, 11), jd(1404, 2, 6), at(1404, 2, 6, 23), line)  # 1.5, on time
    await req(c, at(1404, 2, 10, 9), jd(1404, 2, 15), None, hq)  # open, overdue
    await req(c, at(1404, 2, 18, 9), jd(1404, 2, 25), None, line)  # open
    await req(c, at(1404, 1, 28, 9), jd(1404, 2, 1), at(1404, 2, 2, 9), hq)  # 5.0, late
    r7 = await req(c, at(1404, 1, 10, 9), jd(1404, 1, 15), at(1404, 1, 12, 21), line)  # 2.5, on time
    await req(c, at(1404, 2, 31, 23, 30), jd(1404, 3, 5), None, line)  # last half hour
    await req(c, at(1404, 3, 1, 0, 10), jd(1404, 3, 9), None, hq)  # Khordad
    await req(c, at(1404, 2, 20, 10), jd(1404, 2, 28), at(1404, 3, 1, 10), hq)  # answered later
    await report_survey(r1, at(1404, 2, 4), {i: (1 if i >= 15 else 4) for i in range(1, 17)})
    await report_survey(r3, at(1404, 2, 10), {i: (3 if i == 16 else 2) for i in range(1, 17)})
    await report_survey(r7, at(1404, 1, 20), {i: 4 for i in range(1, 17)})
    await report_survey(r2, None, {i: 1 for i in range(1, 8)})  # left half-way: not counted
    await report_survey(r0, at(1403, 12, 30, 23, 30), {i: 3 for i in range(1, 17)})  # Esfand 1403
    await summaries.rebuild()  # the rows are written directly: the per-day summaries as the migration makes them
    return c
