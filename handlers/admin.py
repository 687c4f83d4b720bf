"""Reports for admins (capability 10): /stats, /chart, /export. Admins see everything; a unit's
supervisors see their own unit (the audit's commands are in handlers/audit.py).
Reports that carry personal data (/export: national IDs, mobiles, addresses among the answers) are
made only in the asker's private chat, never in a group."""

from datetime import UTC

from aiogram import Dispatcher
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.l10n import L10n
from bot.routes import Routes
from bot.services import Services
from bot.views.render import file_date
from desk import payments, reports, staff
from desk.catalog import CatalogError, load_catalog
from desk.survey import load_form
from desk.validators import ValidationError

router = Routes("admin")


async def _query(
    message: Message,
    command: CommandObject,
    l10n: L10n,
    services: Services,
    platform: str,
    *,
    admins_only: bool = False,
    personal: bool = False,
) -> reports.Query | None:
    """The report asked for, if this person may see it here (else an explanation is sent)."""
    if personal and message.chat.type != "private":
        await message.answer(l10n("admin-private-only"))
        return None
    user_id = message.from_user.id if message.from_user else 0
    today = services.clock.today()
    try:
        q = reports.parse_args(command.args or "", today)
    except ValidationError as e:
        await message.answer(
            l10n("admin-bad-args", arg=e.params.get("arg", command.args or ""))
            if e.code == "arg"
            else l10n("admin-bad-date")
        )
        return None
    scoped = await reports.scoped(q, services.settings, platform, user_id, admins_only=admins_only)
    if isinstance(scoped, reports.Refused):
        if scoped.reason == "unit-only":
            await message.answer(l10n("admin-unit-only", units=", ".join(scoped.units)))
        else:
            await message.answer(l10n("admin-not-allowed"))
        return None
    return scoped


def _period(l10n: L10n, q: reports.Query) -> str:
    name = l10n.button(f"admin-period-{q.kind or 'range'}")
    return f"{name} {l10n.date(q.start)}–{l10n.date(q.end)}"


def _scope(l10n: L10n, q: reports.Query) -> str:
    if not q.scope:
        return l10n.button("admin-scope-all")
    key, value = next(iter(q.scope.items()))
    return l10n.button(f"admin-scope-{value}") if key == "unit_place" else l10n.button(f"admin-scope-{key}", code=value)


def _one(l10n: L10n, x: float | None) -> str:
    return l10n.decimal(x, 1) if x is not None else l10n.button("admin-none")


def _days(l10n: L10n, x: float | None) -> str:
    return l10n.button("admin-days", value=_one(l10n, x)) if x is not None else l10n.button("admin-none")


def _pct(l10n: L10n, x: float | None) -> str:
    if x is None:
        return l10n.button("admin-none")
    return l10n.button("admin-percent", value=l10n.digits(f"{x * 100:.0f}"))


def paid_text(l10n: L10n, paid: payments.Totals) -> str:
    """Fees paid in the chat in the period, when there were any."""
    if not paid.count:
        return ""
    return "\n\n" + l10n(
        "stats-paid", amount=l10n.num(paid.paid), count=l10n.num(paid.count), refunded=l10n.num(paid.refunded)
    )


def stats_text(l10n: L10n, r: reports.Report) -> str:
    form, lang = load_form(), l10n.lang
    args = {
        "period": l10n.button(f"admin-period-{r.query.kind or 'range'}"),
        "scope": _scope(l10n, r.query),
        "start": r.query.start,
        "end": r.query.end,
        "pstart": r.before.start,
        "pend": r.before.end,
    }
    for prefix, f in (("", r.current), ("p_", r.previous)):
        args.update(
            {
                f"{prefix}accepted": f.accepted,
                f"{prefix}answered": f.answered,
                f"{prefix}open": f.open,
                f"{prefix}overdue": f.overdue,
                f"{prefix}mean": _days(l10n, f.mean_days),
                f"{prefix}median": _days(l10n, f.median_days),
                f"{prefix}on_time": _pct(l10n, f.on_time),
                f"{prefix}responses": f.responses,
                f"{prefix}satisfied": _pct(l10n, f.satisfied),
            }
        )
    text = l10n("admin-stats", **args)
    if r.current.responses or r.previous.responses:
        text += (
            "\n\n"
            + l10n("admin-stats-axes")
            + "\n"
            + "\n".join(
                f"• {axis.title.get(lang)}: {_one(l10n, r.current.axis_means.get(axis.code))}"
                f" / {_one(l10n, r.previous.axis_means.get(axis.code))}"
                for axis in form.axis
            )
        )
        text += (
            "\n\n"
            + l10n("admin-stats-items")
            + "\n"
            + l10n.button("admin-list-separator").join(
                f"{l10n.num(item.number)}: {_one(l10n, r.current.item_means.get(item.number))}"
                for item, _ in form.items
            )
        )
    return text


@router.message(Command("stats"))
async def stats(message: Message, command: CommandObject, l10n: L10n, platform: str, services: Services):
    if (q := await _query(message, command, l10n, services, platform)) is None:
        return
    tz = services.settings.calendar.timezone
    r = await reports.report(q, now=services.clock.now().astimezone(UTC), tz=tz)
    paid = await payments.totals(*reports.bounds(q, tz), q.scope)
    await message.answer(stats_text(l10n, r) + paid_text(l10n, paid))


@router.message(Command("chart"))
async def chart(message: Message, command: CommandObject, l10n: L10n, platform: str, services: Services):
    if (q := await _query(message, command, l10n, services, platform)) is None:
        return
    from bot.reports import charts  # matplotlib loads on the first /chart, not at start-up

    lang, tz, period = l10n.lang, services.settings.calendar.timezone, _period(l10n, q)
    weeks = await reports.requests_per_week(q, tz)
    times = await reports.answer_time_histogram(q, cap=30, tz=tz)
    last = max((i for i, n in enumerate(times) if n), default=0)
    figures = await reports.survey_figures(q, reports.Figures(), tz)
    form = load_form()
    pictures = [
        (
            "admin-chart-weeks",
            charts.bar_chart(
                l10n.button("admin-chart-weeks"),
                [l10n.button("admin-chart-week", n=i + 1) for i in range(len(weeks))],
                weeks,
                ylabel=l10n.button("admin-chart-count"),
                lang=lang,
            ),
        ),
        (
            "admin-chart-times",
            charts.bar_chart(
                l10n.button("admin-chart-times"),
                [str(d) + ("+" if d == 30 else "") for d in range(last + 1)],
                times[: last + 1],
                xlabel=l10n.button("admin-chart-days"),
                ylabel=l10n.button("admin-chart-count"),
                lang=lang,
            ),
        ),
        (
            "admin-chart-axes",
            charts.bar_chart(
                l10n.button("admin-chart-axes"),
                [a.title.get(lang) for a in form.axis],
                [round(figures.axis_means.get(a.code, 0), 2) for a in form.axis],
                xlabel=l10n.button("admin-chart-mean"),
                lang=lang,
                horizontal=True,
                limit=max(level.score for level in form.scale),
            ),
        ),
    ]
    for key, png in pictures:
        await message.answer_photo(
            BufferedInputFile(png, filename=f"{key}.png"),
            caption=l10n("admin-chart-caption", what=l10n.button(key), period=period),
        )


@router.message(Command("export"))
async def export_requests(message: Message, command: CommandObject, l10n: L10n, platform: str, services: Services):
    if (q := await _query(message, command, l10n, services, platform, personal=True)) is None:
        return
    from bot.reports import export  # openpyxl loads on the first export, not at start-up

    data = await export.build(q, l10n, services.catalog, tz=services.settings.calendar.timezone)
    count = await reports.accepted(q, services.settings.calendar.timezone)
    name = f"requests-{file_date(q.start)}-{file_date(q.end)}.xlsx"
    await message.answer_document(
        BufferedInputFile(data, filename=name),
        caption=l10n("admin-export-caption", period=_period(l10n, q), count=count),
    )


@router.message(Command("reload"))
async def reload_catalog(message: Message, l10n: L10n, platform: str, services: Services, dispatcher: Dispatcher):
    """Load the service identity cards again (admins); a broken card keeps the old catalogue."""
    if not await staff.is_admin(services.settings, platform, message.from_user.id if message.from_user else 0):
        await message.answer(l10n("admin-not-allowed"))
        return
    try:
        catalog = load_catalog(services.settings.resolve(services.settings.catalog.dir))
    except CatalogError as e:
        await message.answer(l10n("admin-reload-failed", problems="\n".join(e.problems[:20])))
        return
    dispatcher.workflow_data["services"] = services.with_catalog(catalog)
    await message.answer(l10n("admin-reload-done", count=len(catalog.services)))
