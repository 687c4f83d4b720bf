from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields

from models.base import Timestamped

if TYPE_CHECKING:
    from models.citizen import Citizen
    from models.request import Request


class PaymentStatus(StrEnum):
    PAID = "paid"
    REFUNDED = "refunded"  # recorded by staff (the money is returned outside the chat)


class Payment(Timestamped):
    """A fee paid in the chat, as the messenger reported it, and its refund when staff record one.

    Telegram Payments or Bale's wallet: the charge ids come from the successful_payment message."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyNullableRelation[Request] = fields.ForeignKeyField(
        "models.Request", related_name="payments", null=True, on_delete=fields.CASCADE
    )
    request_id: int | None
    citizen: fields.ForeignKeyRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="payments", on_delete=fields.RESTRICT
    )
    citizen_id: int
    platform = fields.CharField(max_length=16)
    purpose = fields.CharField(max_length=64)  # "submit" or the stage code it was asked for at
    payload = fields.CharField(max_length=128)  # the invoice's payload
    amount = fields.BigIntField()  # rials
    currency = fields.CharField(max_length=8)
    total_amount = fields.BigIntField()  # as the messenger reported it, in the currency's smallest unit
    provider_charge_id = fields.CharField(max_length=255)
    telegram_charge_id = fields.CharField(max_length=255, unique=True)  # the messenger's own charge id
    paid_at = fields.DatetimeField(db_index=True)
    status = fields.CharField(max_length=16, default=PaymentStatus.PAID, db_index=True)
    refunded_at = fields.DatetimeField(null=True)
    refunded_by_platform = fields.CharField(max_length=16, null=True)
    refunded_by_user_id = fields.BigIntField(null=True)
    refunded_by_name = fields.CharField(max_length=128, null=True)

    class Meta:
        table = "payment"
