"""Files people send in a chat: fetched with getFile, their type checked from the content (not the
name), within the storage quotas, kept in the document store with a checksum under a safe name whose
extension is the detected type's, and recorded as a Document."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.types import Message
from aiohttp import ClientError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from bot.delivery.resilience import BACKOFF, RETRY_ATTEMPTS, transient
from bot.platforms import messenger
from bot.services import Services
from desk import documents, validators
from desk.documents import KINDS, DocumentStore
from models import Citizen, Document

IMAGE_KINDS = ["jpg", "png"]
DOWNLOAD_ERRORS = (ClientError, TelegramNetworkError, TimeoutError)
Quota = Callable[[int], Awaitable[None]]  # raises ValidationError when one more file of this size does not fit


def quota(settings, citizen: Citizen | None, request_document_ids: list[int]) -> Quota | None:
    """The storage quotas of a citizen's upload (their request's files so far, and all of theirs)."""
    if citizen is None:
        return None

    async def check(size: int) -> None:
        await documents.check_quota(
            size,
            citizen_id=citizen.id,
            request_ids=request_document_ids,
            request_mb=settings.limits.request_storage_mb,
            citizen_mb=settings.limits.citizen_storage_mb,
        )

    return check


def file_of(message: Message) -> tuple[str, str, str, int | None] | None:
    """(file_id, file_unique_id, file name, size) of a message's photo, document or voice note."""
    if message.photo:
        p = message.photo[-1]
        return p.file_id, p.file_unique_id, f"photo-{p.file_unique_id}.jpg", p.file_size
    if message.document:
        d = message.document
        return d.file_id, d.file_unique_id, d.file_name or "file", d.file_size
    if message.voice:  # kept like a file: a group on another messenger gets it re-uploaded
        v = message.voice
        return v.file_id, v.file_unique_id, f"voice-{v.file_unique_id}.ogg", v.file_size
    return None


async def _download(bot: Bot, file_path: str) -> bytes:
    """The file's bytes; a download that breaks off is tried again, as a Bot API call is."""
    try:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(RETRY_ATTEMPTS),
            wait=BACKOFF,
            retry=retry_if_exception_type(DOWNLOAD_ERRORS),
            reraise=True,
        ):
            with attempt:
                buffer = io.BytesIO()
                await bot.download_file(file_path, buffer)
                return buffer.getvalue()
    except DOWNLOAD_ERRORS as e:
        raise validators.ValidationError("file-download") from e
    raise AssertionError("the last attempt returns or raises")


async def keep_file(
    message: Message,
    bot: Bot,
    store: DocumentStore,
    *,
    platform: str,
    citizen: Citizen | None,
    role: str,
    accept,
    max_mb: float,
    field: str | None = None,
    quota: Quota | None = None,
) -> Document | None:
    """The message's file kept by the desk (None when it has none). Raises
    validators.ValidationError("file-too-big" | "file-type" | "file-download"), with the limits
    it was checked against (`size`, `kinds`) for the person's explanation."""
    try:
        return await _keep_file(message, bot, store, platform, citizen, role, accept, max_mb, field, quota)
    except validators.ValidationError as e:
        e.params = {**e.params, "size": max_mb, "kinds": ", ".join(accept)}
        raise


async def _keep_file(message, bot, store, platform, citizen, role, accept, max_mb, field, quota) -> Document | None:
    found = file_of(message)
    if found is None:
        return None
    file_id, unique, name, size = found
    max_mb = min(max_mb, messenger(platform).download_limit_mb)  # what the bot can fetch with getFile
    if size and size > max_mb * 1024 * 1024:
        raise validators.ValidationError("file-too-big")
    if size and quota is not None:  # before downloading, when the messenger says the size
        await quota(size)
    try:
        file = await bot.get_file(file_id)  # retried when the messenger fails (bot/delivery/resilience.py)
    except TelegramBadRequest as e:  # both messengers refuse files over 20 MB to bots
        raise validators.ValidationError("file-too-big" if "too big" in e.message else "file-download") from e
    except Exception as e:
        if not transient(e):
            raise
        raise validators.ValidationError("file-download") from e  # still failing: the person sends it again
    if file.file_path is None:  # the Bot API did not make the file downloadable
        raise validators.ValidationError("file-download")
    content = await _download(bot, file.file_path)
    kind = documents.check_upload(name, len(content), content[: documents.HEAD_BYTES], accept, max_mb)
    if quota is not None:
        await quota(len(content))
    name = documents.safe_name(name, kind)
    stored = await store.save(content, name)
    return await Document.create(
        citizen=citizen,
        field=field,
        role=role,
        kind=kind,
        file_name=name,
        size=stored.size,
        sha256=stored.sha256,
        path=str(stored.path),
        platform=platform,
        tg_file_id=file_id,
        tg_file_unique_id=unique,
    )


async def save_file(
    message: Message, bot: Bot, services: Services, *, platform: str, citizen: Citizen | None, role: str
) -> Document | None:
    """A file sent in the conversation about a request (any kind the desk keeps; a citizen's within
    their storage quota)."""
    settings = services.settings
    return await keep_file(
        message,
        bot,
        services.store,
        platform=platform,
        citizen=citizen,
        role=role,
        accept=sorted(KINDS),
        max_mb=settings.documents.max_size_mb,
        quota=quota(settings, citizen, []) if role == "message" else None,
    )


def source_of(message: Message, platform: str) -> dict:
    return {
        "platform": platform,
        "chat_id": message.chat.id,
        "message_id": message.message_id,
        "media": bool(
            message.photo or message.document or message.voice or message.audio or message.video or message.video_note
        ),
    }
