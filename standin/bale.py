"""Bale's Bot API, as far as Bale documents it: the stand-in's Bale mode (`add_bot(..., platform="bale")`
or `Standin(platform="bale")`).

A Bale bot of the stand-in refuses what Bale does not document (a method or parameter missing from
the lists below is answered with an error and recorded as a violation), formats every text as Bale
does (no parse_mode; Bale's markdown), has groups of type "group" (no supergroups, no forum topics),
sends no membership updates, pushes webhook updates without a secret header, and answers with
Bale's error texts where they are known. The sources of each list are in docs/BALE.md; where Bale's
answer is not known (an unknown method's text, an identical edit), the stand-in keeps Telegram's.
"""

from __future__ import annotations

import re

from standin.errors import ApiError
from standin.html import Parsed, utf16_len

PLATFORM = "bale"
MARKDOWN = "bale-markdown"  # the stand-in's own name for how Bale renders a text (never on the wire)

_SENT = {"chat_id", "reply_markup", "reply_to_message_id"}
# method -> the parameters Bale documents (docs/BALE.md, with the source of each)
PARAMS: dict[str, set[str]] = {
    "getMe": set(),
    "getUpdates": {"offset", "limit", "timeout"},
    "setWebhook": {"url"},
    "deleteWebhook": set(),
    "getWebhookInfo": set(),
    "sendMessage": _SENT | {"text"},
    "sendDocument": _SENT | {"document", "caption"},
    "sendPhoto": _SENT | {"photo", "caption"},
    "sendVoice": _SENT | {"voice", "caption"},
    "sendMediaGroup": {"chat_id", "media", "reply_to_message_id"},
    "sendLocation": _SENT | {"latitude", "longitude", "horizontal_accuracy"},
    "sendContact": _SENT | {"phone_number", "first_name", "last_name"},
    "sendChatAction": {"chat_id", "action"},
    "copyMessage": {"chat_id", "from_chat_id", "message_id"},
    "forwardMessage": {"chat_id", "from_chat_id", "message_id"},
    "editMessageText": {"chat_id", "message_id", "text", "reply_markup"},
    "editMessageCaption": {"chat_id", "message_id", "caption", "reply_markup"},
    "editMessageReplyMarkup": {"chat_id", "message_id", "reply_markup"},
    "deleteMessage": {"chat_id", "message_id"},
    "answerCallbackQuery": {"callback_query_id", "text", "show_alert"},
    "getFile": {"file_id"},
    "getChat": {"chat_id"},
    "getChatMember": {"chat_id", "user_id"},
    "getChatAdministrators": {"chat_id"},
    "sendInvoice": _SENT | {"title", "description", "payload", "provider_token", "prices", "photo_url", "currency"},
    "answerPreCheckoutQuery": {"pre_checkout_query_id", "ok", "error_message"},
}
MEDIA_FIELDS = {"type", "media", "caption"}
# keyboards as Bale's libraries model them (docs/BALE.md, Keyboards)
MARKUP_FIELDS = {"inline_keyboard", "keyboard", "resize_keyboard", "one_time_keyboard", "remove_keyboard"}
BUTTON_FIELDS = {"text", "callback_data", "url", "web_app", "copy_text", "request_contact", "request_location"}
# the parameters Telegram's spec no longer lists but Bale documents (checked here instead)
LEGACY = {"reply_to_message_id"}
UPDATE_TYPES = ("message", "edited_message", "callback_query", "pre_checkout_query")

# Telegram's answer -> Bale's, where Bale's text is known (python-bale-bot's error table)
NO_SUCH = "no such group or user"
PERMISSION_DENIED = "Forbidden: permission_denied"
RATE_LIMITED = "bot limit exceed"
_ERRORS = {
    "Bad Request: chat not found": (400, NO_SUCH),
    "Bad Request: user not found": (400, NO_SUCH),
    "Forbidden: bot was blocked by the user": (403, PERMISSION_DENIED),
    "Forbidden: bot was kicked from the supergroup chat": (403, PERMISSION_DENIED),
    "Forbidden: bot is not a member of the supergroup chat": (403, PERMISSION_DENIED),
}


def decode_legacy(params: dict) -> None:
    """Integers of a form upload arrive as strings; Telegram's spec no longer types these ones."""
    for key in LEGACY:
        value = params.get(key)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            params[key] = int(value)


def refusals(method: str | None, name: str, params: dict) -> list[str]:
    """What Bale does not document in a call: the method, a parameter, a field of an album's item."""
    allowed = PARAMS.get(method or "")
    if allowed is None:
        return [f"Bale does not document the method {name!r}"]
    out = [f"{method}: Bale does not document the parameter {key!r}" for key in params if key not in allowed]
    media = params.get("media")
    for i, item in enumerate(media if isinstance(media, list) else []):
        if isinstance(item, dict):
            out += [f"{method}.media[{i}]: Bale does not document {k!r}" for k in item if k not in MEDIA_FIELDS]
    markup = params.get("reply_markup")
    if isinstance(markup, dict):
        out += [f"{method}.reply_markup: Bale does not document {k!r}" for k in markup if k not in MARKUP_FIELDS]
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        buttons = [b for row in rows if isinstance(row, list) for b in row if isinstance(b, dict)]
        out += [
            f"{method}.reply_markup: Bale does not document the button field {k!r}"
            for b in buttons
            for k in b
            if k not in BUTTON_FIELDS
        ]
    return out


def refused(violations: list[str]) -> ApiError:
    """The error a Bale bot gets for an undocumented call (Bale's own text for it is not known)."""
    return ApiError(400, f"Bad Request: {violations[0]}")


def translate(error: ApiError) -> ApiError:
    """Telegram's error as Bale answers it, where Bale's text is known."""
    if error.error_code == 429:
        return ApiError(429, RATE_LIMITED, retry_after=error.retry_after)
    if error.description in _ERRORS:
        code, description = _ERRORS[error.description]
        return ApiError(code, description)
    return error


# -- formatting -----------------------------------------------------------------------------------
# bold `*x*` and italic `_x_` need a space (or the text's edge) before the opening marker and after
# the closing one; a link is `[text](url)` (docs/BALE.md §3)
_MARKDOWN = re.compile(r"(?<!\S)([*_])(?=\S)(.+?)(?<=\S)\1(?!\S)|\[([^\]\n]+)\]\(([^)\s]+)\)")
_KINDS = {"*": "bold", "_": "italic"}


def render(text: str) -> Parsed:
    """A text as Bale shows it: markers taken out, entities in their place (UTF-16 offsets)."""
    plain: list[str] = []
    entities: list[dict] = []
    length, pos = 0, 0
    entity: dict[str, object]
    for match in _MARKDOWN.finditer(text):
        before = text[pos : match.start()]
        plain.append(before)
        length += utf16_len(before)
        if match.group(1):
            inner, entity = match.group(2), {"type": _KINDS[match.group(1)]}
        else:
            inner, entity = match.group(3), {"type": "text_link", "url": match.group(4)}
        entity.update(offset=length, length=utf16_len(inner))
        entities.append(entity)
        plain.append(inner)
        length += utf16_len(inner)
        pos = match.end()
    plain.append(text[pos:])
    return Parsed("".join(plain), entities)


def as_rendered(params: dict) -> dict:
    """A call's parameters as the stand-in's methods read them: texts rendered as Bale renders them."""
    out = dict(params)
    if isinstance(out.get("text"), str) or isinstance(out.get("caption"), str):
        out["parse_mode"] = MARKDOWN
    if isinstance(out.get("media"), list):
        out["media"] = [
            {**item, "parse_mode": MARKDOWN} if isinstance(item, dict) and "caption" in item else item
            for item in out["media"]
        ]
    return out
