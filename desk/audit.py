"""The audit of the service desk (seed 002): the forms of appendix 2 (§1–§6) an agency declares for
a period, computed from the catalogue and from what the desk really did, and the roll-ups of
appendix 3. Every cell comes from data or from a named person (the §2 ratings and the evaluator's
columns); the workbook that lays them out is bot/reports/audit.py.

A declaration freezes the forms as JSON (`Forms.as_json`), so later changes to cards or requests
do not rewrite what the agency declared; the evaluator's columns are stored beside it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import jdatetime
from tortoise.functions import Count

from desk import staff
from desk.catalog import Catalog, ServiceCard
from desk.text import normalize_digits, normalize_text
from models import (
    AuditDeclaration,
    AuditEvaluation,
    Channel,
    DeskAssessment,
    Document,
    OutboxMessage,
    OutboxStatus,
    Request,
    RequestEvent,
    Role,
    SurveyAnswer,
    SurveyResponse,
)

PLACES = ("in_person", "edesk", "both", "outside")  # columns b, c, d, e of §1
LETTERS = dict(zip(PLACES, "bcde", strict=True))
PUBLISHED = ("stages", "documents", "laws", "duration", "fees", "complaint", "responsible", "faq")  # §3 order
EDESK = ("upload", "form", "delivery", "tracking_code", "stage_tracking", "sms", "survey")  # §5's seven columns
DESK_ITEMS = (1, 2, 3, 4)  # the rows of §2
LEVELS = ("excellent", "good", "average", "weak", "absent")  # §2's five columns, best first
PROFILE = ("gender", "age", "education", "occupation", "visits")  # §6's respondent profile
FIX_SECTIONS = ("s3", "s4", "s5")
PERIOD_MONTHS = 2  # the guide's declaration period (appendix 2 is declared every two months)


def audited(catalog: Catalog) -> list[ServiceCard]:
    """The services the audit counts: those to citizens and businesses (G2C, G2B), by agency and code."""
    return sorted((c for c in catalog.services.values() if c.type in ("G2C", "G2B")), key=lambda c: (c.agency, c.code))


def place_counts(cards: list[ServiceCard]) -> dict[str, int]:
    """a (all) and b..e (per place of delivery) of §1."""
    counts = {"a": len(cards)} | {letter: 0 for letter in "bcde"}
    for card in cards:
        counts[LETTERS[card.delivery]] += 1
    return counts


def ratios(counts: dict[str, int]) -> tuple[float | None, float | None]:
    """b/a (in-person share) and (c+d)/a (electronic share)."""
    if not counts["a"]:
        return None, None
    return counts["b"] / counts["a"], (counts["c"] + counts["d"]) / counts["a"]


def service_id(card: ServiceCard) -> str:
    """The official service ID (shenase-ye khedmat) when the registry assigned one, else the desk's code."""
    return card.registry_id or card.code


def published_items(card: ServiceCard) -> dict[str, bool]:
    """§3: what the card really publishes (a section with content), not what someone ticked."""
    return {
        "stages": bool(card.stages),
        "documents": bool(card.documents),
        "laws": bool(card.laws),
        "duration": card.duration_days is not None,
        "fees": bool(card.fee.how.fa.strip()),
        "complaint": bool(card.complaint.fa.strip()),
        "responsible": bool(card.responsible.unit.fa.strip() and card.responsible.person.fa.strip()),
        "faq": bool(card.faq),
    }


# -- periods -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # last day (inclusive)

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        zone = ZoneInfo(tz)
        return datetime.combine(self.start, time(), zone), datetime.combine(self.end + timedelta(days=1), time(), zone)


def two_month_period(jalali_year: int, index: int) -> Period:
    """The index-th (1..6) two-month period of a Jalali year."""
    if not 1 <= index <= 6:
        raise ValueError(index)
    first = jdatetime.date(jalali_year, 2 * index - 1, 1)
    after = jdatetime.date(jalali_year + 1, 1, 1) if index == 6 else jdatetime.date(jalali_year, 2 * index + 1, 1)
    return Period(first.togregorian(), after.togregorian() - timedelta(days=1))


def period_of(day: date) -> tuple[int, int]:
    """(Jalali year, two-month index) of a day."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, (j.month - 1) // 2 + 1


def last_complete_period(today: date) -> Period:
    year, index = period_of(today)
    return two_month_period(year - 1, 6) if index == 1 else two_month_period(year, index - 1)


# -- the forms -----------------------------------------------------------------------------------
@dataclass
class Header:
    agency: str  # code
    agency_title: str
    parent_title: str
    province: str
    hq: bool  # headquarters (True) or a provincial unit
    period_start: str
    period_end: str
    declared_on: str | None = None  # ISO dates, set when declared / evaluated
    declared_by: str | None = None
    evaluated_on: str | None = None
    evaluated_by: str | None = None


@dataclass
class S1Row:
    title: str
    code: str
    type: str
    place: str
    reason: str


@dataclass
class S3Row:
    title: str
    code: str
    place: str
    web: str
    signboard: bool
    phone: str
    items: dict[str, bool]


@dataclass
class S4Row:
    title: str
    code: str
    requests: int  # in-person requests accepted in the period
    receipt: bool | None  # a receipt with the promised date handed over (None: no in-person request)
    documents_pct: float | None  # documents taken when the request was made / all documents of the requests
    survey: bool | None  # the survey offered after delivery


@dataclass
class S5Row:
    title: str
    code: str
    address: str
    requests: int
    upload: bool
    form: bool
    delivery: bool
    tracking_code: bool
    stage_tracking: bool
    sms: bool
    survey: bool
    notified_by: list[str]  # the messengers stage notifications actually went out by


@dataclass
class S2Row:
    item: int
    level: str | None
    note: str | None
    by: str | None


@dataclass
class S6:
    responses: int = 0
    scores: dict[str, dict[str, int]] = field(default_factory=dict)  # item -> score -> count
    profile: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> value -> count


@dataclass
class Forms:
    header: Header
    s1: list[S1Row]
    counts: dict[str, int]
    s2: list[S2Row]
    s3: list[S3Row]
    s4: list[S4Row]
    s5: list[S5Row]
    s6: S6

    @property
    def ratios(self) -> tuple[float | None, float | None]:
        return ratios(self.counts)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Forms:
        return cls(
            header=Header(**data["header"]),
            s1=[S1Row(**r) for r in data["s1"]],
            counts=dict(data["counts"]),
            s2=[S2Row(**r) for r in data["s2"]],
            s3=[S3Row(**r) for r in data["s3"]],
            s4=[S4Row(**r) for r in data["s4"]],
            s5=[S5Row(**r) for r in data["s5"]],
            s6=S6(**data["s6"]),
        )


def agency_header(catalog: Catalog, agency: str, period: Period, lang: str = "fa") -> Header:
    ag = catalog.agencies[agency]
    units = [u for u in catalog.units.values() if u.agency == agency]
    hq = next((u for u in units if u.place == "hq"), units[0] if units else None)
    return Header(
        agency=agency,
        agency_title=ag.title.get(lang),
        parent_title=ag.parent.get(lang) if ag.parent else "",
        province=hq.province.get(lang) if hq else "",
        hq=hq is not None and hq.place == "hq",
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
    )


def _in(period: Period, tz: str) -> dict:
    start, end = period.bounds(tz)
    return {"submitted_at__gte": start, "submitted_at__lt": end}


async def _s4_row(card: ServiceCard, period: Period, tz: str, lang: str) -> S4Row:
    requests = Request.filter(service_code=card.code, channel=Channel.IN_PERSON, **_in(period, tz))
    ids = await requests.values_list("id", flat=True)
    if not ids:
        return S4Row(card.title.get(lang), service_id(card), 0, None, None, None)
    with_receipt = await Request.filter(id__in=ids, promised_date__isnull=False).count()
    at_request = await Document.filter(request_id__in=ids, role="form").count()
    later = await Document.filter(request_id__in=ids, role="message").count()
    closed = await Request.filter(id__in=ids, answered_at__isnull=False).values_list("id", flat=True)
    offered = await SurveyResponse.filter(request_id__in=closed, invited_at__isnull=False).count()
    docs = at_request + later
    return S4Row(
        card.title.get(lang),
        service_id(card),
        len(ids),
        with_receipt == len(ids),
        (100 * at_request / docs) if docs else None,
        (offered == len(closed)) if closed else None,
    )


async def _s5_row(card: ServiceCard, period: Period, tz: str, lang: str, link: str, sms: bool) -> S5Row:
    requests = Request.filter(service_code=card.code, channel=Channel.MESSENGER, **_in(period, tz))
    ids = await requests.values_list("id", flat=True)
    has_files = any(f.type in ("document", "photo") for f in card.form)
    received = bool(ids) and await Document.filter(request_id__in=ids, role="form").exists()
    last_electronic = card.stages[-1].electronic
    delivered = bool(ids) and await RequestEvent.filter(request_id__in=ids, kind="result").exists()
    notified: list[str] = cast(
        list[str],
        await OutboxMessage.filter(request_id__in=ids, method="notify", status=OutboxStatus.SENT)
        .distinct()
        .values_list("platform", flat=True)
        if ids
        else [],
    )
    invited = bool(ids) and await SurveyResponse.filter(request_id__in=ids, invited_at__isnull=False).exists()
    return S5Row(
        title=card.title.get(lang),
        code=service_id(card),
        address=link,
        requests=len(ids),
        upload=has_files and received,
        form=bool(card.form) and bool(ids),
        delivery=last_electronic and delivered,
        tracking_code=bool(ids),  # every accepted request gets one with its receipt
        stage_tracking=bool(ids),  # the tracking view shows every stage with its date
        sms=sms and bool(notified),
        survey=invited,
        notified_by=sorted(set(notified)),
    )


async def _s6(cards: list[ServiceCard], period: Period, tz: str) -> S6:
    start, end = period.bounds(tz)
    codes = [c.code for c in cards]
    responses = SurveyResponse.filter(request__service_code__in=codes, completed_at__gte=start, completed_at__lt=end)
    out = S6()
    rows = await responses.values("id", "respondent")
    out.responses = len(rows)
    for row in rows:
        for key in PROFILE:
            value = (row["respondent"] or {}).get(key)
            if value not in (None, ""):
                bucket = out.profile.setdefault(key, {})
                bucket[str(value)] = bucket.get(str(value), 0) + 1
    if rows:
        counted = (
            await SurveyAnswer.filter(response_id__in=[r["id"] for r in rows])
            .annotate(n=Count("id"))
            .group_by("item", "score")
            .values("item", "score", "n")
        )
        for row in counted:
            out.scores.setdefault(str(row["item"]), {})[str(row["score"])] = row["n"]
    return out


async def forms(
    catalog: Catalog,
    agency: str,
    period: Period,
    *,
    tz: str,
    service_link,
    sms_channel: bool = False,
    lang: str = "fa",
) -> Forms:
    """The forms of appendix 2 for one agency and period, from its cards and what the desk did."""
    cards = [c for c in audited(catalog) if c.agency == agency]
    title = lambda text: text.get(lang) if text else ""
    s1 = [S1Row(title(c.title), service_id(c), c.type, c.delivery, title(c.not_edesk_reason)) for c in cards]
    assessed = {a.item: a for a in await DeskAssessment.filter(agency_code=agency)}
    s2 = [
        S2Row(i, a.level if a else None, a.note if a else None, a.by_name if a else None)
        for i in DESK_ITEMS
        for a in [assessed.get(i)]
    ]
    s3 = [
        S3Row(
            title(c.title),
            service_id(c),
            c.delivery,
            c.web or "",
            c.signboard,
            c.phone or c.call_center or "",
            published_items(c),
        )
        for c in cards
    ]
    s4 = [await _s4_row(c, period, tz, lang) for c in cards if c.delivery in ("in_person", "both")]
    s5 = [
        await _s5_row(c, period, tz, lang, service_link(c.code), sms_channel)
        for c in cards
        if c.delivery in ("edesk", "both")
    ]
    return Forms(
        header=agency_header(catalog, agency, period, lang),
        s1=s1,
        counts=place_counts(cards),
        s2=s2,
        s3=s3,
        s4=s4,
        s5=s5,
        s6=await _s6(cards, period, tz),
    )


# -- the cycle: declarations and evaluations -----------------------------------------------------
class AuditError(Exception):
    def __init__(self, reason: str, **params) -> None:
        super().__init__(reason)
        self.reason, self.params = reason, params


async def assess_desk(agency: str, item: int, level: str, note: str | None, *, by: tuple[str, int, str]) -> None:
    """Record the agency's own rating of one §2 item (a later rating replaces it)."""
    if item not in DESK_ITEMS:
        raise AuditError("item", item=item)
    if level not in LEVELS:
        raise AuditError("level", level=level)
    platform, user_id, name = by
    await DeskAssessment.update_or_create(
        agency_code=agency,
        item=item,
        defaults={"level": level, "note": note, "by_platform": platform, "by_user_id": user_id, "by_name": name},
    )


async def declare(forms_: Forms, *, by: tuple[str, int, str], today: date) -> AuditDeclaration:
    """Freeze the forms as the agency's declaration for their period (once per agency and period)."""
    h = forms_.header
    if await AuditDeclaration.exists(agency_code=h.agency, period_start=h.period_start, period_end=h.period_end):
        raise AuditError("declared")
    platform, user_id, name = by
    h.declared_on, h.declared_by = today.isoformat(), name
    return await AuditDeclaration.create(
        agency_code=h.agency,
        period_start=date.fromisoformat(h.period_start),
        period_end=date.fromisoformat(h.period_end),
        forms=forms_.as_json(),
        by_platform=platform,
        by_user_id=user_id,
        by_name=name,
    )


def provinces_match(a: str, b: str) -> bool:
    return normalize_text(a) == normalize_text(b)


async def evaluation_of(declaration: AuditDeclaration, *, by: tuple[str, int, str]) -> AuditEvaluation:
    platform, user_id, name = by
    evaluation, _ = await AuditEvaluation.get_or_create(
        declaration=declaration, defaults={"by_platform": platform, "by_user_id": user_id, "by_name": name}
    )
    if evaluation.completed_at is not None:
        raise AuditError("evaluated")
    evaluation.by_platform, evaluation.by_user_id, evaluation.by_name = platform, user_id, name
    return evaluation


async def evaluate(declaration: AuditDeclaration, section: str, args: list[str], *, by, now: datetime) -> None:
    """One entry of the evaluator's columns:
    s1 CODE (a contradiction in §1), s2 ITEM LEVEL, s3|s4|s5 CODE FIX..., note TEXT, done."""
    forms_ = Forms.from_json(declaration.forms)
    evaluation = await evaluation_of(declaration, by=by)
    codes = {r.code for r in forms_.s1}
    if section == "s1" and len(args) == 1 and args[0] in codes:
        if args[0] not in evaluation.s1_conflicts:
            evaluation.s1_conflicts = [*evaluation.s1_conflicts, args[0]]
    elif section == "s2" and len(args) == 2 and args[0].isdigit() and int(args[0]) in DESK_ITEMS and args[1] in LEVELS:
        evaluation.s2_levels = {**evaluation.s2_levels, args[0]: args[1]}
    elif section in FIX_SECTIONS and len(args) >= 2 and args[0] in codes:
        section_codes = {r.code for r in getattr(forms_, section)}
        if args[0] not in section_codes:
            raise AuditError("not-in-section", code=args[0], section=section)
        fixes = dict(evaluation.fixes)
        fixes[section] = {**fixes.get(section, {}), args[0]: " ".join(args[1:])}
        evaluation.fixes = fixes
    elif section == "note" and args:
        evaluation.improvements = " ".join(args)
    elif section == "done" and not args:
        evaluation.completed_at = now
    else:
        raise AuditError("usage")
    await evaluation.save()


async def declared(declaration: AuditDeclaration) -> tuple[Forms, dict | None]:
    """A declaration's frozen forms, dated and signed by its evaluator once the evaluation is
    finished, and the evaluator's columns (None: not evaluated yet)."""
    forms_ = Forms.from_json(declaration.forms)
    ev = await AuditEvaluation.get_or_none(declaration_id=declaration.id)
    if ev is None:
        return forms_, None
    if ev.completed_at is not None:
        forms_.header.evaluated_on, forms_.header.evaluated_by = ev.completed_at.date().isoformat(), ev.by_name
    columns = {"s1_conflicts": ev.s1_conflicts, "s2_levels": ev.s2_levels, "fixes": ev.fixes}
    return forms_, columns | {"improvements": ev.improvements}


# -- appendix 3 ----------------------------------------------------------------------------------
@dataclass
class RollupRow:
    agency_title: str
    parent_title: str
    province: str
    counts: dict[str, int]  # a..e as declared
    corrected: dict[str, int] | None  # after the evaluator's §1 contradictions (moved to e), if evaluated


def rollup_row(declaration: AuditDeclaration, evaluation: AuditEvaluation | None) -> RollupRow:
    forms_ = Forms.from_json(declaration.forms)
    corrected = None
    if evaluation is not None and evaluation.completed_at is not None:
        corrected = dict(forms_.counts)
        for row in forms_.s1:
            if row.code in evaluation.s1_conflicts and row.place != "outside":
                corrected[LETTERS[row.place]] -= 1
                corrected["e"] += 1
    h = forms_.header
    return RollupRow(h.agency_title, h.parent_title, h.province, forms_.counts, corrected)


async def rollup(periods: list[Period], *, province: str | None = None) -> list[RollupRow]:
    """Appendix 3 from the stored declarations: table 2 (one row per agency, its declarations in the
    periods summed) or, with a province, table 1 (the agencies of that province)."""
    rows: dict[str, RollupRow] = {}
    for p in periods:
        declared = await AuditDeclaration.filter(period_start=p.start, period_end=p.end).order_by("agency_code")
        for d in declared:
            row = rollup_row(d, await AuditEvaluation.get_or_none(declaration_id=d.id))
            if province is not None and not provinces_match(row.province, province):
                continue
            if d.agency_code not in rows:
                rows[d.agency_code] = row
                continue
            total = rows[d.agency_code]
            total.counts = {k: total.counts[k] + row.counts[k] for k in total.counts}
            if total.corrected is not None and row.corrected is not None:
                total.corrected = {k: total.corrected[k] + row.corrected[k] for k in total.corrected}
            else:
                total.corrected = None
    return list(rows.values())


def half_year(jalali_year: int, half: int) -> list[Period]:
    """The three two-month periods of a Jalali half year (1: Farvardin–Shahrivar, 2: Mehr–Esfand)."""
    if half not in (1, 2):
        raise ValueError(half)
    return [two_month_period(jalali_year, i) for i in range(3 * half - 2, 3 * half + 1)]


# -- who may do what -----------------------------------------------------------------------------
async def may_declare(settings, platform: str, user_id: int, agency: str, catalog: Catalog) -> bool:
    """Admins, and the supervisors of one of the agency's units (they declare for their agency)."""
    if await staff.is_admin(settings, platform, user_id):
        return True
    units = await staff.supervised_units(platform, user_id)
    return any(u is None or (u in catalog.units and catalog.units[u].agency == agency) for u in units)


async def evaluator_provinces(platform: str, user_id: int) -> list[str]:
    units = await Role.filter(platform=platform, user_id=user_id, role="evaluator").values_list("unit_code", flat=True)
    return cast(list[str], units)


async def may_evaluate(platform: str, user_id: int, province: str) -> bool:
    """Evaluators are granted per province (an admin does not evaluate the agency's own declaration)."""
    return any(provinces_match(p, province) for p in await evaluator_provinces(platform, user_id))


async def has_audit_role(settings, platform: str, user_id: int) -> bool:
    """Admins, supervisors and evaluators take part in the audit; nobody else sees its commands work."""
    return (
        await staff.is_admin(settings, platform, user_id)
        or bool(await staff.supervised_units(platform, user_id))
        or bool(await evaluator_provinces(platform, user_id))
    )


def agency_province(catalog: Catalog, agency: str) -> str:
    return agency_header(catalog, agency, Period(date.min, date.min)).province


def parse_period(arg: str | None, today: date) -> Period:
    """`1404/2` (the second two-month period of 1404), or nothing: the last complete period."""
    if not arg:
        return last_complete_period(today)
    year, _, index = normalize_digits(arg).partition("/")
    if not (year.isdigit() and index.isdigit() and 1 <= int(index) <= 6):
        raise AuditError("period", arg=arg)
    return two_month_period(int(year), int(index))


def parse_half(arg: str, today: date) -> list[Period]:
    """`1404/h1`: the three periods of a half year; else one period as parse_period."""
    year, _, half = normalize_digits(arg).lower().partition("/h")
    if half and year.isdigit() and half in ("1", "2"):
        return half_year(int(year), int(half))
    return [parse_period(arg, today)]
