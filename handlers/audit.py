"""The audit cycle (seed 002) in the bot, in private chats:

- `/audit AGENCY [1404/2]`: the agency's forms of appendix 2 for a two-month period, as declared
  (frozen) with the evaluator's columns beside them, or computed from today's data if not declared;
- `/deskstate AGENCY ITEM LEVEL [note]`: the agency rates its in-person desk (§2-a);
- `/declare AGENCY [1404/2]`: the agency freezes its forms for the period;
- `/evaluate N s1 CODE | s2 ITEM LEVEL | s3|s4|s5 CODE FIX | note TEXT | done`: the province's evaluator;
- `/rollup [1404/2 | 1404/h1]`: appendix 3 (table 2 per agency, table 1 per province) from declarations;
- `/card CODE`: a service's identity card (seed 003)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Bot
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.filters import PrivateChat
from bot.l10n import L10n
from bot.platforms import deep_link
from bot.routes import Routes
from bot.services import Services
from bot.views.render import file_date
from desk import audit, staff
from desk.survey import load_form
from desk.text import normalize_digits
from models import AuditDeclaration

router = Routes("audit")
router.message.filter(PrivateChat())
audit_roles = Routes("audit-roles")  # everything but /card: admins, supervisors and evaluators


async def only_audit_roles(handler, message: Message, data: dict):
    """The audit's commands answer only the people who take part in the audit."""
    if not await audit.has_audit_role(data["services"].settings, data["platform"], message.from_user.id):
        await message.answer(data["l10n"]("admin-not-allowed"))
        return None
    return await handler(message, data)


audit_roles.message.middleware(only_audit_roles)  # inner: only once one of its commands matched
router.include(audit_roles)


def _by(message: Message, platform: str) -> tuple[str, int, str]:
    user = message.from_user
    return platform, user.id, user.full_name


def _period_text(l10n: L10n, p: audit.Period) -> str:
    return f"{l10n.date(p.start)}–{l10n.date(p.end)}"


async def _link(bot: Bot, platform: str):
    me = await bot.me()
    return lambda code: deep_link(platform, me.username, f"s_{code}")


async def _may_see(settings, platform: str, user_id: int, agency: str, catalog) -> bool:
    if await audit.may_declare(settings, platform, user_id, agency, catalog):
        return True
    return await audit.may_evaluate(platform, user_id, audit.agency_province(catalog, agency))


async def _agency_and_period(message: Message, command: CommandObject, l10n: L10n, services: Services, usage: str):
    """`AGENCY [1404/2]` of a command, or None after telling the person how to write it."""
    args, catalog = normalize_digits(command.args or "").split(), services.catalog
    if not args or args[0] not in catalog.agencies or len(args) > 2:
        await message.answer(l10n(usage, agencies=", ".join(sorted(catalog.agencies))))
        return None
    try:
        return args[0], audit.parse_period(args[1] if len(args) > 1 else None, services.clock.today())
    except audit.AuditError:
        await message.answer(l10n("audit-bad-period"))
        return None


@audit_roles.message(Command("audit"))
async def audit_forms(
    message: Message, command: CommandObject, bot: Bot, l10n: L10n, platform: str, services: Services
):
    if (asked := await _agency_and_period(message, command, l10n, services, "audit-usage")) is None:
        return
    agency, period = asked
    if not await _may_see(services.settings, platform, message.from_user.id, agency, services.catalog):
        await message.answer(l10n("admin-not-allowed"))
        return
    declared = await AuditDeclaration.get_or_none(agency_code=agency, period_start=period.start, period_end=period.end)
    if declared is not None:
        forms, evaluation = await audit.declared(declared)
    else:
        forms = await audit.forms(
            services.catalog,
            agency,
            period,
            tz=services.settings.calendar.timezone,
            service_link=await _link(bot, platform),
            lang=l10n.lang,
        )
        evaluation = None
    from bot.reports.audit import agency_workbook  # openpyxl loads when first needed

    data = agency_workbook(forms, evaluation, load_form(), l10n.button, l10n.lang, live=declared is None)
    name = f"audit-{agency}-{file_date(period.start)}.xlsx"
    caption = "audit-caption-declared" if declared else "audit-caption-live"
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=l10n(
            caption,
            agency=forms.header.agency_title,
            period=_period_text(l10n, period),
            number=declared.id if declared else 0,
        ),
    )


@audit_roles.message(Command("deskstate"))
async def desk_state(message: Message, command: CommandObject, l10n: L10n, platform: str, services: Services):
    args = normalize_digits(command.args or "").split()
    if len(args) < 3 or args[0] not in services.catalog.agencies or not args[1].isdigit():
        await message.answer(l10n("audit-deskstate-usage"))
        return
    agency, item, level, note = args[0], int(args[1]), args[2], " ".join(args[3:]) or None
    if not await audit.may_declare(services.settings, platform, message.from_user.id, agency, services.catalog):
        await message.answer(l10n("admin-not-allowed"))
        return
    try:
        await audit.assess_desk(agency, item, level, note, by=_by(message, platform))
    except audit.AuditError:
        await message.answer(l10n("audit-deskstate-usage"))
        return
    await message.answer(l10n("audit-deskstate-done", item=item, level=l10n.button(f"audit-level-{level}")))


@audit_roles.message(Command("declare"))
async def declare(message: Message, command: CommandObject, bot: Bot, l10n: L10n, platform: str, services: Services):
    if (asked := await _agency_and_period(message, command, l10n, services, "audit-declare-usage")) is None:
        return
    agency, period = asked
    if not await audit.may_declare(services.settings, platform, message.from_user.id, agency, services.catalog):
        await message.answer(l10n("admin-not-allowed"))
        return
    today = services.clock.today()
    if period.end >= today:
        await message.answer(l10n("audit-period-open", end=period.end))
        return
    forms = await audit.forms(
        services.catalog,
        agency,
        period,
        tz=services.settings.calendar.timezone,
        service_link=await _link(bot, platform),
        lang="fa",
    )
    try:
        declared = await audit.declare(forms, by=_by(message, platform), today=today)
    except audit.AuditError:
        await message.answer(l10n("audit-declared-already", period=_period_text(l10n, period)))
        return
    await message.answer(
        l10n("audit-declared", number=declared.id, agency=forms.header.agency_title, period=_period_text(l10n, period))
    )


@audit_roles.message(Command("evaluate"))
async def evaluate(message: Message, command: CommandObject, l10n: L10n, platform: str, services: Services):
    args = (command.args or "").split()
    number = normalize_digits(args[0]) if args else ""
    declaration = await AuditDeclaration.get_or_none(id=int(number)) if number.isdigit() else None
    if declaration is None or len(args) < 2:
        await message.answer(l10n("audit-evaluate-usage"))
        return
    province = audit.Forms.from_json(declaration.forms).header.province
    if not await audit.may_evaluate(platform, message.from_user.id, province):
        await message.answer(l10n("audit-evaluators-only", province=province))
        return
    section = args[1].lower()
    rest = (
        [normalize_digits(a) for a in args[2:4]] + args[4:] if section in ("s1", "s2", "s3", "s4", "s5") else args[2:]
    )
    try:
        await audit.evaluate(declaration, section, rest, by=_by(message, platform), now=datetime.now(UTC))
    except audit.AuditError as e:
        key = {"evaluated": "audit-evaluated-already", "not-in-section": "audit-not-in-section"}.get(e.reason)
        await message.answer(l10n(key or "audit-evaluate-usage", **e.params))
        return
    await message.answer(
        l10n("audit-evaluation-done" if section == "done" else "audit-evaluation-noted", number=declaration.id)
    )


@audit_roles.message(Command("rollup"))
async def rollup(message: Message, command: CommandObject, l10n: L10n, platform: str, services: Services):
    user_id = message.from_user.id
    admin = await staff.is_admin(services.settings, platform, user_id)
    provinces = await audit.evaluator_provinces(platform, user_id)
    if not admin and not provinces:
        await message.answer(l10n("admin-not-allowed"))
        return
    arg = normalize_digits(command.args or "").strip()
    try:
        periods = (
            audit.parse_half(arg, services.clock.today()) if arg else [audit.parse_period(None, services.clock.today())]
        )
    except audit.AuditError:
        await message.answer(l10n("audit-bad-period"))
        return
    table2 = await audit.rollup(periods) if admin else []
    all_provinces = sorted({u.province.get("fa") for u in services.catalog.units.values()})
    mine = all_provinces if admin else [p for p in all_provinces if any(audit.provinces_match(p, q) for q in provinces)]
    table1 = {p: await audit.rollup(periods, province=p) for p in mine}
    text = l10n.join(_period_text(l10n, p) for p in periods)
    from bot.reports.audit import rollup_workbook

    data = rollup_workbook(table2, table1, l10n.button, text)
    await message.answer_document(
        BufferedInputFile(data, filename=f"rollup-{file_date(periods[0].start)}.xlsx"),
        caption=l10n("audit-rollup-caption", periods=text),
    )


@router.message(Command("card"))
async def card(message: Message, command: CommandObject, l10n: L10n, services: Services):
    code = (command.args or "").strip().lower()
    found = services.catalog.services.get(code)
    if found is None:
        await message.answer(l10n("audit-card-usage"))
        return
    from bot.reports.identity import identity_card

    data = identity_card(found, services.catalog, l10n.button, l10n.lang, digits=l10n.digits)
    await message.answer_document(
        BufferedInputFile(data, filename=f"card-{code}.xlsx"),
        caption=l10n("audit-card-caption", title=found.title.get(l10n.lang)),
    )
