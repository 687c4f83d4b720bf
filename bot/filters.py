"""Routing filters that run in the event loop.

aiogram awaits a filter only if it is a coroutine function or a `Filter`; anything else (a magic filter
such as `F.chat.type == "private"` or `F.text`, or a bare `State` such as `FormStates.filling`) is
run in a worker thread with `asyncio.to_thread` on every check. A text message walks past a dozen
such checks before a handler takes it, so routers use these instead:

- `PrivateChat()` for `F.chat.type == "private"`, `GroupChat()` for a group or supergroup;
- `StateFilter(SomeStates.step)` (aiogram's own) for a bare state;
- `Magic(F.text)`, `Magic(F.document | F.photo)`, ... for any other magic filter: the same rule,
  resolved in the loop (a magic filter only reads the event; it never blocks)."""

from __future__ import annotations

from typing import Any

from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import Message
from magic_filter import MagicFilter


class PrivateChat(Filter):
    """A message in the citizen's private chat with the bot."""

    async def __call__(self, message: Message) -> bool:
        return message.chat.type == ChatType.PRIVATE


class GroupChat(Filter):
    """A message in a group or supergroup (a unit's staff group)."""

    async def __call__(self, message: Message) -> bool:
        return message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


class Magic(Filter):
    """A magic filter applied to the event in the event loop, with aiogram's meaning of its result
    (falsy: no match; a dict, e.g. from `.as_("name")`: extra handler arguments)."""

    def __init__(self, magic: MagicFilter):
        self.magic = magic

    async def __call__(self, event: Any) -> Any:
        return self.magic.resolve(event)

    def __str__(self) -> str:
        return f"Magic({self.magic!r})"
