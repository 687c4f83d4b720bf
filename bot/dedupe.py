"""A webhook update delivered twice is processed once: (bot id, update id) is recorded in
ProcessedUpdate before handling, and the unique constraint decides which delivery wins, across
every web process sharing the database."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from tortoise.exceptions import IntegrityError

from models import ProcessedUpdate

log = logging.getLogger(__name__)
# Telegram keeps an unanswered update for 24 hours; ids are reused only after a week of silence.
KEEP = timedelta(days=2)
PRUNE_EVERY = 3600.0


async def first_delivery(bot_id: int, update_id: int) -> bool:
    """Record the update; False when it was recorded already (a duplicate delivery)."""
    try:
        await ProcessedUpdate.create(bot_id=bot_id, update_id=update_id)
    except IntegrityError:
        return False
    return True


async def forget(bot_id: int, update_id: int) -> None:
    """Handling failed: let the Bot API's redelivery of this update be processed."""
    await ProcessedUpdate.filter(bot_id=bot_id, update_id=update_id).delete()


async def prune(keep: timedelta = KEEP) -> int:
    return await ProcessedUpdate.filter(at__lt=datetime.now(timezone.utc) - keep).delete()


async def run_pruner(every: float = PRUNE_EVERY) -> None:
    while True:
        try:
            if removed := await prune():
                log.info("pruned %d processed update ids", removed)
        except Exception:  # a database hiccup must not end the web process
            log.exception("pruning processed update ids failed")
        await asyncio.sleep(every)
