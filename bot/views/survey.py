"""The questionnaire on screen: one message showing the current step, edited in place, and the
outbox renderers of the invitation and the reminder."""

from __future__ import annotations

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import SurveyCb
from bot.l10n import L10n
from bot.views.keyboards import button
from bot.views.notifications import Outgoing, renderer
from bot.views.render import esc, pick
from desk import survey
from desk.outbox import OutboxKind
from models import Citizen, Request, SurveyResponse


def survey_view(
    l10n: L10n, response: SurveyResponse, request: Request, citizen: Citizen, scores: dict[int, int]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of the questionnaire at `response.step`."""
    form, lang = survey.load_form(), l10n.lang
    step = form.step(response.step)
    header = l10n(
        "survey-header",
        title=pick(form.title, lang),
        code=l10n.code(request.tracking_code),
        service=pick(request.snapshot.title, lang),
    )
    if step.kind == "done":
        return header + "\n\n" + l10n("survey-done"), None
    total = form.last_step + 1
    lines = [header, l10n("survey-progress", step=step.number + 1, total=total)]
    if step.number == 0:
        lines.append(f"<i>{esc(pick(form.intro, lang))}</i>")
    rows: list[list[InlineKeyboardButton]] = []
    rid = request.id
    if step.kind == "respondent":
        q = step.question
        assert q is not None
        given = (response.respondent or {}).get(q.key)
        known = given or (getattr(citizen, q.profile, None) if q.profile else None)
        lines.append(f"<b>{esc(pick(q.title, lang))}</b>")
        if known and not given:
            lines.append(l10n("survey-known"))
        options = [
            button(
                ("✅ " if o.value == known else "") + pick(o.label, lang),
                SurveyCb(request=rid, action="pick", value=o.value, step=step.number),
            )
            for o in q.options
        ]
        rows += [options[i : i + 2] for i in range(0, len(options), 2)]
        rows.append([button(l10n.button("survey-skip"), SurveyCb(request=rid, action="skip", step=step.number))])
    elif step.kind == "item":
        assert step.axis is not None and step.item is not None
        lines.append(l10n("survey-axis", axis=pick(step.axis.title, lang)))
        lines.append(
            l10n("survey-item", number=step.item.number, total=len(form.items), text=pick(step.item.text, lang))
        )
        lines.append(l10n("survey-scale", title=pick(form.scale_title, lang)))
        chosen = scores.get(step.item.number)
        rows.append(
            [
                button(
                    ("✅ " if level.score == chosen else "") + pick(level.label, lang),
                    SurveyCb(request=rid, action="pick", value=str(level.score), step=step.number),
                )
                for level in form.scale
            ]
        )
    else:  # the suggestion
        lines.append(f"<b>{esc(pick(form.suggestion, lang))}</b>")
        lines.append(l10n("survey-suggestion-how"))
        rows.append([button(l10n.button("survey-finish"), SurveyCb(request=rid, action="skip", step=step.number))])
    nav = [button(l10n.button("survey-back"), SurveyCb(request=rid, action="back"))] if step.number else []
    nav.append(button(l10n.button("survey-later"), SurveyCb(request=rid, action="later")))
    rows.append(nav)
    return "\n\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def invitation(l10n: L10n, request: Request, key: str) -> tuple[str, InlineKeyboardMarkup]:
    text = l10n(key, code=l10n.code(request.tracking_code), service=pick(request.snapshot.title, l10n.lang))
    kb = InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n.button("survey-start"), SurveyCb(request=request.id, action="start"))],
            [button(l10n.button("survey-later"), SurveyCb(request=request.id, action="later"))],
        ]
    )
    return text, kb


@renderer(OutboxKind.SURVEY_INVITE)
@renderer(OutboxKind.SURVEY_REMIND)
async def render_invite(out: Outgoing):
    """The invitation when a request is closed, and the one reminder (same buttons)."""
    response = await SurveyResponse.get_or_none(request_id=out.data["request"]).select_related("request")
    if response is None or response.completed_at is not None:
        return  # answered meanwhile: nothing to ask
    text, kb = invitation(out.l10n, response.request, out.row.method)
    sent = yield SendMessage(chat_id=out.chat_id, text=text, reply_markup=kb)
    await survey.remember_message(response, sent.message_id)
