from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0002_group_health")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AuditDeclaration",
            fields=[
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("agency_code", fields.CharField(db_index=True, max_length=64)),
                ("period_start", fields.DateField()),
                ("period_end", fields.DateField()),
                ("forms", fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ("by_platform", fields.CharField(max_length=16)),
                ("by_user_id", fields.BigIntField()),
                ("by_name", fields.CharField(max_length=128)),
            ],
            options={
                "table": "audit_declaration",
                "app": "models",
                "unique_together": (("agency_code", "period_start", "period_end"),),
                "pk_attr": "id",
                "table_description": "An agency's self-declaration for one period: the forms of appendix 2 frozen as they were",
            },
            bases=["Timestamped"],
        ),
        ops.CreateModel(
            name="AuditEvaluation",
            fields=[
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "declaration",
                    fields.OneToOneField(
                        "models.AuditDeclaration",
                        source_field="declaration_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="evaluation",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("by_platform", fields.CharField(max_length=16)),
                ("by_user_id", fields.BigIntField()),
                ("by_name", fields.CharField(max_length=128)),
                ("s1_conflicts", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("s2_levels", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ("fixes", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ("improvements", fields.TextField(null=True, unique=False)),
                ("completed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "audit_evaluation",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The evaluator's columns for one declaration: what was verified on site, the contradictions",
            },
            bases=["Timestamped"],
        ),
        ops.CreateModel(
            name="DeskAssessment",
            fields=[
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("agency_code", fields.CharField(max_length=64)),
                ("item", fields.IntField()),
                ("level", fields.CharField(max_length=16)),
                ("note", fields.TextField(null=True, unique=False)),
                ("by_platform", fields.CharField(max_length=16)),
                ("by_user_id", fields.BigIntField()),
                ("by_name", fields.CharField(max_length=128)),
            ],
            options={
                "table": "desk_assessment",
                "app": "models",
                "unique_together": (("agency_code", "item"),),
                "pk_attr": "id",
                "table_description": "The agency's own rating of one item of its in-person desk (audit guide, appendix 2 §2-a),",
            },
            bases=["Timestamped"],
        ),
        ops.AlterModelOptions(
            name="Request",
            options={
                "table": "request",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A service request, with its tracking code and receipt.",
            },
        ),
        ops.AddField(
            model_name="Request",
            name="channel",
            field=fields.CharField(default="messenger", db_default="messenger", max_length=16),
        ),
        ops.AddField(
            model_name="Request",
            name="registered_by",
            field=fields.CharField(null=True, max_length=128),
        ),
        ops.AlterModelOptions(
            name="Role",
            options={
                "table": "role",
                "app": "models",
                "unique_together": (("platform", "user_id", "role", "unit_code"),),
                "pk_attr": "id",
                "table_description": "Admins granted with /grant, unit supervisors and the audit's evaluators (one per province); admins",
            },
        ),
    ]
