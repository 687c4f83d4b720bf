"""The form's screens: a field's question and its buttons, the review before submitting, the receipt."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup, Message

from bot.callbacks import FormCb, MenuCb, RequestCb
from bot.l10n import L10n, Safe
from bot.views import keyboards
from bot.views.keyboards import button
from bot.views.payments import payment_lines
from bot.views.render import answer_text, pick, split_text
from desk import forms, payments, reachability
from desk.catalog import (
    ChoiceField,
    DateField,
    FileField,
    LocationField,
    LongTextField,
    MobileField,
    MultiChoiceField,
    NationalIdField,
    NumberField,
    PostalCodeField,
    TextField,
    YesNoField,
    snapshot,
)
from models import Document, GroupHealth, Request

REPLY_KEYBOARD_FIELDS = (LocationField, MobileField)  # fields that offer a share button under the chat
TEXT_FIELDS = (TextField, LongTextField, NumberField, DateField, NationalIdField, MobileField, PostalCodeField)


def field_keyboard(l10n: L10n, card, draft: dict, field) -> InlineKeyboardMarkup:
    rows = []
    chosen = draft["answers"].get(field.name) or []
    match field:
        case ChoiceField():
            rows += [[button(pick(o.label, l10n.lang), FormCb(action="pick", value=o.value))] for o in field.options]
        case MultiChoiceField():
            rows += [
                [
                    button(
                        ("✅ " if o.value in chosen else "▫️ ") + pick(o.label, l10n.lang),
                        FormCb(action="toggle", value=o.value),
                    )
                ]
                for o in field.options
            ]
            rows.append([button(l10n.button("form-done"), FormCb(action="done"))])
        case YesNoField():
            rows.append(
                [
                    button(l10n.button("answer-yes"), FormCb(action="yes")),
                    button(l10n.button("answer-no"), FormCb(action="no")),
                ]
            )
        case FileField() if chosen:
            rows.append([button(l10n.button("form-done"), FormCb(action="done"))])
    first = draft["pos"] == forms.first_position(card, draft)
    rows += keyboards.form_nav(l10n, optional=not field.required, first=first and not draft["review"])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def question(l10n: L10n, card, draft: dict, field) -> str:
    """The current field's question, with its help and what kind of answer it takes."""
    return l10n(
        "form-question",
        step=draft["pos"] + 1,
        total=len(card.form),
        label=pick(field.label, l10n.lang),
        help=pick(field.help, l10n.lang),
        hint=l10n.button(
            f"hint-{field.type}",
            limit=field.max_length,
            size=field.max_size_mb,
            count=field.max_files,
            kinds=", ".join(field.accept or ()),
        ),
        optional=str(not field.required).lower(),
    )


async def file_names(draft: dict, card) -> dict[int, str]:
    ids = forms.document_ids(draft, card)
    return dict(await Document.filter(id__in=ids).values_list("id", "file_name")) if ids else {}


def pays_before_submit(bot, card) -> int:
    """The fee paid in the chat before the form is submitted (rials), when this bot takes payments."""
    if not getattr(bot, "payment_token", ""):
        return 0
    return payments.amount_at(snapshot(card), payments.SUBMIT)


async def send_review(message: Message, l10n: L10n, card, draft: dict) -> None:
    names = await file_names(draft, card)
    lines = [
        l10n(
            "review-line",
            label=pick(f.label, l10n.lang),
            value=answer_text_safe(l10n, f, draft["answers"].get(f.name), names),
        )
        for f in card.form
    ]
    missing = forms.missing_required(card, draft)
    rows = [
        [button(l10n.button("review-edit", label=pick(f.label, l10n.lang)), FormCb(action="edit", value=f.name))]
        for f in card.form
    ]
    fee = 0 if draft.get("walkin") else pays_before_submit(message.bot, card)
    if not missing and fee:
        rows.append(
            [button(l10n.button("review-pay", amount=l10n.num(fee)), FormCb(action="pay", value=draft["token"]))]
        )
    elif not missing:
        rows.append([button(l10n.button("review-submit"), FormCb(action="submit", value=draft["token"]))])
    rows.append(
        [
            button(l10n.button("form-back"), FormCb(action="back")),
            button(l10n.button("form-cancel"), FormCb(action="cancel")),
        ]
    )
    text = l10n("review", service=pick(card.title, l10n.lang), lines=Safe("\n".join(lines)))
    if fee:
        text += "\n\n" + l10n("review-fee", amount=l10n.num(fee))
    if missing:
        text += "\n\n" + l10n("review-missing", fields=l10n.join(pick(f.label, l10n.lang) for f in missing))
    *first, last = split_text(text)  # long answers may take the review past one message
    for part in first:
        await message.answer(part)
    await message.answer(last, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


def answer_text_safe(l10n: L10n, field, value, names) -> str:
    return Safe(answer_text(l10n, field, value, names))


async def send_receipt(message: Message, l10n: L10n, request: Request, *, again: bool = False) -> None:
    """The electronic receipt (capability 3) with the tracking code (capability 4)."""
    text = l10n(
        "receipt",
        code=l10n.code(request.tracking_code),
        service=pick(request.snapshot.title, l10n.lang),
        submitted=l10n.date(request.submitted_at, with_time=True),
        promised=request.promised_date,
        raw_code=request.tracking_code,
        # whether a working group of the unit gets its card now (else the card waits for one)
        reached=await reachability.health_of(request.unit_code) in (GroupHealth.OK, GroupHealth.LIMITED),
    )
    if paid := await payments.of_request(request):
        text += "\n\n" + l10n("pay-heading") + "\n" + payment_lines(l10n, paid)
    if again:
        text = l10n("receipt-again") + "\n\n" + text
    kb = InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n.button("receipt-view"), RequestCb(code=request.tracking_code))],
            [button(l10n.button("nav-menu"), MenuCb(action="home"))],
        ]
    )
    await message.answer(text, reply_markup=kb)


def expected(l10n: L10n, field) -> str:
    """What the current question expects, for a message of another kind (a sticker, a voice note, a
    file where text is asked, text where a file is)."""
    if field is None:
        return l10n("error-use-buttons")
    if isinstance(field, FileField | LocationField):
        return l10n(f"error-send-{field.type}")
    if isinstance(field, TEXT_FIELDS):
        return l10n("error-send-text")
    return l10n("error-use-buttons")
