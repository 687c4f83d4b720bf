"""Rendering helpers shared by handlers: escaping and splitting long texts."""

from __future__ import annotations

import html
import re
import weakref

from bot.l10n import Safe
from desk.calendar import jalali
from desk.text import isolate, ltr, strip_bidi

MAX_TEXT = 4096  # Telegram's limits, in UTF-16 code units
MAX_CAPTION = 1024
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


def file_date(day) -> str:
    """A Jalali date for a file name (1404-03-01): Latin digits, no slashes."""
    return jalali(day, digits="en").replace("/", "-")


def plain(text: str) -> str:
    """An HTML fragment of ours as plain text (for a spreadsheet cell or a messenger without HTML)."""
    return html.unescape(_TAG.sub("", text))


def esc(text) -> str:
    """User or catalogue text inside an HTML message (without bidirectional controls)."""
    return html.escape(strip_bidi("" if text is None else str(text)), quote=False)


def iso(text) -> str:
    """Someone's text inside a line of an HTML message: escaped and isolated (desk.text.isolate)."""
    return isolate(esc(text))


def utf16_len(text: str) -> int:
    """A text's length as Telegram counts it: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


_TAG_PARTS = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")


def _open_tags(html_text: str) -> list[tuple[str, str]]:
    """The tags left open at the end of an HTML fragment: (name, the opening tag as written)."""
    stack: list[tuple[str, str]] = []
    for match in _TAG_PARTS.finditer(html_text):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
        else:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
    return stack


def _utf16_prefix(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    if utf16_len(text) <= limit:
        return len(text)
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def _safe_cut(text: str, cut: int) -> int:
    """Move a cut back out of a tag (`<b ...>`) or an entity (`&amp;`)."""
    lt, gt = text.rfind("<", 0, cut), text.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    amp, semi = text.rfind("&", 0, cut), text.rfind(";", 0, cut)
    if amp > semi and cut - amp <= 10:
        cut = amp
    return cut


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """A long HTML message as several, each within `limit` UTF-16 code units as Telegram counts them:
    cut at a paragraph, else a line, else a space boundary (never inside a tag or an entity); a tag
    open at a cut is closed there and opened again at the start of the next part.
    (No library does this for Telegram's HTML: aiogram's formatting builds texts but does not split them.)"""
    if utf16_len(text) <= limit:
        return [text] if text else []
    room = limit - 64  # the tags closed and reopened at a cut
    parts: list[str] = []
    while utf16_len(text) > limit:
        end = _utf16_prefix(text, room)
        cut = text.rfind("\n\n", 0, end)
        if cut < end // 2:
            cut = max(cut, text.rfind("\n", 0, end))
        if cut < end // 2:
            cut = max(cut, text.rfind(" ", 0, end))
        if cut <= 0:
            cut = end
        cut = _safe_cut(text, cut) or end
        head, text = text[:cut].rstrip(), text[cut:].lstrip("\n ")
        still_open = _open_tags(head)
        parts.append(head + "".join(f"</{name}>" for name, _ in reversed(still_open)))
        text = "".join(tag for _, tag in still_open) + text
    if text.strip():
        parts.append(text)
    return [p for p in parts if p.strip()]


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
        return ltr(l10n.digits(esc(value)))
    if t in ("document", "photo"):
        names = [ltr(esc(n)) for i in value if (n := (file_names or {}).get(i, ""))]
        return l10n("answer-files", count=len(value), names=Safe(l10n.join(n for n in names if n)))
    if t == "location":
        return l10n("answer-location", lat=l10n.decimal(value["lat"], 5), lon=l10n.decimal(value["lon"], 5))
    return iso(value)
