"""Chats of the stand-in world and the fake people in them, as tests drive them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from standin.files import TINY_OGG, TINY_PNG
from standin.html import utf16_len

if TYPE_CHECKING:
    from standin.core import Standin

Button = dict[str, Any]
ButtonQuery = str | Callable[[Button], bool]  # exact text, else a substring; or a predicate on the button
MessageRef = dict | int | None  # a message view, a message_id, or None for "the newest suitable one"


@dataclass(eq=False)
class StoredMessage:
    """One message as the world keeps it: `api` is exactly what Telegram would report to a bot."""

    api: dict
    bot_token: str | None  # the bot that sent it; None for messages of people
    raw: str | None = None  # text or caption as the sender wrote it (HTML for parse_mode HTML)
    plain: str = ""  # the same without markup, entities unescaped
    markup: dict | None = None  # reply_markup as sent, reply keyboards included
    parse_mode: str | None = None

    @property
    def message_id(self) -> int:
        return self.api["message_id"]

    def view(self) -> dict:
        """What a test sees: the API message plus raw text, plain text and the markup as sent."""
        view = dict(self.api)
        if self.raw is not None:
            view["caption" if "caption" in self.api else "text"] = self.raw
        view["plain"] = self.plain
        view["reply_markup"] = self.markup
        view["parse_mode"] = self.parse_mode
        return view


def command_entities(text: str) -> list[dict]:
    if not text.startswith("/"):
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split(maxsplit=1)[0])}]


def text_content(text: str) -> dict:
    content: dict = {"text": text}
    if entities := command_entities(text):
        content["entities"] = entities
    return content


def _buttons(markup: dict | None) -> list[list[Button]]:
    if not markup:
        return []
    return markup.get("inline_keyboard") or markup.get("keyboard") or []


class ChatBase:
    """Messages of one chat, in order; bot messages reflect edits and deletions."""

    def __init__(self, standin: Standin, chat: dict, token: str | None) -> None:
        self.standin = standin
        self.chat = chat
        self.token = token  # the bot this chat talks to; None: the stand-in's first bot
        self.history: dict[int, StoredMessage] = {}
        self.pinned: int | None = None
        self._last_id = 0

    @property
    def id(self) -> int:
        return self.chat["id"]

    def next_message_id(self) -> int:
        self._last_id += 1
        return self._last_id

    @property
    def messages(self) -> list[dict]:
        return [m.view() for m in self.history.values() if m.bot_token]

    @property
    def last(self) -> dict:
        for message in reversed(self.history.values()):
            if message.bot_token:
                return message.view()
        raise LookupError(f"the bot has sent nothing to chat {self.id}")

    def texts(self) -> list[str]:
        return [m.plain for m in self.history.values() if m.bot_token]

    def keyboard(self, message: MessageRef = None) -> list[list[str]]:
        """Button texts of a message, or of the newest bot message with an inline or reply keyboard ([] if none)."""
        try:
            stored = self._stored(message, lambda m: bool(_buttons(m.markup)))
        except LookupError:
            if message is not None:
                raise
            return []
        return [[button["text"] for button in row] for row in _buttons(stored.markup)]

    def _stored(self, message: MessageRef, suitable: Callable[[StoredMessage], bool]) -> StoredMessage:
        if message is not None:
            message_id = message["message_id"] if isinstance(message, dict) else message
            if message_id not in self.history:
                raise LookupError(f"no message {message_id} in chat {self.id}")
            return self.history[message_id]
        for stored in reversed(self.history.values()):
            if stored.bot_token and suitable(stored):
                return stored
        raise LookupError(f"no suitable bot message in chat {self.id}")

    def _inline_button(self, text_or_predicate: ButtonQuery, message: MessageRef) -> tuple[StoredMessage, Button]:
        stored = self._stored(message, lambda m: bool(m.markup and m.markup.get("inline_keyboard")))
        buttons = [b for row in (stored.markup or {}).get("inline_keyboard", []) for b in row]
        if callable(text_or_predicate):
            found = [b for b in buttons if text_or_predicate(b)]
        else:
            found = [b for b in buttons if b["text"] == text_or_predicate]
            found = found or [b for b in buttons if text_or_predicate in b["text"]]
        if not found:
            texts = [b["text"] for b in buttons]
            raise LookupError(f"no button {text_or_predicate!r} in message {stored.message_id}; buttons: {texts}")
        if "callback_data" not in found[0]:
            raise LookupError(f"button {found[0]['text']!r} sends no callback_data: {found[0]}")
        return stored, found[0]


class FakeUser(ChatBase):
    """A person and their private chat with the bot."""

    def __init__(
        self,
        standin: Standin,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fa",
        token: str | None = None,
    ) -> None:
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.blocked = False
        names = {"first_name": first_name, "last_name": last_name, "username": username}
        names = {k: v for k, v in names.items() if v is not None}
        self.user: dict = {"id": user_id, "is_bot": False, **names}
        if language_code:
            self.user["language_code"] = language_code
        super().__init__(standin, {"id": user_id, "type": "private", **names}, token)

    async def send(self, text: str) -> dict:
        return await self.standin.incoming(self, self, text_content(text))

    async def block_bot(self, *, announce: bool = True) -> dict | None:
        """The person blocks the bot: sends to them answer 403; Telegram tells the bot with a
        my_chat_member update (`announce=False`: only the refused sends tell). Writing to the bot
        again unblocks it."""
        self.blocked = True
        if not announce or self.standin.platform_of(self.token) == "bale":  # Bale sends no my_chat_member
            return None
        account = self.standin.bot(self.token)
        body = {"chat": self.chat, "from": self.user, "date": self.standin.now()}
        body["old_chat_member"] = {"status": "member", "user": account.user}
        body["new_chat_member"] = {"status": "kicked", "user": account.user, "until_date": 0}
        return await self.standin.deliver(account, {"my_chat_member": body})

    async def reply(self, to_message_id: int, text: str) -> dict:
        return await self.standin.incoming(self, self, text_content(text), reply_to=to_message_id)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        mime_type: str = "application/pdf",
        *,
        size: int | None = None,
        caption: str | None = None,
    ) -> dict:
        stored = self.standin.files.add(content, name=filename, mime_type=mime_type, size=size)
        return await self.standin.incoming(self, self, _with_caption({"document": stored.document()}, caption))

    async def send_photo(self, content: bytes = TINY_PNG, caption: str | None = None) -> dict:
        stored = self.standin.files.add(content, photo=True)
        return await self.standin.incoming(self, self, _with_caption({"photo": stored.photo()}, caption))

    async def send_voice(self, content: bytes = TINY_OGG, *, duration: int = 2, caption: str | None = None) -> dict:
        stored = self.standin.files.add(content, name="voice.ogg", mime_type="audio/ogg")
        return await self.standin.incoming(self, self, _with_caption({"voice": stored.voice(duration)}, caption))

    async def send_media(self, kind: str) -> dict:
        """A sticker, voice note, video note or animation (what a person sends instead of an answer)."""
        stored = self.standin.files.add(
            b"media:" + kind.encode(), name=f"{kind}.bin", mime_type="application/octet-stream"
        )
        ids = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        content = {
            "sticker": {**ids, "type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False},
            "voice": {**ids, "duration": 3},
            "video_note": {**ids, "length": 240, "duration": 3},
            "animation": {**ids, "width": 320, "height": 240, "duration": 2},
        }[kind]
        return await self.standin.incoming(self, self, {kind: content})

    async def edit(self, message_id: int, text: str) -> dict:
        """The person edits a text message they sent: the bot gets an edited_message."""
        stored = self.history[message_id]
        stored.api.update(text_content(text))
        stored.api["edit_date"] = self.standin.now()
        stored.raw = stored.plain = text
        await self.standin.deliver(self.standin.bot(self.token), {"edited_message": stored.api})
        return stored.view()

    async def send_contact(self, phone: str, *, user_id: int | None = None, first_name: str | None = None) -> dict:
        contact = {"phone_number": phone, "first_name": first_name or self.first_name, "user_id": user_id or self.id}
        return await self.standin.incoming(self, self, {"contact": contact})

    async def send_location(self, lat: float, lon: float) -> dict:
        return await self.standin.incoming(self, self, {"location": {"latitude": lat, "longitude": lon}})

    async def press(self, text_or_predicate: ButtonQuery, *, message: MessageRef = None) -> dict | None:
        """Press an inline button; returns the bot's answerCallbackQuery parameters, if it answered."""
        stored, button = self._inline_button(text_or_predicate, message)
        return await self.standin.press(self, self, stored, button["callback_data"])

    async def pay(self, message: MessageRef = None, *, provider: str = "approve") -> dict:
        """Pay an invoice (by default the newest one): see Standin.pay for what it returns."""
        stored = self._stored(message, lambda m: "invoice" in m.api)
        return await self.standin.pay(self, self, stored, provider=provider)

    def invoice(self, message: MessageRef = None) -> dict:
        """What sendInvoice asked for the newest invoice (payload, currency, total_amount, prices...)."""
        stored = self._stored(message, lambda m: "invoice" in m.api)
        return self.standin.invoices[(self.id, stored.message_id)]

    async def press_data(self, callback_data: str, *, message: MessageRef = None) -> dict | None:
        """A forged press: any callback_data on a bot message (by default the newest one)."""
        stored = self._stored(message, lambda m: True)
        return await self.standin.press(self, self, stored, callback_data)


class FakeGroup(ChatBase):
    """A supergroup (optionally a forum), or a basic group (`basic=True`), with members; the bot is an
    administrator unless told otherwise.
    On Bale every group is of type "group" and never a forum (Bale has neither supergroups nor topics),
    and Bale sends no my_chat_member updates.

    What real groups do to a bot, switchable per test: `upgrade()` (a basic group becomes a
    supergroup with a new id: sends to the old id answer 400 with migrate_to_chat_id), `set_bot()`
    (the bot removed, kicked, demoted or restricted: a my_chat_member update, then 403 or 400
    answers), `vanish()` (the chat is gone: "chat not found")."""

    def __init__(
        self,
        standin: Standin,
        chat_id: int,
        title: str,
        *,
        forum: bool = False,
        members: dict[int, str] | None = None,
        token: str | None = None,
        basic: bool = False,
        platform: str = "telegram",
    ) -> None:
        if forum and platform == "bale":
            raise ValueError("Bale has no forum groups")
        kind = "group" if basic or platform == "bale" else "supergroup"
        chat = {"id": chat_id, "title": title, "type": kind}
        if forum:
            chat["is_forum"] = True
        super().__init__(standin, chat, token)
        self.title = title
        self.platform = platform
        self.forum = forum
        self.members: dict[int, str] = dict(members or {})
        self.can_send: dict[int, bool] = {}  # for restricted members: may they send messages
        self.topics: dict[int, str] = {}  # message_thread_id -> name
        self.service_messages = True  # "member left/joined" messages (a group may hide them)
        self.migrated_to: int | None = None  # the supergroup this group became

    # -- what a group does to the bot ------------------------------------------------------------
    async def set_bot(self, by: FakeUser, status: str, *, can_send: bool = True, announce: bool = True) -> dict | None:
        """An admin changes the bot's status: left, kicked, member, administrator or restricted (with
        or without the right to send). Telegram tells the bot with a my_chat_member update
        (`announce=False`: the update is lost, and only the refused sends tell)."""
        account = self.standin.bot(self.token)
        old = self.standin.chat_member(self, account.id)
        self.members[account.id] = status
        if status == "restricted":
            self.can_send[account.id] = can_send
        if not announce or self.platform == "bale":  # Bale sends no my_chat_member updates
            return None
        new = self.standin.chat_member(self, account.id)
        body = {"chat": self.chat, "from": by.user, "date": self.standin.now(), "old_chat_member": old}
        return await self.standin.deliver(account, {"my_chat_member": {**body, "new_chat_member": new}})

    async def upgrade(self, by: FakeUser, *, announce: bool = True) -> FakeGroup:
        """The basic group becomes a supergroup with a new id, its members and messages (same ids)
        along. Telegram posts a service message in both (`announce=False`: the bot misses them and
        learns it from the 400 answer "group chat was upgraded to a supergroup chat")."""
        if self.platform == "bale":
            raise ValueError("Bale has no supergroups")
        new = self.standin.group(self.title, members=self.members, bot=self.token)
        new.can_send = dict(self.can_send)
        for message_id, stored in self.history.items():
            api = {**stored.api, "chat": new.chat}
            new.history[message_id] = StoredMessage(
                api, stored.bot_token, stored.raw, stored.plain, stored.markup, stored.parse_mode
            )
        new._last_id = self._last_id
        self.migrated_to = new.id
        if announce:
            await self.standin.incoming(self, by, {"migrate_to_chat_id": new.id})
            await self.standin.incoming(new, by, {"migrate_from_chat_id": self.id})
        return new

    def vanish(self) -> None:
        """The chat is deleted: every call about it answers "chat not found"."""
        self.standin.chats.pop(self.id, None)

    def add_member(self, user: FakeUser | int, status: str = "member") -> None:
        self.members[user if isinstance(user, int) else user.id] = status

    def status_of(self, user_id: int) -> str:
        """A member's status; a bot not listed is an administrator (as staff groups set their bot up)."""
        if user_id in self.members:
            return self.members[user_id]
        return "administrator" if self.standin.bot_by_id(user_id) else "left"

    def thread(self, name: str) -> int:
        """The message_thread_id of a forum topic by its name."""
        for thread_id, topic in self.topics.items():
            if topic == name:
                return thread_id
        raise LookupError(f"no topic {name!r} in {self.title}; topics: {list(self.topics.values())}")

    async def leave(self, user: FakeUser, *, by: FakeUser | None = None, status: str = "left") -> None:
        """A member leaves (or `by` removes them: status "kicked"), as Telegram reports it: a service
        message with left_chat_member (unless `service_messages` is off, as in groups that hide them)
        and, to a bot that asked for them in allowed_updates, a chat_member update."""
        old = self.status_of(user.id)
        self.members[user.id] = status
        actor = by or user
        if self.service_messages:
            await self.standin.incoming(self, actor, {"left_chat_member": user.user})
        new: dict[str, Any] = {"status": status, "user": user.user}
        if status == "kicked":
            new["until_date"] = 0
        await self._chat_member(actor, {"status": old, "user": user.user}, new)

    async def join(self, user: FakeUser, *, by: FakeUser | None = None) -> None:
        """A person joins (or `by` adds them): new_chat_members, and a chat_member update."""
        old = self.status_of(user.id)
        self.members[user.id] = "member"
        actor = by or user
        if self.service_messages:
            await self.standin.incoming(self, actor, {"new_chat_members": [user.user]})
        await self._chat_member(actor, {"status": old, "user": user.user}, {"status": "member", "user": user.user})

    async def _chat_member(self, actor: FakeUser, old: dict, new: dict) -> None:
        account = self.standin.bot(self.token)
        if old["status"] == "kicked":
            old["until_date"] = 0
        update = {
            "chat_member": {
                "chat": self.chat,
                "from": actor.user,
                "date": self.standin.now(),
                "old_chat_member": old,
                "new_chat_member": new,
            }
        }
        # Telegram sends chat_member updates only to a bot that lists them in allowed_updates (Bale: never)
        if self.platform != "bale" and account.allowed_updates and "chat_member" in account.allowed_updates:
            await self.standin.deliver(account, update)

    def _join(self, user: FakeUser) -> None:
        if self.members.get(user.id) in (None, "left"):
            self.members[user.id] = "member"

    async def send(
        self,
        from_user: FakeUser,
        text: str,
        reply_to: int | None = None,
        *,
        thread_id: int | None = None,
    ) -> dict:
        self._join(from_user)
        return await self.standin.incoming(self, from_user, text_content(text), reply_to=reply_to, thread_id=thread_id)

    async def reply(self, from_user: FakeUser, to_message_id: int, text: str) -> dict:
        return await self.send(from_user, text, reply_to=to_message_id)

    async def send_document(
        self,
        from_user: FakeUser,
        filename: str,
        content: bytes,
        mime_type: str = "application/pdf",
        *,
        caption: str | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> dict:
        self._join(from_user)
        stored = self.standin.files.add(content, name=filename, mime_type=mime_type)
        return await self.standin.incoming(
            self,
            from_user,
            _with_caption({"document": stored.document()}, caption),
            reply_to=reply_to,
            thread_id=thread_id,
        )

    async def send_photo(
        self,
        from_user: FakeUser,
        content: bytes = TINY_PNG,
        caption: str | None = None,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> dict:
        self._join(from_user)
        stored = self.standin.files.add(content, photo=True)
        return await self.standin.incoming(
            self, from_user, _with_caption({"photo": stored.photo()}, caption), reply_to=reply_to, thread_id=thread_id
        )

    async def press(
        self,
        from_user: FakeUser,
        text_or_predicate: ButtonQuery,
        message: MessageRef = None,
    ) -> dict | None:
        self._join(from_user)
        stored, button = self._inline_button(text_or_predicate, message)
        return await self.standin.press(self, from_user, stored, button["callback_data"])


def _with_caption(content: dict, caption: str | None) -> dict:
    if caption is not None:
        content["caption"] = caption
    return content
