"""Uploaded documents: recognise the file kind from its content, give it a safe name with the
extension of that kind, keep within the storage quotas, store files atomically, and delete them
from disk with the last row that uses them."""

import asyncio
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import AsyncIterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO, cast

import puremagic

from desk.validators import ValidationError
from models import Document

HEAD_BYTES = 8192  # how much of a file sniff() wants to see
MAX_SIZE_MB = 20  # Telegram's getFile limit for bots

# puremagic extension -> our kind
_KINDS = {
    ".pdf": "pdf",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".jfif": "jpg",
    ".jpe": "jpg",
    ".png": "png",
    ".gif": "gif",
    ".webp": "webp",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".zip": "zip",
    ".docx": "zip",
    ".xlsx": "zip",
    ".pptx": "zip",
    ".ogg": "ogg",  # a voice note to staff
}
# Office Open XML files are ZIP archives; their part names tell them apart.
_OOXML = {"docx": b"word/", "xlsx": b"xl/", "pptx": b"ppt/"}
KINDS = frozenset(_KINDS.values()) | frozenset(_OOXML)
IMAGE_KINDS = frozenset({"jpg", "png", "gif", "webp", "tiff"})


def _ext(filename: str | None) -> str:
    return PurePosixPath(filename or "").suffix.lower().lstrip(".")


def sniff(content_head: bytes, filename: str | None = None) -> str | None:
    """The kind of a file judged by its first bytes (not its name): pdf, jpg, png, gif, webp, tiff,
    docx, xlsx, pptx, zip; None when unknown. The name only breaks ties between equally likely kinds."""
    try:
        matches = puremagic.magic_string(content_head)
    except (puremagic.PureError, ValueError):
        return None
    if not matches:
        return None
    best = matches[0].confidence
    kinds = [_KINDS[m.extension] for m in matches if m.confidence == best and m.extension in _KINDS]
    if not kinds:
        return None
    if "zip" in kinds and content_head.startswith(b"PK\x03\x04"):
        ooxml = [k for k, marker in _OOXML.items() if marker in content_head]
        if ooxml:
            return _ext(filename) if _ext(filename) in ooxml else ooxml[0]
        return "zip"
    return _ext(filename) if _ext(filename) in kinds else kinds[0]


def check_upload(
    filename: str | None, size: int, head: bytes, accept: list[str] | frozenset[str], max_size_mb: float = MAX_SIZE_MB
) -> str:
    """The kind of an upload that fits a form field, or ValidationError "file-too-big" / "file-type"."""
    if size > max_size_mb * 1024 * 1024:
        raise ValidationError("file-too-big", max_mb=max_size_mb)
    kind = sniff(head, filename)
    if kind is None or kind not in accept:
        raise ValidationError("file-type", accept=", ".join(accept))
    return kind


# the extension a stored file gets, by the kind found in its content
EXTENSIONS = {"jpg": "jpg", "png": "png", "gif": "gif", "webp": "webp", "tiff": "tif", "pdf": "pdf", "zip": "zip"}
MAX_NAME = 120


def safe_name(filename: str | None, kind: str) -> str:
    """The name a file is kept and shown under: the sender's name without folders, control and
    direction characters (U+202E makes "fdp.exe" look like "exe.pdf"), or characters file systems
    refuse; its extension is the one of the kind found in the content (a PDF named .exe is a .pdf)."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = "".join(
        ch for ch in unicodedata.normalize("NFC", stem) if unicodedata.category(ch)[0] not in "CZ" or ch == " "
    )
    stem = re.sub(r'[<>:"/|?*]+', "_", stem).strip(" .") or "file"
    ext = EXTENSIONS.get(kind, kind)
    return f"{stem[: MAX_NAME - len(ext) - 1]}.{ext}"


async def check_quota(
    size: int, *, citizen_id: int | None, request_ids: list[int], request_mb: float, citizen_mb: float
) -> None:
    """One more file of `size` bytes fits the quotas of its request (the files `request_ids`: a
    request's, or a form's being filled) and of its citizen: else ValidationError "storage-request" /
    "storage-citizen"."""
    if request_ids:
        used = sum(cast(list[int], await Document.filter(id__in=request_ids).values_list("size", flat=True)))
        if used + size > request_mb * 1024 * 1024:
            raise ValidationError("storage-request", mb=request_mb)
    if citizen_id is not None:
        used = sum(cast(list[int], await Document.filter(citizen_id=citizen_id).values_list("size", flat=True)))
        if used + size > citizen_mb * 1024 * 1024:
            raise ValidationError("storage-citizen", mb=citizen_mb)


async def delete_documents(store: "DocumentStore", query) -> int:
    """Delete these Document rows and then each stored file no other row uses (the store keeps
    identical content once, so two rows may share a file). Returns the rows deleted."""
    rows = list(await query.values_list("id", "path"))
    if not rows:
        return 0
    ids = [i for i, _ in rows]
    await Document.filter(id__in=ids).delete()
    paths = {p for _, p in rows}
    still_used = set(await Document.filter(path__in=list(paths)).values_list("path", flat=True))
    for path in paths - still_used:
        try:
            await asyncio.to_thread(store.path_of(path).unlink, missing_ok=True)
        except (OSError, ValueError):
            pass  # a file already gone or outside the store: nothing of ours to delete
    return len(ids)


@dataclass(frozen=True)
class StoredFile:
    path: str  # relative to the store root, POSIX separators
    sha256: str
    size: int


class DocumentStore:
    """Files under root/YYYY/MM/<sha256>.<ext>; identical content is stored once per month."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    async def save(
        self,
        content: bytes | AsyncIterable[bytes],
        suggested_name: str | None = None,
        *,
        max_bytes: int | None = None,
        when: datetime | None = None,
    ) -> StoredFile:
        when = when or datetime.now(UTC)
        folder = self.root / f"{when:%Y}" / f"{when:%m}"
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                chunks = _one(content) if isinstance(content, bytes | bytearray) else content
                async for chunk in chunks:
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ValidationError("file-too-big", max_mb=max_bytes / 1024 / 1024)
                    digest.update(chunk)
                    await asyncio.to_thread(out.write, chunk)
                await asyncio.to_thread(_flush, out)
            ext = _ext(suggested_name)
            name = digest.hexdigest() + (f".{ext}" if re.fullmatch(r"[a-z0-9]{1,8}", ext) else "")
            await asyncio.to_thread(os.replace, tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StoredFile((folder / name).relative_to(self.root).as_posix(), digest.hexdigest(), size)

    def path_of(self, path: str) -> Path:
        """Absolute path of a stored file; refuses paths that leave the store."""
        full = (self.root / path).resolve()
        if not full.is_relative_to(self.root.resolve()):
            raise ValueError(f"path outside the document store: {path!r}")
        return full

    def open(self, path: str) -> BinaryIO:
        return self.path_of(path).open("rb")


async def _one(content: bytes):
    yield content


def _flush(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())
