"""The request card in a unit's group, and the outbox renderers of the staff workflow: cards,
card edits, a request's documents to the staff member who asks for them, citizens' messages
threaded under the card, promised-date announcements, and the notifications a citizen gets about
their request (always with its tracking code).

A card is one message: its documents are not posted in the group (a group takes about 20 messages
a minute, and a message per document made a busy unit wait minutes for its cards) but sent, on a
press of the card's Documents button, to the private chat of the staff member who pressed it."""

from __future__ import annotations

from datetime import date

from aiogram.methods import CopyMessage, CreateForumTopic, EditMessageText, SendDocument, SendMediaGroup, SendMessage
from aiogram.types import (
    FSInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    MediaUnion,
    ReplyParameters,
)

from bot.callbacks import ReplyCb, RequestCb, StaffCb, ThreadCb
from bot.l10n import L10n
from bot.views.conversation import close_keyboard
from bot.views.keyboards import button
from bot.views.notifications import Outgoing, renderer
from bot.views.payments import payment_lines
from bot.views.render import answer_text, esc, iso, pick
from desk import payments
from desk.outbox import OutboxKind
from desk.staff import StaffAction
from models import Conversation, Document, PaymentStatus, Request, RequestEvent, RequestStatus, UnitGroup
from models.card import FieldSnapshot

MASKED_TYPES = ("national_id", "mobile")  # answers shown masked unless the card asks for them in full
MAX_CARD = 4000
MAX_CAPTION = 800
MAX_ANSWER = 300
HISTORY = 6


def mask(value: str | None) -> str:
    """A national ID or mobile number shown only in part: 001••••679."""
    if not value:
        return "—"
    keep = 3 if len(value) > 7 else 1
    return value[:keep] + "•" * (len(value) - 2 * keep) + value[-keep:]


def stage_title(request: Request, code: str | None, lang: str) -> str:
    stage = request.snapshot.stage(code)
    return pick(stage.title, lang) if stage else code or "—"


def unit_title(catalog, code: str, lang: str) -> str:
    unit = catalog.units.get(code) if catalog else None
    return pick(unit.title, lang) if unit else code


def _event_line(l10n: L10n, request: Request, e: RequestEvent, catalog) -> str:
    what = l10n.button(f"staff-event-{e.kind}") if l10n.has(f"staff-event-{e.kind}") else e.kind
    if e.kind == "stage":
        what += f": {stage_title(request, e.stage_code, l10n.lang)}"
    elif e.kind == "transferred":
        what += f": {unit_title(catalog, (e.data or {}).get('to', ''), l10n.lang)}"
    elif e.kind == "inquiry":
        what += f" ({(e.data or {}).get('to', '')})"
    line = f"• {l10n.date(e.at, with_time=True)} — {iso(e.actor_name or '')}: {esc(what)}"
    if e.text:
        line += f" — <i>{iso(e.text[:200])}</i>"
    return line


async def card_text(l10n: L10n, request: Request, catalog, today: date, *, moved: bool = False) -> str:
    citizen = await request.citizen
    lang = l10n.lang
    card = request.snapshot
    shown_id = (lambda v: v or "—") if card.show_ids_in_full else mask
    answers = []
    doc_ids = [i for a in request.answers if a.get("type") in ("document", "photo") for i in (a.get("value") or [])]
    names = dict(await Document.filter(id__in=doc_ids).values_list("id", "file_name")) if doc_ids else {}
    for a in request.answers:
        field = card.field(a["name"]) or FieldSnapshot(name=a["name"], type=a.get("type") or "text", label=a["name"])
        if a.get("value") in (None, "", []):
            continue
        if field.type in MASKED_TYPES:
            a = {**a, "value": shown_id(str(a["value"]))}
        value = answer_text(l10n, field, a["value"], names)
        if len(value) > MAX_ANSWER:
            value = iso(str(a["value"])[:MAX_ANSWER] + "…")
        answers.append(f"• {esc(pick(field.label, lang))}: {value}")
    events = list(await RequestEvent.filter(request=request).order_by("-id").limit(HISTORY))[::-1]
    overdue = request.status in RequestStatus.OPEN and request.promised_date < today
    text = l10n(
        "staff-card",
        code=l10n.code(request.tracking_code),
        service=pick(request.snapshot.title, lang),
        status=l10n.button(f"staff-status-{request.status}"),  # staff's wording: whose turn it is
        stage=stage_title(request, request.stage_code, lang),
        assignee=request.assignee_name or l10n.button("staff-nobody"),
        submitted=l10n.date(request.submitted_at, with_time=True),
        promised=request.promised_date,
        overdue=overdue,
        citizen=citizen.full_name or citizen.first_name,
        national_id=l10n.digits(shown_id(citizen.national_id)),
        mobile=l10n.digits(shown_id(citizen.mobile)),
    )
    tail = []
    if request.status in RequestStatus.OPEN and request.conversation != Conversation.NONE:
        tail.append(l10n(f"staff-card-thread-{request.conversation}"))
    if paid := await payments.of_request(request):
        tail.append(l10n("staff-card-payments") + "\n" + payment_lines(l10n, paid))
    if request.result_text:
        tail.append(l10n("staff-card-result", text=request.result_text[:500]))
    if request.reject_reason:
        tail.append(l10n("staff-card-rejected", reason=request.reject_reason[:500]))
    if events:
        tail.append(
            l10n("staff-card-history") + "\n" + "\n".join(_event_line(l10n, request, e, catalog) for e in events)
        )
    if moved:
        tail.append(l10n("staff-card-moved", unit=unit_title(catalog, request.unit_code, lang)))
    # the answers get what room is left, in whole lines (a cut line could leave a tag open)
    room = MAX_CARD - len(text) - sum(len(t) + 2 for t in tail) - 50
    shown = []
    for line in answers:
        room -= len(line) + 1
        if room < 0:
            shown.append("…")
            break
        shown.append(line)
    if shown:
        tail.insert(0, l10n("staff-card-answers") + "\n" + "\n".join(shown))
    return "\n\n".join([text, *tail])


def card_keyboard(l10n: L10n, request: Request, documents: int = 0, refundable: bool = False) -> InlineKeyboardMarkup:
    def b(key: str, action: StaffAction, arg: str = "", **args) -> InlineKeyboardButton:
        return button(l10n.button(key, **args), StaffCb(action=action, request=request.id, arg=arg))

    rows = []
    if documents:  # sent to the staff member who asks: a card costs its group one message
        rows.append([b("staff-btn-docs", StaffAction.DOCS, count=documents)])
    if request.status in RequestStatus.OPEN:
        if request.assignee_user_id is None:
            rows.append([b("staff-btn-take", StaffAction.TAKE)])
        if nxt := request.snapshot.next_stage(request.stage_code):
            rows.append([b("staff-btn-stage", StaffAction.STAGE, nxt.code, stage=pick(nxt.title, l10n.lang))])
        rows.append(
            [
                b("staff-btn-ask", StaffAction.ASK),
                b("staff-btn-inquiry-done", StaffAction.INQUIRY_DONE)
                if request.status == RequestStatus.WAITING_INQUIRY
                else b("staff-btn-inquiry", StaffAction.INQUIRY),
            ]
        )
        rows.append([b("staff-btn-deliver", StaffAction.DELIVER), b("staff-btn-reject", StaffAction.REJECT)])
        rows.append([b("staff-btn-note", StaffAction.NOTE), b("staff-btn-transfer", StaffAction.TRANSFER)])
        if request.conversation != Conversation.NONE:
            rows.append([button(l10n.button("thread-close"), ThreadCb(request=request.id, action="close"))])
    else:
        rows.append([b("staff-btn-note", StaffAction.NOTE)])
    if refundable:
        rows.append([b("staff-btn-refund", StaffAction.REFUND)])
    rows.append([b("staff-btn-refresh", StaffAction.REFRESH)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def transfer_keyboard(l10n: L10n, request: Request, units: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    rows = [[button(title, StaffCb(action=StaffAction.TO, request=request.id, arg=code))] for code, title in units]
    rows.append([button(l10n.button("staff-btn-back"), StaffCb(action=StaffAction.REFRESH, request=request.id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


# what a staff member is asked for each input an action takes (desk/staff.ACTIONS)
PROMPTS: dict[StaffAction, tuple[str, ...]] = {
    StaffAction.ASK: ("staff-ask-question",),
    StaffAction.INQUIRY: ("staff-ask-inquiry-to", "staff-ask-inquiry-what"),
    StaffAction.INQUIRY_DONE: ("staff-ask-inquiry-answer",),
    StaffAction.REJECT: ("staff-ask-reason",),
    StaffAction.NOTE: ("staff-ask-note",),
    StaffAction.DELIVER: ("staff-ask-result",),
}


def input_keyboard(l10n: L10n, request: Request, action: StaffAction) -> InlineKeyboardMarkup:
    """Under the question for an input: "send" (for the result, collected until pressed) and "cancel"."""
    rows = []
    if action == StaffAction.DELIVER:
        rows.append([button(l10n.button("staff-btn-send"), StaffCb(action=StaffAction.SEND, request=request.id))])
    rows.append([button(l10n.button("staff-btn-cancel"), StaffCb(action=StaffAction.CANCEL, request=request.id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def repost_keyboard(l10n: L10n, requests: list[Request]) -> InlineKeyboardMarkup | None:
    """Under /overdue: a button per listed request that posts its card again."""
    rows = [
        [
            button(
                l10n.button("staff-btn-repost", code=l10n.code(r.tracking_code)),
                StaffCb(action=StaffAction.REPOST, request=r.id),
            )
        ]
        for r in requests[:20]
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def is_current_card(request: Request, platform: str, chat_id: int, message_id: int | None) -> bool:
    return (request.card_platform, request.card_chat_id) == (platform, chat_id) and (
        message_id is None or request.card_message_id == message_id
    )


async def card_view(
    l10n: L10n, request: Request, catalog, today: date, *, platform: str, chat_id: int, message_id: int | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card as it should look in this chat: live with its buttons, or, for a card the
    request has left (transferred, bound elsewhere), its final state without buttons.
    `message_id` None: the card about to be sent, live by definition."""
    current = message_id is None or is_current_card(request, platform, chat_id, message_id)
    text = await card_text(l10n, request, catalog, today, moved=not current)
    if not current:
        return text, None
    documents = await Document.filter(request=request, role="form").count()
    refundable = any(p.status == PaymentStatus.PAID for p in await payments.of_request(request))
    return text, card_keyboard(l10n, request, documents, refundable)


def refund_keyboard(l10n: L10n, request: Request) -> InlineKeyboardMarkup:
    """Recording a refund is confirmed first."""
    rows = [
        [
            button(
                l10n.button("staff-refund-confirm"), StaffCb(action=StaffAction.REFUND, request=request.id, arg="yes")
            )
        ],
        [button(l10n.button("staff-btn-back"), StaffCb(action=StaffAction.REFRESH, request=request.id))],
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def reply_to(message_id: int | None) -> ReplyParameters | None:
    return ReplyParameters(message_id=message_id, allow_sending_without_reply=True) if message_id else None


def file_input(doc: Document, platform: str, store):
    """The stored Telegram/Bale file id on its own messenger, else the file from the document store."""
    if doc.platform == platform and doc.tg_file_id:
        return doc.tg_file_id
    return FSInputFile(store.path_of(doc.path), filename=doc.file_name)


def send_files(
    chat_id: int,
    docs: list[Document],
    platform: str,
    store,
    *,
    caption: str | None = None,
    reply: int | None = None,
    thread: int | None = None,
):
    """The calls sending files: one document, or albums of up to ten."""
    if len(docs) == 1:
        yield SendDocument(
            chat_id=chat_id,
            document=file_input(docs[0], platform, store),
            caption=caption,
            reply_parameters=reply_to(reply),
            message_thread_id=thread,
        )
        return
    for start in range(0, len(docs), 10):
        chunk = docs[start : start + 10]
        media: list[MediaUnion] = [
            InputMediaDocument(media=file_input(d, platform, store), caption=caption if start == 0 and i == 0 else None)
            for i, d in enumerate(chunk)
        ]
        if len(media) == 1:
            yield SendDocument(
                chat_id=chat_id, document=media[0].media, reply_parameters=reply_to(reply), message_thread_id=thread
            )
        else:
            yield SendMediaGroup(
                chat_id=chat_id, media=media, reply_parameters=reply_to(reply), message_thread_id=thread
            )


# -- group renderers ------------------------------------------------------------------------------
@renderer(OutboxKind.STAFF_CARD)
async def render_card(out: Outgoing):
    request = await Request.get_or_none(id=out.data["request"])
    group = await UnitGroup.get_or_none(unit_code=request.unit_code) if request else None
    if request is None or group is None or (group.platform, group.chat_id) != (out.platform, out.chat_id):
        return  # the unit was unbound or moved meanwhile: /bind sends the cards again
    l10n = out.l10n
    # a re-post replaces the card it names, once: a retry after the new card went out only edits the old one
    old_card = out.data.get("again")
    again = old_card is not None and is_current_card(request, out.platform, out.chat_id, old_card)
    if again or not is_current_card(request, out.platform, out.chat_id, None) or request.card_message_id is None:
        thread = request.card_thread_id if again else None
        if group.forum and thread is None:
            topic = yield CreateForumTopic(chat_id=out.chat_id, name=_topic_name(l10n, request))
            thread = topic.message_thread_id
        text, kb = await card_view(
            l10n, request, out.ctx.catalog, out.ctx.today(), platform=out.platform, chat_id=out.chat_id, message_id=None
        )
        sent = yield SendMessage(chat_id=out.chat_id, text=text, reply_markup=kb, message_thread_id=thread)
        await Request.filter(id=request.id).update(
            card_platform=out.platform, card_chat_id=out.chat_id, card_message_id=sent.message_id, card_thread_id=thread
        )
        request = await Request.get(id=request.id)
    if old_card is not None and old_card != request.card_message_id:  # the old card points to the new one
        yield EditMessageText(
            chat_id=out.chat_id,
            message_id=old_card,
            text=l10n("staff-card-reposted-below", code=l10n.code(request.tracking_code)),
            reply_markup=None,
        )


@renderer(OutboxKind.STAFF_DOCUMENTS)
async def render_documents(out: Outgoing):
    """A request's documents, to the staff member who pressed the card's Documents button."""
    request = await Request.get_or_none(id=out.data["request"])
    docs = await Document.filter(request=request, role="form").order_by("id") if request else []
    if docs and request is not None:
        caption = out.l10n("staff-card-files", code=out.l10n.code(request.tracking_code))
        for call in send_files(out.chat_id, docs, out.platform, out.ctx.store, caption=caption):
            yield call


def _topic_name(l10n: L10n, request: Request) -> str:
    return f"{l10n.code(request.tracking_code)} — {pick(request.snapshot.title, l10n.lang)}"[:128]


@renderer(OutboxKind.STAFF_CARD_EDIT)
async def render_card_edit(out: Outgoing):
    request = await Request.get_or_none(id=out.data["request"])
    if request is None:
        return
    text, kb = await card_view(
        out.l10n,
        request,
        out.ctx.catalog,
        out.ctx.today(),
        platform=out.platform,
        chat_id=out.chat_id,
        message_id=out.data["message_id"],
    )
    yield EditMessageText(chat_id=out.chat_id, message_id=out.data["message_id"], text=text, reply_markup=kb)


async def _request_and_event(out: Outgoing) -> tuple[Request | None, RequestEvent | None]:
    """The request and the history event an intent is about (either may be gone)."""
    return (await Request.get_or_none(id=out.data["request"]), await RequestEvent.get_or_none(id=out.data["event"]))


@renderer(OutboxKind.CITIZEN_MESSAGE)
async def render_citizen_message(out: Outgoing):
    """A citizen's message, threaded under the card (in its topic in a forum group)."""
    request, event = await _request_and_event(out)
    if request is None or event is None:
        return
    l10n = out.l10n
    here = is_current_card(request, out.platform, out.chat_id, None)
    reply, thread = (request.card_message_id, request.card_thread_id) if here else (None, None)
    header = l10n("staff-citizen-says", name=event.actor_name or "", code=l10n.code(request.tracking_code))
    talking = request.status in RequestStatus.OPEN and request.conversation != Conversation.NONE
    keyboard = close_keyboard(l10n, request.id) if talking else None  # staff end the conversation here
    yield from_source_or_text(out, header, event, reply=reply, thread=thread, keyboard=keyboard)
    for call in await _reuploads(out, event, header, reply, thread):
        yield call
    if more := out.data.get("more"):  # the texts that came too fast for one message each: batched
        lines = [esc((e.text or "")[: MAX_CARD - 200]) for e in await RequestEvent.filter(id__in=more).order_by("id")]
        batch: list[str] = []
        for line in lines:
            if batch and len(header) + sum(len(x) + 2 for x in batch) + len(line) > MAX_CARD:
                yield SendMessage(
                    chat_id=out.chat_id,
                    text=header + "\n\n" + "\n\n".join(batch),
                    reply_parameters=reply_to(reply),
                    message_thread_id=thread,
                    reply_markup=keyboard,
                )
                batch = []
            batch.append(line)
        if batch:
            yield SendMessage(
                chat_id=out.chat_id,
                text=header + "\n\n" + "\n\n".join(batch),
                reply_parameters=reply_to(reply),
                message_thread_id=thread,
                reply_markup=keyboard,
            )


@renderer(OutboxKind.STAFF_DUE)
async def render_due(out: Outgoing):
    request = await Request.get_or_none(id=out.data["request"])
    if request is None or request.status not in RequestStatus.OPEN:
        return
    l10n = out.l10n
    here = is_current_card(request, out.platform, out.chat_id, None)
    text = l10n(
        f"staff-due-{out.data['which']}",
        code=l10n.code(request.tracking_code),
        service=pick(request.snapshot.title, l10n.lang),
        promised=request.promised_date,
        assignee=request.assignee_name or l10n.button("staff-nobody"),
    )
    yield SendMessage(
        chat_id=out.chat_id,
        text=text,
        reply_parameters=reply_to(request.card_message_id if here else None),
        message_thread_id=request.card_thread_id if here else None,
    )


# -- the citizen's notifications ---------------------------------------------------------------------
def citizen_keyboard(l10n: L10n, request: Request, *, reply: bool) -> InlineKeyboardMarkup:
    rows = []
    if reply:
        rows.append([button(l10n.button("notify-btn-reply"), ReplyCb(request=request.id))])
    rows.append([button(l10n.button("receipt-view"), RequestCb(code=request.tracking_code))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


@renderer(OutboxKind.NOTIFY)
async def render_notify(out: Outgoing):
    request, event = await _request_and_event(out)
    if request is None or event is None:
        return
    l10n = out.l10n
    args = {"code": l10n.code(request.tracking_code), "service": pick(request.snapshot.title, l10n.lang)}
    kind = event.kind
    if kind == "stage":
        args["stage"] = stage_title(request, event.stage_code, l10n.lang)
    elif kind == "inquiry":
        args.update(to=(event.data or {}).get("to") or "", what=event.text or "")
    elif kind == "transferred":
        args["unit"] = unit_title(out.ctx.catalog, (event.data or {}).get("to", ""), l10n.lang)
    elif kind in ("question", "rejected", "result", "inquiry_answered"):
        args["text"] = event.text or ""
    if kind == "staff_message":
        header = l10n("notify-staff_message", **args)
        kb = citizen_keyboard(l10n, request, reply=True)
        yield from_source_or_text(out, header, event, keyboard=kb)
        for call in await _reuploads(out, event, header, None, None):
            yield call
        return
    key = f"notify-{kind}-empty" if kind == "result" and not event.text else f"notify-{kind}"
    waiting = request.status == RequestStatus.WAITING_CITIZEN and kind == "question"
    yield SendMessage(
        chat_id=out.chat_id, text=l10n(key, **args), reply_markup=citizen_keyboard(l10n, request, reply=waiting)
    )
    if kind == "result":
        docs = await Document.filter(id__in=(event.data or {}).get("documents") or []).order_by("id")
        if docs:
            caption = l10n("notify-result-files", code=args["code"])
            for call in send_files(out.chat_id, docs, out.platform, out.ctx.store, caption=caption):
                yield call


def from_source_or_text(
    out: Outgoing,
    header: str,
    event: RequestEvent,
    *,
    reply: int | None = None,
    thread: int | None = None,
    keyboard=None,
):
    """A person's message passed on: copied when it has media and both chats are on one messenger
    (caption replaced by the header and their words), else re-sent as text."""
    source = out.data.get("source") or {}
    copy = source.get("media") and source.get("platform") == out.platform
    words = (event.text or "")[: MAX_CAPTION if copy else MAX_CARD - 200]  # cut before escaping: tags stay whole
    body = header + ("\n\n" + esc(words) if words else "")
    if copy:
        return CopyMessage(
            chat_id=out.chat_id,
            from_chat_id=source["chat_id"],
            message_id=source["message_id"],
            caption=body,
            reply_parameters=reply_to(reply),
            message_thread_id=thread,
            reply_markup=keyboard,
        )
    return SendMessage(
        chat_id=out.chat_id,
        text=body,
        reply_parameters=reply_to(reply),
        message_thread_id=thread,
        reply_markup=keyboard,
    )


async def _reuploads(out: Outgoing, event: RequestEvent, header: str, reply, thread) -> list:
    """Files of a message from another messenger (a copy cannot cross messengers): re-uploaded."""
    source = out.data.get("source") or {}
    ids = (event.data or {}).get("documents") or []
    if not ids or source.get("platform") == out.platform:
        return []
    docs = await Document.filter(id__in=ids).order_by("id")
    return list(send_files(out.chat_id, docs, out.platform, out.ctx.store, caption=header, reply=reply, thread=thread))
