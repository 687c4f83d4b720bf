from tortoise import fields
from tortoise.models import Model

from models.base import Timestamped


class SurveyResponse(Timestamped):
    """One questionnaire per request, answered only by its owner."""

    id = fields.IntField(primary_key=True)
    request = fields.OneToOneField("models.Request", related_name="survey", on_delete=fields.CASCADE)
    citizen = fields.ForeignKeyField("models.Citizen", related_name="surveys", on_delete=fields.CASCADE)
    form_version = fields.CharField(max_length=32)
    step = fields.IntField(default=0)
    respondent = fields.JSONField(default=dict)  # gender, age, education, occupation, visits
    suggestion = fields.TextField(null=True)
    completed_at = fields.DatetimeField(null=True, db_index=True)
    invited_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    message_id = fields.BigIntField(null=True)

    class Meta:
        table = "survey_response"


class SurveyAnswer(Model):
    """One rated item, a row each so the reports aggregate in the database."""

    id = fields.IntField(primary_key=True)
    response = fields.ForeignKeyField("models.SurveyResponse", related_name="answers", on_delete=fields.CASCADE)
    item = fields.IntField()
    axis = fields.CharField(max_length=32)
    score = fields.IntField()  # 1 (low) .. 4 (very high)

    class Meta:
        table = "survey_answer"
        unique_together = (("response", "item"),)


class Complaint(Timestamped):
    id = fields.IntField(primary_key=True)
    request = fields.ForeignKeyField("models.Request", related_name="complaints", on_delete=fields.CASCADE)
    citizen = fields.ForeignKeyField("models.Citizen", related_name="complaints", on_delete=fields.CASCADE)
    text = fields.TextField()
    status = fields.CharField(max_length=16, default="open")  # open | answered
    answer = fields.TextField(null=True)
    answered_by = fields.CharField(max_length=128, null=True)
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "complaint"
