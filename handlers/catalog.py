"""The catalogue: agencies -> services, search by typing, and each service's information package."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.callbacks import CatalogCb, MenuCb, ServiceCb
from bot.filters import Magic, PrivateChat
from bot.l10n import L10n
from bot.views import keyboards
from bot.views.render import esc, per_catalog, pick, split_text
from desk import tracking

router = Router(name="catalog")


@router.callback_query(MenuCb.filter(F.action == "catalog"))
@router.callback_query(CatalogCb.filter(F.agency == ""))
async def show_agencies(query: CallbackQuery, l10n: L10n, catalog):
    await query.message.edit_text(l10n("catalog-agencies"), reply_markup=keyboards.agencies(l10n, catalog))
    await query.answer()


@router.callback_query(CatalogCb.filter())
async def show_services(query: CallbackQuery, callback_data: CatalogCb, l10n: L10n, catalog):
    agency = catalog.agencies.get(callback_data.agency)
    if agency is None:
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    cards = catalog.by_agency(agency.code)
    await query.message.edit_text(
        l10n("catalog-services", agency=pick(agency.title, l10n.lang), count=len(cards)),
        reply_markup=keyboards.agency_services(l10n, catalog, agency.code, callback_data.page),
    )
    await query.answer()


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


@router.callback_query(ServiceCb.filter(F.section != "apply"))
async def show_service(query: CallbackQuery, callback_data: ServiceCb, l10n: L10n, catalog):
    card = catalog.services.get(callback_data.code)
    if card is None or callback_data.section not in ("main", *keyboards.INFO_SECTIONS):
        await query.answer(l10n.button("button-expired"), show_alert=True)
        return
    await send_service(query.message, l10n, card, catalog, section=callback_data.section, edit=True)
    await query.answer()


@router.message(StateFilter(None), PrivateChat(), Magic(F.text), Magic(~F.text.startswith("/")))
async def search(message: Message, l10n: L10n, catalog, citizen):
    """Free text outside a form: a tracking code is looked up, anything else searches services."""
    if tracking.looks_like_code(message.text):
        from handlers.tracking import show_request_by_code

        await show_request_by_code(message, l10n, citizen, message.text)
        return
    found = catalog.search(message.text[:200], l10n.lang)
    if not found:
        await message.answer(l10n("search-none", query=message.text[:200]), reply_markup=keyboards.main_menu(l10n))
        return
    await message.answer(l10n("search-found", count=len(found)), reply_markup=keyboards.services(l10n, found))
