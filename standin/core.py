"""The stand-in world: bots, chats, files and updates, independent of any transport."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from standin import bale
from standin.chats import ChatBase, FakeGroup, FakeUser, StoredMessage
from standin.errors import ApiError, SpecViolation
from standin.files import FileStore
from standin.methods import METHODS
from standin.ratelimit import RateLimiter
from standin.spec import ApiSpec
from standin.updates import BotAccount
from standin.wire import Files

_TOKEN = re.compile(r"\d+:[\w-]+")


@dataclass
class Fault:
    """The next `times` calls of `method` ("*": any method) fail as a real server sometimes does."""

    method: str
    times: int
    error_code: int
    description: str
    retry_after: int | None = None


@dataclass
class Call:
    token: str
    method: str
    params: dict[str, Any]  # as decoded and checked (nested objects parsed from JSON)
    files: Files
    at: float = field(default=0.0)


class Standin:
    def __init__(
        self,
        spec: ApiSpec | None = None,
        *,
        strict: bool = True,
        rate_limits: bool = False,
        clock: Callable[[], float] = time.monotonic,
        platform: str = "telegram",
    ) -> None:
        self.spec = spec or ApiSpec()
        self.platform = platform  # of bots added without one: "telegram", or "bale" (standin/bale.py)
        self.strict = strict
        self.rate_limits = rate_limits
        self.clock = clock
        self.limiter = RateLimiter(clock)
        self.files = FileStore()
        self.bots: dict[str, BotAccount] = {}
        self.chats: dict[int, ChatBase] = {}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.stats: dict[str, int] = {"sent": 0, "429": 0}
        self.on_update: Callable[[str, dict], Awaitable[Any]] | None = None
        self.answer_timeout = 5.0  # how long a press waits for answerCallbackQuery when updates are queued
        self.callback_queries: dict[str, dict] = {}
        self.invoices: dict[tuple[int, int], dict] = {}  # (chat id, message id) -> what sendInvoice asked
        self.pre_checkout_queries: dict[str, dict] = {}
        self._charge_ids = itertools.count(1)
        self.faults: list[Fault] = []
        self._subscribers: list[asyncio.Queue] = []
        self._user_ids = itertools.count(100_000_001)
        self._group_ids = itertools.count(1_000_000_001)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._media_group_ids = itertools.count(13_000_000_000_000_001)

    # -- bots ------------------------------------------------------------------------------------
    def add_bot(
        self, token: str, *, username: str = "mizban_bot", first_name: str = "Mizban", platform: str | None = None
    ) -> BotAccount:
        """A bot on Telegram, or on Bale (`platform="bale"`: it answers as Bale documents, standin/bale.py)."""
        bot = BotAccount(self, token, username=username, first_name=first_name, platform=platform or self.platform)
        self.bots[token] = bot
        return bot

    def bot(self, token: str | None = None) -> BotAccount:
        """A bot by token (registered on first use, like a token Telegram knows); by default the first bot."""
        if token is None:
            if not self.bots:
                raise LookupError("no bot yet: call add_bot(token) (or let the bot make a first API call)")
            return next(iter(self.bots.values()))
        if token not in self.bots:
            if not _TOKEN.fullmatch(token):
                raise ApiError(401, "Unauthorized")
            self.add_bot(token)
        return self.bots[token]

    def bot_by_id(self, bot_id: int) -> BotAccount | None:
        return next((b for b in self.bots.values() if b.id == bot_id), None)

    # -- people and chats ------------------------------------------------------------------------
    def user(
        self,
        first_name: str = "Ali",
        *,
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fa",
        bot: str | None = None,
    ) -> FakeUser:
        """A person with a private chat with `bot` (a token; default: the first bot at the time they act)."""
        user_id = user_id or next(self._user_ids)
        fake = FakeUser(
            self,
            user_id,
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            token=bot,
        )
        self.chats[user_id] = fake
        return fake

    def group(
        self,
        title: str,
        *,
        chat_id: int | None = None,
        forum: bool = False,
        members: dict[int, str] | None = None,
        bot: str | None = None,
        basic: bool = False,
    ) -> FakeGroup:
        """A supergroup; `basic=True`: a basic group (a small negative id), which may `upgrade()`."""
        number = next(self._group_ids)
        group = FakeGroup(
            self,
            chat_id or (-(number % 10**9) if basic else -(10**12 + number)),
            title,
            forum=forum,
            members=members,
            token=bot,
            basic=basic,
            platform=self.platform_of(bot),
        )
        self.chats[group.id] = group
        return group

    def platform_of(self, token: str | None) -> str:
        """The messenger of a chat's bot (by default the first bot, else the world's own)."""
        if token in self.bots:
            return self.bots[token].platform
        return next(iter(self.bots.values())).platform if self.bots and token is None else self.platform

    def chat_of(self, chat_id: int | str) -> ChatBase:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.chat.get("username") == chat_id[1:]:
                    return chat
        elif isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        raise ApiError(400, "Bad Request: chat not found")

    def person(self, user_id: int) -> dict:
        """The User object of anyone the world knows (fake user or bot)."""
        chat = self.chats.get(user_id)
        if isinstance(chat, FakeUser):
            return chat.user
        if bot := self.bot_by_id(user_id):
            return bot.user
        return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}

    def chat_member(self, chat: ChatBase, user_id: int) -> dict:
        """The ChatMember object of anyone in a chat, as getChatMember answers."""
        from standin.methods import member

        return member(self, chat, user_id)

    # -- real servers' manners -------------------------------------------------------------------
    def fail(self, method: str = "*", times: int = 1, *, status: int = 500, retry_after: int | None = None) -> Fault:
        """Make the next `times` calls of `method` fail: 429 with `retry_after`, a 5xx (500 Internal
        Server Error, 502 Bad Gateway), as Telegram answers under load or during its outages."""
        descriptions = {429: f"Too Many Requests: retry after {retry_after}", 502: "Bad Gateway"}
        fault = Fault(method, times, status, descriptions.get(status, "Internal Server Error"), retry_after)
        self.faults.append(fault)
        return fault

    def _fault(self, method: str) -> None:
        for fault in self.faults:
            if fault.times > 0 and fault.method in ("*", method):
                fault.times -= 1
                if fault.error_code == 429:
                    self.stats["429"] += 1
                raise ApiError(fault.error_code, fault.description, retry_after=fault.retry_after)

    def age(self, chat: ChatBase, message_id: int, hours: float) -> None:
        """Make a message `hours` older (past 48 hours, the bot can no longer edit it)."""
        chat.history[message_id].api["date"] -= int(hours * 3600)

    # -- the Bot API -----------------------------------------------------------------------------
    async def call(self, token: str, method: str, params: dict, files: Files | None = None) -> Any:
        """Check a Bot API call against the spec, record it, and execute it; raises ApiError like Telegram."""
        files = files or {}
        account = self.bot(token)
        checked = self.spec.validate(method, params, files)
        on_bale = account.platform == bale.PLATFORM
        refused: list[str] = []
        if on_bale:  # Bale's documentation decides which parameters exist (some Telegram dropped)
            legacy = {f"{checked.method}: unknown parameter {key!r}" for key in bale.LEGACY}
            checked.schema[:] = [v for v in checked.schema if v not in legacy]
            bale.decode_legacy(checked.params)
            refused = bale.refusals(checked.method, method, checked.params)
        self.calls.append(Call(token, checked.method or method, checked.params, files, self.clock()))
        self.violations.extend(checked.violations)
        if checked.schema and self.strict:
            raise SpecViolation(checked.schema)
        if refused:
            self.violations.extend(refused)
            raise bale.refused(refused)
        if checked.method is None:
            raise ApiError(404, "Not Found")
        if self.faults:
            self._fault(checked.method)
        handler = METHODS.get(checked.method)
        if handler is None:
            return True
        if not on_bale:
            return await handler(self, account, checked.params, files)
        try:
            return await handler(self, account, bale.as_rendered(checked.params), files)
        except ApiError as e:
            raise bale.translate(e) from e

    # -- rate limits -----------------------------------------------------------------------------
    def check_rate(self, account: BotAccount, chat: ChatBase) -> None:
        if not self.rate_limits:
            return
        retry_after = self.limiter.retry_after(account.token, chat.id, isinstance(chat, FakeGroup))
        if retry_after is not None:
            self.stats["429"] += 1
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    def count_sent(self, account: BotAccount, chat: ChatBase) -> None:
        self.stats["sent"] += 1
        if self.rate_limits:
            self.limiter.record(account.token, chat.id, isinstance(chat, FakeGroup))

    # -- messages --------------------------------------------------------------------------------
    @staticmethod
    def now() -> int:
        """Message dates are wall-clock unix time (the clock argument only drives rate limits)."""
        return int(time.time())

    def next_media_group_id(self) -> int:
        return next(self._media_group_ids)

    def store(
        self,
        chat: ChatBase,
        sender: dict,
        content: dict,
        *,
        bot_token: str | None,
        raw: str | None = None,
        plain: str | None = None,
        markup: dict | None = None,
        parse_mode: str | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> StoredMessage:
        api: dict = {"message_id": chat.next_message_id(), "from": sender, "chat": chat.chat, "date": self.now()}
        if reply_to is not None:
            replied = chat.history[reply_to].api
            thread_id = thread_id or replied.get("message_thread_id")
            api["reply_to_message"] = {k: v for k, v in replied.items() if k != "reply_to_message"}
        if thread_id is not None:
            api["message_thread_id"] = thread_id
            api["is_topic_message"] = True
        api.update(content)
        if markup and "inline_keyboard" in markup:
            api["reply_markup"] = markup
        if raw is None:
            raw = content.get("text", content.get("caption"))
        plain = (raw or "") if plain is None else plain
        stored = StoredMessage(api, bot_token, raw=raw, plain=plain, markup=markup, parse_mode=parse_mode)
        chat.history[stored.message_id] = stored
        self.emit("message", chat, stored)
        return stored

    async def incoming(
        self,
        chat: ChatBase,
        sender: FakeUser,
        content: dict,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> dict:
        """A person writes in a chat: store the message and deliver it to the chat's bot."""
        if reply_to is not None and reply_to not in chat.history:
            raise LookupError(f"no message {reply_to} in chat {chat.id} to reply to")
        if chat is sender:  # writing to a bot you blocked means unblocking it first
            sender.blocked = False
        stored = self.store(chat, sender.user, content, bot_token=None, reply_to=reply_to, thread_id=thread_id)
        await self.deliver(self.bot(chat.token), {"message": stored.api})
        return stored.view()

    async def press(self, chat: ChatBase, sender: FakeUser, stored: StoredMessage, data: str) -> dict | None:
        """A person presses an inline button on a bot message; returns the bot's answer, if any."""
        query_id = str(next(self._query_ids))
        account = self.bot(stored.bot_token or chat.token)
        query: dict[str, Any] = {
            "token": account.token,
            "chat": chat,
            "message_id": stored.message_id,
            "answer": None,
            "answered": asyncio.Event(),
        }
        self.callback_queries[query_id] = query
        callback = {
            "id": query_id,
            "from": sender.user,
            "message": stored.api,
            "chat_instance": str((chat.id * 2654435761) % 2**63),
            "data": data,
        }
        await self.deliver(account, {"callback_query": callback})
        if self.on_update is None:
            try:
                await asyncio.wait_for(query["answered"].wait(), self.answer_timeout)
            except TimeoutError:
                pass
        return query["answer"]

    async def pay(self, chat: ChatBase, sender: FakeUser, stored: StoredMessage, *, provider: str = "approve") -> dict:
        """A person pays an invoice: the bot gets a pre_checkout_query and must answer it; on its ok the
        payment provider charges (`provider="decline"`: the card is declined, and the bot hears
        nothing more) and a message with successful_payment follows. Returns what happened:
        {"answer": the bot's answerPreCheckoutQuery (None: not answered in time), "charged": bool,
        "message": the successful_payment message, when charged}."""
        invoice = self.invoices.get((chat.id, stored.message_id))
        if invoice is None:
            raise LookupError(f"message {stored.message_id} in chat {chat.id} is not an invoice")
        account = self.bot(stored.bot_token or chat.token)
        query_id = str(next(self._query_ids))
        answered = asyncio.Event()
        query: dict[str, Any] = {"token": account.token, "answer": None, "answered": answered}
        self.pre_checkout_queries[query_id] = query
        body = {
            "id": query_id,
            "from": sender.user,
            "currency": invoice["currency"],
            "total_amount": invoice["total_amount"],
            "invoice_payload": invoice["payload"],
        }
        await self.deliver(account, {"pre_checkout_query": body})
        if self.on_update is None:
            try:
                await asyncio.wait_for(answered.wait(), self.answer_timeout)
            except TimeoutError:
                pass
        answer: dict | None = query["answer"]
        query["answer"] = query["answer"] or {"expired": True}  # a late answer is refused, as Telegram does
        outcome: dict = {"answer": answer, "charged": False}
        if answer is None or not answer.get("ok") or provider != "approve":
            return outcome
        n = next(self._charge_ids)
        paid = {
            "currency": invoice["currency"],
            "total_amount": invoice["total_amount"],
            "invoice_payload": invoice["payload"],
            "telegram_payment_charge_id": f"{account.platform}-charge-{n}",
            "provider_payment_charge_id": f"provider-charge-{n}",
        }
        outcome.update(charged=True, message=await self.incoming(chat, sender, {"successful_payment": paid}))
        return outcome

    async def deliver(self, account: BotAccount, update_body: dict) -> dict:
        update = account.new_update(update_body)
        if self.on_update is not None:
            await self.on_update(account.token, update)
        else:
            account.enqueue(update)
        return update

    # -- files -----------------------------------------------------------------------------------
    def file_bytes(self, file_path: str) -> bytes:
        stored = self.files.at_path(file_path)
        if stored is None:
            raise ApiError(404, "Not Found: file not found")
        return stored.data

    # -- events for the sandbox ------------------------------------------------------------------
    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._subscribers.remove(queue)

    def emit(self, kind: str, chat: ChatBase, stored: StoredMessage, **extra: Any) -> None:
        if not self._subscribers:
            return
        event = {"type": kind, "chat_id": chat.id, "message": stored.view(), **extra}
        for queue in self._subscribers:
            queue.put_nowait(event)

    async def close(self) -> None:
        """Stop webhook pushes and wake long polls (they return no updates)."""
        for account in self.bots.values():
            await account.close()
