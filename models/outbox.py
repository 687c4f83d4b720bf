from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.request import Request


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    WAITING = "waiting"  # its chat cannot be reached now (a citizen blocked the bot, a group lost it)
    DEAD = "dead"  # gave up: attempts ran out, or the call itself was refused


class OutboxMessage(Model):
    """A message to someone other than the acting user, written in the same transaction as the
    change that caused it and delivered later by the rate-limited sender (desk/outbox.py)."""

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    chat_id = fields.BigIntField(db_index=True)
    is_group = fields.BooleanField(default=False)
    method = fields.CharField(max_length=32)  # sendMessage, sendDocument, copyMessage, editMessageText...
    payload: dict[str, Any] = fields.JSONField()
    request: fields.ForeignKeyNullableRelation[Request] = fields.ForeignKeyField(
        "models.Request", related_name="outbox", null=True, on_delete=fields.SET_NULL
    )
    request_id: int | None
    purpose = fields.CharField(max_length=32, default="")  # card, notify, result...: what to do with the reply
    status = fields.CharField(max_length=8, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    sent_message_id = fields.BigIntField(null=True)
    lease = fields.CharField(max_length=16, null=True)  # the claim holding it: a stale claim never sends

    class Meta:
        table = "outbox"
        indexes = (("status", "next_attempt_at"),)
