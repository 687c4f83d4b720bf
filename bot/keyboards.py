"""Keyboards, built from locale keys and typed callback data."""
from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CatalogCb, FormCb, LangCb, MenuCb, MineCb, ProfileCb, RequestCb, ServiceCb
from bot.l10n import L10n
from bot.render import pick

PAGE = 8
INFO_SECTIONS = ("stages", "documents", "laws", "faq", "fees", "complaint", "contact")


def button(text: str, cb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=cb.pack())


def main_menu(l10n: L10n, *, resume: bool = False) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if resume:
        kb.row(button(l10n.button("menu-resume"), MenuCb(action="resume")))
    kb.row(button(l10n.button("menu-catalog"), MenuCb(action="catalog")))
    kb.row(button(l10n.button("menu-mine"), MenuCb(action="mine")),
           button(l10n.button("menu-profile"), MenuCb(action="profile")))
    kb.row(button(l10n.button("menu-help"), MenuCb(action="help")),
           button(l10n.button("menu-lang"), MenuCb(action="lang")))
    return kb.as_markup()


def languages(l10n: L10n) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[button(l10n.button(f"lang-name-{lang}"), LangCb(lang=lang))
                                                  for lang in ("fa", "en")]])


def pager(l10n: L10n, page: int, total: int, make_cb) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(button(l10n.button("nav-prev"), make_cb(page - 1)))
    if (page + 1) * PAGE < total:
        row.append(button(l10n.button("nav-next"), make_cb(page + 1)))
    return row


def agencies(l10n: L10n, catalog) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for agency in catalog.agencies.values():
        if catalog.by_agency(agency.code):
            kb.row(button(pick(agency.title, l10n.lang), CatalogCb(agency=agency.code)))
    kb.row(button(l10n.button("nav-menu"), MenuCb(action="home")))
    return kb.as_markup()


def services(l10n: L10n, cards: list, *, page: int = 0, agency: str = "") -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for card in cards[page * PAGE:(page + 1) * PAGE]:
        kb.row(button(pick(card.title, l10n.lang), ServiceCb(code=card.code)))
    if nav := pager(l10n, page, len(cards), lambda p: CatalogCb(agency=agency, page=p)):
        kb.row(*nav)
    kb.row(button(l10n.button("nav-back"), CatalogCb()), button(l10n.button("nav-menu"), MenuCb(action="home")))
    return kb.as_markup()


def service_info(l10n: L10n, card, current: str = "main") -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for section in INFO_SECTIONS:
        if section != current:
            kb.button(text=l10n.button(f"info-btn-{section}"), callback_data=ServiceCb(code=card.code, section=section))
    kb.adjust(2)
    if current != "main":
        kb.row(button(l10n.button("info-btn-main"), ServiceCb(code=card.code)))
    kb.row(button(l10n.button("info-btn-apply"), ServiceCb(code=card.code, section="apply")))
    kb.row(button(l10n.button("nav-back"), CatalogCb(agency=card.agency)))
    return kb.as_markup()


def profile(l10n: L10n) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [button(l10n.button("profile-edit-name"), ProfileCb(action="name"))],
        [button(l10n.button("profile-edit-national-id"), ProfileCb(action="national_id"))],
        [button(l10n.button("profile-edit-mobile"), ProfileCb(action="mobile"))],
        [button(l10n.button("nav-menu"), MenuCb(action="home"))]])


def share_contact(l10n: L10n) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=l10n.button("share-contact"), request_contact=True)]],
                               resize_keyboard=True, one_time_keyboard=True)


def share_location(l10n: L10n) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text=l10n.button("share-location"), request_location=True)]],
                               resize_keyboard=True, one_time_keyboard=True)


def form_nav(l10n: L10n, *, optional: bool, first: bool) -> list[list[InlineKeyboardButton]]:
    rows = []
    if optional:
        rows.append([button(l10n.button("form-skip"), FormCb(action="skip"))])
    nav = [] if first else [button(l10n.button("form-back"), FormCb(action="back"))]
    nav.append(button(l10n.button("form-cancel"), FormCb(action="cancel")))
    rows.append(nav)
    return rows


def my_requests(l10n: L10n, rows: list, page: int, total: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for r in rows:
        label = l10n.button("mine-item", code=l10n.code(r.tracking_code), service=pick(r.card["title"], l10n.lang),
                            status=l10n.button(f"status-{r.status}"))
        kb.row(button(label, RequestCb(code=r.tracking_code)))
    if nav := pager(l10n, page, total, lambda p: MineCb(page=p)):
        kb.row(*nav)
    kb.row(button(l10n.button("nav-menu"), MenuCb(action="home")))
    return kb.as_markup()
