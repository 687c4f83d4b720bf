from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("models", "0005_conversation")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Payment",
            fields=[
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "request",
                    fields.ForeignKeyField(
                        "models.Request",
                        source_field="request_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="payments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "citizen",
                    fields.ForeignKeyField(
                        "models.Citizen",
                        source_field="citizen_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("platform", fields.CharField(max_length=16)),
                ("purpose", fields.CharField(max_length=64)),
                ("payload", fields.CharField(max_length=128)),
                ("amount", fields.BigIntField()),
                ("currency", fields.CharField(max_length=8)),
                ("total_amount", fields.BigIntField()),
                ("provider_charge_id", fields.CharField(max_length=255)),
                ("telegram_charge_id", fields.CharField(unique=True, max_length=255)),
                ("paid_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("status", fields.CharField(default="paid", db_index=True, max_length=16)),
                ("refunded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("refunded_by_platform", fields.CharField(null=True, max_length=16)),
                ("refunded_by_user_id", fields.BigIntField(null=True)),
                ("refunded_by_name", fields.CharField(null=True, max_length=128)),
            ],
            options={
                "table": "payment",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A fee paid in the chat, as the messenger reported it, and its refund when staff record one.",
            },
            bases=["Timestamped"],
        ),
    ]
