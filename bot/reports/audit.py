"""The audit workbook (seed 002): the forms of appendix 2 for one agency, declared and evaluated side
by side, and the roll-ups of appendix 3 (table 2 per agency, table 1 per province). Right-to-left
sheets laid out like the guide's forms; what the guide does not define is marked as an addition.

The figures come from desk/audit.py (`Forms`, `RollupRow`); every header comes through `t(key)` (the
Persian wording of the seed lives in locales/fa/audit.ftl), so no user-visible text is written here."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.reports import cells
from desk.audit import DESK_ITEMS, EDESK, LEVELS, PLACES, PUBLISHED, Forms, RollupRow
from desk.calendar import jalali
from desk.survey import SurveyForm

T = Callable[..., str]
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


class Sheet:
    """A right-to-left sheet written row by row."""

    def __init__(self, wb: Workbook, title: str, widths: list[int]):
        self.ws: Worksheet = wb.create_sheet(title[:31])
        self.ws.sheet_view.rightToLeft = True
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def row(self, *values, bold: bool = False, wrap: bool = False) -> int:
        style = ({"font": BOLD} if bold else {}) | ({"alignment": WRAP} if wrap else {})
        cells.append(self.ws, values, **style)
        return self.ws.max_row

    def gap(self) -> None:
        self.ws.append([])


def _date(iso: str | None, lang: str) -> str:
    return jalali(date.fromisoformat(iso), digits="fa" if lang == "fa" else "en") if iso else ""


def _header(s: Sheet, forms: Forms, t: T, lang: str, *, live: bool) -> None:
    h = forms.header
    for key in ("audit-caption-1", "audit-caption-2", "audit-caption-3"):
        s.row(t(key), bold=True)
    s.row(t("audit-h-agency"), h.agency_title, t("audit-h-parent"), h.parent_title, t("audit-h-province"), h.province)
    s.row(
        t("audit-h-unit"),
        t("audit-h-hq"),
        t("audit-tick") if h.hq else "",
        t("audit-h-provincial"),
        "" if h.hq else t("audit-tick"),
    )
    s.row(
        t("audit-h-declared"),
        _date(h.declared_on, lang) or t("audit-h-live") if live else _date(h.declared_on, lang),
        t("audit-h-evaluated"),
        _date(h.evaluated_on, lang),
    )
    s.row(t("audit-h-period"), f"{_date(h.period_start, lang)} – {_date(h.period_end, lang)}")
    s.gap()


def _footer(s: Sheet, forms: Forms, t: T) -> None:
    s.gap()
    s.row(
        t("audit-sign-preparer"),
        forms.header.declared_by or "",
        t("audit-sign-evaluator"),
        forms.header.evaluated_by or "",
    )


def _has(t: T, flag: bool | None, yes: str = "audit-has", no: str = "audit-has-not") -> str:
    return t("audit-no-data") if flag is None else t(yes if flag else no)


def _fixes(s: Sheet, t: T, title: str, header: str, fixes: dict[str, str], names: dict[str, str]) -> None:
    s.gap()
    s.row(t(title), bold=True)
    s.row(t("audit-service-title"), t("audit-service-code"), t(header), bold=True, wrap=True)
    for code, text in fixes.items():
        s.row(names.get(code, code), code, text)


def _s1(wb: Workbook, forms: Forms, ev: dict, t: T, lang: str, live: bool) -> None:
    s = Sheet(wb, t("audit-s1-sheet"), [40, 16, 14, 14, 14, 18, 16, 40])
    _header(s, forms, t, lang, live=live)
    s.row(t("audit-s1-title"), bold=True)
    s.row("", "", "", t("audit-s1-place"), bold=True)
    s.row(
        t("audit-service-title"),
        t("audit-service-code"),
        t("audit-s1-type"),
        *(t(f"audit-place-{p}") for p in PLACES),
        t("audit-s1-reason"),
        bold=True,
        wrap=True,
    )
    for r in forms.s1:
        s.row(r.title, r.code, r.type, *(t("audit-tick") if r.place == p else "" for p in PLACES), r.reason)
    c = forms.counts
    s.row(t("audit-total"), "", c["a"], c["b"], c["c"], c["d"], c["e"], "", bold=True)
    s.gap()
    s.row(t("audit-s1-results"), bold=True)
    in_person, electronic = forms.ratios
    for key, value in (("audit-s1-r1", in_person), ("audit-s1-r2", electronic)):
        n = s.row(t(key), value if value is not None else t("audit-no-data"))
        if value is not None:
            s.ws.cell(n, 2).number_format = "0.0%"
    s.row(t("audit-s1-r3"), bold=True)
    s.row(t("audit-service-title"), t("audit-service-code"), bold=True)
    names = {r.code: r.title for r in forms.s1}
    for code in ev.get("s1_conflicts", []):
        s.row(names.get(code, code), code)
    _footer(s, forms, t)


def _s2(wb: Workbook, forms: Forms, ev: dict, t: T, lang: str, live: bool) -> None:
    s = Sheet(wb, t("audit-s2-sheet"), [8, 60, 12, 12, 12, 12, 14, 40])
    _header(s, forms, t, lang, live=live)
    levels = [t(f"audit-level-{lvl}") for lvl in LEVELS]
    declared = {r.item: r for r in forms.s2}
    evaluated = ev.get("s2_levels", {})
    for title, pick in (
        ("audit-s2-declared", lambda i: (declared[i].level, declared[i].note, declared[i].by)),
        ("audit-s2-evaluated", lambda i: (evaluated.get(str(i)), None, None)),
    ):
        s.row(t(title), bold=True)
        s.row("", "", t("audit-s2-status"), bold=True)
        s.row(t("audit-s2-row"), t("audit-s2-topic"), *levels, t("audit-s2-notes"), bold=True, wrap=True)
        for i in DESK_ITEMS:
            level, note, by = pick(i)
            notes = " — ".join(x for x in (note, t("audit-by", name=by) if by else None) if x)
            s.row(i, t(f"audit-s2-item-{i}"), *(t("audit-tick") if level == lvl else "" for lvl in LEVELS), notes)
        s.gap()
    s.row(t("audit-s2-improve"), ev.get("improvements") or "")
    _footer(s, forms, t)


def _s3(wb: Workbook, forms: Forms, ev: dict, t: T, lang: str, live: bool) -> None:
    s = Sheet(wb, t("audit-s3-sheet"), [36, 16, 18, 30, 14, 16] + [14] * len(PUBLISHED))
    _header(s, forms, t, lang, live=live)
    s.row(t("audit-s3-title"), bold=True)
    s.row("", "", "", t("audit-s3-kind"), "", "", t("audit-s3-items"), bold=True)
    s.row(
        t("audit-service-title"),
        t("audit-service-code"),
        t("audit-s1-place"),
        t("audit-s3-web"),
        t("audit-s3-signboard"),
        t("audit-s3-phone"),
        *(t(f"audit-s3-{p}") for p in PUBLISHED),
        bold=True,
        wrap=True,
    )
    for r in forms.s3:
        s.row(
            r.title,
            r.code,
            t(f"audit-place-{r.place}"),
            r.web,
            t("audit-tick") if r.signboard else "",
            r.phone,
            *(t("audit-tick") if r.items.get(p) else "" for p in PUBLISHED),
        )
    names = {r.code: r.title for r in forms.s3}
    _fixes(s, t, "audit-s3-results", "audit-fixes-needed", ev.get("fixes", {}).get("s3", {}), names)
    _footer(s, forms, t)


def _s4(wb: Workbook, forms: Forms, ev: dict, t: T, lang: str, live: bool) -> None:
    s = Sheet(wb, t("audit-s4-sheet"), [36, 16, 22, 30, 22, 18])
    _header(s, forms, t, lang, live=live)
    s.row(t("audit-s4-title"), bold=True)
    s.row(
        t("audit-s4-service"),
        t("audit-service-code"),
        t("audit-s4-receipt"),
        t("audit-s4-documents"),
        t("audit-s4-survey"),
        f"{t('audit-s4-requests')} {t('audit-extra')}",
        bold=True,
        wrap=True,
    )
    for r in forms.s4:
        pct = round(r.documents_pct, 1) if r.documents_pct is not None else t("audit-no-data")
        s.row(
            r.title,
            r.code,
            _has(t, r.receipt, "audit-yes", "audit-no"),
            pct,
            _has(t, r.survey, "audit-yes", "audit-no"),
            r.requests,
        )
    s.row(t("audit-total"), bold=True)
    names = {r.code: r.title for r in forms.s4}
    _fixes(s, t, "audit-s4-results", "audit-s4-fix-header", ev.get("fixes", {}).get("s4", {}), names)
    _footer(s, forms, t)


def _s5(wb: Workbook, forms: Forms, ev: dict, t: T, lang: str, live: bool) -> None:
    s = Sheet(wb, t("audit-s5-sheet"), [36, 16, 34] + [16] * len(EDESK) + [22, 18])
    _header(s, forms, t, lang, live=live)
    s.row(t("audit-s5-title"), bold=True)
    s.row(
        t("audit-s5-service"),
        t("audit-service-code"),
        t("audit-s5-address"),
        *(t(f"audit-s5-{c}") for c in EDESK),
        f"{t('audit-s5-messenger')} {t('audit-extra')}",
        f"{t('audit-s5-requests')} {t('audit-extra')}",
        bold=True,
        wrap=True,
    )
    for r in forms.s5:
        messengers = t("list-separator").join(t(f"audit-platform-{p}") for p in r.notified_by)
        s.row(
            r.title,
            r.code,
            r.address,
            *(_has(t, getattr(r, c)) for c in EDESK),
            messengers or t("audit-no-data"),
            r.requests,
        )
    names = {r.code: r.title for r in forms.s5}
    _fixes(s, t, "audit-s5-results", "audit-s5-fix-header", ev.get("fixes", {}).get("s5", {}), names)
    _footer(s, forms, t)


def _s6(wb: Workbook, forms: Forms, survey: SurveyForm, t: T, lang: str, live: bool) -> None:
    s = Sheet(wb, t("audit-s6-sheet"), [8, 24, 60, 12, 12, 12, 12, 12, 14])
    _header(s, forms, t, lang, live=live)
    s.row(t("audit-s6-title"), bold=True)
    s.row(t("audit-s6-responses", count=forms.s6.responses))
    s.row("", "", "", t("audit-s6-level"), bold=True)
    scale = sorted(survey.scale, key=lambda level: -level.score)
    s.row(
        t("audit-s6-row"),
        t("audit-s6-axis"),
        t("audit-s6-item"),
        *(level.label.get(lang) for level in scale),
        t("audit-s6-count"),
        t("audit-s6-mean"),
        bold=True,
        wrap=True,
    )
    for item, axis in survey.items:
        dist = forms.s6.scores.get(str(item.number), {})
        counts = [dist.get(str(level.score), 0) for level in scale]
        n = sum(counts)
        mean = round(sum(level.score * c for level, c in zip(scale, counts, strict=True)) / n, 2) if n else None
        s.row(item.number, axis.title.get(lang), item.text.get(lang), *counts, n, mean if n else t("audit-no-data"))
    s.gap()
    s.row(t("audit-s6-profile"), bold=True)
    s.row(t("audit-s6-field"), t("audit-s6-value"), t("audit-s6-people"), bold=True)
    questions = {q.key: q for q in survey.respondent}
    for key, values in forms.s6.profile.items():
        question = questions.get(key)
        labels = {o.value: o.label.get(lang) for o in question.options} if question else {}
        for value, n in sorted(values.items()):
            s.row(question.title.get(lang) if question else key, labels.get(value, value), n)


def agency_workbook(forms: Forms, evaluation: dict | None, survey: SurveyForm, t: T, lang: str, *, live: bool) -> bytes:
    """Appendix 2 for one agency: §1–§6 with the evaluator's parts filled from `evaluation`."""
    ev = evaluation or {}
    wb = Workbook()
    wb.remove(wb.active)
    for part in (_s1, _s2, _s3, _s4, _s5):
        part(wb, forms, ev, t, lang, live)
    _s6(wb, forms, survey, t, lang, live)
    return _save(wb)


def _rollup_sheet(s: Sheet, rows: list[RollupRow], t: T) -> None:
    s.row("", "", "", t("audit-t-in"), bold=True)
    s.row(
        t("audit-t-agency"),
        t("audit-t-parent"),
        t("audit-t-total"),
        *(t(f"audit-t-{p}") for p in PLACES),
        "",
        bold=True,
        wrap=True,
    )
    if not rows:
        s.row(t("audit-t-empty"))
    for r in rows:
        s.row(r.agency_title, r.parent_title, *(r.counts[k] for k in "abcde"), t("audit-t-declared"))
        if r.corrected is not None:
            s.row(r.agency_title, r.parent_title, *(r.corrected[k] for k in "abcde"), t("audit-t-evaluated"))


def rollup_workbook(table2: list[RollupRow], table1: dict[str, list[RollupRow]], t: T, periods: str) -> bytes:
    """Appendix 3: table 2 (every agency) and one table 1 per province."""
    wb = Workbook()
    wb.remove(wb.active)
    widths = [36, 30, 18, 16, 16, 18, 24, 16]
    s = Sheet(wb, t("audit-t2-sheet"), widths)
    s.row(t("audit-t3-caption"), bold=True)
    s.row(t("audit-caption-3"))
    s.row(t("audit-t2-title"), bold=True)
    s.row(t("audit-t-periods", periods=periods))
    _rollup_sheet(s, table2, t)
    for i, (province, rows) in enumerate(sorted(table1.items()), 1):
        s = Sheet(wb, f"{t('audit-t1-sheet')} {i}", widths)
        s.row(t("audit-t3-caption"), bold=True)
        s.row(t("audit-t1-title", province=province), bold=True)
        s.row(t("audit-t-periods", periods=periods))
        _rollup_sheet(s, rows, t)
    return _save(wb)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
