"""How the desk's requests reach the Bot API: aiogram's aiohttp session, with orjson, and a request
without files sent as one JSON body (Telegram and Bale accept application/json) instead of
urlencoded fields: percent-encoding a Persian text costs more than the rest of building the
request (bench/citizen_bench.py). A request with files stays multipart, as aiogram makes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.methods.base import Response
from aiohttp import BytesPayload

from bot.lazy_types import build_for

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod
    from aiogram.types import InputFile


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def json_fields(session: BaseSession, bot: Bot, method: TelegramMethod) -> tuple[dict[str, Any], dict[str, InputFile]]:
    """The method's parameters as a JSON object (nested objects as objects, not as JSON strings), and
    the files it uploads (then it must go as multipart instead). Left out, as aiogram's form leaves
    them out: parameters that are None or an empty string."""
    files: dict[str, InputFile] = {}
    fields = {}
    for key, value in method.model_dump(warnings=False).items():
        value = session.prepare_value(value, bot=bot, files=files, _dumps_json=False)
        if value is not None and value != "":
            fields[key] = value
    return fields, files


class DeskSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(json_loads=orjson.loads, json_dumps=dumps, **kwargs)

    def build_form_data(self, bot: Bot, method: TelegramMethod):
        fields, files = json_fields(self, bot, method)
        if files:
            return super().build_form_data(bot, method)
        return BytesPayload(orjson.dumps(fields), content_type="application/json")


# aiogram checks every Bot API answer with `Response[<the method's result type>]`, a pydantic generic
# model that pydantic keeps only in a weak cache: each time the garbage collector drops it, the next
# call rebuilds it, schema and all (~10 ms; a third of a bare bot's CPU time under load). Holding
# each one from its first use keeps it built; building all 41 at start would build nearly every Bot
# API type before the first answer (bot/lazy_types.py). It is made after the types it holds, so it
# reuses them rather than building them once more (lazy_types.build_for).
RESPONSE_MODELS: dict[Any, Any] = {}


class KeepResponseModels(BaseRequestMiddleware):
    """A session middleware: the answer model of each method's result type, held once it is made."""

    async def __call__(self, make_request, bot, method):
        returning = method.__returning__
        if returning not in RESPONSE_MODELS:
            build_for(returning)
            RESPONSE_MODELS[returning] = Response[returning]
        return await make_request(bot, method)
