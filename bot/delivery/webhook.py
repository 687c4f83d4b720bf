"""The web process: the Bot API webhook of every configured bot (Telegram and Bale alike), /healthz
and /metrics.

Each bot has its own route, `{webhook.path}/{bot id}/{secret}`: the secret path segment authenticates
every delivery on both messengers (Bale documents no secret header); a Telegram bot's deliveries must
also carry the same secret in Telegram's X-Telegram-Bot-Api-Secret-Token header. An update is
answered only after it has been handled: the Bot API server sends a chat's next update once the previous one is answered, so one citizen's updates are handled in order, and
an update whose handling failed is answered 500 and delivered again. A delivery of an update
already processed is dropped (bot/delivery/dedupe.py). A malformed update (not JSON, no update id,
not a valid Update, of no known type) is logged and answered 200: the Bot API would otherwise send it
again forever, and no later handling can make it valid. `/metrics` asks for a bearer token when
`webhook.metrics_token` is set."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from tortoise import Tortoise

from bot import metrics, platforms
from bot.config import Settings
from bot.delivery import dedupe
from bot.delivery.updates import allowed_updates

log = logging.getLogger(__name__)


def webhook_route(settings: Settings, bot: Bot) -> str:
    """The bot's route, its secret a path parameter (so that it never shows in /metrics)."""
    return f"{settings.webhook.path.rstrip('/')}/{bot.id}/{{secret}}"


def webhook_path(settings: Settings, bot: Bot) -> str:
    """The path the Bot API posts the bot's updates to, with the secret in it."""
    return f"{settings.webhook.path.rstrip('/')}/{bot.id}/{webhook_secret(settings, bot)}"


def webhook_secret(settings: Settings, bot: Bot) -> str:
    """The configured secret, else one derived from the bot's token (the same in every process);
    letters, digits, `_` and `-` only, as Telegram's secret_token and a URL path segment both take."""
    if settings.webhook.secret:
        return settings.webhook.secret
    return hmac.new(bot.token.encode(), b"mizban-webhook", hashlib.sha256).hexdigest()


def update_type(update: dict) -> str:
    return next((key for key in update if key != "update_id"), "unknown")


class DeskRequestHandler(SimpleRequestHandler):
    """aiogram's handler for one bot, plus: constant-time secret checks (the path segment always, the
    header where the messenger sends one), duplicate deliveries dropped, handling measured; always
    answered after handling (never in the background)."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret: str):
        super().__init__(dispatcher, bot, handle_in_background=False, secret_token=secret)
        self.secret_header = platforms.messenger(getattr(bot, "platform", "telegram")).webhook_secret_header

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        return hmac.compare_digest(telegram_secret_token.encode(), (self.secret_token or "").encode())

    def authentic(self, request: web.Request) -> bool:
        path_ok = self.verify_secret(request.match_info.get("secret", ""), self.bot)
        if not self.secret_header:
            return path_ok
        header_ok = self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), self.bot)
        return path_ok and header_ok

    async def handle(self, request: web.Request) -> web.Response:
        bot, arrived = self.bot, time.monotonic()
        if not self.authentic(request):
            return web.json_response({"error": "unauthorized"}, status=401)
        platform = getattr(bot, "platform", "telegram")
        try:
            raw = await request.json(loads=bot.session.json_loads)
            update_id = int(raw["update_id"])
            kind = update_type(raw)
            update = Update.model_validate(raw, context={"bot": bot})
            update.event_type  # noqa: B018  (raises for an update of no known type)
        except Exception as e:  # whatever is wrong with it, it will be as wrong when delivered again
            # the update's content is never logged: it is a citizen's message
            log.warning("dropped a malformed update for bot %s: %s", bot.id, type(e).__name__)
            metrics.MALFORMED.labels(platform).inc()
            return web.json_response({})
        started = time.perf_counter()
        delivery = dedupe.Delivery(bot.id, update_id, arrived=arrived)
        current = dedupe.CURRENT_DELIVERY.set(delivery)
        try:
            result: Any = await self.dispatcher.feed_webhook_update(bot, update, delivery=delivery, **self.data)
        finally:
            dedupe.CURRENT_DELIVERY.reset(current)
            metrics.HANDLER_SECONDS.labels(kind).observe(time.perf_counter() - started)
        if delivery.duplicate:
            metrics.DUPLICATES.labels(platform).inc()
            return web.json_response({})
        metrics.UPDATES.labels(platform, kind).inc()
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


@web.middleware
async def count_requests(request: web.Request, handler) -> web.StreamResponse:
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    try:
        response = await handler(request)
    except web.HTTPException as e:
        metrics.HTTP_REQUESTS.labels(route, str(e.status)).inc()
        raise
    except Exception:
        metrics.HTTP_REQUESTS.labels(route, "500").inc()
        raise
    metrics.HTTP_REQUESTS.labels(route, str(response.status)).inc()
    return response


async def _check_database() -> None:
    await Tortoise.get_connection("default").execute_query("SELECT 1")


def add_status_routes(app: web.Application, redis=None, token: str = "") -> None:
    """/healthz (the database and, when configured, Redis: 200 or 503 with a JSON report) and /metrics
    (with `Authorization: Bearer TOKEN` when a token is set)."""

    async def healthz(request: web.Request) -> web.Response:
        checks = {"database": _check_database}
        if redis is not None:
            checks["redis"] = redis.ping
        report, healthy = {}, True
        for name, check in checks.items():
            try:
                await check()
                report[name] = "ok"
            except Exception as e:  # any failure makes the process unhealthy; the reason is reported
                report[name], healthy = f"error: {type(e).__name__}", False
        return web.json_response(report, status=200 if healthy else 503)

    async def serve_metrics(request: web.Request) -> web.Response:
        if token and not hmac.compare_digest(
            request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()
        ):
            return web.json_response({"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": "Bearer"})
        return web.Response(body=await metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", serve_metrics)


def make_app(settings: Settings, dp: Dispatcher, bots: list[Bot]) -> web.Application:
    """The aiohttp application of a web process; the database is connected by the caller."""
    app = web.Application(middlewares=[count_requests])
    redis = getattr(dp.fsm.storage, "redis", None)  # aiogram's RedisStorage when REDIS_URL is set
    # the record the chat's turn keeps (bot/delivery/turns.py), for updates that take no turn too
    record = getattr(dp.fsm.events_isolation, "record", None) or (
        dedupe.RedisRecord(redis) if redis else dedupe.DatabaseRecord()
    )
    dp.update.outer_middleware(dedupe.FirstDelivery(record))
    for bot in bots:
        DeskRequestHandler(dp, bot, webhook_secret(settings, bot)).register(app, path=webhook_route(settings, bot))
    add_status_routes(app, redis, settings.webhook.metrics_token)

    async def set_webhooks(app: web.Application) -> None:
        base = settings.webhook.base_url.rstrip("/")
        if not base:
            return
        allowed = allowed_updates(dp)
        for bot in bots:
            url = f"{base}{webhook_path(settings, bot)}"
            platform = getattr(bot, "platform", "telegram")
            await bot.set_webhook(url, **platforms.set_webhook_params(platform, webhook_secret(settings, bot), allowed))
            log.info("webhook of bot %s (%s) set to %s/…", bot.id, platform, url.rsplit("/", 1)[0])

    async def close_storage(app: web.Application) -> None:
        await dp.fsm.storage.close()
        await dp.fsm.events_isolation.close()

    setup_application(app, dp, bots=bots)
    app.on_startup.append(set_webhooks)
    app.on_cleanup.append(close_storage)
    return app
