"""Telegram's HTML parse mode: validate like the Bot API and turn markup into plain text + entities."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

# tag -> MessageEntity type (https://core.telegram.org/bots/api#html-style)
TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z_][\w-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z_][\w-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


class HtmlError(ValueError):
    """The text Telegram would refuse with "can't parse entities: ..."."""


@dataclass
class Parsed:
    plain: str
    entities: list[dict] = field(default_factory=list)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _attrs(raw: str) -> dict[str, str]:
    out = {}
    for name, value in _ATTR.findall(raw):
        if value[:1] in "\"'":
            value = value[1:-1]
        out[name.lower()] = html.unescape(value)
    return out


def _entity(tag: str, attrs: dict[str, str], text: str, pos: int) -> dict:
    kind = TAGS[tag]
    entity: dict = {"type": kind}
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, pos)}')
    if tag == "a":
        entity["url"] = attrs.get("href", "")
    elif tag == "tg-emoji":
        if "emoji-id" not in attrs:
            raise HtmlError(f"Custom emoji entity must have an emoji-id at byte offset {_byte_offset(text, pos)}")
        entity["custom_emoji_id"] = attrs["emoji-id"]
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif tag == "code" and attrs.get("class", "").startswith("language-"):
        entity["language"] = attrs["class"].removeprefix("language-")
    elif tag == "tg-time":
        entity["unix_time"] = int(attrs.get("unix", "0") or 0)
        if "format" in attrs:
            entity["date_time_format"] = attrs["format"]
    return entity


def parse_html(text: str) -> Parsed:
    """Parse like Telegram: only its tags, every bare <, > and & escaped, tags properly nested."""
    plain: list[str] = []
    length = 0  # UTF-16 length of the plain text so far
    stack: list[tuple[str, dict, int]] = []
    entities: list[dict] = []
    pos = 0
    for match in re.finditer(r"[<>&]", text):
        start = match.start()
        if start < pos:
            continue
        chunk = text[pos:start]
        plain.append(chunk)
        length += utf16_len(chunk)
        char = match.group()
        if char == ">":
            raise HtmlError(f"Unexpected character '>' at byte offset {_byte_offset(text, start)}: escape it as &gt;")
        if char == "&":
            ent = _ENTITY.match(text, start)
            if not ent:
                raise HtmlError(f"Unescaped '&' at byte offset {_byte_offset(text, start)}: escape it as &amp;")
            value = html.unescape(ent.group())
            plain.append(value)
            length += utf16_len(value)
            pos = ent.end()
            continue
        tag_match = _TAG.match(text, start)
        if not tag_match:
            raise HtmlError(f"Can't find end of the tag starting at byte offset {_byte_offset(text, start)}")
        closing, tag, raw_attrs = tag_match.group(1), tag_match.group(2).lower(), tag_match.group(3)
        if tag not in TAGS:
            kind = "end" if closing else "start"
            raise HtmlError(f'Unsupported {kind} tag "{tag}" at byte offset {_byte_offset(text, start)}')
        if closing:
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {_byte_offset(text, start)}")
            open_tag, entity, offset = stack.pop()
            if open_tag != tag:
                raise HtmlError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, start)}, "
                    f'expected "</{open_tag}>", found "</{tag}>"'
                )
            if length > offset:
                entity.update(offset=offset, length=length - offset)
                entities.append(entity)
        else:
            stack.append((tag, _entity(tag, _attrs(raw_attrs), text, start), length))
        pos = tag_match.end()
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    plain.append(text[pos:])
    entities = _merge_pre_code(entities)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return Parsed("".join(plain), entities)


def _merge_pre_code(entities: list[dict]) -> list[dict]:
    """<pre><code class="language-x"> is one pre entity with a language, as Telegram reports it."""
    pres = {(e["offset"], e["length"]): e for e in entities if e["type"] == "pre"}
    out = []
    for entity in entities:
        pre = pres.get((entity["offset"], entity["length"]))
        if entity["type"] == "code" and pre is not None:
            if "language" in entity:
                pre["language"] = entity["language"]
            continue
        if entity["type"] == "code":
            entity.pop("language", None)
        out.append(entity)
    return out


def plain_text(text: str, parse_mode: str | None) -> Parsed:
    """Plain text and entities of a text as Telegram would store it (HTML parsed, other modes verbatim)."""
    if (parse_mode or "").lower() == "html":
        plain, entities = _parsed_html(text)
        return Parsed(plain, [dict(e) for e in entities])
    if parse_mode == "bale-markdown":  # a Bale bot's text (standin/bale.py): Bale renders its markdown
        from standin.bale import render

        return render(text)
    return Parsed(text)


@lru_cache(maxsize=256)
def _parsed_html(text: str) -> tuple[str, tuple[dict, ...]]:
    """A call's text is parsed twice (its limits, then the message): once is enough."""
    parsed = parse_html(text)
    return parsed.plain, tuple(parsed.entities)
