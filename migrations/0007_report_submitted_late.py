from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


async def backfill(apps, schema_editor) -> None:
    """The new counter of the requests already summarised, or every summary of a desk upgrading from
    before migration 0004 (desk/summaries.py)."""
    from desk.summaries import backfill_submitted_late

    await backfill_submitted_late(schema_editor.client)


class Migration(migrations.Migration):
    dependencies = [("models", "0006_payments")]

    initial = False

    operations = [
        ops.AddField(
            model_name="DaySummary",
            name="submitted_late",
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.RunPython(backfill, ops.RunPython.noop),
    ]
