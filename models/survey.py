from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.base import Timestamped

if TYPE_CHECKING:
    from models.citizen import Citizen
    from models.request import Request


class SurveyResponse(Timestamped):
    """One questionnaire per request, answered only by its owner."""

    id = fields.IntField(primary_key=True)
    request: fields.OneToOneRelation[Request] = fields.OneToOneField(
        "models.Request", related_name="survey", on_delete=fields.CASCADE
    )
    request_id: int
    citizen: fields.ForeignKeyRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="surveys", on_delete=fields.CASCADE
    )
    citizen_id: int
    form_version = fields.CharField(max_length=32)
    step = fields.IntField(default=0)
    respondent: dict[str, Any] = fields.JSONField(default=dict)  # gender, age, education, occupation, visits
    suggestion: str | None = fields.TextField(null=True)
    completed_at = fields.DatetimeField(null=True, db_index=True)
    invited_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    message_id = fields.BigIntField(null=True)

    class Meta:
        table = "survey_response"


class SurveyAnswer(Model):
    """One rated item, a row each so the reports aggregate in the database."""

    id = fields.IntField(primary_key=True)
    response: fields.ForeignKeyRelation[SurveyResponse] = fields.ForeignKeyField(
        "models.SurveyResponse", related_name="answers", on_delete=fields.CASCADE
    )
    response_id: int
    item = fields.IntField()
    axis = fields.CharField(max_length=32)
    score = fields.IntField()  # 1 (low) .. 4 (very high)

    class Meta:
        table = "survey_answer"
        unique_together = (("response", "item"),)


class Complaint(Timestamped):
    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[Request] = fields.ForeignKeyField(
        "models.Request", related_name="complaints", on_delete=fields.CASCADE
    )
    request_id: int
    citizen: fields.ForeignKeyRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="complaints", on_delete=fields.CASCADE
    )
    citizen_id: int
    text = fields.TextField()
    status = fields.CharField(max_length=16, default="open")  # open | answered
    answer = fields.TextField(null=True)
    answered_by = fields.CharField(max_length=128, null=True)
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "complaint"
