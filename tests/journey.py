"""Steps of the citizen's journey shared by tests (driving the real bot through the stand-in)."""

from __future__ import annotations

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def national_id(prefix: str = "001234567") -> str:
    """A valid national ID with the given first nine digits."""
    r = sum(int(prefix[i]) * (10 - i) for i in range(9)) % 11
    return prefix + str(r if r < 2 else 11 - r)


VALID_NID = national_id()  # 0012345679


def visible(text: str) -> str:
    """A text as a person sees it: without the invisible U+200C that keeps Bale from reading a
    person's `*`, `_` or `[..](..)` as formatting (bot/platforms.py)."""
    return text.replace("\u200c", "")


async def fill_profile(user, *, name: str = "Ali Rezaei") -> None:
    """Answer the three profile questions the bot asks before a first form."""
    await user.send(name)
    await user.send(VALID_NID)
    await user.send_contact("+989121234567")


async def open_service(user, agency: str, service: str) -> None:
    await user.send("/start")
    await user.press("فهرست خدمات")
    await user.press(agency)
    await user.press(service)


async def fill_permit_form(user, *, owner: str = "Owner") -> None:
    """The test catalogue's permit form, every field answered the simple way, up to the review."""
    await user.send(owner)  # owner_name (owner_id is prefilled from the profile)
    await user.send("120")  # area
    await user.press("رد کردن")  # built (optional)
    await user.press("مسکونی")  # usage
    await user.press("تمام")  # features (none)
    await user.press("خیر")  # corner
    await user.send("1193653471")  # postal (phone is prefilled)
    await user.send_document("deed.pdf", PDF)
    await user.press("تمام")  # deed: one file is enough
    await user.press("رد کردن")  # facade
    await user.press("رد کردن")  # where
    await user.press("رد کردن")  # notes
