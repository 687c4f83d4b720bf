"""A bot account: its update queue, served by getUpdates long polling or pushed to its webhook."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from standin.errors import ApiError, SpecViolation
from standin.wire import read_json_object, read_parts

if TYPE_CHECKING:
    from standin.core import Standin

log = logging.getLogger(__name__)
# what Telegram sends when allowed_updates is not specified
OPT_IN_UPDATES = {"chat_member", "message_reaction", "message_reaction_count"}
WEBHOOK_TIMEOUT = 10.0
WEBHOOK_MAX_BACKOFF = 2.0
ADMIN_STATUSES = {"creator", "administrator"}


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


def update_type(update: dict) -> str:
    return next(key for key in update if key != "update_id")


def update_chat(update: dict) -> object:
    """The chat an update belongs to (a press: its message's chat; else its sender), for the webhook's
    one-at-a-time order per chat."""
    body = update[update_type(update)]
    if not isinstance(body, dict):
        return None
    chat = body.get("chat") or (body.get("message") or {}).get("chat")
    if chat:
        return chat.get("id")
    sender = body.get("from") or body.get("user")
    return ("user", sender.get("id")) if sender else None


class BotAccount:
    def __init__(
        self, standin: Standin, token: str, *, username: str, first_name: str, platform: str = "telegram"
    ) -> None:
        self.standin = standin
        self.token = token
        self.platform = platform
        self.id = int(token.split(":")[0])
        self.username = username
        self.first_name = first_name
        self.pending: list[dict] = []
        self.allowed_updates: list[str] | None = None
        self.webhook: Webhook | None = None
        self.commands: dict[tuple[str, str], list[dict]] = {}  # (scope JSON, language_code) -> commands
        self.menu_buttons: dict[int | None, dict] = {}
        self._update_ids = itertools.count(1)
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self._closed = False
        self._pusher: asyncio.Task | None = None
        self._pushed = asyncio.Event()  # a webhook POST ended (the pusher may start the next)
        self._http: aiohttp.ClientSession | None = None

    @property
    def user(self) -> dict:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    def me(self) -> dict:
        return {
            **self.user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # -- command menus ---------------------------------------------------------------------------
    def commands_key(self, scope: dict | None, language_code: str | None) -> tuple[str, str]:
        """Where setMyCommands keeps a list: (the scope as sorted JSON, the language code or "").
        A chat named by @username is keyed by its id, as Telegram resolves it."""
        scope = dict(scope or {"type": "default"})
        chat_id = scope.get("chat_id")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            try:
                scope["chat_id"] = self.standin.chat_of(chat_id).id
            except ApiError:
                pass
        return json.dumps(scope, sort_keys=True), language_code or ""

    def menu(self, chat_id: int, user_id: int | None = None) -> list[dict]:
        """The commands `user_id` sees in the bot's menu in a chat (in a private chat: the chat's
        person), as the Bot API documents it (BotCommandScope, "Determining list of commands"): the
        first list set, from the narrowest scope to the default, each scope first in the person's
        language (the primary subtag of their language_code) and then for every language; a scope
        for administrators counts only for an administrator (or the creator) of the group."""
        chat = self.standin.chat_of(chat_id)
        kind = chat.chat["type"]
        if kind == "private":
            user_id = chat.id
        elif kind not in ("group", "supergroup") or user_id is None:
            return []  # a channel has no command menu; a group's depends on who looks
        person = self.standin.person(user_id)
        language = (person.get("language_code") or "").split("-")[0].lower()
        here = {"chat_id": chat.id}
        scopes: list[dict]
        if kind == "private":
            scopes = [{"type": "chat", **here}, {"type": "all_private_chats"}]
        else:
            admin = self.standin.chat_member(chat, user_id)["status"] in ADMIN_STATUSES
            scopes = [
                {"type": "chat_member", **here, "user_id": user_id},
                *([{"type": "chat_administrators", **here}] if admin else []),
                {"type": "chat", **here},
                *([{"type": "all_chat_administrators"}] if admin else []),
                {"type": "all_group_chats"},
            ]
        for scope in [*scopes, {"type": "default"}]:
            for code in ([language] if language else []) + [""]:
                if found := self.commands.get(self.commands_key(scope, code)):
                    return found
        return []

    # -- the queue -------------------------------------------------------------------------------
    def new_update(self, body: dict) -> dict:
        return {"update_id": next(self._update_ids), **body}

    def _allowed(self, update: dict) -> bool:
        kind = update_type(update)
        return kind in self.allowed_updates if self.allowed_updates else kind not in OPT_IN_UPDATES

    def _ready(self) -> list[dict]:
        """Pending updates the bot has asked for; the others are dropped as Telegram drops them."""
        self.pending = [u for u in self.pending if self._allowed(u)]
        return self.pending

    def _wake(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def enqueue(self, update: dict) -> None:
        self.pending.append(update)
        self._wake()
        self._pushed.set()
        if self.webhook and (self._pusher is None or self._pusher.done()):
            self._pusher = asyncio.create_task(self._push())

    # -- getUpdates ------------------------------------------------------------------------------
    async def get_updates(
        self,
        offset: int = 0,
        limit: int = 100,
        timeout: int = 0,
        allowed_updates: list[str] | None = None,
    ) -> list[dict]:
        if self.webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()  # an older long poll ends with a conflict
        if allowed_updates is not None:
            self.allowed_updates = allowed_updates or None
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        elif offset < 0:
            self.pending = self.pending[offset:]
        limit = min(max(limit, 1), 100)
        deadline = asyncio.get_running_loop().time() + max(timeout, 0)
        while not self._ready() and not self._closed:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                break
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
        return self._ready()[:limit]

    # -- webhook ---------------------------------------------------------------------------------
    def set_webhook(
        self,
        url: str,
        *,
        secret_token: str | None,
        max_connections: int,
        allowed_updates: list[str] | None,
        drop_pending_updates: bool,
    ) -> None:
        if drop_pending_updates:
            self.pending.clear()
        if allowed_updates is not None:
            self.allowed_updates = allowed_updates or None
        self.webhook = Webhook(url, secret_token, max_connections) if url else None
        self._wake()  # a waiting getUpdates returns
        if self.webhook and self.pending and (self._pusher is None or self._pusher.done()):
            self._pusher = asyncio.create_task(self._push())

    def webhook_info(self) -> dict:
        hook = self.webhook
        info: dict[str, Any] = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._ready()),
        }
        if hook:
            info["max_connections"] = hook.max_connections
            if hook.last_error_date:
                info.update(last_error_date=hook.last_error_date, last_error_message=hook.last_error_message)
        if self.allowed_updates:
            info["allowed_updates"] = self.allowed_updates
        return info

    async def _push(self) -> None:
        """POST pending updates until the webhook answers each with 2xx, retrying with backoff, as
        Telegram does: up to `max_connections` at once, but one chat's updates one at a time and in
        order (an update waits while an earlier one of its chat is pending)."""
        posting: dict[int, asyncio.Task] = {}  # update_id -> its POST
        while (hook := self.webhook) and not self._closed:
            self._pushed.clear()
            for update_id in [u for u, task in posting.items() if task.done()]:
                del posting[update_id]
            busy: set = set()
            for update in self._ready():
                chat = update_chat(update)
                if update["update_id"] in posting or chat in busy:
                    busy.add(chat)
                    continue
                busy.add(chat)
                if len(posting) >= hook.max_connections:
                    break
                posting[update["update_id"]] = asyncio.create_task(self._deliver(hook, update))
            if not posting and not self._ready():
                return
            if not any(task.done() for task in posting.values()):
                await self._pushed.wait()

    async def _deliver(self, hook: Webhook, update: dict) -> None:
        """One update, posted until the webhook takes it (backoff between failures)."""
        failures = 0
        try:
            while not self._closed and self.webhook is hook:
                error = await self._post(hook, update)
                if error is None:
                    self.pending = [u for u in self.pending if u is not update]
                    return
                hook.last_error_date, hook.last_error_message = int(time.time()), error
                failures += 1
                await asyncio.sleep(min(0.05 * 2**failures, WEBHOOK_MAX_BACKOFF))
        finally:
            self._pushed.set()

    async def _post(self, hook: Webhook, update: dict) -> str | None:
        """Push one update; returns an error message like getWebhookInfo's, or None on success."""
        if self._http is None:
            self._http = aiohttp.ClientSession()
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        try:
            async with self._http.post(
                hook.url,
                json=update,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT),
            ) as resp:
                if not 200 <= resp.status < 300:
                    return f"Wrong response from the webhook: {resp.status} {resp.reason}"
                await self._answer_in_response(resp)
        except (aiohttp.ClientError, TimeoutError) as e:
            return f"Connection failed: {type(e).__name__}: {e}"
        return None

    async def _answer_in_response(self, resp: aiohttp.ClientResponse) -> None:
        """A webhook may answer with a method call in its response body (aiogram's handle_in_background=False)."""
        if resp.content_type.startswith("multipart/"):
            params, files = await read_parts(aiohttp.MultipartReader.from_response(resp))
        elif resp.content_type == "application/json":
            params, files = read_json_object(await resp.read()), {}
        else:
            return
        method = params.pop("method", None)
        if not method:
            return
        try:
            await self.standin.call(self.token, method, params, files)
        except (ApiError, SpecViolation) as e:  # Telegram ignores failed webhook replies; the call is recorded
            log.warning("webhook reply %s failed: %s", method, e)

    async def close(self) -> None:
        self._closed = True
        self._wake()
        if self._pusher is not None:
            self._pusher.cancel()
            await asyncio.gather(self._pusher, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
