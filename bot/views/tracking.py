"""A request as its owner sees it (capability 5): its stages, status, result and last messages."""

from aiogram.types import InlineKeyboardMarkup, Message

from bot.callbacks import MenuCb, MineCb, RequestCb, ThreadCb
from bot.l10n import L10n, Safe
from bot.views.keyboards import button
from bot.views.payments import payment_lines
from bot.views.render import esc, pick
from desk import payments, requests, tracking
from models import Citizen, Conversation, Request, RequestStatus


def request_view(l10n: L10n, request: Request, events, paid=()) -> str:
    lang = l10n.lang
    stages = []
    for stage, at, state in requests.stage_dates(request, events):
        mark = {"done": "✅", "current": "⏳", "todo": "▫️"}[state]
        when = f" — {l10n.date(at, with_time=True)}" if at else ""
        stages.append(f"{mark} {esc(pick(stage.title, lang))}{when}")
    text = l10n(
        "track-view",
        code=l10n.code(request.tracking_code),
        service=pick(request.snapshot.title, lang),
        status=l10n.button(f"status-{request.status}"),
        submitted=l10n.date(request.submitted_at, with_time=True),
        promised=request.promised_date,
        stages=Safe("\n".join(stages)),
    )
    if request.answered_at:
        text += "\n" + l10n("track-answered", at=l10n.date(request.answered_at, with_time=True))
    if request.status == RequestStatus.ANSWERED and request.result_text:
        text += "\n\n" + l10n("track-result", result=request.result_text)
    if request.status == RequestStatus.REJECTED and request.reject_reason:
        text += "\n\n" + l10n("track-rejected", reason=request.reject_reason)
    if paid:
        text += "\n\n" + l10n("pay-heading") + "\n" + payment_lines(l10n, list(paid))
    messages = [e for e in events if e.kind in ("question", "staff_message", "citizen_message")][-5:]
    if messages:
        text += "\n\n" + l10n("track-messages") + "\n" + "\n".join(_message_line(l10n, e) for e in messages)
    if request.status in RequestStatus.OPEN and request.conversation != Conversation.NONE:
        text += "\n\n" + l10n("track-conversation-open")
    return text


def _message_line(l10n: L10n, e) -> str:
    """One message of the conversation: when, who wrote it (you or the staff), what (files noted)."""
    who = l10n.button("track-from-citizen" if e.kind == "citizen_message" else "track-from-staff")
    files = len((e.data or {}).get("documents") or [])
    body = esc((e.text or "")[:300])
    if files:
        body = (body + " " if body else "") + l10n("track-message-files", count=files)
    return l10n("track-message-line", at=l10n.date(e.at, with_time=True), who=who, text=Safe(body or "—"))


def request_keyboard(l10n: L10n, request: Request) -> InlineKeyboardMarkup:
    rows = [
        [button(l10n.button("track-refresh"), RequestCb(code=request.tracking_code))],
        [button(l10n.button("track-complain"), RequestCb(code=request.tracking_code, action="complain"))],
    ]
    if request.status in RequestStatus.CLOSED:
        rows.append([button(l10n.button("track-survey"), RequestCb(code=request.tracking_code, action="survey"))])
    else:
        rows.insert(1, [button(l10n.button("track-write"), ThreadCb(request=request.id, action="write"))])
    rows.append(
        [button(l10n.button("menu-mine"), MineCb(page=0)), button(l10n.button("nav-menu"), MenuCb(action="home"))]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_request_by_code(message: Message, l10n: L10n, citizen: Citizen, code: str, *, edit: bool = False):
    if not tracking.is_valid(code):
        await message.answer(l10n("track-typo"))
        return
    request = await requests.find_for_owner(citizen, code)
    if request is None:
        await message.answer(l10n("track-not-found"))
        return
    events = await requests.public_history(request)
    paid = await payments.of_request(request)
    text, kb = request_view(l10n, request, events, paid), request_keyboard(l10n, request)
    if edit:
        await message.edit_text(text, reply_markup=kb)
    else:
        await message.answer(text, reply_markup=kb)
