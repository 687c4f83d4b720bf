"""Keyboards, built from locale keys and typed callback data."""

from __future__ import annotations

import zlib
from functools import lru_cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.callbacks import CatalogCb, FormCb, LangCb, MenuCb, MineCb, ProfileCb, RequestCb, SearchCb, ServiceCb
from bot.l10n import L10n
from bot.views.render import per_catalog, pick

PAGE = 8
INFO_SECTIONS = ("stages", "documents", "laws", "faq", "fees", "complaint", "contact")


def button(text: str, cb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=cb.pack())


def markup(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """An inline keyboard of the given rows (empty rows left out)."""
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


# Keyboards that depend only on the language (and on the catalogue) are built once: the citizen's
# hot path sends them on nearly every update. Nothing mutates a markup once built, so sharing is safe.
@lru_cache(maxsize=64)
def main_menu(l10n: L10n, *, resume: bool = False) -> InlineKeyboardMarkup:
    return markup(
        [
            button(l10n.button("menu-resume"), MenuCb(action="resume")),
            button(l10n.button("menu-discard"), FormCb(action="cancel")),
        ]
        if resume
        else [],
        [button(l10n.button("menu-catalog"), MenuCb(action="catalog"))],
        [
            button(l10n.button("menu-mine"), MenuCb(action="mine")),
            button(l10n.button("menu-profile"), MenuCb(action="profile")),
        ],
        [
            button(l10n.button("menu-help"), MenuCb(action="help")),
            button(l10n.button("menu-lang"), MenuCb(action="lang")),
        ],
    )


@lru_cache(maxsize=64)
def languages(l10n: L10n) -> InlineKeyboardMarkup:
    return markup([button(l10n.button(f"lang-name-{lang}"), LangCb(lang=lang)) for lang in ("fa", "en")])


def pager(l10n: L10n, page: int, total: int, make_cb) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(button(l10n.button("nav-prev"), make_cb(page - 1)))
    if total > PAGE:  # where we are: 2/12
        pages = (total + PAGE - 1) // PAGE
        row.append(
            button(
                l10n.button("nav-page", page=l10n.digits(str(page + 1)), pages=l10n.digits(str(pages))), make_cb(page)
            )
        )
    if (page + 1) * PAGE < total:
        row.append(button(l10n.button("nav-next"), make_cb(page + 1)))
    return row


def agencies(l10n: L10n, catalog) -> InlineKeyboardMarkup:
    return per_catalog(
        catalog,
        ("agencies", l10n),
        lambda: markup(
            *(
                [button(pick(agency.title, l10n.lang), CatalogCb(agency=agency.code))]
                for agency in catalog.agencies.values()
                if catalog.by_agency(agency.code)
            ),
            [button(l10n.button("nav-menu"), MenuCb(action="home"))],
        ),
    )


def agency_services(l10n: L10n, catalog, agency: str, page: int) -> InlineKeyboardMarkup:
    """One page of an agency's services."""
    return per_catalog(
        catalog,
        ("services", l10n, agency, page),
        lambda: services(l10n, catalog.by_agency(agency), page=page, agency=agency),
    )


def services(l10n: L10n, cards: list, *, page: int = 0, agency: str = "", make_cb=None) -> InlineKeyboardMarkup:
    """One page of services; `make_cb(page)` makes the pager's buttons (default: the agency's pages)."""
    return markup(
        *(
            [button(pick(card.title, l10n.lang), ServiceCb(code=card.code))]
            for card in cards[page * PAGE : (page + 1) * PAGE]
        ),
        pager(l10n, page, len(cards), make_cb or (lambda p: CatalogCb(agency=agency, page=p))),
        [button(l10n.button("nav-back"), CatalogCb()), button(l10n.button("nav-menu"), MenuCb(action="home"))],
    )


def search_key(words: str) -> str:
    return format(zlib.crc32(words.encode()), "08x")


def search_results(l10n: L10n, cards: list, page: int, words: str) -> InlineKeyboardMarkup:
    """A page of a search's matches, best first, with its own Next and Previous."""
    key = search_key(words)
    return services(l10n, cards, page=page, make_cb=lambda p: SearchCb(page=p, key=key))


def service_info(l10n: L10n, catalog, card, current: str = "main") -> InlineKeyboardMarkup:
    def build() -> InlineKeyboardMarkup:
        sections = [
            button(l10n.button(f"info-btn-{section}"), ServiceCb(code=card.code, section=section))
            for section in INFO_SECTIONS
            if section != current
        ]
        return markup(
            *(sections[i : i + 2] for i in range(0, len(sections), 2)),
            [button(l10n.button("info-btn-main"), ServiceCb(code=card.code))] if current != "main" else [],
            [button(l10n.button("info-btn-apply"), ServiceCb(code=card.code, section="apply"))],
            [button(l10n.button("nav-back"), CatalogCb(agency=card.agency))],
        )

    return per_catalog(catalog, ("service", l10n, card.code, current), build)


def profile(l10n: L10n) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(l10n.button("profile-edit-name"), ProfileCb(action="name"))],
            [button(l10n.button("profile-edit-national-id"), ProfileCb(action="national_id"))],
            [button(l10n.button("profile-edit-mobile"), ProfileCb(action="mobile"))],
            [button(l10n.button("nav-menu"), MenuCb(action="home"))],
        ]
    )


def share_contact(l10n: L10n) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=l10n.button("share-contact"), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def share_location(l10n: L10n) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=l10n.button("share-location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def form_nav(l10n: L10n, *, optional: bool, first: bool) -> list[list[InlineKeyboardButton]]:
    rows = []
    if optional:
        rows.append([button(l10n.button("form-skip"), FormCb(action="skip"))])
    nav = [] if first else [button(l10n.button("form-back"), FormCb(action="back"))]
    nav.append(button(l10n.button("form-cancel"), FormCb(action="cancel")))
    rows.append(nav)
    return rows


def my_requests(l10n: L10n, rows: list, page: int, total: int) -> InlineKeyboardMarkup:
    return markup(
        *(
            [
                button(
                    l10n.button(
                        "mine-item",
                        code=l10n.code(r.tracking_code),
                        service=pick(r.snapshot.title, l10n.lang),
                        status=l10n.button(f"status-{r.status}"),
                    ),
                    RequestCb(code=r.tracking_code),
                )
            ]
            for r in rows
        ),
        pager(l10n, page, total, lambda p: MineCb(page=p)),
        [button(l10n.button("nav-menu"), MenuCb(action="home"))],
    )
