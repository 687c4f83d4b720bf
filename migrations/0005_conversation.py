from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0004_report_summaries")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Request",
            name="conversation",
            field=fields.CharField(default="", db_default="", max_length=8),
        ),
        ops.AddField(
            model_name="Request",
            name="conversation_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        # a request already waiting for its citizen's answer has its conversation open
        ops.RunSQL("UPDATE request SET conversation = 'open' WHERE status = 'waiting_citizen'", reverse_sql=""),
    ]
