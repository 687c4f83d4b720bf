from __future__ import annotations

from typing import Any

from tortoise import fields

from models.base import Timestamped


class DeskAssessment(Timestamped):
    """The agency's own rating of one item of its in-person desk (audit guide, appendix 2 §2-a),
    declared in the bot by a named admin or supervisor."""

    id = fields.IntField(primary_key=True)
    agency_code = fields.CharField(max_length=64)
    item = fields.IntField()  # 1..4, the rows of §2
    level = fields.CharField(max_length=16)  # excellent | good | average | weak | absent
    note = fields.TextField(null=True)
    by_platform = fields.CharField(max_length=16)
    by_user_id = fields.BigIntField()
    by_name = fields.CharField(max_length=128)

    class Meta:
        table = "desk_assessment"
        unique_together = (("agency_code", "item"),)


class AuditDeclaration(Timestamped):
    """An agency's self-declaration for one period: the forms of appendix 2 frozen as they were
    computed when declared (later changes to cards or requests do not rewrite it)."""

    id = fields.IntField(primary_key=True)
    agency_code = fields.CharField(max_length=64, db_index=True)
    period_start = fields.DateField()
    period_end = fields.DateField()  # inclusive
    forms: dict[str, Any] = fields.JSONField()  # desk.audit.Forms as JSON
    by_platform = fields.CharField(max_length=16)
    by_user_id = fields.BigIntField()
    by_name = fields.CharField(max_length=128)

    class Meta:
        table = "audit_declaration"
        unique_together = (("agency_code", "period_start", "period_end"),)


class AuditEvaluation(Timestamped):
    """The evaluator's columns for one declaration: what was verified on site, the contradictions
    found and the fixes needed (appendix 2, its "evaluation results" parts)."""

    id = fields.IntField(primary_key=True)
    declaration: fields.OneToOneRelation[AuditDeclaration] = fields.OneToOneField(
        "models.AuditDeclaration", related_name="evaluation", on_delete=fields.CASCADE
    )
    declaration_id: int
    by_platform = fields.CharField(max_length=16)
    by_user_id = fields.BigIntField()
    by_name = fields.CharField(max_length=128)
    s1_conflicts: list[str] = fields.JSONField(default=list)  # service codes whose declared place is wrong
    s2_levels: dict[str, str] = fields.JSONField(default=dict)  # {"1": "good", ...}
    fixes: dict[str, dict[str, str]] = fields.JSONField(default=dict)  # {"s3": {code: text}, "s4": {...}, "s5": {...}}
    improvements = fields.TextField(null=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "audit_evaluation"
