"""/export: an XLSX of the requests accepted in a period, with their answers, stages and survey.
Every cell is written by bot/reports/cells.py (text stays text, never a formula).
Requests are read in chunks into a write-only workbook, so a large period does not sit in memory."""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.l10n import L10n
from bot.reports import cells
from bot.views.render import answer_text, pick, plain
from desk import payments, reports
from desk.calendar import jalali
from desk.catalog import Catalog
from desk.survey import load_form
from models import PaymentStatus, Request, RequestEvent, SurveyAnswer, SurveyResponse
from models.card import FieldSnapshot

CHUNK = 1000
MAP = "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"


def _answer(l10n: L10n, field: FieldSnapshot | None, value) -> str:
    """An answer as a person reads it: option labels, yes/no, Jalali dates, the language's digits,
    a location as coordinates with a map link (the same wording as the staff card, as plain text)."""
    if field is None:
        return "" if value is None else str(value)
    if field.type == "location" and isinstance(value, dict):
        return f"{plain(answer_text(l10n, field, value))} — {MAP.format(lat=value['lat'], lon=value['lon'])}"
    return plain(answer_text(l10n, field, value, {}))


def _answers(request: Request, l10n: L10n) -> str:
    fields = {f.name: f for f in request.snapshot.form}
    parts = []
    for a in request.answers or []:
        value = a.get("value")
        if value in (None, "", []):
            continue
        field = fields.get(a["name"])
        label = pick(field.label, l10n.lang) if field else a["name"]
        parts.append(f"{label}: {_answer(l10n, field, value)}")
    return "\n".join(parts)


def _stages(request: Request, events: list[RequestEvent], l10n: L10n, digits: str) -> str:
    titles = {s.code: pick(s.title, l10n.lang) for s in request.snapshot.stages}
    return "\n".join(
        f"{jalali(e.at, digits=digits, with_time=True)} "
        + (l10n.button(f"export-event-{e.kind}") if l10n.has(f"export-event-{e.kind}") else e.kind)
        + (f" — {titles.get(e.stage_code, e.stage_code)}" if e.stage_code else "")
        for e in events
    )


def _title(table: dict, code: str, lang: str) -> str:
    found = table.get(code)
    return found.title.get(lang) if found is not None else code


async def build(q: reports.Query, l10n: L10n, catalog: Catalog, *, tz: str = reports.DEFAULT_TZ) -> bytes:
    t, lang = l10n.button, l10n.lang
    digits = "fa" if lang == "fa" else "en"
    start, end = reports.bounds(q, tz)
    form = load_form()
    items = [item.number for item, _ in form.items]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("export-sheet")[:31])
    ws.sheet_view.rightToLeft = lang == "fa"
    headers = (
        [
            t(f"export-{key}")
            for key in (
                "code",
                "service",
                "agency",
                "unit",
                "place",
                "status",
                "submitted",
                "promised",
                "answered",
                "days",
                "answers",
                "stages",
                "survey-completed",
            )
        ]
        + [f"{t('export-item')} {n}" for n in items]
        + [t("export-suggestion"), t("export-paid"), t("export-refunded"), t("export-charges")]
    )
    cells.append(ws, headers, font=Font(bold=True))
    query = Request.filter(submitted_at__gte=start, submitted_at__lt=end, **q.scope).order_by("submitted_at", "id")
    offset = 0
    while chunk := await query.offset(offset).limit(CHUNK):
        offset += len(chunk)
        ids = [r.id for r in chunk]
        events: dict[int, list] = defaultdict(list)
        for e in await RequestEvent.filter(request_id__in=ids, public=True).order_by("id"):
            events[e.request_id].append(e)
        surveys = {s.request_id: s for s in await SurveyResponse.filter(request_id__in=ids)}
        paid = await payments.by_request(ids)
        scores: dict[int, dict[int, int]] = defaultdict(dict)
        for response_id, item, score in await SurveyAnswer.filter(
            response_id__in=[s.id for s in surveys.values()]
        ).values_list("response_id", "item", "score"):
            scores[response_id][item] = score
        for r in chunk:
            s = surveys.get(r.id)
            days = round((r.answered_at - r.submitted_at).total_seconds() / 86400, 1) if r.answered_at else None
            cells.append(
                ws,
                [
                    r.tracking_code,
                    pick(r.snapshot.title, lang),
                    _title(catalog.agencies, r.agency_code, lang),
                    _title(catalog.units, r.unit_code, lang),
                    t(f"export-place-{r.unit_place}"),
                    t(f"export-status-{r.status}"),
                    jalali(r.submitted_at, digits=digits, with_time=True),
                    jalali(r.promised_date, digits=digits),
                    jalali(r.answered_at, digits=digits, with_time=True) if r.answered_at else None,
                    days,
                    _answers(r, l10n),
                    _stages(r, events[r.id], l10n, digits),
                    jalali(s.completed_at, digits=digits, with_time=True) if s and s.completed_at else None,
                    *((scores[s.id].get(n) if s else None) for n in items),
                    s.suggestion if s else None,
                    sum(p.amount for p in paid.get(r.id, [])) or None,
                    sum(p.amount for p in paid.get(r.id, []) if p.status == PaymentStatus.REFUNDED) or None,
                    "\n".join(p.telegram_charge_id for p in paid.get(r.id, [])) or None,
                ],
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
