"""How long 200 requests take to reach one unit's group, against the stand-in's rate limits
(Telegram's: about 20 messages a minute per group), as the desk sends cards today (one message per
request: documents are sent on demand, to the staff member who asks) beside the old cost (the card,
then one message per document in the group).

    python bench/group_bench.py [--requests 200 --documents 1]

Real requests (the shipped catalogue, a citizen, stored documents) are submitted and the real outbox
sender delivers their cards to one bound group, through the real Bot API stand-in, which answers 429
with retry_after past its limits. A group's limit makes this a matter of minutes, so the event loop
runs in virtual time: when it would wait for a timer (a rate limit, a retry_after) with nothing else
to do, its clock jumps to it; the sender and the stand-in both read that clock. Work is done in real
time; only idle waiting is skipped. Prints, for each way: messages the group received, 429 answers,
and the minutes until the last request's card (and documents) were in the group."""

from __future__ import annotations

import argparse
import asyncio
import selectors
import sys
import tempfile
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_dispatcher
from bot.config import Settings
from bot.db import tortoise_config
from bot.delivery.limits import Limits
from bot.delivery.outbox_sender import Sender
from bot.platforms import DeskBot
from bot.views.notifications import renderer
from bot.views.staff import render_card, send_files
from desk import requests
from desk.documents import DocumentStore
from models import Citizen, Document, OutboxMessage, OutboxStatus, Request, UnitGroup
from standin.core import Standin
from standin.session import StandinSession

TOKEN = "424242:BENCH-token"
SERVICE = "tax-clearance"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IDLE_PEEK = 0.002  # real seconds the loop looks for I/O before it skips a wait


# -- virtual time -----------------------------------------------------------------------------------
class WarpSelector:
    """A selector that, asked to wait for a timer, looks for I/O briefly and then lets the wait pass
    in an instant (moving its loop's clock forward by the rest of it)."""

    def __init__(self, inner: selectors.BaseSelector):
        self.inner, self.loop = inner, None

    def select(self, timeout=None):
        if timeout is None or timeout <= IDLE_PEEK:
            return self.inner.select(timeout)
        events = self.inner.select(IDLE_PEEK)
        if not events:
            self.loop.skipped += timeout - IDLE_PEEK
        return events

    def __getattr__(self, name):
        return getattr(self.inner, name)


class WarpLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        selector = WarpSelector(selectors.DefaultSelector())
        super().__init__(selector)
        selector.loop, self.skipped = self, 0.0

    def time(self) -> float:
        return super().time() + self.skipped


# -- the old way: the card, then the documents in the group ----------------------------------------
@renderer("bench-card-then-documents")
async def card_then_documents(out):
    """How a card went out before: the card, then the request's documents under it in the group."""
    card = render_card(out)
    result = None
    try:
        while True:
            result = yield await card.asend(result)
    except StopAsyncIteration:
        pass
    request = await Request.get(id=out.data["request"])
    docs = await Document.filter(request=request, role="form").order_by("id")
    for call in send_files(out.chat_id, docs, out.platform, out.ctx.store, caption="📎", reply=request.card_message_id):
        yield call


async def run(way: str, count: int, documents: int) -> dict:
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite://{tmp.name}/bench.sqlite3"
    await Tortoise.init(config=tortoise_config(url))
    try:
        return await deliver(way, count, documents, url, Path(tmp.name))
    finally:  # an open connection's thread would keep the process from exiting
        await Tortoise.close_connections()
        tmp.cleanup()


async def deliver(way: str, count: int, documents: int, url: str, tmp: Path) -> dict:
    loop = asyncio.get_running_loop()
    await Tortoise.generate_schemas()
    settings = Settings(
        token=TOKEN,
        api_url="http://standin.invalid",
        platform="telegram",
        database={"url": url},
        redis={"url": ""},
        documents={"dir": str(tmp / "documents")},
    )
    standin = Standin(strict=False, rate_limits=True, clock=loop.time)
    standin.add_bot(TOKEN)
    bot = DeskBot(TOKEN, platform="telegram", session=StandinSession(standin))
    group = standin.group("Unit group")
    dp = build_dispatcher(settings)
    catalog, calendar = dp.workflow_data["services"].catalog, dp.workflow_data["services"].calendar
    card = catalog.services[SERVICE]
    await UnitGroup.create(unit_code=card.unit, platform="telegram", chat_id=group.id, title="Unit group")
    store = DocumentStore(settings.resolve(settings.documents.dir))
    citizen = await Citizen.create(platform="telegram", user_id=7, chat_id=7, full_name="Sara")
    values = {"national_id": "0012345679", "tax_file": "TF-1", "last_return_year": 1402, "mobile": "09121234567"}
    values["purpose"] = card.field("purpose").options[0].value
    for n in range(count):
        doc_ids = []
        for d in range(documents):
            stored = await store.save(PDF, f"deed-{n}-{d}.pdf")
            file_id = standin.files.add(PDF, name=f"deed-{n}-{d}.pdf", mime_type="application/pdf").document()
            doc = await Document.create(
                citizen=citizen,
                role="form",
                kind="pdf",
                file_name=f"deed-{n}-{d}.pdf",
                size=stored.size,
                sha256=stored.sha256,
                path=stored.path,
                platform="telegram",
                tg_file_id=file_id["file_id"],
            )
            doc_ids.append(doc.id)
        await requests.submit(
            citizen=citizen,
            card=card,
            catalog=catalog,
            answers=[{"name": f.name, "type": f.type, "value": values.get(f.name)} for f in card.form],
            document_ids=doc_ids,
            submit_token=uuid.uuid4().hex,
            calendar=calendar,
            tz=ZoneInfo("Asia/Tehran"),
        )
    if way == "before":
        await OutboxMessage.filter(method="staff-card").update(method="bench-card-then-documents")
    # the sender's rate limits read the loop's clock too
    sender = Sender(settings, {"telegram": bot}, limits=Limits.from_settings(settings.outbox, clock=loop.time))
    started = loop.time()
    while await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
        await sender.deliver_pending()
        if await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
            await asyncio.sleep(1)  # rows put back after a long retry_after
    minutes = (loop.time() - started) / 60
    cards = await Request.filter(card_message_id__isnull=False).count()
    received = len([m for m in group.history.values() if m.bot_token])
    return {"cards": cards, "messages": received, "429": standin.stats["429"], "minutes": minutes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--documents", type=int, default=1, help="documents per request")
    args = parser.parse_args()
    print(f"{args.requests} requests with {args.documents} document(s) each, to one unit's group (20 messages/minute)")
    for way, label in (("before", "before: card + documents in the group"), ("now", "now: the card only")):
        loop = WarpLoop()
        try:
            r = loop.run_until_complete(run(way, args.requests, args.documents))
        finally:
            loop.close()
        print(
            f"{label:40} cards {r['cards']:4}  group messages {r['messages']:4}  429s {r['429']:3}  "
            f"all in the group after {r['minutes']:5.1f} min"
        )


if __name__ == "__main__":
    main()
