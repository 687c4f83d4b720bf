"""Rendering helpers shared by handlers: escaping and splitting long texts."""

from __future__ import annotations

import html
import re
import weakref

from bot.l10n import Safe

MAX_TEXT = 4096
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_catalog_memo: dict[int, dict] = {}  # by id(catalog); an entry goes with its catalogue


def per_catalog(catalog, key: tuple, build):
    """What `build()` renders from a catalogue, built once per catalogue object (a /reload makes a new
    one) and key: the citizen's hot path shows the same menus and information package over and over."""
    table = _catalog_memo.get(id(catalog))
    if table is None:
        table = _catalog_memo[id(catalog)] = {}
        weakref.finalize(catalog, _catalog_memo.pop, id(catalog), None)
    if key not in table:
        table[key] = build()
    return table[key]


def plain(text: str) -> str:
    """An HTML fragment of ours as plain text (for a spreadsheet cell or a messenger without HTML)."""
    return html.unescape(_TAG.sub("", text))


def esc(text) -> str:
    """User or catalogue text inside an HTML message."""
    return html.escape("" if text is None else str(text), quote=False)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a long message at paragraph, then line, then space boundaries (never inside a tag
    opened on the same line, as our templates keep tags within a line)."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit))
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    if text:
        parts.append(text)
    return parts


def pick(text, lang: str) -> str:
    """A bilingual catalogue text (a `Text` model or its snapshot dict) in `lang`, else Persian."""
    if text is None:
        return ""
    if isinstance(text, dict):
        return text.get(lang) or text.get("fa") or ""
    if isinstance(text, str):
        return text
    return text.get(lang)


def answer_text(l10n, field, value, file_names: dict[int, str] | None = None) -> str:
    """A form answer as shown on the review screen, the receipt and the staff card (HTML). `field`:
    the catalogue's field, or its snapshot stored with the request (models/card.py)."""
    if value in (None, "", []):
        return l10n("answer-empty")
    t = field.type
    if t in ("choice", "multichoice"):
        labels = {o.value: pick(o.label, l10n.lang) for o in field.options}
        values = value if isinstance(value, list) else [value]
        return esc(l10n.join(labels.get(v, v) for v in values))
    if t == "yesno":
        return l10n("answer-yes" if value else "answer-no")
    if t == "date":
        from datetime import date

        return l10n.date(date.fromisoformat(value))
    if t in ("number", "national_id", "mobile", "postal_code"):
        return l10n.digits(esc(value))
    if t in ("document", "photo"):
        names = [esc((file_names or {}).get(i, "")) for i in value]
        return l10n("answer-files", count=len(value), names=Safe(l10n.join(n for n in names if n)))
    if t == "location":
        return l10n("answer-location", lat=l10n.decimal(value["lat"], 5), lon=l10n.decimal(value["lon"], 5))
    return esc(value)
