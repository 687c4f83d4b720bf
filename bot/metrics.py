"""Prometheus metrics of a Mizban process (served at /metrics by the web process, bot/delivery/webhook.py).

Each process keeps its own counters; Prometheus scrapes every process on its own port (see
docs/DEPLOY.md). The outbox gauges are read from the database at scrape time, so any web process
shows the deployment-wide depth and age."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramRetryAfter
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, disable_created_metrics, generate_latest

from models import OutboxMessage, OutboxStatus

UPDATES = Counter("mizban_updates_total", "Updates handled, by messenger and update type", ["platform", "type"])
DUPLICATES = Counter("mizban_duplicate_updates_total", "Webhook updates dropped as already processed", ["platform"])
MALFORMED = Counter("mizban_malformed_updates_total", "Webhook updates dropped as malformed", ["platform"])
HANDLER_SECONDS = Histogram(
    "mizban_handler_seconds",
    "Time to handle one update",
    ["type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
HTTP_REQUESTS = Counter("mizban_http_requests_total", "HTTP requests served, by route and status", ["route", "status"])
RATE_LIMITED = Counter("mizban_bot_api_429_total", "Bot API answers 429 Too Many Requests", ["platform"])
OUTBOX_DEPTH = Gauge("mizban_outbox_depth", "Outbox messages waiting to be sent")
OUTBOX_OLDEST = Gauge("mizban_outbox_oldest_age_seconds", "Age of the oldest outbox message waiting")

CONTENT_TYPE = CONTENT_TYPE_LATEST
disable_created_metrics()  # no *_created series: they double the output and nobody graphs them


class CountRateLimited(BaseRequestMiddleware):
    """A Bot API session middleware counting 429 answers (the outbox sender's included), then re-raising."""

    def __init__(self, platform: str):
        self.counter = RATE_LIMITED.labels(platform)

    async def __call__(self, make_request, bot, method):
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter:
            self.counter.inc()
            raise


async def refresh_outbox() -> None:
    pending = OutboxMessage.filter(status=OutboxStatus.PENDING)
    OUTBOX_DEPTH.set(await pending.count())
    oldest = cast(datetime | None, await pending.order_by("created_at").first().values_list("created_at", flat=True))
    OUTBOX_OLDEST.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0)


async def render() -> bytes:
    await refresh_outbox()
    return generate_latest()
