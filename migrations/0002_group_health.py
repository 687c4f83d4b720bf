from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="OutboxMessage",
            name="lease",
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name="UnitGroup",
            name="health",
            field=fields.CharField(default="ok", db_default="ok", max_length=8),
        ),
        ops.AddField(
            model_name="UnitGroup",
            name="health_reason",
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddField(
            model_name="UnitGroup",
            name="health_reminded_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="UnitGroup",
            name="health_since",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
