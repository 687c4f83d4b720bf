"""Retention: what the desk stops keeping after a while (bot.toml [retention]; 0 days keeps forever).

- rows of sent notifications (the messages themselves stay in the chats);
- documents and personal data of requests closed (answered or rejected) long ago: the files are
  deleted from disk, the answers, result text, messages and complaint and survey texts are blanked;
  what the statistics count stays (service, unit, dates, status, stages, survey scores), so /stats,
  /chart and /audit give the same figures afterwards; the request keeps an "anonymised" event;
- files of forms left unfinished.

Safe to run again and again (the daily job and `python -m bot retention` do)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from desk.documents import DocumentStore, delete_documents
from models import (
    Complaint,
    Document,
    OutboxMessage,
    OutboxStatus,
    Request,
    RequestEvent,
    RequestStatus,
    SurveyResponse,
)

ANONYMISED = "anonymised"  # the RequestEvent kind that marks a request done
BATCH = 200


@dataclass
class Removed:
    outbox_rows: int = 0
    requests_anonymised: int = 0
    documents: int = 0  # of closed requests
    draft_documents: int = 0  # of forms left unfinished

    def __str__(self) -> str:
        return (
            f"sent notifications deleted: {self.outbox_rows}; requests anonymised: {self.requests_anonymised}; "
            f"their documents deleted: {self.documents}; unfinished forms' files deleted: {self.draft_documents}"
        )


async def apply(
    store: DocumentStore,
    *,
    outbox_sent_days: int,
    closed_request_days: int,
    draft_files_days: int,
    now: datetime | None = None,
) -> Removed:
    """Apply the retention periods (days; 0 keeps forever) and say what went."""
    now = now or datetime.now(UTC)
    removed = Removed()
    if outbox_sent_days:
        removed.outbox_rows = await OutboxMessage.filter(
            status=OutboxStatus.SENT, sent_at__lt=now - timedelta(days=outbox_sent_days)
        ).delete()
    if closed_request_days:
        cutoff = now - timedelta(days=closed_request_days)
        while ids := cast(
            list[int],
            await Request.filter(status__in=RequestStatus.CLOSED, answered_at__lt=cutoff)
            .exclude(id__in=Subquery(RequestEvent.filter(kind=ANONYMISED).values("request_id")))
            .order_by("id")
            .limit(BATCH)
            .values_list("id", flat=True),
        ):
            removed.documents += await delete_documents(store, Document.filter(request_id__in=ids))
            for request_id in ids:
                await _anonymise(request_id)
            removed.requests_anonymised += len(ids)
    if draft_files_days:
        removed.draft_documents = await delete_documents(
            store, Document.filter(request_id=None, role="form", created_at__lt=now - timedelta(days=draft_files_days))
        )
    return removed


async def _anonymise(request_id: int) -> None:
    async with in_transaction():
        request = await Request.get(id=request_id)
        request.answers = [{"name": a.get("name"), "type": a.get("type"), "value": None} for a in request.answers]
        request.result_text = None
        request.reject_reason = None
        await request.save(update_fields=["answers", "result_text", "reject_reason", "updated_at"])
        await RequestEvent.filter(request_id=request_id).update(text=None)
        await RequestEvent.filter(request_id=request_id, actor="citizen").update(actor_name=None, actor_user_id=None)
        await Complaint.filter(request_id=request_id).update(text="", answer=None)
        await SurveyResponse.filter(request_id=request_id).update(suggestion=None)
        await OutboxMessage.filter(request_id=request_id).exclude(status=OutboxStatus.PENDING).delete()
        await RequestEvent.create(request_id=request_id, kind=ANONYMISED, actor="system", public=False)
