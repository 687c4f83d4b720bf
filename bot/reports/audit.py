"""The audit workbook (seed 002, appendix 2 §1, §3, §5, §6 and appendix 3 table 2), filled from the
catalogue and the live survey figures; right-to-left sheets ready for an evaluator.

Headers come through `t(key)` (the admin's locale: the Persian wording of the seed lives in
locales/fa/admin.ftl), so no user-visible text is written here."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.reports import cells
from desk import reports
from desk.audit import ANNOUNCED, EDESK, PLACES, PUBLISHED, audited, place_counts, ratios
from desk.catalog import Catalog
from desk.survey import load_form

T = Callable[[str], str]


def _sheet(wb: Workbook, title: str, caption: str, headers: list[str]):
    ws = wb.create_sheet(title[:31])
    ws.sheet_view.rightToLeft = True
    cells.append(ws, [caption])
    ws["A1"].font = Font(bold=True, size=12)
    cells.append(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(45, len(header) * 0.9))
    ws.freeze_panes = "A3"
    return ws


def _mark(flag: bool) -> str:
    return "✓" if flag else ""


def _pct(x: float | None) -> float | str:
    return round(x * 100, 1) if x is not None else "—"


async def build(catalog: Catalog, q: reports.Query, t: T, lang: str, *, service_link: Callable[[str], str]) -> bytes:
    cards = audited(catalog)
    title = lambda text: text.get(lang)
    agency = lambda card: title(catalog.agencies[card.agency].title)
    wb = Workbook()
    wb.remove(wb.active)

    # §1 place of delivery
    ws = _sheet(
        wb,
        t("audit-s1-sheet"),
        t("audit-s1-title"),
        [
            t("audit-agency"),
            t("audit-service-title"),
            t("audit-service-code"),
            t("audit-service-type"),
            t("audit-place-in-person"),
            t("audit-place-edesk"),
            t("audit-place-both"),
            t("audit-place-outside"),
            t("audit-not-edesk-reason"),
        ],
    )
    for card in cards:
        cells.append(
            ws,
            [
                agency(card),
                title(card.title),
                card.registry_id or card.code,
                card.type,
                *[_mark(card.delivery == p) for p in PLACES],
                title(card.not_edesk_reason) if card.not_edesk_reason else "",
            ],
        )
    counts = place_counts(cards)
    cells.append(ws, [t("audit-total"), "", f"a = {counts['a']}", "", *(f"{x} = {counts[x]}" for x in "bcde"), ""])
    in_person, electronic = ratios(counts)
    cells.append(ws, [])
    cells.append(ws, [t("audit-s1-results")])
    cells.append(ws, [t("audit-ratio-in-person"), _pct(in_person)])
    cells.append(ws, [t("audit-ratio-electronic"), _pct(electronic)])

    # §3 what is published for each service
    ws = _sheet(
        wb,
        t("audit-s3-sheet"),
        t("audit-s3-title"),
        [
            t("audit-service-title"),
            t("audit-service-code"),
            t("audit-place"),
            *(t(f"audit-announced-{a}") for a in ANNOUNCED),
            *(t(f"audit-published-{p}") for p in PUBLISHED),
        ],
    )
    for card in cards:
        announced = [
            (card.web or "✓") if a == "website" and a in card.announced else _mark(a in card.announced)
            for a in ANNOUNCED
        ]
        cells.append(
            ws,
            [
                title(card.title),
                card.registry_id or card.code,
                t(f"audit-place-{card.delivery.replace('_', '-')}"),
                *announced,
                *(_mark(p in card.published) for p in PUBLISHED),
            ],
        )

    # §5 e-desk capabilities: this desk gives every e-desk service all of them
    ws = _sheet(
        wb,
        t("audit-s5-sheet"),
        t("audit-s5-title"),
        [
            t("audit-edesk-service"),
            t("audit-service-code"),
            t("audit-edesk-address"),
            *(t(f"audit-edesk-{c.replace('_', '-')}") for c in EDESK),
        ],
    )
    for card in cards:
        if card.delivery in ("edesk", "both"):
            cells.append(
                ws,
                [
                    title(card.title),
                    card.registry_id or card.code,
                    service_link(card.code),
                    *(t("audit-has") for _ in EDESK),
                ],
            )

    # §6 questionnaire results
    form = load_form()
    figures = await reports.survey_figures(q, reports.Figures())  # one pass: means and score counts
    scores = figures.scores
    ws = _sheet(
        wb,
        t("audit-s6-sheet"),
        f"{title(form.title)} — {t('audit-responses')}: {figures.responses}",
        [
            t("audit-row"),
            t("audit-axis"),
            t("audit-item"),
            *(title(level.label) for level in form.scale),
            t("audit-count"),
            t("audit-mean"),
            t("audit-satisfied"),
        ],
    )
    for item, axis in form.items:
        dist = scores.get(item.number, {})
        n = sum(dist.values())
        good = sum(v for s, v in dist.items() if s >= form.satisfied_from)
        mean = figures.item_means.get(item.number)
        cells.append(
            ws,
            [
                item.number,
                title(axis.title),
                title(item.text),
                *(dist.get(level.score, 0) for level in form.scale),
                n,
                round(mean, 2) if mean is not None else "—",
                _pct(good / n if n else None),
            ],
        )
    for axis in form.axis:
        mean = figures.axis_means.get(axis.code)
        cells.append(
            ws, ["", title(axis.title), t("audit-axis-mean"), "", "", "", "", "", round(mean, 2) if mean else "—", ""]
        )

    # appendix 3, table 2: roll-up per agency
    ws = _sheet(
        wb,
        t("audit-t2-sheet"),
        t("audit-t2-title"),
        [
            t("audit-agency-title"),
            t("audit-parent-title"),
            t("audit-services-total"),
            t("audit-t2-in-person"),
            t("audit-t2-edesk"),
            t("audit-t2-both"),
            t("audit-t2-outside"),
        ],
    )
    for code, ag in sorted(catalog.agencies.items()):
        mine = [c for c in cards if c.agency == code]
        if mine:
            c = place_counts(mine)
            cells.append(
                ws, [title(ag.title), title(ag.parent) if ag.parent else "", c["a"], c["b"], c["c"], c["d"], c["e"]]
            )

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
