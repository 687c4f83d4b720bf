from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields


async def backfill(apps, schema_editor) -> None:
    """Nothing: migration 0007 computes the summaries of the requests already there (desk/summaries.py
    writes the columns of the latest schema, which these tables do not have yet)."""


class Migration(migrations.Migration):
    dependencies = [("models", "0003_audit_cycle")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AnswerTimeSummary",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("dim", fields.CharField(max_length=8)),
                ("code", fields.CharField(max_length=64)),
                ("span", fields.CharField(max_length=1)),
                ("day", fields.DateField()),
                ("days", fields.IntField()),
                ("n", fields.IntField(default=0)),
            ],
            options={
                "table": "report_answer_time",
                "app": "models",
                "unique_together": (("dim", "code", "span", "day", "days"),),
                "pk_attr": "id",
                "table_description": "How many requests answered that day took `days` whole days (the median and the histogram).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DaySummary",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("dim", fields.CharField(max_length=8)),
                ("code", fields.CharField(max_length=64)),
                ("span", fields.CharField(max_length=1)),
                ("day", fields.DateField()),
                ("submitted", fields.IntField(default=0)),
                ("due", fields.IntField(default=0)),
                ("answered", fields.IntField(default=0)),
                ("on_time", fields.IntField(default=0)),
                ("answer_ms", fields.BigIntField(default=0)),
                ("settled", fields.IntField(default=0)),
                ("surveys", fields.IntField(default=0)),
            ],
            options={
                "table": "report_day",
                "app": "models",
                "unique_together": (("dim", "code", "span", "day"),),
                "pk_attr": "id",
                "table_description": "Request and survey counters of one day and scope.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ScoreSummary",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("dim", fields.CharField(max_length=8)),
                ("code", fields.CharField(max_length=64)),
                ("span", fields.CharField(max_length=1)),
                ("day", fields.DateField()),
                ("item", fields.IntField()),
                ("axis", fields.CharField(max_length=32)),
                ("score", fields.IntField()),
                ("n", fields.IntField(default=0)),
            ],
            options={
                "table": "report_score",
                "app": "models",
                "unique_together": (("dim", "code", "span", "day", "item", "axis", "score"),),
                "pk_attr": "id",
                "table_description": "How many questionnaires completed that day gave `item` the score `score`.",
            },
            bases=["Model"],
        ),
        ops.RunPython(backfill, ops.RunPython.noop),
    ]
