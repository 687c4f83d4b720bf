"""End to end: `python -m bot run` as a real process, polling the Bot API stand-in over HTTP,
completes a request with a document and gets a tracking code."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sqlite3
import sys
import time

from aiohttp import web

from bot.config import ROOT
from desk import tracking
from standin.core import Standin
from standin.server import make_app
from tests.factories import PDF, SPEC, TOKEN, VALID_NID


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _until(
    user, predicate, timeout: float = 120.0
) -> dict:  # a hang guard: a loaded machine starts Python slowly
    """Wait until the bot's newest message in the chat satisfies `predicate`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if user.messages and predicate(user.last["plain"]):
            return user.last
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out; last bot message: {user.messages[-1]['plain'] if user.messages else None!r}")


async def _until_button(user, text: str, timeout: float = 120.0) -> None:
    """Wait until a message of the bot carries an inline button `text` (a hang guard only)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(
            text in b.get("text", "")
            for m in user.messages
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        ):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for a {text!r} button")


async def test_bot_process_completes_a_request_over_http(tmp_path):
    standin = Standin(SPEC, strict=True)
    standin.add_bot(TOKEN)
    runner = web.AppRunner(make_app(standin))
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "BOT_API_URL": f"http://127.0.0.1:{port}",
        "BOT_PLATFORM": "telegram",
        "DATABASE_URL": f"sqlite://{tmp_path}/desk.sqlite3",
        "DOCUMENTS_DIR": str(tmp_path / "docs"),
        "REDIS_URL": "",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=open(tmp_path / "bot.log", "wb"),
    )
    try:
        user = standin.user("Maryam")
        await user.send("/start")
        await _until(user, lambda t: "میز خدمت" in t)
        await user.send("/start s_building-permit-inquiry")
        await _until(user, lambda t: "پروانه" in t)
        await user.press("ثبت درخواست این خدمت")
        await _until(user, lambda t: "نام و نام خانوادگی" in t)
        await user.send("Maryam Ahmadi")
        await _until(user, lambda t: "کد ملی" in t)
        await user.send(VALID_NID)
        await _until(user, lambda t: "تلفن همراه" in t)
        await user.send_contact("+989121234567")
        await _until(user, lambda t: "کد ملی مالک" in t)
        await user.send(VALID_NID)
        await _until(user, lambda t: "کد نوسازی" in t)
        await user.send("12-345-678")
        await _until(user, lambda t: "کد پستی" in t)
        await user.send("1193653471")
        await _until(user, lambda t: "موضوع استعلام" in t)
        await user.press("وضعیت پرونده")
        await _until(user, lambda t: "موقعیت" in t)
        await _until_button(user, "رد کردن")  # the question and its buttons may come as two messages
        await user.press("رد کردن")
        await _until(user, lambda t: "سند" in t)
        await user.send_document("deed.pdf", PDF)
        await _until(user, lambda t: "deed.pdf" in t)
        await user.press("تمام")
        await _until(user, lambda t: "بازبینی" in t)
        await user.press("ثبت نهایی")
        receipt = await _until(user, lambda t: "کد رهگیری" in t)
        code = receipt["plain"].split("کد رهگیری:")[1].split()[0]
        assert tracking.is_valid(code)
        assert "فعلاً نمی‌تواند" in receipt["plain"]  # no group is bound to the unit: the receipt says so
        # getUpdates asked for every update type the desk's lifecycle needs (chat_member is opt-in)
        lifecycle = {"message", "edited_message", "callback_query", "my_chat_member", "chat_member"}
        assert lifecycle <= set(standin.bots[TOKEN].allowed_updates or ())
        with contextlib.closing(sqlite3.connect(tmp_path / "desk.sqlite3")) as conn:
            rows = conn.execute("SELECT tracking_code, service_code, status FROM request").fetchall()
        assert rows == [(tracking.normalize(code), "building-permit-inquiry", "submitted")]
        assert not standin.violations
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait(), 15)  # it stops when told (a hang fails here)
        await runner.cleanup()
