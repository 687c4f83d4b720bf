"""Files known to the stand-in: uploaded by bots or sent by fake users, addressed by file_id and file_path."""

from __future__ import annotations

import io
import mimetypes
import secrets
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files
UPLOAD_LIMIT = 50 * 1024 * 1024  # bots may upload up to 50 MB
# a valid 1x1 PNG, the default picture a fake user sends
TINY_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1eOpusHead\x01\x01" + b"\x00" * 40  # a voice note's first bytes
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5dd2b6f0000000049454e44ae426082"
)


class NotAnImage(ValueError):
    pass


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    size: int
    name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def document(self) -> dict:
        doc = {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": self.size}
        if self.name:
            doc["file_name"] = self.name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def voice(self, duration: int = 2) -> dict:
        """The Voice object of a voice note (OGG/Opus)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "duration": duration,
            "mime_type": self.mime_type or "audio/ogg",
            "file_size": self.size,
        }

    def photo(self) -> list[dict]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width,
                "height": self.height,
                "file_size": self.size,
            }
        ]

    def file(self) -> dict:
        """The File object of getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(
        self,
        data: bytes,
        *,
        photo: bool = False,
        name: str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
    ) -> StoredFile:
        """Store a file; `size` overrides the reported size (a big file without holding its bytes)."""
        number = len(self._by_id) + 1
        width = height = 0
        if photo:
            try:
                width, height = Image.open(io.BytesIO(data)).size
            except UnidentifiedImageError as e:
                raise NotAnImage(str(e)) from e
            path = f"photos/file_{number}.jpg"
        else:
            suffix = name.rsplit(".", 1)[-1] if name and "." in name else "bin"
            path = f"documents/file_{number}.{suffix}"
            mime_type = mime_type or (mimetypes.guess_type(name)[0] if name else None)
        stored = StoredFile(
            file_id=("AgAC" if photo else "BQAC") + secrets.token_urlsafe(48),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            file_path=path,
            data=data,
            size=len(data) if size is None else size,
            name=name,
            mime_type=mime_type,
            width=width,
            height=height,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def at_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)
