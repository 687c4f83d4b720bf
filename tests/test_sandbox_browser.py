"""The sandbox in a real browser: `python -m bot sandbox` as a person runs it (no token, its own SQLite
database), Debian's headless chromium driven by playwright, clicking through the page as a citizen,
a staff member in the unit's group and an admin, including /start in the middle of a form and a citizen
answering staff in two messages. Ends with screenshots of the page and of each person's view
(docs/sandbox*.png when UPDATE_SCREENSHOT=1)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

import aiohttp
import pytest

from bot.config import ROOT
from bot.sandbox.server import ADMIN_ID, STAFF_ID
from desk import tracking
from desk.calendar import jalali
from tests.factories import PDF, VALID_NID

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CATALOG = ROOT / "tests" / "data" / "catalog"
SCREENSHOT = ROOT / "docs" / "sandbox.png"
IN_CI = bool(os.environ.get("CI"))

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not IN_CI,
    reason="Debian's chromium is not installed (apt-get install -y chromium); CI installs it",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def running_sandbox(tmp_path: Path, *, reset: bool):
    """`python -m bot sandbox` as a subprocess on a free port, with its data folder (database and
    documents) in a temporary folder; stopped with Ctrl+C (SIGINT), as a person stops it."""
    config = tmp_path / "bot.toml"
    # the browser clicks faster than a person: the per-citizen rate (bot.toml [limits]) is not under test here
    config.write_text(f'[catalog]\ndir = "{CATALOG}"\n[limits]\nmessages = "1000 per minute"\n', encoding="utf-8")
    env = {
        **os.environ,
        "BOT_TOKEN": "",
        "BOT_ADMINS": "",
        "BOT_CONFIG": str(config),
        "REDIS_URL": "",
    }
    for name in ("DATABASE_URL", "DOCUMENTS_DIR"):  # a real desk's settings: the sandbox would refuse them
        env.pop(name, None)
    port = _free_port()
    log_path = tmp_path / f"sandbox-{port}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "sandbox",
            "--port",
            str(port),
            "--data",
            str(tmp_path),
            *(["--reset"] if reset else []),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            await _wait_until_bound(url, process)
            yield url
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
            print(log_path.read_text(errors="replace")[-6000:])  # shown when the test fails
    assert process.returncode == 0, "the sandbox did not stop cleanly on Ctrl+C"


async def _wait_until_bound(url: str, process) -> None:
    """Up when the page answers, the admin's /bind has bound the group to its unit and the command
    menus are set (in the background at start-up; the admin's own is the last)."""
    deadline = time.monotonic() + 120  # a hang guard: a loaded machine starts Python slowly
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert process.returncode is None, "the sandbox exited at start-up"
            try:
                async with http.get(url) as page:
                    secret = re.search(r'name="sandbox-secret" content="([^"]+)"', await page.text()).group(1)
                headers = {"X-Sandbox-Secret": secret}
                async with http.get(url + "api/world", headers=headers) as response:
                    group = (await response.json())["group"] if response.status == 200 else {}
                async with http.get(url + f"api/chats/{ADMIN_ID}/commands", headers=headers) as response:
                    menu = (await response.json())["commands"] if response.status == 200 else []
                if group and group["bound"] == group["units"] and "audit" in {c["command"] for c in menu}:
                    return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError("the sandbox did not start (or did not bind its group, or set its menus) within 120 s")


class Chat:
    """One pane of the page, used the way a person uses it."""

    def __init__(self, page, pane: str) -> None:
        self.page = page
        self.pane = page.locator(f"#pane-{pane}")

    async def _bot_events(self) -> int:
        return await self.page.evaluate("window.sandbox.botEvents")

    async def _settled(self, before: int, timeout: float = 10_000) -> None:
        """Wait until the bot has answered (a new bot message or edit) and then stayed quiet briefly."""
        await self.page.wait_for_function(
            "n => window.sandbox.botEvents > n && performance.now() - window.sandbox.lastBotEventAt > 250",
            arg=before,
            timeout=timeout,
            polling=50,
        )

    async def send(self, text: str) -> None:
        before = await self._bot_events()
        await self.pane.locator(".composer input[name=text]").fill(text)
        await self.pane.locator(".composer input[name=text]").press("Enter")
        await self._settled(before)

    async def press(self, text: str) -> None:
        """Press an inline button of the newest message that has it (exact text first, else a substring)."""
        before = await self._bot_events()
        buttons = self.pane.locator(".msg.in .inline-btn")
        exact = buttons.filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        await (exact if await exact.count() else buttons.filter(has_text=text)).last.click()
        await self._settled(before)

    async def key(self, text: str) -> None:
        """Press a button of the reply keyboard under the chat."""
        before = await self._bot_events()
        await self.pane.locator(".reply-keyboard .kb-btn", has_text=text).first.click()
        await self._settled(before)

    async def upload(self, name: str, data: bytes, mime: str) -> None:
        before = await self._bot_events()
        await self.pane.locator(".composer input[type=file]").set_input_files(
            {"name": name, "mimeType": mime, "buffer": data}
        )
        await self._settled(before)

    async def menu(self) -> list[tuple[str, str]]:
        """Open the command menu with the composer's menu button: its commands and descriptions, as shown."""
        await self.pane.locator(".composer .menu-btn").click()
        items = self.pane.locator(".command-menu .cmd")
        await items.first.wait_for()
        shown = await items.evaluate_all(
            "items => items.map(i => [i.querySelector('.cmd-name').textContent, i.querySelector('.cmd-desc').textContent])"
        )
        return [(name, description) for name, description in shown]

    async def choose(self, command: str) -> None:
        """Choose a command in the open menu: it is sent as the person's message."""
        before = await self._bot_events()
        name = self.page.locator(".cmd-name", has_text=re.compile(rf"^{re.escape(command)}$"))
        await self.pane.locator(".command-menu .cmd", has=name).click()
        await self._settled(before)

    async def last(self) -> str:
        return await self.pane.locator(".msg.in").last.inner_text()

    async def wait_for(self, text: str, *, button: str | None = None, timeout: float = 20_000) -> str:
        """The text of the newest bot message containing `text` (and `button`), once it is there (e.g. from
        the outbox)."""
        messages = self.pane.locator(".msg.in", has_text=text)
        if button:
            messages = messages.filter(has=self.page.locator(".inline-btn", has_text=button))
        message = messages.last
        await message.wait_for(timeout=timeout)
        return await message.inner_text()


async def test_full_request_through_the_page_and_a_restart(tmp_path):
    try:
        from playwright.async_api import async_playwright
    except ModuleNotFoundError:
        if IN_CI:
            raise
        pytest.skip("the playwright package is not installed (pip install playwright; never `playwright install`)")

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1600, "height": 1000}, locale="fa-IR")
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            async with running_sandbox(tmp_path, reset=True) as url:
                await _open(page, url)
                try:
                    code = await _journey(page, tmp_path / "sandbox.sqlite3")
                finally:
                    folder = SCREENSHOT.parent if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path
                    await page.screenshot(path=str(folder / SCREENSHOT.name))
                    for pane in ("citizen", "group", "admin"):  # each person's view on its own
                        await page.locator(f"#pane-{pane}").screenshot(path=str(folder / f"sandbox-{pane}.png"))
                    print(f"screenshots: {folder}")
            # a second run over the same database: the desk remembers the citizen and the request
            async with running_sandbox(tmp_path, reset=False) as url:
                await _open(page, url)
                citizen, group = Chat(page, "citizen"), Chat(page, "group")
                assert "سارا" in await page.locator("#citizen-select option").first.inner_text()
                assert await group.pane.locator(".msg").count() == 0  # already bound: no second /bind
                await citizen.send(code)
                assert "استعلام پروانه ساختمان" in await citizen.last()
        finally:
            await browser.close()
        assert not errors, errors


async def _open(page, url: str) -> None:
    await page.goto(url)
    await page.wait_for_selector("body[data-ready='1']")


async def _journey(page, database: Path) -> str:
    """The whole journey (citizen, staff, survey, admin); returns the tracking code as shown."""
    citizen, group, admin = Chat(page, "citizen"), Chat(page, "group"), Chat(page, "admin")
    # the page shows the three chats, right to left, with the admin's /bind already in the group
    assert await page.locator("html").get_attribute("dir") == "rtl"
    assert "/bind" in await group.pane.locator(".msg.out").first.inner_text()

    # the composer's menu button lists the commands the messenger shows the citizen, in Persian
    assert await citizen.menu() == [
        ("/start", "منوی اصلی"),
        ("/track", "پیگیری درخواست با کد رهگیری"),
        ("/mine", "درخواست‌های من"),
        ("/profile", "مشخصات من"),
        ("/cancel", "لغو کار جاری"),
        ("/lang", "تغییر زبان / Language"),
        ("/help", "راهنما"),
    ]
    await citizen.choose("/help")
    assert await citizen.pane.locator(".command-menu").is_hidden()
    assert await citizen.pane.locator(".msg.out .text").last.inner_text() == "/help"
    assert "راهنمای میز خدمت" in await citizen.last() and "/track" in await citizen.last()

    # the citizen: catalogue -> service -> apply -> profile -> form -> submit -> receipt
    await citizen.send("/start")
    assert "میز خدمت" in await citizen.last()
    await citizen.press("فهرست خدمات")
    await citizen.press("شهرداری تهران")
    await citizen.press("استعلام پروانه ساختمان")
    assert "۵ روز کاری" in await citizen.last()
    await citizen.press("ثبت درخواست این خدمت")
    await citizen.send("رضا رضایی")
    await citizen.send(VALID_NID)
    await citizen.key("ارسال شمارهٔ من")  # the reply keyboard's contact button
    await citizen.send("مالک نمونه")  # owner_name
    # /start in the middle of the form pauses it: the menu offers to continue, and a word is a search
    await citizen.send("/start")
    assert "فرم «استعلام پروانه ساختمان» نیمه‌کاره مانده است" in await citizen.last()
    await citizen.send("پروانه")
    assert "استعلام پروانه ساختمان" in await citizen.last()
    await citizen.press("ادامهٔ فرم نیمه‌کاره")
    assert "مساحت" in await citizen.last()  # the same question again, the answer before it kept
    await citizen.send("۱۲۰")  # area, in Persian digits
    await citizen.press("رد کردن")  # built (optional)
    await citizen.press("مسکونی")  # usage
    await citizen.press("تمام")  # features (none)
    await citizen.press("خیر")  # corner
    await citizen.send("1193653471")  # postal
    await citizen.upload("deed.pdf", PDF, "application/pdf")
    assert await citizen.pane.locator(".msg.out .document", has_text="deed.pdf").count() == 1
    await citizen.press("تمام")
    await citizen.press("رد کردن")  # facade
    await citizen.key("ارسال موقعیت من")  # where: the reply keyboard's location button
    await citizen.press("رد کردن")  # notes
    review = await citizen.last()
    assert "مالک نمونه" in review and "deed.pdf" in review
    await citizen.press("ثبت نهایی")
    receipt = await citizen.last()
    assert "رسید" in receipt and "کد رهگیری" in receipt
    tracking_code = receipt.split("کد رهگیری:")[1].split()[0]
    [(code, status, promised)] = stored(database, "SELECT tracking_code, status, promised_date FROM request")
    assert (code, status) == (tracking.normalize(tracking_code), "submitted")
    # the promised date as stored, shown in Jalali with Persian digits
    assert f"تاریخ پاسخ (وعده شده): {jalali(date.fromisoformat(promised))}" in receipt

    # staff: the request's card arrives in the unit's group (from the outbox); take it, deliver the result
    card = await group.wait_for(tracking_code, button="برمی‌دارم")
    assert "مالک نمونه" in card and "برمی‌دارم" in card
    await group.press("برمی‌دارم")
    assert await page.locator(".toast", has_text="به نام شما").count() == 1
    assert "در حال رسیدگی" in await citizen.wait_for("در حال رسیدگی")
    # staff ask; the citizen answers in two messages, and both reach the group under the card
    await group.press("پرسش از متقاضی")
    await group.send("سال ساخت ملک چیست؟")
    await citizen.wait_for("سال ساخت ملک چیست؟")
    await citizen.send("سال ۱۳۹۸ ساخته شده.")
    assert "برای کارشناس درخواست" in await citizen.last()
    await citizen.send("پروانهٔ قبلی هم دارد.")
    await group.wait_for("سال ۱۳۹۸ ساخته شده.")
    await group.wait_for("پروانهٔ قبلی هم دارد.")
    await group.press("بستن گفت‌وگو")
    await group.press("تحویل نتیجه")
    assert "ارسال نتیجه" in await group.last()
    await group.send("پروانهٔ این ملک معتبر است.")
    await group.upload("result.pdf", PDF, "application/pdf")
    assert "۱ فایل" in await group.last()
    await group.press("ارسال نتیجه")
    await citizen.wait_for("پروانهٔ این ملک معتبر است.")
    await citizen.pane.locator(".msg.in .document", has_text="result.pdf").wait_for(timeout=20_000)
    assert stored(database, "SELECT status, result_text FROM request") == [("answered", "پروانهٔ این ملک معتبر است.")]

    # the citizen rates the service: respondent data, the 16 items, a suggestion
    await citizen.wait_for("شروع نظرسنجی")
    await citizen.press("شروع نظرسنجی")
    for answer in ["مرد", "۳۵ تا ۴۴ سال", "کارشناسی", "ترجیح می‌دهم نگویم", "۲"]:
        await citizen.press(answer)
    assert "پرسش ۱ از ۱۶" in await citizen.last()
    for _ in range(16):
        await citizen.press("زیاد")
    assert "پیشنهاد" in await citizen.last()
    await citizen.send("صف کوتاه بود؛ ممنون.")
    assert "سپاسگزاریم" in await citizen.last()
    assert stored(database, "SELECT count(*), min(score) FROM survey_answer") == [(16, 3)]

    # the admin reads the figures
    await admin.send("/stats")
    stats = await admin.last()
    for line in ("پذیرفته‌شده: ۱", "پاسخ‌داده‌شده: ۱", "پرسشنامه‌های تکمیل‌شده: ۱"):
        assert line in stats, stats
    assert [name for name, _ in await admin.menu()][-10:] == [
        *("/stats", "/chart", "/export", "/audit", "/overdue"),
        *("/groups", "/grant", "/revoke", "/reload", "/help"),
    ]
    await admin.pane.locator(".composer input[name=text]").press("Escape")
    assert await admin.pane.locator(".command-menu").is_hidden()
    # in the group, the menu is the sender's: the admin's has /bind and /unbind, the staff member's not
    await page.locator("#group-sender").select_option(str(ADMIN_ID))
    assert [name for name, _ in await group.menu()] == ["/overdue", "/bind", "/unbind", "/groups", "/help"]
    await page.locator("#group-sender").select_option(str(STAFF_ID))
    assert await group.pane.locator(".command-menu").is_hidden()  # another sender: the menu closes
    assert [name for name, _ in await group.menu()] == ["/overdue", "/help"]
    await group.pane.locator(".composer .menu-btn").click()
    # the screenshots show the citizen's menu open
    await citizen.menu()
    return tracking_code


def stored(database: Path, query: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return conn.execute(query).fetchall()
