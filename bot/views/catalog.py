"""The catalogue's screens: a service's information package (capability 8), section by section."""

from aiogram.types import Message

from bot.l10n import L10n
from bot.views import keyboards
from bot.views.render import esc, per_catalog, pick, split_text


def package_parts(l10n: L10n, card, section: str, catalog) -> list[str]:
    """One section of a service's information package (capability 8), in messages of at most 4,096
    characters."""
    return per_catalog(
        catalog, ("package", l10n, card.code, section), lambda: split_text(package_text(l10n, card, section, catalog))
    )


def package_text(l10n: L10n, card, section: str, catalog) -> str:
    lang = l10n.lang
    title = esc(pick(card.title, lang))
    if section == "stages":
        lines = [
            l10n(
                "info-stage",
                n=i,
                title=pick(s.title, lang),
                channel=l10n.join(l10n.button(f"channel-{c}") for c in s.channel)
                if s.electronic
                else l10n.button(f"why-not-{s.reason_not_electronic}"),
                electronic=str(bool(s.electronic)).lower(),
            )
            for i, s in enumerate(card.stages, 1)
        ]
        body = "\n".join(lines)
    elif section == "documents":
        body = "\n".join(f"• {esc(pick(d, lang))}" for d in card.documents) or l10n("info-none")
    elif section == "laws":
        body = "\n".join(f"• {esc(pick(d, lang))}" for d in card.laws) or l10n("info-none")
    elif section == "faq":
        body = "\n\n".join(f"<b>{esc(pick(f.q, lang))}</b>\n{esc(pick(f.a, lang))}" for f in card.faq) or l10n(
            "info-none"
        )
    elif section == "fees":
        body = l10n(
            "info-fees",
            amount=card.fee.amount,
            how=pick(card.fee.how, lang),
            account=card.fee.account or "-",
            epayment=str(bool(card.fee.epayment)).lower(),
        )
    elif section == "complaint":
        body = esc(pick(card.complaint, lang))
    elif section == "contact":
        unit = catalog.units.get(card.unit)
        body = l10n(
            "info-contact",
            unit=pick(unit.title, lang) if unit else card.unit,
            person=pick(card.responsible.person, lang),
            hours=pick(card.access_hours, lang),
            web=card.web or "-",
        )
    else:
        agency = catalog.agencies.get(card.agency)
        body = l10n(
            "info-main",
            description=pick(card.description, lang),
            agency=pick(agency.title, lang) if agency else card.agency,
            duration=card.duration_days,
            visits=card.visits,
            type=card.type,
            electronic=sum(1 for s in card.stages if s.electronic),
            stages=len(card.stages),
            fee=card.fee.amount,
        )
        return f"<b>{title}</b>\n\n{body}"
    return f"<b>{title}</b> — {l10n(f'info-btn-{section}')}\n\n{body}"


async def send_service(
    message: Message, l10n: L10n, card, catalog, *, section: str = "main", edit: bool = False
) -> None:
    parts = package_parts(l10n, card, section, catalog)
    markup = keyboards.service_info(l10n, catalog, card, section)
    if edit and len(parts) == 1:
        await message.edit_text(parts[0], reply_markup=markup)
        return
    for part in parts[:-1]:
        await message.answer(part)
    await message.answer(parts[-1], reply_markup=markup)
