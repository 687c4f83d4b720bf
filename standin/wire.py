"""Reading Bot API requests off the wire: JSON, urlencoded and multipart bodies, as aiogram sends them."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import BodyPartReader, MultipartReader
from aiohttp.multipart import MultipartResponseWrapper

Files = dict[str, tuple[str, bytes]]


async def read_parts(reader: MultipartReader | MultipartResponseWrapper) -> tuple[dict[str, Any], Files]:
    """Fields of a multipart/form-data body as strings; parts with a filename as uploads."""
    params: dict[str, Any] = {}
    files: Files = {}
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            files[part.name] = (part.filename, bytes(await part.read()))
        else:
            params[part.name] = await part.text()
    return params, files


def read_json_object(body: bytes) -> dict[str, Any]:
    data = orjson.loads(body) if body.strip() else {}
    if not isinstance(data, dict):
        raise ValueError("the request body is not a JSON object")
    return data
