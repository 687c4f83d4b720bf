from tortoise import fields
from tortoise.models import Model

from models.base import Timestamped


class UnitGroup(Timestamped):
    """A messenger group bound to an organisational unit with /bind."""

    id = fields.IntField(primary_key=True)
    unit_code = fields.CharField(max_length=64, unique=True)
    platform = fields.CharField(max_length=16)
    chat_id = fields.BigIntField()
    title = fields.CharField(max_length=255, default="")
    forum = fields.BooleanField(default=False)
    bound_by = fields.BigIntField(null=True)

    class Meta:
        table = "unit_group"


class Role(Model):
    """Admins granted with /grant and unit supervisors (admins from bot.toml are not stored)."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    user_id = fields.BigIntField()
    role = fields.CharField(max_length=16)  # admin | supervisor
    unit_code = fields.CharField(max_length=64, null=True)
    granted_by = fields.BigIntField(null=True)
    granted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "role"
        unique_together = (("platform", "user_id", "role", "unit_code"),)
