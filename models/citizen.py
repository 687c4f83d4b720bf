from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields

from models.base import Timestamped

if TYPE_CHECKING:
    from models.request import Request


class Citizen(Timestamped):
    """A person talking to the bot, identified by messenger and user id (the same id on two
    messengers is two people). The profile is filled once and reused (capability 1)."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    user_id = fields.BigIntField()
    chat_id = fields.BigIntField(null=True)
    first_name = fields.CharField(max_length=128, default="")
    username = fields.CharField(max_length=64, null=True)
    language = fields.CharField(max_length=8, null=True)  # chosen with /lang
    messenger_language = fields.CharField(max_length=16, null=True)  # the messenger's language_code
    full_name = fields.CharField(max_length=128, null=True)
    national_id = fields.CharField(max_length=10, null=True)
    mobile = fields.CharField(max_length=11, null=True)
    mobile_verified = fields.BooleanField(default=False)  # shared with the contact button
    # respondent data for the survey, kept once answered
    gender = fields.CharField(max_length=16, null=True)
    age_group = fields.CharField(max_length=16, null=True)
    education = fields.CharField(max_length=32, null=True)
    occupation = fields.CharField(max_length=64, null=True)
    blocked_at = fields.DatetimeField(null=True)  # the citizen blocked the bot (403)
    requests: fields.ReverseRelation[Request]

    class Meta:
        table = "citizen"
        unique_together = (("platform", "user_id"),)

    @property
    def has_profile(self) -> bool:
        return bool(self.full_name and self.national_id and self.mobile)
