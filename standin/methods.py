"""Bot API methods of the stand-in, answering with Bot API objects and Telegram's own error texts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from standin.chats import ChatBase, FakeGroup, FakeUser, StoredMessage
from standin.errors import ApiError
from standin.files import DOWNLOAD_LIMIT, UPLOAD_LIMIT, NotAnImage, StoredFile
from standin.html import HtmlError, Parsed, plain_text, utf16_len
from standin.spec import (
    ATTACH,
    CALLBACK_ANSWER_LIMIT,
    CALLBACK_DATA_BYTES,
    CAPTION_LIMIT,
    EDIT_WINDOW_SECONDS,
    TEXT_LIMIT,
)
from standin.updates import BotAccount
from standin.wire import Files

if TYPE_CHECKING:
    from standin.core import Standin

Params = dict[str, Any]
Handler = Callable[["Standin", BotAccount, Params, Files], Awaitable[Any]]
METHODS: dict[str, Handler] = {}
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
COPIED = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    "document",
    "photo",
    "location",
    "contact",
    "voice",
    "audio",
    "video",
    "video_note",
)
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
    "can_pin_messages",
    "can_manage_topics",
)

# what a restricted member may do (ChatMemberRestricted): all allowed, or all refused
RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)


def api(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name] = handler
        return handler

    return register


# -- checks shared by the methods ----------------------------------------------------------------
def writable_chat(w: Standin, account: BotAccount, chat_id: int | str) -> ChatBase:
    chat = w.chat_of(chat_id)
    if isinstance(chat, FakeUser) and chat.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if isinstance(chat, FakeGroup):
        if chat.migrated_to is not None:
            raise ApiError(
                400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=chat.migrated_to
            )
        status = chat.status_of(account.id)
        kind = "supergroup chat" if chat.chat["type"] == "supergroup" else "group chat"
        if status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        if status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")
        if status == "restricted" and not chat.can_send.get(account.id, True):
            raise ApiError(400, "Bad Request: not enough rights to send text messages to the chat")
    return chat


def parse(text: str, parse_mode: str | None, entities: list | None) -> Parsed:
    try:
        parsed = plain_text(text, parse_mode)
    except HtmlError as e:
        raise ApiError(400, f"Bad Request: can't parse entities: {e}") from e
    if entities and not parse_mode:
        parsed.entities = entities
    return parsed


def parse_text(p: Params) -> Parsed:
    parsed = parse(p.get("text", ""), p.get("parse_mode"), p.get("entities"))
    if not parsed.plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(parsed.plain) > TEXT_LIMIT:
        raise ApiError(400, "Bad Request: message is too long")
    return parsed


def caption_content(caption: str | None, parse_mode: str | None, entities: list | None) -> tuple[dict, Parsed]:
    if caption is None:
        return {}, Parsed("")
    parsed = parse(caption, parse_mode, entities)
    if utf16_len(parsed.plain) > CAPTION_LIMIT:
        raise ApiError(400, "Bad Request: message caption is too long")
    content: dict = {"caption": parsed.plain} if parsed.plain else {}
    if parsed.entities:
        content["caption_entities"] = parsed.entities
    return content, parsed


def markup_of(p: Params) -> dict | None:
    markup = p.get("reply_markup")
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def reply_to_of(chat: ChatBase, p: Params) -> int | None:
    reply = p.get("reply_parameters") or {}
    message_id = reply.get("message_id", p.get("reply_to_message_id"))
    if message_id is None or message_id in chat.history:
        return message_id
    if reply.get("allow_sending_without_reply") or p.get("allow_sending_without_reply"):
        return None
    raise ApiError(400, "Bad Request: message to be replied not found")


def thread_of(chat: ChatBase, p: Params) -> int | None:
    thread_id = p.get("message_thread_id")
    if thread_id is None or not isinstance(chat, FakeGroup) or not chat.forum:
        return None
    if thread_id not in chat.topics:
        raise ApiError(400, "Bad Request: message thread not found")
    return thread_id


def input_file(w: Standin, value: str, files: Files, *, photo: bool) -> StoredFile:
    """An uploaded file (attach://name) is stored; a file_id is re-sent; Telegram would fetch a URL."""
    if value.startswith(ATTACH):
        name, data = files[value.removeprefix(ATTACH)]
        if len(data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        try:
            return w.files.add(data, photo=photo, name=None if photo else name)
        except NotAnImage as e:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED") from e
    if stored := w.files.get(value):
        return stored
    if value.startswith(("http://", "https://")):
        raise ApiError(400, "Bad Request: failed to get HTTP URL content")
    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


def send(
    w: Standin,
    account: BotAccount,
    chat: ChatBase,
    p: Params,
    content: dict,
    *,
    raw: str | None,
    plain: str,
    markup: dict | None = None,
    parse_mode: str | None = None,
) -> StoredMessage:
    reply_to = reply_to_of(chat, p)
    thread_id = thread_of(chat, p)
    w.check_rate(account, chat)
    if p.get("protect_content"):
        content["has_protected_content"] = True
    stored = w.store(
        chat,
        account.user,
        content,
        bot_token=account.token,
        raw=raw,
        plain=plain,
        markup=markup,
        parse_mode=parse_mode,
        reply_to=reply_to,
        thread_id=thread_id,
    )
    w.count_sent(account, chat)
    return stored


def own_message(w: Standin, account: BotAccount, p: Params, missing: str) -> tuple[ChatBase, StoredMessage]:
    if "chat_id" not in p or "message_id" not in p:
        raise ApiError(400, "Bad Request: chat_id and message_id are required")
    chat = writable_chat(w, account, p["chat_id"])
    stored = chat.history.get(p["message_id"])
    if stored is None:
        raise ApiError(400, f"Bad Request: {missing}")
    return chat, stored


def edit(
    w: Standin,
    account: BotAccount,
    chat: ChatBase,
    stored: StoredMessage,
    content: dict,
    *,
    raw: str | None,
    parsed: Parsed,
    markup: dict | None,
    parse_mode: str | None,
) -> dict:
    if stored.bot_token != account.token or w.now() - stored.api["date"] > EDIT_WINDOW_SECONDS:
        raise ApiError(400, "Bad Request: message can't be edited")
    inline = markup if markup and "inline_keyboard" in markup else None
    before = {k: stored.api.get(k) or None for k in (*content, "reply_markup")}
    if before == {k: v or None for k, v in {**content, "reply_markup": inline}.items()}:
        raise ApiError(400, NOT_MODIFIED)
    for key, value in content.items():
        if value in (None, []):
            stored.api.pop(key, None)
        else:
            stored.api[key] = value
    if inline:
        stored.api["reply_markup"] = inline
    else:
        stored.api.pop("reply_markup", None)
    stored.api["edit_date"] = w.now()
    stored.raw, stored.plain, stored.markup, stored.parse_mode = raw, parsed.plain, markup, parse_mode
    w.emit("edit", chat, stored)
    return stored.api


def member(w: Standin, chat: ChatBase, user_id: int) -> dict:
    user = w.person(user_id)
    status = chat.status_of(user_id) if isinstance(chat, FakeGroup) else "member"
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        return {
            "status": status,
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            **dict.fromkeys(ADMIN_RIGHTS, True),
        }
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    if status == "restricted":
        allowed = chat.can_send.get(user_id, True) if isinstance(chat, FakeGroup) else True
        return {
            "status": status,
            "user": user,
            "is_member": True,
            **dict.fromkeys(RESTRICTED_RIGHTS, allowed),
            "until_date": 0,
        }
    return {"status": status, "user": user}


# -- the account -----------------------------------------------------------------------------------
@api("getMe")
async def get_me(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    return account.me()


@api("getUpdates")
async def get_updates(w: Standin, account: BotAccount, p: Params, files: Files) -> list[dict]:
    return await account.get_updates(
        offset=p.get("offset", 0),
        limit=p.get("limit", 100),
        timeout=p.get("timeout", 0),
        allowed_updates=p.get("allowed_updates"),
    )


@api("setWebhook")
async def set_webhook(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    account.set_webhook(
        p["url"],
        secret_token=p.get("secret_token"),
        max_connections=p.get("max_connections", 40),
        allowed_updates=p.get("allowed_updates"),
        drop_pending_updates=p.get("drop_pending_updates", False),
    )
    return True


@api("deleteWebhook")
async def delete_webhook(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    account.set_webhook(
        "",
        secret_token=None,
        max_connections=40,
        allowed_updates=None,
        drop_pending_updates=p.get("drop_pending_updates", False),
    )
    return True


@api("getWebhookInfo")
async def get_webhook_info(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    return account.webhook_info()


def _commands_key(account: BotAccount, p: Params) -> tuple[str, str]:
    return account.commands_key(p.get("scope"), p.get("language_code"))


@api("setMyCommands")
async def set_my_commands(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    account.commands[_commands_key(account, p)] = p["commands"]
    return True


@api("getMyCommands")
async def get_my_commands(w: Standin, account: BotAccount, p: Params, files: Files) -> list[dict]:
    return account.commands.get(_commands_key(account, p), [])


@api("deleteMyCommands")
async def delete_my_commands(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    account.commands.pop(_commands_key(account, p), None)
    return True


@api("setChatMenuButton")
async def set_chat_menu_button(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    account.menu_buttons[p.get("chat_id")] = p.get("menu_button") or {"type": "default"}
    return True


@api("getChatMenuButton")
async def get_chat_menu_button(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    return account.menu_buttons.get(p.get("chat_id"), {"type": "commands"})


# -- sending -------------------------------------------------------------------------------------
@api("sendMessage")
async def send_message(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    chat = writable_chat(w, account, p["chat_id"])
    parsed = parse_text(p)
    content: dict = {"text": parsed.plain}
    if parsed.entities:
        content["entities"] = parsed.entities
    return send(
        w,
        account,
        chat,
        p,
        content,
        raw=p["text"],
        plain=parsed.plain,
        markup=markup_of(p),
        parse_mode=p.get("parse_mode"),
    ).api


async def _send_file(w: Standin, account: BotAccount, p: Params, files: Files, kind: str) -> dict:
    chat = writable_chat(w, account, p["chat_id"])
    stored_file = input_file(w, p[kind], files, photo=kind == "photo")
    content, parsed = caption_content(p.get("caption"), p.get("parse_mode"), p.get("caption_entities"))
    content[kind] = stored_file.photo() if kind == "photo" else stored_file.document()
    return send(
        w,
        account,
        chat,
        p,
        content,
        raw=p.get("caption"),
        plain=parsed.plain,
        markup=markup_of(p),
        parse_mode=p.get("parse_mode"),
    ).api


@api("sendDocument")
async def send_document(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    return await _send_file(w, account, p, files, "document")


@api("sendPhoto")
async def send_photo(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    return await _send_file(w, account, p, files, "photo")


@api("sendMediaGroup")
async def send_media_group(w: Standin, account: BotAccount, p: Params, files: Files) -> list[dict]:
    chat = writable_chat(w, account, p["chat_id"])
    reply_to, thread_id = reply_to_of(chat, p), thread_of(chat, p)
    w.check_rate(account, chat)
    group_id = str(w.next_media_group_id())
    sent = []
    for item in p["media"]:
        kind = "photo" if item["type"] == "photo" else "document"
        stored_file = input_file(w, item["media"], files, photo=kind == "photo")
        content, parsed = caption_content(item.get("caption"), item.get("parse_mode"), item.get("caption_entities"))
        content[kind] = stored_file.photo() if kind == "photo" else stored_file.document()
        content["media_group_id"] = group_id
        sent.append(
            w.store(
                chat,
                account.user,
                content,
                bot_token=account.token,
                raw=item.get("caption"),
                plain=parsed.plain,
                parse_mode=item.get("parse_mode"),
                reply_to=reply_to,
                thread_id=thread_id,
            ).api
        )
    w.count_sent(account, chat)
    return sent


@api("sendLocation")
async def send_location(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    chat = writable_chat(w, account, p["chat_id"])
    content = {"location": {"latitude": p["latitude"], "longitude": p["longitude"]}}
    return send(w, account, chat, p, content, raw=None, plain="", markup=markup_of(p)).api


def _source(w: Standin, p: Params, missing: str) -> StoredMessage:
    source = w.chat_of(p["from_chat_id"]).history.get(p["message_id"])
    if source is None:
        raise ApiError(400, f"Bad Request: {missing}")
    return source


@api("copyMessage")
async def copy_message(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    source = _source(w, p, "message to copy not found")
    chat = writable_chat(w, account, p["chat_id"])
    content = {k: source.api[k] for k in COPIED if k in source.api}
    raw, plain, parse_mode = source.raw, source.plain, source.parse_mode
    if "caption" in p:
        content.pop("caption", None), content.pop("caption_entities", None)
        caption, parsed = caption_content(p["caption"], p.get("parse_mode"), p.get("caption_entities"))
        content.update(caption)
        raw, plain, parse_mode = p["caption"], parsed.plain, p.get("parse_mode")
    stored = send(w, account, chat, p, content, raw=raw, plain=plain, markup=markup_of(p), parse_mode=parse_mode)
    return {"message_id": stored.message_id}


@api("forwardMessage")
async def forward_message(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    source = _source(w, p, "message to forward not found")
    chat = writable_chat(w, account, p["chat_id"])
    content = {k: source.api[k] for k in COPIED if k in source.api}
    content["forward_origin"] = {"type": "user", "sender_user": source.api["from"], "date": source.api["date"]}
    return send(
        w,
        account,
        chat,
        p,
        content,
        raw=source.raw,
        plain=source.plain,
        parse_mode=source.parse_mode,
    ).api


@api("sendChatAction")
async def send_chat_action(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    writable_chat(w, account, p["chat_id"])
    return True


# -- editing -------------------------------------------------------------------------------------
@api("editMessageText")
async def edit_message_text(w: Standin, account: BotAccount, p: Params, files: Files) -> dict | bool:
    if p.get("inline_message_id"):
        return True
    chat, stored = own_message(w, account, p, "message to edit not found")
    if "text" not in stored.api:
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    parsed = parse_text(p)
    content = {"text": parsed.plain, "entities": parsed.entities}
    return edit(
        w,
        account,
        chat,
        stored,
        content,
        raw=p["text"],
        parsed=parsed,
        markup=markup_of(p),
        parse_mode=p.get("parse_mode"),
    )


@api("editMessageCaption")
async def edit_message_caption(w: Standin, account: BotAccount, p: Params, files: Files) -> dict | bool:
    if p.get("inline_message_id"):
        return True
    chat, stored = own_message(w, account, p, "message to edit not found")
    if "text" in stored.api:
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    caption, parsed = caption_content(p.get("caption"), p.get("parse_mode"), p.get("caption_entities"))
    content = {"caption": caption.get("caption"), "caption_entities": caption.get("caption_entities")}
    return edit(
        w,
        account,
        chat,
        stored,
        content,
        raw=p.get("caption"),
        parsed=parsed,
        markup=markup_of(p),
        parse_mode=p.get("parse_mode"),
    )


@api("editMessageReplyMarkup")
async def edit_message_reply_markup(w: Standin, account: BotAccount, p: Params, files: Files) -> dict | bool:
    if p.get("inline_message_id"):
        return True
    chat, stored = own_message(w, account, p, "message to edit not found")
    return edit(
        w,
        account,
        chat,
        stored,
        {},
        raw=stored.raw,
        parsed=Parsed(stored.plain),
        markup=markup_of(p),
        parse_mode=stored.parse_mode,
    )


@api("deleteMessage")
async def delete_message(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    chat, stored = own_message(w, account, p, "message to delete not found")
    mine = stored.bot_token == account.token
    if isinstance(chat, FakeGroup) and not mine and chat.status_of(account.id) not in ("administrator", "creator"):
        raise ApiError(400, "Bad Request: message can't be deleted")
    del chat.history[stored.message_id]
    w.emit("delete", chat, stored)
    return True


@api("pinChatMessage")
async def pin_chat_message(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    chat, stored = own_message(w, account, p, "message to pin not found")
    chat.pinned = stored.message_id
    return True


@api("answerCallbackQuery")
async def answer_callback_query(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    query = w.callback_queries.get(p["callback_query_id"])
    if query is None or query["answer"] is not None or query["token"] != account.token:
        raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
    if len(p.get("text", "")) > CALLBACK_ANSWER_LIMIT:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    query["answer"] = dict(p)
    query["answered"].set()
    chat: ChatBase = query["chat"]
    if stored := chat.history.get(query["message_id"]):
        w.emit("callback_answer", chat, stored, answer=query["answer"])
    return True


# -- files, chats and members --------------------------------------------------------------------
@api("getFile")
async def get_file(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    stored = w.files.get(p["file_id"])
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if stored.size > DOWNLOAD_LIMIT:
        raise ApiError(400, "Bad Request: file is too big")
    return stored.file()


@api("getChat")
async def get_chat(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    chat = w.chat_of(p["chat_id"])
    gifts = dict.fromkeys(
        ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"),
        False,
    )
    return {**chat.chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


@api("getChatMember")
async def get_chat_member(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    chat = w.chat_of(p["chat_id"])
    if isinstance(chat, FakeUser) and p["user_id"] not in (chat.id, account.id):
        raise ApiError(400, "Bad Request: user not found")
    if (
        account.platform == "bale"
        and isinstance(chat, FakeGroup)
        and chat.status_of(p["user_id"]) in ("left", "kicked")
    ):
        raise ApiError(400, "Bad Request: user not found")  # Bale reports members only (docs/BALE.md)
    return member(w, chat, p["user_id"])


@api("getChatAdministrators")
async def get_chat_administrators(w: Standin, account: BotAccount, p: Params, files: Files) -> list[dict]:
    chat = w.chat_of(p["chat_id"])
    if not isinstance(chat, FakeGroup):
        raise ApiError(400, "Bad Request: there are no administrators in the private chat")
    ids = [*chat.members, *(b.id for b in w.bots.values() if b.id not in chat.members)]
    return [member(w, chat, i) for i in ids if chat.status_of(i) in ("creator", "administrator")]


@api("createForumTopic")
async def create_forum_topic(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    chat = writable_chat(w, account, p["chat_id"])
    if not isinstance(chat, FakeGroup) or not chat.forum:
        raise ApiError(400, "Bad Request: the chat is not a forum")
    topic = {"name": p["name"], "icon_color": p.get("icon_color", 7322096)}
    # the service message opening a topic; its id is the topic's message_thread_id
    stored = w.store(chat, account.user, {"forum_topic_created": topic}, bot_token=None, plain="")
    stored.api.update(message_thread_id=stored.message_id, is_topic_message=True)
    chat.topics[stored.message_id] = p["name"]
    return {"message_thread_id": stored.message_id, **topic}


# -- payments ------------------------------------------------------------------------------------
# sendInvoice's limits (the spec's descriptions; Bale documents the same ones, docs/BALE.md)
INVOICE_TITLE = (1, 32)
INVOICE_DESCRIPTION = (1, 255)
INVOICE_PAYLOAD_BYTES = (1, 128)
STARS = "XTR"


@api("sendInvoice")
async def send_invoice(w: Standin, account: BotAccount, p: Params, files: Files) -> dict:
    chat = writable_chat(w, account, p["chat_id"])
    if not INVOICE_TITLE[0] <= len(p["title"]) <= INVOICE_TITLE[1]:
        raise ApiError(400, "Bad Request: INVOICE_TITLE_INVALID")
    if not INVOICE_DESCRIPTION[0] <= len(p["description"]) <= INVOICE_DESCRIPTION[1]:
        raise ApiError(400, "Bad Request: INVOICE_DESCRIPTION_INVALID")
    if not INVOICE_PAYLOAD_BYTES[0] <= len(p["payload"].encode("utf-8")) <= INVOICE_PAYLOAD_BYTES[1]:
        raise ApiError(400, "Bad Request: INVOICE_PAYLOAD_INVALID")
    currency = p.get("currency") or ""
    if account.platform == "bale":  # a wallet payment in whole rials (docs/BALE.md, Payments)
        if currency not in ("", "IRR"):
            raise ApiError(400, "Bad Request: currency must be IRR")
        currency = "IRR"
    elif len(currency) != 3 or not currency.isupper():
        raise ApiError(400, "Bad Request: CURRENCY_INVALID")
    if (currency == STARS) == bool(p.get("provider_token")):  # Stars take no provider; money needs one
        raise ApiError(400, "Bad Request: PAYMENT_PROVIDER_INVALID")
    prices = p["prices"]
    if not prices or any(not isinstance(x.get("amount"), int) for x in prices):
        raise ApiError(400, "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID")
    total = sum(x["amount"] for x in prices)
    if total <= 0:
        raise ApiError(400, "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID")
    markup = markup_of(p)
    invoice = {
        "title": p["title"],
        "description": p["description"],
        "start_parameter": p.get("start_parameter", ""),
        "currency": currency,
        "total_amount": total,
    }
    plain = f"{p['title']}\n{p['description']}"
    stored = send(w, account, chat, p, {"invoice": invoice}, raw=None, plain=plain, markup=markup)
    w.invoices[(chat.id, stored.message_id)] = {
        "payload": p["payload"],
        "currency": currency,
        "total_amount": total,
        "prices": prices,
        "provider_token": p.get("provider_token", ""),
    }
    return stored.api


@api("answerPreCheckoutQuery")
async def answer_pre_checkout_query(w: Standin, account: BotAccount, p: Params, files: Files) -> bool:
    query = w.pre_checkout_queries.get(p["pre_checkout_query_id"])
    if query is None or query["answer"] is not None or query["token"] != account.token:
        raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
    if not p["ok"] and not p.get("error_message"):  # "Required if ok is False"
        raise ApiError(400, "Bad Request: error_message is required")
    query["answer"] = dict(p)
    query["answered"].set()
    return True
