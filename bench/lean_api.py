"""A lean Bot API for the benches: answers sendMessage and getMe as Telegram would (the message with
its entities and inline keyboard), every other method with `true`, and checks nothing.

    python bench/lean_api.py PORT

In production the Bot API runs on Telegram's (or Bale's) servers, not on the desk's machine; here it
shares two cores with the bots it serves. The project's stand-in (`python -m standin`) checks every
call against api.json and keeps every chat: about 0.3 ms of CPU per call, a fifth of a Mizban web
process's work per update. This one takes about 0.09 ms (bench/webhook_bench.py prints its CPU
time), so that what is measured is the bots more than the apparatus. The bench can use the stand-in
instead (`--api standin`); the tests always do."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from standin.html import plain_text

BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


class BotApi(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; request bodies with a Content-Length (aiohttp's client sends one)."""

    def __init__(self) -> None:
        self.buffer = b""
        self.message_id = 0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].split(b"\r\n")
            headers = {
                name.strip().lower(): value.strip() for name, _, value in (line.partition(b":") for line in head[1:])
            }
            length = int(headers.get(b"content-length", b"0"))
            if len(self.buffer) < end + 4 + length:
                return
            body, self.buffer = self.buffer[end + 4 : end + 4 + length], self.buffer[end + 4 + length :]
            path = head[0].split(b" ")[1]
            answer = orjson.dumps(self.answer(path.rsplit(b"/", 1)[-1], headers.get(b"content-type", b""), body))
            self.transport.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                % (len(answer), answer)
            )

    def answer(self, method: bytes, content_type: bytes, body: bytes) -> dict:
        if method.lower() == b"getme":
            return {"ok": True, "result": BOT_USER}
        if method.lower() != b"sendmessage":
            return {"ok": True, "result": True}
        if content_type.startswith(b"application/json"):
            params = orjson.loads(body)
        else:
            params = dict(parse_qsl(body.decode()))
        self.message_id += 1
        parsed = plain_text(params.get("text", ""), params.get("parse_mode"))
        message = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "from": BOT_USER,
            "text": parsed.plain,
            "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Citizen"},
        }
        if parsed.entities:
            message["entities"] = parsed.entities
        markup = params.get("reply_markup")
        markup = orjson.loads(markup) if isinstance(markup, str) else markup
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return {"ok": True, "result": message}


async def serve(port: int) -> None:
    server = await asyncio.get_running_loop().create_server(BotApi, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
