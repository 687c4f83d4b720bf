"""Retention (bot.toml [retention]): `python -m bot retention` (and the worker, daily) deletes rows of
sent notifications, the documents and personal data of requests closed long ago (the statistics stay
the same), and files of forms left unfinished; it says what it removed."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import ROOT
from bot.jobs import apply_retention
from desk import reports
from desk.calendar import jalali  # noqa: F401  (the reports' calendar)
from desk.documents import DocumentStore
from models import (
    Complaint,
    Document,
    OutboxMessage,
    Request,
    RequestEvent,
    RequestStatus,
    SurveyAnswer,
    SurveyResponse,
)
from tests.factories import FAST, PDF, make_world

LONG_AGO = datetime.now(UTC) - timedelta(days=400)


async def own_document(desk, citizen, name: str, request=None) -> Document:
    """A file of its own content (the store keeps identical content once)."""
    content = PDF + name.encode()
    stored = await DocumentStore(desk.settings.resolve(desk.settings.documents.dir)).save(content, name)
    return await Document.create(
        citizen=citizen,
        request=request,
        role="form",
        kind="pdf",
        file_name=name,
        size=stored.size,
        sha256=stored.sha256,
        path=stored.path,
        platform="telegram",
        tg_file_id=f"id-{name}",
    )


async def _closed_long_ago(world, *, suggestion: str) -> Request:
    request = await world.submit()
    await own_document(world.desk, world.citizen, "old-deed.pdf", request)
    await Request.filter(id=request.id).update(
        status=RequestStatus.ANSWERED, answered_at=LONG_AGO, result_text="Your permit, Sara Karimi"
    )
    await RequestEvent.create(request=request, kind="citizen_message", actor="citizen", actor_name="Sara", text="hi")
    await Complaint.create(request=request, citizen=world.citizen, text="I am Sara, 09121234567")
    response = await SurveyResponse.create(
        request=request, citizen=world.citizen, form_version="1", suggestion=suggestion, completed_at=LONG_AGO
    )
    await SurveyAnswer.create(response=response, item=1, axis="overall", score=4)
    return await Request.get(id=request.id)


async def _run_the_command(desk) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": desk.settings.database.url,
        "DOCUMENTS_DIR": str(desk.settings.documents.dir),
        "BOT_TOKEN": "",
        "REDIS_URL": "",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "retention", cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    return out.decode()


async def test_retention_removes_old_data_and_keeps_the_statistics(make_desk, db_url):
    desk = await make_desk(outbox=FAST, database={"url": db_url})
    world = await make_world(desk)
    old = await _closed_long_ago(world, suggestion="call me on 09121234567")
    recent = await world.submit(with_document=True)  # open: kept whole
    old_docs = [Path(desk.settings.documents.dir) / d.path for d in await Document.filter(request=old)]
    await OutboxMessage.filter(status="sent").update(sent_at=LONG_AGO)
    sent_before = await OutboxMessage.filter(status="sent").count()
    abandoned = await own_document(desk, world.citizen, "left.pdf")
    abandoned_file = Path(desk.settings.documents.dir) / abandoned.path
    await Document.filter(id=abandoned.id).update(created_at=LONG_AGO)
    fresh_draft = await own_document(desk, world.citizen, "now.pdf")
    q = reports.Query(LONG_AGO.date() - timedelta(days=5), datetime.now(UTC).date(), "range", {})
    before = await reports.figures(q, now=datetime.now(UTC))

    said = await _run_the_command(desk)

    assert f"sent notifications deleted: {sent_before}" in said and "requests anonymised: 1" in said
    assert "their documents deleted: 1" in said and "unfinished forms' files deleted: 1" in said
    old = await Request.get(id=old.id)
    assert all(a["value"] is None for a in old.answers) and old.result_text is None
    assert old.status == RequestStatus.ANSWERED and old.answered_at is not None  # what the statistics count
    assert not await Document.filter(request=old).exists() and not any(p.exists() for p in old_docs)
    assert (await Complaint.get(request=old)).text == ""
    assert (await SurveyResponse.get(request=old)).suggestion is None
    assert await SurveyAnswer.filter(response__request=old).count() == 1
    assert not await RequestEvent.filter(request=old, actor_name="Sara").exists()
    assert not await RequestEvent.filter(request=old, text__not_isnull=True).exists()
    assert await RequestEvent.filter(request=old, kind="anonymised").count() == 1
    kept = await Request.get(id=recent.id)
    assert kept.answers == recent.answers and await Document.filter(request=kept).count() == 1
    assert await Document.filter(id=fresh_draft.id).exists() and not await Document.filter(id=abandoned.id).exists()
    assert not abandoned_file.exists() and (Path(desk.settings.documents.dir) / fresh_draft.path).exists()
    assert await OutboxMessage.filter(status="sent").count() == 0
    after = await reports.figures(q, now=datetime.now(UTC))
    assert (after.accepted, after.answered, after.responses) == (before.accepted, before.answered, before.responses)
    # again: nothing more to do
    again = await apply_retention(desk.settings)
    assert (again.requests_anonymised, again.documents, again.outbox_rows) == (0, 0, 0)


async def test_zero_days_keeps_everything(make_desk):
    desk = await make_desk(
        outbox=FAST, retention={"outbox_sent_days": 0, "closed_request_days": 0, "draft_files_days": 0}
    )
    world = await make_world(desk)
    old = await _closed_long_ago(world, suggestion="keep")
    await OutboxMessage.filter(status="sent").update(sent_at=LONG_AGO)
    removed = await apply_retention(desk.settings)
    assert (removed.outbox_rows, removed.requests_anonymised, removed.documents) == (0, 0, 0)
    assert await Document.filter(request=old).count() == 1
