"""The stand-in over HTTP: the Bot API at /bot{token}/{method}, files, and a control API under /_standin/."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import orjson
from aiohttp import WSMsgType, web

from standin.chats import ChatBase, FakeGroup, FakeUser
from standin.core import Standin
from standin.errors import ApiError, SpecViolation
from standin.wire import Files, read_json_object, read_parts

STANDIN_KEY = web.AppKey("standin", Standin)


def make_app(standin: Standin) -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[STANDIN_KEY] = standin
    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_get("/file/bot{token}/{file_path:.+}", download)
    app.router.add_post("/_standin/users", create_user)
    app.router.add_post("/_standin/users/{user_id}/send", user_sends)
    app.router.add_post("/_standin/groups", create_group)
    app.router.add_post("/_standin/groups/{chat_id}/send", group_sends)
    app.router.add_get("/_standin/chats/{chat_id}/messages", chat_messages)
    app.router.add_get("/_standin/calls", calls)
    app.router.add_get("/_standin/stats", stats)
    app.router.add_get("/_standin/violations", violations)
    app.router.add_get("/_standin/events", events)
    app.on_shutdown.append(_shutdown)
    return app


async def _shutdown(app: web.Application) -> None:
    await app[STANDIN_KEY].close()


async def _read_request(request: web.Request) -> tuple[dict[str, Any], Files]:
    params: dict[str, Any] = dict(request.query)
    files: Files = {}
    if request.content_type == "multipart/form-data":
        form, files = await read_parts(await request.multipart())
        params.update(form)
    elif request.content_type == "application/x-www-form-urlencoded":
        params.update(await request.post())
    elif request.can_read_body:
        params.update(read_json_object(await request.read()))
    return params, files


def _api_response(body: dict, status: int = 200) -> web.Response:
    """A Bot API answer (orjson: the stand-in shares the machine with the bots it serves in benches)."""
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


async def bot_api(request: web.Request) -> web.Response:
    standin = request.app[STANDIN_KEY]
    try:
        params, files = await _read_request(request)
    except ValueError as e:
        return _api_response(ApiError(400, f"Bad Request: {e}").response(), status=400)
    try:
        result = await standin.call(request.match_info["token"], request.match_info["method"], params, files)
    except ApiError as e:
        return _api_response(e.response(), status=e.error_code)
    except SpecViolation as e:  # recorded in standin.violations; the bot sees a 400 it cannot miss
        return _api_response(ApiError(400, f"Bad Request: standin spec violation: {e}").response(), status=400)
    return _api_response({"ok": True, "result": result})


async def download(request: web.Request) -> web.Response:
    try:
        data = request.app[STANDIN_KEY].file_bytes(request.match_info["file_path"])
    except ApiError as e:
        return web.json_response(e.response(), status=e.error_code)
    return web.Response(body=data, content_type="application/octet-stream")


# -- control API -----------------------------------------------------------------------------------
def _person(user: FakeUser) -> dict:
    return {**user.user, "chat": user.chat, "blocked": user.blocked}


async def create_user(request: web.Request) -> web.Response:
    body = await request.json() if request.can_read_body else {}
    user = request.app[STANDIN_KEY].user(
        body.get("first_name", "Ali"),
        user_id=body.get("user_id"),
        last_name=body.get("last_name"),
        username=body.get("username"),
        language_code=body.get("language_code", "fa"),
        bot=body.get("token"),
    )
    user.blocked = bool(body.get("blocked", False))
    return web.json_response(_person(user))


def _chat(request: web.Request, key: str, kind: type[ChatBase]) -> Any:
    chat = request.app[STANDIN_KEY].chats.get(int(request.match_info[key]))
    if not isinstance(chat, kind):
        raise web.HTTPNotFound(text=f"no such {kind.__name__}")
    return chat


async def user_sends(request: web.Request) -> web.Response:
    """{text} | {text, reply_to} | {document: base64, filename, mime, caption, size} | {photo: base64?, caption}
    | {contact: {phone}} | {location: {lat, lon}} | {press: text, message_id?} | {press_data: data, message_id?}"""
    user: FakeUser = _chat(request, "user_id", FakeUser)
    body = await request.json()
    try:
        if "press" in body:
            return web.json_response({"answer": await user.press(body["press"], message=body.get("message_id"))})
        if "press_data" in body:
            answer = await user.press_data(body["press_data"], message=body.get("message_id"))
            return web.json_response({"answer": answer})
        if "document" in body:
            message = await user.send_document(
                body.get("filename", "document.pdf"),
                base64.b64decode(body["document"]),
                body.get("mime", "application/pdf"),
                size=body.get("size"),
                caption=body.get("caption"),
            )
        elif "photo" in body:
            photo: dict[str, Any] = {"content": base64.b64decode(body["photo"])} if body["photo"] else {}
            message = await user.send_photo(**photo, caption=body.get("caption"))
        elif "contact" in body:
            contact = body["contact"]
            message = await user.send_contact(
                contact["phone"],
                user_id=contact.get("user_id"),
                first_name=contact.get("first_name"),
            )
        elif "location" in body:
            message = await user.send_location(body["location"]["lat"], body["location"]["lon"])
        elif "reply_to" in body:
            message = await user.reply(body["reply_to"], body["text"])
        else:
            message = await user.send(body["text"])
    except LookupError as e:
        raise web.HTTPBadRequest(text=str(e)) from e
    return web.json_response({"message": message})


async def create_group(request: web.Request) -> web.Response:
    body = await request.json()
    members = {int(k): v for k, v in body.get("members", {}).items()}
    group = request.app[STANDIN_KEY].group(
        body["title"],
        chat_id=body.get("chat_id"),
        forum=body.get("forum", False),
        members=members,
        bot=body.get("token"),
    )
    return web.json_response({"chat": group.chat, "members": group.members})


async def group_sends(request: web.Request) -> web.Response:
    """{from: user_id, text, reply_to?, thread_id?} | {from: user_id, press: text, message_id?}
    | {from: user_id, document: base64, filename, mime, caption?, reply_to?, thread_id?}
    | {from: user_id, photo: base64?, caption?, reply_to?, thread_id?}"""
    group: FakeGroup = _chat(request, "chat_id", FakeGroup)
    body = await request.json()
    sender = request.app[STANDIN_KEY].chats.get(body["from"])
    if not isinstance(sender, FakeUser):
        raise web.HTTPBadRequest(text=f"no user {body['from']}")
    try:
        if "press" in body:
            answer = await group.press(sender, body["press"], body.get("message_id"))
            return web.json_response({"answer": answer})
        where = {"reply_to": body.get("reply_to"), "thread_id": body.get("thread_id")}
        if "document" in body:
            message = await group.send_document(
                sender,
                body.get("filename", "document.pdf"),
                base64.b64decode(body["document"]),
                body.get("mime", "application/pdf"),
                caption=body.get("caption"),
                **where,
            )
        elif "photo" in body:
            photo: dict[str, Any] = {"content": base64.b64decode(body["photo"])} if body["photo"] else {}
            message = await group.send_photo(sender, **photo, caption=body.get("caption"), **where)
        else:
            message = await group.send(sender, body["text"], **where)
    except LookupError as e:
        raise web.HTTPBadRequest(text=str(e)) from e
    return web.json_response({"message": message})


async def chat_messages(request: web.Request) -> web.Response:
    """Messages of a chat as tests see them (raw text, plain, markup); ?from=bot for the bot's only."""
    chat: ChatBase = _chat(request, "chat_id", ChatBase)
    if request.query.get("from") == "bot":
        return web.json_response(chat.messages)
    return web.json_response([m.view() for m in chat.history.values()])


async def calls(request: web.Request) -> web.Response:
    """Recorded Bot API calls; ?method=sendMessage filters; uploads are reported by name and size."""
    method = request.query.get("method")
    return web.json_response(
        [
            {
                "token": c.token,
                "method": c.method,
                "params": c.params,
                "at": c.at,
                "files": {k: {"filename": name, "size": len(data)} for k, (name, data) in c.files.items()},
            }
            for c in request.app[STANDIN_KEY].calls
            if method is None or c.method == method
        ]
    )


async def stats(request: web.Request) -> web.Response:
    return web.json_response(request.app[STANDIN_KEY].stats)


async def violations(request: web.Request) -> web.Response:
    return web.json_response(request.app[STANDIN_KEY].violations)


async def events(request: web.Request) -> web.StreamResponse:
    """The subscribe() stream: a websocket if the client asks to upgrade, else server-sent events."""
    standin = request.app[STANDIN_KEY]
    queue = standin.subscribe()
    try:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            reader = asyncio.create_task(_drain(ws))
            while not reader.done():
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    break
                await ws.send_json(getter.result())
            return ws
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        while True:
            event = await queue.get()
            await response.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
    finally:
        standin.unsubscribe(queue)


async def _drain(ws: web.WebSocketResponse) -> None:
    async for message in ws:
        if message.type == WSMsgType.ERROR:
            break
