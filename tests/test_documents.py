import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest
from PIL import Image

from desk.documents import HEAD_BYTES, DocumentStore, check_upload, sniff
from desk.validators import ValidationError

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, fmt)
    return out.getvalue()


def office(part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr(part, "<doc/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "content, name, kind",
    [
        (PDF, "letter.pdf", "pdf"),
        (PDF, None, "pdf"),
        (image("JPEG"), "photo.jpg", "jpg"),
        (image("JPEG"), "photo.png", "jpg"),  # the content decides, not the name
        (image("PNG"), "scan", "png"),
        (office("word/document.xml"), "form.docx", "docx"),
        (office("xl/workbook.xml"), "sheet.xlsx", "xlsx"),
        (office("docs/readme.txt"), "fake.docx", "zip"),  # a plain zip renamed .docx
        (EXE, "invoice.pdf", None),
        (b"just some text, not a pdf", "notes.pdf", None),
        (b"", "empty.pdf", None),
    ],
)
def test_sniff_uses_content(content, name, kind):
    assert sniff(content[:HEAD_BYTES], name) == kind


def test_check_upload():
    assert check_upload("a.pdf", len(PDF), PDF, ["pdf", "jpg"], 10) == "pdf"
    with pytest.raises(ValidationError) as e:
        check_upload("invoice.pdf", len(EXE), EXE, ["pdf", "jpg", "png"], 10)
    assert e.value.code == "file-type"
    with pytest.raises(ValidationError) as e:
        check_upload("p.png", 100, image("PNG"), ["pdf"], 10)
    assert e.value.code == "file-type"
    with pytest.raises(ValidationError) as e:
        check_upload("a.pdf", 10 * 1024 * 1024 + 1, PDF, ["pdf"], 10)
    assert (e.value.code, e.value.params) == ("file-too-big", {"max_mb": 10})


WHEN = datetime(2025, 5, 5, 10, tzinfo=UTC)


async def test_store_saves_atomically_by_month_and_hash(tmp_path):
    store = DocumentStore(tmp_path)
    sha = hashlib.sha256(PDF).hexdigest()
    saved = await store.save(PDF, "Letter.PDF", when=WHEN)
    assert (saved.path, saved.sha256, saved.size) == (f"2025/05/{sha}.pdf", sha, len(PDF))
    with store.open(saved.path) as fh:
        assert fh.read() == PDF
    assert [p.name for p in (tmp_path / "2025" / "05").iterdir()] == [f"{sha}.pdf"]  # no temp files left

    async def chunks():
        for i in range(0, len(PDF), 7):
            yield PDF[i : i + 7]

    again = await store.save(chunks(), "copy.pdf", when=WHEN)
    assert again == saved
    odd = await store.save(b"x", "../../etc/passwd", when=WHEN)
    assert odd.path == f"2025/05/{hashlib.sha256(b'x').hexdigest()}"


async def test_store_refuses_oversize_stream_and_escaping_paths(tmp_path):
    store = DocumentStore(tmp_path)

    async def big():
        for _ in range(10):
            yield b"0" * 1024

    with pytest.raises(ValidationError) as e:
        await store.save(big(), "big.pdf", max_bytes=4096, when=WHEN)
    assert e.value.code == "file-too-big"
    assert list((tmp_path / "2025" / "05").iterdir()) == []
    with pytest.raises(ValueError):
        store.open("../outside.pdf")
