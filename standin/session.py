"""An aiogram session that talks to a Standin in-process: `Bot(token, session=StandinSession(standin))`."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast

import orjson
from aiogram.client.session.base import BaseSession
from aiogram.methods.base import TelegramType

from bot.delivery.session import json_fields
from standin.errors import ApiError
from standin.wire import Files

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod

    from standin.core import Standin

_FILE_URL = re.compile(r"/file/bot[^/]+/(.+)$")


class StandinSession(BaseSession):
    def __init__(self, standin: Standin, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.standin = standin

    async def build_params(self, bot: Bot, method: TelegramMethod[TelegramType]) -> tuple[dict[str, Any], Files]:
        """What Telegram would receive from the desk's session (bot/delivery/session.py): a JSON object, or
        for an upload the form fields and files (as AiohttpSession.build_form_data makes them)."""
        fields, uploading = json_fields(self, bot, method)
        if not uploading:
            return orjson.loads(orjson.dumps(fields)), {}  # as the stand-in's server decodes the body
        params: dict[str, str] = {}
        uploads: dict = {}  # filled again below: each form part names its file afresh
        for key, value in method.model_dump(warnings=False).items():
            value = self.prepare_value(value, bot=bot, files=uploads)
            if value:
                params[key] = value
        files: Files = {}
        for key, upload in uploads.items():
            files[key] = (upload.filename or key, b"".join([chunk async for chunk in upload.read(bot)]))
        return params, files

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        params, files = await self.build_params(bot, method)
        try:
            result = await self.standin.call(bot.token, method.__api_method__, params, files)
        except ApiError as e:
            status, body = e.error_code, e.response()
        else:
            status, body = HTTPStatus.OK, {"ok": True, "result": result}
        response = self.check_response(bot=bot, method=method, status_code=status, content=self.json_dumps(body))
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        match = _FILE_URL.search(url)
        if match is None:
            raise ValueError(f"not a Bot API file URL: {url}")
        data = self.standin.file_bytes(match.group(1))
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    async def close(self) -> None:
        """Nothing to close: no connections."""
