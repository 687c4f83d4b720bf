from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0007_report_submitted_late")]

    initial = False

    operations = [
        ops.CreateModel(
            name="InboxUpdate",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("bot_id", fields.BigIntField()),
                ("update_id", fields.BigIntField()),
                ("body", fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "inbox_update",
                "app": "models",
                "unique_together": (("bot_id", "update_id"),),
                "pk_attr": "id",
                "table_description": "An update received by long polling and not yet handled (bot/delivery/polling.py): kept before",
            },
            bases=["Model"],
        ),
    ]
