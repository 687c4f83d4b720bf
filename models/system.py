from typing import Any

from tortoise import fields
from tortoise.models import Model


class FsmRecord(Model):
    """aiogram FSM state kept in the database, so a half-filled form survives a restart."""

    key = fields.CharField(max_length=255, primary_key=True)
    state = fields.CharField(max_length=255, null=True)
    data: dict[str, Any] = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "fsm_record"


class ProcessedUpdate(Model):
    """Update ids already handled, so a webhook update delivered twice is processed once."""

    id = fields.BigIntField(primary_key=True)
    bot_id = fields.BigIntField()
    update_id = fields.BigIntField()
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "processed_update"
        unique_together = (("bot_id", "update_id"),)


class InboxUpdate(Model):
    """An update received by long polling and not yet handled (bot/delivery/polling.py): kept before
    the Bot API is told it arrived, so a process killed while handling it handles it after restart."""

    id = fields.BigIntField(primary_key=True)
    bot_id = fields.BigIntField()
    update_id = fields.BigIntField()
    body: dict[str, Any] = fields.JSONField()
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "inbox_update"
        unique_together = (("bot_id", "update_id"),)
