"""/export: an XLSX of the requests accepted in a period, with their answers, stages and survey.
Every cell is written by bot/reports/cells.py (text stays text, never a formula).
Requests are read in chunks into a write-only workbook, so a large period does not sit in memory."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.reports import cells
from desk import reports
from desk.calendar import jalali
from desk.survey import load_form
from models import Request, RequestEvent, SurveyAnswer, SurveyResponse

CHUNK = 1000


def _text(value, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fa") or ""
    return "" if value is None else str(value)


def _answers(request: Request, lang: str) -> str:
    labels = {f["name"]: _text(f.get("label"), lang) for f in request.card.get("form", [])}
    parts = []
    for a in request.answers or []:
        value = a.get("value")
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{labels.get(a['name'], a['name'])}: {value}")
    return "\n".join(parts)


def _stages(request: Request, events: list[RequestEvent], lang: str) -> str:
    titles = {s["code"]: _text(s.get("title"), lang) for s in request.card.get("stages", [])}
    return "\n".join(
        f"{jalali(e.at, digits='en', with_time=True)} {e.kind}"
        + (f" — {titles.get(e.stage_code, e.stage_code)}" if e.stage_code else "")
        for e in events
    )


async def build(q: reports.Query, t: Callable[[str], str], lang: str, *, tz: str = reports.DEFAULT_TZ) -> bytes:
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
        + [t("export-suggestion")]
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
                    _text(r.card.get("title"), lang),
                    r.agency_code,
                    r.unit_code,
                    t(f"export-place-{r.unit_place}"),
                    t(f"export-status-{r.status}"),
                    jalali(r.submitted_at, digits="en", with_time=True),
                    jalali(r.promised_date, digits="en"),
                    jalali(r.answered_at, digits="en", with_time=True) if r.answered_at else None,
                    days,
                    _answers(r, lang),
                    _stages(r, events[r.id], lang),
                    jalali(s.completed_at, digits="en", with_time=True) if s and s.completed_at else None,
                    *((scores[s.id].get(n) if s else None) for n in items),
                    s.suggestion if s else None,
                ],
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
