"""Write the sample audit workbook, roll-up and identity card in docs/ from the sample catalogue.

    python scripts/sample_audit.py

A throw-away SQLite database gets a few requests of Tehran Municipality's building-permit inquiry
(electronic, with documents and stage notifications) and the Social Security Organisation's pension
certificate (in person and electronic), a survey, the agency's §2 rating, a declaration for the
second two-month period of 1404 and an evaluation; then the workbooks are written as an admin and an
evaluator receive them from /audit, /rollup and /card."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import jdatetime

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db import close, connect, migrate  # noqa: E402
from bot.l10n import Locales  # noqa: E402
from bot.reports.audit import agency_workbook, rollup_workbook  # noqa: E402
from bot.reports.identity import identity_card  # noqa: E402
from desk import audit  # noqa: E402
from desk.catalog import load_catalog  # noqa: E402
from desk.survey import load_form  # noqa: E402
from models import (  # noqa: E402
    Channel,
    Citizen,
    Document,
    OutboxMessage,
    Request,
    RequestEvent,
    SurveyAnswer,
    SurveyResponse,
)

PERIOD = audit.two_month_period(1404, 2)
BY = ("telegram", 1, "مسئول میز خدمت شهرداری")
EVALUATOR = ("bale", 2, "ارزیاب سازمان مدیریت و برنامه ریزی استان تهران")


def when(month: int, day: int) -> datetime:
    return jdatetime.datetime(1404, month, day, 10).togregorian().replace(tzinfo=UTC)


async def fill(catalog) -> None:
    citizen = await Citizen.create(platform="bale", user_id=10, chat_id=10, full_name="شهروند نمونه")
    for n, (service, channel, month, day, answered) in enumerate(
        [
            ("building-permit-inquiry", Channel.MESSENGER, 3, 2, True),
            ("building-permit-inquiry", Channel.MESSENGER, 3, 20, False),
            ("building-permit-inquiry", Channel.MESSENGER, 4, 11, True),
            ("pension-certificate", Channel.IN_PERSON, 3, 5, True),
            ("pension-certificate", Channel.MESSENGER, 4, 1, False),
        ],
        1,
    ):
        card = catalog.services[service]
        request = await Request.create(
            tracking_code=f"{n:012d}",
            submit_token=f"sample{n}",
            citizen=citizen,
            service_code=service,
            service_version=card.version,
            card={},
            agency_code=card.agency,
            unit_code=card.unit,
            answers=[],
            status="answered" if answered else "in_progress",
            submitted_at=when(month, day),
            promised_date=when(month, day + 5).date(),
            answered_at=when(month, day + 4) if answered else None,
            channel=channel,
            registered_by="کارمند میز حضوری" if channel == Channel.IN_PERSON else None,
        )
        await Document.create(
            request=request, citizen=citizen, field="deed", role="form", kind="pdf", file_name="sanad.pdf", size=1,
            sha256="0" * 64, path=f"sample/{n}", platform="bale", tg_file_id=f"f{n}",
        )  # fmt: skip
        await OutboxMessage.create(
            platform="bale", chat_id=10, method="notify", payload={}, request=request, status="sent",
            next_attempt_at=when(month, day),
        )  # fmt: skip
        if answered:
            await RequestEvent.create(request=request, kind="result", actor="staff", text="-")
            response = await SurveyResponse.create(
                request=request, citizen=citizen, form_version="sample", invited_at=when(month, day + 5),
                completed_at=when(month, day + 5), respondent={"gender": "female", "visits": "1"},
            )  # fmt: skip
            for item in range(1, 17):
                await SurveyAnswer.create(response=response, item=item, axis="-", score=3 + (item + n) % 2)
    await audit.assess_desk("tehran-municipality", 1, "good", None, by=BY)
    await audit.assess_desk("tehran-municipality", 2, "excellent", "شنبه تا چهارشنبه، ۷:۳۰ تا ۱۴:۳۰", by=BY)


async def main() -> None:
    catalog = load_catalog(ROOT / "catalog")
    t = Locales().get("fa").button
    link = "https://ble.ir/mizban_bot?start=s_{}".format
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/sample.sqlite3"
        await migrate(url)
        await connect(url)
        try:
            await fill(catalog)
            forms = await audit.forms(catalog, "tehran-municipality", PERIOD, tz="Asia/Tehran", service_link=link)
            declaration = await audit.declare(forms, by=BY, today=when(5, 2).date())
            now = when(5, 20)
            for section, args in [
                ("s2", ["1", "average"]),
                ("s2", ["2", "excellent"]),
                ("s5", ["building-permit-inquiry", "نتیجهٔ استعلام در پیام‌رسان تحویل شود"]),
                ("note", ["تابلوی راهنمای خدمات در ورودی نصب شود"]),
                ("done", []),
            ]:
                await audit.evaluate(declaration, section, args, by=EVALUATOR, now=now)
            frozen, ev = await audit.declared(declaration)
            book = agency_workbook(frozen, ev, load_form(), t, "fa", live=False)
            (ROOT / "docs" / "audit-sample.xlsx").write_bytes(book)
            t2 = await audit.rollup([PERIOD])
            t1 = {"تهران": await audit.rollup([PERIOD], province="تهران")}
            (ROOT / "docs" / "rollup-sample.xlsx").write_bytes(rollup_workbook(t2, t1, t, "۱۴۰۴/۰۳/۰۱–۱۴۰۴/۰۴/۳۱"))
            card = catalog.services["building-permit-inquiry"]
            (ROOT / "docs" / "card-sample.xlsx").write_bytes(identity_card(card, catalog, t, "fa"))
        finally:
            await close()
    print("wrote docs/audit-sample.xlsx, docs/rollup-sample.xlsx, docs/card-sample.xlsx")


if __name__ == "__main__":
    asyncio.run(main())
