from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.base import Timestamped


class GroupHealth(StrEnum):
    """Whether the bot can post in a unit's group."""

    OK = "ok"
    LOST = "lost"
    LIMITED = "limited"


class UnitGroup(Timestamped):
    """A messenger group bound to an organisational unit with /bind."""

    id = fields.IntField(primary_key=True)
    unit_code = fields.CharField(max_length=64, unique=True)
    platform = fields.CharField(max_length=16)
    chat_id = fields.BigIntField()
    title = fields.CharField(max_length=255, default="")
    forum = fields.BooleanField(default=False)
    bound_by = fields.BigIntField(null=True)
    # can the bot post in it: ok | lost (removed, kicked, restricted, chat gone: cards and
    # notifications wait) | limited (demoted from administrator: cards go out, typed answers may not
    # be seen); since when, why, and when admins were last reminded of it
    health = fields.CharField(max_length=8, default=GroupHealth.OK, db_default="ok")
    health_since = fields.DatetimeField(null=True)
    health_reason = fields.CharField(max_length=255, null=True)
    health_reminded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "unit_group"


class Role(Model):
    """Admins granted with /grant, unit supervisors and the audit's evaluators (one per province); admins
    from bot.toml are not stored."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    user_id = fields.BigIntField()
    role = fields.CharField(max_length=16)  # admin | supervisor | evaluator
    unit_code = fields.CharField(max_length=64, null=True)  # a supervisor's unit; an evaluator's province
    granted_by = fields.BigIntField(null=True)
    granted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "role"
        unique_together = (("platform", "user_id", "role", "unit_code"),)
