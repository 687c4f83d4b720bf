"""Outbox renderers of complaints: a new complaint to a supervisor/admin (with an Answer button),
and the answer to the citizen."""

from __future__ import annotations

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import ComplaintCb
from bot.views.keyboards import button
from bot.views.notifications import Outgoing, renderer
from bot.views.render import pick
from bot.views.staff import unit_title
from desk.outbox import OutboxKind
from models import Complaint


@renderer(OutboxKind.COMPLAINT_NEW)
async def render_new(out: Outgoing):
    complaint = await Complaint.get_or_none(id=out.data["complaint"]).select_related("request", "citizen")
    if complaint is None:
        return
    l10n, request = out.l10n, complaint.request
    text = l10n(
        "complaint-new",
        number=complaint.id,
        code=l10n.code(request.tracking_code),
        service=pick(request.snapshot.title, l10n.lang),
        unit=unit_title(out.ctx.catalog, request.unit_code, l10n.lang),
        name=complaint.citizen.full_name or complaint.citizen.first_name,
        text=complaint.text,
    )
    kb = InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n.button("complaint-answer-btn"), ComplaintCb(complaint=complaint.id, action="answer"))]
        ]
    )
    yield SendMessage(chat_id=out.chat_id, text=text, reply_markup=kb)


@renderer(OutboxKind.COMPLAINT_ANSWER)
async def render_answer(out: Outgoing):
    complaint = await Complaint.get_or_none(id=out.data["complaint"]).select_related("request")
    if complaint is None or complaint.answer is None:
        return
    l10n = out.l10n
    yield SendMessage(
        chat_id=out.chat_id,
        text=l10n(
            "complaint-answered",
            number=complaint.id,
            code=l10n.code(complaint.request.tracking_code),
            text=complaint.text[:300],
            answer=complaint.answer,
        ),
    )
